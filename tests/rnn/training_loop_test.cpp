// The training loop itself, with a learner whose behaviour is known exactly: criterion, budget,
// history, determinism and resuming from a checkpoint.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <neurode/rnn/task_registry.hpp>
#include <neurode/rnn/training.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace rnn = neurode::rnn;

namespace {
// Outputs the targets plus noise whose size halves every iteration; the noise of each iteration
// comes from its seed, so the run is deterministic. Validation accuracy rises to 1.
class ShrinkingNoiseLearner final : public rnn::Learner {
public:
    std::string name() const override { return "shrinking_noise"; }
    rnn::IterationResult iterate(const rnn::Task& task, std::uint64_t seed) override
    {
        const auto batch = task.generate(8, seed);
        neurode::sim::Rng rng(seed);
        noise_ *= 0.5;
        drift_ += rng.normal(0.0, 1e-3);
        return {noise_ + drift_, batch.trials};
    }
    std::vector<double> outputs(const rnn::TrialBatch& batch) const override
    {
        std::vector<double> y = batch.targets;
        neurode::sim::Rng rng(7);
        for (double& v : y) v += rng.normal(0.0, noise_);
        return y;
    }
    void save_state(neurode::sim::h5::Writer& out, const std::string& group) const override
    {
        out.create_group(group);
        out.set_attribute(group, "noise", noise_);
        out.set_attribute(group, "drift", drift_);
    }
    void load_state(const neurode::sim::h5::Reader& in, const std::string& group) override
    {
        noise_ = in.double_attribute(group, "noise");
        drift_ = in.double_attribute(group, "drift");
    }

private:
    double noise_ = 8.0, drift_ = 0.0;
};

rnn::TrainingOptions quick()
{
    rnn::TrainingOptions o;
    o.window = 3;
    o.validation_trials = 50;
    o.max_iterations = 40;
    return o;
}
}  // namespace

TEST(TrainingLoop, StopsAtTheCriterionAndRecordsTrialsToCriterion)
{
    const auto task = rnn::make_task("mcmahan_rdm");
    ShrinkingNoiseLearner learner;
    const auto h = rnn::train(learner, *task, quick());
    ASSERT_TRUE(h.reached_criterion) << h.stop_reason;
    EXPECT_EQ(h.stop_reason, "criterion");
    EXPECT_EQ(h.measure, "accuracy");
    // The last `window` validations are all >= 0.9 and the one before is not.
    const std::size_t n = h.entries.size();
    for (std::size_t i = n - 3; i < n; ++i) EXPECT_GE(h.entries[i].validation_score, 0.9);
    EXPECT_LT(h.entries[n - 4].validation_score, 0.9);
    EXPECT_EQ(h.trials_to_criterion, 8 * n);
    EXPECT_EQ(h.entries.back().trials_seen, 8 * n);
}

TEST(TrainingLoop, StopsAtTheBudget)
{
    const auto task = rnn::make_task("mcmahan_rdm");
    ShrinkingNoiseLearner learner;
    auto o = quick();
    o.max_iterations = 0;
    o.max_trials = 20;  // three iterations of 8 trials
    const auto h = rnn::train(learner, *task, o);
    EXPECT_FALSE(h.reached_criterion);
    EXPECT_EQ(h.stop_reason, "max_trials");
    EXPECT_EQ(h.entries.size(), 3u);
}

TEST(TrainingLoop, ResumesFromACheckpointWithIdenticalResults)
{
    const auto task = rnn::make_task("mcmahan_rdm");
    auto o = quick();
    o.target = 2.0;  // never reached: run the whole budget
    o.max_iterations = 12;
    ShrinkingNoiseLearner whole;
    const auto uninterrupted = rnn::train(whole, *task, o);

    const auto path = std::filesystem::temp_directory_path() / "neurode-training-checkpoint-test.h5";
    std::filesystem::remove(path);
    auto first = o;
    first.max_iterations = 5;  // "interrupted" after 5 iterations
    first.checkpoint = path;
    first.checkpoint_every = 2;
    ShrinkingNoiseLearner a;
    rnn::train(a, *task, first);
    auto second = o;
    second.checkpoint = path;
    ShrinkingNoiseLearner b;  // a fresh process
    const auto resumed = rnn::train(b, *task, second);
    std::filesystem::remove(path);

    ASSERT_EQ(resumed.entries.size(), uninterrupted.entries.size());
    for (std::size_t i = 0; i < resumed.entries.size(); ++i) {
        EXPECT_EQ(resumed.entries[i].loss, uninterrupted.entries[i].loss) << i;
        EXPECT_EQ(resumed.entries[i].trials_seen, uninterrupted.entries[i].trials_seen) << i;
    }
}

TEST(TrainingLoop, BadOptionsNameTheField)
{
    auto o = quick();
    o.window = 0;
    try {
        o.validate();
        FAIL();
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_EQ(e.field(), "window");
    }
    o = quick();
    o.max_iterations = 0;
    o.max_trials = 0;
    EXPECT_THROW(o.validate(), neurode::invalid_parameter);
}
