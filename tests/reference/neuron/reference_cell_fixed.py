#!/usr/bin/python3
"""NEURON 8.2 fixed-step reference for neurode's staggered methods: the reference E cell of
reference_cell.py (same build, same clamps) run with NEURON's own fixed step at dt = 0.025 ms,
implicit Euler (secondorder = 0) and Crank-Nicolson (secondorder = 2), so that neurode's
staggered_euler / staggered_crank_nicolson can be checked against the scheme itself, not only
against the exact solution. Spike times are NetCon 0 mV crossings at soma(0.125) with
condition_order(2) (linear interpolation within the step); voltages at soma(0.125) and
dend3(0.875) every 1 ms.
Re-run (compile mod/ first, see reference_cell.py):
    cd tests/reference/neuron && /usr/bin/python3 reference_cell_fixed.py > reference_cell_fixed.txt"""
from neuron import h

from reference_cell import build

soma, dend1, dend2, dend3 = build()
h.dt = 0.025
h.CVode().condition_order(2)
print(f"# NEURON {h.nrnversion(1)} reference E cell, fixed step dt 0.025 ms")
for order in (0, 2):
    h.secondorder = order
    for label, where, amp in (("soma", soma(0.125), 0.3), ("tip", dend3(1.0), 0.01)):
        clamp = h.IClamp(where)
        clamp.delay, clamp.dur, clamp.amp = 20.0, 150.0, amp
        spikes = h.Vector()
        detector = h.NetCon(soma(0.125)._ref_v, None, sec=soma)
        detector.threshold = 0.0
        detector.record(spikes)
        h.finitialize(-70.0)
        samples = [(0.0, soma(0.125).v, dend3(0.875).v)]
        for k in range(1, 201):
            for _ in range(40):  # 1 ms of 0.025 ms steps
                h.fadvance()
            samples.append((float(k), soma(0.125).v, dend3(0.875).v))
        key = f"{label}_order{order}"
        print(f"# {key}: IClamp {amp} nA 20-170 ms, secondorder {order}; v: t soma(0.125) dend3(0.875)")
        print(f"spikes_{key} " + " ".join(f"{s:.9f}" for s in spikes))
        for time, vs, vd in samples:
            print(f"v_{key} {time:.3f} {vs:.9f} {vd:.9f}")
        del clamp, detector
