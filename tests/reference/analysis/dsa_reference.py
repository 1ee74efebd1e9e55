#!/usr/bin/python3
"""Reference data for neurode's DSA tests (tests/analysis/dsa_test.cpp), converted from the stored
outputs of the public DSA implementation (mitchellostrow/DSA, commit 8cbddcf3; see
../shared/reference/dsa/README.md in the neurode workspace) into small text files that CI can read.
Re-run with Debian's python3-numpy:
    /usr/bin/python3 tests/reference/analysis/dsa_reference.py [SOURCE_DIR]
SOURCE_DIR defaults to ../shared/reference/dsa next to the repository; the files are written next
to this script.

Format (tests/support/reference_files.hpp, read_blocks): '#' lines are comments; every other block
is a header line 'name rows cols' followed by rows * cols numbers in row-major order.

dsa_conjugacy.txt, per n in 10, 50, 100 (X ~ U[0,1]^{n x n} from numpy default_rng(5), Q orthogonal
with det Q = -1, the reference compared X with Y = Q X Q^T whose true distance is 0):
    X.n, Q.n                   full precision (Y is rebuilt as Q X Q^T; the difference from the stored
                               Y is reported below)
    reference.n                1 x 6: angular score [rad] and median time [s] of the reference at
                               200 iterations (lr 0.01), 1500 iterations (lr 5e-3), 10,000 (lr 5e-3)
dsa_pairwise.txt: 10 rate networks, 20 trials x 100 steps x 64 units each, from
    x_{t+1} = 0.9 x_t + 0.1 (W tanh(x_t) + W_in u_t),   t = 0 .. 99,   activity step t = x_{t+1}
(the recurrence is checked against the stored activity below), stored as its inputs instead of the
10 MB activity:
    W.k (64 x 64), W_in.k (64 x 2), x0.k (20 x 64), u.k ((20 * 100) x 2, trial-major)   9 digits
    gains (10 x 1)
    D (10 x 10)                the reference's angular distances (n_delays 5, delay_interval 1,
                               rank 20, 1500 Adam iterations, lr 5e-3)
    abs_A_v.k (20 x 20)        |A_v| entry-wise (invariant under the singular vectors' signs)
    hankel_singular_values (10 x 20)   the top 20 of each network's Hankel matrix
    pair_time_s (1 x 3)        median, min and max wall time per pair [s]
"""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "shared", "reference", "dsa")
SETTINGS = ["simdist_defaults", "dsa_defaults", "upstream_test"]


def put(out, name, m, fmt):
    m = np.atleast_2d(np.asarray(m, dtype=float))
    out.write(f"{name} {m.shape[0]} {m.shape[1]}\n")
    for row in m:
        out.write(" ".join(fmt % v for v in row) + "\n")


def rounded(m, digits):
    return np.array([float("%.*g" % (digits, v)) for v in np.ravel(m)]).reshape(np.shape(m))


def conjugacy():
    path = os.path.join(HERE, "dsa_conjugacy.txt")
    with open(path, "w") as out:
        out.write(f"# numpy {np.__version__}; from {os.path.basename(SOURCE)}/conjugacy_n*.npz\n")
        for n in (10, 50, 100):
            d = np.load(os.path.join(SOURCE, f"conjugacy_n{n}.npz"))
            X, Y, Q = d["X"], d["Y"], d["Q"]
            rebuilt = Q @ X @ Q.T
            row = []
            for s in SETTINGS:
                row += [float(d["score_" + s]), float(np.median(d["time_s_" + s]))]
            out.write(f"# n = {n}: det Q = {np.linalg.det(Q):.15f}, |Q^T Q - I|_max = {np.abs(Q.T @ Q - np.eye(n)).max():.2e}, "
                      f"|Q X Q^T - Y|_max = {np.abs(rebuilt - Y).max():.2e}\n")
            print(f"conjugacy n={n}: |Q X Q^T - stored Y|_max = {np.abs(rebuilt - Y).max():.2e}, reference scores {row[0::2]}")
            put(out, f"X.{n}", X, "%.17g")
            put(out, f"Q.{n}", Q, "%.17g")
            put(out, f"reference.{n}", row, "%.9g")
    print("wrote", path)


def simulate(W, W_in, u, x0):
    """The recurrence for every trial at once; returns [trials, steps, units] (states x_1 .. x_T)."""
    trials, steps, _ = u.shape
    x = x0.copy()
    states = np.empty((trials, steps, W.shape[0]))
    for t in range(steps):
        x = 0.9 * x + 0.1 * (np.tanh(x) @ W.T + u[:, t] @ W_in.T)
        states[:, t] = x
    return states


def pairwise():
    a = np.load(os.path.join(SOURCE, "pairwise_activity.npz"))
    r = np.load(os.path.join(SOURCE, "pairwise_result.npz"))
    activity, W, W_in, u, x0 = a["activity"], a["W"], a["W_in"], a["u"], a["x0"]
    nets, trials, steps, units = activity.shape
    exact = max(np.abs(simulate(W[k], W_in[k], u[k], x0[k]) - activity[k]).max() for k in range(nets))
    digits = 9
    stored = [[rounded(m[k], digits) for k in range(nets)] for m in (W, W_in, u, x0)]
    from_text = max(np.abs(simulate(stored[0][k], stored[1][k], stored[2][k], stored[3][k]) - activity[k]).max()
                    for k in range(nets))
    print(f"pairwise: recurrence vs stored activity, max |diff| = {exact:.2e} (exact inputs), "
          f"{from_text:.2e} (inputs at {digits} digits); max |activity| = {np.abs(activity).max():.2f}")
    times = r["pair_time_s"].ravel()
    path = os.path.join(HERE, "dsa_pairwise.txt")
    with open(path, "w") as out:
        out.write(f"# numpy {np.__version__}; from {os.path.basename(SOURCE)}/pairwise_activity.npz and pairwise_result.npz\n")
        out.write(f"# x_(t+1) = 0.9 x_t + 0.1 (W tanh(x_t) + W_in u_t) reproduces the stored activity to {exact:.1e} "
                  f"(to {from_text:.1e} from the {digits}-digit inputs below)\n")
        out.write(f"# {nets} networks x {trials} trials x {steps} steps x {units} units\n")
        for k in range(nets):
            put(out, f"W.{k}", stored[0][k], "%.9g")
            put(out, f"W_in.{k}", stored[1][k], "%.9g")
            put(out, f"x0.{k}", stored[3][k], "%.9g")
            put(out, f"u.{k}", stored[2][k].reshape(trials * steps, -1), "%.9g")
        put(out, "gains", a["gains"].reshape(-1, 1), "%.9g")
        put(out, "D", r["D"], "%.9g")
        for k in range(nets):
            put(out, f"abs_A_v.{k}", np.abs(r["A_v"][k].astype(float)), "%.9g")
        put(out, "hankel_singular_values", r["hankel_singular_values"][:, :20].astype(float), "%.9g")
        put(out, "pair_time_s", [np.median(times), times.min(), times.max()], "%.9g")
    print("wrote", path)


if __name__ == "__main__":
    conjugacy()
    pairwise()
