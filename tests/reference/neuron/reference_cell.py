#!/usr/bin/python3
"""NEURON 8.2 reference for neurode's reference_cell test: the reference reservoir's excitatory
cell (brc-model.md) with the Pospischil-type channels of mod/*.mod, written from the equations in
brc-model.md (u = v - vt, exponents clipped at 20, no temperature scaling).

Cell: soma (100 um, diam 25 um), dend1, dend2, dend3 (400 um each, diam 2.5, 1, 0.5 um) in a
chain, each child's 0 end on its parent's 1 end; nseg 4, Ra 300 ohm cm, cm 1 uF/cm2. Densities
as neurode's ReferenceDensities defaults [S/cm2]: everywhere Na 0.05, K 0.005; soma leak 1e-4,
Km 7e-5, CaL 1e-4, CaT 4e-4; dendrites leak 5e-5, Km 3.5e-5, CaL 5e-5, CaT 2e-4. eLeak -70,
eNa 50, eK -90, eCa 120 mV, vt -60 mV, vx 2 mV, Km taumax 4000 ms. Initialised at -70 mV with
steady-state gates.

Two runs of 200 ms, CVODE at rtol = atol = 1e-9:
  soma: IClamp 0.3 nA from 20 to 170 ms at soma(0.125) (the reference's compartment 0);
  tip:  IClamp 0.01 nA from 20 to 170 ms at dend3(1) (NEURON's zero-area end node, equivalent to
        injecting into the last compartment dend3(0.875)).
Spike times are upward 0 mV crossings at soma(0.125) (NetCon); voltages at soma(0.125) and
dend3(0.875) every 1 ms.
Re-run (Debian's python3-neuron; compiles the .mod files first):
    cd tests/reference/neuron/mod && ln -sf /usr/lib/nrn/nrnmech_makefile /usr/bin/nrnmech_makefile \
        && LIBRARY_PATH=/usr/lib/nrn nrnivmodl && cd .. \
        && /usr/bin/python3 reference_cell.py > reference_cell.txt"""
import os

from neuron import h

here = os.path.dirname(os.path.abspath(__file__))
h.nrn_load_dll(os.path.join(here, "mod", "x86_64", ".libs", "libnrnmech.so"))
h.load_file("stdrun.hoc")
h.celsius = 36.0  # irrelevant: q10 = 1

SOMA = {"leak": 1e-4, "km_pospischil": 7e-5, "cal_pospischil": 1e-4, "cat_pospischil": 4e-4}
DENDRITE = {"leak": 5e-5, "km_pospischil": 3.5e-5, "cal_pospischil": 5e-5, "cat_pospischil": 2e-4}


def build():
    sections = []
    for name, length, diam in (("soma", 100.0, 25.0), ("dend1", 400.0, 2.5), ("dend2", 400.0, 1.0),
                               ("dend3", 400.0, 0.5)):
        sec = h.Section(name=name)
        sec.L, sec.diam, sec.nseg, sec.Ra, sec.cm = length, diam, 4, 300.0, 1.0
        if sections:
            sec.connect(sections[-1](1), 0)
        for mech in ("leak", "na_pospischil", "k_pospischil", "km_pospischil", "cal_pospischil", "cat_pospischil"):
            sec.insert(mech)
        densities = SOMA if name == "soma" else DENDRITE
        for seg in sec:
            seg.na_pospischil.gbar, seg.na_pospischil.ena, seg.na_pospischil.vt = 0.05, 50.0, -60.0
            seg.k_pospischil.gbar, seg.k_pospischil.ek, seg.k_pospischil.vt = 0.005, -90.0, -60.0
            seg.km_pospischil.ek, seg.km_pospischil.taumax = -90.0, 4000.0
            seg.cal_pospischil.eca = 120.0
            seg.cat_pospischil.eca, seg.cat_pospischil.vx = 120.0, 2.0
            seg.leak.e = -70.0
            for mech, g in densities.items():
                getattr(seg, mech).gbar = g
        sections.append(sec)
    return sections


def trace(label, soma, dend3, where, amp, advance_to):
    """Runs a step of `amp` nA at `where` from 20 to 170 ms for 200 ms, calling
    advance_to(k) to reach k ms, and prints the spike times and the 1 ms voltage samples."""
    clamp = h.IClamp(where)
    clamp.delay, clamp.dur, clamp.amp = 20.0, 150.0, amp
    spikes = h.Vector()
    detector = h.NetCon(soma(0.125)._ref_v, None, sec=soma)
    detector.threshold = 0.0
    detector.record(spikes)
    h.finitialize(-70.0)
    samples = [(0.0, soma(0.125).v, dend3(0.875).v)]
    for k in range(1, 201):
        advance_to(k)
        samples.append((float(k), soma(0.125).v, dend3(0.875).v))
    print(f"spikes_{label} " + " ".join(f"{s:.9f}" for s in spikes))
    for time, vs, vd in samples:
        print(f"v_{label} {time:.3f} {vs:.9f} {vd:.9f}")


def main():
    soma, dend1, dend2, dend3 = build()
    cvode = h.CVode()
    cvode.active(1)
    cvode.rtol(1e-9)
    cvode.atol(1e-9)
    print(f"# NEURON {h.nrnversion(1)} reference E cell (brc-model.md), CVODE rtol=atol=1e-9")
    for label, where, amp in (("soma", soma(0.125), 0.3), ("tip", dend3(1.0), 0.01)):
        print(f"# {label}: IClamp {amp} nA 20-170 ms; spikes at soma(0.125); v: t soma(0.125) dend3(0.875)")
        trace(label, soma, dend3, where, amp, lambda k: cvode.solve(1.0 * k))  # exactly to k ms


if __name__ == "__main__":
    main()
