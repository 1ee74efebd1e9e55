#!/usr/bin/python3
"""NEURON 8.2 reference for neurode's event-synapse test: a presynaptic hh soma (20 x 20 um,
IClamp 0.3 nA from 5 to 195 ms) drives a ball-and-stick cell (soma 20 x 20 um with hh; dendrite
500 um x 2 um, nseg 9, pas g 1e-4 S/cm2 e -65 mV; Ra 100 ohm cm; cm 1) through NetCons
(threshold 0 mV at pre(0.5)) onto double-exponential synapses:
    Exp2Syn AMPA    dend(0.9)  tau 0.5/5 ms,  e 0 mV,   weight 5 nS,  delay 1.5 ms
    Exp2Syn AMPA    soma(0.5)  tau 0.5/5 ms,  e 0 mV,   weight 2 nS,  delay 3 ms
    Exp2NMDA        dend(0.9)  tau 1/20 ms,   e 0 mV,   weight 4 nS,  delay 1.5 ms, Mg 1 mM
    Exp2Syn GABA-A  dend(0.5)  tau 0.5/5 ms,  e -80 mV, weight 2 nS,  delay 0 ms
(Exp2NMDA, mod_event/exp2nmda.mod: Exp2Syn times the Jahr-Stevens block.) CVODE at
rtol = atol = 1e-9 with interpolated threshold crossings (condition_order 2), 200 ms; exact hh
rates (usetable_hh = 0). Writes presynaptic and postsynaptic spike times (0 mV upward crossings
at the somata) and the postsynaptic soma(0.5) and dend(0.9) voltages every 1 ms.
Re-run (Debian's python3-neuron; compiles the .mod file first):
    cd tests/reference/neuron/mod_event && ln -sf /usr/lib/nrn/nrnmech_makefile /usr/bin/nrnmech_makefile \
        && LIBRARY_PATH=/usr/lib/nrn nrnivmodl && cd .. \
        && /usr/bin/python3 event_synapses.py > event_synapses.txt"""
import os

from neuron import h

here = os.path.dirname(os.path.abspath(__file__))
h.nrn_load_dll(os.path.join(here, "mod_event", "x86_64", ".libs", "libnrnmech.so"))
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

synapses, netcons = [], []
for kind, where, tau1, tau2, e, weight, delay in (("Exp2Syn", dend(0.9), 0.5, 5.0, 0.0, 0.005, 1.5),
                                                   ("Exp2Syn", soma(0.5), 0.5, 5.0, 0.0, 0.002, 3.0),
                                                   ("Exp2NMDA", dend(0.9), 1.0, 20.0, 0.0, 0.004, 1.5),
                                                   ("Exp2Syn", dend(0.5), 0.5, 5.0, -80.0, 0.002, 0.0)):
    s = getattr(h, kind)(where)
    s.tau1, s.tau2, s.e = tau1, tau2, e
    nc = h.NetCon(pre(0.5)._ref_v, s, sec=pre)
    nc.threshold, nc.delay, nc.weight[0] = 0.0, delay, weight
    synapses.append(s)
    netcons.append(nc)

cvode = h.CVode()
cvode.active(1)
cvode.rtol(1e-9)
cvode.atol(1e-9)
cvode.condition_order(2)
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
print(f"# NEURON {h.nrnversion(1)}; see event_synapses.py")
print("pre_spikes " + " ".join(f"{s:.9f}" for s in pre_spikes))
print("post_spikes " + " ".join(f"{s:.9f}" for s in post_spikes))
for t, vs, vd in rows:
    print(f"v {t:.3f} {vs:.9f} {vd:.9f}")
