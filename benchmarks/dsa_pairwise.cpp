// Dynamical Similarity Analysis on the workload of the public implementation's recorded timing
// (../shared/reference/dsa/README.md; mitchellostrow/DSA on a 2-core machine, torch with 2 threads):
// networks x_{t+1} = 0.9 x_t + 0.1 (W tanh(x_t) + W_in u_t) with 64 units, 2 inputs, 20 trials of
// 100 steps, W ~ N(0, g^2/64) with g = 0.9 for half the networks and 1.8 for the other half;
// n_delays 5, delay_interval 1, rank 20, the angular score.
//
//   BM_DsaFit            one DMD fit (Hankel 1920 x 320, SVD, regression) per iteration
//   BM_DsaPair           one comparison per iteration, single thread, cycling through 40 pairs of
//                        the 50 networks (20 within a gain group, 20 between); counter
//                        speedup_vs_reference = the reference's median 1.38 s per pair / the CPU
//                        time per pair
//   BM_DsaPairwise/t     all pairs of 12 networks (66 pairs) through dsa_pairwise on t threads;
//                        counters seconds_per_pair (wall) and speedup_vs_reference
//   BM_Conjugacy/n/s     X ~ U[0,1]^{n x n} against Q X Q^T (det Q = -1; true distance 0); s = 1 with
//                        the closed-form structured starts (the default), s = 0 random starts only;
//                        counters angle [rad] and speedup_vs_reference (CPU time) against the
//                        reference's median time at its default 1500 iterations (where it ends at 0.20 / 0.087 /
//                        0.072 rad for n = 10 / 50 / 100)
#include <benchmark/benchmark.h>

#include <ctime>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include <neurode/analysis/dsa.hpp>
#include <neurode/sim/random.hpp>

namespace {

namespace an = neurode::analysis;
using Eigen::MatrixXd;

constexpr std::size_t networks = 50, units = 64, inputs = 2, trials = 20, steps = 100;
constexpr double reference_seconds_per_pair = 1.38;  // median over 3 x 45 pairs

double cpu_seconds_since(std::clock_t start) { return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

an::DsaOptions dsa_options()
{
    an::DsaOptions o;
    o.dmd.n_delays = 5;
    o.dmd.delay_interval = 1;
    o.dmd.rank = 20;
    return o;
}

an::Activity simulate(std::size_t k, neurode::sim::Rng& rng)
{
    const double gain = k < networks / 2 ? 0.9 : 1.8;
    MatrixXd W(units, units), W_in(units, inputs);
    for (auto& v : W.reshaped()) v = rng.normal(0.0, gain / 8.0);  // sd g / sqrt(64)
    for (auto& v : W_in.reshaped()) v = rng.normal();
    an::Activity a;
    a.trials = trials, a.steps = steps, a.units = units;
    a.values.resize(trials * steps * units);
    for (std::size_t trial = 0; trial < trials; ++trial) {
        Eigen::VectorXd x(units), u(inputs);
        for (auto& v : x) v = rng.normal(0.0, 0.3);
        for (std::size_t t = 0; t < steps; ++t) {
            for (auto& v : u) v = rng.normal();
            x = 0.9 * x + 0.1 * (W * x.array().tanh().matrix() + W_in * u);
            for (std::size_t i = 0; i < units; ++i) a.at(trial, t, i) = x(static_cast<Eigen::Index>(i));
        }
    }
    return a;
}

const std::vector<an::Activity>& activities()
{
    static const std::vector<an::Activity> all = [] {
        neurode::sim::Rng master(20240611);
        std::vector<an::Activity> v;
        for (std::size_t k = 0; k < networks; ++k) {
            neurode::sim::Rng rng = master.split();
            v.push_back(simulate(k, rng));
        }
        return v;
    }();
    return all;
}

const std::vector<an::DmdModel>& models()
{
    static const std::vector<an::DmdModel> all = [] {
        std::vector<an::DmdModel> v;
        for (const an::Activity& a : activities()) v.push_back(an::fit_dmd(a, dsa_options().dmd));
        return v;
    }();
    return all;
}

// 20 pairs within a gain group and 20 between, spread over all 50 networks.
std::vector<std::pair<std::size_t, std::size_t>> pair_subset()
{
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    const std::size_t half = networks / 2;
    for (std::size_t k = 0; k < 10; ++k) {
        pairs.emplace_back(k, (k + 7) % half);                 // g = 0.9 with g = 0.9
        pairs.emplace_back(half + k, half + (k + 11) % half);  // g = 1.8 with g = 1.8
        pairs.emplace_back(2 * k, half + 2 * k + 1);           // between
        pairs.emplace_back(2 * k + 1, half + 3 * k % half);    // between
    }
    return pairs;
}

void BM_DsaFit(benchmark::State& state)
{
    const std::vector<an::Activity>& all = activities();
    std::size_t k = 0;
    for (auto _ : state) benchmark::DoNotOptimize(an::fit_dmd(all[k++ % networks], dsa_options().dmd).A.data());
    state.counters["networks_per_second"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_DsaPair(benchmark::State& state)
{
    const std::vector<an::DmdModel>& m = models();
    const auto pairs = pair_subset();
    const an::SimilarityOptions options = dsa_options().similarity;
    std::size_t k = 0;
    double angles = 0;
    const std::clock_t start = std::clock();
    for (auto _ : state) {
        const auto [i, j] = pairs[k++ % pairs.size()];
        angles += an::compare_operators(m[i].A, m[j].A, options).angle;
    }
    const double per_pair = cpu_seconds_since(start) / static_cast<double>(k);
    state.counters["speedup_vs_reference"] = reference_seconds_per_pair / per_pair;
    state.counters["mean_angle"] = angles / static_cast<double>(k);
}

void BM_DsaPairwise(benchmark::State& state)
{
    const std::vector<an::DmdModel>& m = models();
    std::vector<an::DmdModel> subset;
    for (std::size_t k = 0; k < 6; ++k) subset.push_back(m[k]), subset.push_back(m[networks / 2 + k]);
    an::DsaOptions options = dsa_options();
    options.threads = static_cast<std::size_t>(state.range(0));
    double per_pair = 0;
    for (auto _ : state) {
        const an::DsaResult r = an::dsa_pairwise(std::span<const an::DmdModel>(subset), options);
        per_pair = r.compare_seconds / static_cast<double>(r.pairs.size());
    }
    state.counters["seconds_per_pair"] = per_pair;
    state.counters["speedup_vs_reference"] = reference_seconds_per_pair / per_pair;
}

void BM_Conjugacy(benchmark::State& state)
{
    const Eigen::Index n = state.range(0);
    const double reference_seconds = n == 10 ? 1.27 : n == 50 ? 7.17 : 46.58;  // median, 1500 iterations
    neurode::sim::Rng rng(5);
    MatrixXd X(n, n), Z(n, n);
    for (auto& v : X.reshaped()) v = rng.uniform();
    for (auto& v : Z.reshaped()) v = rng.normal();
    const Eigen::HouseholderQR<MatrixXd> qr(Z);
    MatrixXd Q = qr.householderQ();
    if (Q.determinant() > 0) Q.col(0) *= -1;
    const MatrixXd Y = Q * X * Q.transpose();
    an::SimilarityOptions options;
    options.structured_starts = state.range(1) != 0;
    if (!options.structured_starts) options.random_starts = 16;
    double angle = 0;
    std::size_t count = 0;
    const std::clock_t start = std::clock();
    for (auto _ : state) angle = an::compare_operators(X, Y, options).angle, ++count;
    state.counters["angle"] = angle;
    state.counters["speedup_vs_reference"] = reference_seconds / (cpu_seconds_since(start) / static_cast<double>(count));
}

}  // namespace

BENCHMARK(BM_DsaFit)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DsaPair)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DsaPairwise)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Conjugacy)
    ->Args({10, 1})->Args({50, 1})->Args({100, 1})
    ->Args({10, 0})->Args({50, 0})->Args({100, 0})
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
