#include <neurode/rnn/task.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

TrialBatch::TrialBatch(std::string task_name, std::size_t n_trials, std::size_t n_steps, double step_ms,
                       std::vector<std::string> inputs_named, std::vector<std::string> outputs_named,
                       std::vector<std::string> conditions_named)
    : task(std::move(task_name)), trials(n_trials), steps(n_steps), dt(step_ms), input_names(std::move(inputs_named)),
      output_names(std::move(outputs_named)), epochs(n_trials), condition_names(std::move(conditions_named))
{
    inputs.assign(trials * steps * input_names.size(), 0.0);
    targets.assign(trials * steps * output_names.size(), 0.0);
    mask.assign(trials * steps * output_names.size(), 0.0);
    conditions.assign(trials * condition_names.size(), 0.0);
}

std::size_t TrialBatch::condition_index(std::string_view name) const
{
    for (std::size_t c = 0; c < condition_names.size(); ++c)
        if (condition_names[c] == name) return c;
    throw invalid_parameter("condition", "task '" + task + "' has no condition named '" + std::string(name) + "'");
}

bool TrialBatch::has_epoch(std::size_t trial, std::string_view name) const
{
    for (const Epoch& e : epochs.at(trial))
        if (e.name == name) return true;
    return false;
}

const Epoch& TrialBatch::epoch(std::size_t trial, std::string_view name) const
{
    for (const Epoch& e : epochs.at(trial))
        if (e.name == name) return e;
    throw invalid_parameter("epoch", "trial " + std::to_string(trial) + " of task '" + task + "' has no epoch '" +
                                         std::string(name) + "'");
}

void TrialBatch::check_consistent() const
{
    auto fail = [&](const std::string& what) { throw logic_error("TrialBatch of task '" + task + "': " + what); };
    if (inputs.size() != trials * steps * input_size()) fail("inputs has the wrong size");
    if (targets.size() != trials * steps * output_size()) fail("targets has the wrong size");
    if (mask.size() != targets.size()) fail("mask has the wrong size");
    if (conditions.size() != trials * condition_names.size()) fail("conditions has the wrong size");
    if (epochs.size() != trials) fail("epochs must have one list per trial");
    for (std::size_t i = 0; i < trials; ++i) {
        std::size_t previous_stop = 0;
        for (const Epoch& e : epochs[i]) {
            if (e.start > e.stop || e.stop > steps || e.start < previous_stop)
                fail("trial " + std::to_string(i) + ": epoch '" + e.name + "' [" + std::to_string(e.start) + ", " +
                     std::to_string(e.stop) + ") is out of order or out of range");
            previous_stop = e.stop;
        }
    }
}

TrialBatch with_gaussian_inputs(TrialBatch batch, std::uint64_t seed, double sd)
{
    if (!(std::isfinite(sd) && sd >= 0)) throw invalid_parameter("sd", "must be finite and >= 0");
    const std::size_t width = batch.input_size();
    const std::size_t samples = batch.trials * batch.steps;
    std::vector<double> mean(width, 0.0), spread(width, sd);
    if (sd == 0 && samples > 0) {
        for (std::size_t s = 0; s < samples; ++s)
            for (std::size_t k = 0; k < width; ++k) mean[k] += batch.inputs[s * width + k];
        for (double& m : mean) m /= static_cast<double>(samples);
        for (std::size_t s = 0; s < samples; ++s)
            for (std::size_t k = 0; k < width; ++k) {
                const double d = batch.inputs[s * width + k] - mean[k];
                spread[k] += d * d;
            }
        for (double& v : spread) v = std::sqrt(v / static_cast<double>(samples));
    }
    sim::Rng rng(seed);
    for (std::size_t s = 0; s < samples; ++s)
        for (std::size_t k = 0; k < width; ++k) batch.inputs[s * width + k] = rng.normal(mean[k], spread[k]);
    return batch;
}

Score accuracy_score(std::vector<double> correct)
{
    Score s;
    s.measure = "accuracy";
    double sum = 0;
    for (double c : correct) sum += c;
    s.value = correct.empty() ? 0.0 : sum / static_cast<double>(correct.size());
    s.per_trial = std::move(correct);
    return s;
}

namespace {
// Masked mean of each output channel over trials [first, last); NaN for a channel with no mask.
std::vector<double> channel_means(const TrialBatch& b, std::size_t first, std::size_t last)
{
    const std::size_t width = b.output_size();
    std::vector<double> sum(width, 0.0), count(width, 0.0);
    for (std::size_t i = first; i < last; ++i)
        for (std::size_t t = 0; t < b.steps; ++t)
            for (std::size_t c = 0; c < width; ++c)
                if (b.weight(i, t, c) != 0) {
                    sum[c] += b.target(i, t, c);
                    count[c] += 1;
                }
    for (std::size_t c = 0; c < width; ++c) sum[c] = count[c] > 0 ? sum[c] / count[c] : std::nan("");
    return sum;
}

double r2(const TrialBatch& b, std::span<const double> y, const std::vector<double>& mean, std::size_t first,
          std::size_t last)
{
    const std::size_t width = b.output_size();
    double total = 0;
    std::size_t channels = 0;
    for (std::size_t c = 0; c < width; ++c) {
        double ss_tot = 0, ss_res = 0, n = 0;
        for (std::size_t i = first; i < last; ++i)
            for (std::size_t t = 0; t < b.steps; ++t) {
                if (b.weight(i, t, c) == 0) continue;
                const double target = b.target(i, t, c);
                const double e = y[(i * b.steps + t) * width + c] - target;
                ss_tot += (target - mean[c]) * (target - mean[c]);
                ss_res += e * e;
                n += 1;
            }
        if (n == 0) continue;
        total += ss_tot > 0 ? 1.0 - ss_res / ss_tot : (ss_res == 0 ? 1.0 : 0.0);
        ++channels;
    }
    return channels == 0 ? 0.0 : total / static_cast<double>(channels);
}
}  // namespace

Score r2_score(const TrialBatch& batch, std::span<const double> outputs, R2Baseline per_trial)
{
    if (outputs.size() != batch.targets.size())
        throw invalid_parameter("outputs", "must have " + std::to_string(batch.targets.size()) +
                                               " values ([trials][steps][outputs]), got " + std::to_string(outputs.size()));
    const std::vector<double> batch_means = channel_means(batch, 0, batch.trials);
    Score s;
    s.measure = "r2";
    s.value = r2(batch, outputs, batch_means, 0, batch.trials);
    for (std::size_t i = 0; i < batch.trials; ++i)
        s.per_trial.push_back(r2(batch, outputs, per_trial == R2Baseline::batch ? batch_means : channel_means(batch, i, i + 1), i, i + 1));
    return s;
}

}  // namespace neurode::rnn
