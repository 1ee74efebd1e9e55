// Forward-simulation throughput of a rate RNN: 256 units, a batch of 64 trials of 75 steps
// (dt 20 ms, 4 inputs), through the Euler map the papers train and through the engine (CVODE,
// restarted at every input step; three linear-solver choices). Counter: trials per second.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include <neurode/rnn/rate_network.hpp>

namespace {

namespace rnn = neurode::rnn;
constexpr std::size_t units = 256, inputs = 4, trials = 64, steps = 75;
constexpr double dt = 20.0;  // [ms]

rnn::RateNetwork network()
{
    rnn::RateNetworkOptions o;
    o.units = units;
    o.inputs = inputs;
    o.outputs = 3;
    o.gain = 1.2;
    o.seed = 3;
    return rnn::RateNetwork(o);
}

std::vector<double> batch_inputs()
{
    std::vector<double> u(trials * steps * inputs);
    for (std::size_t i = 0; i < u.size(); ++i) u[i] = std::sin(0.01 * static_cast<double>(i));
    return u;
}

void BM_RateNetworkEuler(benchmark::State& state)
{
    const auto net = network();
    const auto u = batch_inputs();
    for (auto _ : state) benchmark::DoNotOptimize(net.run_euler(u, trials, steps, dt).states.data());
    state.counters["trials_per_second"] = benchmark::Counter(static_cast<double>(trials), benchmark::Counter::kIsIterationInvariantRate);
}

// Arg 0: CVODE BDF + GMRES (matrix-free; the default for rate networks), 1: Adams + GMRES,
// 2: BDF + dense LU of the analytic Jacobian (one O(n^3) factorisation per restart; about 600 s
// per batch on a 2-core machine, so registered DISABLED_; drop the prefix to run it).
void BM_RateNetworkEngine(benchmark::State& state)
{
    const auto net = network();
    const auto u = batch_inputs();
    neurode::sim::SolverOptions solver = rnn::RateNetwork::default_solver();
    if (state.range(0) == 1) solver.method = neurode::sim::Method::cvode_adams;
    if (state.range(0) == 2) solver.linear_solver = neurode::sim::LinearSolver::dense;
    state.SetLabel(std::string(neurode::sim::to_string(solver.method)) + "+" +
                   std::string(neurode::sim::to_string(solver.linear_solver)));
    for (auto _ : state) benchmark::DoNotOptimize(net.run_engine(u, trials, steps, dt, solver).states.data());
    state.counters["trials_per_second"] = benchmark::Counter(static_cast<double>(trials), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_RateNetworkEuler)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RateNetworkEngine)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_RateNetworkEngine)->Name("DISABLED_BM_RateNetworkEngineDense")->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
