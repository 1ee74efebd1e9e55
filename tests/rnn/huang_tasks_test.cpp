// The solution-degeneracy tasks (Huang et al.): each is checked against a policy computed here
// from the inputs alone, which must score perfectly, and against constant outputs, which must not.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <cmath>
#include <functional>
#include <numbers>
#include <vector>

#include <neurode/rnn/tasks/huang.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

namespace {

void expect_whole_trial_epochs(const rnn::TrialBatch& b)
{
    b.check_consistent();
    for (std::size_t i = 0; i < b.trials; ++i) {
        ASSERT_EQ(b.epochs[i].size(), 4u);
        EXPECT_EQ(b.epochs[i][0].name, "fixation");
        EXPECT_EQ(b.epoch(i, "fixation").length(), 0u);
        EXPECT_EQ(b.epoch(i, "stimulus").start, 0u);
        EXPECT_EQ(b.epoch(i, "stimulus").stop, b.steps);
        EXPECT_EQ(b.epoch(i, "delay").length(), 0u);
        EXPECT_EQ(b.epoch(i, "decision").length(), 0u);
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST(HuangFlipFlop, ShapesEpochsAndSeeds)
{
    rnn::FlipFlopOptions o;
    o.bits = 4;
    const rnn::FlipFlopTask task(o);
    const auto b = task.generate(6, 1);
    EXPECT_EQ(b.task, "flip_flop");
    EXPECT_EQ(b.steps, 64u);
    EXPECT_EQ(b.input_size(), 4u);
    EXPECT_EQ(b.output_size(), 4u);
    EXPECT_EQ(b.output_names[3], "bit_3");
    expect_whole_trial_epochs(b);
    for (std::size_t i = 0; i < b.trials; ++i)
        for (std::size_t k = 0; k < 4; ++k) {
            EXPECT_EQ(std::abs(b.input(i, 0, k)), 1.0);  // the forced pulse
            EXPECT_EQ(b.condition(i, b.condition_index("initial_" + std::to_string(k))), b.input(i, 0, k));
        }
    EXPECT_EQ(task.generate(6, 1).inputs, b.inputs);
    EXPECT_EQ(task.generate(6, 1).targets, b.targets);
    EXPECT_NE(task.generate(6, 2).inputs, b.inputs);
}

TEST(HuangFlipFlop, HoldingTheLastPulseScoresPerfectlyAndConstantsDoNot)
{
    const rnn::FlipFlopTask task;
    const auto b = task.generate(200, 7);
    const std::size_t n = b.input_size();
    std::vector<double> oracle(b.targets.size());
    for (std::size_t i = 0; i < b.trials; ++i)
        for (std::size_t k = 0; k < n; ++k) {
            double held = 0;
            for (std::size_t t = 0; t < b.steps; ++t) {
                if (b.input(i, t, k) != 0) held = b.input(i, t, k) > 0 ? 1 : -1;
                oracle[(i * b.steps + t) * n + k] = held;
            }
        }
    const auto s = task.score(b, oracle);
    EXPECT_EQ(s.measure, "bit_accuracy");
    EXPECT_EQ(s.value, 1.0);
    ASSERT_EQ(s.per_trial.size(), b.trials);
    EXPECT_NEAR(task.r2_score(b, oracle).value, 1.0, 1e-9);

    const std::vector<double> plus(b.targets.size(), 1.0), zero(b.targets.size(), 0.0);
    EXPECT_NEAR(task.score(b, plus).value, 0.5, 0.02);  // signs are balanced
    EXPECT_EQ(task.score(b, zero).value, 0.0);          // no sign is no answer
    EXPECT_LE(task.r2_score(b, zero).value, 1e-12);
    EXPECT_THROW(task.score(b, std::vector<double>(3)), neurode::invalid_parameter);
}

TEST(HuangFlipFlop, PulseRateMatchesTheProbability)
{
    for (double p : {0.5, 0.3, 0.05}) {
        rnn::FlipFlopOptions o;
        o.pulse_probability = p;
        const auto b = rnn::FlipFlopTask(o).generate(300, 11);
        double pulses = 0, positive = 0, slots = 0;
        for (std::size_t i = 0; i < b.trials; ++i)
            for (std::size_t t = 1; t < b.steps; ++t)  // step 0 is forced
                for (std::size_t k = 0; k < b.input_size(); ++k) {
                    slots += 1;
                    pulses += b.input(i, t, k) != 0;
                    positive += b.input(i, t, k) > 0;
                }
        EXPECT_NEAR(pulses / slots, p, 5 * std::sqrt(p * (1 - p) / slots)) << "p = " << p;
        EXPECT_NEAR(positive / pulses, 0.5, 5 * std::sqrt(0.25 / pulses)) << "p = " << p;
    }
}

// ---------------------------------------------------------------------------------------------

TEST(HuangSineWave, DecodedFrequencyGivesTheTargetExactly)
{
    const rnn::SineWaveTask task;  // 1-6 Hz, input f / 6 + 0.25
    const auto b = task.generate(100, 3);
    EXPECT_EQ(b.steps, 200u);
    expect_whole_trial_epochs(b);
    std::vector<double> oracle(b.targets.size());
    for (std::size_t i = 0; i < b.trials; ++i) {
        const double f = (b.input(i, 0, 0) - 0.25) * 6.0;
        EXPECT_GE(f, 1.0 - 1e-12);
        EXPECT_LE(f, 6.0 + 1e-12);
        EXPECT_NEAR(std::remainder((f - 1.0) / 0.1, 1.0), 0.0, 1e-9);  // on the 51-value grid
        EXPECT_NEAR(b.condition(i, 0), f, 1e-12);
        for (std::size_t t = 0; t < b.steps; ++t) {
            EXPECT_EQ(b.input(i, t, 0), b.input(i, 0, 0));  // static
            oracle[i * b.steps + t] = std::sin(2 * std::numbers::pi * f * t * 0.010);
        }
    }
    const auto s = task.score(b, oracle);
    EXPECT_EQ(s.measure, "r2");
    EXPECT_NEAR(s.value, 1.0, 1e-9);
    for (double r : s.per_trial) EXPECT_NEAR(r, 1.0, 1e-9);
    EXPECT_LE(task.score(b, std::vector<double>(b.targets.size(), 0.0)).value, 1e-12);
    EXPECT_NE(task.generate(100, 4).inputs, b.inputs);
    EXPECT_EQ(task.generate(100, 3).inputs, b.inputs);
}

// ---------------------------------------------------------------------------------------------

TEST(HuangDelayedDiscrimination, EpochsMaskAndSeeds)
{
    const rnn::DelayedDiscriminationTask task;
    const auto b = task.generate(50, 5);
    b.check_consistent();
    const std::vector<std::string> order{"fixation", "stimulus", "delay", "stimulus2", "decision"};
    double delay_min = 1e9, delay_max = 0;
    for (std::size_t i = 0; i < b.trials; ++i) {
        ASSERT_EQ(b.epochs[i].size(), order.size());
        for (std::size_t e = 0; e < order.size(); ++e) EXPECT_EQ(b.epochs[i][e].name, order[e]);
        EXPECT_EQ(b.epoch(i, "fixation").length(), 10u);
        EXPECT_EQ(b.epoch(i, "stimulus").length(), 25u);
        const double d = static_cast<double>(b.epoch(i, "delay").length());
        delay_min = std::min(delay_min, d);
        delay_max = std::max(delay_max, d);
        const auto& decision = b.epoch(i, "decision");
        for (std::size_t t = 0; t < b.steps; ++t) {
            const bool inside = t >= decision.start && t < decision.stop;
            EXPECT_EQ(b.weight(i, t, 0), inside ? 1.0 : 0.0);
        }
        const std::size_t choice = static_cast<std::size_t>(b.condition(i, b.condition_index("choice")));
        EXPECT_EQ(b.target(i, decision.start, choice), 1.0);
        EXPECT_EQ(b.target(i, decision.start, 1 - choice), 0.2);
    }
    EXPECT_GE(delay_min, 25);
    EXPECT_LE(delay_max, 75);
    EXPECT_GT(delay_max - delay_min, 10);  // the delay varies
    EXPECT_EQ(task.generate(50, 5).inputs, b.inputs);
    EXPECT_NE(task.generate(50, 6).inputs, b.inputs);
}

TEST(HuangDelayedDiscrimination, ComparingDecodedFrequenciesIsAlwaysRight)
{
    rnn::DelayedDiscriminationOptions o;
    o.stimulus_noise = 0;  // then the stimuli are the only non-zero inputs
    const rnn::DelayedDiscriminationTask task(o);
    const auto b = task.generate(400, 9);
    std::vector<double> oracle(b.targets.size());
    double f1_greater = 0;
    for (std::size_t i = 0; i < b.trials; ++i) {
        // The first and second runs of non-zero input are f1 and f2.
        std::vector<double> seen;
        for (std::size_t t = 0; t < b.steps; ++t) {
            const double u = b.input(i, t, 0);
            const bool starts = u != 0 && (t == 0 || b.input(i, t - 1, 0) == 0);
            if (starts) seen.push_back(10 + (u - 0.4) * 24 / 0.8);
            if (u != 0) {
                EXPECT_NEAR(u + b.input(i, t, 1), 1.6, 1e-12);  // the mirror channel
            }
        }
        ASSERT_EQ(seen.size(), 2u);
        EXPECT_NEAR(seen[0], b.condition(i, 0), 1e-9);
        EXPECT_NEAR(seen[1], b.condition(i, 1), 1e-9);
        EXPECT_NEAR(std::abs(seen[0] - seen[1]), 8.0, 1e-9);
        f1_greater += seen[0] > seen[1];
        for (std::size_t t = 0; t < b.steps; ++t) oracle[(i * b.steps + t) * 2 + (seen[0] > seen[1] ? 0 : 1)] = 1.0;
    }
    EXPECT_EQ(task.score(b, oracle).value, 1.0);
    const double half = 0.5 * b.trials;
    EXPECT_NEAR(f1_greater, half, 5 * std::sqrt(half / 2));
    // A constant answer is right on the trials of one order only.
    const auto constant = task.score(b, std::vector<double>(b.targets.size(), 0.7));
    EXPECT_NEAR(constant.value, f1_greater / b.trials, 1e-12);
    EXPECT_NEAR(constant.value, 0.5, 0.1);
}

TEST(HuangDelayedDiscrimination, NoisyStimuliStillDecodeFromTheirMeans)
{
    const rnn::DelayedDiscriminationTask task;  // stim_noise 0.1: sd 0.1 sqrt(0.02 sqrt(100)) at dt = 10
    const auto b = task.generate(200, 21);
    std::vector<double> oracle(b.targets.size());
    double sum2 = 0, count = 0;
    for (std::size_t i = 0; i < b.trials; ++i) {
        auto mean0 = [&](const rnn::Epoch& e) {
            double s = 0;
            for (std::size_t t = e.start; t < e.stop; ++t) s += b.input(i, t, 0);
            return s / static_cast<double>(e.length());
        };
        const bool greater = mean0(b.epoch(i, "stimulus")) > mean0(b.epoch(i, "stimulus2"));
        for (std::size_t t = 0; t < b.steps; ++t) oracle[(i * b.steps + t) * 2 + (greater ? 0 : 1)] = 1.0;
        for (std::size_t t = 0; t < b.epoch(i, "fixation").stop; ++t)
            for (std::size_t k = 0; k < 2; ++k) {
                sum2 += b.input(i, t, k) * b.input(i, t, k);
                count += 1;
            }
    }
    EXPECT_EQ(task.score(b, oracle).value, 1.0);
    EXPECT_NEAR(std::sqrt(sum2 / count), 0.1 * std::sqrt(0.2), 0.003);
}

// ---------------------------------------------------------------------------------------------

class HuangPathIntegration : public ::testing::TestWithParam<std::tuple<std::size_t, bool>> {};

TEST_P(HuangPathIntegration, SummedVelocityIsThePositionInsideTheBox)
{
    rnn::PathIntegrationOptions o;
    o.dimension = std::get<0>(GetParam());
    o.random_start = std::get<1>(GetParam());
    const rnn::PathIntegrationTask task(o);
    const auto b = task.generate(60, 13);
    const std::size_t n = o.dimension;
    ASSERT_EQ(b.input_size(), o.random_start ? 2 * n : n);
    ASSERT_EQ(b.output_size(), n);
    EXPECT_EQ(b.steps, 200u);
    expect_whole_trial_epochs(b);

    const double half = 0.5, dt_s = 0.020;
    std::vector<double> oracle(b.targets.size());
    double reflections = 0, v2 = 0, samples = 0;
    for (std::size_t i = 0; i < b.trials; ++i) {
        for (std::size_t d = 0; d < n; ++d) {
            double x = o.random_start ? b.input(i, 0, n + d) : 0.0;
            EXPECT_EQ(x, b.condition(i, d));
            for (std::size_t t = 0; t < b.steps; ++t) {
                if (o.random_start && t > 0) {
                    EXPECT_EQ(b.input(i, t, n + d), 0.0);
                }
                x += b.input(i, t, d) * dt_s;
                oracle[(i * b.steps + t) * n + d] = x;
                EXPECT_LE(std::abs(b.target(i, t, d)), half);
                EXPECT_NEAR(b.target(i, t, d), x, 1e-12);
                v2 += b.input(i, t, d) * b.input(i, t, d);
                samples += 1;
            }
        }
        reflections += b.condition(i, n);
    }
    EXPECT_GT(reflections, 0);  // the walls are reached
    // Velocity components keep their stationary sd (a fold shortens one step only).
    EXPECT_NEAR(std::sqrt(v2 / samples), o.speed_sd, 0.1 * o.speed_sd);
    EXPECT_NEAR(task.score(b, oracle).value, 1.0, 1e-9);
    EXPECT_LE(task.score(b, std::vector<double>(b.targets.size(), 0.0)).value, 0.0);
    EXPECT_EQ(task.generate(60, 13).inputs, b.inputs);
    EXPECT_NE(task.generate(60, 14).inputs, b.inputs);
}

INSTANTIATE_TEST_SUITE_P(HuangDimensionsAndStarts, HuangPathIntegration,
                         ::testing::Combine(::testing::Values(std::size_t{2}, std::size_t{3}), ::testing::Bool()));

TEST(HuangPathIntegrationWalls, FastWalksAreFoldedBackIntoTheBox)
{
    rnn::PathIntegrationOptions o;
    o.dimension = 3;
    o.speed_sd = 200;  // several box widths per step
    const auto b = rnn::PathIntegrationTask(o).generate(5, 2);
    for (std::size_t i = 0; i < b.trials; ++i)
        for (std::size_t d = 0; d < 3; ++d) {
            double x = 0;
            for (std::size_t t = 0; t < b.steps; ++t) {
                x += b.input(i, t, d) * 0.020;
                EXPECT_LE(std::abs(b.target(i, t, d)), 0.5);
                EXPECT_NEAR(b.target(i, t, d), x, 1e-9);  // folded, not clamped
            }
        }
    EXPECT_GT(b.condition(0, 3), static_cast<double>(b.steps));  // several walls per step
}

// ---------------------------------------------------------------------------------------------

TEST(HuangTasks, BadParametersThrowNamingTheField)
{
    expect_field([] { rnn::FlipFlopTask({.bits = 0}); }, "bits");
    expect_field([] { rnn::FlipFlopTask({.pulse_probability = 1.5}); }, "pulse_probability");
    expect_field([] { rnn::FlipFlopTask({.pulse_probability = -0.1}); }, "pulse_probability");
    expect_field([] { rnn::FlipFlopTask({.dt = 0}); }, "dt");
    expect_field([] { rnn::SineWaveTask({.min_frequency_hz = 3, .max_frequency_hz = 2}); }, "max_frequency_hz");
    expect_field([] { rnn::SineWaveTask({.frequency_count = 0}); }, "frequency_count");
    expect_field([] { rnn::SineWaveTask({.trial_ms = -5}); }, "trial_ms");
    expect_field([] { rnn::DelayedDiscriminationTask({.frequency_pairs = {}}); }, "frequency_pairs");
    expect_field([] { rnn::DelayedDiscriminationTask({.frequency_pairs = {{10, 10}}}); }, "frequency_pairs[0]");
    expect_field([] { rnn::DelayedDiscriminationTask({.stimulus_noise = -1}); }, "stimulus_noise");
    expect_field([] { rnn::DelayedDiscriminationTask({.delay = rnn::Duration::fixed(-100)}); }, "delay");
    expect_field([] { rnn::DelayedDiscriminationTask({.high = 0.1, .low = 0.2}); }, "high");
    expect_field([] { rnn::PathIntegrationTask({.dimension = 1}); }, "dimension");
    expect_field([] { rnn::PathIntegrationTask({.dimension = 4}); }, "dimension");
    expect_field([] { rnn::PathIntegrationTask({.box_size = 0}); }, "box_size");
    expect_field([] { rnn::PathIntegrationTask({.velocity_timescale = 0}); }, "velocity_timescale");
    expect_field([] { rnn::PathIntegrationTask({.speed_sd = NAN}); }, "speed_sd");
}

TEST(HuangTasks, ScoresRejectAnotherTasksBatch)
{
    const auto b = rnn::SineWaveTask().generate(2, 1);
    const std::vector<double> outputs(b.targets.size());
    expect_field([&] { rnn::PathIntegrationTask().score(b, outputs); }, "batch");
}
