// The working-memory cue task of the biophysical reservoir study (ntolley/dendractor): timing,
// the reference's 20 trials (4 corners x 5 repeats), targets and mask, and the scores. The oracle
// here reads the cue from the inputs alone and holds it; it must score perfectly.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <neurode/rnn/tasks/working_memory.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

namespace {

// From the first step with a non-zero input on, output the inputs of that step; 0 before.
std::vector<double> hold_the_cue(const rnn::TrialBatch& b)
{
    const std::size_t w = b.input_size();
    std::vector<double> y(b.targets.size(), 0.0);
    for (std::size_t i = 0; i < b.trials; ++i) {
        std::vector<double> held(w, 0.0);
        bool seen = false;
        for (std::size_t t = 0; t < b.steps; ++t) {
            bool any = false;
            for (std::size_t k = 0; k < w; ++k) any = any || b.input(i, t, k) != 0;
            if (any && !seen) {
                for (std::size_t k = 0; k < w; ++k) held[k] = b.input(i, t, k);
                seen = true;
            }
            for (std::size_t k = 0; k < w; ++k) y[(i * b.steps + t) * w + k] = held[k];
        }
    }
    return y;
}

}  // namespace

TEST(WorkingMemoryTask, ReferenceTrialsTimingAndTargets)
{
    const rnn::WorkingMemoryTask task;
    EXPECT_EQ(task.dt(), 0.25);
    EXPECT_EQ(task.options().trial_ms(), 1000.0);
    EXPECT_EQ(task.input_size(), 2u);
    EXPECT_EQ(task.output_size(), 2u);
    const auto b = task.generate(20, 0);
    b.check_consistent();
    EXPECT_EQ(b.task, "working_memory_cue");
    EXPECT_EQ(b.steps, 4000u);  // 1000 ms / 0.25 ms
    EXPECT_EQ(b.input_names[1], "cue_y");
    EXPECT_EQ(b.output_names[0], "x");
    // The reference's order: (-2,-2), (2,2), (-2,2), (2,-2), five repeats each.
    const double corners[4][2] = {{-2, -2}, {2, 2}, {-2, 2}, {2, -2}};
    const std::size_t cx = b.condition_index("cue_x"), cy = b.condition_index("cue_y"),
                      index = b.condition_index("cue_index"), repeat = b.condition_index("repeat");
    for (std::size_t i = 0; i < 20; ++i) {
        EXPECT_EQ(b.condition(i, cx), corners[i % 4][0]);
        EXPECT_EQ(b.condition(i, cy), corners[i % 4][1]);
        EXPECT_EQ(b.condition(i, index), static_cast<double>(i % 4));
        EXPECT_EQ(b.condition(i, repeat), static_cast<double>(i / 4));
        ASSERT_EQ(b.epochs[i].size(), 4u);
        EXPECT_EQ(b.epochs[i][0].name, "fixation");
        EXPECT_EQ(b.epoch(i, "fixation").stop, 1000u);  // 250 ms
        EXPECT_EQ(b.epoch(i, "stimulus").start, 1000u);
        EXPECT_EQ(b.epoch(i, "stimulus").stop, 1100u);  // 275 ms
        EXPECT_EQ(b.epoch(i, "delay").start, 1100u);
        EXPECT_EQ(b.epoch(i, "delay").stop, 3999u);
        EXPECT_EQ(b.epoch(i, "decision").start, 3999u);
        EXPECT_EQ(b.epoch(i, "decision").stop, 4000u);
        for (std::size_t t = 0; t < b.steps; ++t)
            for (std::size_t k = 0; k < 2; ++k) {
                const bool cue = t >= 1000 && t < 1100, held = t >= 1000;
                ASSERT_EQ(b.input(i, t, k), cue ? corners[i % 4][k] : 0.0) << i << " " << t;
                ASSERT_EQ(b.target(i, t, k), held ? corners[i % 4][k] : 0.0);
                ASSERT_EQ(b.weight(i, t, k), held ? 1.0 : 0.0);
            }
    }
    // No randomness in the corner set: the reservoir's noise seeds vary, not the task.
    EXPECT_EQ(b.inputs, task.generate(20, 99).inputs);
}

TEST(WorkingMemoryTask, AnalogScoresRSquared)
{
    const rnn::WorkingMemoryTask task;
    const auto b = task.generate(20, 1);
    const auto exact = task.score(b, b.targets);
    EXPECT_EQ(exact.measure, "r2");
    EXPECT_DOUBLE_EQ(exact.value, 1.0);
    ASSERT_EQ(exact.per_trial.size(), 20u);
    for (double r : exact.per_trial) EXPECT_DOUBLE_EQ(r, 1.0);
    EXPECT_DOUBLE_EQ(task.score(b, hold_the_cue(b)).value, 1.0);

    // A constant at each channel's masked mean explains nothing: R^2 = 0.
    for (std::uint64_t seed : {2u, 3u}) {
        const rnn::WorkingMemoryTask random({.cue = rnn::CueKind::analog_random});
        const auto r = random.generate(30, seed);
        std::vector<double> mean(2, 0.0), n(2, 0.0);
        for (std::size_t i = 0; i < r.trials; ++i)
            for (std::size_t t = 0; t < r.steps; ++t)
                for (std::size_t k = 0; k < 2; ++k)
                    if (r.weight(i, t, k) != 0) {
                        mean[k] += r.target(i, t, k);
                        n[k] += 1;
                    }
        std::vector<double> y(r.targets.size());
        for (std::size_t j = 0; j < y.size(); ++j) y[j] = mean[j % 2] / n[j % 2];
        EXPECT_NEAR(random.score(r, y).value, 0.0, 1e-9);
    }
    // Errors outside the mask do not count; halving the signal gives 1 - 1/4 on these targets.
    auto y = b.targets;
    for (std::size_t i = 0; i < b.trials; ++i) y[(i * b.steps + 10) * 2] = 50.0;  // before the cue
    EXPECT_DOUBLE_EQ(task.score(b, y).value, 1.0);
    for (double& v : y) v = 0.5 * v;
    EXPECT_NEAR(task.score(b, y).value, 0.75, 1e-12);
    expect_field([&] { task.score(b, std::vector<double>(5, 0.0)); }, "outputs");
}

TEST(WorkingMemoryTask, MaskFromCueOffsetAndCustomTiming)
{
    rnn::WorkingMemoryOptions o;
    o.cue_onset_ms = 100;
    o.cue_ms = 50;
    o.delay_ms = 200;
    o.dt = 1;
    o.mask_during_cue = false;
    const auto b = rnn::WorkingMemoryTask(o).generate(4, 0);
    b.check_consistent();
    EXPECT_EQ(b.steps, 350u);
    for (std::size_t i = 0; i < b.trials; ++i) {
        EXPECT_EQ(b.epoch(i, "stimulus").start, 100u);
        EXPECT_EQ(b.epoch(i, "stimulus").stop, 150u);
        EXPECT_EQ(b.epoch(i, "decision").start, 349u);
        for (std::size_t t = 0; t < b.steps; ++t) {
            ASSERT_EQ(b.weight(i, t, 0), t >= 150 ? 1.0 : 0.0);
            ASSERT_EQ(b.target(i, t, 0), t >= 100 ? b.condition(i, 0) : 0.0);
        }
    }
    // Without a delay the cue ends the trial; delay and decision are empty at the end.
    o.delay_ms = 0;
    o.mask_during_cue = true;
    const auto z = rnn::WorkingMemoryTask(o).generate(2, 0);
    z.check_consistent();
    EXPECT_EQ(z.steps, 150u);
    EXPECT_EQ(z.epoch(0, "delay").length(), 0u);
    EXPECT_EQ(z.epoch(0, "decision").length(), 0u);
    EXPECT_EQ(z.epoch(0, "decision").start, 150u);
}

TEST(WorkingMemoryTask, RandomAnalogCuesAndSeeds)
{
    const rnn::WorkingMemoryTask task({.cue = rnn::CueKind::analog_random, .analog_range = 3.0});
    const auto a = task.generate(200, 5);
    EXPECT_EQ(a.inputs, task.generate(200, 5).inputs);
    EXPECT_NE(a.inputs, task.generate(200, 6).inputs);
    EXPECT_THROW(a.condition_index("cue_index"), neurode::invalid_parameter);
    double lo = 0, hi = 0, sum = 0;
    for (std::size_t i = 0; i < a.trials; ++i)
        for (std::size_t k = 0; k < 2; ++k) {
            const double v = a.condition(i, k);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            sum += v;
        }
    EXPECT_GE(lo, -3.0);
    EXPECT_LT(hi, 3.0);
    EXPECT_LT(lo, -2.5);
    EXPECT_GT(hi, 2.5);
    EXPECT_NEAR(sum / 400, 0.0, 4 * std::sqrt(3.0 / 400));  // U(-3,3): sd sqrt(3)
}

TEST(WorkingMemoryTask, IdentityCuesScoreAccuracy)
{
    const std::size_t K = 3;
    const rnn::WorkingMemoryTask task({.cue = rnn::CueKind::identity, .identities = K, .cue_amplitude = 0.5, .dt = 1});
    EXPECT_EQ(task.input_size(), K);
    EXPECT_EQ(task.output_size(), K);
    const auto b = task.generate(600, 8);
    b.check_consistent();
    EXPECT_EQ(b.input_names[2], "cue_2");
    EXPECT_EQ(b.output_names[2], "identity_2");
    EXPECT_EQ(b.inputs, task.generate(600, 8).inputs);
    EXPECT_NE(b.inputs, task.generate(600, 9).inputs);
    const std::size_t id = b.condition_index("identity");
    std::vector<double> counts(K, 0.0);
    for (std::size_t i = 0; i < b.trials; ++i) {
        const auto c = static_cast<std::size_t>(b.condition(i, id));
        ASSERT_LT(c, K);
        counts[c] += 1;
        for (std::size_t k = 0; k < K; ++k) {
            EXPECT_EQ(b.input(i, 260, k), k == c ? 0.5 : 0.0);
            EXPECT_EQ(b.input(i, 500, k), 0.0);
            EXPECT_EQ(b.target(i, b.steps - 1, k), k == c ? 1.0 : 0.0);
            EXPECT_EQ(b.target(i, 249, k), 0.0);
        }
    }
    for (double n : counts) EXPECT_NEAR(n / 600, 1.0 / K, 0.07);

    const auto oracle = task.score(b, hold_the_cue(b));
    EXPECT_EQ(oracle.measure, "accuracy");
    EXPECT_EQ(oracle.value, 1.0);
    // A constant output (ties go to identity 0) is right on identity-0 trials only: chance.
    const auto constant = task.score(b, std::vector<double>(b.targets.size(), 0.3));
    EXPECT_NEAR(constant.value, counts[0] / 600, 1e-12);
    EXPECT_NEAR(constant.value, 1.0 / K, 0.07);
    // Only the last step counts.
    auto y = hold_the_cue(b);
    for (std::size_t i = 0; i < b.trials; ++i)
        for (std::size_t k = 0; k < K; ++k) y[(i * b.steps + b.steps - 1) * K + k] = k == 0 ? 1.0 : 0.0;
    EXPECT_NEAR(task.score(b, y).value, counts[0] / 600, 1e-12);
}

TEST(WorkingMemoryTask, BadParametersNameTheField)
{
    using rnn::WorkingMemoryTask;
    expect_field([] { WorkingMemoryTask({.cue = rnn::CueKind::identity, .identities = 1}); }, "identities");
    expect_field([] { WorkingMemoryTask({.identities = 0}); }, "identities");
    expect_field([] { WorkingMemoryTask({.delay_ms = -10}); }, "delay_ms");
    expect_field([] { WorkingMemoryTask({.cue_onset_ms = -1}); }, "cue_onset_ms");
    expect_field([] { WorkingMemoryTask({.cue_ms = 0}); }, "cue_ms");
    expect_field([] { WorkingMemoryTask({.cue_ms = 0.1}); }, "cue_ms");  // shorter than one 0.25 ms step
    expect_field([] { WorkingMemoryTask({.dt = 0}); }, "dt");
    expect_field([] { WorkingMemoryTask({.analog_values = {}}); }, "analog_values");
    expect_field([] { WorkingMemoryTask({.analog_values = {{0, INFINITY}}}); }, "analog_values[0]");
    expect_field([] { WorkingMemoryTask({.analog_range = 0}); }, "analog_range");
    expect_field([] { WorkingMemoryTask({.cue_amplitude = -1}); }, "cue_amplitude");
}
