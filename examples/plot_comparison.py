#!/usr/bin/python3
"""Draws examples/compare_networks' HDF5 file: the MDS embedding of each distance matrix (DSA,
CKA, Procrustes, attractor topology), networks coloured by their time-constant heterogeneity, with the silhouette of
the two groups; and each network's fixed points, stable and unstable.
Usage: /usr/bin/python3 examples/plot_comparison.py neurode-compare-networks.h5 comparison.png"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def main(path, png):
    with h5py.File(path, "r") as f:
        heterogeneity = f["networks/heterogeneity"][:]
        accuracy = f["networks/accuracy"][:]
        metrics = [m for m in ("dsa", "cka", "procrustes", "topology") if m in f]
        fig, axes = plt.subplots(1, len(metrics) + 1, figsize=(4 * (len(metrics) + 1), 3.6))
        colours = np.where(heterogeneity > 0, "tab:orange", "tab:blue")
        for ax, metric in zip(axes, metrics):
            points = f[f"{metric}/mds"][:]
            ax.scatter(points[:, 0], points[:, 1], c=colours, s=60, edgecolor="k")
            ax.set_title(f"{metric.upper()} (MDS), silhouette {f[metric + '/silhouette'][0]:.2f}")
            ax.set_xticks([])
            ax.set_yticks([])
        ax = axes[-1]
        networks = sorted(f["fixed_points"].keys(), key=lambda k: int(k.split("_")[1]))
        for k, name in enumerate(networks):
            stable = f[f"fixed_points/{name}/stable"][:]
            ax.bar(k, stable.sum(), color=colours[k], edgecolor="k")
            ax.bar(k, len(stable) - stable.sum(), bottom=stable.sum(), color="white", edgecolor=colours[k], hatch="//")
        ax.set_xticks(range(len(networks)), [f"{a:.2f}" for a in accuracy], rotation=45)
        ax.set_xlabel("network (validation accuracy)")
        ax.set_ylabel("fixed points (hatched: unstable)")
        ax.set_title("fixed points, no input")
        handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=l)
                   for c, l in (("tab:blue", "H0 homogeneous"), ("tab:orange", "H3 heterogeneous"))]
        fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
        fig.savefig(png, dpi=120)
    print(f"wrote {png}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
