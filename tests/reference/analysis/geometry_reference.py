#!/usr/bin/python3
"""Reference values for neurode's representational-geometry tests (tests/analysis/geometry_test.cpp),
computed with numpy and scipy on random data generated here from a fixed seed. Re-run with
Debian's python3-numpy and python3-scipy (not a virtual environment's python3):
    /usr/bin/python3 tests/reference/analysis/geometry_reference.py > tests/reference/analysis/geometry_reference.txt

Format (tests/support/reference_files.hpp, read_blocks): '#' lines are comments; every other
block is a header line 'name rows cols' followed by rows * cols numbers in row-major order.
Samples are rows. The definitions, written out independently of neurode:
  PCA    centre; scipy.linalg.svd; components = right singular vectors, each signed so that its
         entry of largest magnitude is positive; variance s^2 / (n - 1); ratio s^2 / sum(s^2).
  CCA    centre; Q from scipy.linalg.qr (economic) of each; correlations = singular values of
         Qx^T Qy (Bjorck & Golub 1973).
  SVCCA  centre; keep the top k singular directions of each, k the smallest with
         sum_{i<k} s_i^2 >= fraction * sum s_i^2; CCA of the kept directions; similarity = mean
         correlation, distance = 1 - similarity (Raghu et al. 2017; McMahan et al. 2021: 0.95).
  CKA    centre; |Y^T X|_F^2 / (|X^T X|_F |Y^T Y|_F) (Kornblith et al. 2019); angular: arccos(CKA).
  Shape  netrep's LinearMetric (Williams et al. 2021) as published in ahwillia/netrep: zero-pad
         the narrower matrix, centre, partial whitening netrep.utils.whiten(alpha) (copied below),
         SVD alignment, angular distance of the aligned matrices.
  Perm   netrep's PermutationMetric: zero-pad, centre, scipy.optimize.linear_sum_assignment of
         X^T Y (maximise), angular distance after permuting.
"""
import numpy as np
import scipy
import scipy.linalg
import scipy.optimize

SAMPLES, X_UNITS, Y_UNITS, LATENT = 200, 8, 6, 3
rng = np.random.default_rng(20240907)

# Two populations driven by a shared 3-d latent, with unequal unit scales (distinct PCA
# variances), private noise and offsets (centring matters).
z = rng.normal(size=(SAMPLES, LATENT))
x = (z @ rng.normal(size=(LATENT, X_UNITS)) + 0.5 * rng.normal(size=(SAMPLES, X_UNITS))) * np.linspace(0.5, 2.0, X_UNITS)
x += rng.normal(size=X_UNITS) * 3.0
y = np.tanh(z @ rng.normal(size=(LATENT, Y_UNITS))) + 0.4 * rng.normal(size=(SAMPLES, Y_UNITS)) + 1.0


def centre(a):
    return a - a.mean(axis=0)


def pca(a):
    u, s, vt = scipy.linalg.svd(centre(a), full_matrices=False)
    v = vt.T
    for k in range(v.shape[1]):
        if v[np.argmax(np.abs(v[:, k])), k] < 0:
            v[:, k] = -v[:, k]
    var = s**2 / (a.shape[0] - 1)
    return v, var, s**2 / np.sum(s**2), centre(a) @ v


def cca(a, b):
    qa = scipy.linalg.qr(centre(a), mode="economic")[0]
    qb = scipy.linalg.qr(centre(b), mode="economic")[0]
    return scipy.linalg.svd(qa.T @ qb, compute_uv=False)


def svcca(a, b, fraction):
    def reduce(m):
        u, s, _ = scipy.linalg.svd(centre(m), full_matrices=False)
        cum = np.cumsum(s**2) / np.sum(s**2)
        k = int(np.argmax(cum >= fraction - 1e-12)) + 1
        return u[:, :k] * s[:k], k
    ra, ka = reduce(a)
    rb, kb = reduce(b)
    rho = cca(ra, rb)
    return ka, kb, rho, np.mean(rho)


def cka(a, b):
    a, b = centre(a), centre(b)
    return np.linalg.norm(b.T @ a) ** 2 / (np.linalg.norm(a.T @ a) * np.linalg.norm(b.T @ b))


def zero_pad(a, b):
    n = max(a.shape[1], b.shape[1])
    pad = lambda m: np.hstack([m, np.zeros((m.shape[0], n - m.shape[1]))])
    return pad(a), pad(b)


def whiten(X, alpha, preserve_variance=True, eigval_tol=1e-7):
    """netrep.utils.whiten (ahwillia/netrep)."""
    if alpha > (1 - eigval_tol):
        return X, np.eye(X.shape[1])
    lam, V = np.linalg.eigh(X.T @ X)
    lam = np.maximum(lam, eigval_tol)
    d = alpha + (1 - alpha) * lam ** (-1 / 2)
    if preserve_variance:
        new_var = np.sum((alpha**2) * lam + 2 * alpha * (1 - alpha) * (lam**0.5) + ((1 - alpha) ** 2) * np.ones_like(lam))
        d *= np.sqrt(np.sum(lam) / new_var)
    Z = (V * d[None, :]) @ V.T
    return X @ Z, Z


def angular_distance(a, b):
    corr = np.dot(a.ravel(), b.ravel()) / (np.linalg.norm(a.ravel()) * np.linalg.norm(b.ravel()))
    return np.arccos(np.clip(corr, -1.0, 1.0))


def shape_distance(a, b, alpha):
    a, b = zero_pad(a, b)
    aw, _ = whiten(centre(a), alpha)
    bw, _ = whiten(centre(b), alpha)
    u, _, vt = np.linalg.svd(aw.T @ bw)
    return angular_distance(aw @ u, bw @ vt.T)


def permutation_distance(a, b):
    a, b = zero_pad(centre(a), centre(b))
    rows, cols = scipy.optimize.linear_sum_assignment(a.T @ b, maximize=True)
    return angular_distance(a[:, rows], b[:, cols]), cols


blocks = [("x", x), ("y", y)]
v, var, ratio, proj = pca(x)
blocks += [("pca.components", v), ("pca.explained_variance", var[None, :]), ("pca.explained_variance_ratio", ratio[None, :]),
           ("pca.projections_head", proj[:10])]
blocks.append(("cca.correlations", cca(x, y)[None, :]))
for fraction in (0.95, 0.6, 1.0):
    kx, ky, rho, sim = svcca(x, y, fraction)
    tag = f"svcca.{fraction:g}"
    blocks += [(tag + ".dimensions", np.array([[kx, ky]], dtype=float)), (tag + ".correlations", rho[None, :]),
               (tag + ".similarity", np.array([[sim]])), (tag + ".distance", np.array([[1 - sim]]))]
c = cka(x, y)
blocks += [("cka", np.array([[c]])), ("cka.angular", np.array([[np.arccos(c)]]))]
for alpha in (1.0, 0.5, 0.0):
    blocks.append((f"shape.{alpha:g}", np.array([[shape_distance(x, y, alpha)]])))
d, cols = permutation_distance(x, y)
blocks += [("permutation.distance", np.array([[d]])), ("permutation.matching", cols[None, :X_UNITS].astype(float))]

# Linear assignment on its own: a square cost, a wide one, and small integers (ties): the optimal
# total (the assignment itself is not unique under ties).
for name, cost in (("square", rng.normal(size=(9, 9))), ("wide", rng.uniform(size=(5, 8))),
                   ("ties", rng.integers(0, 4, size=(7, 7)).astype(float))):
    rows, cols = scipy.optimize.linear_sum_assignment(cost)
    blocks += [(f"lsa.{name}.cost", cost), (f"lsa.{name}.total", np.array([[cost[rows, cols].sum()]]))]
    if name != "ties":
        blocks.append((f"lsa.{name}.columns", cols[None, :].astype(float)))

print(f"# numpy {np.__version__}, scipy {scipy.__version__}: {SAMPLES} samples, x {X_UNITS} units, y {Y_UNITS} units")
for name, t in blocks:
    rows, cols = t.shape
    print(f"{name} {rows} {cols}")
    for row in t.tolist():
        print(" ".join(f"{v:.17g}" for v in row))
