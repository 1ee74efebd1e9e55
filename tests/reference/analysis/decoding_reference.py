#!/usr/bin/python3
"""scikit-learn 1.2 reference for neurode's cross-validated decoding (memory curves): features
[trials][steps][units] and targets [trials][steps][outputs] generated here; for each fold (a
trial's fold id, e.g. its repeat), sklearn.linear_model.Ridge(alpha = 2, intercept) fitted on
every sample of the other folds' trials predicts the held-out trials; then r2_score (uniform
average over outputs) per time step and the mean squared error over everything. Written as
"name rows cols" blocks (tests/support/reference_files.hpp: read_blocks).
Re-run: /usr/bin/python3 tests/reference/analysis/decoding_reference.py > tests/reference/analysis/decoding_reference.txt"""
import numpy as np
import sklearn
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score

from blocks import block


rng = np.random.default_rng(11)
trials, steps, units, outputs = 12, 8, 5, 2
targets = np.repeat(rng.normal(size=(trials, 1, outputs)), steps, axis=1)  # a cue value held over time
decay = np.exp(-np.arange(steps) / 4.0)[None, :, None]                     # memory fading with time
mixing = rng.normal(size=(outputs, units))
features = decay * (targets @ mixing) + 0.3 * rng.normal(size=(trials, steps, units))
folds = np.arange(trials) % 4
predictions = np.zeros_like(targets)
for k in range(4):
    train, test = folds != k, folds == k
    model = Ridge(alpha=2.0).fit(features[train].reshape(-1, units), targets[train].reshape(-1, outputs))
    predictions[test] = model.predict(features[test].reshape(-1, units)).reshape(-1, steps, outputs)
print(f"# scikit-learn {sklearn.__version__}")
block("features", features.reshape(trials, -1))
block("targets", targets.reshape(trials, -1))
block("folds", folds[None, :])
block("r2_per_step", [[r2_score(targets[:, s], predictions[:, s]) for s in range(steps)]])
block("mse", [[np.mean((predictions - targets) ** 2)]])
