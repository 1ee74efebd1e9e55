// The task machinery shared by every task: batches, epochs, durations, the noise control.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <neurode/rnn/io.hpp>
#include <neurode/rnn/task.hpp>
#include <neurode/rnn/timing.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

TEST(TaskCore, BatchAccessorsAreRowMajorTrialStepChannel)
{
    rnn::TrialBatch b("t", 2, 3, 10.0, {"a", "b"}, {"y"}, {"c"});
    b.input(1, 2, 1) = 7.0;
    EXPECT_EQ(b.inputs[(1 * 3 + 2) * 2 + 1], 7.0);
    b.epochs[0] = {{"fixation", 0, 1}, {"decision", 1, 3}};
    b.epochs[1] = {{"fixation", 0, 2}, {"decision", 2, 3}};
    EXPECT_NO_THROW(b.check_consistent());
    EXPECT_EQ(b.epoch(1, "decision").start, 2u);
    EXPECT_THROW(b.epoch(1, "delay"), neurode::invalid_parameter);
    b.epochs[1] = {{"decision", 2, 3}, {"fixation", 0, 2}};
    EXPECT_THROW(b.check_consistent(), neurode::logic_error);
}

TEST(TaskCore, DurationsSampleInsideTheirBoundsAndValidate)
{
    neurode::sim::Rng rng(3);
    const auto te = rnn::Duration::truncated_exponential(600, 300, 3000);
    double sum = 0;
    for (int i = 0; i < 2000; ++i) {
        const double d = te.sample(rng);
        ASSERT_GE(d, 300);
        ASSERT_LE(d, 3000);
        sum += d;
    }
    // Mean of an exponential(600) conditioned on [300, 3000]: 300 + 600 - 2700 e^{-4.5}/(1 - e^{-4.5}).
    const double q = std::exp(-4.5);
    EXPECT_NEAR(sum / 2000, 300 + 600 - 2700 * q / (1 - q), 30);
    EXPECT_EQ(rnn::to_steps(500, 20), 25u);
    EXPECT_EQ(rnn::to_steps(450, 100), 4u);
    EXPECT_THROW(rnn::Duration::fixed(-1).validate("delay_ms"), neurode::invalid_parameter);
    EXPECT_THROW(rnn::Duration::uniform(5, 1).validate("delay_ms"), neurode::invalid_parameter);
    try {
        rnn::Duration::choice({}).validate("stimulus_ms");
        FAIL();
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_NE(std::string(e.what()).find("stimulus_ms"), std::string::npos);
    }
}

TEST(TaskCore, GaussianInputControlMatchesChannelMomentsAndSeed)
{
    rnn::TrialBatch b("t", 50, 40, 10.0, {"a", "b"}, {"y"}, {});
    for (std::size_t i = 0; i < 50; ++i)
        for (std::size_t t = 0; t < 40; ++t) {
            b.input(i, t, 0) = t < 20 ? 1.0 : 0.0;  // mean 0.5, sd 0.5
            b.input(i, t, 1) = 3.0;                 // mean 3, sd 0
        }
    const auto noisy = rnn::with_gaussian_inputs(b, 11);
    double m0 = 0, v0 = 0;
    for (std::size_t s = 0; s < 2000; ++s) m0 += noisy.inputs[2 * s];
    m0 /= 2000;
    for (std::size_t s = 0; s < 2000; ++s) v0 += (noisy.inputs[2 * s] - m0) * (noisy.inputs[2 * s] - m0);
    EXPECT_NEAR(m0, 0.5, 0.05);
    EXPECT_NEAR(std::sqrt(v0 / 2000), 0.5, 0.03);
    EXPECT_EQ(noisy.inputs[1], 3.0);
    EXPECT_EQ(noisy.targets, b.targets);
    EXPECT_EQ(rnn::with_gaussian_inputs(b, 11).inputs, noisy.inputs);
    EXPECT_NE(rnn::with_gaussian_inputs(b, 12).inputs, noisy.inputs);
}

TEST(TaskCore, TrialsRoundTripThroughHdf5)
{
    rnn::TrialBatch b("demo", 2, 4, 20.0, {"u0", "u1"}, {"y"}, {"coherence"});
    for (std::size_t i = 0; i < b.inputs.size(); ++i) b.inputs[i] = 0.5 * static_cast<double>(i);
    b.target(1, 3, 0) = 1.0;
    b.weight(0, 2, 0) = 5.0;
    b.condition(1, 0) = 0.08;
    b.epochs[0] = {{"fixation", 0, 1}, {"decision", 1, 4}};
    b.epochs[1] = {{"fixation", 0, 2}, {"delay", 2, 2}, {"decision", 2, 4}};
    const auto path = std::filesystem::temp_directory_path() / "neurode-trials-test.h5";
    {
        neurode::sim::h5::Writer out(path);
        rnn::write_trials(out, "/trials", b);
        out.commit();
    }
    const auto back = rnn::read_trials(neurode::sim::h5::Reader(path), "/trials");
    std::filesystem::remove(path);
    EXPECT_EQ(back.task, "demo");
    EXPECT_EQ(back.inputs, b.inputs);
    EXPECT_EQ(back.targets, b.targets);
    EXPECT_EQ(back.mask, b.mask);
    EXPECT_EQ(back.conditions, b.conditions);
    EXPECT_EQ(back.condition_names, b.condition_names);
    EXPECT_EQ(back.epoch(1, "delay").length(), 0u);
    EXPECT_EQ(back.epoch(1, "decision").start, 2u);
    EXPECT_EQ(back.epochs[0].size(), 2u);
}
