// Inputs, discontinuities, probes, events, co-simulation stepping and the HDF5 file.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

namespace sim = neurode::sim;
namespace fs = std::filesystem;

namespace {

// dy/dt = u(t): y is the integral of the input, so every jump's handling is visible exactly.
struct Integrator : sim::OdeSystem {
    std::size_t size() const override { return 1; }
    void initial_state(sim::Vector y) const override { y[0] = 0.0; }
    std::size_t input_count() const override { return 1; }
    std::string input_name(std::size_t) const override { return "drive"; }
    void rhs(double, sim::ConstVector, sim::ConstVector u, sim::Vector ydot) override { ydot[0] = u[0]; }
    sim::JacobianKind jacobian_kind() const override { return sim::JacobianKind::dense; }
    void dense_jacobian(double, sim::ConstVector, sim::ConstVector, sim::DenseMatrixRef J) override { J(0, 0) = 0; }
};

// Leaky integrate-and-fire: tau dv/dt = I - v, spike and reset to 0 when v reaches theta.
// Inter-spike interval: tau ln(I / (I - theta)).
struct LeakyIntegrateAndFire : sim::OdeSystem {
    double tau = 10.0, drive = 2.0, theta = 1.0;
    std::size_t size() const override { return 1; }
    void initial_state(sim::Vector y) const override { y[0] = 0.0; }
    std::string variable_name(std::size_t) const override { return "v"; }
    void rhs(double, sim::ConstVector y, sim::ConstVector, sim::Vector ydot) override
    {
        ydot[0] = (drive - y[0]) / tau;
    }
    sim::JacobianKind jacobian_kind() const override { return sim::JacobianKind::dense; }
    void dense_jacobian(double, sim::ConstVector, sim::ConstVector, sim::DenseMatrixRef J) override
    {
        J(0, 0) = -1.0 / tau;
    }
    std::size_t root_count() const override { return 1; }
    void roots(double, sim::ConstVector y, sim::ConstVector, sim::Vector g) override { g[0] = y[0] - theta; }
    bool on_roots(double, sim::Vector y, std::span<const int> directions) override
    {
        if (directions[0] <= 0) return false;
        y[0] = 0.0;
        return true;
    }
    double interval() const { return tau * std::log(drive / (drive - theta)); }
};

fs::path scratch_file(const std::string& name)
{
    const fs::path dir = fs::temp_directory_path() / "neurode-tests";
    fs::create_directories(dir);
    const fs::path p = dir / (name + "-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".h5");
    fs::remove(p);
    return p;
}

}  // namespace

TEST(InputSignal, EvaluatesEachKind)
{
    const auto pc = sim::InputSignal::piecewise_constant({1.0, 2.0}, {5.0, 7.0});
    EXPECT_EQ(pc(0.5), 0.0);
    EXPECT_EQ(pc(1.0), 5.0);
    EXPECT_EQ(pc(1.99), 5.0);
    EXPECT_EQ(pc(2.0), 7.0);
    EXPECT_EQ(pc(50.0), 7.0);
    EXPECT_EQ(std::vector<double>(pc.breakpoints().begin(), pc.breakpoints().end()), (std::vector<double>{1.0, 2.0}));

    const auto lin = sim::InputSignal::sampled({0.0, 1.0, 3.0}, {0.0, 2.0, 0.0}, sim::Interpolation::linear);
    EXPECT_DOUBLE_EQ(lin(0.5), 1.0);
    EXPECT_DOUBLE_EQ(lin(2.0), 1.0);
    EXPECT_DOUBLE_EQ(lin(-1.0), 0.0);
    EXPECT_DOUBLE_EQ(lin(9.0), 0.0);
    EXPECT_TRUE(lin.breakpoints().empty()) << "linear interpolation is continuous";

    const auto hold = sim::InputSignal::sampled_uniform(0.0, 0.5, {1.0, 2.0, 3.0}, sim::Interpolation::hold);
    EXPECT_EQ(hold(0.49), 1.0);
    EXPECT_EQ(hold(0.5), 2.0);
    EXPECT_EQ(hold.breakpoints().size(), 2u);

    const auto f = sim::InputSignal::function([](double t) { return t * t; });
    EXPECT_DOUBLE_EQ(f(3.0), 9.0);
}

class DiscontinuityTest : public ::testing::TestWithParam<sim::Method> {};

TEST_P(DiscontinuityTest, IntegralOfAPulseIsExact)
{
    Integrator model;
    sim::SolverOptions o;
    o.method = GetParam();
    o.dt = 0.3;  // the grid does not contain the jumps: steps must be shortened to land on them
    o.rtol = 1e-10;
    o.atol = 1e-12;
    sim::Simulation s(model, o);
    s.set_input("drive", sim::InputSignal::piecewise_constant({1.0, 3.0}, {1.0, 0.0}));
    s.advance(1.0);
    EXPECT_NEAR(s.state()[0], 0.0, 1e-12) << "the step ending on the jump sees the value before it";
    s.advance(4.0);
    EXPECT_NEAR(s.state()[0], 2.0, 1e-9) << "area of a unit pulse of width 2";
    EXPECT_GE(s.summary().restarts, 2);
}

INSTANTIATE_TEST_SUITE_P(Methods, DiscontinuityTest,
                         ::testing::Values(sim::Method::cvode_bdf, sim::Method::cvode_adams, sim::Method::forward_euler,
                                           sim::Method::rk4, sim::Method::exponential_euler),
                         [](const auto& info) { return std::string(sim::to_string(info.param)); });

TEST(Probes, IntervalSamplesLieOnTheGridAndMatchTheSolution)
{
    sim::problems::LinearDecay decay(1.0, 1.0);
    sim::SolverOptions o;
    o.rtol = 1e-10;
    o.atol = 1e-12;
    sim::Simulation s(decay, o);
    s.add_probe(sim::Probe::state("y", {0}, 0.1));
    s.add_probe(sim::Probe::derived(
        "twice", [](double, std::span<const double> y, std::span<double> out) { out[0] = 2 * y[0]; }, 1, "a.u.", 0.25));
    s.add_probe(sim::Probe::state("every_step", {0}, 0.0));
    s.advance(0.55);
    s.advance(1.0);  // a second call continues the same grid
    const auto& y = s.recording("y");
    ASSERT_EQ(y.samples(), 11u);
    for (std::size_t k = 0; k < y.samples(); ++k) {
        EXPECT_NEAR(y.times[k], 0.1 * k, 1e-12);
        EXPECT_NEAR(y.at(k, 0), decay.exact(y.times[k]), 1e-8) << "interpolated sample " << k;
    }
    const auto& twice = s.recording("twice");
    ASSERT_EQ(twice.samples(), 5u);
    EXPECT_NEAR(twice.at(4, 0), 2 * decay.exact(1.0), 1e-8);
    EXPECT_EQ(twice.units[0], "a.u.");
    EXPECT_EQ(static_cast<long>(s.recording("every_step").samples()), s.summary().steps + 1);
}

class SpikeTest : public ::testing::TestWithParam<sim::Method> {};

TEST_P(SpikeTest, IntegrateAndFireSpikeTimesMatchClosedForm)
{
    LeakyIntegrateAndFire lif;
    sim::SolverOptions o;
    o.method = GetParam();
    o.rtol = 1e-10;
    o.atol = 1e-12;
    o.dt = 0.001;
    sim::Simulation s(lif, o);
    s.advance(50.0);
    const double isi = lif.interval();
    const auto expected = static_cast<std::size_t>(50.0 / isi);
    ASSERT_EQ(s.events().size(), expected);
    // CVODE locates roots to its tolerance; fixed steps by linear interpolation, error O(dt).
    const double tolerance = sim::is_cvode(o.method) ? 1e-6 : 2e-3;
    for (std::size_t k = 0; k < s.events().size(); ++k)
        EXPECT_NEAR(s.events()[k].time, (k + 1) * isi, tolerance * (k + 1)) << "spike " << k;
}

INSTANTIATE_TEST_SUITE_P(Methods, SpikeTest, ::testing::Values(sim::Method::cvode_bdf, sim::Method::rk4),
                         [](const auto& info) { return std::string(sim::to_string(info.param)); });

TEST(CoSimulation, SteppingInChunksEqualsOneRun)
{
    sim::problems::CableParameters p;
    p.compartments = 50;
    auto run = [&](double chunk) {
        sim::problems::Cable cable(p);
        sim::SolverOptions o;
        o.linear_solver = sim::LinearSolver::klu;
        o.rtol = 1e-9;
        o.atol = 1e-9;
        sim::Simulation s(cable, o);
        s.set_input("i_inj", sim::InputSignal::constant(0.05));
        for (double t = chunk; t <= 20.0 + 1e-9; t += chunk) s.advance(t);
        return std::vector<double>(s.state().begin(), s.state().end());
    };
    const auto whole = run(20.0);
    const auto stepped = run(1.0);
    for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_NEAR(stepped[i], whole[i], 1e-6);
}

TEST(CoSimulation, SetStateRestartsFromTheNewState)
{
    sim::problems::LinearDecay decay(1.0, 1.0);
    sim::SolverOptions o;
    o.rtol = 1e-10;
    o.atol = 1e-12;
    sim::Simulation s(decay, o);
    s.advance(1.0);
    const double reset[] = {5.0};
    s.set_state(reset);
    s.advance(2.0);
    EXPECT_NEAR(s.state()[0], 5.0 * std::exp(-1.0), 1e-8);
}

TEST(Determinism, SameInputsSameResultsBitForBit)
{
    auto run = [] {
        sim::problems::VanDerPol vdp(1000.0);
        sim::Simulation s(vdp);
        s.advance(1000.0);
        return std::vector<double>(s.state().begin(), s.state().end());
    };
    EXPECT_EQ(run(), run());
}

TEST(Hdf5, SimulationFileRoundTrips)
{
    LeakyIntegrateAndFire lif;
    sim::Simulation s(lif);
    s.add_probe(sim::Probe::state("v", {0}, 0.5));
    s.advance(20.0);
    const fs::path path = scratch_file("roundtrip");
    s.write_hdf5(path);

    sim::h5::Reader in(path);
    EXPECT_EQ(in.string_attribute("/", "format"), "neurode-simulation");
    EXPECT_EQ(in.read_doubles("/recordings/v/time"), s.recording("v").times);
    EXPECT_EQ(in.read_doubles("/recordings/v/values"), s.recording("v").values);
    EXPECT_EQ(in.shape("/recordings/v/values"), (std::vector<std::size_t>{s.recording("v").samples(), 1}));
    EXPECT_EQ(in.read_strings("/recordings/v/columns"), (std::vector<std::string>{"v"}));
    EXPECT_EQ(in.string_attribute("/recordings/v/time", "unit"), "ms");
    EXPECT_EQ(in.read_doubles("/events/time").size(), s.events().size());
    EXPECT_EQ(in.int_attribute("/solver", "steps"), s.summary().steps);
    EXPECT_EQ(in.string_attribute("/solver", "method"), "cvode_bdf");
    EXPECT_TRUE(in.exists("/recordings/v/values"));
    EXPECT_FALSE(in.exists("/recordings/w/values"));
    EXPECT_EQ(in.children("/recordings"), (std::vector<std::string>{"v"}));
    fs::remove(path);
}

TEST(Hdf5, NothingHalfWritten)
{
    const fs::path path = scratch_file("abandoned");
    {
        sim::h5::Writer out(path);
        const double data[] = {1, 2, 3};
        out.write("/x", data);
        EXPECT_FALSE(fs::exists(path)) << "nothing appears before commit()";
        // destroyed without commit(), as when an exception unwinds a save
    }
    EXPECT_FALSE(fs::exists(path));
    for (const auto& entry : fs::directory_iterator(path.parent_path()))
        EXPECT_EQ(entry.path().filename().string().find(".abandoned"), std::string::npos) << "temporary left behind";

    sim::h5::Writer out(path);
    const double data[] = {1, 2, 3, 4, 5, 6};
    EXPECT_THROW(out.write("/bad", data, {4, 2}), neurode::invalid_parameter);

    EXPECT_THROW(sim::h5::Writer(fs::path("/nonexistent-directory/x.h5")), neurode::io_error);
    EXPECT_THROW(sim::h5::Reader(fs::path("/nonexistent-directory/x.h5")), neurode::io_error);
}

namespace {
// dy/dt = -y, plus a kick of +1 delivered at each scheduled time (the model's own queue).
struct KickedDecay : sim::OdeSystem {
    std::vector<double> queue{0.5, 1.25, 1.25 + 1e-9, 3.0};
    std::size_t size() const override { return 1; }
    void initial_state(sim::Vector y0) const override { y0[0] = 0.0; }
    void rhs(double, sim::ConstVector y, sim::ConstVector, sim::Vector ydot) override { ydot[0] = -y[0]; }
    double next_scheduled_event(double) const override
    {
        return queue.empty() ? std::numeric_limits<double>::infinity() : queue.front();
    }
    bool on_scheduled_event(double t, sim::Vector y) override
    {
        while (!queue.empty() && queue.front() <= t) {
            y[0] += 1.0;
            queue.erase(queue.begin());
        }
        return true;
    }
};
}  // namespace

TEST(ScheduledEvents, KicksArriveExactlyAtTheirTimes)
{
    for (auto method : {sim::Method::cvode_bdf, sim::Method::rk4}) {
        KickedDecay model;
        sim::SolverOptions o;
        o.method = method;
        o.rtol = 1e-10;
        o.atol = 1e-12;
        o.dt = 0.01;
        sim::Simulation s(model, o);
        s.advance(2.0);
        // Closed form: sum over kicks k at t_k <= 2 of exp(-(2 - t_k)); the two kicks 1e-9 apart
        // both land (at one stop or two).
        const double exact = std::exp(-1.5) + std::exp(-0.75) + std::exp(-(0.75 - 1e-9));
        EXPECT_NEAR(s.state()[0], exact, method == sim::Method::rk4 ? 1e-8 : 1e-8) << sim::to_string(method);
        EXPECT_GE(s.summary().scheduled_events, 2);
        s.advance(4.0);
        EXPECT_NEAR(s.state()[0], exact * std::exp(-2.0) + std::exp(-1.0), 1e-8);
    }
}
