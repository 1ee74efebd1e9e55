// Sweep throughput: networks trained per hour by `neurode sweep`'s runner on 1 and 2 threads, and
// the parallel efficiency rate(2 threads) / (2 rate(1 thread)) measured in the same run. Each
// point of benchmarks/sweep_throughput.json trains a 64-unit rate network with BPTT on go or anti
// for a fixed budget of 2,048 trials (criterion 1.0 over 10 validations, out of reach, so every
// point costs about the same), evaluates it and stores it: the heterogeneity study's points
// without the perturbations. Records go to a fresh temporary directory per run: nothing resumes.
// Run on an idle machine: build/benchmarks/sweep_throughput
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>

#include <unistd.h>

#include <neurode/sim/sweep.hpp>
#include <neurode/sim/text_file.hpp>

#include "config.hpp"
#include "sweep/description.hpp"
#include "sweep/point.hpp"

namespace sweep = neurode::app::sweep;
namespace sim = neurode::sim;

namespace {

// Seconds to run the whole sweep on `threads` threads.
double run(const sweep::SweepDescription& d, const sim::SweepPlan& plan, std::size_t threads)
{
    sim::SweepOptions options;
    options.directory = std::filesystem::temp_directory_path() /
                        ("neurode-sweep-throughput-" + std::to_string(::getpid()) + "-" + std::to_string(threads));
    std::filesystem::remove_all(options.directory);
    options.threads = threads;
    const auto start = std::chrono::steady_clock::now();
    const sim::SweepSummary s = sim::run_sweep(plan, options, [&](std::size_t p, sim::h5::Writer& w) { sweep::run_point(d, plan, p, w); });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::filesystem::remove_all(options.directory);
    if (s.computed != plan.size()) throw std::runtime_error("sweep_throughput: not every point was computed");
    return seconds;
}

void SweepThroughput(benchmark::State& state)
{
    const sweep::SweepDescription d = sweep::parse_sweep(neurode::app::parse_json(
        sim::read_text_file(NEURODE_SWEEP_THROUGHPUT_FILE, "the sweep file"), NEURODE_SWEEP_THROUGHPUT_FILE));
    const sim::SweepPlan plan = d.plan();
    const double networks = static_cast<double>(plan.size());
    double one = 0, two = 0;
    for (auto _ : state) {
        one += run(d, plan, 1);
        two += run(d, plan, 2);
    }
    const double runs = static_cast<double>(state.iterations());
    // Plain values: Google Benchmark's rate counters would print them per second.
    state.counters["networks_per_hour_1_thread"] = networks * runs * 3600.0 / one;
    state.counters["networks_per_hour_2_threads"] = networks * runs * 3600.0 / two;
    state.counters["parallel_efficiency"] = one / (2.0 * two);
}
BENCHMARK(SweepThroughput)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
}  // namespace

BENCHMARK_MAIN();
