// BPTT with Adam for gated cells: gradients against central finite differences (GRU, LSTM, tanh
// and ReLU) and against PyTorch's autograd, Adam steps against torch.optim.Adam
// (tests/reference/bptt_gated_torch.py), learning a task to criterion, determinism, resuming from
// a checkpoint, and bad options.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include <neurode/rnn/bptt_gated.hpp>
#include <neurode/rnn/tasks/huang.hpp>
#include <neurode/rnn/training.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace rnn = neurode::rnn;

namespace {

const char* const block_names[] = {"weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_out", "bias_out"};

std::vector<Eigen::MatrixXd> weights_of(const rnn::GatedNetwork& net)
{
    return {net.weight_ih(), net.weight_hh(), net.bias_ih(), net.bias_hh(), net.weight_out(), net.bias_out()};
}

void set_block(rnn::GatedNetwork& net, std::size_t i, const Eigen::MatrixXd& w)
{
    switch (i) {
    case 0: net.set_weight_ih(w); break;
    case 1: net.set_weight_hh(w); break;
    case 2: net.set_bias_ih(w.col(0)); break;
    case 3: net.set_bias_hh(w.col(0)); break;
    case 4: net.set_weight_out(w); break;
    default: net.set_bias_out(w.col(0)); break;
    }
}

double loss_of(const rnn::GatedNetwork& net, const rnn::TrialBatch& batch)
{
    return rnn::masked_mse(batch, net.forward(batch).outputs);
}

// Random inputs and targets, and mask weights 0, 0.5 or 1.
rnn::TrialBatch random_batch(std::size_t trials, std::size_t steps, std::size_t inputs, std::size_t outputs,
                             std::uint64_t seed)
{
    std::vector<std::string> in(inputs, "u"), out(outputs, "y");
    for (std::size_t k = 0; k < inputs; ++k) in[k] += std::to_string(k);
    for (std::size_t k = 0; k < outputs; ++k) out[k] += std::to_string(k);
    rnn::TrialBatch batch("random", trials, steps, 10.0, in, out, {});
    neurode::sim::Rng rng(seed);
    for (double& v : batch.inputs) v = rng.normal();
    for (double& v : batch.targets) v = rng.normal();
    for (double& v : batch.mask) v = 0.5 * static_cast<double>(rng.index(3));
    return batch;
}

const std::map<std::string, Eigen::MatrixXd>& torch_reference()
{
    static const auto blocks = read_blocks("bptt_gated_torch.txt");
    return blocks;
}

// The stored batch: 3 trials x 6 steps, 3 inputs, 2 outputs.
rnn::TrialBatch torch_batch()
{
    const auto& ref = torch_reference();
    rnn::TrialBatch batch("torch", 3, 6, 10.0, {"u0", "u1", "u2"}, {"y0", "y1"}, {});
    batch.inputs = flatten(ref.at("inputs"));
    batch.targets = flatten(ref.at("targets"));
    batch.mask = flatten(ref.at("mask"));
    batch.check_consistent();
    return batch;
}

std::string prefix(rnn::GatedKind kind) { return kind == rnn::GatedKind::gru ? "gru" : "lstm"; }

rnn::GatedNetwork torch_network(rnn::GatedKind kind)
{
    rnn::GatedNetworkOptions o;
    o.kind = kind;
    o.shape = {3, 5, 2};
    rnn::GatedNetwork net(o);
    for (std::size_t i = 0; i < 6; ++i) set_block(net, i, torch_reference().at(prefix(kind) + "." + block_names[i]));
    return net;
}

// Hands out the same batch for every seed: Adam steps on one batch, as the PyTorch reference takes.
class FixedBatchTask final : public rnn::Task {
public:
    explicit FixedBatchTask(rnn::TrialBatch batch) : batch_(std::move(batch)) {}
    std::string name() const override { return "fixed_batch"; }
    std::size_t input_size() const override { return batch_.input_size(); }
    std::size_t output_size() const override { return batch_.output_size(); }
    double dt() const override { return batch_.dt; }
    rnn::TrialBatch generate(std::size_t, std::uint64_t) const override { return batch_; }
    rnn::Score score(const rnn::TrialBatch& batch, std::span<const double> outputs) const override
    {
        return rnn::r2_score(batch, outputs);
    }

private:
    rnn::TrialBatch batch_;
};

rnn::GatedNetworkOptions small_network(rnn::GatedKind kind, rnn::Activation phi = rnn::Activation::tanh)
{
    rnn::GatedNetworkOptions o;
    o.kind = kind;
    o.nonlinearity = phi;
    o.shape = {1, 8, 1};
    o.seed = 3;
    return o;
}

rnn::FlipFlopTask one_bit_flip_flop()
{
    rnn::FlipFlopOptions o;
    o.bits = 1;
    return rnn::FlipFlopTask(o);
}

void expect_same_weights(const rnn::GatedNetwork& a, const rnn::GatedNetwork& b)
{
    const auto wa = weights_of(a), wb = weights_of(b);
    for (std::size_t i = 0; i < wa.size(); ++i) EXPECT_EQ(wa[i], wb[i]) << block_names[i];
}

}  // namespace

// ---------------------------------------------------------------------------------------------
struct GatedBpttCase {
    rnn::GatedKind kind;
    rnn::Activation phi;
};

class GatedBpttFiniteDifferences : public ::testing::TestWithParam<GatedBpttCase> {};

// Every entry of every weight's gradient against (L(w + e) - L(w - e)) / 2e, with L computed by
// GatedNetwork::forward and masked_mse, independently of the learner's own forward pass.
TEST_P(GatedBpttFiniteDifferences, EveryBlockMatchesCentralDifferences)
{
    rnn::GatedNetworkOptions o;
    o.kind = GetParam().kind;
    o.nonlinearity = GetParam().phi;
    o.shape = {2, 4, 2};
    o.seed = 17;
    rnn::GatedNetwork net(o);
    const auto batch = random_batch(3, 7, 2, 2, 99);
    const rnn::GatedBpttLearner learner(net);
    std::vector<Eigen::MatrixXd> grads;
    const double loss = learner.loss_and_gradient(batch, grads);
    EXPECT_NEAR(loss, loss_of(net, batch), 1e-13 * loss);
    ASSERT_EQ(grads.size(), 6u);

    constexpr double step = 1e-6;
    const auto weights = weights_of(net);
    for (std::size_t b = 0; b < weights.size(); ++b) {
        ASSERT_EQ(grads[b].rows(), weights[b].rows()) << block_names[b];
        ASSERT_EQ(grads[b].cols(), weights[b].cols()) << block_names[b];
        for (Eigen::Index i = 0; i < weights[b].rows(); ++i)
            for (Eigen::Index j = 0; j < weights[b].cols(); ++j) {
                Eigen::MatrixXd w = weights[b];
                w(i, j) = weights[b](i, j) + step;
                set_block(net, b, w);
                const double up = loss_of(net, batch);
                w(i, j) = weights[b](i, j) - step;
                set_block(net, b, w);
                const double down = loss_of(net, batch);
                set_block(net, b, weights[b]);
                const double fd = (up - down) / (2 * step);
                EXPECT_NEAR(grads[b](i, j), fd, 1e-7 * (1 + std::abs(fd))) << block_names[b] << "(" << i << ", " << j << ")";
            }
    }
}

INSTANTIATE_TEST_SUITE_P(GatedBptt, GatedBpttFiniteDifferences,
                         ::testing::Values(GatedBpttCase{rnn::GatedKind::gru, rnn::Activation::tanh},
                                           GatedBpttCase{rnn::GatedKind::gru, rnn::Activation::relu},
                                           GatedBpttCase{rnn::GatedKind::lstm, rnn::Activation::tanh},
                                           GatedBpttCase{rnn::GatedKind::lstm, rnn::Activation::relu}),
                         [](const auto& info) {
                             return std::string(info.param.kind == rnn::GatedKind::gru ? "Gru" : "Lstm") +
                                    (info.param.phi == rnn::Activation::tanh ? "Tanh" : "Relu");
                         });

// Targets where the mask is 0 change neither the loss nor the gradient; an all-zero mask gives 0.
TEST(GatedBpttGradient, MaskedEntriesDoNotContribute)
{
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        rnn::GatedNetworkOptions o;
        o.kind = kind;
        o.shape = {2, 4, 2};
        const rnn::GatedBpttLearner learner{rnn::GatedNetwork(o)};
        auto batch = random_batch(2, 5, 2, 2, 5);
        std::vector<Eigen::MatrixXd> before, after;
        const double loss = learner.loss_and_gradient(batch, before);
        for (std::size_t i = 0; i < batch.mask.size(); ++i)
            if (batch.mask[i] == 0) batch.targets[i] += 100.0;
        EXPECT_EQ(learner.loss_and_gradient(batch, after), loss);
        for (std::size_t b = 0; b < 6; ++b) EXPECT_EQ(before[b], after[b]) << block_names[b];

        std::fill(batch.mask.begin(), batch.mask.end(), 0.0);
        EXPECT_EQ(learner.loss_and_gradient(batch, after), 0.0);
        for (std::size_t b = 0; b < 6; ++b) {
            EXPECT_EQ(after[b].rows(), before[b].rows());
            EXPECT_TRUE(after[b].isZero(0.0)) << block_names[b];
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Double-precision agreement with autograd, allowing for a different order of summation.
TEST(GatedBpttTorch, GradientsMatchAutograd)
{
    const auto& ref = torch_reference();
    const auto batch = torch_batch();
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        const rnn::GatedBpttLearner learner(torch_network(kind));
        std::vector<Eigen::MatrixXd> grads;
        EXPECT_NEAR(learner.loss_and_gradient(batch, grads), ref.at(prefix(kind) + ".loss")(0, 0), 1e-14)
            << prefix(kind);
        for (std::size_t b = 0; b < 6; ++b) {
            const Eigen::MatrixXd& expected = ref.at(prefix(kind) + ".grad." + block_names[b]);
            ASSERT_EQ(grads[b].rows(), expected.rows());
            ASSERT_EQ(grads[b].cols(), expected.cols());
            EXPECT_LT((grads[b] - expected).cwiseAbs().maxCoeff(), 1e-14) << prefix(kind) << " " << block_names[b];
        }
    }
}

// Three iterations on the stored batch (the LSTM with weight decay and active clipping) give
// torch.optim.Adam's weights.
TEST(GatedBpttTorch, AdamStepsMatchTorchOptim)
{
    const auto& ref = torch_reference();
    const FixedBatchTask task(torch_batch());
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        const Eigen::MatrixXd& a = ref.at(prefix(kind) + ".adam.options");
        rnn::GatedBpttOptions o;
        o.batch_size = 3;
        o.adam.learning_rate = a(0);
        o.adam.beta1 = a(1);
        o.adam.beta2 = a(2);
        o.adam.epsilon = a(3);
        o.adam.weight_decay = a(4);
        o.adam.clip_norm = a(5);
        rnn::GatedBpttLearner learner(torch_network(kind), o);
        for (std::uint64_t i = 0; i < 3; ++i) EXPECT_EQ(learner.iterate(task, i).trials, 3u);
        EXPECT_EQ(learner.steps_taken(), 3);
        const auto weights = weights_of(learner.network());
        for (std::size_t b = 0; b < 6; ++b) {
            const Eigen::MatrixXd& expected = ref.at(prefix(kind) + ".adam." + block_names[b]);
            EXPECT_LT((weights[b] - expected).cwiseAbs().maxCoeff(), 1e-12) << prefix(kind) << " " << block_names[b];
            // The steps moved the weights, so the comparison is not trivially about the start.
            EXPECT_GT((weights[b] - ref.at(prefix(kind) + "." + block_names[b])).cwiseAbs().maxCoeff(), 1e-3);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A 1-bit flip-flop is learnt by a small network in well under a second; the trials it
// took are recorded as a test property.
TEST(GatedBpttTraining, LearnsOneBitFlipFlopToCriterion)
{
    const auto task = one_bit_flip_flop();
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        rnn::GatedBpttOptions o;
        o.batch_size = 16;
        o.adam.learning_rate = 0.02;
        rnn::GatedBpttLearner learner(rnn::GatedNetwork(small_network(kind)), o);
        rnn::TrainingOptions t;
        t.target = 0.98;
        t.window = 5;
        t.validation_trials = 64;
        t.max_trials = 16 * 400;
        const auto history = rnn::train(learner, task, t);
        ASSERT_TRUE(history.reached_criterion) << prefix(kind) << ": " << history.stop_reason;
        EXPECT_EQ(history.learner, "bptt_" + prefix(kind));
        EXPECT_GT(history.trials_to_criterion, 0u);
        EXPECT_LT(history.entries.back().loss, history.entries.front().loss);
        RecordProperty(prefix(kind) + "_trials_to_criterion", std::to_string(history.trials_to_criterion));
        std::cout << prefix(kind) << ": 1-bit flip-flop at accuracy " << t.target << " after "
                  << history.trials_to_criterion << " trials (" << history.wall_seconds << " s)\n";
    }
}

TEST(GatedBpttTraining, SameSeedGivesIdenticalWeights)
{
    const auto task = one_bit_flip_flop();
    rnn::TrainingOptions t;
    t.target = 2.0;  // never reached: run the whole budget
    t.validation_trials = 8;
    t.max_iterations = 6;
    rnn::GatedBpttOptions o;
    o.batch_size = 8;
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        rnn::GatedBpttLearner a(rnn::GatedNetwork(small_network(kind)), o), b(rnn::GatedNetwork(small_network(kind)), o),
            c(rnn::GatedNetwork(small_network(kind)), o);
        rnn::train(a, task, t);
        rnn::train(b, task, t);
        expect_same_weights(a.network(), b.network());
        auto other = t;
        other.seed = 2;  // other batches
        rnn::train(c, task, other);
        EXPECT_NE(a.network().weight_hh(), c.network().weight_hh());
    }
}

TEST(GatedBpttTraining, ResumesFromACheckpointWithIdenticalWeights)
{
    const auto task = one_bit_flip_flop();
    rnn::TrainingOptions t;
    t.target = 2.0;
    t.validation_trials = 8;
    t.max_iterations = 9;
    rnn::GatedBpttOptions o;
    o.batch_size = 8;
    o.adam.clip_norm = 1.0;
    for (const auto kind : {rnn::GatedKind::gru, rnn::GatedKind::lstm}) {
        rnn::GatedBpttLearner whole(rnn::GatedNetwork(small_network(kind, rnn::Activation::relu)), o);
        const auto uninterrupted = rnn::train(whole, task, t);

        const auto path = std::filesystem::temp_directory_path() / "neurode-bptt-gated-checkpoint-test.h5";
        std::filesystem::remove(path);
        auto first = t;
        first.max_iterations = 4;  // "interrupted" after 4 iterations
        first.checkpoint = path;
        first.checkpoint_every = 2;
        rnn::GatedBpttLearner a(rnn::GatedNetwork(small_network(kind, rnn::Activation::relu)), o);
        rnn::train(a, task, first);
        auto second = t;
        second.checkpoint = path;
        // A fresh process: other initial weights, overwritten by the checkpoint.
        auto fresh = small_network(kind, rnn::Activation::relu);
        fresh.seed = 99;
        rnn::GatedBpttLearner b(rnn::GatedNetwork(fresh), o);
        const auto resumed = rnn::train(b, task, second);
        std::filesystem::remove(path);

        expect_same_weights(whole.network(), b.network());
        EXPECT_EQ(b.steps_taken(), whole.steps_taken());
        ASSERT_EQ(resumed.entries.size(), uninterrupted.entries.size());
        for (std::size_t i = 0; i < resumed.entries.size(); ++i)
            EXPECT_EQ(resumed.entries[i].loss, uninterrupted.entries[i].loss) << i;
    }
}

// A checkpoint of another shape is refused rather than silently reshaped.
TEST(GatedBpttTraining, RefusesACheckpointOfAnotherShape)
{
    const auto path = std::filesystem::temp_directory_path() / "neurode-bptt-gated-shape-test.h5";
    const rnn::GatedBpttLearner small{rnn::GatedNetwork(small_network(rnn::GatedKind::gru))};
    {
        neurode::sim::h5::Writer out(path);
        small.save_state(out, "/learner");
        out.commit();
    }
    auto big = small_network(rnn::GatedKind::gru);
    big.shape.hidden = 9;
    rnn::GatedBpttLearner other{rnn::GatedNetwork(big)};
    const neurode::sim::h5::Reader in(path);
    EXPECT_THROW(other.load_state(in, "/learner"), neurode::io_error);
    std::filesystem::remove(path);
}

// ---------------------------------------------------------------------------------------------
TEST(GatedBpttErrors, BadOptionsNameTheField)
{
    const rnn::GatedNetwork net(small_network(rnn::GatedKind::gru));
    rnn::GatedBpttOptions o;
    o.batch_size = 0;
    expect_field([&] { o.validate(); }, "batch_size");
    expect_field([&] { rnn::GatedBpttLearner(net, o); }, "batch_size");
    o = {};
    o.adam.learning_rate = -1;
    expect_field([&] { rnn::GatedBpttLearner(net, o); }, "learning_rate");
}

TEST(GatedBpttErrors, DimensionMismatchNamesTheField)
{
    const auto one_bit = one_bit_flip_flop();
    auto o = small_network(rnn::GatedKind::lstm);
    o.shape = {2, 4, 1};
    rnn::GatedBpttLearner two_inputs{rnn::GatedNetwork(o)};
    expect_field([&] { two_inputs.iterate(one_bit, 1); }, "inputs");
    expect_field([&] { two_inputs.outputs(one_bit.generate(2, 1)); }, "inputs");
    std::vector<Eigen::MatrixXd> grads;
    expect_field([&] { two_inputs.loss_and_gradient(one_bit.generate(2, 1), grads); }, "inputs");
    o.shape = {1, 4, 2};
    rnn::GatedBpttLearner two_outputs{rnn::GatedNetwork(o)};
    expect_field([&] { two_outputs.iterate(one_bit, 1); }, "outputs");
    expect_field([&] { two_outputs.outputs(one_bit.generate(2, 1)); }, "outputs");
    expect_field([&] { two_outputs.loss_and_gradient(one_bit.generate(2, 1), grads); }, "outputs");
    EXPECT_EQ(two_outputs.steps_taken(), 0);
}
