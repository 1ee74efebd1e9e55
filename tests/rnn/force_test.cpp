// FORCE, full-FORCE and the echo-state (reservoir) readout as learners: each learns a small task
// in seconds from a readout that starts far off; bad options name the field; a run interrupted at
// a checkpoint resumes with identical results.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <cmath>
#include <filesystem>

#include <neurode/rnn/force.hpp>
#include <neurode/rnn/tasks/huang.hpp>
#include <neurode/sim/readout.hpp>

namespace rnn = neurode::rnn;
namespace sim = neurode::sim;

namespace {

// Sine waves at 1 ms steps: `frequencies` evenly spaced from low_hz to 2 Hz, set by the input.
rnn::SineWaveTask sine_task(std::size_t frequencies, double low_hz, double trial_ms)
{
    rnn::SineWaveOptions o;
    o.frequency_count = frequencies;
    o.min_frequency_hz = low_hz;
    o.max_frequency_hz = 2.0;
    o.trial_ms = trial_ms;
    o.dt = 1.0;
    return rnn::SineWaveTask(o);
}

double r2(const rnn::Learner& learner, const rnn::Task& task, const rnn::TrialBatch& batch)
{
    return task.score(batch, learner.outputs(batch)).value;
}

rnn::TrainingOptions budget(std::size_t iterations)
{
    rnn::TrainingOptions o;
    o.target = 2.0;  // R^2 never reaches it: run the whole budget
    o.validation_trials = 1;
    o.max_iterations = iterations;
    return o;
}

// train() interrupted after `cut` iterations and resumed from its checkpoint in a fresh learner
// gives the losses and weights of an uninterrupted run.
template <class Make>
void expect_resume_identical(Make make, const rnn::Task& task, std::size_t iterations, std::size_t cut,
                             const std::string& file)
{
    auto o = budget(iterations);
    auto whole = make();
    const auto uninterrupted = rnn::train(whole, task, o);

    const auto path = std::filesystem::temp_directory_path() / file;
    std::filesystem::remove(path);
    auto first = o;
    first.max_iterations = cut;
    first.checkpoint = path;
    first.checkpoint_every = 2;
    auto a = make();
    rnn::train(a, task, first);
    auto second = o;
    second.checkpoint = path;
    auto b = make();
    const auto resumed = rnn::train(b, task, second);
    std::filesystem::remove(path);

    ASSERT_EQ(resumed.entries.size(), uninterrupted.entries.size());
    for (std::size_t i = 0; i < resumed.entries.size(); ++i)
        EXPECT_EQ(resumed.entries[i].loss, uninterrupted.entries[i].loss) << i;
    EXPECT_EQ(b.network().Wout, whole.network().Wout);
    EXPECT_EQ(b.network().W, whole.network().W);
}

}  // namespace

TEST(Force, LearnsToGenerateASineWave)
{
    // Sussillo & Abbott's setting at N = 300: a 2 Hz sine wave from a constant input; trained on
    // 1 s trials, then run without learning for 3 s, three times as long.
    const auto task = sine_task(1, 2.0, 1000.0);
    const auto longer = sine_task(1, 2.0, 3000.0);
    const auto check = longer.generate(1, 99);
    rnn::ForceLearner learner(rnn::RateNetwork(rnn::force_network(1, 1, 300)));
    const double before = r2(learner, longer, check);
    EXPECT_LT(before, 0.1);
    EXPECT_GT(rnn::masked_mse(check, learner.outputs(check)), 0.4);  // the target's mean square is 0.5

    const auto history = rnn::train(learner, task, budget(10));
    EXPECT_EQ(history.entries.size(), 10u);
    EXPECT_LT(history.entries.back().loss, 1e-3);
    EXPECT_GT(r2(learner, longer, check), 0.99);
    EXPECT_LT(rnn::masked_mse(check, learner.outputs(check)), 5e-3);
    EXPECT_EQ(learner.rls().updates(), 10u * 1000u / 2u);  // every 2 Euler steps, mask 1 everywhere
    EXPECT_EQ(learner.network().Wout, learner.rls().weights());
}

TEST(FullForce, LearnsInputDependentSineWaves)
{
    // Two frequencies (1 and 2 Hz) chosen by the input: the learner's J starts at 0 and is taught
    // the teacher's currents.
    const auto task = sine_task(2, 1.0, 1000.0);
    const auto check = task.generate(6, 99);
    rnn::FullForceLearner learner(rnn::RateNetwork(rnn::full_force_network(1, 1, 200)));
    EXPECT_EQ(learner.network().W, Eigen::MatrixXd::Zero(200, 200));
    EXPECT_LT(r2(learner, task, check), 0.1);

    rnn::train(learner, task, budget(15));
    EXPECT_GT(r2(learner, task, check), 0.98);
    EXPECT_GT(learner.network().W.norm(), 1.0);
}

TEST(Force, BadOptionsNameTheField)
{
    const auto ok = [] { return rnn::RateNetwork(rnn::force_network(1, 1, 20)); };
    const auto with = [&](auto change, const std::string& field) {
        rnn::ForceOptions o;
        change(o);
        expect_field([&] { o.validate(); }, field);
        expect_field([&] { rnn::ForceLearner(ok(), o); }, field);
        expect_field([&] { rnn::FullForceLearner(ok(), o); }, field);
    };
    with([](rnn::ForceOptions& o) { o.dt_ms = 0; }, "dt_ms");
    with([](rnn::ForceOptions& o) { o.update_every = 0; }, "update_every");
    with([](rnn::ForceOptions& o) { o.alpha = 0; }, "alpha");
    with([](rnn::ForceOptions& o) { o.feedback_scale = -1; }, "feedback_scale");
    with([](rnn::ForceOptions& o) { o.trials_per_iteration = 0; }, "trials_per_iteration");

    auto state_readout = rnn::force_network(1, 1, 20);
    state_readout.readout = rnn::Readout::state;
    expect_field([&] { rnn::ForceLearner(rnn::RateNetwork(state_readout)); }, "readout");
    auto dale = rnn::full_force_network(1, 1, 20);
    dale.dale = true;
    expect_field([&] { rnn::FullForceLearner(rnn::RateNetwork(dale)); }, "dale");

    // The task's 1 ms step is no whole multiple of 0.3 ms; a network for two inputs.
    rnn::ForceOptions coarse;
    coarse.dt_ms = 0.3;
    rnn::ForceLearner learner(ok(), coarse);
    const auto task = sine_task(1, 2.0, 50.0);
    expect_field([&] { learner.iterate(task, 1); }, "dt_ms");
    rnn::ForceLearner two_inputs(rnn::RateNetwork(rnn::force_network(2, 1, 20)));
    expect_field([&] { two_inputs.outputs(task.generate(1, 1)); }, "inputs");

    rnn::ReservoirReadoutOptions ro;
    ro.ridge.lambda = -1;
    expect_field([&] { rnn::ReservoirReadoutLearner(ok(), ro); }, "lambda");
    ro = {};
    ro.trials_per_iteration = 0;
    expect_field([&] { ro.validate(); }, "trials_per_iteration");
}

TEST(Force, CheckpointResumeIsIdentical)
{
    // Private noise on, so the noise streams must resume too; 2 trials per iteration.
    const auto task = sine_task(2, 1.0, 200.0);
    auto net = rnn::force_network(1, 1, 60);
    net.noise_sd = 0.01;
    rnn::ForceOptions o;
    o.trials_per_iteration = 2;
    expect_resume_identical([&] { return rnn::ForceLearner(rnn::RateNetwork(net), o); }, task, 6, 3,
                            "neurode-force-checkpoint-test.h5");
}

TEST(FullForce, CheckpointResumeIsIdentical)
{
    const auto task = sine_task(2, 1.0, 200.0);
    auto net = rnn::full_force_network(1, 1, 40);
    net.noise_sd = 0.01;
    expect_resume_identical([&] { return rnn::FullForceLearner(rnn::RateNetwork(net)); }, task, 6, 3,
                            "neurode-full-force-checkpoint-test.h5");
}

TEST(RidgeReservoirReadout, FitsRidgeOnTheReservoirRatesOfEverythingSeen)
{
    // A 1-bit flip-flop (10 ms steps): an echo-state readout of a fixed reservoir. Two iterations
    // give exactly the ridge fit on the rates of both batches, computed here independently.
    rnn::FlipFlopOptions fo;
    fo.bits = 1;
    fo.pulse_probability = 0.1;
    const rnn::FlipFlopTask task(fo);
    auto net_options = rnn::force_network(1, 1, 150);
    net_options.tau_ms = 20;
    net_options.gain = 0.9;  // echo-state property: fading memory, no chaos
    net_options.input_scale = 2.0;
    const rnn::RateNetwork reservoir(net_options);
    rnn::ReservoirReadoutOptions o;
    o.ridge.lambda = 1e-3;
    o.ridge.warmup = 2;
    o.trials_per_iteration = 16;
    rnn::ReservoirReadoutLearner learner(reservoir, o);
    const auto check = task.generate(50, 99);
    const double before = task.score(check, learner.outputs(check)).value;

    std::vector<double> rates, targets, mask;
    std::size_t trials = 0, steps = 0;
    for (std::uint64_t seed : {11u, 12u}) {
        learner.iterate(task, seed);
        sim::Rng root(seed);
        const auto batch = task.generate(o.trials_per_iteration, root.next_u64());
        const auto run = reservoir.run_euler(batch, root.next_u64());
        for (double x : run.states) rates.push_back(std::tanh(x));
        targets.insert(targets.end(), batch.targets.begin(), batch.targets.end());
        mask.insert(mask.end(), batch.mask.begin(), batch.mask.end());
        trials += batch.trials;
        steps = batch.steps;
    }
    const auto fit = sim::fit_ridge({rates, trials, steps, 150}, {targets, trials, steps, 1}, o.ridge, mask).readout;
    EXPECT_LT((learner.network().Wout - fit.weights).cwiseAbs().maxCoeff(), 1e-8);
    EXPECT_NEAR(learner.network().bout(0), fit.bias(0), 1e-8);
    const double after = task.score(check, learner.outputs(check)).value;
    EXPECT_GT(after, before);
    EXPECT_GT(after, 0.8);
}

TEST(RidgeReservoirReadout, CheckpointResumeIsIdentical)
{
    const auto task = sine_task(2, 1.0, 200.0);
    rnn::ReservoirReadoutOptions o;
    o.trials_per_iteration = 4;
    const rnn::RateNetwork reservoir(rnn::force_network(1, 1, 40));
    expect_resume_identical([&] { return rnn::ReservoirReadoutLearner(reservoir, o); }, task, 6, 3,
                            "neurode-reservoir-checkpoint-test.h5");
}

// Each rule through train(): it meets its criterion on a task it is known to solve, and the
// trials it took are recorded as test properties (trials-to-criterion, as McMahan et al. report).
TEST(ForceFamily, EachReachesItsCriterion)
{
    rnn::TrainingOptions o;
    o.window = 3;
    o.validation_trials = 4;
    o.max_iterations = 40;
    auto expect_criterion = [&](rnn::Learner& learner, const rnn::Task& task, double target) {
        o.target = target;
        const auto history = rnn::train(learner, task, o);
        ASSERT_TRUE(history.reached_criterion) << learner.name() << ": " << history.stop_reason;
        EXPECT_GT(history.trials_to_criterion, 0u);
        RecordProperty(learner.name() + "_trials_to_criterion", std::to_string(history.trials_to_criterion));
        std::cout << learner.name() << " on " << task.name() << ": R^2 or accuracy >= " << target << " after "
                  << history.trials_to_criterion << " trials\n";
    };
    rnn::ForceLearner force(rnn::RateNetwork(rnn::force_network(1, 1, 300)));
    expect_criterion(force, sine_task(1, 2.0, 1000.0), 0.98);
    rnn::FullForceLearner full(rnn::RateNetwork(rnn::full_force_network(1, 1, 200)));
    expect_criterion(full, sine_task(2, 1.0, 1000.0), 0.95);

    rnn::FlipFlopOptions fo;
    fo.bits = 1;
    fo.pulse_probability = 0.1;
    auto reservoir = rnn::force_network(1, 1, 150);
    reservoir.tau_ms = 20;
    reservoir.gain = 0.9;
    reservoir.input_scale = 2.0;
    rnn::ReservoirReadoutOptions ro;
    ro.ridge.lambda = 1e-3;
    ro.ridge.warmup = 2;
    ro.trials_per_iteration = 16;
    rnn::ReservoirReadoutLearner readout{rnn::RateNetwork(reservoir), ro};
    o.validation_trials = 100;
    expect_criterion(readout, rnn::FlipFlopTask(fo), 0.9);
}
