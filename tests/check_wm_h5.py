#!/usr/bin/python3
"""Reads a working-memory study's results with h5py, independently of neurode: checks the layout,
recomputes every number of the performance table from the stored per-network scores and
compares them with the table neurode printed and stored, and checks the configuration file and
the figures beside the results. Usage: check_wm_h5.py RESULTS.h5"""
import json
import os
import re
import sys

import h5py
import numpy as np


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def main(path):
    stem = os.path.splitext(path)[0]
    with h5py.File(path, "r") as f:
        assert text(f.attrs["format"]) == "neurode-wm-study", f.attrs["format"]
        config = json.loads(text(f["configuration"][0]))
        with open(stem + ".config.json") as c:
            assert json.load(c) == config, "the configuration beside the results differs from the stored one"
        table = text(f["table/performance"][0])
        rows = {}
        for line in table.splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 6 and re.match(r"^-?\d", cells[3]):
                rows[cells[0]] = cells
        models = [f["biophysical"][k] for k in f["biophysical"]] + [f["abstract"][k] for k in f["abstract"]]
        assert len(models) == len(rows), (len(models), sorted(rows))
        for g in models:
            name = text(g.attrs["name"])
            mse, r2, end = g["mse"][()], g["delay_r2"][()], g["r2_end"][()]
            sd = lambda x: np.std(x, ddof=1) if len(x) > 1 else 0.0  # noqa: E731
            expected = [f"{np.mean(mse):.3f} +- {sd(mse):.3f}", f"{np.mean(r2):.3f} +- {sd(r2):.3f}", f"{np.mean(end):.3f}"]
            assert rows[name][3:] == expected, (name, rows[name][3:], expected)
            curves = g["memory/r2"][()]
            assert curves.shape == (len(mse), len(g["memory/time_since_cue_onset_ms"])), curves.shape
            assert np.allclose(curves[:, -1], end), name
            assert g["activity/values"].ndim == 3
        for k in f["biophysical"]:
            g = f["biophysical"][k]
            assert len(g["mse"]) == config["evaluation"]["network_seeds"]
            mech = g["mechanisms/trial0"]
            assert mech["soma_v/values"].shape[0] == mech["soma_v/time_ms"].shape[0]
            assert len(mech["spikes/cell"]) == len(mech["spikes/time_ms"]) > 0
            if config.get("search", {}).get("initial", 0) > 0:
                best = int(np.argmin(g["search/mse"][()]))
                names = [text(n) for n in g["parameters/names"][()]]
                values = dict(zip(names, g["parameters/values"][()]))
                for n, v in zip([text(n) for n in g["search/parameter_names"][()]], g["search/values"][best]):
                    assert values[n] == v, (n, values[n], v)
        c = f["comparison"]
        for measure in ("CKA", "SVCCA", "Procrustes", "DSA"):
            assert c[measure].shape == (len(f["biophysical"]), len(f["abstract"]))
        assert np.all((c["CKA"][()] >= -1e-9) & (c["CKA"][()] <= 1 + 1e-9))
    if config.get("figures", True):
        for png in ("memory_curves", "rasters", "voltages", "pca", "similarity"):
            assert os.path.getsize(f"{stem}-figures/{png}.png") > 10000, png
    print(f"{path}: layout, table ({len(rows)} models), configuration and figures check out")


if __name__ == "__main__":
    main(sys.argv[1])
