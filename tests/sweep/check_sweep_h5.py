"""Reads a sweep's point records and its summary.h5 with h5py (an independent reader) and
checks that the summary holds what the records say, and that the report's accuracy table
(mean over networks per task and heterogeneity level) follows from the records.

usage: check_sweep_h5.py SWEEP_DIR
"""
import glob
import os
import re
import sys

import h5py
import numpy as np

directory = sys.argv[1]
records = {}
for path in sorted(glob.glob(os.path.join(directory, "points", "*.h5"))):
    with h5py.File(path, "r") as f:
        point = f["point"].attrs
        records[int(f.attrs["index"])] = {
            "task": point["task"].decode() if isinstance(point["task"], bytes) else point["task"],
            "h": int(point["heterogeneity"]),
            "accuracy": float(f["evaluate"].attrs["accuracy"]),
            "perturb": {k: np.array(f["perturb"][k]["accuracy"]) for k in f["perturb"]},
            "cka": {k: np.array(f["perturb"][k]["cka_distance"]) for k in f["perturb"]},
        }
        # P0 is the unperturbed network on the same trials: its accuracy is the evaluation's,
        # and its dynamics are at distance 0 from themselves.
        for kind, acc in records[int(f.attrs["index"])]["perturb"].items():
            assert acc[0] == records[int(f.attrs["index"])]["accuracy"], (path, kind)
            assert abs(records[int(f.attrs["index"])]["cka"][kind][0]) < 1e-6, (path, kind)

with h5py.File(os.path.join(directory, "summary.h5"), "r") as s:
    index = list(s["points/index"][:])
    assert sorted(index) == sorted(records), (index, sorted(records))
    for row, p in enumerate(index):
        assert s["points/accuracy"][row] == records[p]["accuracy"]
        for kind in records[p]["perturb"]:
            assert np.array_equal(s["perturb"][kind]["accuracy"][row], records[p]["perturb"][kind])

# The report's accuracy table: "| task | mean ± sd (k/n) | ..." per heterogeneity level.
report = open(os.path.join(directory, "report.md")).read()
table = report.split("## Test accuracy")[1].split("##")[0]
levels = [int(h) for h in re.findall(r"\| H(\d+)", table)]
for line in table.splitlines():
    cells = [c.strip() for c in line.strip("|").split("|")]
    if len(cells) != len(levels) + 1 or cells[0] in ("task", "---") or cells[0].startswith("-"):
        continue
    for h, cell in zip(levels, cells[1:]):
        values = [r["accuracy"] for r in records.values() if r["task"] == cells[0] and r["h"] == h]
        assert abs(float(cell.split()[0]) - np.mean(values)) <= 0.005 + 1e-12, (cells[0], h, cell, values)
print("sweep file ok:", len(records), "records")
