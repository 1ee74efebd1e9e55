#include <neurode/rnn/tasks/neurogym.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {

constexpr std::size_t fixation_channel = 0;  // the fixation input and the fixation output

// ---- validation ---------------------------------------------------------------------------

void check_dt(double dt_ms)
{
    if (!(std::isfinite(dt_ms) && dt_ms > 0)) throw invalid_parameter("dt_ms", "must be finite and > 0 ms");
}

void check_sigma(double sigma)
{
    if (!(std::isfinite(sigma) && sigma >= 0)) throw invalid_parameter("sigma", "must be finite and >= 0");
}

double shortest_ms(const Duration& d)
{
    switch (d.kind) {
    case Duration::Kind::fixed: return d.value;
    case Duration::Kind::choice: return *std::min_element(d.choices.begin(), d.choices.end());
    case Duration::Kind::uniform:
    case Duration::Kind::truncated_exponential: return d.low;
    }
    return d.value;
}

// Scoring reads the decision epoch's last step, so every trial needs one.
void check_decision(const Duration& decision, double dt_ms)
{
    decision.validate("decision");
    if (to_steps(shortest_ms(decision), dt_ms) == 0)
        throw invalid_parameter("decision", "must last at least one step (dt_ms = " + std::to_string(dt_ms) + " ms)");
}

void check_coherences(const std::vector<double>& coherences)
{
    if (coherences.empty()) throw invalid_parameter("coherences", "needs at least one coherence");
    for (std::size_t i = 0; i < coherences.size(); ++i)
        if (!(std::isfinite(coherences[i]) && coherences[i] >= 0 && coherences[i] <= 100))
            throw invalid_parameter("coherences[" + std::to_string(i) + "]",
                                    "must lie in [0, 100] %, got " + std::to_string(coherences[i]));
}

void check_choices(std::size_t choices)
{
    if (choices < 2) throw invalid_parameter("choices", "must be >= 2");
}

double noise_sd(bool on, double sigma, double dt_ms) { return on ? sigma / std::sqrt(dt_ms) : 0.0; }

// ---- trial layout and the parts every task shares -------------------------------------------

// One trial's epochs in time order; `length` is the trial's own number of steps.
struct Layout {
    std::vector<Epoch> epochs;
    std::size_t length = 0;

    void add(std::string name, std::size_t steps)
    {
        epochs.push_back({std::move(name), length, length + steps});
        length += steps;
    }
    const Epoch& get(std::string_view name) const
    {
        const auto e = std::find_if(epochs.begin(), epochs.end(), [&](const Epoch& x) { return x.name == name; });
        if (e == epochs.end()) throw logic_error("NeuroGym task layout has no epoch '" + std::string(name) + "'");
        return *e;
    }
};

std::size_t draw_steps(const Duration& d, double dt_ms, sim::Rng& rng) { return to_steps(d.sample(rng), dt_ms); }

template <class Plan>
std::size_t longest(const std::vector<Plan>& plans)
{
    std::size_t steps = 0;
    for (const Plan& p : plans) steps = std::max(steps, p.layout.length);
    return steps;
}

std::vector<std::string> numbered(const std::string& prefix, std::size_t n, const std::string& suffix = "")
{
    std::vector<std::string> names;
    for (std::size_t k = 0; k < n; ++k) names.push_back(prefix + std::to_string(k + 1) + suffix);
    return names;
}

std::vector<std::string> fixation_and_choices(std::size_t choices)
{
    std::vector<std::string> names{"fixation"};
    for (std::string& c : numbered("choice", choices)) names.push_back(std::move(c));
    return names;
}

// The fixation input (1 until the decision), one-hot targets of `decision_output` within the
// decision epoch and of fixation elsewhere, and the mask over the trial's own steps; the epochs.
void write_common(TrialBatch& b, std::size_t trial, const Layout& layout, std::size_t decision_output)
{
    const Epoch& decision = layout.get("decision");
    for (std::size_t t = 0; t < layout.length; ++t) {
        const bool deciding = t >= decision.start;
        b.input(trial, t, fixation_channel) = deciding ? 0.0 : 1.0;
        b.target(trial, t, deciding ? decision_output : fixation_channel) = 1.0;
        for (std::size_t k = 0; k < b.output_size(); ++k) b.weight(trial, t, k) = 1.0;
    }
    b.epochs[trial] = layout.epochs;
}

void set_inputs(TrialBatch& b, std::size_t trial, const Epoch& e, std::size_t channel, double value)
{
    for (std::size_t t = e.start; t < e.stop; ++t) b.input(trial, t, channel) = value;
}

void add_noise(TrialBatch& b, std::size_t trial, const Epoch& e, std::size_t first, std::size_t count, double sd,
               sim::Rng& rng)
{
    if (sd == 0) return;
    for (std::size_t t = e.start; t < e.stop; ++t)
        for (std::size_t k = first; k < first + count; ++k) b.input(trial, t, k) += rng.normal(0.0, sd);
}

// cos(theta_k - theta_target) coh / 200 + 0.5 for ring unit k at angle 2 pi k / n.
double ring_drive(std::size_t unit, std::size_t target, std::size_t units, double coherence_percent)
{
    const double step = 2 * std::numbers::pi / static_cast<double>(units);
    const double angle = step * (static_cast<double>(unit) - static_cast<double>(target));
    return std::cos(angle) * coherence_percent / 200 + 0.5;
}

void check_scorable(const Task& task, const TrialBatch& batch, std::span<const double> outputs)
{
    if (batch.task != task.name() || batch.output_size() != task.output_size())
        throw invalid_parameter("batch", "was made by task '" + batch.task + "' with " +
                                             std::to_string(batch.output_size()) + " outputs, not by '" + task.name() +
                                             "'");
    if (outputs.size() != batch.targets.size())
        throw invalid_parameter("outputs", "must have trials x steps x outputs = " +
                                               std::to_string(batch.targets.size()) + " values, got " +
                                               std::to_string(outputs.size()));
}

// NeuroGym's read-out for the choice tasks: argmax over the choice outputs at the decision's last
// step, compared with the ground truth.
Score score_choices(const Task& task, const TrialBatch& batch, std::span<const double> outputs)
{
    check_scorable(task, batch, outputs);
    const std::size_t width = batch.output_size();
    const std::size_t truth = batch.condition_index("ground_truth");
    std::vector<double> correct(batch.trials);
    for (std::size_t i = 0; i < batch.trials; ++i) {
        const std::size_t t = batch.epoch(i, "decision").stop - 1;
        const auto row = outputs.subspan((i * batch.steps + t) * width, width);
        const auto best = std::max_element(row.begin() + 1, row.end());  // the first maximum on ties
        const auto choice = static_cast<double>(best - (row.begin() + 1));
        correct[i] = choice == batch.condition(i, truth) ? 1.0 : 0.0;
    }
    return accuracy_score(std::move(correct));
}

}  // namespace

// ---- perceptual decision making -------------------------------------------------------------

double PerceptualDecisionMakingOptions::input_noise_sd() const { return noise_sd(input_noise, sigma, dt_ms); }

void PerceptualDecisionMakingOptions::validate() const
{
    check_dt(dt_ms);
    check_choices(choices);
    check_coherences(coherences);
    fixation.validate("fixation");
    stimulus.validate("stimulus");
    delay.validate("delay");
    check_decision(decision, dt_ms);
    check_sigma(sigma);
}

PerceptualDecisionMaking::PerceptualDecisionMaking(PerceptualDecisionMakingOptions options)
    : options_(std::move(options))
{
    options_.validate();
}

TrialBatch PerceptualDecisionMaking::generate(std::size_t trials, std::uint64_t seed) const
{
    struct Plan {
        Layout layout;
        std::size_t truth = 0;
        double coherence = 0;  // [%]
    };
    const auto& o = options_;
    sim::Rng rng(seed);
    sim::Rng noise = rng.split();
    std::vector<Plan> plans(trials);
    for (Plan& p : plans) {
        p.truth = rng.index(o.choices);
        p.coherence = rng.choice(std::span<const double>(o.coherences));
        p.layout.add("fixation", draw_steps(o.fixation, o.dt_ms, rng));
        p.layout.add("stimulus", draw_steps(o.stimulus, o.dt_ms, rng));
        p.layout.add("delay", draw_steps(o.delay, o.dt_ms, rng));
        p.layout.add("decision", draw_steps(o.decision, o.dt_ms, rng));
    }
    std::vector<std::string> inputs{"fixation"};
    for (std::string& s : numbered("stim", o.choices)) inputs.push_back(std::move(s));
    TrialBatch b(name(), trials, longest(plans), o.dt_ms, inputs, fixation_and_choices(o.choices),
                 {"ground_truth", "coherence"});
    for (std::size_t i = 0; i < trials; ++i) {
        const Plan& p = plans[i];
        write_common(b, i, p.layout, 1 + p.truth);
        const Epoch& stimulus = p.layout.get("stimulus");
        for (std::size_t k = 0; k < o.choices; ++k)
            set_inputs(b, i, stimulus, 1 + k, ring_drive(k, p.truth, o.choices, p.coherence));
        add_noise(b, i, stimulus, 1, o.choices, o.input_noise_sd(), noise);
        b.condition(i, 0) = static_cast<double>(p.truth);
        b.condition(i, 1) = p.coherence;
    }
    return b;
}

Score PerceptualDecisionMaking::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    return score_choices(*this, batch, outputs);
}

// ---- context-dependent decision making ------------------------------------------------------

double ContextDecisionMakingOptions::input_noise_sd() const { return noise_sd(input_noise, sigma, dt_ms); }

void ContextDecisionMakingOptions::validate() const
{
    check_dt(dt_ms);
    check_choices(choices);
    check_coherences(coherences);
    if (implicit_context_modality > 1)
        throw invalid_parameter("implicit_context_modality", "must be 0 or 1 (there are two modalities)");
    fixation.validate("fixation");
    stimulus.validate("stimulus");
    delay.validate("delay");
    check_decision(decision, dt_ms);
    check_sigma(sigma);
}

ContextDecisionMaking::ContextDecisionMaking(ContextDecisionMakingOptions options) : options_(std::move(options))
{
    options_.validate();
}

std::size_t ContextDecisionMaking::input_size() const
{
    return 1 + 2 * options_.choices + (options_.explicit_context ? 2 : 0);
}

TrialBatch ContextDecisionMaking::generate(std::size_t trials, std::uint64_t seed) const
{
    struct Plan {
        Layout layout;
        std::size_t truth = 0, other = 0, context = 0;
        std::array<std::size_t, 2> choice{};  // the choice each modality points to
        std::array<double, 2> coherence{};    // [%]
    };
    const auto& o = options_;
    const std::span<const double> coherences(o.coherences);
    sim::Rng rng(seed);
    sim::Rng noise = rng.split();
    std::vector<Plan> plans(trials);
    for (Plan& p : plans) {
        p.truth = rng.index(o.choices);
        p.other = rng.index(o.choices);
        p.context = o.explicit_context ? rng.index(2) : o.implicit_context_modality;
        p.coherence = {rng.choice(coherences), rng.choice(coherences)};
        p.choice = p.context == 0 ? std::array{p.truth, p.other} : std::array{p.other, p.truth};
        p.layout.add("fixation", draw_steps(o.fixation, o.dt_ms, rng));
        p.layout.add("stimulus", draw_steps(o.stimulus, o.dt_ms, rng));
        p.layout.add("delay", draw_steps(o.delay, o.dt_ms, rng));
        p.layout.add("decision", draw_steps(o.decision, o.dt_ms, rng));
    }
    std::vector<std::string> inputs{"fixation"};
    for (std::string& s : numbered("stim", o.choices, "_mod1")) inputs.push_back(std::move(s));
    for (std::string& s : numbered("stim", o.choices, "_mod2")) inputs.push_back(std::move(s));
    if (o.explicit_context) {
        inputs.push_back("context1");
        inputs.push_back("context2");
    }
    TrialBatch b(name(), trials, longest(plans), o.dt_ms, inputs, fixation_and_choices(o.choices),
                 {"ground_truth", "context", "choice_mod1", "choice_mod2", "coherence_mod1", "coherence_mod2"});
    const std::size_t context_channel = 1 + 2 * o.choices;
    for (std::size_t i = 0; i < trials; ++i) {
        const Plan& p = plans[i];
        write_common(b, i, p.layout, 1 + p.truth);
        const Epoch& stimulus = p.layout.get("stimulus");
        for (std::size_t m = 0; m < 2; ++m)
            for (std::size_t k = 0; k < o.choices; ++k)
                set_inputs(b, i, stimulus, 1 + m * o.choices + k,
                           ring_drive(k, p.choice[m], o.choices, p.coherence[m]));
        add_noise(b, i, stimulus, 1, 2 * o.choices, o.input_noise_sd(), noise);
        if (o.explicit_context)
            set_inputs(b, i, Epoch{"trial", 0, p.layout.length}, context_channel + p.context, 1.0);
        b.condition(i, 0) = static_cast<double>(p.truth);
        b.condition(i, 1) = static_cast<double>(p.context);
        b.condition(i, 2) = static_cast<double>(p.choice[0]);
        b.condition(i, 3) = static_cast<double>(p.choice[1]);
        b.condition(i, 4) = p.coherence[0];
        b.condition(i, 5) = p.coherence[1];
    }
    return b;
}

Score ContextDecisionMaking::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    return score_choices(*this, batch, outputs);
}

// ---- go/no-go -------------------------------------------------------------------------------

double GoNogoOptions::input_noise_sd() const { return noise_sd(input_noise, sigma, dt_ms); }

void GoNogoOptions::validate() const
{
    check_dt(dt_ms);
    fixation.validate("fixation");
    stimulus.validate("stimulus");
    delay.validate("delay");
    check_decision(decision, dt_ms);
    check_sigma(sigma);
}

GoNogo::GoNogo(GoNogoOptions options) : options_(std::move(options)) { options_.validate(); }

TrialBatch GoNogo::generate(std::size_t trials, std::uint64_t seed) const
{
    struct Plan {
        Layout layout;
        bool go = false;
    };
    const auto& o = options_;
    sim::Rng rng(seed);
    sim::Rng noise = rng.split();
    std::vector<Plan> plans(trials);
    for (Plan& p : plans) {
        p.go = rng.bernoulli(0.5);
        p.layout.add("fixation", draw_steps(o.fixation, o.dt_ms, rng));
        p.layout.add("stimulus", draw_steps(o.stimulus, o.dt_ms, rng));
        p.layout.add("delay", draw_steps(o.delay, o.dt_ms, rng));
        p.layout.add("decision", draw_steps(o.decision, o.dt_ms, rng));
    }
    constexpr std::size_t nogo_channel = 1, go_channel = 2, go_output = 1;
    TrialBatch b(name(), trials, longest(plans), o.dt_ms, {"fixation", "nogo", "go"}, {"fixation", "go"},
                 {"ground_truth"});
    for (std::size_t i = 0; i < trials; ++i) {
        const Plan& p = plans[i];
        write_common(b, i, p.layout, p.go ? go_output : fixation_channel);
        const Epoch& stimulus = p.layout.get("stimulus");
        set_inputs(b, i, stimulus, p.go ? go_channel : nogo_channel, 1.0);
        add_noise(b, i, stimulus, nogo_channel, 2, o.input_noise_sd(), noise);
        b.condition(i, 0) = p.go ? 1.0 : 0.0;
    }
    return b;
}

Score GoNogo::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    check_scorable(*this, batch, outputs);
    std::vector<double> correct(batch.trials);
    for (std::size_t i = 0; i < batch.trials; ++i) {
        const std::size_t t = batch.epoch(i, "decision").stop - 1;
        const std::size_t at = (i * batch.steps + t) * 2;
        const bool responded = outputs[at + 1] > outputs[at];
        correct[i] = responded == (batch.condition(i, 0) == 1.0) ? 1.0 : 0.0;
    }
    return accuracy_score(std::move(correct));
}

// ---- delayed comparison ---------------------------------------------------------------------

double DelayComparisonOptions::input_noise_sd() const { return noise_sd(input_noise, sigma, dt_ms); }

void DelayComparisonOptions::validate() const
{
    check_dt(dt_ms);
    if (frequency_pairs.empty()) throw invalid_parameter("frequency_pairs", "needs at least one pair");
    for (std::size_t i = 0; i < frequency_pairs.size(); ++i) {
        const auto [a, b] = frequency_pairs[i];
        const std::string field = "frequency_pairs[" + std::to_string(i) + "]";
        if (!(std::isfinite(a) && std::isfinite(b) && a >= 0 && b >= 0))
            throw invalid_parameter(field, "frequencies must be finite and >= 0 Hz");
        if (a == b) throw invalid_parameter(field, "the two frequencies must differ, or no answer is correct");
    }
    fixation.validate("fixation");
    stimulus1.validate("stimulus1");
    delay.validate("delay");
    stimulus2.validate("stimulus2");
    check_decision(decision, dt_ms);
    check_sigma(sigma);
}

DelayComparison::DelayComparison(DelayComparisonOptions options) : options_(std::move(options))
{
    options_.validate();
    vmin_ = vmax_ = options_.frequency_pairs.front()[0];
    for (const auto& pair : options_.frequency_pairs)
        for (double v : pair) {
            vmin_ = std::min(vmin_, v);
            vmax_ = std::max(vmax_, v);
        }
}

double DelayComparison::encode(double frequency_hz) const { return (1 + (frequency_hz - vmin_) / (vmax_ - vmin_)) / 2; }

TrialBatch DelayComparison::generate(std::size_t trials, std::uint64_t seed) const
{
    struct Plan {
        Layout layout;
        std::size_t truth = 0;  // 0: f1 > f2
        double f1 = 0, f2 = 0;  // [Hz]
    };
    const auto& o = options_;
    sim::Rng rng(seed);
    sim::Rng noise = rng.split();
    std::vector<Plan> plans(trials);
    for (Plan& p : plans) {
        p.truth = rng.index(2);
        const auto& pair = o.frequency_pairs[rng.index(o.frequency_pairs.size())];
        const double high = std::max(pair[0], pair[1]), low = std::min(pair[0], pair[1]);
        p.f1 = p.truth == 0 ? high : low;
        p.f2 = p.truth == 0 ? low : high;
        p.layout.add("fixation", draw_steps(o.fixation, o.dt_ms, rng));
        p.layout.add("stimulus", draw_steps(o.stimulus1, o.dt_ms, rng));
        p.layout.add("delay", draw_steps(o.delay, o.dt_ms, rng));
        p.layout.add("stimulus2", draw_steps(o.stimulus2, o.dt_ms, rng));
        p.layout.add("decision", draw_steps(o.decision, o.dt_ms, rng));
    }
    constexpr std::size_t stimulus_channel = 1;
    TrialBatch b(name(), trials, longest(plans), o.dt_ms, {"fixation", "stimulus"}, fixation_and_choices(2),
                 {"ground_truth", "f1", "f2"});
    for (std::size_t i = 0; i < trials; ++i) {
        const Plan& p = plans[i];
        write_common(b, i, p.layout, 1 + p.truth);
        for (const auto& [epoch, frequency] : {std::pair{"stimulus", p.f1}, std::pair{"stimulus2", p.f2}}) {
            const Epoch& e = p.layout.get(epoch);
            set_inputs(b, i, e, stimulus_channel, encode(frequency));
            add_noise(b, i, e, stimulus_channel, 1, o.input_noise_sd(), noise);
        }
        b.condition(i, 0) = static_cast<double>(p.truth);
        b.condition(i, 1) = p.f1;
        b.condition(i, 2) = p.f2;
    }
    return b;
}

Score DelayComparison::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    return score_choices(*this, batch, outputs);
}

// ---- probabilistic reasoning ----------------------------------------------------------------

double ProbabilisticReasoningOptions::input_noise_sd() const { return noise_sd(input_noise, sigma, dt_ms); }

void ProbabilisticReasoningOptions::validate() const
{
    check_dt(dt_ms);
    if (shape_weights.empty()) throw invalid_parameter("shape_weights", "needs at least one shape");
    for (std::size_t s = 0; s < shape_weights.size(); ++s)
        if (!std::isfinite(shape_weights[s]))
            throw invalid_parameter("shape_weights[" + std::to_string(s) + "]", "must be finite");
    if (locations == 0) throw invalid_parameter("locations", "must be >= 1");
    fixation.validate("fixation");
    shape.validate("shape");
    delay.validate("delay");
    check_decision(decision, dt_ms);
    check_sigma(sigma);
}

ProbabilisticReasoning::ProbabilisticReasoning(ProbabilisticReasoningOptions options) : options_(std::move(options))
{
    options_.validate();
}

TrialBatch ProbabilisticReasoning::generate(std::size_t trials, std::uint64_t seed) const
{
    struct Plan {
        Layout layout;
        std::vector<std::size_t> shapes, locations;  // of the k-th shown shape
        double log_odds = 0;                         // log10 odds for choice2
        std::size_t truth = 0;
        std::size_t shape_steps = 0;
    };
    const auto& o = options_;
    const std::size_t n_shapes = o.shape_weights.size();
    sim::Rng rng(seed);
    sim::Rng noise = rng.split();
    std::vector<Plan> plans(trials);
    for (Plan& p : plans) {
        p.locations.resize(o.locations);
        for (std::size_t l = 0; l < o.locations; ++l) p.locations[l] = l;
        rng.shuffle(p.locations);
        for (std::size_t k = 0; k < o.locations; ++k) {
            p.shapes.push_back(rng.index(n_shapes));
            p.log_odds += o.shape_weights[p.shapes.back()];
        }
        p.truth = rng.bernoulli(1 / (std::pow(10.0, -p.log_odds) + 1)) ? 1 : 0;
        p.layout.add("fixation", draw_steps(o.fixation, o.dt_ms, rng));
        p.shape_steps = draw_steps(o.shape, o.dt_ms, rng);
        p.layout.add("stimulus", o.locations * p.shape_steps);
        p.layout.add("delay", draw_steps(o.delay, o.dt_ms, rng));
        p.layout.add("decision", draw_steps(o.decision, o.dt_ms, rng));
    }
    std::vector<std::string> inputs{"fixation"};
    for (std::size_t l = 0; l < o.locations; ++l)
        for (std::size_t s = 0; s < n_shapes; ++s)
            inputs.push_back("loc" + std::to_string(l) + "_shape" + std::to_string(s));
    std::vector<std::string> conditions{"ground_truth", "log_odds"};
    for (std::size_t k = 0; k < o.locations; ++k) conditions.push_back("shape" + std::to_string(k));
    for (std::size_t k = 0; k < o.locations; ++k) conditions.push_back("location" + std::to_string(k));
    TrialBatch b(name(), trials, longest(plans), o.dt_ms, inputs, fixation_and_choices(2), conditions);
    for (std::size_t i = 0; i < trials; ++i) {
        const Plan& p = plans[i];
        write_common(b, i, p.layout, 1 + p.truth);
        const Epoch& stimulus = p.layout.get("stimulus");
        for (std::size_t k = 0; k < o.locations; ++k) {
            // Shapes accumulate: the k-th stays on from its onset to the end of the stimulus epoch.
            const Epoch shown{"shape", stimulus.start + k * p.shape_steps, stimulus.stop};
            set_inputs(b, i, shown, 1 + p.locations[k] * n_shapes + p.shapes[k], 1.0);
            b.condition(i, 2 + k) = static_cast<double>(p.shapes[k]);
            b.condition(i, 2 + o.locations + k) = static_cast<double>(p.locations[k]);
        }
        add_noise(b, i, stimulus, 1, o.locations * n_shapes, o.input_noise_sd(), noise);
        b.condition(i, 0) = static_cast<double>(p.truth);
        b.condition(i, 1) = p.log_odds;
    }
    return b;
}

Score ProbabilisticReasoning::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    return score_choices(*this, batch, outputs);
}

// ---- by name --------------------------------------------------------------------------------

std::vector<std::string> neurogym_task_names()
{
    return {"perceptual_decision_making", "context_decision_making", "go_nogo", "delay_comparison",
            "probabilistic_reasoning"};
}

std::unique_ptr<Task> make_neurogym_task(std::string_view name)
{
    if (name == "perceptual_decision_making" || name == "PerceptualDecisionMaking")
        return std::make_unique<PerceptualDecisionMaking>();
    if (name == "context_decision_making" || name == "ContextDecisionMaking")
        return std::make_unique<ContextDecisionMaking>();
    if (name == "go_nogo" || name == "GoNogo") return std::make_unique<GoNogo>();
    if (name == "delay_comparison" || name == "DelayComparison") return std::make_unique<DelayComparison>();
    if (name == "probabilistic_reasoning" || name == "ProbabilisticReasoning")
        return std::make_unique<ProbabilisticReasoning>();
    std::string known;
    for (const std::string& n : neurogym_task_names()) known += (known.empty() ? "" : ", ") + n;
    throw invalid_parameter("task", "unknown NeuroGym task '" + std::string(name) + "'; known: " + known);
}

}  // namespace neurode::rnn
