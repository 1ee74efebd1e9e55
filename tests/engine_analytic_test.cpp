// The engine against problems whose answers are known independently of neurode: closed forms,
// the values SUNDIALS' own cvRoberts_dns example publishes, and SciPy's Radau solution.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <span>
#include <numbers>
#include <sstream>

#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

#include "support/cv_roberts.hpp"

namespace sim = neurode::sim;
using sim::LinearSolver;
using sim::Method;

namespace {

sim::SolverOptions cvode(Method method, LinearSolver solver, double rtol, double atol)
{
    sim::SolverOptions o;
    o.method = method;
    o.linear_solver = solver;
    o.rtol = rtol;
    o.atol = atol;
    return o;
}

}  // namespace

TEST(Analytic, LinearDecayMatchesExponential)
{
    sim::problems::LinearDecay decay(2.0, 3.0);
    sim::Simulation s(decay, cvode(Method::cvode_bdf, LinearSolver::dense, 1e-10, 1e-12));
    for (double t : {0.1, 0.5, 1.0, 2.5, 5.0}) {
        s.advance(t);
        EXPECT_NEAR(s.state()[0], decay.exact(t), 1e-8 * decay.exact(0.0)) << "t = " << t;
    }
}

TEST(Analytic, ProtheroRobinsonStiffTracksSolution)
{
    // lambda = 1e6: an explicit method would need h < 2e-6; BDF follows sin(t) with large steps.
    sim::problems::ProtheroRobinson pr(1e6, 1.0);
    sim::Simulation s(pr, cvode(Method::cvode_bdf, LinearSolver::dense, 1e-8, 1e-10));
    s.advance(10.0);
    EXPECT_NEAR(s.state()[0], pr.exact(10.0), 1e-7);
    EXPECT_LT(s.summary().steps, 2000) << "BDF must not be limited by the stiff eigenvalue";
}

class RobertsonTest : public ::testing::TestWithParam<LinearSolver> {};

TEST_P(RobertsonTest, MatchesPublishedCvRobertsOutput)
{
    // The example's own settings.
    sim::problems::Robertson rob;
    auto options = cvode(Method::cvode_bdf, GetParam(), published_rtol, 0.0);
    options.atol_vector.assign(std::begin(published_atol), std::end(published_atol));
    sim::Simulation s(rob, options);
    for (const auto& row : cv_roberts_dns_out) {
        s.advance(row.t);
        expect_matches_published(s.state(), row);
    }
    // Roots: y3 reaches 0.01 at t = 2.6391e-01 (rising) and y1 falls to 1e-4 at t = 2.0813e+07;
    // y1 ~ 1/t there, so a relative error e in y1 moves the second root by e * t.
    ASSERT_EQ(s.events().size(), 2u);
    EXPECT_EQ(s.events()[0].root, 1u);
    EXPECT_EQ(s.events()[0].direction, +1);
    EXPECT_NEAR(s.events()[0].time, 2.6391e-01, 1e-4);
    EXPECT_EQ(s.events()[1].root, 0u);
    EXPECT_EQ(s.events()[1].direction, -1);
    EXPECT_NEAR(s.events()[1].time, 2.0813e+07, 0.005 * 2.0813e+07);
}

TEST_P(RobertsonTest, TightToleranceAgreesWithPublishedOutputAndConservesMass)
{
    sim::problems::Robertson rob;
    auto options = cvode(Method::cvode_bdf, GetParam(), 1e-10, 0.0);
    options.atol_vector = {1e-16, 1e-22, 1e-14};
    sim::Simulation s(rob, options);
    for (const auto& row : cv_roberts_dns_out) {
        s.advance(row.t);
        expect_matches_published(s.state(), row);
        // d(y1 + y2 + y3)/dt = 0 exactly.
        EXPECT_NEAR(s.state()[0] + s.state()[1] + s.state()[2], 1.0, 1e-9) << "t = " << row.t;
    }
    // Late times follow the slow manifold: y2 ~ 4e-6 y1 (quasi-steady), so dy1/dt ~ -3e7 y2^2
    // = -4.8e-4 y1^2 and y1 ~ 1 / (4.8e-4 t). The published loose run is 30% low at t = 4e10.
    EXPECT_NEAR(s.state()[0] * 4e10, 1.0 / 4.8e-4, 2.0);
}

INSTANTIATE_TEST_SUITE_P(LinearSolvers, RobertsonTest,
                         ::testing::Values(LinearSolver::dense, LinearSolver::banded, LinearSolver::klu),
                         [](const auto& info) { return std::string(sim::to_string(info.param)); });

TEST(Analytic, VanDerPolMu1000MatchesScipyRadau)
{
    std::ifstream in(std::string(NEURODE_TEST_REFERENCE_DIR) + "/vanderpol_mu1000.csv");
    ASSERT_TRUE(in) << "missing tests/reference/vanderpol_mu1000.csv";
    sim::problems::VanDerPol vdp(1000.0);
    sim::Simulation s(vdp, cvode(Method::cvode_bdf, LinearSolver::dense, 1e-10, 1e-10));
    std::string line;
    int rows = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        double t, y1, y2;
        char comma;
        fields >> t >> comma >> y1 >> comma >> y2;
        s.advance(t);
        EXPECT_NEAR(s.state()[0], y1, 1e-5 * std::abs(y1)) << "y1 at t = " << t;
        EXPECT_NEAR(s.state()[1], y2, 1e-4 * std::abs(y2) + 1e-8) << "y2 at t = " << t;
        ++rows;
    }
    EXPECT_EQ(rows, 8);
}

// The sealed cable's semi-discrete cosine modes decay exactly as exp(-rate_m t); the continuous
// cable's modes decay at 1/tau (1 + (m pi lambda / L)^2), which the discrete rate approaches as h^2.
class CableModeTest : public ::testing::TestWithParam<std::tuple<LinearSolver, bool>> {};

TEST_P(CableModeTest, EigenmodeDecaysAtAnalyticRate)
{
    const auto [solver, preconditioned] = GetParam();
    sim::problems::CableParameters p;
    p.compartments = 200;
    p.leak_reversal = 0.0;
    sim::problems::Cable cable(p);
    const std::size_t mode = 3;
    std::vector<double> v0(p.compartments);
    for (std::size_t i = 0; i < v0.size(); ++i)
        v0[i] = std::cos(std::numbers::pi * mode * (i + 0.5) / p.compartments);
    cable.set_initial_profile(v0);
    auto options = cvode(Method::cvode_bdf, solver, 1e-9, 1e-12);
    options.use_preconditioner = preconditioned;
    sim::Simulation s(cable, options);
    const double t_end = 5.0;  // [ms]
    s.advance(t_end);
    const double decay = std::exp(-cable.mode_decay_rate(mode) * t_end);
    for (std::size_t i = 0; i < v0.size(); i += 17)
        EXPECT_NEAR(s.state()[i], v0[i] * decay, 2e-7) << "compartment " << i;

    const double lambda = cable.length_constant(), tau = cable.membrane_time_constant();
    const double continuous = (1 + std::pow(mode * std::numbers::pi * lambda / p.length, 2)) / tau;
    EXPECT_NEAR(cable.mode_decay_rate(mode), continuous, 1e-3 * continuous);
}

INSTANTIATE_TEST_SUITE_P(
    LinearSolvers, CableModeTest,
    ::testing::Values(std::tuple{LinearSolver::klu, false}, std::tuple{LinearSolver::banded, false},
                      std::tuple{LinearSolver::dense, false}, std::tuple{LinearSolver::gmres, false},
                      std::tuple{LinearSolver::gmres, true}),
    [](const auto& info) {
        return std::string(sim::to_string(std::get<0>(info.param))) + (std::get<1>(info.param) ? "_preconditioned" : "");
    });

TEST(Analytic, CableSteadyStateMatchesCableEquation)
{
    // A constant current at x = 0: V(x) follows the sealed-cable closed form (to O(h^2)).
    sim::problems::CableParameters p;
    p.compartments = 400;
    sim::problems::Cable cable(p);
    auto options = cvode(Method::cvode_bdf, LinearSolver::klu, 1e-8, 1e-8);
    sim::Simulation s(cable, options);
    s.set_input("i_inj", sim::InputSignal::constant(0.1));
    s.advance(300.0);  // 30 membrane time constants
    for (std::size_t i : {0ul, 100ul, 200ul, 399ul}) {
        const double expected = cable.steady_state_continuous(cable.position(i), 0.1);
        EXPECT_NEAR(s.state()[i], expected, 1e-3 * std::abs(expected - p.leak_reversal)) << "compartment " << i;
    }
}
