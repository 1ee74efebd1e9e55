#pragma once
// The biophysical side of the working-memory study: the reference reservoir with a cue
// population (neurons/reservoir.hpp) run on a batch of the cue task, one simulation per trial in
// parallel, each with its own background noise; its readout features are the odd E cells' spike
// trains filtered by a causal exponential (the reference's leaky rate cells, tau 10 ms).

#include <cstdint>
#include <vector>

#include <neurode/analysis/activity.hpp>
#include <neurode/neurons/reservoir.hpp>
#include <neurode/neurons/trials.hpp>
#include <neurode/rnn/task.hpp>
#include <neurode/sim/options.hpp>

namespace neurode::app::wm {

struct BiophysicalOptions {
    neurons::ReservoirOptions reservoir;  // cue.cells > 0; reservoir.duration is set to the trial's length
    sim::SolverOptions solver;            // default: staggered Crank-Nicolson, dt 0.1 ms (see biophysical.cpp)
    double readout_tau_ms = 10.0;         // [ms] the leaky rate units' time constant
    std::size_t threads = 0;              // 0: one per hardware thread
    std::uint64_t noise_seed = 1;         // trial t's background trains come from (noise_seed, t)
    std::size_t mechanism_trials = 0;     // trials 0 .. n-1 also record the mechanism probes below
    double mechanism_interval_ms = 0.5;   // [ms] their sampling interval

    BiophysicalOptions();
    void validate() const;  // names the field
};

// Which cells and synapses the mechanism probes record.
struct MechanismCells {
    std::vector<std::size_t> cells;      // example E cells (network cell indices): cued ones first, then readout ones
    std::vector<std::size_t> cue_synapses;  // kinetic synapse indices of the cue -> E projection
};

struct BiophysicalRun {
    analysis::Activity readout;            // odd E cells' filtered trains [Hz] on the batch's grid, epochs attached
    std::vector<neurons::TrialResult> trials;  // spikes of every cell; probes "soma_v", "tip_v", "cue_g" in mechanism trials
    MechanismCells mechanism;
    std::vector<std::size_t> first_cell;   // per population ("E", "I", "cue"): its first cell index
    double rate_e = 0, rate_i = 0, rate_cue = 0;  // [Hz] mean firing rate per cell over all trials
};

// Runs every trial of `batch` (an analog cue task: conditions "cue_x", "cue_y"; epochs
// "stimulus"). Throws invalid_parameter for bad options, solver_error if a simulation fails.
BiophysicalRun run_biophysical(const rnn::TrialBatch& batch, const BiophysicalOptions& options);

}  // namespace neurode::app::wm
