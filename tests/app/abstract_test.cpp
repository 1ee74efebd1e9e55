// The rate-network side of the working-memory study (app/wm/abstract.hpp): resampling by hand,
// the delay comparison's invariants (an activity against itself, against unrelated activity), and
// small networks on a shortened cue task: deterministic for a seed, and a trained network holds
// the cue where chance would not.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../support/expect_field.hpp"
#include "wm/abstract.hpp"
#include <neurode/sim/random.hpp>

namespace an = neurode::analysis;
namespace rnn = neurode::rnn;
namespace wm = neurode::app::wm;

namespace {

// 4 cues x 5 repeats in the task's order, 1 ms per point; a delay from point 30 to the end.
an::Activity cue_activity(std::size_t units, std::uint64_t seed, bool structured)
{
    an::Activity a;
    a.trials = 20, a.steps = 100, a.units = units;
    a.dt = 1.0;
    a.condition_names = {"cue_index", "repeat"};
    neurode::sim::Rng rng(seed);
    for (std::size_t t = 0; t < a.trials; ++t) {
        a.conditions.insert(a.conditions.end(), {static_cast<double>(t % 4), static_cast<double>(t / 4)});
        a.epochs.push_back({{"fixation", 0, 25}, {"stimulus", 25, 30}, {"delay", 30, 99}, {"decision", 99, 100}});
        const double phase = static_cast<double>(t % 4) * 1.6;
        for (std::size_t s = 0; s < a.steps; ++s)
            for (std::size_t u = 0; u < units; ++u) {
                // A slowly rotating, cue-dependent pattern plus private noise; or noise alone.
                const double signal = std::sin(0.05 * static_cast<double>(s) + phase + 0.7 * static_cast<double>(u));
                a.values.push_back((structured ? signal : 0.0) + 0.1 * rng.normal());
            }
    }
    return a;
}

// The cue task shortened to 475 ms: cue at 50-75 ms, then a 400 ms delay (20 time constants:
// long enough for a reservoir to lose much of the cue); 20 trials, one repeat of every cue per
// fold.
struct SmallStudy {
    rnn::WorkingMemoryTask task;
    rnn::TrialBatch batch;
};

SmallStudy small_study()
{
    rnn::WorkingMemoryOptions o;
    o.cue_onset_ms = 50.0;
    o.delay_ms = 400.0;
    o.dt = 1.0;
    SmallStudy s{rnn::WorkingMemoryTask(o), {}};
    s.batch = s.task.generate(20, 7);
    return s;
}

wm::AbstractOptions small_options()
{
    wm::AbstractOptions o;
    o.units = 16;
    o.bptt_trials = 2000;
    o.learning_rate = 1e-2;  // 16 units learn the four cues in that budget at this rate
    o.fixed_point_starts = 16;
    return o;
}

}  // namespace

TEST(AbstractResample, AveragesBinsAndRoundsEpochs)
{
    an::Activity a;
    a.trials = 1, a.steps = 7, a.units = 2;
    a.dt = 0.5;
    a.unit = "Hz";
    a.values = {0, 10, 2, 12, 4, 14, 6, 16, 8, 18, 10, 20, 12, 22};
    a.epochs = {{{"fixation", 0, 3}, {"stimulus", 3, 4}, {"delay", 4, 7}}};
    a.condition_names = {"cue_index"};
    a.conditions = {3};

    const an::Activity r = wm::resample(a, 1.0);  // pairs of points; the 7th is dropped
    EXPECT_EQ(r.steps, 3u);
    EXPECT_EQ(r.units, 2u);
    EXPECT_EQ(r.dt, 1.0);
    EXPECT_EQ(r.unit, "Hz");
    EXPECT_EQ(r.values, (std::vector<double>{1, 11, 5, 15, 9, 19}));
    // Boundaries 3, 4 and 7 points: 1.5 bins rounds up to 2, 2 stays, 3.5 is cut to the 3 bins.
    ASSERT_EQ(r.epochs.size(), 1u);
    ASSERT_EQ(r.epochs[0].size(), 3u);
    EXPECT_EQ(r.epochs[0][0].start, 0u);
    EXPECT_EQ(r.epochs[0][0].stop, 2u);
    EXPECT_EQ(r.epochs[0][1].start, 2u);
    EXPECT_EQ(r.epochs[0][1].stop, 2u);
    EXPECT_EQ(r.epochs[0][2].name, "delay");
    EXPECT_EQ(r.epochs[0][2].start, 2u);
    EXPECT_EQ(r.epochs[0][2].stop, 3u);
    EXPECT_EQ(r.condition_names, a.condition_names);
    EXPECT_EQ(r.conditions, a.conditions);

    EXPECT_EQ(wm::resample(a, 0.5).values, a.values);
    expect_field([&] { wm::resample(a, 0.75); }, "bin_ms");
    expect_field([&] { wm::resample(a, 4.0); }, "bin_ms");
}

TEST(AbstractCompare, ItselfIsIdenticalAndUnrelatedActivityIsNot)
{
    const an::Activity a = cue_activity(8, 1, true);
    const wm::ActivityComparison same = wm::compare_delay_activity(a, a, 5.0);
    EXPECT_NEAR(same.cka, 1.0, 1e-12);
    EXPECT_NEAR(same.svcca, 1.0, 1e-9);
    EXPECT_NEAR(same.procrustes, 0.0, 1e-6);
    EXPECT_NEAR(same.dsa, 0.0, 1e-6);
    EXPECT_EQ(same.pcs_90_a, same.pcs_90_b);
    EXPECT_GE(same.pcs_90_a, 1u);

    // Noise with another unit count: the geometry of 4 cue-averaged trajectories is not there.
    const an::Activity noise = cue_activity(12, 2, false);
    const wm::ActivityComparison unrelated = wm::compare_delay_activity(a, noise, 5.0);
    EXPECT_LT(unrelated.cka, 0.5);
    EXPECT_LT(unrelated.svcca, 0.8);
    EXPECT_GT(unrelated.procrustes, 0.5);
    EXPECT_GT(unrelated.dsa, 0.1);
    EXPECT_GT(unrelated.pcs_90_b, unrelated.pcs_90_a);

    // The same cue geometry in 12 other units with other noise: alike, though the widths differ.
    const wm::ActivityComparison relabelled = wm::compare_delay_activity(a, cue_activity(12, 3, true), 5.0);
    EXPECT_GT(relabelled.cka, 0.9);
    EXPECT_GT(relabelled.svcca, 0.9);
    EXPECT_LT(relabelled.procrustes, 0.2);

    an::Activity shuffled = a;
    std::swap(shuffled.conditions[0], shuffled.conditions[2]);  // trial 0 now claims cue 1
    expect_field([&] { wm::compare_delay_activity(a, shuffled, 5.0); }, "b.conditions");
    expect_field([&] { wm::compare_delay_activity(a, noise, 25.0); }, "bin_ms");  // 4 cues x 3 bins <= 12 units
}

TEST(AbstractRun, DeterministicAndTrainedNetworksHoldTheCue)
{
    const SmallStudy s = small_study();
    std::vector<std::string> steps;
    const auto run = [&] {
        return wm::run_abstract(s.task, s.batch, 25.0, small_options(),
                                [&](const std::string& step) { steps.push_back(step); });
    };
    const std::vector<wm::AbstractVariant> first = run();
    ASSERT_EQ(steps.size(), 8u);
    EXPECT_EQ(steps.front(), "reservoir, homogeneous tau: simulating and decoding");
    EXPECT_EQ(steps[2], "BPTT, homogeneous tau: training");

    ASSERT_EQ(first.size(), 4u);
    for (const wm::AbstractVariant& v : first) {
        SCOPED_TRACE(v.name);
        EXPECT_EQ(v.activity.trials, 20u);
        EXPECT_EQ(v.activity.steps, 95u);  // 475 ms at 5 ms
        EXPECT_EQ(v.activity.units, 16u);
        EXPECT_EQ(v.memory.curve.r2.size(), 17u);  // 425 ms from cue onset in 25 ms bins
        EXPECT_DOUBLE_EQ(v.memory.curve.time.front(), 10.0);  // the first bin's centre: 5 points at 5 ms from cue onset
        if (v.kind == "reservoir") {
            EXPECT_TRUE(std::isnan(v.trained_output_r2));
            continue;
        }
        EXPECT_GT(v.trials_trained, 0u);
        EXPECT_LE(v.trials_trained, small_options().bptt_trials);
        // Chance is R^2 <= 0: a readout of activity that forgot the cue predicts its mean at best,
        // and an untrained network's own readout is random. Training adds memory to the reservoir
        // it started from (the same W, Win and tau).
        EXPECT_GT(v.memory.delay_r2, 0.5);
        EXPECT_GT(v.memory.curve.r2.back(), 0.5);
        EXPECT_GT(v.trained_output_r2, 0.5);
        const wm::AbstractVariant& start = first[v.heterogeneous ? 1 : 0];
        EXPECT_GT(v.memory.curve.r2.back(), start.memory.curve.r2.back() + 0.2);
        EXPECT_GE(v.fixed_points, v.stable_fixed_points);
        EXPECT_FALSE(v.attractor.empty());
    }

    const std::vector<wm::AbstractVariant> second = run();
    for (std::size_t k = 0; k < first.size(); ++k) {
        SCOPED_TRACE(first[k].name);
        EXPECT_EQ(second[k].activity.values, first[k].activity.values);
        EXPECT_EQ(second[k].memory.curve.r2, first[k].memory.curve.r2);
        EXPECT_EQ(second[k].memory.curve.predictions, first[k].memory.curve.predictions);
        EXPECT_EQ(second[k].trials_trained, first[k].trials_trained);
        EXPECT_EQ(second[k].fixed_points, first[k].fixed_points);
        EXPECT_EQ(second[k].attractor, first[k].attractor);
        if (first[k].kind == "bptt") {
            EXPECT_EQ(second[k].trained_output_r2, first[k].trained_output_r2);
        }
    }
}

TEST(AbstractRun, BadInputNamesTheField)
{
    const SmallStudy s = small_study();
    const auto run = [&](const wm::AbstractOptions& o, const rnn::TrialBatch& batch) {
        wm::run_abstract(s.task, batch, 25.0, o);
    };
    wm::AbstractOptions o = small_options();
    o.units = 1;
    expect_field([&] { run(o, s.batch); }, "units");
    o = small_options();
    o.tau_ms = 4.0;  // below the 5 ms step
    expect_field([&] { run(o, s.batch); }, "tau_ms");
    o = small_options();
    o.heterogeneity_level = 0;
    expect_field([&] { run(o, s.batch); }, "heterogeneity_level");

    rnn::WorkingMemoryOptions random = s.task.options();
    random.cue = rnn::CueKind::analog_random;
    const rnn::TrialBatch random_batch = rnn::WorkingMemoryTask(random).generate(20, 3);
    expect_field([&] { run(small_options(), random_batch); }, "batch");
}
