#include <neurode/neurons/trials.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/parallel.hpp>

namespace neurode::neurons {

void TrialRunOptions::validate() const
{
    if (trials == 0) throw invalid_parameter("trials", "must be > 0");
    if (!(std::isfinite(duration) && duration > 0)) throw invalid_parameter("duration", "must be finite and > 0 ms");
    solver.validate();
}

std::vector<TrialResult> run_trials(const NetworkModel& model, const TrialRunOptions& options, const TrialSetup& setup)
{
    options.validate();
    model.validate();
    std::vector<TrialResult> results(options.trials);
    sim::parallel_for(options.trials, options.threads, [&](std::size_t trial) {
        NetworkSystem system(model);
        sim::Simulation simulation(system, options.solver);
        if (setup) setup(trial, system, simulation);
        simulation.advance(options.duration);
        TrialResult& r = results[trial];
        r.spikes = system.spike_trains(simulation.events());
        r.recordings = simulation.recordings();
        r.summary = simulation.summary();
    });
    return results;
}

}  // namespace neurode::neurons
