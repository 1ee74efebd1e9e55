// Every integrator configuration agrees on the same problem, and the fixed-step methods converge
// at their theoretical order: halving dt divides the error by 2^p.

#include <gtest/gtest.h>

#include <cmath>

#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

namespace sim = neurode::sim;
using sim::LinearSolver;
using sim::Method;

namespace {

// The driven cable: a current step at x = 0 (two discontinuities), 60 compartments.
std::vector<double> driven_cable_final_state(const sim::SolverOptions& options)
{
    sim::problems::CableParameters p;
    p.compartments = 60;
    sim::problems::Cable cable(p);
    sim::Simulation s(cable, options);
    s.set_input("i_inj", sim::InputSignal::piecewise_constant({1.0, 11.0}, {0.05, 0.0}));
    s.advance(15.0);
    return {s.state().begin(), s.state().end()};
}

struct Config {
    Method method;
    LinearSolver solver;
    bool preconditioned;
};

std::string config_name(const Config& c)
{
    return std::string(sim::to_string(c.method)) + "_" + std::string(sim::to_string(c.solver)) +
           (c.preconditioned ? "_preconditioned" : "");
}

}  // namespace

class SolverAgreementTest : public ::testing::TestWithParam<Config> {};

TEST_P(SolverAgreementTest, MatchesBdfDenseOnDrivenCable)
{
    sim::SolverOptions reference;
    reference.rtol = 1e-10;
    reference.atol = 1e-10;
    const auto expected = driven_cable_final_state(reference);

    sim::SolverOptions o;
    o.method = GetParam().method;
    o.linear_solver = GetParam().solver;
    o.use_preconditioner = GetParam().preconditioned;
    o.rtol = 1e-8;
    o.atol = 1e-8;
    const auto got = driven_cable_final_state(o);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-5) << "v[" << i << "]";
    // the stimulus visibly moved the cable
    EXPECT_GT(std::abs(expected[0] - (-65.0)), 1.0);
}

INSTANTIATE_TEST_SUITE_P(
    Configurations, SolverAgreementTest,
    ::testing::Values(Config{Method::cvode_bdf, LinearSolver::dense, false},
                      Config{Method::cvode_bdf, LinearSolver::banded, false},
                      Config{Method::cvode_bdf, LinearSolver::klu, false},
                      Config{Method::cvode_bdf, LinearSolver::gmres, false},
                      Config{Method::cvode_bdf, LinearSolver::gmres, true},
                      Config{Method::cvode_adams, LinearSolver::dense, false},
                      Config{Method::cvode_adams, LinearSolver::klu, false},
                      Config{Method::cvode_adams, LinearSolver::gmres, true}),
    [](const auto& info) { return config_name(info.param); });

TEST(SolverAgreement, BandedWithDifferenceQuotientJacobian)
{
    // A model without a Jacobian: banded needs explicit bandwidths and CVODE's band DQ Jacobian.
    struct NoJacobianDecay : sim::OdeSystem {
        std::size_t size() const override { return 3; }
        void initial_state(sim::Vector y) const override { y[0] = y[1] = y[2] = 1.0; }
        void rhs(double, sim::ConstVector y, sim::ConstVector, sim::Vector ydot) override
        {
            ydot[0] = -y[0];
            ydot[1] = -2 * y[1] + y[0];
            ydot[2] = -3 * y[2] + y[1];
        }
    } model;
    sim::SolverOptions o;
    o.linear_solver = LinearSolver::banded;
    o.upper_bandwidth = 0;
    o.lower_bandwidth = 1;
    o.rtol = 1e-10;
    o.atol = 1e-12;
    sim::Simulation s(model, o);
    s.advance(1.0);
    // Closed form: y0 = y1 = e^-t, y2 = (e^-t + e^-3t) / 2.
    const double e = std::exp(-1.0);
    EXPECT_NEAR(s.state()[0], e, 1e-8);
    EXPECT_NEAR(s.state()[1], e, 1e-8);
    EXPECT_NEAR(s.state()[2], 0.5 * (e + std::exp(-3.0)), 1e-8);
    EXPECT_GT(s.summary().jacobian_rhs_evaluations, 0) << "the band Jacobian came from difference quotients";
}

// --- convergence orders of the fixed-step methods -------------------------------------------------

namespace {
double fixed_step_error(Method method, double dt)
{
    sim::problems::DampedRotation rotation(0.5, 2.0);
    sim::SolverOptions o;
    o.method = method;
    o.dt = dt;
    sim::Simulation s(rotation, o);
    const double t_end = 2.0;
    s.advance(t_end);
    const auto exact = rotation.exact(t_end);
    return std::hypot(s.state()[0] - exact[0], s.state()[1] - exact[1]);
}
}  // namespace

class ConvergenceOrderTest : public ::testing::TestWithParam<std::pair<Method, double>> {};

TEST_P(ConvergenceOrderTest, HalvingDtDividesErrorByTwoToTheOrder)
{
    const auto [method, order] = GetParam();
    const double dt = method == Method::rk4 ? 0.05 : 0.002;
    const double coarse = fixed_step_error(method, dt);
    const double fine = fixed_step_error(method, dt / 2);
    const double finer = fixed_step_error(method, dt / 4);
    EXPECT_NEAR(std::log2(coarse / fine), order, 0.1);
    EXPECT_NEAR(std::log2(fine / finer), order, 0.1);
}

INSTANTIATE_TEST_SUITE_P(FixedStep, ConvergenceOrderTest,
                         ::testing::Values(std::pair{Method::forward_euler, 1.0}, std::pair{Method::rk4, 4.0},
                                           std::pair{Method::exponential_euler, 1.0}),
                         [](const auto& info) { return std::string(sim::to_string(info.param.first)); });

TEST(FixedStep, ExponentialEulerIsExactForLinearDecay)
{
    // With no coupling the exponential update integrates y' = -lambda y exactly at any dt, where
    // forward Euler at lambda dt = 2.5 is unstable.
    sim::problems::LinearDecay decay(50.0, 1.0);
    sim::SolverOptions o;
    o.method = Method::exponential_euler;
    o.dt = 0.05;
    sim::Simulation s(decay, o);
    s.advance(0.5);
    EXPECT_NEAR(s.state()[0], decay.exact(0.5), 1e-15);
}

TEST(FixedStep, StepsLandOnDiscontinuitiesAndStopTimes)
{
    sim::problems::LinearDecay decay(1.0, 1.0);
    sim::SolverOptions o;
    o.method = Method::forward_euler;
    o.dt = 0.1;
    sim::Simulation s(decay, o);
    s.advance(0.25);  // two full steps and one clipped
    EXPECT_DOUBLE_EQ(s.time(), 0.25);
    EXPECT_NEAR(s.state()[0], 0.9 * 0.9 * 0.95, 1e-15);
    EXPECT_EQ(s.summary().steps, 3);
}
