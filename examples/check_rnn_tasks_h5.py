#!/usr/bin/python3
"""Reads the rnn_tasks example's file with h5py and checks that trials and activity line up:
one group per task family, inputs/targets/mask and states/outputs with matching trial and step
counts, and epochs that tile each trial in order."""
import sys

import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    assert len(f.keys()) == 5, list(f.keys())
    for name, group in f.items():
        trials, activity = group["trials"], group["activity"]
        n, steps, _ = trials["inputs"].shape
        assert trials["targets"].shape[:2] == (n, steps), name
        assert trials["mask"].shape == trials["targets"].shape, name
        assert activity["states"].shape[:2] == (n, steps), name
        assert activity["outputs"].shape == trials["targets"].shape, name
        assert np.all(np.isfinite(activity["states"][:])), name
        ep = trials["epochs"]
        names = [s.decode() for s in ep["names"][:]]
        for required in ("fixation", "stimulus", "delay", "decision"):
            assert required in names, (name, required)
        for t in range(n):
            rows = ep["trial"][:] == t
            start, stop = ep["start"][rows], ep["stop"][rows]
            assert np.all(start <= stop) and np.all(start[1:] >= stop[:-1]), (name, t)
print("h5py read the rnn_tasks file: trials and activity line up")
