// Bad input never crashes: each case gives a typed exception whose message names the field.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

namespace sim = neurode::sim;
using neurode::invalid_parameter;
using neurode::solver_error;

namespace {

// Runs f, expects invalid_parameter whose field() is `field`; returns the message.
template <class F>
std::string expect_invalid(F&& f, const std::string& field)
{
    try {
        f();
    } catch (const invalid_parameter& e) {
        EXPECT_EQ(e.field(), field) << e.what();
        EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "expected invalid_parameter for field " << field;
    return "";
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST(BadInput, NegativeOrNanTolerances)
{
    sim::problems::LinearDecay decay;
    sim::SolverOptions o;
    o.rtol = -1e-6;
    expect_invalid([&] { sim::Simulation(decay, o); }, "rtol");
    o.rtol = not_a_number;
    expect_invalid([&] { sim::Simulation(decay, o); }, "rtol");
    o = {};
    o.atol = not_a_number;
    expect_invalid([&] { sim::Simulation(decay, o); }, "atol");
    o = {};
    o.atol_vector = {-1.0};
    expect_invalid([&] { sim::Simulation(decay, o); }, "atol_vector[0]");
    o = {};
    o.atol_vector = {1e-8, 1e-8};
    expect_invalid([&] { sim::Simulation(decay, o); }, "atol_vector");
}

TEST(BadInput, OtherOptions)
{
    sim::problems::LinearDecay decay;
    sim::SolverOptions o;
    o.dt = 0;
    expect_invalid([&] { o.validate(); }, "dt");
    o = {};
    o.max_steps = 0;
    expect_invalid([&] { o.validate(); }, "max_steps");
    o = {};
    o.max_order = 6;  // BDF goes to 5
    expect_invalid([&] { o.validate(); }, "max_order");
    o = {};
    o.use_preconditioner = true;  // with the dense solver
    expect_invalid([&] { o.validate(); }, "use_preconditioner");
    EXPECT_NE(expect_invalid([] { sim::parse_method("rk45"); }, "method").find("cvode_bdf"), std::string::npos)
        << "the message lists the known methods";
}

TEST(BadInput, SolverNeedsWhatTheModelLacks)
{
    sim::problems::LinearDecay decay;  // dense Jacobian only
    sim::SolverOptions o;
    o.linear_solver = sim::LinearSolver::klu;
    expect_invalid([&] { sim::Simulation(decay, o); }, "linear_solver");
    o.linear_solver = sim::LinearSolver::gmres;
    o.use_preconditioner = true;
    expect_invalid([&] { sim::Simulation(decay, o); }, "use_preconditioner");
}

TEST(BadInput, JacobianOfTheWrongShape)
{
    // The pattern describes a 2 x 2 matrix for a 3-variable model.
    struct WrongShape : sim::OdeSystem {
        sim::SparsityPattern pattern{{0, 1, 2}, {0, 1}};
        std::size_t size() const override { return 3; }
        void initial_state(sim::Vector y) const override { std::fill(y.begin(), y.end(), 1.0); }
        void rhs(double, sim::ConstVector y, sim::ConstVector, sim::Vector ydot) override
        {
            for (std::size_t i = 0; i < 3; ++i) ydot[i] = -y[i];
        }
        sim::JacobianKind jacobian_kind() const override { return sim::JacobianKind::sparse; }
        const sim::SparsityPattern& sparsity() const override { return pattern; }
        void sparse_jacobian(double, sim::ConstVector, sim::ConstVector, sim::Vector v) override
        {
            std::fill(v.begin(), v.end(), -1.0);
        }
    } model;
    sim::SolverOptions o;
    o.linear_solver = sim::LinearSolver::klu;
    const auto message = expect_invalid([&] { sim::Simulation(model, o); }, "sparsity.row_offsets");
    EXPECT_NE(message.find("3 x 3"), std::string::npos) << message;

    model.pattern = {{0, 1, 2, 3}, {0, 5, 2}};  // a column outside the matrix
    expect_invalid([&] { sim::Simulation(model, o); }, "sparsity.columns[1]");
}

namespace {
// The right-hand side of "gate" becomes NaN after t = 1.
struct NanAfterOne : sim::OdeSystem {
    std::size_t size() const override { return 2; }
    void initial_state(sim::Vector y) const override { y[0] = y[1] = 0.0; }
    std::string variable_name(std::size_t i) const override { return i == 0 ? "v" : "gate"; }
    void rhs(double t, sim::ConstVector, sim::ConstVector, sim::Vector ydot) override
    {
        ydot[0] = 1.0;
        ydot[1] = t > 1.0 ? std::sqrt(-1.0) : 0.0;
    }
};
}  // namespace

TEST(BadInput, RhsReturningNanIsASolverErrorNamingTheVariable)
{
    for (auto method : {sim::Method::cvode_bdf, sim::Method::cvode_adams, sim::Method::rk4, sim::Method::forward_euler}) {
        NanAfterOne model;
        sim::SolverOptions o;
        o.method = method;
        o.dt = 0.1;
        sim::Simulation s(model, o);
        try {
            s.advance(2.0);
            ADD_FAILURE() << "expected a solver_error for " << sim::to_string(method);
        } catch (const solver_error& e) {
            EXPECT_EQ(e.variable(), "gate") << e.what();
            EXPECT_NE(std::string(e.what()).find("'gate'"), std::string::npos) << e.what();
            EXPECT_GE(e.time(), 1.0) << e.what();
            EXPECT_LE(e.time(), 1.2) << e.what();
        }
    }
}

TEST(BadInput, TooMuchWorkNamesTimeStepAndVariable)
{
    sim::problems::VanDerPol vdp(1000.0);
    sim::SolverOptions o;
    o.method = sim::Method::cvode_adams;  // non-stiff method on a stiff problem
    o.max_steps = 50;
    sim::Simulation s(vdp, o);
    try {
        s.advance(3000.0);
        FAIL() << "expected a solver_error";
    } catch (const solver_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("CV_TOO_MUCH_WORK"), std::string::npos) << what;
        EXPECT_NE(what.find("at t = "), std::string::npos) << what;
        EXPECT_NE(what.find("last step size"), std::string::npos) << what;
        EXPECT_TRUE(e.variable() == "y[0]" || e.variable() == "y[1]") << what;
        EXPECT_GT(e.last_step(), 0.0);
        EXPECT_GT(e.time(), 0.0);
    }
}

TEST(BadInput, ExceptionInModelCallbackCrossesCvodeIntact)
{
    struct Throws : sim::problems::LinearDecay {
        void rhs(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector ydot) override
        {
            if (t > 0.5) throw std::out_of_range("model table lookup");
            LinearDecay::rhs(t, y, u, ydot);
        }
    } model;
    sim::Simulation s(model);
    EXPECT_THROW(s.advance(1.0), std::out_of_range);
}

TEST(BadInput, InputSignals)
{
    expect_invalid([] { sim::InputSignal::piecewise_constant({0.0, 2.0, 1.0}, {1, 2, 3}); }, "times[2]");
    expect_invalid([] { sim::InputSignal::piecewise_constant({0.0, 1.0, 1.0}, {1, 2, 3}); }, "times[2]");
    expect_invalid([] { sim::InputSignal::sampled({0.0, not_a_number}, {1, 2}, sim::Interpolation::linear); }, "times[1]");
    expect_invalid([] { sim::InputSignal::sampled({0.0, 1.0}, {1}, sim::Interpolation::hold); }, "values");
    expect_invalid([] { sim::InputSignal::sampled_uniform(0.0, -1.0, {1, 2}, sim::Interpolation::hold); }, "dt");
    expect_invalid([] { sim::InputSignal::function([](double) { return 0.0; }, {2.0, 1.0}); }, "breakpoints[1]");

    sim::problems::Cable cable;
    sim::Simulation s(cable);
    const auto message = expect_invalid([&] { s.set_input("i_stim", sim::InputSignal::constant(1.0)); }, "input");
    EXPECT_NE(message.find("i_inj"), std::string::npos) << "the message lists the model's inputs: " << message;
    expect_invalid([&] { s.set_input(std::size_t{3}, sim::InputSignal::constant(1.0)); }, "input");
}

TEST(BadInput, ProbesAndTimes)
{
    sim::problems::Cable cable;
    sim::Simulation s(cable);
    expect_invalid([&] { s.add_probe(sim::Probe::state("v", {1000}, 1.0)); }, "probe 'v'.variables");
    expect_invalid([&] { s.add_probe(sim::Probe::state("v", {0}, -1.0)); }, "probe 'v'.interval");
    s.add_probe(sim::Probe::state("v", {0}, 1.0));
    expect_invalid([&] { s.add_probe(sim::Probe::state("v", {1}, 1.0)); }, "probe 'v'");
    s.advance(1.0);
    expect_invalid([&] { s.advance(0.5); }, "t_stop");
    expect_invalid([&] { s.advance(not_a_number); }, "t_stop");
}

TEST(BadInput, CableParameters)
{
    sim::problems::CableParameters p;
    p.diameter = -1;
    expect_invalid([&] { sim::problems::Cable c(p); }, "diameter");
    p = {};
    p.injection_compartment = p.compartments;
    expect_invalid([&] { sim::problems::Cable c(p); }, "injection_compartment");
}
