// Node-perturbation Hebbian learning (Miconi 2017): the eligibility trace of a 2-unit network
// against a hand-written recurrence, the Euler map against RateNetwork::run_euler (homogeneous and
// heterogeneous tau), the clipped update and the baselines against their formulas, warm-up,
// determinism, checkpoint resume, option errors, and a run to criterion on easy random dots.
#include <gtest/gtest.h>

#include "../support/easy_tasks.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <neurode/rnn/hebbian.hpp>
#include <neurode/rnn/tasks/mcmahan.hpp>
#include <neurode/rnn/tasks/yang.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

namespace {
rnn::RateNetworkOptions small_network_options(std::size_t units = 12)
{
    rnn::RateNetworkOptions o;
    o.units = units;
    o.gain = 1.5;
    o.clamped_units = 1;
    o.initial_state = rnn::InitialState::gaussian;
    o.initial_sd = 0.1;
    o.seed = 4;
    return o;
}

rnn::NodePerturbationOptions fast_options()
{
    rnn::NodePerturbationOptions o;
    o.perturbation_probability = 0.05;  // McMahan's 5% of units per step
    o.perturbation_amplitude = 5.0;     // moves x by up to 0.5 at a = 0.1
    o.warmup_trials = 10;
    o.settle_steps = 1;
    return o;
}

// A two-unit network with hand-set weights and a batch of one 5-step trial.
struct TwoUnits {
    rnn::RateNetwork net;
    rnn::TrialBatch batch;
};
TwoUnits two_units()
{
    rnn::RateNetworkOptions o;
    o.units = 2;
    o.tau_ms = 10;
    o.initial_state = rnn::InitialState::constant;
    o.initial_value = 0.3;
    TwoUnits s{rnn::RateNetwork(o), rnn::TrialBatch("hand", 1, 5, 5.0, {"u"}, {"y"}, {})};
    s.net.W << 0.5, -1.0, 2.0, 0.1;
    s.net.Win << 1.0, -0.5;
    s.net.b << 0.1, -0.2;
    const double u[] = {1.0, 0.0, -1.0, 0.5, 2.0};
    for (std::size_t t = 0; t < 5; ++t) s.batch.input(0, t, 0) = u[t];
    s.batch.target(0, 4, 0) = 1.0;
    s.batch.weight(0, 4, 0) = 1.0;
    return s;
}

void expect_field(const rnn::NodePerturbationOptions& o, const std::string& field)
{
    try {
        o.validate();
        FAIL() << "no error for " << field;
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_EQ(e.field(), field);
    }
}
}  // namespace

TEST(NodePerturbation, BadOptionsNameTheField)
{
    rnn::NodePerturbationOptions o;
    o.learning_rate = -1;
    expect_field(o, "learning_rate");
    o = {};
    o.max_dw = 0;
    expect_field(o, "max_dw");
    o = {};
    o.perturbation_probability = 1.5;
    expect_field(o, "perturbation_probability");
    o = {};
    o.trace_factor = 1.0;
    expect_field(o, "trace_factor");
    o = {};
    o.baseline_factor = -0.1;
    expect_field(o, "baseline_factor");
    o = {};
    o.trials_per_iteration = 0;
    expect_field(o, "trials_per_iteration");
    // A units readout needs as many free units as outputs.
    auto n = small_network_options(3);
    n.outputs = 3;
    try {
        rnn::NodePerturbationLearner(rnn::RateNetwork(n), {});
        FAIL();
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_EQ(e.field(), "readout");
    }
}

TEST(NodePerturbation, EligibilityOfTwoUnitsMatchesTheHandRecurrence)
{
    auto s = two_units();
    rnn::NodePerturbationOptions o;
    o.perturbation_probability = 0;  // no kicks: the trace is deterministic
    o.settle_steps = 1;
    o.readout = rnn::NodePerturbationReadout::network;
    const rnn::NodePerturbationLearner learner(s.net, o);
    const auto trial = learner.run_trial(s.batch, 0, 9);

    // Hand recurrence: a = dt / tau = 0.5, tanh, xbar starting at 0.
    const double a = 0.5, W[2][2] = {{0.5, -1.0}, {2.0, 0.1}}, win[2] = {1.0, -0.5}, b[2] = {0.1, -0.2};
    const double u[] = {1.0, 0.0, -1.0, 0.5, 2.0};
    double x[2] = {0.3, 0.3}, xbar[2] = {0, 0}, e[2][2] = {{0, 0}, {0, 0}};
    for (int t = 0; t < 5; ++t) {
        const double r[2] = {std::tanh(x[0]), std::tanh(x[1])};
        double next[2];
        for (int i = 0; i < 2; ++i) next[i] = x[i] + a * (-x[i] + W[i][0] * r[0] + W[i][1] * r[1] + win[i] * u[t] + b[i]);
        if (t >= 1)
            for (int i = 0; i < 2; ++i)
                for (int j = 0; j < 2; ++j) e[i][j] += std::pow(r[j] * (next[i] - xbar[i]), 3);
        for (int i = 0; i < 2; ++i) {
            xbar[i] = 0.05 * xbar[i] + 0.95 * next[i];
            x[i] = next[i];
        }
    }
    for (int i = 0; i < 2; ++i) {
        EXPECT_NEAR(trial.states(i, 4), x[i], 1e-14);
        EXPECT_NEAR(trial.trace(i), xbar[i], 1e-14);
        for (int j = 0; j < 2; ++j) EXPECT_NEAR(trial.eligibility(i, j), e[i][j], 1e-14) << i << j;
    }
    EXPECT_EQ(trial.kicks, 0u);
    // Error: the one masked step, |y - 1|.
    const double y = s.net.Wout(0, 0) * std::tanh(x[0]) + s.net.Wout(0, 1) * std::tanh(x[1]);
    EXPECT_NEAR(trial.error, std::abs(y - 1.0), 1e-14);
}

TEST(NodePerturbation, WithoutKicksTheTrialIsTheNetworksEulerMapAlsoWithHeterogeneousTau)
{
    const auto task = easy_rdm();
    const auto batch = task.generate(1, 3);
    for (int level : {0, 4}) {
        auto n = small_network_options();
        n.heterogeneity = level;
        n.initial_state = rnn::InitialState::zeros;
        auto o = fast_options();
        o.perturbation_probability = 0;
        const rnn::NodePerturbationLearner learner(rnn::RateNetwork(n), o);
        const auto trial = learner.run_trial(batch, 0, 1);
        const auto run = learner.network().run_euler(batch);
        for (std::size_t t = 0; t < batch.steps; ++t)
            for (std::size_t i = 0; i < n.units; ++i)
                EXPECT_NEAR(trial.states(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(t)), run.state(0, t, i), 1e-12)
                    << "H" << level;
        // With kicks on every free unit at every learning step, the count is exact.
        o.perturbation_probability = 1;
        const rnn::NodePerturbationLearner kicked(rnn::RateNetwork(n), o);
        EXPECT_EQ(kicked.run_trial(batch, 0, 1).kicks, (n.units - n.clamped_units) * (batch.steps - o.settle_steps));
    }
}

TEST(NodePerturbation, UpdateIsClippedAndBaselinesFollowTheirRunningMean)
{
    const auto task = easy_rdm();
    auto o = fast_options();
    o.warmup_trials = 0;
    o.learning_rate = 5.0;  // large: many entries hit the clip
    rnn::NodePerturbationLearner learner(rnn::RateNetwork(small_network_options()), o);
    const auto batch = task.generate(4, 11);

    // Trial 1: baseline 0 and scaled by it, so no change; the baseline becomes 0.25 err1.
    const Eigen::MatrixXd w0 = learner.network().W;
    const auto t1 = learner.run_trial(batch, 0, 1);
    learner.learn(t1);
    EXPECT_TRUE(learner.network().W == w0);
    const double b1 = 0.25 * t1.error;
    EXPECT_DOUBLE_EQ(learner.baseline(t1.type), b1);

    // A trial of the same type: dW = clip(-eta b1 e (err2 - b1)).
    std::size_t k = 1;
    while (rnn::NodePerturbationLearner(learner).run_trial(batch, k, 2).type != t1.type) ++k;
    const auto t2 = learner.run_trial(batch, k, 2);
    learner.learn(t2);
    const Eigen::MatrixXd expected =
        (-5.0 * b1 * (t2.error - b1) * t2.eligibility).cwiseMax(-o.max_dw).cwiseMin(o.max_dw);
    EXPECT_TRUE(learner.network().W == w0 + expected);
    const auto clipped = (expected.cwiseAbs().array() == o.max_dw).count();
    EXPECT_GT(clipped, 0);
    EXPECT_LT(clipped, expected.size());
    EXPECT_DOUBLE_EQ(learner.baseline(t2.type), 0.75 * b1 + 0.25 * t2.error);
    EXPECT_EQ(learner.trials_seen(), 2u);
    EXPECT_TRUE(learner.trace() == t2.trace);

    // The other answer's type has its own baseline.
    std::vector<double> other = t1.type;
    other[0] = -other[0];
    EXPECT_EQ(learner.baseline(other), 0.0);
}

TEST(NodePerturbation, NoWeightChangeDuringWarmup)
{
    const auto task = easy_rdm();
    auto o = fast_options();
    o.warmup_trials = 5;
    o.trials_per_iteration = 5;
    rnn::NodePerturbationLearner learner(rnn::RateNetwork(small_network_options()), o);
    const Eigen::MatrixXd w0 = learner.network().W;
    learner.iterate(task, 1);
    EXPECT_TRUE(learner.network().W == w0);
    learner.iterate(task, 2);
    EXPECT_FALSE(learner.network().W == w0);
}

TEST(NodePerturbation, SameSeedSameRunAndCheckpointResume)
{
    const auto task = easy_rdm();
    auto o = fast_options();
    o.trials_per_iteration = 4;
    rnn::TrainingOptions t;
    t.max_iterations = 10;
    t.validation_trials = 50;
    t.target = 2.0;
    rnn::NodePerturbationLearner whole(rnn::RateNetwork(small_network_options()), o);
    rnn::NodePerturbationLearner twin(rnn::RateNetwork(small_network_options()), o);
    const auto uninterrupted = rnn::train(whole, task, t);
    const auto again = rnn::train(twin, task, t);
    EXPECT_TRUE(whole.network().W == twin.network().W);

    const auto path = std::filesystem::temp_directory_path() / "neurode-hebbian-checkpoint-test.h5";
    std::filesystem::remove(path);
    auto first = t;
    first.max_iterations = 5;
    first.checkpoint = path;
    first.checkpoint_every = 2;
    rnn::NodePerturbationLearner a(rnn::RateNetwork(small_network_options()), o);
    rnn::train(a, task, first);
    auto second = t;
    second.checkpoint = path;
    rnn::NodePerturbationLearner b(rnn::RateNetwork(small_network_options()), o);
    const auto resumed = rnn::train(b, task, second);
    std::filesystem::remove(path);

    ASSERT_EQ(resumed.entries.size(), uninterrupted.entries.size());
    for (std::size_t i = 0; i < resumed.entries.size(); ++i) {
        EXPECT_EQ(again.entries[i].loss, uninterrupted.entries[i].loss) << i;
        EXPECT_EQ(resumed.entries[i].loss, uninterrupted.entries[i].loss) << i;
        EXPECT_EQ(resumed.entries[i].validation_score, uninterrupted.entries[i].validation_score) << i;
    }
    EXPECT_TRUE(b.network().W == whole.network().W);
    EXPECT_TRUE(b.trace() == whole.trace());
    EXPECT_EQ(b.trials_seen(), whole.trials_seen());
}

TEST(NodePerturbation, ReachesCriterionOnEasyRandomDots)
{
    const auto task = easy_rdm();
    auto o = fast_options();
    o.trials_per_iteration = 20;
    auto n = small_network_options();
    n.seed = 2;  // a network that starts far below chance (6% correct): the rule must reverse it
    rnn::NodePerturbationLearner learner(rnn::RateNetwork(n), o);
    rnn::TrainingOptions t;
    t.validation_trials = 200;
    t.window = 5;
    t.max_trials = 20000;
    const auto h = rnn::train(learner, task, t);
    std::printf("[ hebbian  ] mcmahan_rdm (20 steps, noise variance 0.01), 12 units: criterion %s after %zu trials "
                "(first validation accuracy %.2f)\n",
                h.reached_criterion ? "reached" : "NOT reached", h.trials_to_criterion,
                h.entries.front().validation_score);
    EXPECT_TRUE(h.reached_criterion) << h.stop_reason;
    EXPECT_LT(h.entries.front().validation_score, 0.5);
}

TEST(Hebbian, HeterogeneityStudySetupDrawsHeterogeneousTauAndLearns)
{
    rnn::YangOptions y;
    y.timing = rnn::YangTiming::fixed;
    const rnn::YangTask go(rnn::YangRule::go, y);
    const auto h0 = rnn::heterogeneity_study(go, 0);
    const auto h4 = rnn::heterogeneity_study(go, 4);
    EXPECT_EQ(h4.network.units, 200u);
    EXPECT_EQ(h4.learning.trial_type, "target_angle");
    const rnn::RateNetwork homogeneous(h0.network), heterogeneous(h4.network);
    EXPECT_EQ(homogeneous.tau.minCoeff(), homogeneous.tau.maxCoeff());
    const double mean = heterogeneous.tau.mean();
    const double cv = std::sqrt((heterogeneous.tau.array() - mean).square().mean()) / mean;
    EXPECT_GT(cv, 0.5);  // H4: CV 1 before clipping
    EXPECT_NEAR(h4.learning.perturbation_amplitude * go.dt() / 100.0, 16.0 / 30.0, 1e-12);

    // The widest level's draws stop at the task's step, so that its Euler map stays stable.
    const rnn::RateNetwork widest(rnn::heterogeneity_study(go, 5).network);
    EXPECT_GE(widest.tau.minCoeff(), go.dt());
    const rnn::NetworkRun run = widest.run_euler(go.generate(4, 7));
    EXPECT_TRUE(std::all_of(run.states.begin(), run.states.end(), [](double x) { return std::isfinite(x); }));

    auto learning = h4.learning;
    learning.warmup_trials = 0;
    learning.scale_by_baseline = false;  // the first trial of a type would otherwise change nothing
    rnn::NodePerturbationLearner learner(heterogeneous, learning);
    const Eigen::MatrixXd w0 = learner.network().W;
    const auto r1 = learner.iterate(go, 1);
    const auto r2 = learner.iterate(go, 2);
    EXPECT_TRUE(std::isfinite(r1.loss) && std::isfinite(r2.loss));
    EXPECT_FALSE(learner.network().W == w0);

    const auto rdm = rnn::heterogeneity_study(easy_rdm(), 2);
    EXPECT_EQ(rdm.learning.trial_type, "target");
}
