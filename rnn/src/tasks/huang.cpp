#include <neurode/rnn/tasks/huang.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {

void require_positive(const std::string& field, double value)
{
    if (!(std::isfinite(value) && value > 0))
        throw invalid_parameter(field, "must be finite and > 0, got " + std::to_string(value));
}

void require_non_negative(const std::string& field, double value)
{
    if (!(std::isfinite(value) && value >= 0))
        throw invalid_parameter(field, "must be finite and >= 0, got " + std::to_string(value));
}

// Tasks without phases: the whole trial is the stimulus, the other aligned epochs are empty.
std::vector<Epoch> whole_trial_epochs(std::size_t steps)
{
    return {{"fixation", 0, 0}, {"stimulus", 0, steps}, {"delay", steps, steps}, {"decision", steps, steps}};
}

std::vector<std::string> numbered(const std::string& prefix, std::size_t n)
{
    std::vector<std::string> names;
    for (std::size_t i = 0; i < n; ++i) names.push_back(prefix + std::to_string(i));
    return names;
}

std::vector<std::string> per_axis(const std::string& prefix, std::size_t dimension)
{
    static const char* const axes[] = {"x", "y", "z"};
    std::vector<std::string> names;
    for (std::size_t d = 0; d < dimension; ++d) names.push_back(prefix + axes[d]);
    return names;
}

void check_outputs(const Task& task, const TrialBatch& batch, std::span<const double> outputs)
{
    if (batch.task != task.name())
        throw invalid_parameter("batch", "was made by task '" + batch.task + "', not '" + task.name() + "'");
    if (outputs.size() != batch.targets.size())
        throw invalid_parameter("outputs", "must have " + std::to_string(batch.targets.size()) +
                                               " values ([trials][steps][outputs]), got " +
                                               std::to_string(outputs.size()));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Flip-flop

void FlipFlopOptions::validate() const
{
    if (bits == 0) throw invalid_parameter("bits", "must be >= 1");
    if (!(pulse_probability >= 0 && pulse_probability <= 1))
        throw invalid_parameter("pulse_probability", "must be in [0, 1], got " + std::to_string(pulse_probability));
    require_positive("trial_ms", trial_ms);
    require_positive("dt", dt);
}

FlipFlopTask::FlipFlopTask(FlipFlopOptions options) : options_(std::move(options)) { options_.validate(); }

TrialBatch FlipFlopTask::generate(std::size_t trials, std::uint64_t seed) const
{
    const std::size_t n = options_.bits;
    const std::size_t steps = to_steps(options_.trial_ms, options_.dt, 1);
    std::vector<std::string> conditions{"pulses"};
    for (const auto& s : numbered("initial_", n)) conditions.push_back(s);
    TrialBatch b(name(), trials, steps, options_.dt, numbered("pulse_", n), numbered("bit_", n), conditions);
    sim::Rng rng(seed);
    for (std::size_t i = 0; i < trials; ++i) {
        double pulses = 0;
        std::vector<double> held(n, 0.0);
        for (std::size_t t = 0; t < steps; ++t)
            for (std::size_t k = 0; k < n; ++k) {
                if (t == 0 || rng.bernoulli(options_.pulse_probability)) {
                    const double sign = rng.bernoulli(0.5) ? 1.0 : -1.0;
                    b.input(i, t, k) = sign;
                    held[k] = sign;
                    pulses += 1;
                    if (t == 0) b.condition(i, 1 + k) = sign;
                }
                b.target(i, t, k) = held[k];
                b.weight(i, t, k) = 1.0;
            }
        b.condition(i, 0) = pulses;
        b.epochs[i] = whole_trial_epochs(steps);
    }
    return b;
}

Score FlipFlopTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    check_outputs(*this, batch, outputs);
    const std::size_t width = batch.output_size();
    Score s;
    s.measure = "bit_accuracy";
    double right = 0, counted = 0;
    for (std::size_t i = 0; i < batch.trials; ++i) {
        double trial_right = 0, trial_counted = 0;
        for (std::size_t t = 0; t < batch.steps; ++t)
            for (std::size_t k = 0; k < width; ++k) {
                if (batch.weight(i, t, k) == 0) continue;
                const double y = outputs[(i * batch.steps + t) * width + k];
                const double target = batch.target(i, t, k);
                trial_right += (y > 0 && target > 0) || (y < 0 && target < 0) ? 1.0 : 0.0;
                trial_counted += 1;
            }
        s.per_trial.push_back(trial_counted > 0 ? trial_right / trial_counted : 0.0);
        right += trial_right;
        counted += trial_counted;
    }
    s.value = counted > 0 ? right / counted : 0.0;
    return s;
}

Score FlipFlopTask::r2_score(const TrialBatch& batch, std::span<const double> outputs) const
{
    check_outputs(*this, batch, outputs);
    return rnn::r2_score(batch, outputs);
}

// ---------------------------------------------------------------------------------------------
// Sine wave

void SineWaveOptions::validate() const
{
    require_positive("min_frequency_hz", min_frequency_hz);
    require_positive("max_frequency_hz", max_frequency_hz);
    if (max_frequency_hz < min_frequency_hz)
        throw invalid_parameter("max_frequency_hz", "must be >= min_frequency_hz");
    if (frequency_count == 0) throw invalid_parameter("frequency_count", "must be >= 1");
    if (!std::isfinite(input_offset)) throw invalid_parameter("input_offset", "must be finite");
    require_positive("trial_ms", trial_ms);
    require_positive("dt", dt);
}

SineWaveTask::SineWaveTask(SineWaveOptions options) : options_(std::move(options)) { options_.validate(); }

double SineWaveTask::frequency_from_input(double input) const
{
    return (input - options_.input_offset) * options_.max_frequency_hz;
}

TrialBatch SineWaveTask::generate(std::size_t trials, std::uint64_t seed) const
{
    const std::size_t steps = to_steps(options_.trial_ms, options_.dt, 1);
    TrialBatch b(name(), trials, steps, options_.dt, {"frequency"}, {"sine"}, {"frequency_hz"});
    const std::size_t count = options_.frequency_count;
    const double spacing =
        count > 1 ? (options_.max_frequency_hz - options_.min_frequency_hz) / static_cast<double>(count - 1) : 0.0;
    sim::Rng rng(seed);
    for (std::size_t i = 0; i < trials; ++i) {
        const double f = options_.min_frequency_hz + spacing * static_cast<double>(rng.index(count));
        const double u = f / options_.max_frequency_hz + options_.input_offset;
        for (std::size_t t = 0; t < steps; ++t) {
            const double seconds = static_cast<double>(t) * options_.dt / 1000.0;
            b.input(i, t, 0) = u;
            b.target(i, t, 0) = std::sin(2 * std::numbers::pi * f * seconds);
            b.weight(i, t, 0) = 1.0;
        }
        b.condition(i, 0) = f;
        b.epochs[i] = whole_trial_epochs(steps);
    }
    return b;
}

Score SineWaveTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    check_outputs(*this, batch, outputs);
    return r2_score(batch, outputs);
}

// ---------------------------------------------------------------------------------------------
// Delayed discrimination

namespace {
// PsychRNN scales frequencies over the range of its pairs.
constexpr double lowest_hz = 10, highest_hz = 34;
}  // namespace

void DelayedDiscriminationOptions::validate() const
{
    if (frequency_pairs.empty()) throw invalid_parameter("frequency_pairs", "needs at least one pair");
    for (std::size_t p = 0; p < frequency_pairs.size(); ++p) {
        const auto [a, b] = frequency_pairs[p];
        const std::string field = "frequency_pairs[" + std::to_string(p) + "]";
        require_positive(field, a);
        require_positive(field, b);
        if (a == b) throw invalid_parameter(field, "the two frequencies must differ");
    }
    if (!(std::isfinite(high) && std::isfinite(low) && high > low))
        throw invalid_parameter("high", "must be finite and > low");
    require_non_negative("stimulus_noise", stimulus_noise);
    fixation.validate("fixation");
    stimulus.validate("stimulus");
    delay.validate("delay");
    stimulus2.validate("stimulus2");
    decision.validate("decision");
    require_positive("dt", dt);
}

DelayedDiscriminationTask::DelayedDiscriminationTask(DelayedDiscriminationOptions options)
    : options_(std::move(options))
{
    options_.validate();
}

double DelayedDiscriminationTask::encode(double frequency_hz)
{
    return 0.4 + 0.8 * (frequency_hz - lowest_hz) / (highest_hz - lowest_hz);
}

double DelayedDiscriminationTask::decode(double input0)
{
    return lowest_hz + (input0 - 0.4) * (highest_hz - lowest_hz) / 0.8;
}

TrialBatch DelayedDiscriminationTask::generate(std::size_t trials, std::uint64_t seed) const
{
    const auto& o = options_;
    const double dt = o.dt;
    // Stimuli and decision get at least one step so that every trial can be answered.
    const std::size_t steps = to_steps(o.fixation.max(), dt) + to_steps(o.stimulus.max(), dt, 1) +
                              to_steps(o.delay.max(), dt) + to_steps(o.stimulus2.max(), dt, 1) +
                              to_steps(o.decision.max(), dt, 1);
    TrialBatch b(name(), trials, steps, dt, {"f_positive", "f_negative"}, {"f1>f2", "f1<f2"}, {"f1", "f2", "choice"});
    const double noise_sd = o.stimulus_noise * std::sqrt(0.02 * std::sqrt(10 * dt));
    sim::Rng rng(seed);
    for (std::size_t i = 0; i < trials; ++i) {
        const std::size_t fixation = to_steps(o.fixation.sample(rng), dt);
        const std::size_t stimulus = to_steps(o.stimulus.sample(rng), dt, 1);
        const std::size_t delay = to_steps(o.delay.sample(rng), dt);
        const std::size_t stimulus2 = to_steps(o.stimulus2.sample(rng), dt, 1);
        const std::size_t decision = to_steps(o.decision.sample(rng), dt, 1);
        const auto [a, c] = o.frequency_pairs[rng.index(o.frequency_pairs.size())];
        const bool in_order = rng.bernoulli(0.5);
        const double f1 = in_order ? a : c, f2 = in_order ? c : a;
        const std::size_t choice = f1 > f2 ? 0 : 1;

        std::vector<Epoch> e{{"fixation", 0, fixation}};
        e.push_back({"stimulus", e.back().stop, e.back().stop + stimulus});
        e.push_back({"delay", e.back().stop, e.back().stop + delay});
        e.push_back({"stimulus2", e.back().stop, e.back().stop + stimulus2});
        e.push_back({"decision", e.back().stop, e.back().stop + decision});

        for (std::size_t t = 0; t < steps; ++t)
            for (std::size_t k = 0; k < 2; ++k) b.input(i, t, k) = noise_sd > 0 ? rng.normal(0, noise_sd) : 0.0;
        for (const auto& [epoch, f] : {std::pair{e[1], f1}, std::pair{e[3], f2}})
            for (std::size_t t = epoch.start; t < epoch.stop; ++t) {
                b.input(i, t, 0) += encode(f);
                b.input(i, t, 1) += 1.6 - encode(f);  // the mirror, 0.4 + 0.8 (34 - f) / 24
            }
        for (std::size_t t = e[4].start; t < e[4].stop; ++t)
            for (std::size_t k = 0; k < 2; ++k) {
                b.target(i, t, k) = k == choice ? o.high : o.low;
                b.weight(i, t, k) = 1.0;
            }
        b.condition(i, 0) = f1;
        b.condition(i, 1) = f2;
        b.condition(i, 2) = static_cast<double>(choice);
        b.epochs[i] = std::move(e);
    }
    return b;
}

Score DelayedDiscriminationTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    check_outputs(*this, batch, outputs);
    std::vector<double> correct;
    for (std::size_t i = 0; i < batch.trials; ++i) {
        double chosen[2] = {0, 0}, truth[2] = {0, 0};
        for (std::size_t t = 0; t < batch.steps; ++t)
            for (std::size_t k = 0; k < 2; ++k) {
                const double w = batch.weight(i, t, k);
                chosen[k] += w * outputs[(i * batch.steps + t) * 2 + k];
                truth[k] += w * batch.target(i, t, k);
            }
        correct.push_back((chosen[1] > chosen[0]) == (truth[1] > truth[0]) ? 1.0 : 0.0);
    }
    return accuracy_score(std::move(correct));
}

// ---------------------------------------------------------------------------------------------
// Path integration

void PathIntegrationOptions::validate() const
{
    if (dimension != 2 && dimension != 3)
        throw invalid_parameter("dimension", "must be 2 or 3, got " + std::to_string(dimension));
    require_positive("box_size", box_size);
    require_non_negative("speed_sd", speed_sd);
    require_positive("velocity_timescale", velocity_timescale);
    require_positive("trial_ms", trial_ms);
    require_positive("dt", dt);
}

PathIntegrationTask::PathIntegrationTask(PathIntegrationOptions options) : options_(std::move(options))
{
    options_.validate();
}

std::size_t PathIntegrationTask::input_size() const
{
    return options_.random_start ? 2 * options_.dimension : options_.dimension;
}

TrialBatch PathIntegrationTask::generate(std::size_t trials, std::uint64_t seed) const
{
    const auto& o = options_;
    const std::size_t n = o.dimension;
    const std::size_t steps = to_steps(o.trial_ms, o.dt, 1);
    std::vector<std::string> inputs = per_axis("velocity_", n);
    if (o.random_start)
        for (const auto& s : per_axis("start_", n)) inputs.push_back(s);
    std::vector<std::string> conditions = per_axis("start_", n);
    conditions.push_back("reflections");
    TrialBatch b(name(), trials, steps, o.dt, inputs, per_axis("position_", n), conditions);

    const double half = o.box_size / 2, side = o.box_size;
    const double dt_s = o.dt / 1000.0;
    // Exact OU update over one step: v <- a v + sd sqrt(1 - a^2) N(0, 1) keeps sd stationary.
    const double a = std::exp(-o.dt / o.velocity_timescale);
    const double kick = o.speed_sd * std::sqrt(1 - a * a);
    sim::Rng rng(seed);
    for (std::size_t i = 0; i < trials; ++i) {
        std::vector<double> x(n, 0.0), v(n);
        for (std::size_t d = 0; d < n; ++d) {
            if (o.random_start) x[d] = rng.uniform(-half, half);
            b.condition(i, d) = x[d];
            if (o.random_start) b.input(i, 0, n + d) = x[d];
        }
        for (double& vd : v) vd = rng.normal(0, o.speed_sd);
        double reflections = 0;
        for (std::size_t t = 0; t < steps; ++t) {
            for (std::size_t d = 0; d < n; ++d) {
                // Fold the free step back into the box: positions repeat with period 2 side, and
                // each wall crossed mirrors the walk once.
                const double u = x[d] + v[d] * dt_s + half;
                const double crossings = std::abs(std::floor(u / side));
                const double m = u - 2 * side * std::floor(u / (2 * side));
                const double folded = (m <= side ? m : 2 * side - m) - half;
                if (std::fmod(crossings, 2.0) == 1.0) v[d] = -v[d];
                reflections += crossings;
                const double travelled = (folded - x[d]) / dt_s;
                // Clamping only removes rounding, so the position stays the sum of the inputs.
                x[d] = std::clamp(x[d] + travelled * dt_s, -half, half);
                b.input(i, t, d) = travelled;
                b.target(i, t, d) = x[d];
                b.weight(i, t, d) = 1.0;
                v[d] = a * v[d] + kick * rng.normal();
            }
        }
        b.condition(i, n) = reflections;
        b.epochs[i] = whole_trial_epochs(steps);
    }
    return b;
}

Score PathIntegrationTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    check_outputs(*this, batch, outputs);
    return r2_score(batch, outputs);
}

}  // namespace neurode::rnn
