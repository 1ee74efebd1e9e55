// Throughput of the working-memory study's parameter search on the reference reservoir with its
// cue population: one search evaluation is a network simulated over 12 trials of 1 s (4 cues x
// 3 repeats, the full study's search setting) at staggered Crank-Nicolson, dt 0.1 ms, and scored
// by the cross-validated readout. Reported as evaluations per hour on 1 and 2 threads (counter
// "evaluations_per_hour"), plus seconds per simulated trial (counter "s_per_trial", per thread).
// Run on an idle machine: build/benchmarks/wm_search
#include <benchmark/benchmark.h>

#include <chrono>

#include <neurode/rnn/tasks/working_memory.hpp>

#include "wm/biophysical.hpp"
#include "wm/memory.hpp"

namespace wm = neurode::app::wm;

namespace {
void SearchEvaluation(benchmark::State& state)
{
    const neurode::rnn::WorkingMemoryTask task;  // the reference's timing: cue 250-275 ms of a 1 s trial
    const neurode::rnn::TrialBatch batch = task.generate(12, 1);
    wm::BiophysicalOptions options;  // the study's defaults: 50 E, 25 I, 25 cue cells; dendritic NMDA cue
    options.threads = static_cast<std::size_t>(state.range(0));
    double seconds = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        const wm::MemoryScore score = wm::score_memory(wm::run_biophysical(batch, options).readout, batch, 25.0);
        benchmark::DoNotOptimize(score.mse);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    // Plain values: Google Benchmark's rate counters would print them per second.
    const double evaluations = static_cast<double>(state.iterations());
    state.counters["evaluations_per_hour"] = evaluations * 3600.0 / seconds;
    state.counters["s_per_trial"] = seconds * static_cast<double>(state.range(0)) / (evaluations * 12.0);
}
BENCHMARK(SearchEvaluation)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->Iterations(2)->UseRealTime();
}  // namespace

BENCHMARK_MAIN();
