#include <neurode/rnn/training.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

namespace {
std::uint64_t splitmix64(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

bool criterion_met(const TrainingHistory& h, const TrainingOptions& o)
{
    std::size_t seen = 0;
    double lowest = std::numeric_limits<double>::infinity();
    for (auto it = h.entries.rbegin(); it != h.entries.rend() && seen < o.window; ++it) {
        if (std::isnan(it->validation_score)) continue;
        lowest = std::min(lowest, it->validation_score);
        ++seen;
    }
    return seen == o.window && lowest >= o.target;
}

void write_checkpoint(const Learner& learner, const TrainingHistory& history, const std::filesystem::path& path)
{
    sim::h5::Writer out(path);
    out.set_attribute("/", "format", "neurode-training-checkpoint");
    out.set_attribute("/", "format_version", std::int64_t{1});
    learner.save_state(out, "/learner");
    history.write(out, "/history");
    out.commit();
}
}  // namespace

std::uint64_t iteration_seed(std::uint64_t seed, std::uint64_t iteration) { return splitmix64(seed ^ splitmix64(iteration)); }

void TrainingOptions::validate() const
{
    if (!std::isfinite(target))
        throw invalid_parameter("target", "must be finite");
    if (window == 0) throw invalid_parameter("window", "must be > 0");
    if (validation_trials == 0) throw invalid_parameter("validation_trials", "must be > 0");
    if (validate_every == 0) throw invalid_parameter("validate_every", "must be > 0");
    if (max_trials == 0 && max_iterations == 0)
        throw invalid_parameter("max_trials", "a budget is needed: max_trials or max_iterations must be > 0");
    if (!checkpoint.empty() && checkpoint_every == 0) throw invalid_parameter("checkpoint_every", "must be > 0");
}

double masked_mse(const TrialBatch& batch, std::span<const double> outputs)
{
    if (outputs.size() != batch.targets.size())
        throw invalid_parameter("outputs", "must have the shape of the batch's targets (" +
                                               std::to_string(batch.targets.size()) + " values), has " +
                                               std::to_string(outputs.size()));
    double sum = 0, weight = 0;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const double d = outputs[i] - batch.targets[i];
        sum += batch.mask[i] * d * d;
        weight += batch.mask[i];
    }
    return weight > 0 ? sum / weight : 0.0;
}

TrainingHistory train(Learner& learner, const Task& task, const TrainingOptions& options,
                      const ProgressCallback& progress)
{
    options.validate();
    const TrialBatch validation = task.generate(options.validation_trials, options.validation_seed);

    TrainingHistory history;
    history.learner = learner.name();
    history.task = task.name();
    if (!options.checkpoint.empty() && std::filesystem::exists(options.checkpoint)) {
        const sim::h5::Reader in(options.checkpoint);
        if (in.string_attribute("/", "format") != "neurode-training-checkpoint")
            throw io_error(options.checkpoint.string(), "not a neurode training checkpoint");
        history = TrainingHistory::read(in, "/history");
        if (history.learner != learner.name() || history.task != task.name())
            throw invalid_parameter("checkpoint", "was written by learner '" + history.learner + "' on task '" +
                                                      history.task + "', not '" + learner.name() + "' on '" +
                                                      task.name() + "'");
        learner.load_state(in, "/learner");
        // A finished run is finished, unless the budget has since grown.
        history.stop_reason.clear();
        history.reached_criterion = false;
    }

    const auto started = std::chrono::steady_clock::now();
    const double wall_before = history.wall_seconds;
    std::size_t trials_seen = history.entries.empty() ? 0 : history.entries.back().trials_seen;
    std::size_t iteration = history.entries.empty() ? 0 : history.entries.back().iteration + 1;
    for (;; ++iteration) {
        if (criterion_met(history, options)) {
            history.reached_criterion = true;
            history.stop_reason = "criterion";
            break;
        }
        if (options.max_iterations > 0 && iteration >= options.max_iterations) {
            history.stop_reason = "max_iterations";
            break;
        }
        if (options.max_trials > 0 && trials_seen >= options.max_trials) {
            history.stop_reason = "max_trials";
            break;
        }
        const IterationResult result = learner.iterate(task, iteration_seed(options.seed, iteration));
        trials_seen += result.trials;
        HistoryEntry entry{iteration, trials_seen, result.loss, std::numeric_limits<double>::quiet_NaN()};
        if (iteration % options.validate_every == 0) {
            const Score score = task.score(validation, learner.outputs(validation));
            history.measure = score.measure;
            entry.validation_score = score.value;
        }
        history.entries.push_back(entry);
        history.wall_seconds = wall_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (progress) progress(history, options);
        if (!options.checkpoint.empty() && (iteration + 1) % options.checkpoint_every == 0)
            write_checkpoint(learner, history, options.checkpoint);
    }
    if (history.reached_criterion) history.trials_to_criterion = trials_seen;
    history.wall_seconds = wall_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!options.checkpoint.empty()) write_checkpoint(learner, history, options.checkpoint);
    return history;
}

void TrainingHistory::write(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    out.set_attribute(group, "learner", learner);
    out.set_attribute(group, "task", task);
    out.set_attribute(group, "measure", measure);
    out.set_attribute(group, "reached_criterion", std::int64_t{reached_criterion});
    out.set_attribute(group, "trials_to_criterion", static_cast<std::int64_t>(trials_to_criterion));
    out.set_attribute(group, "stop_reason", stop_reason);
    out.set_attribute(group, "wall_seconds", wall_seconds);
    std::vector<std::int64_t> iterations, trials;
    std::vector<double> loss, score;
    for (const HistoryEntry& e : entries) {
        iterations.push_back(static_cast<std::int64_t>(e.iteration));
        trials.push_back(static_cast<std::int64_t>(e.trials_seen));
        loss.push_back(e.loss);
        score.push_back(e.validation_score);
    }
    out.write(group + "/iteration", iterations);
    out.write(group + "/trials_seen", trials);
    out.write(group + "/loss", loss);
    out.write(group + "/validation_score", score);
}

TrainingHistory TrainingHistory::read(const sim::h5::Reader& in, const std::string& group)
{
    TrainingHistory h;
    h.learner = in.string_attribute(group, "learner");
    h.task = in.string_attribute(group, "task");
    h.measure = in.string_attribute(group, "measure");
    h.reached_criterion = in.int_attribute(group, "reached_criterion") != 0;
    h.trials_to_criterion = static_cast<std::size_t>(in.int_attribute(group, "trials_to_criterion"));
    h.stop_reason = in.string_attribute(group, "stop_reason");
    h.wall_seconds = in.double_attribute(group, "wall_seconds");
    const auto iterations = in.read_ints(group + "/iteration");
    const auto trials = in.read_ints(group + "/trials_seen");
    const auto loss = in.read_doubles(group + "/loss");
    const auto score = in.read_doubles(group + "/validation_score");
    if (trials.size() != iterations.size() || loss.size() != iterations.size() || score.size() != iterations.size())
        throw io_error(group, "history datasets differ in length");
    for (std::size_t i = 0; i < iterations.size(); ++i)
        h.entries.push_back({static_cast<std::size_t>(iterations[i]), static_cast<std::size_t>(trials[i]), loss[i], score[i]});
    return h;
}

}  // namespace neurode::rnn
