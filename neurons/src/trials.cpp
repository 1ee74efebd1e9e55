#include <neurode/neurons/trials.hpp>

#include <atomic>
#include <cmath>
#include <exception>
#include <thread>

#include <neurode/sim/errors.hpp>

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
    std::vector<std::exception_ptr> failures(options.trials);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t trial = next++; trial < options.trials; trial = next++) {
            try {
                NetworkSystem system(model);
                sim::Simulation simulation(system, options.solver);
                if (setup) setup(trial, system, simulation);
                simulation.advance(options.duration);
                TrialResult& r = results[trial];
                r.spikes.resize(system.cell_count());
                for (const sim::Event& e : simulation.events())
                    if (e.direction > 0) r.spikes[system.detector_cell(e.root)].push_back(e.time);
                r.recordings = simulation.recordings();
                r.summary = simulation.summary();
            } catch (...) {
                failures[trial] = std::current_exception();
            }
        }
    };
    const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t threads = std::min(options.trials, options.threads == 0 ? hardware : options.threads);
    std::vector<std::thread> pool;
    for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& f : failures)
        if (f) std::rethrow_exception(f);
    return results;
}

}  // namespace neurode::neurons
