#!/usr/bin/python3
"""NEURON 8.2 reference for neurode's kinetic-synapse test: a presynaptic hh soma (20 x 20 um,
IClamp 0.3 nA from 5 to 195 ms) drives a ball-and-stick cell (soma 20 x 20 um with hh; dendrite
500 um x 2 um, nseg 9, pas g 1e-4 S/cm2 e -65 mV; Ra 100 ohm cm; cm 1) through four kinetic
synapses with graded release (mod_synapse/kinetic_syn.mod): AMPA 10 nS and NMDA 5 nS on the
distal dendrite dend(0.9), AMPA 3 nS and NMDA 2 nS on the soma. CVODE at rtol = atol = 1e-9,
200 ms; exact hh rates (usetable_hh = 0). Writes presynaptic and postsynaptic spike times (0 mV
upward crossings at the somata) and the postsynaptic soma(0.5) and dend(0.9) voltages every 1 ms.
Re-run (Debian's python3-neuron; compiles the .mod file first):
    cd tests/reference/neuron/mod_synapse && ln -sf /usr/lib/nrn/nrnmech_makefile /usr/bin/nrnmech_makefile \
        && LIBRARY_PATH=/usr/lib/nrn nrnivmodl && cd .. \
        && /usr/bin/python3 kinetic_synapses.py > kinetic_synapses.txt"""
import os

from neuron import h

here = os.path.dirname(os.path.abspath(__file__))
h.nrn_load_dll(os.path.join(here, "mod_synapse", "x86_64", ".libs", "libnrnmech.so"))
h.load_file("stdrun.hoc")
h.celsius = 6.3
h.usetable_hh = 0

pre = h.Section(name="pre")
pre.L = pre.diam = 20.0
pre.insert("hh")
soma = h.Section(name="soma")
soma.L = soma.diam = 20.0
soma.insert("hh")
dend = h.Section(name="dend")
dend.L, dend.diam, dend.nseg = 500.0, 2.0, 9
dend.insert("pas")
for seg in dend:
    seg.pas.g, seg.pas.e = 1e-4, -65.0
dend.connect(soma(1), 0)
for sec in (pre, soma, dend):
    sec.Ra, sec.cm = 100.0, 1.0

clamp = h.IClamp(pre(0.5))
clamp.delay, clamp.dur, clamp.amp = 5.0, 190.0, 0.3

synapses = []
for where, gmax, nmda, alpha, beta in ((dend(0.9), 0.01, 0, 1.1, 0.19), (dend(0.9), 0.005, 1, 0.072, 0.0066),
                                       (soma(0.5), 0.003, 0, 1.1, 0.19), (soma(0.5), 0.002, 1, 0.072, 0.0066)):
    s = h.KineticSyn(where)
    s.gmax, s.nmda, s.alpha, s.beta, s.e = gmax, nmda, alpha, beta, 0.0
    h.setpointer(pre(0.5)._ref_v, "vpre", s)
    synapses.append(s)

cvode = h.CVode()
cvode.active(1)
cvode.rtol(1e-9)
cvode.atol(1e-9)
pre_spikes, post_spikes = h.Vector(), h.Vector()
nc_pre = h.NetCon(pre(0.5)._ref_v, None, sec=pre)
nc_post = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
for nc, vec in ((nc_pre, pre_spikes), (nc_post, post_spikes)):
    nc.threshold = 0.0
    nc.record(vec)
h.finitialize(-65.0)
rows = [(0.0, soma(0.5).v, dend(0.9).v)]
for k in range(1, 201):
    cvode.solve(float(k))
    rows.append((h.t, soma(0.5).v, dend(0.9).v))
print(f"# NEURON {h.nrnversion(1)}; see kinetic_synapses.py")
print("pre_spikes " + " ".join(f"{s:.9f}" for s in pre_spikes))
print("post_spikes " + " ".join(f"{s:.9f}" for s in post_spikes))
for t, vs, vd in rows:
    print(f"v {t:.3f} {vs:.9f} {vd:.9f}")
