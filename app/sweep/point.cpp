#include "sweep/point.hpp"

#include <algorithm>
#include <memory>

#include <Eigen/Core>

#include <neurode/analysis/geometry.hpp>
#include <neurode/rnn/bptt.hpp>
#include <neurode/rnn/hebbian.hpp>
#include <neurode/rnn/task_registry.hpp>
#include <neurode/rnn/tasks/yang.hpp>
#include <neurode/rnn/training.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::app::sweep {

namespace {

std::shared_ptr<const rnn::Task> make_point_task(const PointSettings& p)
{
    const auto families = rnn::task_families();
    const auto yang = std::find_if(families.begin(), families.end(), [](const rnn::TaskFamily& f) { return f.name == "yang"; });
    if (yang == families.end() || std::find(yang->tasks.begin(), yang->tasks.end(), p.task) == yang->tasks.end())
        return rnn::make_task(p.task);
    rnn::YangOptions o;
    o.tau_ms = p.tau_ms;
    o.sigma_x = p.input_noise;
    return rnn::make_yang_task(p.task, o);
}

// Decision-epoch states, `length` steps per trial from the go cue: rows are trials x steps.
Eigen::MatrixXd decision_states(const rnn::NetworkRun& run, const rnn::TrialBatch& batch, std::size_t length)
{
    Eigen::MatrixXd x(static_cast<Eigen::Index>(batch.trials * length), static_cast<Eigen::Index>(run.units));
    for (std::size_t trial = 0; trial < batch.trials; ++trial) {
        const std::size_t start = batch.epoch(trial, "decision").start;
        for (std::size_t t = 0; t < length; ++t)
            for (std::size_t i = 0; i < run.units; ++i)
                x(static_cast<Eigen::Index>(trial * length + t), static_cast<Eigen::Index>(i)) = run.state(trial, start + t, i);
    }
    return x;
}

std::size_t shortest_decision(const rnn::TrialBatch& batch)
{
    std::size_t shortest = batch.steps;
    for (std::size_t trial = 0; trial < batch.trials; ++trial) shortest = std::min(shortest, batch.epoch(trial, "decision").length());
    return shortest;
}

}  // namespace

void run_point(const SweepDescription& d, const sim::SweepPlan& plan, std::size_t index, sim::h5::Writer& out)
{
    const PointSettings p = d.point(plan, index);
    const std::uint64_t point_seed = plan.seed(index, d.seed);
    const std::shared_ptr<const rnn::Task> task = make_point_task(p);

    rnn::HeterogeneityStudySetup setup = rnn::heterogeneity_study(*task, p.heterogeneity, p.seed, p.tau_ms);
    setup.network.units = p.units;
    setup.network.gain = p.gain;
    setup.network.dale = p.architecture == "rate_dale";
    std::unique_ptr<rnn::Learner> learner;
    const rnn::RateNetwork* trained = nullptr;  // the learner's own network, trained in place
    if (p.learning_rule == "hebbian") {
        if (p.learning_rate > 0) setup.learning.learning_rate = p.learning_rate;
        auto hebbian = std::make_unique<rnn::NodePerturbationLearner>(rnn::RateNetwork(setup.network), setup.learning);
        trained = &hebbian->network();
        learner = std::move(hebbian);
    } else {
        rnn::BpttOptions b;
        b.batch_size = d.train.bptt_batch;
        if (p.learning_rate > 0) b.adam.learning_rate = p.learning_rate;
        b.l2_weight = p.regularisation;
        auto bptt = std::make_unique<rnn::BpttLearner>(rnn::RateNetwork(setup.network), b);
        trained = &bptt->network();
        learner = std::move(bptt);
    }
    const std::size_t trials_per_iteration = p.learning_rule == "hebbian" ? setup.learning.trials_per_iteration : d.train.bptt_batch;

    rnn::TrainingOptions t;
    t.seed = point_seed;
    t.target = d.train.target;
    t.window = d.train.window;
    t.validation_trials = d.train.validation_trials;
    t.validate_every = std::max<std::size_t>(1, d.train.validate_every_trials / trials_per_iteration);
    t.max_trials = d.train.max_trials;
    const rnn::TrainingHistory history = rnn::train(*learner, *task, t);
    const rnn::RateNetwork& network = *trained;

    double final_validation = 0;
    for (const rnn::HistoryEntry& e : history.entries)
        if (e.validation_score == e.validation_score) final_validation = e.validation_score;
    out.create_group("/train");
    out.set_attribute("/train", "reached_criterion", static_cast<std::int64_t>(history.reached_criterion));
    out.set_attribute("/train", "trials_to_criterion", static_cast<std::int64_t>(history.trials_to_criterion));
    out.set_attribute("/train", "trials_seen", static_cast<std::int64_t>(history.entries.empty() ? 0 : history.entries.back().trials_seen));
    out.set_attribute("/train", "final_validation", final_validation);
    out.set_attribute("/train", "wall_seconds", history.wall_seconds);
    out.set_attribute("/train", "learner", history.learner);
    if (d.store_history) history.write(out, "/history");
    if (d.store_network) network.write(out, "/network");
    if (!d.evaluate && !d.perturb) return;

    // The same held-out trials for every network of a task: seeded by the sweep, not the point.
    const rnn::TrialBatch batch = task->generate(d.evaluation_trials, sim::Rng(d.seed).next_u64());
    const rnn::NetworkRun reference = network.run_euler(batch);
    const rnn::Score score = task->score(batch, reference.outputs);
    out.create_group("/evaluate");
    out.set_attribute("/evaluate", "accuracy", score.value);
    out.set_attribute("/evaluate", "measure", score.measure);
    out.set_attribute("/evaluate", "mse", rnn::masked_mse(batch, reference.outputs));
    out.write("/evaluate/per_trial", score.per_trial);
    if (!d.perturb) return;

    const std::size_t levels = static_cast<std::size_t>(d.max_level) + 1;
    for (const rnn::PerturbationKind kind : d.kinds) {
        // One draw per kind, scaled by the level, so that P1..P5 grade the same perturbation.
        rnn::Perturbation perturbation{kind, 0, rnn::iteration_seed(point_seed, 1 + static_cast<std::uint64_t>(kind)), d.pulse_ms};
        std::vector<double> accuracy, cka, shape;
        for (std::size_t level = 0; level < levels; ++level) {
            perturbation.level = static_cast<int>(level);
            const rnn::PerturbedTest test = rnn::perturb(network, task, batch, perturbation);
            const rnn::NetworkRun run = test.network.run_euler(test.batch);
            accuracy.push_back(test.task->score(test.batch, run.outputs).value);
            if (!d.analyse) continue;
            const std::size_t length = std::min(shortest_decision(batch), shortest_decision(test.batch));
            const Eigen::MatrixXd x = decision_states(reference, batch, length), y = decision_states(run, test.batch, length);
            cka.push_back(analysis::cka_angular_distance(x, y));
            shape.push_back(analysis::shape_distance(x, y));
        }
        const std::string group = "/perturb/" + rnn::perturbation_name(kind);
        out.write(group + "/accuracy", accuracy);
        if (d.analyse) {
            out.write(group + "/cka_distance", cka);
            out.write(group + "/shape_distance", shape);
        }
    }
}

}  // namespace neurode::app::sweep
