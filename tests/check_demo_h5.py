#!/usr/bin/python3
"""Reads the demo's HDF5 output with h5py (an independent reader) and checks the documented
layout (docs/hdf5-layout.md) and the physics: the recorded voltage at the injection site rises
toward the cable equation's steady state and relaxes back to rest."""
import sys

import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["format"] == "neurode-simulation", f.attrs["format"]
    assert f.attrs["format_version"] == 1
    rec = f["recordings/v"]
    t = rec["time"][:]
    v = rec["values"][:]
    assert rec["time"].attrs["unit"] == "ms"
    assert rec["values"].attrs["unit"] == "mV"
    columns = [c.decode() for c in rec["columns"][:]]
    assert columns[0] == "v[0]", columns
    assert v.shape == (t.size, len(columns)), (v.shape, t.size)
    assert np.allclose(np.diff(t), 0.5), "samples must lie on the 0.5 ms grid"
    assert abs(v[0, 0] + 65.0) < 1e-9, "starts at rest"
    peak = v[:, 0].max()
    assert -15.0 < peak < -14.0, peak   # steady state of the default stimulus: -14.408 mV
    assert abs(v[-1, 0] + 65.0) < 0.5, "relaxes back towards rest after the stimulus"
    assert f["solver"].attrs["steps"] > 0
    assert f["solver"].attrs["method"] == "cvode_bdf"
print("h5py read the demo file: layout and values as documented")
