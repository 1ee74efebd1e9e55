"""neurode's HDF5 output (docs/hdf5-layout.md) read back with h5py: the recording written by a
simulation equals what the recorder returned, and the spike events equal the spikes returned."""
import h5py
import numpy as np

import neurode
from conftest import hh_soma_json


def test_simulation_file_read_by_h5py(tmp_path):
    sim = neurode.Simulation(neurode.Model.parse(hh_soma_json(cells=2)), rtol=1e-8, atol=1e-8)
    recorder = sim.record("v", "voltages", interval=0.5)
    sim.set_input("cell[1].iclamp[0]", 0.2)
    spikes = []
    for t in range(1, 51):
        sim.advance(float(t))
        spikes.extend(sim.spikes()[0])
    path = tmp_path / "sim.h5"
    sim.write_hdf5(str(path))
    times, values = recorder.data()
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] in (b"neurode-simulation", "neurode-simulation")
        assert f.attrs["neurode_version"] in (neurode.__version__, neurode.__version__.encode())
        np.testing.assert_array_equal(f["recordings/v/time"][:], times)
        np.testing.assert_array_equal(f["recordings/v/values"][:], values)
        assert values.shape == (101, 2)
        event_times = f["events/time"][:][f["events/direction"][:] > 0]
        np.testing.assert_array_equal(event_times, spikes)
        assert len(spikes) >= 1
