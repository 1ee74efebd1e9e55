// BPTT with Adam for the rate network: the forward pass against run_euler, gradients against
// central finite differences (every block, activation, Dale's law, masks, clamped units, state
// readout, noise, regularisers) and against PyTorch autograd with Adam steps
// (tests/reference/bptt_torch.py), training to criterion on the 1-bit flip-flop,
// determinism, resuming from a checkpoint, and bad options.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include <neurode/rnn/bptt.hpp>
#include <neurode/rnn/tasks/huang.hpp>
#include <neurode/rnn/tasks/mcmahan.hpp>
#include <neurode/rnn/training.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace rnn = neurode::rnn;
using rnn::BpttBlock;

namespace {

constexpr const char* block_names[] = {"W", "Win", "b", "Wout", "bout"};

struct Config {
    std::string name;
    rnn::Activation activation = rnn::Activation::tanh;
    rnn::Readout readout = rnn::Readout::rates;
    bool dale = false;
    double connection_probability = 1.0;
    std::size_t clamped = 0;
    double noise_sd = 0.0;
    double l2 = 0.0, rate = 0.0;
};

std::ostream& operator<<(std::ostream& os, const Config& c) { return os << c.name; }

constexpr std::size_t units = 6, inputs = 2, outputs = 2, trials = 3, steps = 8;

rnn::RateNetwork small_network(const Config& c)
{
    rnn::RateNetworkOptions o;
    o.units = units;
    o.inputs = inputs;
    o.outputs = outputs;
    o.activation = c.activation;
    o.readout = c.readout;
    o.dale = c.dale;
    o.excitatory_fraction = 0.5;
    o.connection_probability = c.connection_probability;
    o.clamped_units = c.clamped;
    o.noise_sd = c.noise_sd;
    o.heterogeneity = 3;
    o.tau_ms = 50.0;
    o.initial_state = rnn::InitialState::gaussian;
    o.initial_sd = 0.5;
    o.seed = 11;
    rnn::RateNetwork net(o);
    neurode::sim::Rng rng(5);
    for (Eigen::Index i = 0; i < net.b.size(); ++i) net.b(i) = rng.normal(0.0, 0.3);
    for (Eigen::Index i = 0; i < net.bout.size(); ++i) net.bout(i) = rng.normal(0.0, 0.3);
    if (c.activation == rnn::Activation::relu) net.b.array() += 0.5;  // keep most units active
    return net;
}

rnn::TrialBatch random_batch(std::uint64_t seed)
{
    rnn::TrialBatch batch("random", trials, steps, 10.0, {"u0", "u1"}, {"y0", "y1"}, {});
    neurode::sim::Rng rng(seed);
    for (double& u : batch.inputs) u = rng.normal();
    for (double& y : batch.targets) y = rng.normal();
    for (double& w : batch.mask) w = rng.bernoulli(0.7) ? rng.uniform(0.5, 1.5) : 0.0;
    return batch;
}

rnn::BpttOptions regularised(const Config& c)
{
    rnn::BpttOptions o;
    o.l2_weight = c.l2;
    o.rate_regularisation = c.rate;
    return o;
}

Eigen::MatrixXd block(const rnn::RateNetwork& net, std::size_t i)
{
    switch (i) {
    case 0: return net.W;
    case 1: return net.Win;
    case 2: return net.b;
    case 3: return net.Wout;
    default: return net.bout;
    }
}

void set_block(rnn::RateNetwork& net, std::size_t i, const Eigen::MatrixXd& v)
{
    switch (i) {
    case 0: net.W = v; break;
    case 1: net.Win = v; break;
    case 2: net.b = v.col(0); break;
    case 3: net.Wout = v; break;
    default: net.bout = v.col(0); break;
    }
}

double loss_of(const rnn::RateNetwork& net, const rnn::BpttOptions& options, const rnn::TrialBatch& batch)
{
    std::vector<Eigen::MatrixXd> g;
    return rnn::BpttLearner(net, options).loss_and_gradient(batch, 77, g);
}

class BpttGradient : public ::testing::TestWithParam<Config> {};

TEST_P(BpttGradient, ForwardMatchesRunEuler)
{
    const Config c = GetParam();
    const auto net = small_network(c);
    const auto batch = random_batch(3);
    rnn::BpttOptions options;  // no regulariser: the loss is the masked MSE of run_euler's outputs
    std::vector<Eigen::MatrixXd> g;
    const double loss = rnn::BpttLearner(net, options).loss_and_gradient(batch, 77, g);
    const double expected = rnn::masked_mse(batch, net.run_euler(batch, 77).outputs);
    EXPECT_NEAR(loss, expected, 1e-12 * expected);
}

TEST_P(BpttGradient, MatchesCentralFiniteDifferences)
{
    const Config c = GetParam();
    const auto net = small_network(c);
    const auto batch = random_batch(4);
    const auto options = regularised(c);
    std::vector<Eigen::MatrixXd> g;
    rnn::BpttLearner(net, options).loss_and_gradient(batch, 77, g);
    ASSERT_EQ(g.size(), rnn::bptt_block_count);
    const double h = 1e-6;
    for (std::size_t k = 0; k < rnn::bptt_block_count; ++k) {
        auto probe = net;
        const Eigen::MatrixXd base = block(probe, k);
        ASSERT_EQ(g[k].rows(), base.rows()) << block_names[k];
        ASSERT_EQ(g[k].cols(), base.cols()) << block_names[k];
        double worst = 0, scale = 1e-3;
        for (Eigen::Index i = 0; i < base.rows(); ++i)
            for (Eigen::Index j = 0; j < base.cols(); ++j) {
                Eigen::MatrixXd v = base;
                v(i, j) = base(i, j) + h;
                set_block(probe, k, v);
                const double up = loss_of(probe, options, batch);
                v(i, j) = base(i, j) - h;
                set_block(probe, k, v);
                const double down = loss_of(probe, options, batch);
                const double fd = (up - down) / (2 * h);
                worst = std::max(worst, std::abs(fd - g[k](i, j)));
                scale = std::max(scale, std::abs(fd));
            }
        EXPECT_LT(worst, 1e-6 * scale) << block_names[k] << ": |grad| up to " << scale;
    }
    // Fixed connectivity gets exactly zero gradient, and so do the inputs of clamped units
    // (unless the L2 term pulls on them).
    for (Eigen::Index i = 0; i < net.mask.rows(); ++i)
        for (Eigen::Index j = 0; j < net.mask.cols(); ++j)
            if (net.mask(i, j) == 0) {
                EXPECT_EQ(g[0](i, j), 0.0);
            }
    if (c.l2 > 0) return;
    const auto free = static_cast<Eigen::Index>(units - c.clamped);
    for (Eigen::Index i = free; i < static_cast<Eigen::Index>(units); ++i) {
        EXPECT_EQ(g[0].row(i).norm(), 0.0);
        EXPECT_EQ(g[1].row(i).norm(), 0.0);
        EXPECT_EQ(g[2](i, 0), 0.0);
    }
}

TEST_P(BpttGradient, SinglePrecisionAndThreadsAgree)
{
    const Config c = GetParam();
    const auto net = small_network(c);
    const auto batch = random_batch(5);
    auto options = regularised(c);
    std::vector<Eigen::MatrixXd> reference, threaded, single;
    const double loss = rnn::BpttLearner(net, options).loss_and_gradient(batch, 77, reference);
    options.threads = 2;
    EXPECT_NEAR(rnn::BpttLearner(net, options).loss_and_gradient(batch, 77, threaded), loss, 1e-13 * loss);
    options.precision = rnn::Precision::float32;
    EXPECT_NEAR(rnn::BpttLearner(net, options).loss_and_gradient(batch, 77, single), loss, 1e-5 * loss);
    for (std::size_t k = 0; k < rnn::bptt_block_count; ++k) {
        const double norm = std::max(reference[k].norm(), 1e-3);
        EXPECT_LT((threaded[k] - reference[k]).norm(), 1e-12 * norm) << block_names[k];
        EXPECT_LT((single[k] - reference[k]).norm(), 1e-4 * norm) << block_names[k];
    }
}

INSTANTIATE_TEST_SUITE_P(
    Bptt, BpttGradient,
    ::testing::Values(Config{"tanh", rnn::Activation::tanh},
                      Config{"one_plus_tanh_regularised", rnn::Activation::one_plus_tanh, rnn::Readout::rates, false, 1.0, 0, 0.0, 0.01, 0.1},
                      Config{"relu", rnn::Activation::relu},
                      Config{"softplus_state_readout", rnn::Activation::softplus, rnn::Readout::state},
                      Config{"dale_mask_clamped", rnn::Activation::tanh, rnn::Readout::rates, true, 0.6, 2, 0.0, 0.01, 0.1},
                      Config{"state_readout_clamped_noise", rnn::Activation::one_plus_tanh, rnn::Readout::state, false, 1.0, 1, 0.2, 0.0, 0.05},
                      Config{"dale_relu_noise", rnn::Activation::relu, rnn::Readout::rates, true, 0.8, 0, 0.1}),
    [](const auto& info) { return info.param.name; });

// --- PyTorch autograd ----------------------------------------------------------------------------

struct TorchConfig {
    std::string name;
    rnn::Activation activation;
    rnn::Readout readout;
    bool dale;
    std::size_t clamped;
    double x0, l2, rate, lr, weight_decay, clip;
};

TEST(BpttTorchReference, GradientAndAdamStepsMatchAutograd)
{
    const auto ref = read_blocks("bptt_torch.txt");
    // The settings of CONFIGS in bptt_torch.py.
    const TorchConfig configs[] = {
        {"a", rnn::Activation::one_plus_tanh, rnn::Readout::rates, false, 0, 0.0, 1e-3, 1e-2, 1e-2, 0.0, 0.0},
        {"b", rnn::Activation::tanh, rnn::Readout::state, true, 1, 0.2, 0.0, 5e-2, 5e-3, 1e-3, 0.5},
    };
    constexpr std::size_t torch_units = 7, torch_inputs = 3, torch_outputs = 2, torch_trials = 4, torch_steps = 6;
    constexpr int adam_steps = 3;
    for (const TorchConfig& c : configs) {
        SCOPED_TRACE(c.name);
        auto get = [&](const std::string& key) -> const Eigen::MatrixXd& {
            const auto it = ref.find(c.name + "." + key);
            if (it == ref.end()) throw std::runtime_error("reference lacks " + c.name + "." + key);
            return it->second;
        };
        rnn::RateNetworkOptions o;
        o.units = torch_units;
        o.inputs = torch_inputs;
        o.outputs = torch_outputs;
        o.activation = c.activation;
        o.readout = c.readout;
        o.dale = c.dale;
        o.clamped_units = c.clamped;
        o.clamp_value = 1.0;
        o.initial_state = rnn::InitialState::constant;
        o.initial_value = c.x0;
        o.tau_min_ms = 1.0;
        rnn::RateNetwork net(o);
        for (std::size_t k = 0; k < rnn::bptt_block_count; ++k) set_block(net, k, get(block_names[k]));
        net.tau = get("tau").col(0);
        net.mask = get("mask");
        net.sign = get("sign").col(0);

        rnn::TrialBatch batch("torch", torch_trials, torch_steps, 10.0, {"u0", "u1", "u2"}, {"y0", "y1"}, {});
        auto fill = [&](std::vector<double>& v, const Eigen::MatrixXd& m) {
            ASSERT_EQ(static_cast<std::size_t>(m.size()), v.size());
            for (Eigen::Index r = 0; r < m.rows(); ++r)
                for (Eigen::Index k = 0; k < m.cols(); ++k) v[static_cast<std::size_t>(r * m.cols() + k)] = m(r, k);
        };
        fill(batch.inputs, get("inputs"));
        fill(batch.targets, get("targets"));
        fill(batch.mask, get("weights"));

        rnn::BpttOptions options;
        options.l2_weight = c.l2;
        options.rate_regularisation = c.rate;
        options.adam.learning_rate = c.lr;
        options.adam.weight_decay = c.weight_decay;
        options.adam.clip_norm = c.clip;
        rnn::BpttLearner learner(net, options);
        std::vector<Eigen::MatrixXd> g;
        const double loss = learner.loss_and_gradient(batch, 0, g);
        EXPECT_NEAR(loss, get("loss")(0, 0), 1e-13);
        for (std::size_t k = 0; k < rnn::bptt_block_count; ++k) {
            const Eigen::MatrixXd& expected = get(std::string("grad.") + block_names[k]);
            EXPECT_LT((g[k] - expected).cwiseAbs().maxCoeff(), 1e-13 * std::max(1.0, expected.cwiseAbs().maxCoeff()))
                << block_names[k];
        }
        for (int i = 0; i < adam_steps; ++i) learner.step(batch, 0);
        const auto& trained = learner.network();
        for (std::size_t k = 0; k < rnn::bptt_block_count; ++k) {
            const Eigen::MatrixXd& expected = get(std::string("adam.") + block_names[k]);
            EXPECT_LT((block(trained, k) - expected).cwiseAbs().maxCoeff(), 1e-12) << block_names[k];
        }
    }
}

// --- training ------------------------------------------------------------------------------------

// Short, low-noise random dots: quick iterations for the determinism and checkpoint tests.
rnn::RandomDotsTask short_dots()
{
    rnn::RandomDotsOptions o;
    o.steps = 40;
    o.noise_variance = 0.01;
    return rnn::RandomDotsTask(o);
}

rnn::RateNetwork small_network_for_tasks()
{
    rnn::RateNetworkOptions o;
    o.units = 32;
    o.inputs = 1;
    o.outputs = 1;
    o.activation = rnn::Activation::tanh;
    o.gain = 1.0;
    o.seed = 2;
    return rnn::RateNetwork(o);
}

rnn::BpttOptions small_options()
{
    rnn::BpttOptions o;
    o.adam.learning_rate = 1e-2;
    o.batch_size = 32;
    return o;
}

rnn::TrainingOptions small_training()
{
    rnn::TrainingOptions o;
    o.window = 5;
    o.validation_trials = 200;
    o.max_iterations = 400;
    o.seed = 9;
    return o;
}

// 1-bit flip-flop with sparse pulses: the untrained network's leaky memory scores about 0.8;
// 90% bit accuracy needs learned persistent states.
TEST(BpttTraining, ReachesCriterionOnFlipFlop)
{
    rnn::FlipFlopOptions flip_flop;
    flip_flop.bits = 1;
    flip_flop.pulse_probability = 0.1;
    const rnn::FlipFlopTask task(flip_flop);
    const auto training = small_training();
    rnn::BpttLearner learner(small_network_for_tasks(), small_options());
    const auto validation = task.generate(training.validation_trials, training.validation_seed);
    EXPECT_LT(task.score(validation, learner.outputs(validation)).value, 0.85);
    const auto h = rnn::train(learner, task, training);
    ASSERT_TRUE(h.reached_criterion) << h.stop_reason << ", last accuracy " << h.entries.back().validation_score;
    EXPECT_EQ(h.learner, "bptt");
    EXPECT_LT(h.entries.back().loss, h.entries.front().loss);
    RecordProperty("trials_to_criterion", static_cast<int>(h.trials_to_criterion));
    std::cout << "BPTT trials to criterion on the 1-bit flip-flop: " << h.trials_to_criterion << " ("
              << h.entries.size() << " iterations, " << h.wall_seconds << " s)\n";
}

TEST(BpttTraining, SameSeedGivesBitIdenticalWeights)
{
    const auto task = short_dots();
    auto training = small_training();
    training.max_iterations = 15;
    training.target = 2.0;  // run the whole budget
    auto options = small_options();
    options.threads = 2;
    rnn::BpttLearner a(small_network_for_tasks(), options), b(small_network_for_tasks(), options);
    rnn::train(a, task, training);
    rnn::train(b, task, training);
    EXPECT_TRUE(a.network().W == b.network().W);
    EXPECT_TRUE(a.network().Win == b.network().Win);
    EXPECT_TRUE(a.network().Wout == b.network().Wout);
    EXPECT_TRUE(a.network().b == b.network().b);
    EXPECT_FALSE(a.network().W == small_network_for_tasks().W);
}

TEST(BpttTraining, ResumesFromACheckpointWithIdenticalWeights)
{
    const auto task = short_dots();
    auto training = small_training();
    training.max_iterations = 12;
    training.target = 2.0;
    rnn::BpttLearner whole(small_network_for_tasks(), small_options());
    rnn::train(whole, task, training);

    const auto path = std::filesystem::temp_directory_path() / "neurode-bptt-checkpoint-test.h5";
    std::filesystem::remove(path);
    auto first = training;
    first.max_iterations = 7;  // interrupted
    first.checkpoint = path;
    first.checkpoint_every = 3;
    rnn::BpttLearner interrupted(small_network_for_tasks(), small_options());
    rnn::train(interrupted, task, first);
    auto second = training;
    second.checkpoint = path;
    rnn::BpttLearner resumed(small_network_for_tasks(), small_options());  // a fresh process
    rnn::train(resumed, task, second);
    std::filesystem::remove(path);

    EXPECT_TRUE(resumed.network().W == whole.network().W);
    EXPECT_TRUE(resumed.network().Win == whole.network().Win);
    EXPECT_TRUE(resumed.network().b == whole.network().b);
    EXPECT_TRUE(resumed.network().Wout == whole.network().Wout);
    EXPECT_TRUE(resumed.network().bout == whole.network().bout);
}

TEST(BpttOptions, BadOptionsNameTheField)
{
    auto options = small_options();
    options.adam.learning_rate = 0;
    expect_field([&] { rnn::BpttLearner(small_network_for_tasks(), options); }, "learning_rate");
    options = small_options();
    options.adam.learning_rate = -1e-3;
    expect_field([&] { options.validate(); }, "learning_rate");
    options = small_options();
    options.batch_size = 0;
    expect_field([&] { rnn::BpttLearner(small_network_for_tasks(), options); }, "batch_size");
    options = small_options();
    options.threads = 0;
    expect_field([&] { options.validate(); }, "threads");
    options = small_options();
    options.l2_weight = -1;
    expect_field([&] { options.validate(); }, "l2_weight");
    options = small_options();
    options.rate_regularisation = std::nan("");
    expect_field([&] { options.validate(); }, "rate_regularisation");

    // The 1-bit flip-flop has one input and one output, the 3-bit one three of each.
    rnn::BpttLearner learner(small_network_for_tasks(), small_options());
    expect_field([&] { learner.iterate(rnn::FlipFlopTask{}, 1); }, "inputs");
    auto wide = small_network_for_tasks().options();
    wide.inputs = 3;
    rnn::BpttLearner three_inputs{rnn::RateNetwork(wide), small_options()};
    expect_field([&] { three_inputs.iterate(rnn::FlipFlopTask{}, 1); }, "outputs");
}

}  // namespace
