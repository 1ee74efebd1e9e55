// Post-training perturbations (rnn/perturbation.hpp): P0 leaves every kind's outputs
// bit-identical; each graded kind has the spread its documentation states (sample statistics of
// the draws against the closed forms of the lognormal and normal laws); the trial-duration and
// activity kinds change the trial where and by how much they say; the task kind tests on the
// other Yang tasks, nearest first.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <cmath>

#include <neurode/rnn/perturbation.hpp>
#include <neurode/rnn/task_registry.hpp>
#include <neurode/rnn/tasks/yang.hpp>

namespace rnn = neurode::rnn;

namespace {
rnn::RateNetworkOptions network_options(std::size_t units, const rnn::Task& task)
{
    rnn::RateNetworkOptions o;
    o.units = units;
    o.inputs = task.input_size();
    o.outputs = task.output_size();
    o.heterogeneity = 2;
    o.clamped_units = 3;
    o.initial_state = rnn::InitialState::gaussian;
    o.initial_sd = 0.1;
    o.seed = 5;
    return o;
}

std::shared_ptr<const rnn::Task> dly_go()
{
    rnn::YangOptions o;
    o.input_noise = false;
    return rnn::make_yang_task("dly_go", o);
}

double sample_sd(const std::vector<double>& v)
{
    double m = 0, s = 0;
    for (const double x : v) m += x / static_cast<double>(v.size());
    for (const double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
}
}  // namespace

TEST(Perturbation, LevelZeroLeavesOutputsBitIdenticalForEveryKind)
{
    const auto task = dly_go();
    const rnn::RateNetwork net(network_options(40, *task));
    const rnn::TrialBatch batch = task->generate(6, 9);
    const rnn::NetworkRun reference = net.run_euler(batch);
    for (const rnn::PerturbationKind kind : rnn::perturbation_kinds()) {
        const rnn::PerturbedTest test = rnn::perturb(net, task, batch, {kind, 0, 77});
        const rnn::NetworkRun run = test.network.run_euler(test.batch);
        EXPECT_EQ(run.outputs, reference.outputs) << rnn::perturbation_name(kind);
        EXPECT_EQ(run.states, reference.states) << rnn::perturbation_name(kind);
        EXPECT_EQ(test.task->score(test.batch, run.outputs).per_trial, task->score(batch, reference.outputs).per_trial);
    }
}

TEST(Perturbation, TimeConstantsSpreadByTheLevelsCoefficientOfVariation)
{
    const auto task = dly_go();
    const rnn::RateNetwork net(network_options(3000, *task));
    const rnn::TrialBatch batch = task->generate(1, 1);
    const rnn::PerturbedTest test = rnn::perturb(net, task, batch, {rnn::PerturbationKind::time_constants, 3, 8});
    std::vector<double> ratio;
    for (Eigen::Index i = 0; i < net.tau.size(); ++i) ratio.push_back(test.network.tau(i) / net.tau(i));
    // Lognormal with mean 1 and CV 0.5: log ratio ~ N(-s2/2, s2), s2 = log(1 + 0.25).
    const double s2 = std::log(1.25);
    std::vector<double> logs;
    double mean_log = 0;
    for (const double r : ratio) {
        logs.push_back(std::log(r));
        mean_log += std::log(r) / static_cast<double>(ratio.size());
    }
    EXPECT_NEAR(mean_log, -s2 / 2, 0.02);
    EXPECT_NEAR(sample_sd(logs), std::sqrt(s2), 0.02);
    EXPECT_EQ(test.network.W, net.W);
}

TEST(Perturbation, WeightJitterIsMultiplicativeWithTheLevelsSpread)
{
    const auto task = dly_go();
    const rnn::RateNetwork net(network_options(200, *task));
    const rnn::PerturbedTest test = rnn::perturb(net, task, task->generate(1, 1), {rnn::PerturbationKind::weight_jitter, 2, 8});
    std::vector<double> relative;
    for (Eigen::Index j = 0; j < net.W.cols(); ++j)
        for (Eigen::Index i = 0; i < net.W.rows(); ++i) relative.push_back(test.network.W(i, j) / net.W(i, j) - 1);
    EXPECT_NEAR(sample_sd(relative), rnn::perturbation_strength(2), 0.005);  // 0.25, 40,000 draws
    EXPECT_EQ(test.network.tau, net.tau);
}

TEST(Perturbation, InitialStateSpreadGrowsInQuadrature)
{
    const auto task = dly_go();
    const rnn::RateNetwork net(network_options(500, *task));
    const rnn::PerturbedTest test = rnn::perturb(net, task, task->generate(1, 1), {rnn::PerturbationKind::initial_state, 4, 8});
    const Eigen::MatrixXd x0 = test.network.initial_states(20, 3);
    std::vector<double> free;
    for (Eigen::Index c = 0; c < x0.cols(); ++c)
        for (Eigen::Index i = 0; i < x0.rows() - 3; ++i) free.push_back(x0(i, c));
    EXPECT_NEAR(sample_sd(free), std::sqrt(0.01 + 1.0), 0.03);
    EXPECT_EQ(x0(x0.rows() - 1, 0), 1.0);  // clamped bias units keep their value
    EXPECT_EQ(test.network.W, net.W);
}

TEST(Perturbation, TrialDurationLengthensTheDelayAndKeepsTheDecision)
{
    const auto task = dly_go();
    const rnn::RateNetwork net(network_options(40, *task));
    const rnn::TrialBatch batch = task->generate(4, 2);
    const rnn::PerturbedTest test = rnn::perturb(net, task, batch, {rnn::PerturbationKind::trial_duration, 2, 8});
    const auto extra = static_cast<std::size_t>(std::lround(0.25 * static_cast<double>(batch.steps)));
    ASSERT_EQ(test.batch.steps, batch.steps + extra);
    const std::size_t delay_ms = batch.condition_index("delay_ms");
    for (std::size_t trial = 0; trial < batch.trials; ++trial) {
        EXPECT_EQ(test.batch.epoch(trial, "delay").length(), batch.epoch(trial, "delay").length() + extra);
        EXPECT_DOUBLE_EQ(test.batch.condition(trial, delay_ms), batch.condition(trial, delay_ms) + static_cast<double>(extra) * batch.dt);
        const auto& d0 = batch.epoch(trial, "decision");
        const auto& d1 = test.batch.epoch(trial, "decision");
        ASSERT_EQ(d1.start, d0.start + extra);
        for (std::size_t t = 0; t < d0.length(); ++t)
            for (std::size_t k = 0; k < batch.output_size(); ++k) {
                EXPECT_EQ(test.batch.target(trial, d1.start + t, k), batch.target(trial, d0.start + t, k));
                EXPECT_EQ(test.batch.weight(trial, d1.start + t, k), batch.weight(trial, d0.start + t, k));
            }
    }
    // Without a delay (go), the stimulus epoch is the one lengthened.
    rnn::YangOptions quiet;
    quiet.input_noise = false;
    const std::shared_ptr<const rnn::Task> go = rnn::make_yang_task("go", quiet);
    const rnn::TrialBatch go_batch = go->generate(2, 2);
    const rnn::TrialBatch longer = rnn::stretch_memory_epoch(go_batch, 7);
    EXPECT_EQ(longer.epoch(0, "stimulus").length(), go_batch.epoch(0, "stimulus").length() + 7);
}

TEST(Perturbation, ActivityPulseChangesNothingBeforeItAndSomethingAfter)
{
    const auto task = dly_go();
    const rnn::RateNetwork net(network_options(40, *task));
    const rnn::TrialBatch batch = task->generate(3, 4);
    const rnn::NetworkRun reference = net.run_euler(batch);
    const rnn::PerturbedTest test = rnn::perturb(net, task, batch, {rnn::PerturbationKind::activity, 3, 8, 100});
    const rnn::NetworkRun run = test.network.run_euler(test.batch);
    for (std::size_t trial = 0; trial < batch.trials; ++trial) {
        const auto& delay = batch.epoch(trial, "delay");
        const std::size_t width = 5;  // 100 ms at 20 ms
        const std::size_t start = delay.start + (delay.length() - width) / 2;
        double before = 0, after = 0;
        for (std::size_t t = 0; t < start; ++t)
            for (std::size_t i = 0; i < 40; ++i) before = std::max(before, std::abs(run.state(trial, t, i) - reference.state(trial, t, i)));
        for (std::size_t i = 0; i < 37; ++i) after = std::max(after, std::abs(run.state(trial, start, i) - reference.state(trial, start, i)));
        EXPECT_LT(before, 1e-12) << trial;
        EXPECT_GT(after, 1e-3) << trial;
        for (std::size_t i = 37; i < 40; ++i) EXPECT_EQ(run.state(trial, start, i), reference.state(trial, start, i));
    }
}

TEST(Perturbation, TaskLevelsAreTheOtherYangTasksNearestFirst)
{
    EXPECT_EQ(rnn::related_tasks("go"), (std::vector<std::string>{"dly_go", "anti", "msdm", "dly_anti", "dly_msdm"}));
    EXPECT_EQ(rnn::related_tasks("dly_go"), (std::vector<std::string>{"go", "dly_anti", "dly_msdm", "anti", "msdm"}));
    EXPECT_EQ(rnn::related_tasks("dly_msdm"), (std::vector<std::string>{"dly_go", "dly_anti", "msdm", "go", "anti"}));
    const auto task = dly_go();
    const rnn::RateNetwork net(network_options(40, *task));
    const rnn::PerturbedTest test = rnn::perturb(net, task, task->generate(3, 1), {rnn::PerturbationKind::task, 5, 8});
    EXPECT_EQ(test.task->name(), "msdm");
    EXPECT_EQ(test.batch.task, "msdm");
    EXPECT_EQ(test.batch.trials, 3u);
    EXPECT_EQ(test.network.W, net.W);

    const std::shared_ptr<const rnn::Task> rdm = rnn::make_task("mcmahan_rdm");
    const rnn::RateNetwork rdm_net(network_options(20, *rdm));
    expect_field([&] { rnn::perturb(rdm_net, rdm, rdm->generate(2, 1), {rnn::PerturbationKind::task, 1, 8}); }, "task");
    expect_field([&] { rnn::perturb(net, task, task->generate(1, 1), {rnn::PerturbationKind::weight_jitter, 6, 8}); }, "level");
    expect_field([] { rnn::perturbation_kind("jitter", "perturb.kinds[0]"); }, "perturb.kinds[0]");
}
