#!/usr/bin/python3
"""Raster plot and voltage traces of the ei_network example's HDF5 file (Debian's python3-h5py
and python3-matplotlib). Usage: plot_raster.py run.h5 raster.png"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

with h5py.File(sys.argv[1], "r") as f:
    cells = sorted(f["spikes"], key=lambda name: int(name.split("_")[1]))
    fig, (raster, trace) = plt.subplots(2, 1, figsize=(8, 6), sharex=True, height_ratios=[2, 1])
    for row, name in enumerate(cells):
        spikes = f["spikes"][name]
        colour = "tab:red" if spikes.attrs["population"] == "E" else "tab:blue"
        raster.plot(spikes[:], [row] * len(spikes), "|", color=colour, markersize=4)
    raster.set_ylabel("cell (E red, I blue)")
    t = f["voltage/time"][:]
    for column, label in enumerate(c.decode() for c in f["voltage/columns"][:]):
        trace.plot(t, f["voltage/values"][:, column], lw=0.8, label=label)
    trace.set_xlabel("time [ms]")
    trace.set_ylabel("V [mV]")
    trace.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)
print(f"wrote {sys.argv[2]}")
