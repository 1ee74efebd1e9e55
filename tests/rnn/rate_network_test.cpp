// The continuous-time rate RNN: a closed-form linear case, the engine and Euler paths against
// each other, the analytic Jacobian against finite differences, heterogeneity statistics, Dale's
// law and masks, HDF5 round trips and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include <unsupported/Eigen/MatrixFunctions>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace rnn = neurode::rnn;
namespace sim = neurode::sim;

namespace {
rnn::RateNetworkOptions small(rnn::Activation f = rnn::Activation::tanh)
{
    rnn::RateNetworkOptions o;
    o.units = 12;
    o.inputs = 2;
    o.outputs = 3;
    o.activation = f;
    o.tau_ms = 20;
    o.heterogeneity = 3;
    o.seed = 7;
    return o;
}

std::vector<double> ramp_inputs(std::size_t trials, std::size_t steps, std::size_t m)
{
    std::vector<double> u(trials * steps * m);
    for (std::size_t i = 0; i < trials; ++i)
        for (std::size_t t = 0; t < steps; ++t)
            for (std::size_t k = 0; k < m; ++k)
                u[(i * steps + t) * m + k] = std::sin(0.3 * static_cast<double>(t) + static_cast<double>(k + i));
    return u;
}

sim::SolverOptions tight()
{
    sim::SolverOptions s;
    s.rtol = 1e-10;
    s.atol = 1e-12;
    return s;
}
}  // namespace

TEST(RateNetwork, LinearRegimeMatchesMatrixExponential)
{
    // ReLU with non-negative weights, inputs and state stays in its linear region, where
    // tau dx/dt = (W - I) x + Win u has the closed form x(t) = x* + e^{A t}(x0 - x*).
    auto o = small(rnn::Activation::relu);
    o.inputs = 1;
    o.initial_state = rnn::InitialState::constant;
    o.initial_value = 0.5;
    rnn::RateNetwork net(o);
    net.W = net.W.cwiseAbs() * 0.3;
    net.Win = net.Win.cwiseAbs();
    const double u = 0.7, dt = 5.0;
    const std::size_t steps = 20;
    const std::vector<double> inputs(steps, u);
    const auto run = net.run_engine(inputs, 1, steps, dt, tight());

    const Eigen::MatrixXd inv_tau = net.tau.cwiseInverse().asDiagonal();
    const Eigen::MatrixXd A = inv_tau * (net.W - Eigen::MatrixXd::Identity(12, 12));
    const Eigen::VectorXd c = inv_tau * (net.Win.col(0) * u);
    const Eigen::VectorXd x_star = -A.partialPivLu().solve(c);
    const Eigen::VectorXd x0 = Eigen::VectorXd::Constant(12, 0.5);
    for (std::size_t t : {0u, 5u, 19u}) {
        const Eigen::MatrixXd At = A * (static_cast<double>(t + 1) * dt);
        const Eigen::VectorXd exact = x_star + At.exp() * (x0 - x_star);
        for (Eigen::Index i = 0; i < 12; ++i)
            EXPECT_NEAR(run.state(0, t, static_cast<std::size_t>(i)), exact(i), 1e-7) << "unit " << i << " step " << t;
    }
}

TEST(RateNetwork, EulerMapConvergesToTheEngineAsDtShrinks)
{
    for (auto f : {rnn::Activation::tanh, rnn::Activation::one_plus_tanh, rnn::Activation::softplus}) {
        auto o = small(f);
        o.gain = 0.8;  // a stable network, so that errors do not grow with an exploding state
        rnn::RateNetwork net(o);
        const std::size_t trials = 2, steps = 15;
        const double dt = 10.0;
        const auto u = ramp_inputs(trials, steps, 2);
        const auto reference = net.run_engine(u, trials, steps, dt, tight());
        std::vector<double> errors;
        double scale = 0;
        for (double x : reference.states) scale = std::max(scale, std::abs(x));
        // Substeps of dt/16 and finer: below the shortest time constant, in the asymptotic regime.
        for (std::size_t substeps : {16u, 32u, 64u, 128u}) {
            const auto euler = net.run_euler(u, trials, steps, dt, 0, substeps);
            double err = 0;
            for (std::size_t i = 0; i < euler.states.size(); ++i)
                err = std::max(err, std::abs(euler.states[i] - reference.states[i]));
            errors.push_back(err / scale);
        }
        // First order: halving dt halves the error.
        for (std::size_t k = 1; k < errors.size(); ++k)
            EXPECT_NEAR(errors[k - 1] / errors[k], 2.0, 0.25) << rnn::to_string(f);
        EXPECT_LT(errors.back(), 2e-3) << rnn::to_string(f);
    }
}

TEST(RateNetwork, EulerMapIsTheDiscretisationThePapersTrain)
{
    // One step by hand: x1 = (1 - a) x0 + a (W f(x0) + Win u + b), a = dt / tau.
    auto o = small();
    o.initial_state = rnn::InitialState::gaussian;
    o.initial_sd = 0.5;
    rnn::RateNetwork net(o);
    net.b.setConstant(0.1);
    const std::vector<double> u = {0.3, -0.2};
    const auto run = net.run_euler(u, 1, 1, 4.0, 99);
    const Eigen::VectorXd x0 = net.initial_states(1, sim::Rng(99).next_u64()).col(0);
    const Eigen::VectorXd a = (4.0 / net.tau.array()).matrix();
    const Eigen::VectorXd r = x0.array().tanh().matrix();
    const Eigen::VectorXd drive = net.W * r + net.Win * Eigen::Vector2d(0.3, -0.2) + net.b;
    const Eigen::VectorXd x1 = ((1.0 - a.array()) * x0.array() + a.array() * drive.array()).matrix();
    for (Eigen::Index i = 0; i < 12; ++i) EXPECT_NEAR(run.state(0, 0, static_cast<std::size_t>(i)), x1(i), 1e-14);
    const Eigen::VectorXd y = net.Wout * x1.array().tanh().matrix() + net.bout;
    for (Eigen::Index k = 0; k < 3; ++k) EXPECT_NEAR(run.output(0, 0, static_cast<std::size_t>(k)), y(k), 1e-14);
}

TEST(RateNetwork, AnalyticJacobianMatchesFiniteDifferences)
{
    for (auto f : {rnn::Activation::tanh, rnn::Activation::one_plus_tanh, rnn::Activation::relu, rnn::Activation::softplus}) {
        auto o = small(f);
        o.dale = true;
        o.clamped_units = 2;
        rnn::RateNetwork net(o);
        rnn::RateOdeSystem system(net);
        std::vector<double> x(12), u = {0.4, -1.1}, f0(12), f1(12);
        for (std::size_t i = 0; i < 12; ++i) x[i] = 0.37 * std::cos(1.7 * static_cast<double>(i)) + 0.05;  // away from ReLU's kink
        Eigen::MatrixXd J(12, 12);
        system.dense_jacobian(0, x, u, sim::DenseMatrixRef(J.data(), 12, 12));
        const double h = 1e-6;
        for (std::size_t j = 0; j < 12; ++j) {
            auto xp = x, xm = x;
            xp[j] += h;
            xm[j] -= h;
            system.rhs(0, xp, u, f1);
            system.rhs(0, xm, u, f0);
            for (std::size_t i = 0; i < 12; ++i)
                EXPECT_NEAR(J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), (f1[i] - f0[i]) / (2 * h), 1e-8)
                    << rnn::to_string(f) << " J(" << i << "," << j << ")";
        }
    }
}

TEST(RateNetwork, HeterogeneityLevelsKeepTheMeanAndGrowTheSpread)
{
    double previous_cv = -1;
    for (int level = 0; level <= rnn::max_heterogeneity_level; ++level) {
        const auto tau = rnn::draw_time_constants(20000, level, 100.0, 1.0, 1e6, 3);
        const double mean = std::accumulate(tau.begin(), tau.end(), 0.0) / 20000.0;
        double var = 0;
        for (double t : tau) var += (t - mean) * (t - mean);
        const double cv = std::sqrt(var / 20000.0) / mean;
        EXPECT_NEAR(mean, 100.0, level <= 3 ? 1.5 : 6.0) << "H" << level;
        // The lognormal's CV is exact; its sample estimate is noisy for heavy tails (H5).
        EXPECT_NEAR(cv, rnn::heterogeneity_cv(level), level <= 3 ? 0.02 : 0.35 * rnn::heterogeneity_cv(level)) << "H" << level;
        EXPECT_GT(cv, previous_cv);
        previous_cv = cv;
    }
    EXPECT_EQ(rnn::draw_time_constants(5, 4, 100, 1, 1e4, 8), rnn::draw_time_constants(5, 4, 100, 1, 1e4, 8));
    EXPECT_THROW(rnn::heterogeneity_cv(6), neurode::invalid_parameter);
}

TEST(RateNetwork, DaleMaskAndClampedUnitsShapeTheEffectiveWeights)
{
    auto o = small();
    o.units = 50;
    o.dale = true;
    o.connection_probability = 0.3;
    o.self_connections = false;
    o.clamped_units = 3;
    o.clamp_value = 1.0;
    rnn::RateNetwork net(o);
    const Eigen::MatrixXd w = net.effective_recurrent_weights();
    EXPECT_EQ((net.sign.array() > 0).count(), 40);
    for (Eigen::Index j = 0; j < 50; ++j)
        for (Eigen::Index i = 0; i < 50; ++i) {
            if (net.mask(i, j) == 0) {
                EXPECT_EQ(w(i, j), 0.0);
            }
            EXPECT_GE(w(i, j) * net.sign(j), 0.0) << "Dale: presynaptic unit " << j << " has one sign";
        }
    EXPECT_EQ(net.mask.diagonal().sum(), 0.0);
    EXPECT_NEAR(net.mask.mean(), 0.3 * 49.0 / 50.0, 0.03);
    const auto run = net.run_euler(ramp_inputs(1, 10, 2), 1, 10, 10.0);
    for (std::size_t t = 0; t < 10; ++t)
        for (std::size_t i = 47; i < 50; ++i) EXPECT_EQ(run.state(0, t, i), 1.0) << "clamped unit " << i;
}

TEST(RateNetwork, SaveLoadReproducesOutputsExactly)
{
    auto o = small(rnn::Activation::softplus);
    o.dale = true;
    o.noise_sd = 0.05;
    o.readout = rnn::Readout::state;
    o.seed = 0xfedcba9876543210ULL;
    rnn::RateNetwork net(o);
    net.b.setConstant(0.2);
    const auto path = std::filesystem::temp_directory_path() / "neurode-rate-network-test.h5";
    net.save(path);
    const rnn::RateNetwork loaded = rnn::RateNetwork::load(path);
    std::filesystem::remove(path);
    EXPECT_EQ(loaded.options().seed, o.seed);
    EXPECT_EQ(loaded.options().activation, rnn::Activation::softplus);
    EXPECT_EQ(loaded.W, net.W);
    EXPECT_EQ(loaded.tau, net.tau);
    const auto u = ramp_inputs(3, 20, 2);
    EXPECT_EQ(loaded.run_euler(u, 3, 20, 10.0, 5).outputs, net.run_euler(u, 3, 20, 10.0, 5).outputs);
}

TEST(RateNetwork, SameSeedSameNetworkAndNoise)
{
    auto o = small();
    o.noise_sd = 0.1;
    const auto u = ramp_inputs(2, 10, 2);
    EXPECT_EQ(rnn::RateNetwork(o).run_euler(u, 2, 10, 10.0, 1).states, rnn::RateNetwork(o).run_euler(u, 2, 10, 10.0, 1).states);
    EXPECT_NE(rnn::RateNetwork(o).run_euler(u, 2, 10, 10.0, 1).states, rnn::RateNetwork(o).run_euler(u, 2, 10, 10.0, 2).states);
    auto other = o;
    other.seed = 8;
    EXPECT_NE(rnn::RateNetwork(o).W, rnn::RateNetwork(other).W);
}

TEST(RateNetwork, BadInputNamesTheField)
{
    auto expect_field = [](auto change, const std::string& field) {
        auto o = small();
        change(o);
        try {
            rnn::RateNetwork net(o);
            ADD_FAILURE() << "expected invalid_parameter for " << field;
        } catch (const neurode::invalid_parameter& e) {
            EXPECT_EQ(e.field(), field) << e.what();
        }
    };
    expect_field([](auto& o) { o.units = 0; }, "units");
    expect_field([](auto& o) { o.tau_ms = -1; }, "tau_ms");
    expect_field([](auto& o) { o.heterogeneity = 9; }, "heterogeneity");
    expect_field([](auto& o) { o.connection_probability = 0; }, "connection_probability");
    expect_field([](auto& o) { o.gain = std::nan(""); }, "gain");
    expect_field([](auto& o) { o.clamped_units = 12; }, "clamped_units");
    rnn::RateNetwork net(small());
    net.W.resize(3, 3);
    try {
        net.run_euler(ramp_inputs(1, 2, 2), 1, 2, 1.0);
        ADD_FAILURE();
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_EQ(e.field(), "W");
    }
    rnn::RateNetwork good(small());
    EXPECT_THROW(good.run_euler(std::vector<double>(3), 1, 2, 1.0), neurode::invalid_parameter);
    auto noisy = small();
    noisy.noise_sd = 0.1;
    EXPECT_THROW(rnn::RateNetwork(noisy).run_engine(ramp_inputs(1, 2, 2), 1, 2, 1.0), neurode::invalid_parameter);
}
