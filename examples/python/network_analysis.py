#!/usr/bin/python3
"""Build, run and analyse networks from Python, and plot them (matplotlib).

1. A biophysical network: 12 hh somas, excitatory all-to-all AMPA synapses, each cell clamped with
   its own current I_c = I_min + c (I_max - I_min) / (N - 1), so that cells fire at different
   rates; the script advances it in 1 ms steps (as a co-simulating host would) and collects spikes
   and voltages.
2. A rate network on a cognitive task: the states of a random rate RNN on perceptual decision
   trials, a ridge readout of the targets from those states (R^2), and the CKA distance
   arccos(CKA) between two networks drawn from different seeds (0 would mean the same geometry).
3. The same rate network trained on the task by BPTT with Adam (neurode.Learner, the C++ learner
   of rnn/bptt.hpp): the task's accuracy on held-out trials before and after.
The figure: raster, two voltage traces, and the readouts against the target on one trial.

Usage: /usr/bin/python3 examples/python/network_analysis.py [figure.png]
(with the build's python/ directory on PYTHONPATH, see the README)."""
import json
import sys

import matplotlib.pyplot as plt
import numpy as np

import neurode

CELLS = 12
I_MIN, I_MAX = 0.05, 0.20  # [nA] clamp range across the cells
T_STOP = 300.0  # [ms]
RATE_UNITS = 64
BPTT_ITERATIONS = 200  # Adam steps of BPTT_BATCH trials each
BPTT_BATCH = 32
BPTT_LEARNING_RATE = 0.005
HELD_OUT_TRIALS = 256

HH_SOMA = {
    "sections": [{"name": "soma", "region": "soma", "parent": -1, "parent_position": 1.0, "length_um": 20.0,
                  "diameter_um": 20.0, "axial_resistivity_ohm_cm": 35.4, "membrane_capacitance_uF_per_cm2": 1.0,
                  "compartments": 1}],
    "channels": [{"channel": "hh", "region": "", "parameters": {}}],
    "clamps": [{"section": "soma", "position": 0.5}], "spike_detectors": [{"section": "soma", "position": 0.5}],
    "spike_threshold_mV": 0.0, "celsius": 6.3, "initial_voltage_mV": -65.0}
RING = {"source_spacing": 1, "target_spacing": 1, "distances": [1], "periodic": False, "ring_nodes": 0}
NETWORK = {
    "format": "neurode-network", "format_version": 1, "seed": 2,
    "populations": [{"name": "E", "size": CELLS, "cell": HH_SOMA}],
    "connections": [{"source": "E", "target": "E", "receptor": "ampa",
                     "post": {"section": "soma", "position": 0.5}, "pre": {"section": "soma", "position": 0.5},
                     "conductance_uS": 0.0005, "rule": "all_to_all", "probability": 1.0, "self_connections": False,
                     "ring": RING, "small_world": {"neighbours": 2, "beta": 0.0}, "keep_probability": 1.0}]}


def run_biophysical():
    sim = neurode.Simulation(neurode.Model.parse(json.dumps(NETWORK)))
    voltages = sim.record("v", "voltages", interval=0.25)
    for c in range(CELLS):
        sim.set_input(f"cell[{c}].iclamp[0]", I_MIN + c * (I_MAX - I_MIN) / (CELLS - 1))
    spike_times, spike_cells = [], []
    for t in np.arange(1.0, T_STOP + 1.0):
        sim.advance(t)
        times, cells = sim.spikes()
        spike_times.extend(times)
        spike_cells.extend(cells)
    t, v = voltages.data()
    return np.array(spike_times), np.array(spike_cells), t, v


def rate_network(task, seed):
    inputs, outputs, _ = task.shape
    return neurode.Model.parse(json.dumps({
        "format": "neurode-rate-network", "format_version": 1, "units": RATE_UNITS, "inputs": inputs,
        "outputs": outputs, "tau_ms": 100.0, "gain": 1.3, "seed": seed}))


def main():
    figure_path = sys.argv[1] if len(sys.argv) > 1 else "network-analysis.png"
    spike_times, spike_cells, t, v = run_biophysical()
    counts = np.bincount(spike_cells, minlength=CELLS)
    print(f"biophysical: {len(spike_times)} spikes in {T_STOP:.0f} ms; per cell {counts.tolist()}")

    task = neurode.Task("perceptual_decision_making")
    batch = task.generate(32, seed=1)
    run_a = rate_network(task, seed=1).run_batch(batch)
    run_b = rate_network(task, seed=2).run_batch(batch)
    readout = neurode.RidgeReadout(run_a.states, batch.targets, weights=batch.mask, lam=1e-3)
    prediction = readout.predict(run_a.states)
    samples = batch.inputs.shape[0] * batch.inputs.shape[1]
    distance = neurode.distance("cka", run_a.states.reshape(samples, -1), run_b.states.reshape(samples, -1))
    print(f"rate networks: readout R^2 {readout.r2:.3f}; arccos(CKA) between two seeds {distance:.3f} rad")

    untrained = rate_network(task, seed=1)
    learner = neurode.Learner(untrained, task, "bptt", learning_rate=BPTT_LEARNING_RATE, batch_size=BPTT_BATCH)
    loss = learner.train(BPTT_ITERATIONS)  # the GIL is released meanwhile
    trained = learner.model
    held_out = task.generate(HELD_OUT_TRIALS, seed=99)
    before, after = task.score(held_out, untrained.run_batch(held_out)), task.score(held_out, trained.run_batch(held_out))
    print(f"bptt: {BPTT_ITERATIONS} iterations, loss {loss:.4f}; held-out accuracy {before:.2f} -> {after:.2f}")
    trained_outputs = trained.run_batch(batch).outputs

    fig, axes = plt.subplots(3, 1, figsize=(7, 8), constrained_layout=True)
    axes[0].plot(spike_times, spike_cells, "|", color="k")
    axes[0].set(xlabel="t [ms]", ylabel="cell", title="hh network: raster (clamp rises with cell index)")
    for c in (0, CELLS - 1):
        axes[1].plot(t, v[:, c], label=f"cell {c}")
    axes[1].set(xlabel="t [ms]", ylabel="V [mV]")
    axes[1].legend()
    dt = task.shape[2]
    steps = np.arange(batch.targets.shape[1]) * dt
    axes[2].plot(steps, batch.targets[0, :, 1], "k--", label="target")
    axes[2].plot(steps, prediction[0, :, 1], label="ridge readout")
    axes[2].plot(steps, trained_outputs[0, :, 1], label="trained by BPTT")
    axes[2].set(xlabel="t [ms]", ylabel="output 1", title=f"rate RNN readout (R^2 {readout.r2:.2f})")
    axes[2].legend()
    fig.savefig(figure_path, dpi=100)
    print(f"wrote {figure_path}")


if __name__ == "__main__":
    main()
