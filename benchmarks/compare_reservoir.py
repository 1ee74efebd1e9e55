#!/usr/bin/python3
"""Compares the spike trains of reservoir benchmark runs (neurode's reservoir_network and
benchmarks/reservoir_neuron.py write them) against a reference run and prints a markdown table.

    /usr/bin/python3 benchmarks/compare_reservoir.py reference.json run1.json [run2.json ...]
        [--json rows.json] [--window 1.0]

Every file holds "spikes" (one sorted list of spike times [ms] per cell, the same cells in the
same order in every file), "wall_s_median" [s] and, to label it, "label" (optional), "simulator",
"method", "dt_ms" (null or 0 for variable steps) and optionally "trials" (trials per wall time).
Per run, against the reference:
- first-spike error: mean over the cells that spike in both of |t_first - t_first_ref| [ms];
- matching: per cell, spikes are paired one to one, greedily in time order (walk both sorted
  trains; pair the two earliest unpaired spikes when they are within the window, else drop the
  earlier one); recall = paired / reference spikes, precision = paired / run spikes;
- mean |dt| over the paired spikes [ms]; the total spike count;
- wall time, per trial, and its ratio to NEURON's fixed-step run (the file whose simulator starts
  with "NEURON" and whose method is "fixed", the reference included; the first if several).
The reference is the table's first row.
"""
import argparse
import json
import math
import os
import sys


def fail(message):
    sys.exit(f"compare_reservoir: {message}")


def load(path):
    with open(path) as handle:
        run = json.load(handle)
    if "spikes" not in run or not isinstance(run["spikes"], list):
        fail(f"{path}: no 'spikes' list")
    run["spikes"] = [sorted(float(t) for t in cell) for cell in run["spikes"]]
    run["_path"] = path
    return run


def variable_step(run):
    dt = run.get("dt_ms")
    return dt is None or dt == 0


def label(run):
    if run.get("label"):
        return str(run["label"])
    parts = [str(run.get("simulator", os.path.basename(run["_path"]))), str(run.get("method", "?"))]
    if not variable_step(run):
        parts.append(f"dt {run['dt_ms']:g}")
    return " ".join(parts)


def match(reference, run, window):
    """Greedy one-to-one pairing in time order: [(t_ref, t_run)] with |t_ref - t_run| <= window."""
    pairs, i, j = [], 0, 0
    while i < len(reference) and j < len(run):
        if abs(reference[i] - run[j]) <= window:
            pairs.append((reference[i], run[j]))
            i += 1
            j += 1
        elif run[j] < reference[i]:
            j += 1
        else:
            i += 1
    return pairs


def compare(reference, run, window):
    if len(run["spikes"]) != len(reference["spikes"]):
        fail(f"{run['_path']} has {len(run['spikes'])} cells, the reference {len(reference['spikes'])}")
    first_errors, paired, deviations = [], 0, []
    for ref_cell, run_cell in zip(reference["spikes"], run["spikes"]):
        if ref_cell and run_cell:
            first_errors.append(abs(run_cell[0] - ref_cell[0]))
        pairs = match(ref_cell, run_cell, window)
        paired += len(pairs)
        deviations += [abs(b - a) for a, b in pairs]
    ref_total = sum(len(c) for c in reference["spikes"])
    run_total = sum(len(c) for c in run["spikes"])
    mean = lambda xs: sum(xs) / len(xs) if xs else None
    trials = int(run.get("trials", 1) or 1)
    wall = run.get("wall_s_median")
    return {
        "label": label(run),
        "file": run["_path"],
        "simulator": run.get("simulator"),
        "method": run.get("method"),
        "dt_ms": None if variable_step(run) else run["dt_ms"],
        "trials": trials,
        "spikes": run_total,
        "reference_spikes": ref_total,
        "cells_spiking": sum(1 for c in run["spikes"] if c),
        "cells_spiking_in_both": len(first_errors),
        "first_spike_error_ms": mean(first_errors),
        "reference_spikes_matched": paired / ref_total if ref_total else None,
        "run_spikes_matched": paired / run_total if run_total else None,
        "mean_abs_dt_matched_ms": mean(deviations),
        "wall_s_median": wall,
        "wall_s_per_trial": wall / trials if wall is not None else None,
        "steps": run.get("steps"),
        "rhs_evaluations": run.get("rhs_evaluations"),
    }


def fmt(value, spec):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return format(value, spec)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference")
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--json", help="also write the table rows as JSON here")
    parser.add_argument("--window", type=float, default=1.0, help="matching window [ms] (default 1)")
    args = parser.parse_args()

    reference = load(args.reference)
    runs = [load(p) for p in args.runs]
    rows = [compare(reference, r, args.window) for r in [reference] + runs]
    rows[0]["reference"] = True
    baseline = next((row for row in rows if str(row["simulator"] or "").startswith("NEURON")
                     and row["method"] == "fixed" and row["wall_s_per_trial"]), None)
    for row in rows:
        row["wall_vs_neuron_fixed"] = (row["wall_s_per_trial"] / baseline["wall_s_per_trial"]
                                       if baseline and row["wall_s_per_trial"] is not None else None)

    print(f"Reference: {rows[0]['label']} ({args.reference}), {rows[0]['reference_spikes']} spikes in "
          f"{len(reference['spikes'])} cells; matching window {args.window:g} ms"
          + (f"; wall ratios against {baseline['label']}" if baseline else "; no NEURON fixed-step run: no wall ratios"))
    print()
    print("| run | method | dt [ms] | spikes | ref spikes matched | run spikes matched | first-spike error [ms] "
          "| mean abs dt matched [ms] | wall [s] | wall / NEURON fixed |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        name = row["label"] + (" (reference)" if row.get("reference") else "")
        wall = fmt(row["wall_s_median"], ".3f") + (f" / {row['trials']} trials" if row["trials"] > 1 else "")
        print(f"| {name} | {row['method'] or '-'} | {fmt(row['dt_ms'], 'g')} | {row['spikes']} "
              f"| {fmt(row['reference_spikes_matched'], '.3f')} | {fmt(row['run_spikes_matched'], '.3f')} "
              f"| {fmt(row['first_spike_error_ms'], '.4f')} | {fmt(row['mean_abs_dt_matched_ms'], '.4f')} "
              f"| {wall} | {fmt(row['wall_vs_neuron_fixed'], '.2f')} |")
    if any(row["trials"] > 1 for row in rows):
        print()
        print("Runs of several trials: the ratio is per trial; spikes are those of trial 0.")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"reference": args.reference, "window_ms": args.window, "rows": rows}, handle, indent=1)
            handle.write("\n")


if __name__ == "__main__":
    main()
