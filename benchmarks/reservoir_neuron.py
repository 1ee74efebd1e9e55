#!/usr/bin/python3
"""The NEURON side of the reservoir benchmark: builds, in NEURON 8.2, the network that neurode's
benchmarks/reservoir_network writes as network.json, runs it, and writes its spikes and wall time.

    /usr/bin/python3 benchmarks/reservoir_neuron.py network.json out.json
        [--method fixed|cvode|local] [--repeats 3] [--atol 1e-3] [--rtol 0] [--condition-order 1|2]
        [--cache-efficient] [--label NAME] [--mech-dir DIR]

Methods: fixed = NEURON's fixed step, implicit Euler (secondorder 0) at the file's dt_ms;
cvode = global CVODE; local = CVODE with a local (per-cell) variable step. CVODE tolerances
default to NEURON's (atol 1e-3, rtol 0), threshold detection to NEURON's condition_order 1.
Use Debian's /usr/bin/python3 (python3-neuron).

The network, in NEURON terms (the file's format is described in benchmarks/reservoir_network.cpp):
- a section per "sections" entry: L, diam, nseg = compartments, Ra, cm; a child's 0 end is
  connected to parent(parent_position) (1.0: the parent's distal end, as neurode attaches it to the
  parent's last compartment through half a compartment's resistance plus its own half).
- channels: the SUFFIX mechanisms of tests/reference/neuron/mod/*.mod (their RANGE names are the
  parameter names) and NEURON's built-in hh and pas, inserted on the sections whose "region"
  matches ("" = all). "celsius" is neurode's per-channel temperature: NEURON's is global, so it is
  used only when it matters (a channel with q10 != 1, or hh), and then must be one value.
- a location {"section", "position": x} is compartment k = min(n-1, floor(x n)), i.e. the segment
  sec((k + 0.5)/n), never the zero-area end nodes.
- kinetic synapses: KineticSyn (mod_synapse/kinetic_syn.mod) with POINTER vpre on the
  presynaptic location's voltage; event synapses: Exp2Syn (ampa, gaba_a) or Exp2NMDA
  (mod_event/exp2nmda.mod; nmda), both normalised so that weight w gives peak conductance w uS;
  each spike of its source is queued with NetCon.event(t + delay) at every initialisation.
- spikes: a NetCon with the cell type's threshold on its spike detector's segment. NEURON's
  fixed step reports the end of the step in which v crossed; CVODE with condition_order 1 the
  end of its step, with 2 an interpolated time.
Wall time: time.perf_counter() around finitialize (including queueing the source events) and the
run (ParallelContext.psolve, the integration loop in C); the network build is timed apart.
"""
import argparse
import contextlib
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MOD_ROOT = os.path.join(os.path.dirname(HERE), "tests", "reference", "neuron")
MOD_DIRS = ("mod", "mod_synapse", "mod_event")
# neurode's temperature parameters: not RANGE variables in NEURON (celsius is global there).
TEMPERATURE_KEYS = {"celsius"}
# NEURON's built-in channels: neurode name -> (SUFFIX, RANGE names, per-segment ion variables).
BUILTIN_CHANNELS = {
    "hh": ("hh", {"gnabar", "gkbar", "gl", "el"}, {"ena", "ek"}),
    "pas": ("pas", {"g", "e"}, set()),
}


def fail(message):
    sys.exit(f"reservoir_neuron: {message}")


# ---------------------------------------------------------------------------------------------
# Mechanisms: the three mod directories compiled into one library, cached by content hash.

def mod_files():
    files = []
    for d in MOD_DIRS:
        path = os.path.join(MOD_ROOT, d)
        files += sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith((".mod", ".inc")))
    return files


def compile_mechanisms(cache_root):
    """Returns the path of libnrnmech.so for all mod files, compiling it if its cache is stale."""
    files = mod_files()
    digest = hashlib.sha1()
    for f in files:
        digest.update(os.path.basename(f).encode())
        with open(f, "rb") as handle:
            digest.update(handle.read())
    target = os.path.join(cache_root, "neurode-nrnmech-" + digest.hexdigest()[:16])
    library = os.path.join(target, "x86_64", ".libs", "libnrnmech.so")
    if os.path.exists(library):
        return library
    if not os.path.exists("/usr/bin/nrnmech_makefile"):
        fail("nrnivmodl needs /usr/bin/nrnmech_makefile: "
             "ln -sf /usr/lib/nrn/nrnmech_makefile /usr/bin/nrnmech_makefile")
    os.makedirs(cache_root, exist_ok=True)
    work = tempfile.mkdtemp(prefix="neurode-nrnmech-build-", dir=cache_root)
    for f in files:
        os.symlink(f, os.path.join(work, os.path.basename(f)))
    env = dict(os.environ, LIBRARY_PATH="/usr/lib/nrn")
    result = subprocess.run(["nrnivmodl"], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    if not os.path.exists(os.path.join(work, "x86_64", ".libs", "libnrnmech.so")):
        fail(f"nrnivmodl failed in {work}:\n{result.stdout[-3000:]}")
    try:
        os.rename(work, target)  # atomic; a concurrent compile may have won the race
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
    return library


def mod_channels():
    """SUFFIX name -> RANGE names, read from the channel .mod files."""
    channels = {}
    directory = os.path.join(MOD_ROOT, "mod")
    for f in sorted(os.listdir(directory)):
        if not f.endswith(".mod"):
            continue
        with open(os.path.join(directory, f)) as handle:
            text = handle.read()
        block = re.search(r"NEURON\s*\{(.*?)\}", text, re.S).group(1)
        suffix = re.search(r"SUFFIX\s+(\w+)", block).group(1)
        ranges = set()
        for line in re.findall(r"RANGE\s+([^\n]*)", block):
            ranges |= {name.strip() for name in line.split(",") if name.strip()}
        channels[suffix] = ranges
    return channels


# ---------------------------------------------------------------------------------------------
# The network.

class Cell:
    def __init__(self, h, index, type_name, spec, placements):
        self.index, self.type_name = index, type_name
        self.sections = {}
        for s in spec["sections"]:
            name = s["name"]
            if name in self.sections:
                fail(f"cell type '{type_name}': section '{name}' appears twice")
            sec = h.Section(name=f"{type_name}{index}_{name}")
            sec.L, sec.diam = float(s["length_um"]), float(s["diameter_um"])
            sec.nseg = int(s["compartments"])
            sec.Ra, sec.cm = float(s["axial_resistivity_ohm_cm"]), float(s["membrane_capacitance_uF_per_cm2"])
            self.sections[name] = sec
        for s in spec["sections"]:
            if s.get("parent") is not None:
                if s["parent"] not in self.sections:
                    fail(f"cell type '{type_name}': section '{s['name']}' has unknown parent '{s['parent']}'")
                self.sections[s["name"]].connect(self.sections[s["parent"]](float(s.get("parent_position", 1.0))), 0)
        for section_name, suffix, ranges, ions in placements:
            sec = self.sections[section_name]
            sec.insert(suffix)
            for seg in sec:
                mech = getattr(seg, suffix)
                for key, value in ranges.items():
                    setattr(mech, key, value)
                for key, value in ions.items():
                    setattr(seg, key, value)
        self.initial_voltage = float(spec["initial_voltage_mV"])
        detector = spec["spike_detector"]
        self.detector = self.segment(detector)
        self.spikes = h.Vector()
        self.netcon = h.NetCon(self.detector._ref_v, None, sec=self.detector.sec)
        self.netcon.threshold = float(spec["spike_threshold_mV"])
        self.netcon.record(self.spikes)

    def segment(self, location):
        name, x = location["section"], float(location["position"])
        if name not in self.sections:
            fail(f"cell {self.index} ({self.type_name}) has no section '{name}'")
        if not 0.0 <= x <= 1.0:
            fail(f"position {x} on '{name}' is outside [0, 1]")
        sec = self.sections[name]
        k = min(sec.nseg - 1, int(math.floor(x * sec.nseg)))
        return sec((k + 0.5) / sec.nseg)

    def reset_voltage(self):
        for sec in self.sections.values():
            for seg in sec:
                seg.v = self.initial_voltage


def channel_placements(type_name, spec, known):
    """[(section, SUFFIX, {RANGE: value}, {ion variable: value})] and the celsius values that matter."""
    regions = {s["name"]: s.get("region", "") for s in spec["sections"]}
    placements, covered, celsius = [], set(), set()
    for c in spec["channels"]:
        name, region, parameters = c["channel"], c.get("region", ""), c.get("parameters", {})
        where = f"cell type '{type_name}', channel '{name}'"
        if name in BUILTIN_CHANNELS:
            suffix, range_names, ion_names = BUILTIN_CHANNELS[name]
        elif name in known:
            suffix, range_names, ion_names = name, known[name], set()
        else:
            fail(f"{where}: unknown channel (known: {sorted(set(known) | set(BUILTIN_CHANNELS))})")
        ranges, ions = {}, {}
        for key, value in parameters.items():
            if key in range_names:
                ranges[key] = float(value)
            elif key in ion_names:
                ions[key] = float(value)
            elif key not in TEMPERATURE_KEYS:
                fail(f"{where}: unknown parameter '{key}' (NEURON RANGE names: {sorted(range_names | ion_names)})")
        if "celsius" in parameters and (name == "hh" or float(parameters.get("q10", 1.0)) != 1.0):
            celsius.add(float(parameters["celsius"]))
        sections = [s for s, r in regions.items() if region == "" or r == region]
        if not sections:
            fail(f"{where}: no section has region '{region}'")
        for s in sections:
            if (s, suffix) in covered:
                fail(f"{where}: placed twice on section '{s}' (NEURON has one instance per section)")
            covered.add((s, suffix))
            placements.append((s, suffix, ranges, ions))
    return placements, celsius


KINETIC_KEYS = {"pre_cell", "pre", "post_cell", "post", "receptor", "conductance_uS", "alpha", "beta", "reversal_mV",
                "t_max_mM", "v_half_mV", "v_slope_mV", "magnesium_mM"}
EVENT_KEYS = {"source", "post_cell", "post", "receptor", "weight_uS", "delay_ms", "tau1_ms", "tau2_ms", "reversal_mV",
              "magnesium_mM"}


def check_keys(entry, allowed, what):
    unknown = set(entry) - allowed
    if unknown:
        fail(f"{what}: unknown field(s) {sorted(unknown)}")


class Network:
    def __init__(self, h, spec):
        self.h = h
        known = mod_channels()
        per_type, celsius = {}, set()
        for type_name, type_spec in spec["cell_types"].items():
            per_type[type_name], c = channel_placements(type_name, type_spec, known)
            celsius |= c
        if len(celsius) > 1:
            fail(f"channels need different temperatures {sorted(celsius)}; NEURON's celsius is global")
        h.celsius = celsius.pop() if celsius else 36.0  # irrelevant when every q10 is 1
        self.cells = []
        for i, type_name in enumerate(spec["cells"]):
            if type_name not in spec["cell_types"]:
                fail(f"cell {i}: unknown cell type '{type_name}'")
            self.cells.append(Cell(h, i, type_name, spec["cell_types"][type_name], per_type[type_name]))

        self.kinetic = []
        for n, s in enumerate(spec.get("kinetic_synapses", [])):
            check_keys(s, KINETIC_KEYS, f"kinetic synapse {n}")
            syn = h.KineticSyn(self.cell(s["post_cell"]).segment(s["post"]))
            if s["receptor"] not in ("ampa", "nmda", "gaba_a"):
                fail(f"kinetic synapse {n}: unknown receptor '{s['receptor']}'")
            syn.nmda = 1 if s["receptor"] == "nmda" else 0
            syn.gmax, syn.alpha, syn.beta, syn.e = s["conductance_uS"], s["alpha"], s["beta"], s["reversal_mV"]
            syn.tmax, syn.vp, syn.kp, syn.mg = s["t_max_mM"], s["v_half_mV"], s["v_slope_mV"], s["magnesium_mM"]
            h.setpointer(self.cell(s["pre_cell"]).segment(s["pre"])._ref_v, "vpre", syn)
            self.kinetic.append(syn)

        self.sources = [[float(t) for t in times] for times in spec.get("spike_sources", [])]
        self.events = []  # (synapse, netcon, delivery times)
        for n, s in enumerate(spec.get("event_synapses", [])):
            check_keys(s, EVENT_KEYS, f"event synapse {n}")
            where = self.cell(s["post_cell"]).segment(s["post"])
            if s["receptor"] in ("ampa", "gaba_a"):
                syn = h.Exp2Syn(where)
            elif s["receptor"] == "nmda":
                syn = h.Exp2NMDA(where)
                syn.mg = s["magnesium_mM"]
            else:
                fail(f"event synapse {n}: unknown receptor '{s['receptor']}'")
            syn.tau1, syn.tau2, syn.e = s["tau1_ms"], s["tau2_ms"], s["reversal_mV"]
            if not 0 <= s["source"] < len(self.sources):
                fail(f"event synapse {n}: source {s['source']} out of range (there are {len(self.sources)})")
            nc = h.NetCon(None, syn)
            nc.weight[0] = s["weight_uS"]  # Exp2Syn and Exp2NMDA: peak conductance = weight
            self.events.append((syn, nc, [t + float(s["delay_ms"]) for t in self.sources[s["source"]]]))
        self.queue_handler = h.FInitializeHandler(self.queue_events)

    def cell(self, index):
        if not 0 <= index < len(self.cells):
            fail(f"cell index {index} out of range (there are {len(self.cells)})")
        return self.cells[index]

    def queue_events(self):
        for _, nc, times in self.events:
            for t in times:
                nc.event(t)

    def compartments(self):
        return sum(sec.nseg for c in self.cells for sec in c.sections.values())


# ---------------------------------------------------------------------------------------------
# Running.

@contextlib.contextmanager
def captured_stdout(sink):
    """Captures what C code prints on file descriptor 1 (CVode.statistics) into sink[0]."""
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile(mode="w+") as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            tmp.seek(0)
            sink.append(tmp.read())


def cvode_statistics(cvode):
    """Steps and right-hand-side evaluations of the last CVODE run, from CVode.statistics()."""
    text = []
    with captured_stdout(text):
        cvode.statistics()
    text = text[0]
    out = {}
    steps = re.findall(r"(\d+)\s+advance_tn", text)
    fcalls = re.findall(r"(\d+)\s+function evaluations", text)
    if steps:
        out["steps"] = sum(int(s) for s in steps)
    if fcalls:
        out["rhs_evaluations"] = sum(int(s) for s in fcalls)
    return out, text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("network")
    parser.add_argument("output")
    parser.add_argument("--method", choices=("fixed", "cvode", "local"), default="fixed")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--atol", type=float, default=1e-3, help="CVODE absolute tolerance (NEURON's default 1e-3)")
    parser.add_argument("--rtol", type=float, default=0.0, help="CVODE relative tolerance (NEURON's default 0)")
    parser.add_argument("--condition-order", type=int, choices=(1, 2), default=1,
                        help="CVODE threshold detection: 1 step end (NEURON's default), 2 interpolated")
    parser.add_argument("--cache-efficient", action="store_true",
                        help="CVode.cache_efficient(1): NEURON's contiguous memory layout (default off, as NEURON)")
    parser.add_argument("--label", help="label in the output (default neuron_<method>)")
    parser.add_argument("--mech-dir", default=os.path.join(tempfile.gettempdir(), "neurode-nrnmech"),
                        help="cache of the compiled mechanisms")
    args = parser.parse_args()
    if args.repeats < 1:
        fail("--repeats must be >= 1")

    with open(args.network) as handle:
        spec = json.load(handle)
    for key in ("duration_ms", "dt_ms", "cell_types", "cells"):
        if key not in spec:
            fail(f"{args.network}: missing '{key}'")
    duration, dt = float(spec["duration_ms"]), float(spec["dt_ms"])

    compile_start = time.perf_counter()
    library = compile_mechanisms(args.mech_dir)
    compile_s = time.perf_counter() - compile_start

    build_start = time.perf_counter()
    import neuron
    from neuron import h
    h.nrn_load_dll(library)
    h.load_file("stdrun.hoc")
    h.usetable_hh = 0  # exact rates, as neurode computes them
    network = Network(h, spec)
    build_s = time.perf_counter() - build_start

    cvode = h.CVode()
    cvode.cache_efficient(1 if args.cache_efficient else 0)
    pc = h.ParallelContext()
    pc.set_maxstep(10)  # one process: no spike exchange, psolve just integrates
    if args.method == "fixed":
        cvode.active(0)
        h.secondorder = 0
        h.dt = dt
        h.steps_per_ms = 1.0 / dt
    else:
        cvode.active(1)
        cvode.use_local_dt(1 if args.method == "local" else 0)
        cvode.atol(args.atol)
        cvode.rtol(args.rtol)
        cvode.condition_order(args.condition_order)
    h.tstop = duration

    walls, init_walls, spikes, counters = [], [], None, {}
    for repeat in range(args.repeats):
        for cell in network.cells:
            cell.reset_voltage()
        start = time.perf_counter()
        h.finitialize()  # no argument: keeps each cell's initial voltage set above
        init_done = time.perf_counter()
        pc.psolve(duration)
        end = time.perf_counter()
        walls.append(end - start)
        init_walls.append(init_done - start)
        if abs(h.t - duration) > 0.51 * dt:
            fail(f"the run stopped at t = {h.t} ms, not {duration} ms")
        these = [[float(t) for t in cell.spikes] for cell in network.cells]
        if spikes is not None and these != spikes:
            print(f"reservoir_neuron: warning: repeat {repeat} gave different spikes", file=sys.stderr)
        spikes = these
    if args.method == "fixed":
        counters = {"steps": int(round(h.t / dt))}
    else:
        counters, _ = cvode_statistics(cvode)

    version = neuron.__version__.split(".dev")[0]
    out = {
        "simulator": f"NEURON {version}",
        "label": args.label or f"neuron_{args.method}",
        "method": args.method,
        "dt_ms": dt if args.method == "fixed" else None,
        "wall_s_median": statistics.median(walls),
        "wall_s": walls,
        "init_s": init_walls,
        "build_s": build_s,
        "compile_s": compile_s,
        "cells": len(network.cells),
        "compartments": network.compartments(),
        "kinetic_synapses": len(network.kinetic),
        "event_synapses": len(network.events),
        "duration_ms": duration,
        "cache_efficient": bool(args.cache_efficient),
    }
    if args.method != "fixed":
        out.update({"atol": args.atol, "rtol": args.rtol, "condition_order": args.condition_order})
    if args.method == "local" and network.kinetic:
        # A cell's local step does not see another cell's voltage read through POINTER vpre, so a
        # postsynaptic cell may step past a presynaptic spike and release transmitter late.
        out["warning"] = ("local variable step with graded (POINTER) synapses between cells: the "
                          "postsynaptic cell's step ignores the presynaptic voltage; spikes may be late")
        print(f"reservoir_neuron: warning: {out['warning']}", file=sys.stderr)
    out.update(counters)
    out["spikes"] = spikes
    partial = args.output + ".partial"
    with open(partial, "w") as handle:
        json.dump(out, handle)
        handle.write("\n")
    os.replace(partial, args.output)
    total = sum(len(s) for s in spikes)
    silent = sum(1 for s in spikes if not s)
    print(f"{out['label']}: {out['simulator']} {args.method}"
          + (f" dt {dt} ms" if args.method == "fixed" else f" atol {args.atol} rtol {args.rtol}")
          + f": {len(network.cells)} cells, {out['compartments']} compartments, {duration:g} ms;"
          f" wall {out['wall_s_median']:.3f} s (median of {len(walls)}), build {build_s:.3f} s;"
          f" {total} spikes ({silent} silent cells)" + (f", {counters['steps']} steps" if "steps" in counters else ""))


if __name__ == "__main__":
    main()
