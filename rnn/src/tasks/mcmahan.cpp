#include <neurode/rnn/tasks/mcmahan.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {

constexpr std::size_t validation_levels = 20;
constexpr double validation_max_mean = 0.1875;
constexpr std::size_t max_contexts = 6;

void check_common(std::size_t steps, double max_mean, double noise_variance, double dt)
{
    // Two steps at least: step 0 (output held at 0) and the decision step must differ.
    if (steps < 2) throw invalid_parameter("steps", "must be >= 2, got " + std::to_string(steps));
    if (!(std::isfinite(max_mean) && max_mean >= 0))
        throw invalid_parameter("max_mean", "must be finite and >= 0, got " + std::to_string(max_mean));
    if (!(std::isfinite(noise_variance) && noise_variance >= 0))
        throw invalid_parameter("noise_variance", "must be finite and >= 0, got " + std::to_string(noise_variance));
    if (!(std::isfinite(dt) && dt > 0)) throw invalid_parameter("dt", "must be finite and > 0 ms, got " + std::to_string(dt));
}

std::vector<Epoch> decision_epochs(std::size_t steps)
{
    const std::size_t last = steps - 1;
    return {{"fixation", 0, 0}, {"stimulus", 0, last}, {"delay", last, last}, {"decision", last, steps}};
}

// The reference's loss: output 0 at step 0, the answer at the last step, nothing in between.
void set_target(TrialBatch& b, std::size_t trial, double answer)
{
    b.target(trial, 0, 0) = 0.0;
    b.weight(trial, 0, 0) = 1.0;
    b.target(trial, b.steps - 1, 0) = answer;
    b.weight(trial, b.steps - 1, 0) = 1.0;
}

double sign_of(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

Score last_step_accuracy(const Task& task, const TrialBatch& batch, std::span<const double> outputs)
{
    if (batch.task != task.name())
        throw invalid_parameter("batch", "was made by task '" + batch.task + "', not '" + task.name() + "'");
    if (outputs.size() != batch.targets.size())
        throw invalid_parameter("outputs", "must have " + std::to_string(batch.targets.size()) +
                                               " values ([trials][steps][outputs]), got " + std::to_string(outputs.size()));
    std::vector<double> correct(batch.trials, 0.0);
    if (batch.steps == 0) return accuracy_score(std::move(correct));
    const std::size_t last = batch.steps - 1;
    for (std::size_t i = 0; i < batch.trials; ++i) {
        const double target = batch.target(i, last, 0);
        const double y = outputs[(i * batch.steps + last) * batch.output_size()];
        correct[i] = (target == 0 || sign_of(y) == target) ? 1.0 : 0.0;
    }
    return accuracy_score(std::move(correct));
}

std::vector<std::string> numbered(const std::string& prefix, std::size_t n)
{
    std::vector<std::string> names;
    for (std::size_t k = 0; k < n; ++k) names.push_back(prefix + std::to_string(k));
    return names;
}

}  // namespace

std::vector<double> mcmahan_validation_means()
{
    std::vector<double> means(validation_levels);
    for (std::size_t k = 0; k < validation_levels; ++k)
        means[k] = validation_max_mean * static_cast<double>(k) / static_cast<double>(validation_levels - 1);
    return means;
}

// ---------------------------------------------------------------------------------------------
// Random dots motion

void RandomDotsOptions::validate() const { check_common(steps, max_mean, noise_variance, dt); }

RandomDotsTask::RandomDotsTask(RandomDotsOptions options) : options_(options) { options_.validate(); }

TrialBatch RandomDotsTask::generate(std::size_t trials, std::uint64_t seed) const { return make_batch(trials, seed, false); }

TrialBatch RandomDotsTask::validation_batch(std::uint64_t seed, std::size_t trials) const
{
    return make_batch(trials, seed, true);
}

TrialBatch RandomDotsTask::make_batch(std::size_t trials, std::uint64_t seed, bool validation) const
{
    const std::size_t steps = options_.steps;
    TrialBatch b(name(), trials, steps, options_.dt, {"evidence"}, {"choice"}, {"mu", "coherence", "direction"});
    const std::vector<double> levels = mcmahan_validation_means();
    const double sd = std::sqrt(options_.noise_variance);
    sim::Rng rng(seed);
    for (std::size_t i = 0; i < trials; ++i) {
        const double coherence = validation ? levels[i % levels.size()] : rng.uniform() * options_.max_mean;
        const double direction = rng.bernoulli(0.5) ? -1.0 : 1.0;
        const double mu = direction * coherence;
        for (std::size_t t = 0; t < steps; ++t) b.input(i, t, 0) = mu + sd * rng.normal();
        set_target(b, i, direction);
        b.condition(i, 0) = mu;
        b.condition(i, 1) = coherence;
        b.condition(i, 2) = direction;
        b.epochs[i] = decision_epochs(steps);
    }
    return b;
}

Score RandomDotsTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    return last_step_accuracy(*this, batch, outputs);
}

// ---------------------------------------------------------------------------------------------
// Context-dependent integration

void ContextIntegrationOptions::validate() const
{
    if (contexts == 0 || contexts > max_contexts)
        throw invalid_parameter("contexts", "must be in [1, 6], got " + std::to_string(contexts));
    check_common(steps, max_mean, noise_variance, dt);
}

ContextIntegrationTask::ContextIntegrationTask(ContextIntegrationOptions options) : options_(options)
{
    options_.validate();
}

TrialBatch ContextIntegrationTask::generate(std::size_t trials, std::uint64_t seed) const
{
    return make_batch(trials, seed, false);
}

TrialBatch ContextIntegrationTask::validation_batch(std::uint64_t seed, std::size_t trials) const
{
    return make_batch(trials, seed, true);
}

TrialBatch ContextIntegrationTask::make_batch(std::size_t trials, std::uint64_t seed, bool validation) const
{
    const std::size_t n = options_.contexts;
    const std::size_t steps = options_.steps;
    std::vector<std::string> inputs = numbered("evidence_", n);
    for (const auto& s : numbered("context_", n)) inputs.push_back(s);
    std::vector<std::string> conditions{"context", "coherence", "target"};
    for (const auto& s : numbered("mu_", n)) conditions.push_back(s);
    TrialBatch b(name(), trials, steps, options_.dt, std::move(inputs), {"choice"}, std::move(conditions));

    const std::vector<double> levels = mcmahan_validation_means();
    const double sd = std::sqrt(options_.noise_variance);
    sim::Rng rng(seed);
    std::vector<double> mu(n);
    for (std::size_t i = 0; i < trials; ++i) {
        const double m = validation ? levels[i % levels.size()] : rng.uniform() * options_.max_mean;
        for (double& v : mu) v = rng.bernoulli(0.5) ? -m : m;
        const std::size_t context = rng.index(n);
        for (std::size_t t = 0; t < steps; ++t) {
            for (std::size_t k = 0; k < n; ++k) b.input(i, t, k) = mu[k] + sd * rng.normal();
            b.input(i, t, n + context) = 1.0;
        }
        const double answer = sign_of(mu[context]);
        set_target(b, i, answer);
        b.condition(i, 0) = static_cast<double>(context);
        b.condition(i, 1) = m;
        b.condition(i, 2) = answer;
        for (std::size_t k = 0; k < n; ++k) b.condition(i, 3 + k) = mu[k];
        b.epochs[i] = decision_epochs(steps);
    }
    return b;
}

Score ContextIntegrationTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    return last_step_accuracy(*this, batch, outputs);
}

}  // namespace neurode::rnn
