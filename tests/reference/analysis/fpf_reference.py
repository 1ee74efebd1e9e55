#!/usr/bin/python3
"""Reference fixed points for neurode's fixed-point tests (tests/analysis/fixed_points_test.cpp)
and benchmark (benchmarks/fixed_points.cpp), converted from the stored results of the public
fixed-point finder (mattgolub/fixed-point-finder, commit 1a304179, PyTorch backend, defaults) in
../shared/reference/fpf/ (see its README.md), so that the tests read only committed files.
Re-run from the repository root with Debian's python3-numpy and python3-h5py:
    /usr/bin/python3 tests/reference/analysis/fpf_reference.py [--source DIR]

fpf_groundtruth.txt: the map h <- tanh(W h), row i of W = -roll(linspace(-1, 1, n), -i), for
n = 2, 3, 4, started from the 3^n grid. '#' lines are comments; every other block is a header
'name rows cols' followed by rows * cols numbers, row-major. Per n: W_n (as the finder used it,
float32), initial_states_n (starts x n), the finder's unique fixed points xstar_n (points x n), their
q (qstar_n, points x 1) and the eigenvalues of dg/dx there (eigenvalues_n, points x n, sorted by
decreasing modulus; all real: W is symmetric, so dg/dx = diag(1 - h^2) W is similar to a symmetric
matrix), and the upstream ground truth gt_xstar_n and gt_eigenvalues_n.

fpf_random256.h5: the 256-unit case h <- tanh(W h), W ~ N(0, 1.5^2 / 256) rounded to float32.
  W               256 x 256 float32 (exact: the stored W is float32-rounded)
  initial_states  1024 x 256 float64 (exact), one start per row, shuffle + gzip
  unique_init_index, unique_q   the finder's 863 "unique" points: the start each came from and its
                  q recomputed in float64 (q_float64_at_xstar)
  all_q           1024 float32: the finder's final q of every start
  near_xstar, near_q, near_init_index, near_max_abs_eig   the unique points with q < 1e-8 (the
                  only ones near a zero) and the spectral radius of dg/dx there
  attributes: counts below 1e-12 and 1e-8 and the wall times (s) of the public finder.
"""
import argparse
import json
import pathlib

import h5py
import numpy as np

here = pathlib.Path(__file__).resolve().parent
repo = here.parents[2]
parser = argparse.ArgumentParser()
parser.add_argument("--source", default=str(repo.parent / "shared" / "reference" / "fpf"))
args = parser.parse_args()
src = pathlib.Path(args.source)


def block(out, name, a):
    a = np.atleast_2d(np.asarray(a, dtype=np.float64))
    out.append(f"{name} {a.shape[0]} {a.shape[1]}")
    for row in a:
        out.append(" ".join(repr(float(v)) for v in row))


lines = ["# Public fixed-point finder (mattgolub/fixed-point-finder 1a304179, PyTorch, defaults) on",
         "# h <- tanh(W h), W[i,:] = -roll(linspace(-1,1,n), -i); written by fpf_reference.py"]
for n in (2, 3, 4):
    d = np.load(src / f"groundtruth_n{n}.npz")
    W = d["W"]
    expected = np.array([-np.roll(np.linspace(-1, 1, n), -i) for i in range(n)])
    assert np.allclose(W, expected, atol=1e-7), "W is not -roll(linspace(-1, 1, n), -i)"
    ev = d["eigval_J_xstar"]
    assert np.abs(ev.imag).max() < 1e-6
    order = np.argsort(-np.abs(ev.real), axis=1, kind="stable")
    ev = np.take_along_axis(ev.real, order, axis=1)
    lines.append(f"# n = {n}: {len(d['xstar'])} unique fixed points from {len(d['initial_states'])} starts")
    block(lines, f"W_{n}", W)
    block(lines, f"initial_states_{n}", d["initial_states"])
    block(lines, f"xstar_{n}", d["xstar"])
    block(lines, f"qstar_{n}", d["qstar"].reshape(-1, 1))
    block(lines, f"eigenvalues_{n}", ev)
    block(lines, f"gt_xstar_{n}", d["gt_xstar"])
    block(lines, f"gt_eigenvalues_{n}", d["gt_eigval_sorted"])
(here / "fpf_groundtruth.txt").write_text("\n".join(lines) + "\n")

d = np.load(src / "random256.npz")
meta = json.loads((src / "random256.json").read_text())
W = d["W"]
assert np.array_equal(W, W.astype(np.float32).astype(np.float64))
q = d["q_float64_at_xstar"]
near = np.flatnonzero(q < 1e-8)
near = near[np.argsort(d["init_index"][near], kind="stable")]
with h5py.File(here / "fpf_random256.h5", "w") as f:
    f.create_dataset("W", data=W.astype(np.float32), compression="gzip", compression_opts=9, shuffle=True)
    f.create_dataset("initial_states", data=d["initial_states"], compression="gzip", compression_opts=9, shuffle=True)
    f.create_dataset("unique_init_index", data=d["init_index"].astype(np.int64), compression="gzip")
    f.create_dataset("unique_q", data=q, compression="gzip")
    f.create_dataset("all_q", data=d["all_qstar"], compression="gzip")
    f.create_dataset("near_xstar", data=d["xstar"][near], compression="gzip", shuffle=True)
    f.create_dataset("near_q", data=q[near])
    f.create_dataset("near_init_index", data=d["init_index"][near].astype(np.int64))
    f.create_dataset("near_max_abs_eig", data=d["max_abs_eig"][near].astype(np.float64))
    f.attrs["unique_points"] = np.int64(len(q))
    f.attrs["unique_below_1e-12"] = np.int64((d["qstar"] < 1e-12).sum())
    f.attrs["unique_below_1e-8"] = np.int64((d["qstar"] < 1e-8).sum())
    f.attrs["wall_seconds_median"] = float(meta["wall_time_s_median"])
    f.attrs["wall_seconds_min"] = float(min(meta["wall_time_s_all"]))
    f.attrs["wall_seconds_max"] = float(max(meta["wall_time_s_all"]))
    f.attrs["torch_threads"] = np.int64(meta["env"]["torch_num_threads"])
print(f"wrote {here / 'fpf_groundtruth.txt'} and {here / 'fpf_random256.h5'}: "
      f"{len(q)} unique points, {len(near)} below q = 1e-8")
for m in (16, 32, 64, 128, 1024):
    sel = d["init_index"] < m
    print(f"  first {m} starts: {sel.sum()} unique points, {(q[sel] < 1e-8).sum()} below 1e-8, "
          f"{(q[sel] < 1e-12).sum()} below 1e-12")
