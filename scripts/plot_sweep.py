"""Figures of a sweep from its summary.h5 (written by `neurode sweep`):

  sweep-accuracy.png     test accuracy per task against the heterogeneity level, one dot per
                         network (network-to-network variability), the mean as a line
  sweep-robustness.png   accuracy lost under each perturbation kind, P0..P5, mean per task
  sweep-dynamics.png     angular CKA distance of the perturbed dynamics from the unperturbed
                         (both over the networks that reached criterion, as the report's table,
                         or over all when none did)
  sweep-variability.png  sd over networks of the test accuracy per task (memory tasks hatched)

usage: /usr/bin/python3 plot_sweep.py SUMMARY.h5 FIGURES_DIR
"""
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

TASK_ORDER = ["go", "dly_go", "anti", "dly_anti", "msdm", "dly_msdm"]


def text(values):
    return [v.decode() if isinstance(v, bytes) else v for v in values]


def save(fig, directory, name):
    fig.tight_layout()
    fig.savefig(os.path.join(directory, name), dpi=110)
    plt.close(fig)


def main():
    summary, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with h5py.File(summary, "r") as f:
        tasks = np.array(text(f["points/task"][:]))
        levels = f["points/heterogeneity"][:]
        accuracy = f["points/accuracy"][:]
        reached = f["points/reached_criterion"][:]
        kinds = sorted(f["perturb"].keys()) if "perturb" in f else []
        perturbed = {k: f["perturb"][k]["accuracy"][:] for k in kinds}
        cka = {k: f["perturb"][k]["cka_distance"][:] for k in kinds if "cka_distance" in f["perturb"][k]}
    names = [t for t in TASK_ORDER if t in set(tasks)] + sorted(set(tasks) - set(TASK_ORDER))
    hs = sorted(set(levels))

    fig, axes = plt.subplots(1, len(names), figsize=(2.6 * len(names), 2.8), sharey=True, squeeze=False)
    for ax, task in zip(axes[0], names):
        for h in hs:
            sel = (tasks == task) & (levels == h)
            ax.scatter(np.full(sel.sum(), h) + np.linspace(-0.15, 0.15, sel.sum()), accuracy[sel], s=12,
                       c=np.where(reached[sel] == 1, "C2", "C0"))
        ax.plot(hs, [accuracy[(tasks == task) & (levels == h)].mean() for h in hs], "k-", lw=1)
        ax.set_title(task)
        ax.set_xlabel("heterogeneity H")
        ax.set_xticks(hs)
    axes[0][0].set_ylabel("test accuracy")
    fig.suptitle("one dot per network (green: reached criterion); line: mean", fontsize=9)
    save(fig, out, "sweep-accuracy.png")

    if kinds:
        for name, values, ylabel in (("sweep-robustness.png", {k: perturbed[k][:, :1] - perturbed[k] for k in kinds},
                                      "accuracy lost (P0 - Pk)"),
                                     ("sweep-dynamics.png", cka, "angular CKA distance")):
            if not values:
                continue
            fig, axes = plt.subplots(1, len(values), figsize=(2.6 * len(values), 2.8), sharey=True, squeeze=False)
            trained = reached == 1 if reached.any() else np.ones_like(reached, dtype=bool)
            for ax, kind in zip(axes[0], sorted(values)):
                for i, task in enumerate(names):
                    if not (trained & (tasks == task)).any():
                        continue
                    v = values[kind][trained & (tasks == task)]
                    ax.plot(range(v.shape[1]), v.mean(axis=0), marker="o", ms=3, color="C%d" % i,
                            ls="--" if task.startswith("dly_") else "-", label=task)
                ax.set_title(kind.replace("_", " "))
                ax.set_xlabel("perturbation level P")
            axes[0][0].set_ylabel(ylabel)
            axes[0][-1].legend(fontsize=7)
            save(fig, out, name)

    fig, ax = plt.subplots(figsize=(5, 3))
    spread = [np.mean([np.std(accuracy[(tasks == t) & (levels == h)], ddof=1) for h in hs
                       if ((tasks == t) & (levels == h)).sum() > 1] or [np.nan]) for t in names]
    bars = ax.bar(names, spread, color=["C1" if t.startswith("dly_") else "C0" for t in names])
    for bar, task in zip(bars, names):
        if task.startswith("dly_"):
            bar.set_hatch("//")
    ax.set_ylabel("sd of test accuracy over networks")
    ax.set_title("network-to-network variability\n(memory tasks hatched)", fontsize=10)
    save(fig, out, "sweep-variability.png")
    print("figures in", out)


main()
