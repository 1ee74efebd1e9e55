#include <neurode/rnn/tasks/working_memory.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

#include <neurode/rnn/timing.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {

bool analog(CueKind kind) { return kind != CueKind::identity; }

struct CueSteps {
    std::size_t onset, offset, steps;
};

// Boundaries from absolute times, so that rounding does not accumulate over the epochs.
CueSteps cue_steps(const WorkingMemoryOptions& o)
{
    return {to_steps(o.cue_onset_ms, o.dt), to_steps(o.cue_onset_ms + o.cue_ms, o.dt), to_steps(o.trial_ms(), o.dt)};
}

void require(bool ok, const std::string& field, const std::string& constraint, double value)
{
    if (!ok) throw invalid_parameter(field, constraint + ", got " + std::to_string(value));
}

}  // namespace

void WorkingMemoryOptions::validate() const
{
    if (cue == CueKind::analog_set) {
        if (analog_values.empty()) throw invalid_parameter("analog_values", "needs at least one cue value");
        for (std::size_t k = 0; k < analog_values.size(); ++k)
            for (double v : analog_values[k])
                require(std::isfinite(v), "analog_values[" + std::to_string(k) + "]", "must be finite", v);
    }
    require(std::isfinite(analog_range) && analog_range > 0, "analog_range", "must be finite and > 0", analog_range);
    if (identities < 2) throw invalid_parameter("identities", "must be >= 2, got " + std::to_string(identities));
    require(std::isfinite(cue_amplitude) && cue_amplitude > 0, "cue_amplitude", "must be finite and > 0", cue_amplitude);
    require(std::isfinite(dt) && dt > 0, "dt", "must be finite and > 0 ms", dt);
    require(std::isfinite(cue_onset_ms) && cue_onset_ms >= 0, "cue_onset_ms", "must be finite and >= 0 ms", cue_onset_ms);
    require(std::isfinite(cue_ms) && cue_ms > 0, "cue_ms", "must be finite and > 0 ms", cue_ms);
    require(std::isfinite(delay_ms) && delay_ms >= 0, "delay_ms", "must be finite and >= 0 ms", delay_ms);
    const CueSteps s = cue_steps(*this);
    if (s.offset <= s.onset)
        throw invalid_parameter("cue_ms", "must cover at least one step of dt = " + std::to_string(dt) + " ms, got " +
                                              std::to_string(cue_ms) + " ms at onset " + std::to_string(cue_onset_ms));
}

WorkingMemoryTask::WorkingMemoryTask(WorkingMemoryOptions options) : options_(std::move(options))
{
    options_.validate();
}

std::size_t WorkingMemoryTask::input_size() const { return analog(options_.cue) ? 2 : options_.identities; }

TrialBatch WorkingMemoryTask::generate(std::size_t trials, std::uint64_t seed) const
{
    const CueSteps s = cue_steps(options_);
    const std::size_t width = input_size();
    std::vector<std::string> inputs, outputs, conditions;
    if (analog(options_.cue)) {
        inputs = {"cue_x", "cue_y"};
        outputs = {"x", "y"};
        conditions = {"cue_x", "cue_y"};
        if (options_.cue == CueKind::analog_set) conditions.insert(conditions.end(), {"cue_index", "repeat"});
    } else {
        for (std::size_t k = 0; k < width; ++k) {
            inputs.push_back("cue_" + std::to_string(k));
            outputs.push_back("identity_" + std::to_string(k));
        }
        conditions = {"identity"};
    }
    TrialBatch b(name(), trials, s.steps, options_.dt, std::move(inputs), std::move(outputs), std::move(conditions));

    sim::Rng rng(seed);
    const std::size_t mask_from = options_.mask_during_cue ? s.onset : s.offset;
    std::vector<double> cue_input(width), target(width);
    for (std::size_t i = 0; i < trials; ++i) {
        switch (options_.cue) {
        case CueKind::analog_set: {
            const std::size_t n = options_.analog_values.size();
            const auto& v = options_.analog_values[i % n];
            cue_input = {v[0], v[1]};
            b.condition(i, 2) = static_cast<double>(i % n);
            b.condition(i, 3) = static_cast<double>(i / n);
            break;
        }
        case CueKind::analog_random:
            for (double& x : cue_input) x = rng.uniform(-options_.analog_range, options_.analog_range);
            break;
        case CueKind::identity: {
            const std::size_t k = rng.index(width);
            std::fill(cue_input.begin(), cue_input.end(), 0.0);
            cue_input[k] = options_.cue_amplitude;
            b.condition(i, 0) = static_cast<double>(k);
            break;
        }
        }
        if (analog(options_.cue)) {
            b.condition(i, 0) = cue_input[0];
            b.condition(i, 1) = cue_input[1];
            target = cue_input;
        } else {
            for (std::size_t k = 0; k < width; ++k) target[k] = cue_input[k] > 0 ? 1.0 : 0.0;
        }
        for (std::size_t t = s.onset; t < s.steps; ++t)
            for (std::size_t k = 0; k < width; ++k) {
                if (t < s.offset) b.input(i, t, k) = cue_input[k];
                b.target(i, t, k) = target[k];
                if (t >= mask_from) b.weight(i, t, k) = 1.0;
            }
        // Decision = the last step, when the delay has one to spare; else empty at the end.
        const std::size_t decision = s.steps > s.offset ? s.steps - 1 : s.steps;
        b.epochs[i] = {{"fixation", 0, s.onset},
                       {"stimulus", s.onset, s.offset},
                       {"delay", s.offset, decision},
                       {"decision", decision, s.steps}};
    }
    return b;
}

Score WorkingMemoryTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    if (batch.task != name())
        throw invalid_parameter("batch", "was made by task '" + batch.task + "', not '" + name() + "'");
    if (outputs.size() != batch.targets.size())
        throw invalid_parameter("outputs", "must have " + std::to_string(batch.targets.size()) +
                                               " values ([trials][steps][outputs]), got " + std::to_string(outputs.size()));
    const std::size_t width = batch.output_size();
    if (!analog(options_.cue)) {
        std::vector<double> correct(batch.trials, 0.0);
        if (batch.steps == 0) return accuracy_score(std::move(correct));
        const std::size_t last = batch.steps - 1;
        for (std::size_t i = 0; i < batch.trials; ++i) {
            std::size_t best = 0;
            for (std::size_t k = 1; k < width; ++k)
                if (outputs[(i * batch.steps + last) * width + k] > outputs[(i * batch.steps + last) * width + best]) best = k;
            correct[i] = batch.target(i, last, best) == 1.0 ? 1.0 : 0.0;
        }
        return accuracy_score(std::move(correct));
    }
    return r2_score(batch, outputs, R2Baseline::batch);
}

}  // namespace neurode::rnn
