"""neurode against NEURON (Debian's python3-neuron) in the same process, co-simulated: a 20 x 20 um
hh soma in each, both advanced in 1 ms lockstep, the host switching the clamp current between
calls (0.15 nA from 10 to 90 ms). NEURON's built-in hh (exact rates: usetable_hh = 0), CVODE at
tight tolerances in both; spike times must agree within 0.01 ms and the voltages at every exchange
away from spikes within 1e-3 mV (measured: 0.003 ms and 5e-5 mV)."""
import numpy as np
import pytest

neuron = pytest.importorskip("neuron")
from neuron import h  # noqa: E402

import neurode  # noqa: E402
from conftest import hh_soma_json  # noqa: E402

T_STOP = 120.0  # [ms]
AMPLITUDE = 0.15  # [nA]


def clamp_current(t):
    return AMPLITUDE if 10.0 <= t < 90.0 else 0.0


def test_hh_soma_matches_neuron():
    soma = h.Section(name="soma")
    soma.L = soma.diam = 20.0
    soma.nseg = 1
    soma.cm = 1.0
    soma.Ra = 35.4
    soma.insert("hh")
    h.celsius = 6.3
    h.usetable_hh = 0
    clamp = h.IClamp(soma(0.5))
    clamp.delay, clamp.dur = 0.0, 1e9  # on all the time; the host sets its amplitude
    cvode = h.CVode()
    cvode.active(1)
    cvode.rtol(1e-8)
    cvode.atol(1e-8)
    spikes_neuron = h.Vector()
    detector = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
    detector.threshold = 0.0
    detector.record(spikes_neuron)
    h.finitialize(-65.0)

    sim = neurode.Simulation(neurode.Model.parse(hh_soma_json()), rtol=1e-8, atol=1e-8)
    spikes_neurode, v_neuron, v_neurode = [], [], []
    for k in range(1, int(T_STOP) + 1):
        current = clamp_current(k - 1.0)
        clamp.amp = current
        cvode.re_init()  # the clamp jumped: restart NEURON's integrator as neurode does
        sim.set_input(0, current)  # the one cell's clamp
        cvode.solve(float(k))
        sim.advance(float(k))
        spikes_neurode.extend(sim.spikes()[0])
        v_neuron.append(soma(0.5).v)
        v_neurode.append(sim.voltages()[0])

    spikes_neuron = np.array(spikes_neuron)
    assert len(spikes_neurode) >= 4
    assert len(spikes_neurode) == len(spikes_neuron)
    np.testing.assert_allclose(spikes_neurode, spikes_neuron, atol=0.01)
    # Compare voltages where neither cell is within 3 ms of a spike (upstrokes amplify tiny shifts).
    times = np.arange(1, int(T_STOP) + 1, dtype=float)
    quiet = np.all(np.abs(times[:, None] - spikes_neuron[None, :]) > 3.0, axis=1)
    assert quiet.sum() > 40
    np.testing.assert_allclose(np.array(v_neurode)[quiet], np.array(v_neuron)[quiet], atol=1e-3)
