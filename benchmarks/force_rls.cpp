// Cost of FORCE learning: one RLS update of the readout (k = P r, rank-1 downdate of P, weight
// step) at N = 250 .. 1000 features, O(N^2) each; and whole FORCE trials at N = 1000 (Sussillo &
// Abbott's network; a 200 ms trial of 1 ms Euler steps with an update every 2 steps, so the
// network's J r and w_f z come on top). Counters: RLS updates per second, Euler steps per second.
#include <benchmark/benchmark.h>

#include <neurode/rnn/force.hpp>
#include <neurode/rnn/tasks/huang.hpp>
#include <neurode/sim/random.hpp>
#include <neurode/sim/readout.hpp>

namespace {

namespace rnn = neurode::rnn;
namespace sim = neurode::sim;

void BM_RlsUpdate(benchmark::State& state)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    sim::RlsReadout rls(n, 1);
    sim::Rng rng(5);
    Eigen::VectorXd r(static_cast<Eigen::Index>(n)), y(1);
    for (auto& v : r) v = rng.uniform(-1.0, 1.0);
    for (auto _ : state) {
        y(0) = rng.normal();
        benchmark::DoNotOptimize(rls.update(r, y).data());
    }
    state.counters["updates_per_second"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_RlsUpdate)->Arg(250)->Arg(500)->Arg(1000)->Complexity(benchmark::oNSquared)
    ->Unit(benchmark::kMicrosecond);

void BM_ForceTrial(benchmark::State& state)
{
    constexpr std::size_t units = 1000, steps = 200;  // 200 ms at 1 ms
    rnn::SineWaveOptions o;
    o.frequency_count = 1;
    o.min_frequency_hz = o.max_frequency_hz = 2.0;
    o.trial_ms = static_cast<double>(steps);
    o.dt = 1.0;
    const rnn::SineWaveTask task(o);
    rnn::ForceLearner learner(rnn::RateNetwork(rnn::force_network(1, 1, units)));
    std::uint64_t seed = 0;
    for (auto _ : state) benchmark::DoNotOptimize(learner.iterate(task, ++seed).loss);
    state.counters["updates_per_second"] =
        benchmark::Counter(static_cast<double>(steps / 2), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["euler_steps_per_second"] =
        benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ForceTrial)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
