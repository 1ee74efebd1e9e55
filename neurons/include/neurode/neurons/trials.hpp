#pragma once
// Many independent trials of one network in one call, in parallel over threads. Each trial
// builds its own engine system and simulation (nothing is shared but the read-only model), so
// results depend only on the trial index and its setup, never on the thread count or order.

#include <functional>
#include <vector>

#include <neurode/neurons/network.hpp>
#include <neurode/sim/options.hpp>
#include <neurode/sim/recording.hpp>
#include <neurode/sim/simulation.hpp>
#include <neurode/sim/summary.hpp>

namespace neurode::neurons {

struct TrialResult {
    std::vector<std::vector<double>> spikes;  // per cell: upward threshold crossings [ms]
    std::vector<sim::Recording> recordings;   // the probes the setup added
    sim::RunSummary summary;
};

// Binds the trial's inputs (clamps, noise from a per-trial seed), may redraw its spike sources
// (redraw_drives()) and adds its probes.
using TrialSetup = std::function<void(std::size_t trial, NetworkSystem& system, sim::Simulation& simulation)>;

struct TrialRunOptions {
    std::size_t trials = 1;
    double duration = 1000.0;          // [ms]
    std::size_t threads = 1;           // 0: one per hardware thread
    sim::SolverOptions solver;
    void validate() const;             // names the field
};

// Runs every trial; the first failure (by trial index) is rethrown after all threads stop.
std::vector<TrialResult> run_trials(const NetworkModel& model, const TrialRunOptions& options, const TrialSetup& setup = {});

}  // namespace neurode::neurons
