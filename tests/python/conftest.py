"""Shared pieces of the Python module's tests: the hh soma every test can build (the cell of the
C API test's network, tests/capi/data/two_cells.json: a 20 x 20 um soma with NEURON's hh, a
current clamp and a spike detector at its centre)."""
import json
import pathlib

with open(pathlib.Path(__file__).parent.parent / "capi" / "data" / "two_cells.json") as f:
    HH_SOMA_CELL = json.load(f)["populations"][0]["cell"]


def hh_soma_json(cells=1):
    """A population of `cells` unconnected hh somas."""
    return json.dumps({"format": "neurode-network", "format_version": 1, "seed": 1,
                       "populations": [{"name": "E", "size": cells, "cell": HH_SOMA_CELL}],
                       "connections": []})
