#!/usr/bin/python3
"""NEURON 8.2 fixed-step reference for neurode's staggered methods: the reference E cell of
reference_cell.py (same build, same clamps) run with NEURON's own fixed step at dt = 0.025 ms,
implicit Euler (secondorder = 0) and Crank-Nicolson (secondorder = 2), so that neurode's
staggered_euler / staggered_crank_nicolson can be checked against the scheme itself, not only
against the exact solution. Spike times are NetCon 0 mV crossings at soma(0.125), which
NEURON's fixed step reports at the end of the crossing step; voltages at soma(0.125) and
dend3(0.875) every 1 ms.
Re-run (compile mod/ first, see reference_cell.py):
    cd tests/reference/neuron && /usr/bin/python3 reference_cell_fixed.py > reference_cell_fixed.txt"""
from neuron import h

from reference_cell import build, trace

soma, dend1, dend2, dend3 = build()
h.dt = 0.025
print(f"# NEURON {h.nrnversion(1)} reference E cell, fixed step dt 0.025 ms")
for order in (0, 2):
    h.secondorder = order
    for label, where, amp in (("soma", soma(0.125), 0.3), ("tip", dend3(1.0), 0.01)):
        key = f"{label}_order{order}"
        print(f"# {key}: IClamp {amp} nA 20-170 ms, secondorder {order}; v: t soma(0.125) dend3(0.875)")
        trace(key, soma, dend3, where, amp, lambda k: [h.fadvance() for _ in range(40)])  # 40 steps of 0.025 ms
