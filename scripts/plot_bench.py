#!/usr/bin/python3
"""Work-precision diagrams from a `neurode bench` HDF5 file, one PNG per problem:

    /usr/bin/python3 scripts/plot_bench.py neurode-bench.h5 FIGURE_DIR

Each figure has two panels with the problem's error on the x axis (log): the median wall time
(left) and the right-hand-side evaluations (right, the machine-independent work: the integrator's
own plus those its difference-quotient Jacobians and Jv products took). One line per method,
its ladder's settings joined from coarse to fine. Filled markers: complete runs; hollow: runs
that missed or added spikes under the spike-time measure, which reach no accuracy level.
Stars: the fastest run per accuracy level (the report's advice); dotted verticals: the accuracy
levels. Runs that failed, ran past the budget, do not apply or ran to a non-finite solution
are listed under the panels.
Files: FIGURE_DIR/bench-<problem>.png. Needs Debian's python3-h5py and python3-matplotlib.
"""
import math
import os
import sys
import textwrap

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

MEASURE_LABELS = {
    "relative_l2": "relative L2 error",
    "rms": "RMS error",
    "spike_time": "spike-time error",
    "first_spike": "first-spike error",
}


def strings(dataset):
    return [s.decode() if isinstance(s, bytes) else str(s) for s in dataset[()]]


def attribute(group, name):
    value = group.attrs[name]
    return value.decode() if isinstance(value, bytes) else value


def draw(name, group, directory):
    runs = group["runs"]
    if "configuration" not in runs:
        return None
    configuration = strings(runs["configuration"])
    status = strings(runs["status"])
    message = strings(runs["message"])
    setting = runs["setting"][()]
    error = runs["error"][()]
    complete = runs["complete"][()]
    wall = runs["wall_median_s"][()]
    rhs = runs["counters/rhs_evaluations"][()] + runs["counters/jacobian_rhs_evaluations"][()]
    unit = attribute(group, "error_unit")
    measure = attribute(group, "measure")
    levels = group["accuracy_levels"][()]
    advice = [int(k) for k in group["advice/measurement"][()] if k >= 0]

    figure, axes = plt.subplots(1, 2, figsize=(13, 6.2))
    names = list(dict.fromkeys(configuration))
    colours = plt.get_cmap("tab10")
    not_shown = []
    for c, method in enumerate(names):
        rows = [k for k in range(len(configuration)) if configuration[k] == method]
        ok = [k for k in rows if status[k] == "ok" and math.isfinite(error[k]) and error[k] > 0]
        # Ten colours, then the same colours dashed: every method keeps a distinct look.
        colour = colours(c % 10)
        style = "-" if c < 10 else "--"
        marker = "osD^v<>ph*XP"[c % 12]
        for ax, cost in ((axes[0], wall), (axes[1], rhs)):
            if not ok:
                continue
            ax.plot([error[k] for k in ok], [max(cost[k], 1e-9) for k in ok], style, color=colour, alpha=0.7, lw=1.2)
            for k in ok:
                ax.plot(error[k], max(cost[k], 1e-9), marker, color=colour, ms=6,
                        markerfacecolor=colour if complete[k] else "white", label=None)
        if ok:
            axes[0].plot([], [], style + marker, color=colour, label=method)
        reasons = []
        blown = [k for k in rows if status[k] == "ok" and not math.isfinite(error[k])]
        if blown:
            reasons.append("error not finite at " + ", ".join(f"{setting[k]:g}" for k in blown))
        for state in ("failed", "over_budget", "not_applicable"):
            hit = [k for k in rows if status[k] == state]
            if state == "not_applicable" and hit:
                reasons.append("not applicable: " + message[hit[0]][:90])
            elif hit:
                reasons.append(state.replace("_", " ") + " at " + ", ".join(f"{setting[k]:g}" for k in hit))
        if reasons:
            not_shown.append(f"{method}: " + "; ".join(reasons))
    for k in advice:
        axes[0].plot(error[k], wall[k], "*", color="black", ms=14, markerfacecolor="none", mew=1.3)
    for ax in axes:
        for level in levels:
            ax.axvline(level, color="grey", lw=0.6, ls=":")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(MEASURE_LABELS.get(measure, measure) + (f" [{unit}]" if unit else ""))
        ax.grid(True, which="major", alpha=0.25)
    axes[0].set_ylabel("wall time, median of repeats [s]")
    axes[1].set_ylabel("RHS evaluations")
    axes[0].plot([], [], "*", color="black", ms=12, markerfacecolor="none", label="fastest per accuracy level")
    axes[0].plot([], [], "o", color="grey", markerfacecolor="white", label="missed or extra spikes (incomplete)")
    figure.legend(*axes[0].get_legend_handles_labels(), loc="center right", fontsize=8, frameon=False)
    title = f"{name}: " + attribute(group, "description")
    figure.suptitle("\n".join(textwrap.wrap(title, 130)), fontsize=10)
    footer = "\n".join(textwrap.wrap(" | ".join(not_shown), 190)) if not_shown else ""
    figure.text(0.01, 0.01, footer, fontsize=6.5, va="bottom", family="monospace")
    figure.subplots_adjust(left=0.07, right=0.80, top=0.88, bottom=0.12 + 0.018 * footer.count("\n"), wspace=0.25)
    path = os.path.join(directory, f"bench-{name}.png")
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, directory = sys.argv[1], sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    with h5py.File(source, "r") as f:
        if attribute(f, "format") != "neurode-bench":
            sys.exit(f"plot_bench: {source} is not a neurode bench file")
        for name, group in f["problems"].items():
            path = draw(name, group, directory)
            if path:
                print(path)


if __name__ == "__main__":
    main()
