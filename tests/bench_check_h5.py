#!/usr/bin/python3
"""Reads a `neurode bench` HDF5 file with h5py, an independent reader, and checks it:

    /usr/bin/python3 tests/bench_check_h5.py FILE [PROBLEM ...] [--figures DIR]

- the format and the machine description are there; every PROBLEM named is in the file;
- per problem: the reference's shapes, one value per run in every column, known statuses,
  finite errors and times for runs that ran, the error column equal to the problem's measure;
- the advice recomputed here from the runs (for each accuracy level, the smallest median wall
  time among runs that are ok, complete and at or below the level) equals the file's;
- with --figures, a PNG per problem in DIR.
Prints one line per problem and "bench file ok" at the end; exits non-zero on the first problem.
"""
import math
import os
import sys

import h5py
import numpy as np

STATUSES = {"ok", "failed", "over_budget", "not_applicable", "skipped"}
MACHINE = ["cpu", "cores", "memory", "os", "compiler", "build", "neurode_version", "peak_memory", "date"]


def fail(message):
    sys.exit(f"bench_check_h5: {message}")


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def strings(dataset):
    return [text(s) for s in dataset[()]]


def check_problem(name, g):
    times = g["reference/times"][()]
    values = g["reference/values"][()]
    if values.size and values.shape[0] != times.size:
        fail(f"{name}: reference values have {values.shape[0]} rows for {times.size} times")
    offsets = g["reference/spike_offsets"][()]
    if offsets[0] != 0 or offsets[-1] != g["reference/spikes"].shape[0] or np.any(np.diff(offsets) < 0):
        fail(f"{name}: spike offsets do not index the spikes")
    runs = g["runs"]
    configuration = strings(runs["configuration"])
    n = len(configuration)
    for column in ["setting", "status", "message", "error", "complete", "wall_median_s", "repeats", "peak_rss_bytes",
                   "integrator_wall_s", "errors/relative_l2", "errors/spike_time", "errors/missed",
                   "counters/steps", "counters/rhs_evaluations", "counters/jacobian_evaluations"]:
        if runs[column].shape[0] != n:
            fail(f"{name}: runs/{column} has {runs[column].shape[0]} rows, configuration {n}")
    status = strings(runs["status"])
    if set(status) - STATUSES:
        fail(f"{name}: unknown statuses {set(status) - STATUSES}")
    measure = text(g.attrs["measure"])
    error = runs["error"][()]
    by_measure = runs["errors/" + measure][()]
    wall = runs["wall_median_s"][()]
    complete = runs["complete"][()]
    walls = runs["wall_s"][()]
    for k in range(n):
        if status[k] == "ok":
            if not (math.isfinite(wall[k]) and wall[k] > 0):
                fail(f"{name}: run {k} ({configuration[k]}) is ok without a wall time")
            if not np.isclose(np.nanmedian(walls[k]), wall[k], rtol=1e-12):
                fail(f"{name}: run {k}: the median of wall_s is not wall_median_s")
            if runs["counters/steps"][k] <= 0:
                fail(f"{name}: run {k} ({configuration[k]}) is ok and made no steps")
            same = (error[k] == by_measure[k]) or (math.isnan(error[k]) and math.isnan(by_measure[k]))
            if not same:
                fail(f"{name}: run {k}: error {error[k]} is not errors/{measure} {by_measure[k]}")
        elif status[k] in ("failed", "over_budget", "not_applicable") and not text(runs["message"][k]):
            fail(f"{name}: run {k} ({configuration[k]}) is {status[k]} without a message")
    # The advice, recomputed.
    levels = g["advice/level"][()]
    chosen = g["advice/measurement"][()]
    if not np.array_equal(levels, g["accuracy_levels"][()]):
        fail(f"{name}: advice levels differ from accuracy_levels")
    for level, index in zip(levels, chosen):
        eligible = [k for k in range(n) if status[k] == "ok" and complete[k] and error[k] <= level]
        expected = min(eligible, key=lambda k: (wall[k], k)) if eligible else -1
        if index != expected:
            fail(f"{name}: at level {level} the file advises run {index}, recomputed {expected}")
    print(f"{name}: {n} runs, {status.count('ok')} ok; advice for {len(levels)} levels checked")


def main():
    args = sys.argv[1:]
    figures = None
    if "--figures" in args:
        i = args.index("--figures")
        figures = args[i + 1]
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    with h5py.File(args[0], "r") as f:
        if text(f.attrs["format"]) != "neurode-bench" or int(f.attrs["format_version"]) != 1:
            fail("not a neurode-bench file, version 1")
        for key in MACHINE:
            if "machine_" + key not in f.attrs:
                fail(f"machine description lacks {key}")
        for name in args[1:]:
            if name not in f["problems"]:
                fail(f"problem {name} missing")
        for name, g in f["problems"].items():
            check_problem(name, g)
            if figures and not os.path.isfile(os.path.join(figures, f"bench-{name}.png")):
                fail(f"no figure bench-{name}.png in {figures}")
    print("bench file ok")


if __name__ == "__main__":
    main()
