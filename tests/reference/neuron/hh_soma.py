#!/usr/bin/python3
"""NEURON 8.2 reference for neurode's single-compartment hh test: a 20 x 20 um soma with NEURON's
hh mechanism (celsius 6.3, cm 1), a current clamp at soma(0.5) of 0.15 nA from 10 to 190 ms, run
for 200 ms with CVODE (exact rates: usetable_hh = 0) at rtol 1e-10 / atol 1e-10 (mV); spike times are upward crossings of 0 mV
found by a NetCon on soma(0.5)._ref_v. Also the voltage every 5 ms.
Re-run with Debian's python3-neuron:
    /usr/bin/python3 tests/reference/neuron/hh_soma.py > tests/reference/neuron/hh_soma.txt"""
from neuron import h

h.load_file("stdrun.hoc")
soma = h.Section(name="soma")
soma.L = soma.diam = 20.0
soma.nseg = 1
soma.cm = 1.0
soma.insert("hh")
h.celsius = 6.3
# hh.mod interpolates its rates from a 1 mV table by default; the reference uses the exact rates.
h.usetable_hh = 0
clamp = h.IClamp(soma(0.5))
clamp.delay, clamp.dur, clamp.amp = 10.0, 180.0, 0.15

cvode = h.CVode()
cvode.active(1)
cvode.rtol(1e-10)
cvode.atol(1e-10)
spikes = h.Vector()
detector = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
detector.threshold = 0.0
detector.record(spikes)
t = h.Vector().record(h._ref_t)
v = h.Vector().record(soma(0.5)._ref_v)
h.finitialize(-65.0)
samples = [(0.0, soma(0.5).v)]
for k in range(1, 41):
    cvode.solve(5.0 * k)  # integrates exactly to this time
    samples.append((h.t, soma(0.5).v))
print(f"# NEURON {h.nrnversion(1)} hh soma 20x20 um, IClamp 0.15 nA 10-190 ms, CVODE rtol=atol=1e-10")
print("spikes " + " ".join(f"{s:.9f}" for s in spikes))
for time, volt in samples:
    print(f"v {time:.3f} {volt:.9f}")
