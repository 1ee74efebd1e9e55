#!/usr/bin/python3
"""Reference ridge-regression readouts for neurode's readout tests (tests/rnn/readout_test.cpp),
solved without centring: the bias is an extra feature of constant 1 whose penalty is 0, i.e.
    [W b] = argmin sum_s w_s |y_s - W x_s - b|^2 + lambda |W|^2
from the normal equations (X1 diag(w) X1^T + diag(lambda, ..., lambda, 0)) [W b]^T = X1 diag(w) Y^T
with scipy.linalg.solve, or scipy.linalg.lstsq when lambda = 0. Re-run with Debian's python3-scipy:
    /usr/bin/python3 tests/reference/ridge_reference.py > tests/reference/ridge_reference.txt

Format: '#' lines are comments; every other block is a header line 'name rows cols' followed by
rows * cols numbers in row-major order. Sequences are [trials * steps] x channels, trial-major
(neurode's [trials][steps][channels] layout). Per case: weights W [outputs x features], bias b
[outputs x 1], and for 'weighted' the weighted R^2 of its own fit (scikit-learn's r2_score with
sample weights, uniform average over outputs)."""
import numpy as np
import scipy
import scipy.linalg

TRIALS, STEPS, FEATURES, OUTPUTS = 3, 20, 4, 2
rng = np.random.default_rng(20240612)

# Correlated features far from 0 (so that an uncentred fit would differ), targets linear in them
# plus noise, a transient in the first steps that warm-up must drop.
mix = rng.normal(size=(FEATURES, FEATURES))
x = rng.normal(size=(TRIALS, STEPS, FEATURES)) @ mix + 5.0
true_w = rng.normal(size=(OUTPUTS, FEATURES))
y = x @ true_w.T + np.array([1.5, -2.0]) + 0.3 * rng.normal(size=(TRIALS, STEPS, OUTPUTS))
y[:, :3, :] += 40.0
sample_w = rng.uniform(0.5, 2.0, size=(TRIALS, STEPS))
sample_w[rng.uniform(size=(TRIALS, STEPS)) < 0.2] = 0.0
output_w = (rng.uniform(size=(TRIALS, STEPS, OUTPUTS)) < 0.7).astype(float)

blocks = [("features", x.reshape(-1, FEATURES)), ("targets", y.reshape(-1, OUTPUTS)),
          ("sample_weights", sample_w.reshape(-1, 1)), ("output_weights", output_w.reshape(-1, OUTPUTS))]


def fit(lam, warmup, bias, w):
    """w: [trials, steps] weights of one fit; returns W (outputs x features), b (outputs)."""
    X = x[:, warmup:, :].reshape(-1, FEATURES)
    Y = y[:, warmup:, :].reshape(-1, OUTPUTS)
    ws = w[:, warmup:].reshape(-1)
    X1 = np.hstack([X, np.ones((X.shape[0], 1))]) if bias else X
    penalty = np.full(X1.shape[1], lam)
    if bias:
        penalty[-1] = 0.0
    if lam == 0:
        sq = np.sqrt(ws)[:, None]
        beta = scipy.linalg.lstsq(X1 * sq, Y * sq)[0]
    else:
        beta = scipy.linalg.solve(X1.T @ (ws[:, None] * X1) + np.diag(penalty), X1.T @ (ws[:, None] * Y),
                                  assume_a="sym")
    W = beta[:FEATURES].T
    b = beta[FEATURES] if bias else np.zeros(OUTPUTS)
    return W, b


def put_fit(name, W, b):
    blocks.append((name + ".W", W))
    blocks.append((name + ".b", b.reshape(-1, 1)))


ones = np.ones((TRIALS, STEPS))
# lambda 0.5, warm-up 3, bias, a weight per sample.
W, b = fit(0.5, 3, True, sample_w)
put_fit("weighted", W, b)
pred = x[:, 3:, :] @ W.T + b
tgt, ws = y[:, 3:, :], sample_w[:, 3:]
r2 = []
for k in range(OUTPUTS):
    mean = np.sum(ws * tgt[..., k]) / np.sum(ws)
    r2.append(1 - np.sum(ws * (tgt[..., k] - pred[..., k]) ** 2) / np.sum(ws * (tgt[..., k] - mean) ** 2))
blocks.append(("weighted.r2", np.array([[np.mean(r2)]])))
# Ordinary least squares with intercept: lambda 0, no warm-up, no weights.
put_fit("ols", *fit(0.0, 0, True, ones))
# Through the origin: lambda 0.7, warm-up 2, no weights (RLS with alpha 0.7 must match it).
put_fit("nobias", *fit(0.7, 2, False, ones))
# A weight per sample and output: each output its own fit (lambda 0.3, warm-up 3).
Wp, bp = np.zeros((OUTPUTS, FEATURES)), np.zeros(OUTPUTS)
for k in range(OUTPUTS):
    Wk, bk = fit(0.3, 3, True, output_w[..., k])
    Wp[k], bp[k] = Wk[k], bk[k]
put_fit("per_output", Wp, bp)

print(f"# numpy {np.__version__}, scipy {scipy.__version__}: {TRIALS} trials x {STEPS} steps, "
      f"{FEATURES} features, {OUTPUTS} outputs")
for name, t in blocks:
    rows, cols = t.shape
    print(f"{name} {rows} {cols}")
    for row in t.tolist():
        print(" ".join(f"{v:.17g}" for v in row))
