// Fixed-point search on the stored 256-unit network h <- tanh(W h), W ~ N(0, 1.5^2 / 256), from
// its 1,024 initial states (trajectories plus N(0, 0.5^2) noise), as the public fixed-point finder
// (mattgolub/fixed-point-finder, PyTorch, defaults, 2 threads) was run on them: 360-369 s wall,
// 863 "unique" points of which 7 have q < 1e-8 and none q < 1e-12, its own tolerance
// (tests/reference/analysis/fpf_random256.h5, written by fpf_reference.py from
// ../shared/reference/fpf/). neurode: Levenberg-Marquardt per start with the analytic Jacobian,
// default options (tolerance 1e-12, unique within 1e-3, eigenvalues at every unique fixed point).
//
// Arguments: threads, starts (the first `starts` of the 1,024). Counters: unique fixed points
// (q < 1e-12), points below 1e-8 (fixed plus slow points), stable ones, starts that converged,
// Levenberg-Marquardt steps, Jacobians, Cholesky factorisations, search and eigenvalue wall time,
// the process CPU time of all threads, and the public finder's median wall time over neurode's
// (speedup; meaningful at 1,024 starts).
//     fixed_points --benchmark_filter='/2/1024'
#include <benchmark/benchmark.h>

#include <ctime>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/analysis/fixed_points.hpp>
#include <neurode/sim/hdf5.hpp>

namespace {

namespace an = neurode::analysis;

struct Case {
    Eigen::MatrixXd W, starts;  // 256 x 256; 256 x 1024 (one start per column)
    Eigen::MatrixXd near;       // 256 x 7: the public finder's points with q < 1e-8
    double public_seconds = 0;
    long public_below_1e8 = 0, public_below_1e12 = 0;
};

const Case& stored_case()
{
    static const Case c = [] {
        Case out;
        const neurode::sim::h5::Reader in(NEURODE_FPF_REFERENCE);
        const auto w = in.read_doubles("W");
        const auto s = in.read_doubles("initial_states");
        const auto n = static_cast<Eigen::Index>(in.shape("W")[0]);
        const auto count = static_cast<Eigen::Index>(in.shape("initial_states")[0]);
        out.W = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(w.data(), n, n);
        out.starts = Eigen::Map<const Eigen::MatrixXd>(s.data(), n, count);  // row-major rows = columns here
        const auto x = in.read_doubles("near_xstar");
        out.near = Eigen::Map<const Eigen::MatrixXd>(x.data(), n, static_cast<Eigen::Index>(x.size()) / n);
        out.public_seconds = in.double_attribute("/", "wall_seconds_median");
        out.public_below_1e8 = in.int_attribute("/", "unique_below_1e-8");
        out.public_below_1e12 = in.int_attribute("/", "unique_below_1e-12");
        return out;
    }();
    return c;
}

void BM_FixedPointsRandom256(benchmark::State& state)
{
    const Case* c = nullptr;
    try {
        c = &stored_case();
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    const Eigen::MatrixXd& W = c->W;
    const an::FunctionModel model(
        an::Dynamics::discrete, static_cast<std::size_t>(W.rows()),
        [&W](const Eigen::VectorXd& x, Eigen::VectorXd& v) { v = (W * x).array().tanh(); },
        [&W](const Eigen::VectorXd& x, Eigen::MatrixXd& J) {
            const Eigen::ArrayXd t = (W * x).array().tanh();
            J.noalias() = (1.0 - t.square()).matrix().asDiagonal() * W;
        });
    an::FixedPointOptions options;
    options.threads = static_cast<std::size_t>(state.range(0));
    const Eigen::MatrixXd starts = c->starts.leftCols(state.range(1));

    an::FixedPointResult result;
    const std::clock_t cpu0 = std::clock();
    for (auto _ : state) result = an::find_fixed_points(model, starts, options);
    const double cpu_seconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;

    const auto& s = result.summary;
    std::size_t below_1e8 = s.fixed_points;
    for (const auto& p : result.slow_points) below_1e8 += p.q < 1e-8 ? 1 : 0;
    // The public finder's near-fixed points (still up to 6e-3 from the zeros they head for) that
    // lie within 1e-2 of a neurode fixed point.
    std::size_t matched = 0;
    for (Eigen::Index k = 0; k < c->near.cols(); ++k) {
        bool found = false;
        for (const auto& p : result.fixed_points) found = found || (p.x - c->near.col(k)).norm() < 1e-2;
        matched += found ? 1 : 0;
    }
    state.counters["public_near_points_matched"] = static_cast<double>(matched);
    state.counters["unique_fixed_points"] = static_cast<double>(s.fixed_points);
    state.counters["unique_below_1e-8"] = static_cast<double>(below_1e8);
    state.counters["stable"] = static_cast<double>(s.stable);
    state.counters["converged_starts"] = static_cast<double>(s.converged);
    state.counters["slow_points"] = static_cast<double>(s.slow_points);
    state.counters["lm_steps"] = static_cast<double>(s.iterations);
    state.counters["jacobians"] = static_cast<double>(s.jacobian_evaluations);
    state.counters["factorizations"] = static_cast<double>(s.factorizations);
    state.counters["search_s"] = s.search_seconds;
    state.counters["eigen_s"] = s.linearise_seconds;
    state.counters["process_cpu_s"] = cpu_seconds;  // all threads: robust to a busy machine
    state.counters["public_unique_below_1e-8"] = static_cast<double>(c->public_below_1e8);
    state.counters["public_unique_below_1e-12"] = static_cast<double>(c->public_below_1e12);
    state.counters["speedup_vs_public"] = c->public_seconds / s.wall_seconds;
    state.SetLabel(s.message);
}
BENCHMARK(BM_FixedPointsRandom256)
    ->ArgNames({"threads", "starts"})
    ->Args({2, 128})
    ->Args({1, 1024})
    ->Args({2, 1024})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
