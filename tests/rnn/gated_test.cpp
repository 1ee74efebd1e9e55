// Gated cells (GRU, LSTM): forward passes against PyTorch's on stored weights and inputs
// (tests/reference/gated_torch.py), the ReLU variant, which PyTorch lacks, against single steps
// computed by hand, batching and initial states, PyTorch-style initialisation, and bad input.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <string>

#include <neurode/rnn/gated.hpp>
#include <neurode/rnn/task.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

namespace {

const std::map<std::string, Eigen::MatrixXd>& torch_reference()
{
    static const auto blocks = read_blocks("gated_torch.txt");
    return blocks;
}

void expect_near(const std::vector<double>& actual, const Eigen::MatrixXd& expected, double tol, const std::string& what)
{
    const auto e = flatten(expected);
    ASSERT_EQ(actual.size(), e.size()) << what;
    for (std::size_t i = 0; i < e.size(); ++i) EXPECT_NEAR(actual[i], e[i], tol) << what << "[" << i << "]";
}

// Stored PyTorch weights with shape (3, 5, 2), 2 trials x 7 steps.
constexpr std::size_t torch_trials = 2, torch_steps = 7;

rnn::GatedNetwork torch_network(rnn::GatedKind kind)
{
    const std::string k = kind == rnn::GatedKind::gru ? "gru" : "lstm";
    const auto& ref = torch_reference();
    rnn::GatedNetworkOptions o;
    o.kind = kind;
    o.shape = {3, 5, 2};
    rnn::GatedNetwork net(o);
    net.set_weight_ih(ref.at(k + ".weight_ih"));
    net.set_weight_hh(ref.at(k + ".weight_hh"));
    net.set_bias_ih(ref.at(k + ".bias_ih"));
    net.set_bias_hh(ref.at(k + ".bias_hh"));
    net.set_weight_out(ref.at(k + ".weight_out"));
    net.set_bias_out(ref.at(k + ".bias_out"));
    return net;
}

// Double-precision agreement with PyTorch, allowing for a different order of summation.
constexpr double torch_tol = 1e-12;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

TEST(GatedTorch, GruMatchesPyTorchFromZeroState)
{
    const auto& ref = torch_reference();
    const auto run = torch_network(rnn::GatedKind::gru).forward(flatten(ref.at("inputs")), torch_trials, torch_steps);
    expect_near(run.hidden, ref.at("gru.zero.hidden"), torch_tol, "hidden");
    expect_near(run.outputs, ref.at("gru.zero.outputs"), torch_tol, "outputs");
    EXPECT_TRUE(run.cells.empty());
}

TEST(GatedTorch, GruMatchesPyTorchFromInitialState)
{
    const auto& ref = torch_reference();
    const auto run = torch_network(rnn::GatedKind::gru)
                         .forward(flatten(ref.at("inputs")), torch_trials, torch_steps, flatten(ref.at("gru.h0")));
    expect_near(run.hidden, ref.at("gru.init.hidden"), torch_tol, "hidden");
    expect_near(run.outputs, ref.at("gru.init.outputs"), torch_tol, "outputs");
}

TEST(GatedTorch, LstmMatchesPyTorchFromZeroState)
{
    const auto& ref = torch_reference();
    const auto run = torch_network(rnn::GatedKind::lstm).forward(flatten(ref.at("inputs")), torch_trials, torch_steps);
    expect_near(run.hidden, ref.at("lstm.zero.hidden"), torch_tol, "hidden");
    expect_near(run.outputs, ref.at("lstm.zero.outputs"), torch_tol, "outputs");
    const auto& c_n = ref.at("lstm.zero.c_n");
    for (std::size_t i = 0; i < torch_trials; ++i)
        for (std::size_t j = 0; j < 5; ++j)
            EXPECT_NEAR(run.c(i, torch_steps - 1, j), c_n(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)),
                        torch_tol);
}

TEST(GatedTorch, LstmMatchesPyTorchFromInitialState)
{
    const auto& ref = torch_reference();
    const auto run = torch_network(rnn::GatedKind::lstm)
                         .forward(flatten(ref.at("inputs")), torch_trials, torch_steps, flatten(ref.at("lstm.h0")),
                                  flatten(ref.at("lstm.c0")));
    expect_near(run.hidden, ref.at("lstm.init.hidden"), torch_tol, "hidden");
    expect_near(run.outputs, ref.at("lstm.init.outputs"), torch_tol, "outputs");
    const auto& c_n = ref.at("lstm.init.c_n");
    for (std::size_t i = 0; i < torch_trials; ++i)
        for (std::size_t j = 0; j < 5; ++j)
            EXPECT_NEAR(run.c(i, torch_steps - 1, j), c_n(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)),
                        torch_tol);
}

// One GRU step with ReLU, x = 2 from h = (0.5, -0.25); pre-activations summed by hand. Unit 1's
// candidate is negative, so ReLU clips it and h'_1 = z_1 h_1.
TEST(GatedRelu, GruSingleStepMatchesHandComputation)
{
    rnn::GatedNetworkOptions o;
    o.kind = rnn::GatedKind::gru;
    o.shape = {1, 2, 1};
    o.nonlinearity = rnn::Activation::relu;
    rnn::GatedNetwork net(o);
    Eigen::MatrixXd w_ih(6, 1), w_hh(6, 2), w_out(1, 2);
    w_ih << 0.1, -0.2, 0.3, 0.4, 0.5, -0.6;  // rows r0 r1 z0 z1 n0 n1
    w_hh << 0.2, 0.1, -0.3, 0.2, 0.1, -0.1, 0.0, 0.5, 0.4, -0.2, 0.3, 0.6;
    Eigen::VectorXd b_ih(6), b_hh(6), b_out(1);
    b_ih << 0.01, 0.02, 0.03, 0.04, 0.05, 0.06;
    b_hh << -0.01, 0.0, 0.02, -0.02, 0.1, -0.1;
    w_out << 1.5, -2.0;
    b_out << 0.25;
    net.set_weight_ih(w_ih);
    net.set_weight_hh(w_hh);
    net.set_bias_ih(b_ih);
    net.set_bias_hh(b_hh);
    net.set_weight_out(w_out);
    net.set_bias_out(b_out);

    const std::vector<double> x{2.0}, h{0.5, -0.25};
    const auto run = net.forward(x, 1, 1, h);

    const double r0 = sigmoid(0.2 + 0.01 + 0.1 - 0.025 - 0.01);   // 0.275
    const double r1 = sigmoid(-0.4 + 0.02 - 0.15 - 0.05 + 0.0);   // -0.58
    const double z0 = sigmoid(0.6 + 0.03 + 0.05 + 0.025 + 0.02);  // 0.725
    const double z1 = sigmoid(0.8 + 0.04 + 0.0 - 0.125 - 0.02);   // 0.695
    const double n0 = 1.0 + 0.05 + r0 * (0.2 + 0.05 + 0.1);       // > 0: ReLU passes it
    EXPECT_LT(-1.2 + 0.06 + r1 * (0.15 - 0.15 - 0.1), 0.0);  // n1's pre-activation: clipped
    const double h0 = (1 - z0) * n0 + z0 * 0.5;
    const double h1 = z1 * -0.25;
    constexpr double tol = 1e-14;
    EXPECT_NEAR(run.h(0, 0, 0), h0, tol);
    EXPECT_NEAR(run.h(0, 0, 1), h1, tol);
    EXPECT_NEAR(run.y(0, 0, 0), 1.5 * h0 - 2.0 * h1 + 0.25, tol);

    // With tanh the same weights give a different state: the option is not ignored.
    o.nonlinearity = rnn::Activation::tanh;
    rnn::GatedNetwork tanh_net(o);
    tanh_net.set_weight_ih(w_ih);
    tanh_net.set_weight_hh(w_hh);
    tanh_net.set_bias_ih(b_ih);
    tanh_net.set_bias_hh(b_hh);
    const auto tanh_run = tanh_net.forward(x, 1, 1, h);
    EXPECT_NEAR(tanh_run.h(0, 0, 0), (1 - z0) * std::tanh(n0) + z0 * 0.5, tol);
}

// One LSTM step with ReLU, x = 1, two trials from h = 0.5 and c = -1 or -3: the first cell state
// ends positive (h' = o c'), the second negative (ReLU makes h' = 0).
TEST(GatedRelu, LstmSingleStepMatchesHandComputation)
{
    rnn::GatedNetworkOptions o;
    o.kind = rnn::GatedKind::lstm;
    o.shape = {1, 1, 1};
    o.nonlinearity = rnn::Activation::relu;
    rnn::GatedNetwork net(o);
    Eigen::MatrixXd w_ih(4, 1), w_hh(4, 1), w_out(1, 1);
    w_ih << 0.5, -0.4, 0.8, 0.3;  // rows i f g o
    w_hh << 0.1, 0.2, -0.5, 0.4;
    Eigen::VectorXd b_ih(4), b_hh(4), b_out(1);
    b_ih << 0.1, 0.2, 0.3, 0.4;
    b_hh << 0.0, -0.1, 0.0, 0.0;
    w_out << 2.0;
    b_out << -0.5;
    net.set_weight_ih(w_ih);
    net.set_weight_hh(w_hh);
    net.set_bias_ih(b_ih);
    net.set_bias_hh(b_hh);
    net.set_weight_out(w_out);
    net.set_bias_out(b_out);

    const std::vector<double> x{1.0, 1.0}, h{0.5, 0.5}, c{-1.0, -3.0};
    const auto run = net.forward(x, 2, 1, h, c);

    const double i = sigmoid(0.5 + 0.1 + 0.05);         // 0.65
    const double f = sigmoid(-0.4 + 0.2 + 0.1 - 0.1);   // -0.2
    const double g = 0.8 + 0.3 - 0.25;                  // 0.85 > 0: ReLU passes it
    const double out = sigmoid(0.3 + 0.4 + 0.2);        // 0.9
    const double c_a = -1.0 * f + i * g, c_b = -3.0 * f + i * g;
    ASSERT_GT(c_a, 0.0);
    ASSERT_LT(c_b, 0.0);
    constexpr double tol = 1e-14;
    EXPECT_NEAR(run.c(0, 0, 0), c_a, tol);
    EXPECT_NEAR(run.c(1, 0, 0), c_b, tol);
    EXPECT_NEAR(run.h(0, 0, 0), out * c_a, tol);
    EXPECT_EQ(run.h(1, 0, 0), 0.0);
    EXPECT_NEAR(run.y(0, 0, 0), 2.0 * out * c_a - 0.5, tol);
    EXPECT_EQ(run.y(1, 0, 0), -0.5);
}

// Trials run together equal trials run alone, and a run split in two (the second half started
// from the first half's final state) equals the whole run; also through a task's TrialBatch.
TEST(GatedBatch, TrialsAreIndependentAndRunsCanBeContinued)
{
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        rnn::GatedNetworkOptions o;
        o.kind = kind;
        o.shape = {2, 8, 3};
        o.seed = 11;
        const rnn::GatedNetwork net(o);
        constexpr std::size_t trials = 3, steps = 10, half = 4, m = 2, n = 8;
        rnn::TrialBatch batch("ramp", trials, steps, 10.0, {"u0", "u1"}, {"y0", "y1", "y2"}, {});
        for (std::size_t i = 0; i < trials; ++i)
            for (std::size_t t = 0; t < steps; ++t)
                for (std::size_t k = 0; k < m; ++k)
                    batch.input(i, t, k) = std::sin(0.7 * static_cast<double>(t) + static_cast<double>(3 * i + k));
        const auto all = net.forward(batch);
        constexpr double tol = 1e-14;

        for (std::size_t i = 0; i < trials; ++i) {
            const std::span<const double> u(batch.inputs.data() + i * steps * m, steps * m);
            const auto alone = net.forward(u, 1, steps);
            for (std::size_t t = 0; t < steps; ++t)
                for (std::size_t j = 0; j < n; ++j) EXPECT_NEAR(alone.h(0, t, j), all.h(i, t, j), tol);

            const auto first = net.forward(u.first(half * m), 1, half);
            const std::vector<double> h(first.hidden.end() - n, first.hidden.end());
            const std::vector<double> c = kind == rnn::GatedKind::lstm
                                              ? std::vector<double>(first.cells.end() - n, first.cells.end())
                                              : std::vector<double>{};
            const auto second = net.forward(u.subspan(half * m), 1, steps - half, h, c);
            for (std::size_t t = half; t < steps; ++t) {
                for (std::size_t j = 0; j < n; ++j) EXPECT_NEAR(second.h(0, t - half, j), all.h(i, t, j), tol);
                for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(second.y(0, t - half, k), all.y(i, t, k), tol);
            }
        }
    }
}

TEST(GatedInit, SameSeedSameWeightsInsidePyTorchBounds)
{
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        rnn::GatedNetworkOptions o;
        o.kind = kind;
        o.shape = {4, 16, 3};
        o.seed = 42;
        const rnn::GatedNetwork a(o), b(o);
        o.seed = 43;
        const rnn::GatedNetwork other(o);
        const Eigen::Index rows = kind == rnn::GatedKind::gru ? 48 : 64;
        EXPECT_EQ(a.weight_ih().rows(), rows);
        EXPECT_EQ(a.weight_ih().cols(), 4);
        EXPECT_EQ(a.weight_hh().rows(), rows);
        EXPECT_EQ(a.weight_hh().cols(), 16);
        EXPECT_EQ(a.bias_ih().size(), rows);
        EXPECT_EQ(a.bias_hh().size(), rows);
        EXPECT_EQ(a.weight_out().rows(), 3);
        EXPECT_EQ(a.weight_out().cols(), 16);
        EXPECT_EQ(a.bias_out().size(), 3);

        EXPECT_EQ(a.weight_ih(), b.weight_ih());
        EXPECT_EQ(a.weight_hh(), b.weight_hh());
        EXPECT_EQ(a.bias_ih(), b.bias_ih());
        EXPECT_EQ(a.bias_hh(), b.bias_hh());
        EXPECT_EQ(a.weight_out(), b.weight_out());
        EXPECT_EQ(a.bias_out(), b.bias_out());
        EXPECT_NE(a.weight_hh(), other.weight_hh());

        // U(-1/sqrt(hidden), 1/sqrt(hidden)) for every weight; with 1024 draws in weight_hh the
        // extremes lie near the bounds and the mean near 0 (sd of the mean: bound / sqrt(3 * 1024)).
        const double bound = 1.0 / std::sqrt(16.0);
        for (const Eigen::MatrixXd& w : {a.weight_ih(), a.weight_hh(), Eigen::MatrixXd(a.bias_ih()),
                                         Eigen::MatrixXd(a.bias_hh()), a.weight_out(), Eigen::MatrixXd(a.bias_out())})
            EXPECT_LE(w.cwiseAbs().maxCoeff(), bound);
        EXPECT_GT(a.weight_hh().maxCoeff(), 0.95 * bound);
        EXPECT_LT(a.weight_hh().minCoeff(), -0.95 * bound);
        EXPECT_LT(std::abs(a.weight_hh().mean()), 5 * bound / std::sqrt(3.0 * static_cast<double>(a.weight_hh().size())));
    }
}


TEST(GatedErrors, BadOptionsNameTheField)
{
    rnn::GatedNetworkOptions o;
    o.shape = {2, 0, 1};
    expect_field([&] { rnn::GatedNetwork{o}; }, "hidden");
    o.shape = {0, 4, 1};
    expect_field([&] { rnn::GatedNetwork{o}; }, "inputs");
    o.shape = {2, 4, 0};
    expect_field([&] { rnn::GatedNetwork{o}; }, "outputs");
    o.shape = {2, 4, 1};
    o.nonlinearity = rnn::Activation::softplus;
    expect_field([&] { o.validate(); }, "nonlinearity");
}

TEST(GatedErrors, BadWeightsNameTheFieldAndLeaveTheNetworkUnchanged)
{
    rnn::GatedNetworkOptions o;
    o.kind = rnn::GatedKind::lstm;
    o.shape = {2, 4, 1};
    rnn::GatedNetwork net(o);
    const Eigen::MatrixXd before = net.weight_hh();
    expect_field([&] { net.set_weight_hh(Eigen::MatrixXd::Zero(12, 4)); }, "weight_hh");  // GRU's shape
    EXPECT_EQ(net.weight_hh(), before);
    expect_field([&] { net.set_weight_ih(Eigen::MatrixXd::Zero(16, 3)); }, "weight_ih");
    expect_field([&] { net.set_bias_ih(Eigen::VectorXd::Zero(4)); }, "bias_ih");
    expect_field([&] { net.set_bias_hh(Eigen::VectorXd::Zero(17)); }, "bias_hh");
    expect_field([&] { net.set_weight_out(Eigen::MatrixXd::Zero(4, 1)); }, "weight_out");
    expect_field([&] { net.set_bias_out(Eigen::VectorXd::Zero(2)); }, "bias_out");
    Eigen::MatrixXd w = Eigen::MatrixXd::Zero(1, 4);
    w(0, 2) = std::numeric_limits<double>::quiet_NaN();
    expect_field([&] { net.set_weight_out(w); }, "weight_out");
}

TEST(GatedErrors, BadInputsAndInitialStatesNameTheField)
{
    rnn::GatedNetworkOptions o;
    o.shape = {2, 4, 1};
    const rnn::GatedNetwork gru(o);
    o.kind = rnn::GatedKind::lstm;
    const rnn::GatedNetwork lstm(o);
    std::vector<double> u(2 * 3 * 2, 0.1);
    expect_field([&] { gru.forward(u, 2, 4); }, "inputs");
    expect_field([&] { gru.forward(u, 2, 3, std::vector<double>(4)); }, "initial_hidden");
    expect_field([&] { gru.forward(u, 2, 3, {}, std::vector<double>(8)); }, "initial_cell");
    expect_field([&] { lstm.forward(u, 2, 3, {}, std::vector<double>(7)); }, "initial_cell");
    EXPECT_NO_THROW(lstm.forward(u, 2, 3, std::vector<double>(8), std::vector<double>(8)));
    rnn::TrialBatch batch("one", 1, 3, 10.0, {"u"}, {"y"}, {});
    expect_field([&] { gru.forward(batch); }, "inputs");
    u[5] = std::numeric_limits<double>::infinity();
    expect_field([&] { gru.forward(u, 2, 3); }, "inputs");
}
