// BPTT + Adam training throughput of the rate RNN (the benchmark model)
//     x_{t+1} = (1 - a) x_t + a (W f(x_t) + Win u_t + b),  f = 1 + tanh,  a = 0.1,  y = Wout f(x) + bout,
// MSE loss over all T = 75 steps, 4 inputs, 1 output; one iteration is a forward pass, the
// backward pass and an Adam step on a batch. Args: units, batch, precision (0 float64, 1 float32),
// threads. Counters: iterations/s, trials/s and GEMM GFLOP/s (the flops of the matrix products,
// 2 T B (3 N^2 + 2 N m + 3 N o) per iteration). BM_PeakGemm measures what this build's Eigen reaches
// on large products, one per thread at once, as the machine's GEMM peak to compare against.
// benchmarks/bptt_vs_pytorch.sh puts the numbers beside PyTorch's.
#include <benchmark/benchmark.h>

#include <thread>
#include <vector>

#include <neurode/rnn/bptt.hpp>
#include <neurode/rnn/task.hpp>
#include <neurode/sim/random.hpp>

namespace {

namespace rnn = neurode::rnn;
constexpr std::size_t inputs = 4, outputs = 1, steps = 75;
constexpr double dt = 10.0, tau = 100.0;  // [ms]: a = 0.1

rnn::TrialBatch synthetic_batch(std::size_t trials)
{
    rnn::TrialBatch batch("synthetic", trials, steps, dt, {"u0", "u1", "u2", "u3"}, {"y"}, {});
    neurode::sim::Rng rng(1);
    for (double& u : batch.inputs) u = rng.normal();
    for (double& y : batch.targets) y = rng.normal();
    for (double& w : batch.mask) w = 1.0;
    return batch;
}

void BM_BpttTraining(benchmark::State& state)
{
    const auto units = static_cast<std::size_t>(state.range(0));
    const auto trials = static_cast<std::size_t>(state.range(1));
    rnn::RateNetworkOptions o;
    o.units = units;
    o.inputs = inputs;
    o.outputs = outputs;
    o.activation = rnn::Activation::one_plus_tanh;
    o.tau_ms = tau;
    o.gain = 1.0;
    o.seed = 3;
    rnn::BpttOptions options;
    options.batch_size = trials;
    options.precision = state.range(2) == 1 ? rnn::Precision::float32 : rnn::Precision::float64;
    options.threads = static_cast<std::size_t>(state.range(3));
    rnn::BpttLearner learner(rnn::RateNetwork(o), options);
    const auto batch = synthetic_batch(trials);
    std::uint64_t seed = 0;
    for (auto _ : state) benchmark::DoNotOptimize(learner.step(batch, ++seed));
    const double n = static_cast<double>(units), b = static_cast<double>(trials), t = static_cast<double>(steps);
    const double flops = 2 * t * b * (3 * n * n + 2 * n * inputs + 3 * n * outputs);
    state.counters["iterations_per_second"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["trials_per_second"] = benchmark::Counter(b, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["gemm_gflops"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel(options.precision == rnn::Precision::float32 ? "float32" : "float64");
}

template <class S>
void peak_gemm(benchmark::State& state)
{
    using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
    const auto n = static_cast<Eigen::Index>(state.range(0));
    const auto threads = static_cast<std::size_t>(state.range(2));
    std::vector<Mat> a(threads, Mat::Random(n, n)), b(threads, Mat::Random(n, n)), c(threads, Mat::Zero(n, n));
    for (auto _ : state) {
        std::vector<std::jthread> workers;
        for (std::size_t i = 1; i < threads; ++i) workers.emplace_back([&, i] { c[i].noalias() = a[i] * b[i]; });
        c[0].noalias() = a[0] * b[0];
        workers.clear();
        benchmark::DoNotOptimize(c[0].data());
    }
    const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(threads);
    state.counters["gemm_gflops"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// Args: size, precision (0 float64, 1 float32), threads.
void BM_PeakGemm(benchmark::State& state)
{
    if (state.range(1) == 1) {
        state.SetLabel("float32");
        peak_gemm<float>(state);
    } else {
        state.SetLabel("float64");
        peak_gemm<double>(state);
    }
}

}  // namespace

BENCHMARK(BM_BpttTraining)
    ->ArgNames({"units", "batch", "float32", "threads"})
    ->ArgsProduct({{256}, {64}, {0, 1}, {1, 2}})
    ->ArgsProduct({{50}, {64, 500}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(BM_PeakGemm)
    ->ArgNames({"size", "float32", "threads"})
    ->ArgsProduct({{1024}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
