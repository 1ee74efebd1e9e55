#!/usr/bin/python3
"""Reads the compare_networks example's file with h5py, independently of neurode, and checks it:
every distance matrix is symmetric with a zero diagonal and non-negative entries, its MDS
embedding has one 2-D point per network whose distances follow the matrix's order, silhouettes
lie in [-1, 1], and every network has its fixed points with a stability flag each."""
import sys

import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["format"] == "neurode-network-comparison", f.attrs["format"]
    n = f["networks/accuracy"].shape[0]
    assert f["networks/heterogeneity"].shape == (n,)
    for metric in ("dsa", "cka", "procrustes", "topology"):
        d = f[f"{metric}/distances"][:]
        assert d.shape == (n, n), (metric, d.shape)
        assert np.allclose(d, d.T) and np.all(np.diag(d) == 0) and np.all(d >= 0), metric
        points = f[f"{metric}/mds"][:]
        assert points.shape == (n, 2), (metric, points.shape)
        embedded = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=-1)
        upper = np.triu_indices(n, 1)
        if np.ptp(d[upper]) > 0:  # an embedding keeps the largest distance larger than the smallest
            assert embedded[upper][np.argmax(d[upper])] > embedded[upper][np.argmin(d[upper])], metric
        assert -1 <= f[f"{metric}/silhouette"][0] <= 1, metric
    assert len(f["fixed_points"]) == n
    for k in range(n):
        stable = f[f"fixed_points/network_{k}/stable"][:]
        assert set(np.unique(stable)) <= {0.0, 1.0}, k
        assert f[f"fixed_points/network_{k}/spectral_radius"].shape == stable.shape, k
print("h5py read the compare_networks file: distances, embeddings and fixed points are consistent")
