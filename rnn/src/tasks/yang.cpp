#include <neurode/rnn/tasks/yang.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <neurode/rnn/timing.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {

constexpr double pi = std::numbers::pi;

struct RuleInfo {
    YangRule rule;
    std::string_view name;
    std::string_view reference;
    std::size_t index;  // position in the reference's 'all' rule set
};

constexpr std::array<RuleInfo, 6> rule_table{{
    {YangRule::go, "go", "fdgo", 0},
    {YangRule::dly_go, "dly_go", "delaygo", 2},
    {YangRule::anti, "anti", "fdanti", 3},
    {YangRule::dly_anti, "dly_anti", "delayanti", 5},
    {YangRule::msdm, "msdm", "multidm", 10},
    {YangRule::dly_msdm, "dly_msdm", "multidelaydm", 15},
}};

const RuleInfo& info(YangRule rule)
{
    for (const RuleInfo& r : rule_table)
        if (r.rule == rule) return r;
    throw logic_error("YangRule without an entry in the rule table");
}

bool is_go_family(YangRule r)
{
    return r == YangRule::go || r == YangRule::dly_go || r == YangRule::anti || r == YangRule::dly_anti;
}
bool is_anti(YangRule r) { return r == YangRule::anti || r == YangRule::dly_anti; }

double wrap_angle(double a)  // into [0, 2 pi)
{
    const double w = std::fmod(a, 2 * pi);
    return w < 0 ? w + 2 * pi : w;
}

double circular_distance(double a, double b)
{
    const double d = wrap_angle(a - b);
    return std::min(d, 2 * pi - d);
}

// The ring's tuning curve: unit k prefers 2 pi k / n; 0.8 exp(-d^2 / 2) with d in units of pi / 8.
std::vector<double> bump(double angle, std::size_t n)
{
    std::vector<double> b(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double d = circular_distance(angle, 2 * pi * static_cast<double>(k) / static_cast<double>(n)) / (pi / 8);
        b[k] = 0.8 * std::exp(-d * d / 2);
    }
    return b;
}

double pick(sim::Rng& rng, std::span<const double> values) { return rng.choice(values); }
double random_sign(sim::Rng& rng) { return rng.bernoulli(0.5) ? 1.0 : -1.0; }

// What the reference's random mode draws once per batch: the epoch boundaries [steps] and, for
// the Go family, the stimulus modality (0 or 1). The stimulus of go/anti stays on to the end.
struct Schedule {
    std::size_t stim_on = 0, stim_off = 0, stim2_on = 0, stim2_off = 0, go = 0, end = 0;
    std::size_t modality = 0;
};

Schedule draw_schedule(YangRule rule, YangTiming timing, double dt, sim::Rng& rng)
{
    // Random mode floors each piece separately (int(x / dt) in the reference); test mode floors
    // absolute times.
    auto steps = [dt](double ms) { return to_steps(ms, dt); };
    const std::size_t response = steps(500);
    Schedule s;
    if (is_go_family(rule)) s.modality = rng.index(2);
    const bool fixed = timing == YangTiming::fixed;
    switch (rule) {
    case YangRule::go:
    case YangRule::anti:
        s.stim_on = fixed ? steps(500) : steps(rng.uniform(300, 700));
        s.go = fixed ? steps(1500) : s.stim_on + steps(rng.uniform(500, 1500));
        s.end = fixed ? steps(2000) : s.go + response;
        s.stim_off = s.end;
        break;
    case YangRule::dly_go:
    case YangRule::dly_anti: {
        static constexpr std::array<double, 3> ons{300, 500, 700}, durations{200, 400, 600};
        static constexpr std::array<double, 4> delays{200, 400, 800, 1600};
        s.stim_on = fixed ? steps(500) : steps(pick(rng, ons));
        s.stim_off = fixed ? steps(1000) : s.stim_on + steps(pick(rng, durations));
        s.go = fixed ? steps(2000) : s.stim_off + steps(pick(rng, delays));
        s.end = fixed ? steps(2500) : s.go + response;
        break;
    }
    case YangRule::msdm: {
        static constexpr std::array<double, 3> durations{400, 800, 1600};
        s.stim_on = fixed ? steps(500) : steps(rng.uniform(100, 400));
        s.stim_off = fixed ? steps(1500) : s.stim_on + steps(pick(rng, durations));
        s.go = s.stim_off;
        s.end = fixed ? steps(2000) : s.go + response;
        break;
    }
    case YangRule::dly_msdm: {
        static constexpr std::array<double, 3> ons{200, 400, 600}, durations{200, 400, 600};
        static constexpr std::array<double, 4> gaps{200, 400, 800, 1600};
        s.stim_on = fixed ? steps(500) : steps(pick(rng, ons));
        s.stim_off = fixed ? steps(1000) : s.stim_on + steps(pick(rng, durations));
        s.stim2_on = fixed ? steps(2000) : s.stim_off + steps(pick(rng, gaps));
        s.stim2_off = fixed ? steps(2500) : s.stim2_on + steps(pick(rng, durations));
        s.go = fixed ? steps(3000) : s.stim2_off + steps(rng.uniform(100, 300));
        s.end = fixed ? steps(3500) : s.go + response;
        break;
    }
    }
    return s;
}

// The aligned epochs (see the header for the mapping).
std::vector<Epoch> epochs_of(YangRule rule, const Schedule& s)
{
    const std::size_t stimulus_stop = std::min(s.stim_off, s.go);
    if (rule == YangRule::dly_msdm)
        return {{"fixation", 0, s.stim_on},        {"stimulus", s.stim_on, s.stim_off},
                {"delay", s.stim_off, s.stim2_on}, {"stimulus2", s.stim2_on, s.stim2_off},
                {"delay2", s.stim2_off, s.go},     {"decision", s.go, s.end}};
    return {{"fixation", 0, s.stim_on},
            {"stimulus", s.stim_on, stimulus_stop},
            {"delay", stimulus_stop, s.go},
            {"decision", s.go, s.end}};
}

std::vector<std::string> condition_names_of(YangRule rule)
{
    std::vector<std::string> names;
    if (is_go_family(rule))
        names = {"modality", "stim_angle", "target_angle"};
    else
        names = {"stim1_angle",    "stim2_angle",    "target_angle",   "coherence",     "strength1",
                 "strength2",      "strength1_mod1", "strength1_mod2", "strength2_mod1", "strength2_mod2"};
    for (const Epoch& e : epochs_of(rule, Schedule{})) names.push_back(e.name + "_ms");
    return names;
}

struct Stimulus {
    std::size_t modality;  // 0 or 1
    double angle;          // [rad]
    double strength;
    std::size_t on, off;   // [steps]
};

struct TrialPlan {
    Schedule schedule;
    std::vector<Stimulus> stimuli;
    double target_angle = 0;  // [rad]
    std::vector<double> conditions;
};

TrialPlan draw_go_family(YangRule rule, const Schedule& s, sim::Rng& rng)
{
    TrialPlan p;
    p.schedule = s;
    const double angle = rng.uniform(0, 2 * pi);
    p.stimuli = {{s.modality, angle, 1.0, s.stim_on, s.stim_off}};
    p.target_angle = is_anti(rule) ? wrap_angle(angle + pi) : angle;
    // Modalities are numbered 1 and 2, as in the reference and the input names.
    p.conditions = {static_cast<double>(s.modality + 1), angle, p.target_angle};
    return p;
}

// Both stimuli appear in both modalities; the target is the one with the larger strength summed
// over modalities. Each stimulus's mean strength is split unequally between the modalities, so
// neither modality alone decides the trial.
TrialPlan draw_multisensory(YangRule rule, const Schedule& s, std::span<const double> coherences, sim::Rng& rng)
{
    TrialPlan p;
    p.schedule = s;
    const double angle1 = rng.uniform(0, 2 * pi);
    const double angle2 = wrap_angle(angle1 + rng.uniform(0.5 * pi, 1.5 * pi) * random_sign(rng));
    const double mean = rng.uniform(0.8, 1.2);
    const double coherence = rng.choice(coherences);
    const double sign = random_sign(rng);
    const double mean1 = mean + coherence * sign, mean2 = mean - coherence * sign;
    auto split = [&rng](double m) {
        const double diff = m * rng.uniform(0.2, 0.8) * random_sign(rng);
        return std::array<double, 2>{m + diff / 2, m - diff / 2};
    };
    const auto s1 = split(mean1), s2 = split(mean2);
    const bool second = rule == YangRule::dly_msdm;
    const std::size_t on2 = second ? s.stim2_on : s.stim_on, off2 = second ? s.stim2_off : s.stim_off;
    for (std::size_t m = 0; m < 2; ++m) {
        p.stimuli.push_back({m, angle1, s1[m], s.stim_on, s.stim_off});
        p.stimuli.push_back({m, angle2, s2[m], on2, off2});
    }
    const double total1 = s1[0] + s1[1], total2 = s2[0] + s2[1];
    p.target_angle = total1 > total2 ? angle1 : angle2;
    p.conditions = {angle1, angle2, p.target_angle, coherence, total1, total2, s1[0], s1[1], s2[0], s2[1]};
    return p;
}

}  // namespace

double YangOptions::input_noise_sd() const { return input_noise ? sigma_x * std::sqrt(2 / alpha()) : 0.0; }

void YangOptions::validate() const
{
    if (!(std::isfinite(dt_ms) && dt_ms > 0)) throw invalid_parameter("dt_ms", "must be finite and > 0 ms");
    if (!(std::isfinite(tau_ms) && tau_ms >= dt_ms))
        throw invalid_parameter("tau_ms", "must be finite and >= dt_ms, so that alpha = dt / tau <= 1");
    if (ring_units < 3) throw invalid_parameter("ring_units", "must be >= 3 to encode an angle on the ring");
    if (rule_units <= rule_table.back().index)
        throw invalid_parameter("rule_units", "must be >= " + std::to_string(rule_table.back().index + 1) +
                                                  " to hold every rule's one-hot index (the reference uses 20)");
    if (!(std::isfinite(sigma_x) && sigma_x >= 0)) throw invalid_parameter("sigma_x", "must be finite and >= 0");
    auto check_coherences = [](const std::vector<double>& cs, const std::string& field) {
        if (cs.empty()) throw invalid_parameter(field, "needs at least one coherence");
        for (std::size_t i = 0; i < cs.size(); ++i)
            if (!(cs[i] > 0 && cs[i] < 0.8))
                throw invalid_parameter(field + "[" + std::to_string(i) + "]",
                                        "must lie in (0, 0.8), got " + std::to_string(cs[i]));
    };
    check_coherences(msdm_coherences, "msdm_coherences");
    check_coherences(dly_msdm_coherences, "dly_msdm_coherences");
}

YangTask::YangTask(YangRule rule, YangOptions options) : rule_(rule), options_(std::move(options))
{
    options_.validate();
}

std::string YangTask::name() const { return std::string(info(rule_).name); }
std::string YangTask::reference_name() const { return std::string(info(rule_).reference); }
std::size_t YangTask::rule_index() const { return info(rule_).index; }
std::size_t YangTask::input_size() const { return 1 + 2 * options_.ring_units + options_.rule_units; }
std::size_t YangTask::output_size() const { return 1 + options_.ring_units; }

TrialBatch YangTask::generate(std::size_t trials, std::uint64_t seed) const
{
    const std::size_t n = options_.ring_units;
    const double dt = options_.dt_ms;
    sim::Rng rng(seed);
    // Its own stream, so that switching the noise off leaves every trial's conditions unchanged.
    sim::Rng noise_rng = rng.split();

    const std::vector<double>& coherences =
        rule_ == YangRule::msdm ? options_.msdm_coherences : options_.dly_msdm_coherences;
    const bool shared = options_.timing == YangTiming::per_batch;
    Schedule s;
    if (shared) s = draw_schedule(rule_, options_.timing, dt, rng);
    std::vector<TrialPlan> plans;
    plans.reserve(trials);
    std::size_t steps = 0;
    for (std::size_t i = 0; i < trials; ++i) {
        if (!shared) s = draw_schedule(rule_, options_.timing, dt, rng);
        plans.push_back(is_go_family(rule_) ? draw_go_family(rule_, s, rng)
                                            : draw_multisensory(rule_, s, coherences, rng));
        steps = std::max(steps, s.end);
    }

    std::vector<std::string> inputs{"fixation"}, outputs{"fixation"};
    for (std::size_t m = 1; m <= 2; ++m)
        for (std::size_t k = 0; k < n; ++k)
            inputs.push_back("mod" + std::to_string(m) + "_ring[" + std::to_string(k) + "]");
    for (std::size_t r = 0; r < options_.rule_units; ++r) inputs.push_back("rule[" + std::to_string(r) + "]");
    for (std::size_t k = 0; k < n; ++k) outputs.push_back("ring[" + std::to_string(k) + "]");
    TrialBatch batch(name(), trials, steps, dt, std::move(inputs), std::move(outputs), condition_names_of(rule_));

    const std::size_t rule_input = 1 + 2 * n + rule_index();
    const std::size_t grace = to_steps(100, dt);  // unweighted steps at the start and after the go cue
    const double noise_sd = options_.input_noise_sd();
    for (std::size_t i = 0; i < trials; ++i) {
        const TrialPlan& p = plans[i];
        const Schedule& s = p.schedule;
        batch.epochs[i] = epochs_of(rule_, s);
        for (std::size_t c = 0; c < p.conditions.size(); ++c) batch.condition(i, c) = p.conditions[c];
        const std::size_t first_duration = p.conditions.size();
        for (std::size_t e = 0; e < batch.epochs[i].size(); ++e)
            batch.condition(i, first_duration + e) = static_cast<double>(batch.epochs[i][e].length()) * dt;

        for (std::size_t t = 0; t < s.end; ++t) {
            batch.input(i, t, 0) = t < s.go ? 1.0 : 0.0;
            batch.input(i, t, rule_input) = 1.0;
        }
        for (const Stimulus& st : p.stimuli) {
            const std::vector<double> b = bump(st.angle, n);
            for (std::size_t t = st.on; t < st.off; ++t)
                for (std::size_t k = 0; k < n; ++k)
                    batch.input(i, t, 1 + st.modality * n + k) += st.strength * b[k];
        }

        const std::vector<double> response = bump(p.target_angle, n);
        for (std::size_t t = 0; t < s.end; ++t) {
            const bool responding = t >= s.go;
            batch.target(i, t, 0) = responding ? 0.05 : 0.8;
            for (std::size_t k = 0; k < n; ++k) batch.target(i, t, 1 + k) = 0.05 + (responding ? response[k] : 0.0);
            const double w = (t >= grace && t < s.go) ? 1.0 : (t >= s.go + grace ? 5.0 : 0.0);
            batch.weight(i, t, 0) = 2 * w;  // fixation matters twice as much
            for (std::size_t k = 0; k < n; ++k) batch.weight(i, t, 1 + k) = w;
        }

        if (noise_sd > 0)
            for (std::size_t t = 0; t < s.end; ++t)
                for (std::size_t k = 0; k < batch.input_size(); ++k)
                    batch.input(i, t, k) += noise_rng.normal(0, noise_sd);
    }
    return batch;
}

Score YangTask::score(const TrialBatch& batch, std::span<const double> outputs) const
{
    if (batch.output_size() != output_size())
        throw invalid_parameter("batch", "has " + std::to_string(batch.output_size()) + " outputs, task '" + name() +
                                             "' has " + std::to_string(output_size()));
    if (outputs.size() != batch.targets.size())
        throw invalid_parameter("outputs", "must have trials x steps x outputs = " +
                                               std::to_string(batch.targets.size()) + " values, got " +
                                               std::to_string(outputs.size()));
    const std::size_t n = options_.ring_units;
    const std::size_t target_column = batch.condition_index("target_angle");
    std::vector<double> correct(batch.trials, 0.0);
    for (std::size_t i = 0; i < batch.trials; ++i) {
        const std::size_t last = batch.epoch(i, "decision").stop - 1;
        const double* y = outputs.data() + (i * batch.steps + last) * batch.output_size();
        const bool fixating = y[0] > 0.5;
        double total = 0, c = 0, s = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const double pref = 2 * pi * static_cast<double>(k) / static_cast<double>(n);
            total += y[1 + k];
            c += y[1 + k] * std::cos(pref);
            s += y[1 + k] * std::sin(pref);
        }
        // The reference normalises by the summed output before atan2: a zero sum gives no angle
        // (incorrect), a negative sum turns the angle by pi.
        if (fixating || total == 0) continue;
        const double angle = wrap_angle(std::atan2(s / total, c / total));
        correct[i] = circular_distance(angle, batch.condition(i, target_column)) < 0.2 * pi ? 1.0 : 0.0;
    }
    return accuracy_score(std::move(correct));
}

std::unique_ptr<YangTask> make_yang_task(std::string_view name, YangOptions options)
{
    for (const RuleInfo& r : rule_table)
        if (name == r.name || name == r.reference) return std::make_unique<YangTask>(r.rule, std::move(options));
    std::string known;
    for (const RuleInfo& r : rule_table)
        known += (known.empty() ? "" : ", ") + std::string(r.name) + " (" + std::string(r.reference) + ")";
    throw invalid_parameter("task", "unknown Yang et al. 2019 task '" + std::string(name) + "'; known: " + known);
}

}  // namespace neurode::rnn
