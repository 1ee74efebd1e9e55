// `neurode bench` (app/bench/) and the work-precision harness under it (libsim's
// work_precision.hpp, jacobi_preconditioner.hpp), against independent oracles: the output
// SUNDIALS publishes for cvRoberts_dns, NEURON 8.2's traces of the HH soma and the ball-and-stick
// (tests/reference/neuron/), fake methods whose errors and failures are set by construction,
// hand-made spike trains, and hand-made measurements for the advice.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <thread>

#include "../support/cv_roberts.hpp"
#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"
#include <neurode/neurons/populations.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/jacobi_preconditioner.hpp>
#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>
#include <neurode/sim/work_precision.hpp>

#include "bench/bench.hpp"
#include "bench/registry.hpp"

namespace sb = neurode::sim::bench;
namespace sim = neurode::sim;
namespace nn = neurode::neurons;
namespace bench = neurode::app::bench;

namespace {

// The problem's reference run, as measure() makes it.
sb::Trajectory reference_run(const sb::Problem& p)
{
    const sb::Configuration c = sb::configuration(p.reference_configuration);
    sim::SolverOptions o = c.options;
    if (c.varies_tolerance()) {
        o.rtol = p.reference_setting;
        o.atol = p.reference_setting;
        for (double r : p.atol_ratio) o.atol_vector.push_back(r * p.reference_setting);
    } else {
        o.dt = p.reference_setting;
    }
    sb::RunContext context(c, o, std::chrono::steady_clock::time_point::max(), std::size_t{1} << 30);
    return p.run(context);
}

// Index of the sample at time t on a uniform grid.
std::size_t sample_at(const sb::Trajectory& t, double time)
{
    const double interval = t.times[1] - t.times[0];
    return static_cast<std::size_t>(std::lround((time - t.times[0]) / interval));
}

sb::Trajectory trains(std::vector<std::vector<double>> spikes, double end)
{
    sb::Trajectory t;
    t.times = {0.0, end};
    t.spikes = std::move(spikes);
    return t;
}

}  // namespace

// --- reference solutions against published and NEURON outputs ----------------------------------

TEST(BenchReference, RobertsonAgreesWithSundialsPublishedOutput)
{
    const sb::Problem p = bench::Registry::builtin().make("robertson", {});
    const sb::Trajectory ref = reference_run(p);
    ASSERT_EQ(ref.times.size(), std::size(cv_roberts_dns_out));
    // The tight reference must agree with the published run within that run's own error.
    const double scale[] = {1.0, 1e4, 1.0};  // the registry's problem scales y2 by 1e4
    for (std::size_t k = 0; k < ref.times.size(); ++k) {
        const RobertsonRow& row = cv_roberts_dns_out[k];
        EXPECT_DOUBLE_EQ(ref.times[k], row.t);
        double y[3], mass = 0;
        for (std::size_t i = 0; i < 3; ++i) mass += y[i] = ref.values[k * 3 + i] / scale[i];
        expect_matches_published(y, row);
        EXPECT_NEAR(mass, 1.0, 1e-10) << "y1 + y2 + y3 is conserved exactly by the kinetics";
    }
}

TEST(BenchReference, HhSomaAgreesWithNeuron)
{
    const sb::Problem p = bench::Registry::builtin().make("hh-soma", {});
    const sb::Trajectory ref = reference_run(p);
    const KeyedReference neuron("neuron/hh_soma.txt");
    const std::vector<double> spikes = neuron.values("spikes");
    ASSERT_EQ(ref.spikes.size(), 1u);
    ASSERT_EQ(ref.spikes[0].size(), spikes.size()) << "missing tests/reference/neuron/hh_soma.txt?";
    // Both are tight CVODE solutions (NEURON's at 1e-10) of the same model; the bounds are about
    // four times the agreement measured when this test was written.
    for (std::size_t k = 0; k < spikes.size(); ++k) EXPECT_NEAR(ref.spikes[0][k], spikes[k], 0.005) << "spike " << k;
    const std::vector<double> times = neuron.column("v", 0), volts = neuron.column("v", 1);
    double squares = 0;
    for (std::size_t k = 0; k < times.size(); ++k)
        squares += std::pow(ref.values[sample_at(ref, times[k])] - volts[k], 2);
    EXPECT_LT(std::sqrt(squares / static_cast<double>(times.size())), 1e-4);  // [mV]
}

TEST(BenchReference, BallAndStickAgreesWithNeuron)
{
    const sb::Problem p = bench::Registry::builtin().make("ball-and-stick", {});
    const sb::Trajectory ref = reference_run(p);
    const KeyedReference neuron("neuron/kinetic_synapses.txt");
    const std::vector<double> pre = neuron.values("pre_spikes"), post = neuron.values("post_spikes");
    ASSERT_EQ(ref.spikes.size(), 2u);
    ASSERT_EQ(ref.spikes[0].size(), pre.size()) << "missing tests/reference/neuron/kinetic_synapses.txt?";
    ASSERT_EQ(ref.spikes[1].size(), post.size());
    // As for the HH soma (NEURON at rtol = atol = 1e-9 here): bounds a few times the agreement measured.
    for (std::size_t k = 0; k < pre.size(); ++k) EXPECT_NEAR(ref.spikes[0][k], pre[k], 0.01) << "pre spike " << k;
    for (std::size_t k = 0; k < post.size(); ++k) EXPECT_NEAR(ref.spikes[1][k], post[k], 0.01) << "post spike " << k;
    const std::vector<double> times = neuron.column("v", 0), soma = neuron.column("v", 1), dend = neuron.column("v", 2);
    double soma_sq = 0, dend_sq = 0;
    for (std::size_t k = 0; k < times.size(); ++k) {
        const std::size_t s = sample_at(ref, times[k]);
        soma_sq += std::pow(ref.values[s * 2] - soma[k], 2);
        dend_sq += std::pow(ref.values[s * 2 + 1] - dend[k], 2);
    }
    EXPECT_LT(std::sqrt(soma_sq / static_cast<double>(times.size())), 5e-4);  // [mV]
    EXPECT_LT(std::sqrt(dend_sq / static_cast<double>(times.size())), 5e-4);
}

// --- error measures --------------------------------------------------------------------------------

TEST(BenchErrors, ValueErrorsByHand)
{
    sb::Trajectory ref, run;
    ref.times = run.times = {0.0, 1.0};
    ref.width = run.width = 2;
    ref.values = {3.0, 0.0, 0.0, 4.0};
    run.values = {3.0, 1.0, 0.0, 4.0};
    const sb::Errors e = sb::compare(run, ref, 1.0);
    EXPECT_DOUBLE_EQ(e.relative_l2, 1.0 / 5.0);
    EXPECT_DOUBLE_EQ(e.rms, 0.5);
    EXPECT_DOUBLE_EQ(e.max_abs, 1.0);
    EXPECT_TRUE(std::isnan(e.spike_time));
    EXPECT_TRUE(e.complete(sb::ErrorMeasure::relative_l2));
    EXPECT_FALSE(e.complete(sb::ErrorMeasure::spike_time));
}

TEST(BenchErrors, SpikeMatchingByHand)
{
    // Cell 0: 10 and 20 matched (0.2, 0.4 ms off), 30 missed, 45 extra. Cell 1: first spike 0.5 ms
    // late. Cell 2: spikes only in the run, at 99.5, inside the last window: neither extra nor a
    // missing first spike.
    const sb::Trajectory ref = trains({{10.0, 20.0, 30.0}, {50.0}, {}}, 100.0);
    const sb::Trajectory run = trains({{10.2, 20.4, 45.0}, {50.5}, {99.5}}, 100.0);
    const sb::Errors e = sb::compare(run, ref, 1.0);
    EXPECT_EQ(e.reference_spikes, 4);
    EXPECT_EQ(e.matched, 3);
    EXPECT_EQ(e.missed, 1);
    EXPECT_EQ(e.extra, 1);
    EXPECT_NEAR(e.spike_time, (0.2 + 0.4 + 0.5) / 3, 1e-12);
    EXPECT_NEAR(e.first_spike, (0.2 + 0.5) / 2, 1e-12);
    EXPECT_EQ(e.first_spike_missing, 0);
    EXPECT_FALSE(e.complete(sb::ErrorMeasure::spike_time));
    EXPECT_TRUE(e.complete(sb::ErrorMeasure::first_spike));
    // The same extra spike earlier is counted, and the cell's first spike is missing from the
    // reference: it counts its distance to the end, 40 ms, a lower bound of its error.
    const sb::Errors early = sb::compare(trains({{10.2, 20.4, 45.0}, {50.5}, {60.0}}, 100.0), ref, 1.0);
    EXPECT_EQ(early.extra, 2);
    EXPECT_EQ(early.first_spike_missing, 1);
    EXPECT_NEAR(early.first_spike, (0.2 + 0.5 + 40.0) / 3, 1e-12);
    EXPECT_TRUE(early.complete(sb::ErrorMeasure::first_spike));
}

TEST(BenchErrors, DifferentGridsNameTheTrajectory)
{
    sb::Trajectory a, b;
    a.times = {0.0, 1.0};
    b.times = {0.0, 1.5};
    expect_field([&] { sb::compare(a, b, 1.0); }, "trajectory.times");
    b.times = {0.0};
    expect_field([&] { sb::compare(a, b, 1.0); }, "trajectory");
}

// --- the advice: fastest per accuracy level ----------------------------------------------------

TEST(BenchAdvice, FastestCompleteRunAtOrBelowEachLevel)
{
    const auto run = [](std::string name, double error, double wall, bool complete = true,
                        sb::RunStatus status = sb::RunStatus::ok) {
        sb::Measurement m;
        m.configuration = std::move(name);
        m.error = error;
        m.wall_median = wall;
        m.complete = complete;
        m.status = status;
        return m;
    };
    const std::vector<sb::Measurement> ms{
        run("slow_accurate", 1e-6, 5.0),
        run("fast_rough", 1e-2, 0.1),
        run("medium", 1e-4, 1.0),
        run("fastest_but_missed_spikes", 1e-5, 0.01, false),
        run("failed", 1e-8, 0.001, true, sb::RunStatus::failed),
        run("medium_twin_slower", 1e-4, 1.5),
    };
    const std::vector<double> levels{1e-1, 1e-2, 1e-3, 1e-5, 1e-7};
    const auto advice = sb::fastest_per_level(ms, levels);
    ASSERT_EQ(advice.size(), levels.size());
    const auto chosen = [&](std::size_t k) {
        return advice[k].measurement ? ms[*advice[k].measurement].configuration : "none";
    };
    EXPECT_EQ(chosen(0), "fast_rough");     // 1e-1: every complete run reaches it; the fastest wins
    EXPECT_EQ(chosen(1), "fast_rough");     // 1e-2: error == level counts
    EXPECT_EQ(chosen(2), "medium");         // 1e-3: not the slower twin, not the incomplete run
    EXPECT_EQ(chosen(3), "slow_accurate");  // 1e-5
    EXPECT_EQ(chosen(4), "none");           // 1e-7: only a failed run claims it
    EXPECT_EQ(advice[1].level, 1e-2);
}

// --- the harness on fake methods ---------------------------------------------------------------------

namespace {

// A fake problem: no integration, the "solution" is 1 + error with the error fixed per method and
// setting, so that the harness's bookkeeping can be checked exactly.
//   forward_euler: error dt, fails (solver_error) at dt > 0.3
//   rk4:           error dt^4
//   cvode_bdf/*:   error rtol; fails at rtol < 1e-5 (then the rest of its ladder is skipped)
//   cvode_adams/*: sleeps past the budget at every setting
sb::Problem fake_problem()
{
    sb::Problem p;
    p.name = "fake";
    p.description = "fake methods with known errors";
    p.size = 1;
    p.measure = sb::ErrorMeasure::relative_l2;
    p.reference_configuration = "rk4";
    p.reference_setting = 1e-6;
    p.configurations = {"forward_euler", "rk4", "cvode_bdf/dense", "cvode_adams/dense"};
    p.tolerances = {1e-3, 1e-4, 1e-5, 1e-6, 1e-7};
    p.steps = {0.4, 0.2, 0.1};
    // Levels a little above the injected errors: 1 + 1e-5 - 1 rounds to just over 1e-5.
    p.accuracy_levels = {0.15, 2e-3, 2e-5};
    p.run = [](sb::RunContext& context) {
        const sim::SolverOptions& o = context.options();
        double error = 0;
        switch (o.method) {
            case sim::Method::forward_euler:
                if (o.dt > 0.3) throw neurode::solver_error("fake instability", 0.0, o.dt, "y");
                error = o.dt;
                break;
            case sim::Method::rk4: error = std::pow(o.dt, 4); break;
            case sim::Method::cvode_bdf:
                if (o.rtol < 1e-5) throw neurode::solver_error("fake too much work", 0.0, 0.0, "y");
                error = o.rtol;
                break;
            default: {
                sim::problems::LinearDecay model;
                sim::Simulation s(context.system(model), context.options());
                context.watch(s, 1e-3);
                std::this_thread::sleep_for(std::chrono::milliseconds(60));
                s.advance(1.0);  // the first budget check throws
                break;
            }
        }
        sb::Trajectory t;
        t.times = {1.0};
        t.width = 1;
        t.values = {1.0 + error};
        return t;
    };
    return p;
}

const sb::Measurement& find(const sb::ProblemResult& r, const std::string& configuration, double setting)
{
    for (const sb::Measurement& m : r.measurements)
        if (m.configuration == configuration && m.setting == setting) return m;
    throw std::runtime_error("no measurement " + configuration);
}

}  // namespace

TEST(BenchHarness, FakeMethodsErrorsStatusesAndLadderRules)
{
    sb::MeasureOptions o;
    o.repeats = 3;
    o.budget = 0.03;
    const sb::ProblemResult r = sb::measure(fake_problem(), o);
    ASSERT_EQ(r.measurements.size(), 3u + 3u + 5u + 5u);
    // Errors are relative to the reference 1 + 1e-24, i.e. the injected ones.
    EXPECT_NEAR(find(r, "forward_euler", 0.2).error, 0.2, 1e-12);
    EXPECT_NEAR(find(r, "forward_euler", 0.1).error, 0.1, 1e-12);
    EXPECT_NEAR(find(r, "rk4", 0.1).error, 1e-4, 1e-12);
    EXPECT_NEAR(find(r, "cvode_bdf/dense", 1e-4).error, 1e-4, 1e-12);
    // A fixed-step failure (instability at a large dt) does not end the ladder ...
    EXPECT_EQ(find(r, "forward_euler", 0.4).status, sb::RunStatus::failed);
    EXPECT_NE(find(r, "forward_euler", 0.4).message.find("fake instability"), std::string::npos);
    EXPECT_EQ(find(r, "forward_euler", 0.2).status, sb::RunStatus::ok);
    // ... a CVODE failure does: tighter tolerances are skipped, and say why.
    EXPECT_EQ(find(r, "cvode_bdf/dense", 1e-6).status, sb::RunStatus::failed);
    EXPECT_EQ(find(r, "cvode_bdf/dense", 1e-7).status, sb::RunStatus::skipped);
    EXPECT_NE(find(r, "cvode_bdf/dense", 1e-7).message.find("failed"), std::string::npos);
    // A run past the budget is stopped, and every finer setting skipped.
    EXPECT_EQ(find(r, "cvode_adams/dense", 1e-3).status, sb::RunStatus::over_budget);
    for (double tol : {1e-4, 1e-5, 1e-6, 1e-7})
        EXPECT_EQ(find(r, "cvode_adams/dense", tol).status, sb::RunStatus::skipped);
    // Fast runs are repeated; the median is one of them.
    const sb::Measurement& rk = find(r, "rk4", 0.4);
    ASSERT_EQ(rk.wall_seconds.size(), 3u);
    EXPECT_TRUE(rk.wall_median == rk.wall_seconds[0] || rk.wall_median == rk.wall_seconds[1] ||
                rk.wall_median == rk.wall_seconds[2]);
    // The advice only ever names complete runs that reach the level.
    ASSERT_EQ(r.advice.size(), 3u);
    for (const sb::Advice& a : r.advice) {
        ASSERT_TRUE(a.measurement.has_value()) << "level " << a.level;
        EXPECT_LE(r.measurements[*a.measurement].error, a.level);
        EXPECT_EQ(r.measurements[*a.measurement].status, sb::RunStatus::ok);
    }
}

TEST(BenchHarness, ConfigurationsThatCannotRunSayWhy)
{
    sb::Problem p = fake_problem();
    p.configurations = {"cvode_bdf/klu", "cvode_bdf/banded", "cvode_bdf/gmres+model", "staggered_euler",
                        "cvode_adams/dense"};
    p.run = [](sb::RunContext& context) {
        sim::problems::LinearDecay model;  // a dense Jacobian, no preconditioner, no staggered step
        sim::Simulation s(context.system(model), context.options());
        s.advance(1.0);
        sb::Trajectory t;
        t.times = {1.0};
        t.width = 1;
        t.values = {s.state()[0]};
        return t;
    };
    sb::MeasureOptions o;
    o.matrix_limit_bytes = 4;  // smaller than LinearDecay's 1 x 1 dense matrix
    const sb::ProblemResult r = sb::measure(p, o);
    ASSERT_EQ(r.measurements.size(), 5u);  // one row per configuration, no ladder
    const auto why = [&](std::size_t k) {
        EXPECT_EQ(r.measurements[k].status, sb::RunStatus::not_applicable) << r.measurements[k].configuration;
        EXPECT_TRUE(std::isnan(r.measurements[k].setting));
        return r.measurements[k].message;
    };
    EXPECT_NE(why(0).find("klu needs the model's sparse Jacobian"), std::string::npos) << why(0);
    EXPECT_NE(why(1).find("banded needs bandwidths"), std::string::npos) << why(1);
    EXPECT_NE(why(2).find("no preconditioner"), std::string::npos) << why(2);
    EXPECT_NE(why(3).find("staggered"), std::string::npos) << why(3);
    EXPECT_NE(why(4).find("over the limit"), std::string::npos) << why(4);
}

TEST(BenchHarness, LinearDecayConvergesAtTheMethodsOrders)
{
    // A real integration: y' = -y to t = 1 against its closed form via a reference run. Halving dt
    // divides forward Euler's error by 2 and RK4's by 16 (boost odeint's convergence test).
    sb::Problem p;
    p.name = "decay";
    p.description = "y' = -y";
    p.size = 1;
    p.reference_configuration = "cvode_bdf/dense";
    p.reference_setting = 1e-12;
    p.configurations = {"forward_euler", "rk4"};
    p.steps = {0.1, 0.05, 0.025};
    p.accuracy_levels = {1e-2};
    p.run = [](sb::RunContext& context) {
        sim::problems::LinearDecay model;
        sim::Simulation s(context.system(model), context.options());
        s.add_probe(sim::Probe::state("y", {0}, 0.5));
        s.advance(1.0);
        return sb::trajectory(s.recording("y"), s.summary());
    };
    const sb::ProblemResult r = sb::measure(p, {});
    EXPECT_NEAR(r.reference.values.back(), std::exp(-1.0), 1e-10);
    const auto ratio = [&](const char* m, double dt) { return find(r, m, dt).error / find(r, m, dt / 2).error; };
    EXPECT_NEAR(ratio("forward_euler", 0.1), 2.0, 0.1);
    EXPECT_NEAR(ratio("forward_euler", 0.05), 2.0, 0.1);
    EXPECT_NEAR(ratio("rk4", 0.1), 16.0, 1.0);
    EXPECT_EQ(find(r, "rk4", 0.1).summary.steps, 10);
}

TEST(BenchHarness, BadInputNamesTheField)
{
    expect_field([] { sb::configuration("cvode_bdf/superlu"); }, "methods");
    expect_field([] { sb::configuration("rk5", "methods[2]"); }, "methods[2]");
    expect_field([] { sb::parse_error_measure("l2"); }, "measure");
    const auto invalid = [](auto change, const std::string& field) {
        sb::Problem p = fake_problem();
        change(p);
        expect_field([&] { p.validate(); }, field);
    };
    invalid([](sb::Problem& p) { p.name = "has space"; }, "name");
    invalid([](sb::Problem& p) { p.run = nullptr; }, "run");
    invalid([](sb::Problem& p) { p.tolerances = {1e-4, 1e-3}; }, "tolerances");
    invalid([](sb::Problem& p) { p.steps = {0.1, -0.1}; }, "steps");
    invalid([](sb::Problem& p) { p.accuracy_levels = {}; }, "accuracy_levels");
    invalid([](sb::Problem& p) { p.configurations = {"rk4", "euler"}; }, "configurations[1]");
    invalid([](sb::Problem& p) { p.reference_configuration = "exact"; }, "reference_configuration");
    invalid([](sb::Problem& p) { p.atol_ratio = {1.0, 2.0}; }, "atol_ratio");
    invalid([](sb::Problem& p) { p.spike_window = 0; }, "spike_window");
    sb::MeasureOptions o;
    o.repeats = 0;
    expect_field([&] { o.validate(); }, "repeats");
    o = {};
    o.budget = -1;
    expect_field([&] { o.validate(); }, "budget");
    o = {};
    o.configurations = {"rk4", "rk3"};
    expect_field([&] { o.validate(); }, "configurations[1]");
}

// --- the Jacobi preconditioner ----------------------------------------------------------------------

TEST(JacobiPreconditioner, ExactOnADiagonalModelSameSolutionElsewhere)
{
    // A rate network with heterogeneous time constants (H5: tau from 1 ms to seconds) and weak
    // weights (gain 0.05) settling under a constant input: its Jacobian is nearly diag(-1/tau),
    // whose spread GMRES alone must resolve with its 5 Krylov vectors, and which 1 - gamma J_ii
    // inverts almost exactly: one Krylov iteration per Newton iteration, less than half of GMRES
    // alone. On the cable, whose coupling is off the diagonal too, scaling by the diagonal pushes
    // the smooth modes towards 0 and CVODE takes more steps than without it (the cable's own
    // tridiagonal preconditioner is the one to use): only the same solution is required there.
    neurode::rnn::RateNetworkOptions ro;
    ro.units = 128;
    ro.heterogeneity = 5;
    ro.gain = 0.05;
    const neurode::rnn::RateNetwork network(ro);
    neurode::rnn::RateOdeSystem rate(network);
    sim::problems::Cable cable({.compartments = 200});
    const auto run = [](sim::OdeSystem& model, bool jacobi, sim::RunSummary& summary) {
        sim::SolverOptions o;
        o.linear_solver = sim::LinearSolver::gmres;
        o.use_preconditioner = jacobi;
        o.rtol = o.atol = 1e-6;
        sim::JacobiPreconditioned wrapped(model);
        sim::Simulation s(jacobi ? static_cast<sim::OdeSystem&>(wrapped) : model, o);
        s.set_input(0, sim::InputSignal::constant(0.5));
        s.advance(2000.0);
        summary = s.summary();
        return std::vector<double>(s.state().begin(), s.state().end());
    };
    for (sim::OdeSystem* model : {static_cast<sim::OdeSystem*>(&rate), static_cast<sim::OdeSystem*>(&cable)}) {
        sim::RunSummary plain, preconditioned;
        const auto a = run(*model, false, plain), b = run(*model, true, preconditioned);
        for (std::size_t i = 0; i < a.size(); ++i)
            EXPECT_NEAR(a[i], b[i], 1e-4 * (1 + std::abs(a[i]))) << model->variable_name(i);
        EXPECT_GT(preconditioned.preconditioner_solves, 0);
        if (model == &rate) {
            EXPECT_LT(static_cast<double>(preconditioned.linear_iterations),
                      0.5 * static_cast<double>(plain.linear_iterations))
                << "GMRES iterations: " << plain.linear_iterations << " plain, " << preconditioned.linear_iterations
                << " with Jacobi";
        }
    }
}

TEST(JacobiPreconditioner, NeedsAJacobian)
{
    struct NoJacobian : sim::OdeSystem {
        std::size_t size() const override { return 1; }
        void initial_state(sim::Vector y) const override { y[0] = 1; }
        void rhs(double, sim::ConstVector y, sim::ConstVector, sim::Vector d) override { d[0] = -y[0]; }
    } model;
    expect_field([&] { sim::JacobiPreconditioned p(model); }, "model");
}

// --- the registry ------------------------------------------------------------------------------------

TEST(BenchRegistry, EveryBuiltinProblemIsValidInBothModes)
{
    const bench::Registry registry = bench::Registry::builtin();
    const std::vector<std::string> names = registry.names();
    for (const char* expected : {"robertson", "rate-64-h0", "rate-1024-h5", "hh-soma", "ball-and-stick", "cable-1000",
                                 "reservoir-quiet", "reservoir-busy", "reservoir-4x", "reservoir-16x"})
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    for (const std::string& name : {std::string("robertson"), std::string("rate-256-h5"), std::string("cable-1000"),
                                    std::string("reservoir-busy")})
        for (const bool quick : {false, true}) {
            const sb::Problem p = registry.make(name, {quick});
            EXPECT_NO_THROW(p.validate()) << name;
            EXPECT_EQ(p.name, name);
            if (quick) {
                EXPECT_LE(p.configurations.size(), 3u) << name;
                EXPECT_LE(std::max(p.tolerances.size(), p.steps.size()), 2u) << name;
            }
        }
}

TEST(BenchRegistry, UnknownAndDuplicateNamesAreErrors)
{
    bench::Registry registry = bench::Registry::builtin();
    expect_field([&] { registry.make("hh_soma", {}); }, "problem");
    expect_field([&] { registry.add("hh-soma", "again", [](const bench::Mode&) { return sb::Problem{}; }); }, "name");
    expect_field([&] { registry.add("all", "reserved", [](const bench::Mode&) { return sb::Problem{}; }); }, "name");
    registry.add("mine", "misnamed", [](const bench::Mode&) {
        sb::Problem p = fake_problem();
        return p;  // named "fake"
    });
    expect_field([&] { registry.make("mine", {}); }, "problem");
}

TEST(BenchRegistry, UserProblemThroughTheCppApi)
{
    // Registering a model: a factory that returns a Problem; the registry then runs it like its own.
    bench::Registry registry;
    registry.add("fake", "fake methods", [](const bench::Mode&) { return fake_problem(); });
    sb::MeasureOptions o;
    o.configurations = {"rk4"};
    const sb::ProblemResult r = sb::measure(registry.make("fake", {}), o);
    ASSERT_EQ(r.measurements.size(), 3u);
    EXPECT_NEAR(r.measurements.back().error, 1e-4, 1e-12);
}

TEST(BenchRegistry, NetworkDescriptionFileBecomesAProblem)
{
    // Two hh somas driven by Poisson trains, saved and loaded as neurode's JSON (the --model path).
    nn::CellModel cell;
    cell.morphology = nn::Morphology::soma(20.0, 20.0);
    cell.channels = {{"hh", "", {}}};
    cell.spike_detectors = {{"soma", 0.5}};
    nn::NetworkDescription d;
    d.populations = {{"E", cell, 2}};
    d.drives = {{"noise", 2, 200.0, 0.0, 50.0}};
    nn::DriveConnection c;
    c.source = "noise";
    c.target = "E";
    c.weight = 0.05;
    d.drive_connections = {c};
    const auto file = std::filesystem::temp_directory_path() / "neurode-bench-test-network.json";
    nn::save_json(d, file);
    auto loaded = std::make_shared<const nn::NetworkDescription>(nn::load_json(file));
    std::filesystem::remove(file);
    bench::NetworkProblemOptions options;
    options.duration = 50.0;
    options.measure = sb::ErrorMeasure::spike_time;
    const sb::Problem p = bench::network_problem("two-cells", "two driven hh somas", loaded, options, {true});
    sb::MeasureOptions o;
    o.repeats = 1;
    const sb::ProblemResult r = sb::measure(p, o);
    ASSERT_EQ(r.reference.spikes.size(), 2u);
    EXPECT_GT(r.reference.spikes[0].size() + r.reference.spikes[1].size(), 2u) << "the drive should make them spike";
    for (const sb::Measurement& m : r.measurements) {
        EXPECT_EQ(m.status, sb::RunStatus::ok) << m.configuration << ": " << m.message;
        EXPECT_GE(m.errors.matched, 1) << m.configuration;
    }
    expect_field(
        [] {
            bench::NetworkProblemOptions bad;
            bad.duration = 0;
            bad.validate();
        },
        "duration");
}

TEST(BenchCli, BadOptionsNameTheField)
{
    const bench::Registry registry = bench::Registry::builtin();
    std::ostringstream out;
    bench::BenchOptions o;
    expect_field([&] { bench::run_bench(registry, o, out); }, "problems");
    o.problems = {"hh-soma"};
    o.methods = {"rk4", "cvode_bdf/lapack"};
    expect_field([&] { bench::run_bench(registry, o, out); }, "methods[1]");
    o.methods = {};
    o.problems = {"hh-soma", "nope"};
    expect_field([&] { bench::run_bench(registry, o, out); }, "problem");
    o.problems = {"hh-soma"};
    o.model_measure = "l1";
    expect_field([&] { bench::run_bench(registry, o, out); }, "measure");
}

TEST(BenchCli, AProblemThatCannotBeMeasuredIsReportedAndTheOthersWritten)
{
    bench::Registry registry;
    registry.add("fake", "fake methods", [](const bench::Mode&) { return fake_problem(); });
    registry.add("broken", "a reference that fails", [](const bench::Mode&) {
        sb::Problem p = fake_problem();
        p.name = "broken";
        p.run = [](sb::RunContext&) -> sb::Trajectory {
            throw neurode::solver_error("fake reference failure", 0, 0, "y");
        };
        return p;
    });
    const auto file = std::filesystem::temp_directory_path() / "neurode-bench-test-partial.h5";
    bench::BenchOptions o;
    o.problems = {"broken", "fake"};
    o.methods = {"rk4"};
    o.output = file.string();
    o.figures = false;
    o.command = "bench_test";
    std::ostringstream out;
    EXPECT_EQ(bench::run_bench(registry, o, out), 1);
    EXPECT_NE(out.str().find("not measured: broken: fake reference failure"), std::string::npos) << out.str();
    const sim::h5::Reader h5(file);
    EXPECT_TRUE(h5.exists("/problems/fake/runs/error"));
    EXPECT_FALSE(h5.exists("/problems/broken"));
    EXPECT_EQ(h5.string_attribute("/", "format"), "neurode-bench");
    EXPECT_EQ(h5.string_attribute("/", "command"), "bench_test");
    std::filesystem::remove(file);
    std::filesystem::remove(std::filesystem::path(file).replace_extension(".md"));
}
