#include "wm/biophysical.hpp"

#include <algorithm>
#include <cmath>

#include <neurode/analysis/activity_io.hpp>
#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/synaptic_recording.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::app::wm {

BiophysicalOptions::BiophysicalOptions()
{
    reservoir.cue.cells = 25;
    // NEURON's fixed-step scheme with Crank-Nicolson voltages: at dt 0.1 ms its first-spike error
    // on this network (0.4 ms) is close to the reference's own backward Euler at 0.025 ms (0.3
    // ms; README, "Biophysical reservoir against NEURON"), at a quarter of its cost.
    solver.method = sim::Method::staggered_crank_nicolson;
    solver.dt = 0.1;
}

void BiophysicalOptions::validate() const
{
    if (reservoir.cue.cells == 0) throw invalid_parameter("reservoir.cue.cells", "must be > 0: the task needs a cue population");
    reservoir.validate();
    solver.validate();
    if (!(std::isfinite(readout_tau_ms) && readout_tau_ms > 0)) throw invalid_parameter("readout_tau_ms", "must be finite and > 0 ms");
    if (!(std::isfinite(mechanism_interval_ms) && mechanism_interval_ms > 0))
        throw invalid_parameter("mechanism_interval_ms", "must be finite and > 0 ms");
}

namespace {
MechanismCells mechanism_cells(const neurons::NetworkDescription& d, const neurons::BuiltNetwork& b)
{
    const std::size_t e = d.population_index("E");
    const std::size_t cue_to_e = d.connections.size() - 2;  // reference_reservoir appends cue -> E, cue -> I
    std::size_t first_cue_synapse = 0;
    for (std::size_t k = 0; k < cue_to_e; ++k) first_cue_synapse += b.connectivity[k].size();
    MechanismCells m;
    std::vector<std::size_t> cued;
    for (std::size_t k = 0; k < b.connectivity[cue_to_e].size(); ++k) {
        m.cue_synapses.push_back(first_cue_synapse + k);
        const std::size_t cell = b.cell(e, b.connectivity[cue_to_e].edges[k].target);
        if (std::find(cued.begin(), cued.end(), cell) == cued.end()) cued.push_back(cell);
    }
    std::sort(cued.begin(), cued.end());
    for (std::size_t i = 0; i < std::min<std::size_t>(2, cued.size()); ++i) m.cells.push_back(cued[i]);
    for (std::size_t i = 1; i < d.populations[e].size && m.cells.size() < 4; i += 2) m.cells.push_back(b.cell(e, i));
    return m;
}

double mean_rate(const std::vector<neurons::TrialResult>& trials, std::size_t first, std::size_t count, double duration_ms)
{
    double spikes = 0;
    for (const auto& t : trials)
        for (std::size_t c = first; c < first + count; ++c) spikes += static_cast<double>(t.spikes[c].size());
    return spikes / (static_cast<double>(trials.size() * count) * duration_ms * 1e-3);
}
}  // namespace

BiophysicalRun run_biophysical(const rnn::TrialBatch& batch, const BiophysicalOptions& options)
{
    options.validate();
    const double duration = static_cast<double>(batch.steps) * batch.dt;  // [ms]
    neurons::ReservoirOptions reservoir = options.reservoir;
    reservoir.duration = duration;
    const neurons::NetworkDescription description = neurons::reference_reservoir(reservoir);
    const neurons::BuiltNetwork network = neurons::build(description);
    const std::size_t x = batch.condition_index("cue_x"), y = batch.condition_index("cue_y");
    const rnn::Epoch& cue_epoch = batch.epoch(0, "stimulus");
    const double onset = static_cast<double>(cue_epoch.start) * batch.dt, cue_ms = static_cast<double>(cue_epoch.length()) * batch.dt;

    BiophysicalRun run;
    run.mechanism = mechanism_cells(description, network);
    std::vector<std::uint64_t> noise_seeds;
    sim::Rng seeds(options.noise_seed);
    for (std::size_t t = 0; t < batch.trials; ++t) noise_seeds.push_back(seeds.next_u64());

    neurons::TrialRunOptions trial_options;
    trial_options.trials = batch.trials;
    trial_options.duration = duration;
    trial_options.threads = options.threads;
    trial_options.solver = options.solver;
    const auto setup = [&](std::size_t trial, neurons::NetworkSystem& system, sim::Simulation& simulation) {
        neurons::redraw_drives(description, network, system, noise_seeds[trial]);
        neurons::bind_cue(description, network, simulation,
                          neurons::cue_currents(reservoir.cue, batch.condition(trial, x), batch.condition(trial, y)), onset, cue_ms);
        if (trial >= options.mechanism_trials) return;
        std::vector<std::size_t> soma, tip;
        for (std::size_t cell : run.mechanism.cells) {
            soma.push_back(system.voltage_index(cell, {"soma", 0.0}));
            tip.push_back(system.voltage_index(cell, {"dend3", 1.0}));
        }
        const double interval = options.mechanism_interval_ms;
        simulation.add_probe(sim::Probe::state("soma_v", soma, interval));
        simulation.add_probe(sim::Probe::state("tip_v", tip, interval));
        simulation.add_probe(neurons::synaptic_conductance_probe(system, "cue_g", neurons::SynapseKind::kinetic,
                                                                 run.mechanism.cue_synapses, interval));
    };
    run.trials = neurons::run_trials(network.model, trial_options, setup);

    // Readout features: the odd E cells (the even ones receive the cue).
    const std::size_t e = description.population_index("E");
    std::vector<analysis::SpikeTrains> odd(batch.trials);
    for (std::size_t t = 0; t < batch.trials; ++t)
        for (std::size_t i = 1; i < reservoir.excitatory; i += 2) odd[t].push_back(run.trials[t].spikes[network.cell(e, i)]);
    analysis::SpikeRateOptions rates;
    rates.kernel = {analysis::KernelShape::causal_exponential, options.readout_tau_ms};
    rates.grid = {0.0, duration, batch.dt};
    run.readout = analysis::activity_from_spikes(odd, rates);
    analysis::attach_trials(run.readout, batch);

    for (const auto& name : {"E", "I", "cue"}) run.first_cell.push_back(network.first_cell[description.population_index(name)]);
    run.rate_e = mean_rate(run.trials, run.first_cell[0], reservoir.excitatory, duration);
    run.rate_i = mean_rate(run.trials, run.first_cell[1], reservoir.excitatory / 2, duration);
    run.rate_cue = mean_rate(run.trials, run.first_cell[2], reservoir.cue.cells, duration);
    return run;
}

}  // namespace neurode::app::wm
