// The Yang et al. (2019) tasks against the definitions of gyyang/multitask (task.py, network.py):
// stimulus and response bumps, the loss mask, epoch timings, and the scoring rule. The oracles
// here are rewritten from those definitions, never read back from the task's own arrays.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include <neurode/rnn/tasks/yang.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace rnn = neurode::rnn;

namespace {

constexpr double pi = std::numbers::pi;
const std::vector<std::string> neurode_names{"go", "dly_go", "anti", "dly_anti", "msdm", "dly_msdm"};
const std::vector<std::string> reference_names{"fdgo", "delaygo", "fdanti", "delayanti", "multidm", "multidelaydm"};

rnn::YangOptions quiet(rnn::YangTiming timing = rnn::YangTiming::per_batch)
{
    rnn::YangOptions o;
    o.input_noise = false;
    o.timing = timing;
    return o;
}

// Reference add_x_loc / add_y_loc: 0.8 exp(-d^2/2), d = periodic distance to 2 pi k / n over pi/8.
double bump_at(double angle, std::size_t k, std::size_t n)
{
    const double pref = 2 * pi * static_cast<double>(k) / static_cast<double>(n);
    double d = std::fabs(angle - pref);
    d = std::min(d, 2 * pi - d) / (pi / 8);
    return 0.8 * std::exp(-d * d / 2);
}

double periodic_distance(double a, double b)
{
    const double d = std::fabs(std::remainder(a - b, 2 * pi));
    return std::min(d, 2 * pi - d);
}

// The go cue: the first step where the fixation input is off (noise-free batches).
std::size_t go_step(const rnn::TrialBatch& b, std::size_t i)
{
    std::size_t t = 0;
    while (t < b.steps && b.input(i, t, 0) == 1.0) ++t;
    return t;
}

// Trial length: the steps up to the last one where the rule input is on (noise-free batches).
std::size_t trial_end(const rnn::TrialBatch& b, std::size_t i, std::size_t rule_input)
{
    std::size_t end = 0;
    for (std::size_t t = 0; t < b.steps; ++t)
        if (b.input(i, t, rule_input) == 1.0) end = t + 1;
    return end;
}

// Steps where modality m's ring receives any input (noise-free batches).
std::vector<std::size_t> stimulus_steps(const rnn::TrialBatch& b, std::size_t i, std::size_t m, std::size_t n)
{
    std::vector<std::size_t> on;
    for (std::size_t t = 0; t < b.steps; ++t)
        for (std::size_t k = 0; k < n; ++k)
            if (b.input(i, t, 1 + m * n + k) != 0.0) {
                on.push_back(t);
                break;
            }
    return on;
}

// The ideal response, from the trial conditions and the task's definition: where to look.
double ideal_angle(const std::string& task, const rnn::TrialBatch& b, std::size_t i)
{
    if (task == "go" || task == "dly_go") return b.condition(i, b.condition_index("stim_angle"));
    if (task == "anti" || task == "dly_anti") return b.condition(i, b.condition_index("stim_angle")) + pi;
    auto c = [&](const char* name) { return b.condition(i, b.condition_index(name)); };
    const double s1 = c("strength1_mod1") + c("strength1_mod2"), s2 = c("strength2_mod1") + c("strength2_mod2");
    return c(s1 > s2 ? "stim1_angle" : "stim2_angle");
}

// The oracle policy: fixate (0.8) until the go cue, then the response bump at the ideal angle.
// Steps after a trial's end hold fixation 1 and no ring output, so that scoring them would fail.
std::vector<double> oracle_outputs(const std::string& task, const rnn::TrialBatch& b, std::size_t rule_input)
{
    const std::size_t n = b.output_size() - 1;
    std::vector<double> y(b.targets.size(), 0.0);
    for (std::size_t i = 0; i < b.trials; ++i) {
        const std::size_t go = go_step(b, i), end = trial_end(b, i, rule_input);
        const double angle = ideal_angle(task, b, i);
        for (std::size_t t = 0; t < b.steps; ++t) {
            double* out = y.data() + (i * b.steps + t) * b.output_size();
            out[0] = t < go ? 0.8 : (t < end ? 0.05 : 1.0);
            if (t >= go && t < end)
                for (std::size_t k = 0; k < n; ++k) out[1 + k] = 0.05 + bump_at(angle, k, n);
        }
    }
    return y;
}

template <class F>
std::string field_of(F&& f)
{
    try {
        f();
    } catch (const neurode::invalid_parameter& e) {
        return e.field();
    }
    return "<no throw>";
}

}  // namespace

TEST(YangTasks, ShapesNamesRuleUnitsAndEpochs)
{
    const std::vector<std::size_t> rule_of{0, 2, 3, 5, 10, 15};  // positions in the reference's 'all' set
    for (std::size_t r = 0; r < neurode_names.size(); ++r) {
        const auto task = rnn::make_yang_task(neurode_names[r], quiet());
        EXPECT_EQ(rnn::make_yang_task(reference_names[r])->name(), neurode_names[r]);
        EXPECT_EQ(task->reference_name(), reference_names[r]);
        EXPECT_EQ(task->input_size(), 1u + 2 * 32 + 20);
        EXPECT_EQ(task->output_size(), 33u);
        EXPECT_EQ(task->dt(), 20.0);

        const auto b = task->generate(8, 3);
        ASSERT_NO_THROW(b.check_consistent());
        EXPECT_EQ(b.task, neurode_names[r]);
        ASSERT_EQ(b.input_size(), 85u);
        EXPECT_EQ(b.input_names[0], "fixation");
        EXPECT_EQ(b.input_names[1], "mod1_ring[0]");
        EXPECT_EQ(b.input_names[33], "mod2_ring[0]");
        EXPECT_EQ(b.input_names[65], "rule[0]");
        EXPECT_EQ(b.output_names[0], "fixation");
        EXPECT_EQ(b.output_names[32], "ring[31]");

        // The rule unit is on for the whole trial, the others stay off.
        for (std::size_t i = 0; i < b.trials; ++i)
            for (std::size_t t = 0; t < b.steps; ++t)
                for (std::size_t k = 0; k < 20; ++k)
                    ASSERT_EQ(b.input(i, t, 65 + k), k == rule_of[r] ? 1.0 : 0.0) << neurode_names[r];

        // The aligned epochs tile the trial, and the decision starts at the go cue.
        std::vector<std::string> expected{"fixation", "stimulus", "delay", "decision"};
        if (neurode_names[r] == "dly_msdm")
            expected = {"fixation", "stimulus", "delay", "stimulus2", "delay2", "decision"};
        for (std::size_t i = 0; i < b.trials; ++i) {
            ASSERT_EQ(b.epochs[i].size(), expected.size());
            for (std::size_t e = 0; e < expected.size(); ++e) {
                EXPECT_EQ(b.epochs[i][e].name, expected[e]);
                EXPECT_EQ(b.epochs[i][e].start, e == 0 ? 0u : b.epochs[i][e - 1].stop);
            }
            EXPECT_EQ(b.epoch(i, "decision").start, go_step(b, i));
            EXPECT_EQ(b.epoch(i, "decision").stop, b.steps);
            EXPECT_EQ(b.condition(i, b.condition_index("decision_ms")), 500.0);
        }
    }
}

TEST(YangTasks, MaskHasTheReferenceGracePeriodsWeightsAndDoubledFixation)
{
    // Test-mode timings of fdgo at dt 20 ms: go cue at 1500 ms, trial 2000 ms.
    const auto b = rnn::make_yang_task("fdgo", quiet(rnn::YangTiming::fixed))->generate(4, 1);
    ASSERT_EQ(b.steps, 100u);
    for (std::size_t i = 0; i < b.trials; ++i) {
        ASSERT_EQ(go_step(b, i), 75u);
        for (std::size_t t = 0; t < b.steps; ++t) {
            // 0 for the first 100 ms, 1 to the go cue, 0 for 100 ms, then 5.
            const double w = t < 5 ? 0.0 : t < 75 ? 1.0 : t < 80 ? 0.0 : 5.0;
            EXPECT_EQ(b.weight(i, t, 0), 2 * w) << t;
            for (std::size_t k = 1; k < 33; ++k) ASSERT_EQ(b.weight(i, t, k), w) << t;
        }
    }
    // The same rule against the go cue seen in the inputs, at another dt, for random timings.
    rnn::YangOptions o = quiet();
    o.dt_ms = 10;
    for (const auto& name : neurode_names) {
        const auto r = rnn::make_yang_task(name, o)->generate(3, 7);
        for (std::size_t i = 0; i < r.trials; ++i) {
            const std::size_t go = go_step(r, i);
            for (std::size_t t = 0; t < r.steps; ++t) {
                const double w = t < 10 ? 0.0 : t < go ? 1.0 : t < go + 10 ? 0.0 : 5.0;
                ASSERT_EQ(r.weight(i, t, 0), 2 * w) << name << " step " << t;
                ASSERT_EQ(r.weight(i, t, 7), w) << name << " step " << t;
            }
        }
    }
}

TEST(YangTasks, TargetsFixateThenPointAtTheResponseAngle)
{
    for (const auto& name : neurode_names) {
        const auto b = rnn::make_yang_task(name, quiet())->generate(6, 11);
        for (std::size_t i = 0; i < b.trials; ++i) {
            const std::size_t go = go_step(b, i);
            const double angle = ideal_angle(name, b, i);
            EXPECT_NEAR(periodic_distance(b.condition(i, b.condition_index("target_angle")), angle), 0.0, 1e-12);
            for (std::size_t t = 0; t < b.steps; ++t) {
                ASSERT_EQ(b.target(i, t, 0), t < go ? 0.8 : 0.05);
                for (std::size_t k = 0; k < 32; ++k)
                    ASSERT_NEAR(b.target(i, t, 1 + k), 0.05 + (t < go ? 0.0 : bump_at(angle, k, 32)), 1e-12);
            }
        }
    }
}

TEST(YangTasks, GoFamilyStimulusBumpInOneModalityAndAntiRespondsOpposite)
{
    for (const std::string name : {"go", "dly_go", "anti", "dly_anti"}) {
        const auto b = rnn::make_yang_task(name, quiet())->generate(10, 5);
        for (std::size_t i = 0; i < b.trials; ++i) {
            const auto m = static_cast<std::size_t>(b.condition(i, b.condition_index("modality"))) - 1;
            const double stim = b.condition(i, b.condition_index("stim_angle"));
            const auto& e = b.epoch(i, "stimulus");
            // Go and Anti keep the stimulus on to the end; the delayed tasks switch it off.
            const std::size_t off = (name == "go" || name == "anti") ? b.steps : e.stop;
            const auto on = stimulus_steps(b, i, m, 32);
            ASSERT_FALSE(on.empty());
            EXPECT_EQ(on.front(), e.start);
            EXPECT_EQ(on.back() + 1, off);
            EXPECT_EQ(on.size(), off - e.start);
            EXPECT_TRUE(stimulus_steps(b, i, 1 - m, 32).empty());
            for (std::size_t k = 0; k < 32; ++k)
                ASSERT_NEAR(b.input(i, e.start, 1 + m * 32 + k), bump_at(stim, k, 32), 1e-12);

            const double target = b.condition(i, b.condition_index("target_angle"));
            const bool anti = name.find("anti") != std::string::npos;
            EXPECT_NEAR(periodic_distance(target, anti ? stim + pi : stim), 0.0, 1e-12);
            // The response bump peaks at the ring unit nearest the target.
            const std::size_t last = b.steps - 1;
            std::size_t peak = 0;
            for (std::size_t k = 1; k < 32; ++k)
                if (b.target(i, last, 1 + k) > b.target(i, last, 1 + peak)) peak = k;
            EXPECT_LE(periodic_distance(2 * pi * peak / 32.0, anti ? stim + pi : stim), pi / 32 + 1e-12);
        }
    }
}

TEST(YangTasks, MultisensoryTargetIsTheLargerSummedStrength)
{
    for (const std::string name : {"msdm", "dly_msdm"}) {
        const rnn::YangOptions o = quiet();
        const auto b = rnn::make_yang_task(name, o)->generate(40, 9);
        const auto& set = name == "msdm" ? o.msdm_coherences : o.dly_msdm_coherences;
        int stronger_first = 0, mod1_stronger = 0;
        for (std::size_t i = 0; i < b.trials; ++i) {
            auto c = [&](const char* n) { return b.condition(i, b.condition_index(n)); };
            const double s1 = c("strength1_mod1") + c("strength1_mod2"), s2 = c("strength2_mod1") + c("strength2_mod2");
            EXPECT_NEAR(c("strength1"), s1, 1e-12);
            EXPECT_NEAR(c("strength2"), s2, 1e-12);
            EXPECT_EQ(c("target_angle"), s1 > s2 ? c("stim1_angle") : c("stim2_angle"));
            stronger_first += s1 > s2;
            mod1_stronger += c("strength1_mod1") > c("strength1_mod2");
            // Strengths 2(m +- c): they differ by 4c, with the mean m in [0.8, 1.2].
            EXPECT_TRUE(std::count(set.begin(), set.end(), c("coherence")) == 1);
            EXPECT_NEAR(std::fabs(s1 - s2), 4 * c("coherence"), 1e-12);
            EXPECT_GE((s1 + s2) / 4, 0.8);
            EXPECT_LT((s1 + s2) / 4, 1.2);
            const double sep = periodic_distance(c("stim1_angle"), c("stim2_angle"));
            EXPECT_GE(sep, 0.5 * pi - 1e-12);

            // Each ring shows both stimuli with that modality's strengths.
            const bool delayed = name == "dly_msdm";
            const std::size_t t1 = b.epoch(i, "stimulus").start;
            const std::size_t t2 = b.epoch(i, delayed ? "stimulus2" : "stimulus").start;
            for (std::size_t m = 0; m < 2; ++m) {
                const double a1 = m == 0 ? c("strength1_mod1") : c("strength1_mod2");
                const double a2 = m == 0 ? c("strength2_mod1") : c("strength2_mod2");
                for (std::size_t k = 0; k < 32; ++k) {
                    const double x1 = a1 * bump_at(c("stim1_angle"), k, 32), x2 = a2 * bump_at(c("stim2_angle"), k, 32);
                    if (delayed) {
                        ASSERT_NEAR(b.input(i, t1, 1 + m * 32 + k), x1, 1e-12);
                        ASSERT_NEAR(b.input(i, t2, 1 + m * 32 + k), x2, 1e-12);
                    } else {
                        ASSERT_NEAR(b.input(i, t1, 1 + m * 32 + k), x1 + x2, 1e-12);
                    }
                }
                // Nothing is shown in the delays.
                const auto& delay = b.epoch(i, "delay");
                EXPECT_TRUE(delay.length() == 0 || b.input(i, delay.start, 1 + m * 32) == 0.0);
            }
        }
        // Which stimulus wins, and which modality carries more, are coin flips.
        EXPECT_GT(stronger_first, 5);
        EXPECT_LT(stronger_first, 35);
        EXPECT_GT(mod1_stronger, 5);
        EXPECT_LT(mod1_stronger, 35);
    }
}

TEST(YangTasks, RandomTimingsComeFromTheReferenceSets)
{
    // In steps of 20 ms; each piece floored on its own, as the reference does.
    auto contains = [](std::set<std::size_t> s, std::size_t v) { return s.count(v) == 1; };
    for (const auto& name : neurode_names) {
        const auto task = rnn::make_yang_task(name, quiet());
        const std::size_t rule_input = 65 + task->rule_index();
        std::set<std::size_t> lengths;
        for (std::uint64_t seed = 0; seed < 30; ++seed) {
            const auto b = task->generate(4, seed);
            lengths.insert(b.steps);
            for (std::size_t i = 0; i < b.trials; ++i) {
                // One draw per batch: every trial has trial 0's timing.
                for (std::size_t e = 0; e < b.epochs[i].size(); ++e) {
                    ASSERT_EQ(b.epochs[i][e].start, b.epochs[0][e].start);
                    ASSERT_EQ(b.epochs[i][e].stop, b.epochs[0][e].stop);
                }
                const std::size_t go = go_step(b, i), end = trial_end(b, i, rule_input);
                ASSERT_EQ(end, b.steps);
                ASSERT_EQ(end - go, 25u);  // 500 ms response
                const auto on1 = stimulus_steps(b, i, 0, 32), on2 = stimulus_steps(b, i, 1, 32);
                const auto& on = on1.empty() ? on2 : on1;
                ASSERT_FALSE(on.empty());
                const std::size_t on_at = on.front();
                if (name == "go" || name == "anti") {
                    EXPECT_TRUE(on_at >= 15 && on_at < 35) << on_at;          // U(300, 700) ms
                    EXPECT_TRUE(go - on_at >= 25 && go - on_at < 75) << go;  // + U(500, 1500) ms
                    EXPECT_EQ(on.back() + 1, end);
                } else if (name == "dly_go" || name == "dly_anti") {
                    EXPECT_TRUE(contains({15, 25, 35}, on_at));
                    EXPECT_TRUE(contains({10, 20, 30}, on.size()));
                    EXPECT_TRUE(contains({10, 20, 40, 80}, go - (on.back() + 1)));
                } else if (name == "msdm") {
                    EXPECT_TRUE(on_at >= 5 && on_at < 20) << on_at;  // U(100, 400) ms
                    EXPECT_TRUE(contains({20, 40, 80}, on.size()));
                    EXPECT_EQ(on.back() + 1, go);
                } else {
                    // Two stimuli: split the steps with input at the first gap.
                    std::size_t split = 1;
                    while (split < on.size() && on[split] == on[split - 1] + 1) ++split;
                    ASSERT_LT(split, on.size());
                    const std::size_t off1 = on[split - 1] + 1, on2_at = on[split], off2 = on.back() + 1;
                    EXPECT_TRUE(contains({10, 20, 30}, on_at));
                    EXPECT_TRUE(contains({10, 20, 30}, off1 - on_at));
                    EXPECT_TRUE(contains({10, 20, 40, 80}, on2_at - off1));
                    EXPECT_TRUE(contains({10, 20, 30}, off2 - on2_at));
                    EXPECT_TRUE(go - off2 >= 5 && go - off2 < 15);  // U(100, 300) ms
                    EXPECT_EQ(b.epoch(i, "delay").start, off1);
                    EXPECT_EQ(b.epoch(i, "stimulus2").start, on2_at);
                }
            }
        }
        EXPECT_GT(lengths.size(), 3u) << name;  // batches differ in length
    }
    // Go family: one modality per batch in the reference's random mode.
    const auto b = rnn::make_yang_task("go", quiet())->generate(16, 4);
    for (std::size_t i = 0; i < b.trials; ++i) EXPECT_EQ(b.condition(i, 0), b.condition(0, 0));
}

TEST(YangTasks, SameSeedSameBatchOtherSeedOtherBatch)
{
    for (const auto& name : neurode_names) {
        const auto task = rnn::make_yang_task(name);
        const auto a = task->generate(5, 21), b = task->generate(5, 21), c = task->generate(5, 22);
        EXPECT_EQ(a.inputs, b.inputs);
        EXPECT_EQ(a.targets, b.targets);
        EXPECT_EQ(a.mask, b.mask);
        EXPECT_EQ(a.conditions, b.conditions);
        EXPECT_NE(a.conditions, c.conditions);
        EXPECT_NE(a.inputs, c.inputs);
    }
}

TEST(YangTasks, InputNoiseHasTheReferenceScaleAndLeavesConditionsAlone)
{
    rnn::YangOptions noisy;  // sigma_x 0.01, alpha 0.2: sd 0.01 sqrt(2 / 0.2)
    const auto task = rnn::make_yang_task("dly_go", noisy);
    const auto clean = rnn::make_yang_task("dly_go", quiet())->generate(16, 3);
    const auto b = task->generate(16, 3);
    EXPECT_EQ(b.conditions, clean.conditions);
    ASSERT_EQ(b.inputs.size(), clean.inputs.size());
    double sum = 0, sum2 = 0;
    for (std::size_t j = 0; j < b.inputs.size(); ++j) {
        const double d = b.inputs[j] - clean.inputs[j];
        sum += d;
        sum2 += d * d;
    }
    const double count = static_cast<double>(b.inputs.size());
    const double sd = std::sqrt(sum2 / count - (sum / count) * (sum / count));
    EXPECT_NEAR(sd, 0.01 * std::sqrt(10.0), 0.01 * std::sqrt(10.0) * 0.02);
    EXPECT_NEAR(sum / count, 0.0, 1e-3);
    EXPECT_EQ(b.targets, clean.targets);
}

TEST(YangTasks, OraclePolicyScoresOneInEveryTimingMode)
{
    for (const auto timing : {rnn::YangTiming::per_batch, rnn::YangTiming::per_trial, rnn::YangTiming::fixed})
        for (const auto& name : neurode_names) {
            const auto task = rnn::make_yang_task(name, quiet(timing));
            const auto b = task->generate(24, 13);
            const auto score = task->score(b, oracle_outputs(name, b, 65 + task->rule_index()));
            EXPECT_EQ(score.measure, "accuracy");
            EXPECT_EQ(score.value, 1.0) << name << " timing " << static_cast<int>(timing);
            EXPECT_EQ(score.per_trial.size(), 24u);
        }
}

TEST(YangTasks, PerTrialTimingPadsShortTrialsWithZeroMask)
{
    const auto task = rnn::make_yang_task("dly_msdm", quiet(rnn::YangTiming::per_trial));
    const auto b = task->generate(32, 2);
    ASSERT_NO_THROW(b.check_consistent());
    std::set<std::size_t> ends;
    for (std::size_t i = 0; i < b.trials; ++i) {
        const std::size_t end = trial_end(b, i, 65 + task->rule_index());
        ends.insert(end);
        EXPECT_EQ(b.epoch(i, "decision").stop, end);
        for (std::size_t t = end; t < b.steps; ++t)
            for (std::size_t k = 0; k < b.output_size(); ++k) {
                ASSERT_EQ(b.weight(i, t, k), 0.0);
                ASSERT_EQ(b.target(i, t, k), 0.0);
            }
        for (std::size_t t = end; t < b.steps; ++t)
            for (std::size_t k = 0; k < b.input_size(); ++k) ASSERT_EQ(b.input(i, t, k), 0.0);
    }
    EXPECT_GT(ends.size(), 1u);
    EXPECT_EQ(*ends.rbegin(), b.steps);
}

TEST(YangTasks, ConstantOutputsScoreChance)
{
    // Fixating at the end is wrong on every trial: all six tasks ask for a response.
    for (const auto& name : neurode_names) {
        const auto task = rnn::make_yang_task(name, quiet());
        const auto b = task->generate(16, 4);
        std::vector<double> fixate(b.targets.size(), 0.0);
        for (std::size_t s = 0; s < b.trials * b.steps; ++s) fixate[s * b.output_size()] = 1.0;
        EXPECT_EQ(task->score(b, fixate).value, 0.0) << name;
        // No output at all has no population-vector angle.
        EXPECT_EQ(task->score(b, std::vector<double>(b.targets.size(), 0.0)).value, 0.0) << name;
    }
    // A response bump at a random angle lands within 0.2 pi of the target 20% of the time.
    rnn::YangOptions o = quiet();
    o.dt_ms = 100;  // short trials keep 2000 of them cheap
    const auto task = rnn::make_yang_task("anti", o);
    const auto b = task->generate(2000, 8);
    neurode::sim::Rng rng(99);
    std::vector<double> y(b.targets.size(), 0.0);
    for (std::size_t i = 0; i < b.trials; ++i) {
        const double angle = rng.uniform(0, 2 * pi);
        for (std::size_t t = 0; t < b.steps; ++t)
            for (std::size_t k = 0; k < 32; ++k) y[(i * b.steps + t) * 33 + 1 + k] = bump_at(angle, k, 32);
    }
    EXPECT_NEAR(task->score(b, y).value, 0.2, 0.035);  // binomial sd 0.009
}

TEST(YangTasks, BadOptionsThrowNamingTheField)
{
    auto with = [](auto change) {
        rnn::YangOptions o;
        change(o);
        return [o] { rnn::YangTask task(rnn::YangRule::go, o); };
    };
    EXPECT_EQ(field_of(with([](auto& o) { o.dt_ms = -20; })), "dt_ms");
    EXPECT_EQ(field_of(with([](auto& o) { o.dt_ms = NAN; })), "dt_ms");
    EXPECT_EQ(field_of(with([](auto& o) { o.tau_ms = 10; })), "tau_ms");
    EXPECT_EQ(field_of(with([](auto& o) { o.ring_units = 0; })), "ring_units");
    EXPECT_EQ(field_of(with([](auto& o) { o.rule_units = 10; })), "rule_units");
    EXPECT_EQ(field_of(with([](auto& o) { o.sigma_x = -0.01; })), "sigma_x");
    EXPECT_EQ(field_of(with([](auto& o) { o.msdm_coherences = {0.04, 0.9}; })), "msdm_coherences[1]");
    EXPECT_EQ(field_of(with([](auto& o) { o.dly_msdm_coherences = {0.0}; })), "dly_msdm_coherences[0]");
    EXPECT_EQ(field_of(with([](auto& o) { o.dly_msdm_coherences = {}; })), "dly_msdm_coherences");
    EXPECT_EQ(field_of([] { rnn::make_yang_task("contextdm1"); }), "task");
    EXPECT_EQ(field_of(with([](auto&) {})), "<no throw>");

    const auto task = rnn::make_yang_task("go", quiet());
    const auto b = task->generate(2, 1);
    EXPECT_EQ(field_of([&] { task->score(b, std::vector<double>(3, 0.0)); }), "outputs");
}

TEST(YangTasks, OtherRingSizesAndSteps)
{
    rnn::YangOptions o = quiet(rnn::YangTiming::fixed);
    o.ring_units = 16;
    o.dt_ms = 50;
    const auto task = rnn::make_yang_task("dly_msdm", o);
    EXPECT_EQ(task->input_size(), 1u + 32 + 20);
    EXPECT_EQ(task->output_size(), 17u);
    const auto b = task->generate(6, 1);
    EXPECT_EQ(b.steps, 70u);  // 3500 ms test-mode trial
    EXPECT_EQ(b.epoch(0, "stimulus2").start, 40u);
    EXPECT_EQ(task->score(b, oracle_outputs("dly_msdm", b, 1 + 32 + task->rule_index())).value, 1.0);
}
