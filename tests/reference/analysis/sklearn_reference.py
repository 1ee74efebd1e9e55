#!/usr/bin/python3
"""scikit-learn 1.2 reference values for neurode's embedding and classification tests
(tests/analysis/embedding_test.cpp), on data generated here from a fixed seed and written with
the results as "name rows cols" blocks (tests/support/reference_files.hpp: read_blocks):
  - metric SMACOF (sklearn.manifold.smacof, n_init 1, the stored init, max_iter 300, eps 1e-3):
    final configuration, stress and iteration count; classical MDS is checked analytically;
  - silhouette_score on Euclidean points and on a precomputed distance matrix;
  - LogisticRegression (lbfgs, L2, C = 0.5, tolerance 1e-12) on a binary and a 3-class problem:
    coefficients, intercepts, and cross-validated accuracy on stored fold ids.
Re-run: /usr/bin/python3 tests/reference/analysis/sklearn_reference.py > tests/reference/analysis/sklearn_reference.txt"""
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import smacof
from sklearn.metrics import pairwise_distances, silhouette_score

from blocks import block


rng = np.random.default_rng(7)
print(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}")

# MDS: 12 points in 4-D, their distances, an init in 2-D.
points = rng.normal(size=(12, 4))
d = pairwise_distances(points)
init = rng.uniform(size=(12, 2))
x, stress, iterations = smacof(d, metric=True, n_components=2, init=init, n_init=1, max_iter=300, eps=1e-3,
                               return_n_iter=True)
block("mds_dissimilarities", d)
block("mds_init", init)
block("mds_embedding", x)
block("mds_stress", [[stress, iterations]])

# Silhouette: 3 clusters of 10 points in 3-D.
centres = np.array([[0, 0, 0], [3, 0, 0], [0, 3, 1]], dtype=float)
labels = np.repeat(np.arange(3), 10)
cluster_points = centres[labels] + rng.normal(scale=1.0, size=(30, 3))
block("silhouette_points", cluster_points)
block("silhouette_labels", labels[None, :])
block("silhouette_score", [[silhouette_score(cluster_points, labels),
                            silhouette_score(pairwise_distances(cluster_points), labels, metric="precomputed")]])

# Logistic regression: binary and 3-class, 60 samples, 4 features; 5 stored folds.
for name, classes in (("binary", 2), ("multiclass", 3)):
    y = np.repeat(np.arange(classes), 60 // classes)
    features = rng.normal(size=(60, 4)) + 0.8 * y[:, None] * np.array([1.0, -0.5, 0.3, 0.0])
    folds = rng.permutation(np.arange(60) % 5)
    model = LogisticRegression(C=0.5, tol=1e-12, max_iter=100000).fit(features, y)
    correct = 0
    for k in range(5):
        train, test = folds != k, folds == k
        fold_model = LogisticRegression(C=0.5, tol=1e-12, max_iter=100000).fit(features[train], y[train])
        correct += (fold_model.predict(features[test]) == y[test]).sum()
    block(f"logistic_{name}_features", features)
    block(f"logistic_{name}_labels", y[None, :])
    block(f"logistic_{name}_folds", folds[None, :])
    block(f"logistic_{name}_coef", model.coef_)
    block(f"logistic_{name}_intercept", model.intercept_[None, :])
    block(f"logistic_{name}_cv_accuracy", [[correct / 60.0]])
