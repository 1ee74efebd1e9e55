#!/usr/bin/python3
"""Figures of a neurode working-memory study: plot_wm.py RESULTS.h5 FIGURE_DIR.

Reads only the results file (layout in docs/working-memory.md) and writes PNGs: memory curves,
rasters, dendritic/somatic voltages and cue conductances, PCA trajectories, the
abstract-vs-biophysical similarity table and, when the study searched, the search traces.
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

CUE_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]


def save(fig, out, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out, name + ".png"), dpi=130)
    plt.close(fig)


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def models(f, kind):
    return [(name, f[kind][name]) for name in f[kind]] if kind in f else []


def memory_curves(f, out):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for i, (_, g) in enumerate(models(f, "biophysical")):
        t = g["memory/time_since_cue_onset_ms"][()]
        r2 = g["memory/r2"][()]
        mean, sd = r2.mean(axis=0), r2.std(axis=0)
        line, = ax.plot(t, mean, lw=2, label=f"{text(g.attrs['name'])} (n={r2.shape[0]})")
        ax.fill_between(t, mean - sd, mean + sd, color=line.get_color(), alpha=0.2)
    for _, g in models(f, "abstract"):
        ax.plot(g["memory/time_since_cue_onset_ms"][()], g["memory/r2"][0], ls="--", lw=1.2, label=text(g.attrs["name"]))
    ax.axvspan(0, 25, color="0.85", zorder=0, label="cue")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_ylim(-0.5, 1.05)
    ax.set_xlabel("time since cue onset [ms]")
    ax.set_ylabel("cross-validated $R^2$ of the cue")
    ax.set_title("Memory curves: biophysical reservoir (solid, mean ± sd) and rate RNNs (dashed)")
    ax.legend(fontsize=7, loc="lower left")
    save(fig, out, "memory_curves")


def rasters(f, out):
    bio = models(f, "biophysical")
    fig, axes = plt.subplots(len(bio), 1, figsize=(8, 2.4 * len(bio)), sharex=True, squeeze=False)
    for ax, (_, g) in zip(axes[:, 0], bio):
        m = g["mechanisms"]
        first = m["population_first_cell"][()]
        names = [text(n) for n in m["population_names"][()]]
        tr = m["trial0"]
        cells, times = tr["spikes/cell"][()], tr["spikes/time_ms"][()]
        colours = {"E": "tab:blue", "I": "tab:red", "cue": "tab:green"}
        for k, name in enumerate(names):
            lo = first[k]
            hi = first[k + 1] if k + 1 < len(first) else cells.max(initial=lo) + 1
            sel = (cells >= lo) & (cells < hi)
            ax.scatter(times[sel], cells[sel], s=1.5, c=colours[name], label=name, linewidths=0)
        ax.axvspan(250, 275, color="0.85", zorder=0)
        ax.set_ylabel("cell")
        ax.set_title(f"{text(g.attrs['name'])}: cue ({tr.attrs['cue_x']:+.0f}, {tr.attrs['cue_y']:+.0f})", fontsize=9)
    axes[0, 0].legend(markerscale=6, fontsize=7, loc="upper right")
    axes[-1, 0].set_xlabel("time [ms]")
    save(fig, out, "rasters")


def voltages(f, out):
    bio = models(f, "biophysical")
    fig, axes = plt.subplots(len(bio), 2, figsize=(11, 2.4 * len(bio)), sharex=True, squeeze=False)
    for row, (_, g) in zip(axes, bio):
        tr = g["mechanisms/trial0"]
        t = tr["soma_v/time_ms"][()]
        row[0].plot(t, tr["tip_v/values"][:, 0], lw=0.6, color="tab:orange", label="distal dendrite")
        row[0].plot(t, tr["soma_v/values"][:, 0], lw=0.6, color="k", label="soma")
        row[0].set_ylabel("V [mV]")
        row[0].set_title(f"{text(g.attrs['name'])}: a cued E cell", fontsize=9)
        g_cue = tr["cue_g/values"][()]
        row[1].plot(tr["cue_g/time_ms"][()], g_cue.sum(axis=1) * 1e3, color="tab:purple", lw=0.8)
        row[1].set_ylabel("cue g [nS], all synapses")
        row[1].set_title(f"{text(g.attrs['receptor']).upper()} cue synapses ({g_cue.shape[1]}) on the {text(g.attrs['site'])}",
                         fontsize=9)
        for ax in row:
            ax.axvspan(250, 275, color="0.85", zorder=0)
    axes[0, 0].legend(fontsize=7)
    for ax in axes[-1]:
        ax.set_xlabel("time [ms]")
    save(fig, out, "voltages")


def pca(f, out):
    every = models(f, "biophysical") + models(f, "abstract")
    cols = 4
    rows = (len(every) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3 * rows), squeeze=False)
    for ax, (_, g) in zip(axes.flat, every):
        p = g["pca/projection"][()]
        ratio = g["pca/explained_variance_ratio"][()]
        for c in range(p.shape[0]):
            ax.plot(p[c, :, 0], p[c, :, 1], color=CUE_COLOURS[c % 4], lw=1)
            ax.plot(p[c, -1, 0], p[c, -1, 1], "o", color=CUE_COLOURS[c % 4], ms=4)
        ax.set_title(text(g.attrs["name"]), fontsize=8)
        ax.set_xlabel(f"PC1 ({100 * ratio[0]:.0f}%)", fontsize=7)
        ax.set_ylabel(f"PC2 ({100 * ratio[1]:.0f}%)" if len(ratio) > 1 else "PC2", fontsize=7)
        ax.tick_params(labelsize=6)
    for ax in list(axes.flat)[len(every):]:
        ax.axis("off")
    fig.suptitle("Trial-averaged activity per cue from cue onset (dot: trial end), top 2 PCs", fontsize=9)
    save(fig, out, "pca")


def similarity(f, out):
    c = f["comparison"]
    rows = [text(r) for r in c["rows"][()]]
    cols = [text(r) for r in c["columns"][()]]
    measures = ["CKA", "SVCCA", "Procrustes", "DSA"]
    fig, axes = plt.subplots(1, 4, figsize=(16, 1.2 + 0.6 * len(rows)))
    for ax, name in zip(axes, measures):
        m = c[name][()]
        im = ax.imshow(m, cmap="viridis" if name in ("CKA", "SVCCA") else "viridis_r", aspect="auto")
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", color="w", fontsize=7)
        ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right", fontsize=7)
        ax.set_yticks(range(len(rows)), rows if ax is axes[0] else [""] * len(rows), fontsize=7)
        ax.set_title(name + (" (1 = same)" if name in ("CKA", "SVCCA") else " distance (0 = same)"), fontsize=8)
        fig.colorbar(im, ax=ax, fraction=0.05)
    save(fig, out, "similarity")


def search(f, out):
    searched = [(n, g) for n, g in models(f, "biophysical") if "search" in g]
    if not searched:
        return
    fig, ax = plt.subplots(figsize=(7, 4))
    for _, g in searched:
        mse = g["search/mse"][()]
        line, = ax.plot(np.arange(1, len(mse) + 1), np.minimum.accumulate(np.where(np.isfinite(mse), mse, np.inf)), lw=2,
                        label=text(g.attrs["name"]))
        ax.scatter(np.arange(1, len(mse) + 1), mse, s=6, color=line.get_color(), alpha=0.5)
    ax.axhline(4, color="0.5", lw=0.8, ls=":")
    ax.set_ylim(0, 6)
    ax.set_xlabel("evaluation (Latin hypercube, then Nelder-Mead)")
    ax.set_ylabel("cross-validated MSE (dots), best so far (line)")
    ax.legend(fontsize=8)
    save(fig, out, "search")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    os.makedirs(sys.argv[2], exist_ok=True)
    with h5py.File(sys.argv[1], "r") as f:
        if text(f.attrs.get("format", "")) != "neurode-wm-study":
            sys.exit(f"{sys.argv[1]}: not a neurode working-memory study")
        for draw in (memory_curves, rasters, voltages, pca, similarity, search):
            draw(f, sys.argv[2])


if __name__ == "__main__":
    main()
