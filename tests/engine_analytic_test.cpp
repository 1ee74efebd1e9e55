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

// cvRoberts_dns.out (SUNDIALS 6.4 examples/cvode/serial): y at t = 0.4 * 10^k, k = 0..10, computed
// with rtol = 1e-4, atol = (1e-8, 1e-14, 1e-6), dense solver, analytic Jacobian.
struct RobertsonRow {
    double t, y1, y2, y3;
};
constexpr RobertsonRow cv_roberts_dns_out[] = {
    {4.0e-01, 9.851641e-01, 3.386242e-05, 1.480205e-02}, {4.0e+00, 9.055097e-01, 2.240338e-05, 9.446793e-02},
    {4.0e+01, 7.158017e-01, 9.185037e-06, 2.841892e-01}, {4.0e+02, 4.505360e-01, 3.223271e-06, 5.494608e-01},
    {4.0e+03, 1.832066e-01, 8.942601e-07, 8.167925e-01}, {4.0e+04, 3.898824e-02, 1.621985e-07, 9.610116e-01},
    {4.0e+05, 4.937043e-03, 1.984465e-08, 9.950629e-01}, {4.0e+06, 5.169987e-04, 2.069052e-09, 9.994830e-01},
    {4.0e+07, 5.208146e-05, 2.083366e-10, 9.999479e-01}, {4.0e+08, 5.204550e-06, 2.081831e-11, 9.999948e-01},
    {4.0e+09, 5.318402e-07, 2.127362e-12, 9.999995e-01}, {4.0e+10, 3.630684e-08, 1.452274e-13, 1.000000e+00},
};

// The published run's tolerances. Its values carry that run's global error, which grows to a few
// tolerance units; neurode stops at each output time where the example interpolates past it, so
// the step sequences differ and agreement is judged in those units.
constexpr double published_rtol = 1e-4;
constexpr double published_atol[] = {1e-8, 1e-14, 1e-6};
constexpr double allowed_tolerance_units = 20;

void expect_matches_published(std::span<const double> y, const RobertsonRow& row)
{
    const double published[] = {row.y1, row.y2, row.y3};
    for (std::size_t i = 0; i < 3; ++i) {
        const double unit = published_rtol * std::abs(published[i]) + published_atol[i];
        EXPECT_LE(std::abs(y[i] - published[i]) / unit, allowed_tolerance_units)
            << "y" << i + 1 << " at t = " << row.t << ": neurode " << y[i] << ", published " << published[i];
    }
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
