// The NeuroGym tasks against the definitions of neurogym/neurogym (envs/native/*.py): epoch
// timings, input encodings, one-hot targets, the mask, and the scoring rule. Oracles and expected
// values are written out here from those definitions, never read back from the task's arrays.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <neurode/rnn/tasks/neurogym.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

namespace {

// k standard deviations of the mean of n Bernoulli(p) trials.
double binomial_tolerance(double p, std::size_t n, double k = 4)
{
    return k * std::sqrt(p * (1 - p) / static_cast<double>(n));
}

// Outputs that fixate outside the decision epoch and put all weight on output `pick(trial)`
// within it.
std::vector<double> respond(const rnn::TrialBatch& b, const std::function<std::size_t(std::size_t)>& pick)
{
    std::vector<double> out(b.targets.size(), 0.0);
    const std::size_t width = b.output_size();
    for (std::size_t i = 0; i < b.trials; ++i) {
        const rnn::Epoch& decision = b.epoch(i, "decision");
        const std::size_t chosen = pick(i);
        for (std::size_t t = 0; t < b.steps; ++t)
            out[(i * b.steps + t) * width + (t >= decision.start && t < decision.stop ? chosen : 0)] = 1.0;
    }
    return out;
}

std::size_t truth(const rnn::TrialBatch& b, std::size_t trial)
{
    return static_cast<std::size_t>(b.condition(trial, b.condition_index("ground_truth")));
}

// Steps of each aligned epoch, in order.
std::vector<std::size_t> epoch_lengths(const rnn::TrialBatch& b, std::size_t trial,
                                       const std::vector<std::string>& names)
{
    std::vector<std::size_t> lengths;
    for (const std::string& n : names) lengths.push_back(b.epoch(trial, n).length());
    return lengths;
}

const std::vector<std::string> aligned{"fixation", "stimulus", "delay", "decision"};

}  // namespace

TEST(NeuroGymTasks, FactoryShapesAndAlignedEpochs)
{
    for (const std::string& name : rnn::neurogym_task_names()) {
        SCOPED_TRACE(name);
        const auto task = rnn::make_neurogym_task(name);
        EXPECT_EQ(task->name(), name);
        EXPECT_EQ(task->dt(), 100.0);
        const rnn::TrialBatch b = task->generate(16, 7);
        b.check_consistent();
        EXPECT_EQ(b.task, name);
        EXPECT_EQ(b.input_size(), task->input_size());
        EXPECT_EQ(b.output_size(), task->output_size());
        EXPECT_EQ(b.output_names.front(), "fixation");
        EXPECT_EQ(b.condition_names.front(), "ground_truth");
        for (std::size_t i = 0; i < b.trials; ++i) {
            std::size_t previous = 0;
            for (const std::string& e : aligned) {
                ASSERT_TRUE(b.has_epoch(i, e)) << e;
                EXPECT_GE(b.epoch(i, e).start, previous) << e;
                previous = b.epoch(i, e).stop;
            }
            EXPECT_EQ(b.epochs[i].back().name, "decision");
        }
    }
    EXPECT_EQ(rnn::make_neurogym_task("ProbabilisticReasoning")->name(), "probabilistic_reasoning");
    expect_field([] { rnn::make_neurogym_task("DelayMatchSample"); }, "task");
}

TEST(NeuroGymTasks, EpochTimingsFollowTheReference)
{
    // PerceptualDecisionMaking: fixation 100, stimulus 2000, delay 0, decision 100 ms.
    const rnn::TrialBatch pdm = rnn::PerceptualDecisionMaking().generate(4, 1);
    EXPECT_EQ(pdm.steps, 22u);
    EXPECT_EQ(epoch_lengths(pdm, 0, aligned), (std::vector<std::size_t>{1, 20, 0, 1}));
    rnn::PerceptualDecisionMakingOptions fine;
    fine.dt_ms = 20;
    EXPECT_EQ(epoch_lengths(rnn::PerceptualDecisionMaking(fine).generate(1, 1), 0, aligned),
              (std::vector<std::size_t>{5, 100, 0, 5}));

    // GoNogo: fixation 0, stimulus 500, delay 500, decision 500 ms.
    const rnn::TrialBatch gng = rnn::GoNogo().generate(4, 1);
    EXPECT_EQ(gng.steps, 15u);
    EXPECT_EQ(epoch_lengths(gng, 0, aligned), (std::vector<std::size_t>{0, 5, 5, 5}));

    // DelayComparison: fixation 500, f1 500, delay 1000, f2 500, decision 100 ms.
    const rnn::TrialBatch dc = rnn::DelayComparison().generate(4, 1);
    EXPECT_EQ(dc.steps, 26u);
    EXPECT_EQ(epoch_lengths(dc, 0, {"fixation", "stimulus", "delay", "stimulus2", "decision"}),
              (std::vector<std::size_t>{5, 5, 10, 5, 1}));

    // ContextDecisionMaking: fixation 300, stimulus 750 (7.5 steps, floored), delay
    // TruncExp(600, 300, 3000), decision 100 ms. The batch is as long as its longest trial.
    const rnn::TrialBatch cdm = rnn::ContextDecisionMaking().generate(200, 1);
    std::size_t longest = 0;
    bool delays_vary = false;
    for (std::size_t i = 0; i < cdm.trials; ++i) {
        const auto l = epoch_lengths(cdm, i, aligned);
        EXPECT_EQ(l[0], 3u);
        EXPECT_EQ(l[1], 7u);
        EXPECT_GE(l[2], 3u);
        EXPECT_LE(l[2], 30u);
        EXPECT_EQ(l[3], 1u);
        delays_vary |= l[2] != epoch_lengths(cdm, 0, aligned)[2];
        longest = std::max(longest, cdm.epoch(i, "decision").stop);
    }
    EXPECT_TRUE(delays_vary);
    EXPECT_EQ(cdm.steps, longest);

    // ProbabilisticReasoning: fixation 500, 4 x 500 shapes, delay U(450, 550), decision 500 ms.
    const rnn::TrialBatch pr = rnn::ProbabilisticReasoning().generate(50, 1);
    for (std::size_t i = 0; i < pr.trials; ++i) {
        const auto l = epoch_lengths(pr, i, aligned);
        EXPECT_EQ(l[0], 5u);
        EXPECT_EQ(l[1], 20u);
        EXPECT_TRUE(l[2] == 4u || l[2] == 5u) << l[2];
        EXPECT_EQ(l[3], 5u);
    }
}

TEST(NeuroGymTasks, TargetsAreOneHotAndTheMaskCoversEachTrial)
{
    for (const std::string& name : rnn::neurogym_task_names()) {
        SCOPED_TRACE(name);
        const rnn::TrialBatch b = rnn::make_neurogym_task(name)->generate(64, 3);
        for (std::size_t i = 0; i < b.trials; ++i) {
            const rnn::Epoch& decision = b.epoch(i, "decision");
            // go_nogo: ground truth 1 = go, the response output; otherwise output 1 + choice.
            const std::size_t answer = name == "go_nogo" ? truth(b, i) : 1 + truth(b, i);
            for (std::size_t t = 0; t < b.steps; ++t) {
                const bool inside = t < decision.stop;
                const bool deciding = t >= decision.start && inside;
                EXPECT_EQ(b.input(i, t, 0), inside && !deciding ? 1.0 : 0.0) << "fixation input, step " << t;
                for (std::size_t k = 0; k < b.output_size(); ++k) {
                    const double expected = !inside ? 0.0 : (k == (deciding ? answer : 0) ? 1.0 : 0.0);
                    EXPECT_EQ(b.target(i, t, k), expected) << "step " << t << " output " << k;
                    EXPECT_EQ(b.weight(i, t, k), inside ? 1.0 : 0.0) << "step " << t << " output " << k;
                }
            }
        }
    }
}

TEST(NeuroGymTasks, InputEncodingsFollowTheReference)
{
    rnn::ContextDecisionMakingOptions co;
    co.input_noise = false;
    const rnn::TrialBatch c = rnn::ContextDecisionMaking(co).generate(64, 5);
    ASSERT_EQ(c.input_size(), 7u);  // fixation, 2 x 2 ring units, 2 context units
    for (std::size_t i = 0; i < c.trials; ++i) {
        const auto context = static_cast<std::size_t>(c.condition(i, c.condition_index("context")));
        const std::size_t mod_choice[2] = {static_cast<std::size_t>(c.condition(i, c.condition_index("choice_mod1"))),
                                           static_cast<std::size_t>(c.condition(i, c.condition_index("choice_mod2")))};
        const double coh[2] = {c.condition(i, c.condition_index("coherence_mod1")),
                               c.condition(i, c.condition_index("coherence_mod2"))};
        EXPECT_EQ(mod_choice[context], truth(c, i));
        const rnn::Epoch& s = c.epoch(i, "stimulus");
        for (std::size_t m = 0; m < 2; ++m)
            for (std::size_t k = 0; k < 2; ++k) {
                // theta = 0, pi: cos(theta_k - theta_choice) is +1 on the chosen unit, -1 on the other.
                const double drive = (k == mod_choice[m] ? 1.0 : -1.0) * coh[m] / 200 + 0.5;
                EXPECT_DOUBLE_EQ(c.input(i, s.start, 1 + 2 * m + k), drive);
                EXPECT_DOUBLE_EQ(c.input(i, s.stop - 1, 1 + 2 * m + k), drive);
                EXPECT_EQ(c.input(i, s.stop, 1 + 2 * m + k), 0.0);  // off in the delay
            }
        EXPECT_EQ(c.input(i, 0, 5 + context), 1.0);
        EXPECT_EQ(c.input(i, c.epoch(i, "decision").start, 5 + context), 1.0);
        EXPECT_EQ(c.input(i, 0, 6 - context), 0.0);
    }

    rnn::ContextDecisionMakingOptions implicit = co;
    implicit.explicit_context = false;
    implicit.implicit_context_modality = 1;
    const rnn::TrialBatch ci = rnn::ContextDecisionMaking(implicit).generate(32, 5);
    EXPECT_EQ(ci.input_size(), 5u);
    for (std::size_t i = 0; i < ci.trials; ++i) EXPECT_EQ(ci.condition(i, ci.condition_index("context")), 1.0);

    // DelayComparison: (1 + (v - 10) / 24) / 2 for f1 in stimulus, f2 in stimulus2; f1 > f2 <=> choice1.
    rnn::DelayComparisonOptions dco;
    dco.input_noise = false;
    const rnn::TrialBatch d = rnn::DelayComparison(dco).generate(64, 5);
    for (std::size_t i = 0; i < d.trials; ++i) {
        const double f1 = d.condition(i, 1), f2 = d.condition(i, 2);
        EXPECT_EQ(truth(d, i), f1 > f2 ? 0u : 1u);
        EXPECT_EQ(std::abs(f1 - f2), 8.0);
        EXPECT_DOUBLE_EQ(d.input(i, d.epoch(i, "stimulus").start, 1), (1 + (f1 - 10) / 24) / 2);
        EXPECT_DOUBLE_EQ(d.input(i, d.epoch(i, "stimulus2").stop - 1, 1), (1 + (f2 - 10) / 24) / 2);
        EXPECT_EQ(d.input(i, d.epoch(i, "delay").start, 1), 0.0);
    }

    // GoNogo: [fixation, nogo, go]; the cue is on during the stimulus only.
    const rnn::TrialBatch g = rnn::GoNogo().generate(32, 5);
    for (std::size_t i = 0; i < g.trials; ++i) {
        const std::size_t cue = truth(g, i) == 1 ? 2 : 1;
        const rnn::Epoch& s = g.epoch(i, "stimulus");
        EXPECT_EQ(g.input(i, s.start, cue), 1.0);
        EXPECT_EQ(g.input(i, s.start, 3 - cue), 0.0);
        EXPECT_EQ(g.input(i, s.stop, cue), 0.0);
    }

    // ProbabilisticReasoning: shape k appears at its location 500 ms after shape k - 1 and stays.
    const rnn::ProbabilisticReasoningOptions po;
    const rnn::TrialBatch p = rnn::ProbabilisticReasoning().generate(32, 5);
    ASSERT_EQ(p.input_size(), 41u);
    for (std::size_t i = 0; i < p.trials; ++i) {
        const rnn::Epoch& s = p.epoch(i, "stimulus");
        double log_odds = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const std::string item = std::to_string(k);
            const auto shape = static_cast<std::size_t>(p.condition(i, p.condition_index("shape" + item)));
            const auto loc = static_cast<std::size_t>(p.condition(i, p.condition_index("location" + item)));
            log_odds += po.shape_weights[shape];
            const std::size_t channel = 1 + 10 * loc + shape;
            const std::size_t onset = s.start + 5 * k;
            EXPECT_EQ(p.input(i, onset - 1, channel), 0.0);  // onset >= 5: after the fixation epoch
            EXPECT_EQ(p.input(i, onset, channel), 1.0);
            EXPECT_EQ(p.input(i, s.stop - 1, channel), 1.0);
            EXPECT_EQ(p.input(i, s.stop, channel), 0.0);
        }
        EXPECT_DOUBLE_EQ(p.condition(i, p.condition_index("log_odds")), log_odds);
        double shown = 0;
        for (std::size_t k = 1; k < p.input_size(); ++k) shown += p.input(i, s.stop - 1, k);
        EXPECT_EQ(shown, 4.0);
    }
}

TEST(NeuroGymTasks, InputNoiseHasSdSigmaOverSqrtDt)
{
    rnn::PerceptualDecisionMakingOptions o;
    o.coherences = {25.6};
    o.sigma = 2.0;
    o.dt_ms = 25;  // sd = 2 / 5 = 0.4
    const rnn::TrialBatch noisy = rnn::PerceptualDecisionMaking(o).generate(100, 9);
    o.input_noise = false;
    const rnn::TrialBatch clean = rnn::PerceptualDecisionMaking(o).generate(100, 9);
    EXPECT_EQ(noisy.conditions, clean.conditions);
    double sum = 0, sum2 = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < noisy.trials; ++i)
        for (std::size_t t = 0; t < noisy.steps; ++t)
            for (std::size_t k = 0; k < noisy.input_size(); ++k) {
                const double e = noisy.input(i, t, k) - clean.input(i, t, k);
                const rnn::Epoch& s = noisy.epoch(i, "stimulus");
                if (k == 0 || t < s.start || t >= s.stop) {
                    EXPECT_EQ(e, 0.0);
                    continue;
                }
                sum += e;
                sum2 += e * e;
                ++n;
            }
    const double sd = std::sqrt(sum2 / static_cast<double>(n));
    EXPECT_NEAR(sum / static_cast<double>(n), 0.0, 4 * 0.4 / std::sqrt(static_cast<double>(n)));
    EXPECT_NEAR(sd, 0.4, 4 * 0.4 / std::sqrt(2.0 * static_cast<double>(n)));
}

TEST(NeuroGymTasks, SameSeedSameBatchOtherSeedOtherBatch)
{
    for (const std::string& name : rnn::neurogym_task_names()) {
        SCOPED_TRACE(name);
        const auto task = rnn::make_neurogym_task(name);
        const rnn::TrialBatch a = task->generate(32, 11), b = task->generate(32, 11), c = task->generate(32, 12);
        EXPECT_EQ(a.inputs, b.inputs);
        EXPECT_EQ(a.targets, b.targets);
        EXPECT_EQ(a.conditions, b.conditions);
        EXPECT_NE(a.conditions, c.conditions);
    }
}

TEST(NeuroGymTasks, OraclesReadingTheInputsScorePerfectly)
{
    // Perceptual DM without noise and without the zero coherence: the larger ring unit wins.
    rnn::PerceptualDecisionMakingOptions po;
    po.input_noise = false;
    po.coherences = {6.4, 12.8, 25.6, 51.2};
    const rnn::PerceptualDecisionMaking pdm(po);
    const rnn::TrialBatch p = pdm.generate(200, 2);
    const auto pdm_pick = [&](std::size_t i) {
        const std::size_t t = p.epoch(i, "stimulus").start;
        return p.input(i, t, 1) > p.input(i, t, 2) ? std::size_t{1} : std::size_t{2};
    };
    EXPECT_EQ(pdm.score(p, respond(p, pdm_pick)).value, 1.0);

    // Context DM: the context input says which modality's ring to read.
    rnn::ContextDecisionMakingOptions co;
    co.input_noise = false;
    const rnn::ContextDecisionMaking cdm(co);
    const rnn::TrialBatch c = cdm.generate(200, 2);
    const auto cdm_pick = [&](std::size_t i) {
        const std::size_t m = c.input(i, 0, 5) == 1.0 ? 0 : 1;
        const std::size_t t = c.epoch(i, "stimulus").start;
        return c.input(i, t, 1 + 2 * m) > c.input(i, t, 2 + 2 * m) ? std::size_t{1} : std::size_t{2};
    };
    const rnn::Score cs = cdm.score(c, respond(c, cdm_pick));
    EXPECT_EQ(cs.measure, "accuracy");
    EXPECT_EQ(cs.value, 1.0);
    EXPECT_EQ(cs.per_trial.size(), c.trials);

    // Go/no-go: respond after the go cue only.
    const rnn::GoNogo gng;
    const rnn::TrialBatch g = gng.generate(200, 2);
    const auto gng_pick = [&](std::size_t i) {
        return g.input(i, g.epoch(i, "stimulus").start, 2) == 1.0 ? std::size_t{1} : std::size_t{0};
    };
    EXPECT_EQ(gng.score(g, respond(g, gng_pick)).value, 1.0);

    // Delayed comparison: compare the encoded f1 with the encoded f2.
    rnn::DelayComparisonOptions dco;
    dco.input_noise = false;
    const rnn::DelayComparison dcm(dco);
    const rnn::TrialBatch d = dcm.generate(200, 2);
    const auto dc_pick = [&](std::size_t i) {
        const double f1 = d.input(i, d.epoch(i, "stimulus").start, 1);
        const double f2 = d.input(i, d.epoch(i, "stimulus2").start, 1);
        return f1 > f2 ? std::size_t{1} : std::size_t{2};
    };
    EXPECT_EQ(dcm.score(d, respond(d, dc_pick)).value, 1.0);

    // Probabilistic reasoning is stochastic; an oracle of the ground truth scores 1, its opposite 0.
    const rnn::ProbabilisticReasoning prt;
    const rnn::TrialBatch r = prt.generate(200, 2);
    EXPECT_EQ(prt.score(r, respond(r, [&](std::size_t i) { return 1 + truth(r, i); })).value, 1.0);
    EXPECT_EQ(prt.score(r, respond(r, [&](std::size_t i) { return 2 - truth(r, i); })).value, 0.0);
}

TEST(NeuroGymTasks, ScoreReadsTheLastDecisionStepOnly)
{
    const rnn::DelayComparison task;
    const rnn::TrialBatch b = task.generate(20, 4);
    std::vector<double> out = respond(b, [&](std::size_t i) { return 1 + truth(b, i); });
    // A wrong answer everywhere but the decision's last step changes nothing.
    for (std::size_t i = 0; i < b.trials; ++i)
        for (std::size_t t = 0; t + 1 < b.epoch(i, "decision").stop; ++t)
            out[(i * b.steps + t) * 3 + 2 - truth(b, i)] = 5;
    EXPECT_EQ(task.score(b, out).value, 1.0);
    expect_field([&] { task.score(b, std::span<const double>(out).first(out.size() - 1)); }, "outputs");
    const rnn::TrialBatch other = rnn::ProbabilisticReasoning().generate(20, 4);
    expect_field([&] { task.score(other, std::vector<double>(other.targets.size())); }, "batch");
}

TEST(NeuroGymTasks, ProbabilisticReasoningBayesOptimalScores0_9155)
{
    const std::vector<double> w{-10, -0.9, -0.7, -0.5, -0.3, 0.3, 0.5, 0.7, 0.9, 10};
    // Expected accuracy of choosing the side the summed log10 odds favour, over all 10^4
    // equally likely shape sequences: E[max(p, 1 - p)], p = 1 / (10^-L + 1).
    double expected = 0;
    for (double a : w)
        for (double b : w)
            for (double c : w)
                for (double d : w) {
                    const double p = 1 / (std::pow(10.0, -(a + b + c + d)) + 1);
                    expected += std::max(p, 1 - p) / 1e4;
                }
    EXPECT_NEAR(expected, 0.9155, 5e-5);

    // dt = 500 ms keeps the trials at 6 or 7 steps: one per shape, 0 or 1 delay step.
    rnn::ProbabilisticReasoningOptions o;
    o.dt_ms = 500;
    const rnn::ProbabilisticReasoning task(o);
    constexpr std::size_t batches = 4, per_batch = 5000;
    double correct = 0;
    for (std::size_t seed = 0; seed < batches; ++seed) {
        const rnn::TrialBatch b = task.generate(per_batch, 100 + seed);
        ASSERT_LE(b.steps, 7u);
        // Decode the shown shapes from the inputs at the end of the stimulus epoch.
        const auto bayes = [&](std::size_t i) {
            double log_odds = 0;
            const std::size_t t = b.epoch(i, "stimulus").stop - 1;
            for (std::size_t k = 1; k < b.input_size(); ++k)
                if (b.input(i, t, k) == 1.0) log_odds += w[(k - 1) % 10];
            return log_odds > 0 ? std::size_t{2} : std::size_t{1};
        };
        correct += task.score(b, respond(b, bayes)).value * per_batch;
    }
    const double accuracy = correct / (batches * per_batch);
    EXPECT_NEAR(accuracy, expected, binomial_tolerance(expected, batches * per_batch));
}

TEST(NeuroGymTasks, ConstantOutputsScoreChance)
{
    constexpr std::size_t n = 4000;
    for (const std::string& name : rnn::neurogym_task_names()) {
        SCOPED_TRACE(name);
        const auto task = rnn::make_neurogym_task(name);
        const rnn::TrialBatch b = task->generate(n, 21);
        const rnn::Score s = task->score(b, std::vector<double>(b.targets.size(), 0.3));
        EXPECT_NEAR(s.value, 0.5, binomial_tolerance(0.5, n));
    }
}

TEST(NeuroGymTasks, ContextDecisionMakingIgnoringContextScoresThreeQuarters)
{
    rnn::ContextDecisionMakingOptions o;
    o.input_noise = false;
    const rnn::ContextDecisionMaking task(o);
    constexpr std::size_t n = 4000;
    const rnn::TrialBatch b = task.generate(n, 8);
    // Always report modality 1: right in its context, a coin flip in the other.
    const auto modality1 = [&](std::size_t i) {
        const std::size_t t = b.epoch(i, "stimulus").start;
        return b.input(i, t, 1) > b.input(i, t, 2) ? std::size_t{1} : std::size_t{2};
    };
    EXPECT_NEAR(task.score(b, respond(b, modality1)).value, 0.75, binomial_tolerance(0.75, n));
}

TEST(NeuroGymTasks, BadOptionsNameTheField)
{
    using PDM = rnn::PerceptualDecisionMakingOptions;
    const auto pdm = [](auto edit) {
        return [edit] {
            PDM o;
            edit(o);
            rnn::PerceptualDecisionMaking task(o);
        };
    };
    expect_field(pdm([](PDM& o) { o.dt_ms = 0; }), "dt_ms");
    expect_field(pdm([](PDM& o) { o.coherences = {}; }), "coherences");
    expect_field(pdm([](PDM& o) { o.coherences = {6.4, 100.5}; }), "coherences[1]");
    expect_field(pdm([](PDM& o) { o.coherences = {-1}; }), "coherences[0]");
    expect_field(pdm([](PDM& o) { o.delay = rnn::Duration::fixed(-100); }), "delay");
    expect_field(pdm([](PDM& o) { o.stimulus = rnn::Duration::uniform(500, 100); }), "stimulus");
    expect_field(pdm([](PDM& o) { o.decision = rnn::Duration::fixed(50); }), "decision");
    expect_field(pdm([](PDM& o) { o.sigma = -1; }), "sigma");
    expect_field(pdm([](PDM& o) { o.choices = 1; }), "choices");

    rnn::ContextDecisionMakingOptions c;
    c.implicit_context_modality = 2;
    expect_field([&] { rnn::ContextDecisionMaking task(c); }, "implicit_context_modality");
    c = {};
    c.delay = rnn::Duration::truncated_exponential(600, 3000, 300);
    expect_field([&] { rnn::ContextDecisionMaking task(c); }, "delay");

    rnn::GoNogoOptions g;
    g.fixation = rnn::Duration::fixed(-1);
    expect_field([&] { rnn::GoNogo task(g); }, "fixation");

    rnn::DelayComparisonOptions d;
    d.frequency_pairs = {};
    expect_field([&] { rnn::DelayComparison task(d); }, "frequency_pairs");
    d.frequency_pairs = {{18, 10}, {20, 20}};
    expect_field([&] { rnn::DelayComparison task(d); }, "frequency_pairs[1]");
    d = {};
    d.stimulus2 = rnn::Duration::fixed(-500);
    expect_field([&] { rnn::DelayComparison task(d); }, "stimulus2");

    rnn::ProbabilisticReasoningOptions p;
    p.shape_weights = {};
    expect_field([&] { rnn::ProbabilisticReasoning task(p); }, "shape_weights");
    p = {};
    p.shape_weights[3] = std::nan("");
    expect_field([&] { rnn::ProbabilisticReasoning task(p); }, "shape_weights[3]");
    p = {};
    p.locations = 0;
    expect_field([&] { rnn::ProbabilisticReasoning task(p); }, "locations");
}
