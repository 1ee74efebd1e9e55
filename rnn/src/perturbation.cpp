#include <neurode/rnn/perturbation.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <neurode/rnn/tasks/yang.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {

struct KindInfo {
    PerturbationKind kind;
    std::string_view name;
};
constexpr std::array<KindInfo, 6> kind_table{{
    {PerturbationKind::time_constants, "time_constants"},
    {PerturbationKind::weight_jitter, "weight_jitter"},
    {PerturbationKind::initial_state, "initial_state"},
    {PerturbationKind::trial_duration, "trial_duration"},
    {PerturbationKind::activity, "activity"},
    {PerturbationKind::task, "task"},
}};

// The Yang tasks by the two features that make them differ: a memory epoch, and the rule that
// maps stimulus to response (0 pro, 1 anti, 2 decision between two stimuli).
struct YangFeatures {
    std::string_view name;
    int memory, rule;
};
constexpr std::array<YangFeatures, 6> yang_table{{
    {"go", 0, 0}, {"dly_go", 1, 0}, {"anti", 0, 1}, {"dly_anti", 1, 1}, {"msdm", 0, 2}, {"dly_msdm", 1, 2},
}};

const YangFeatures& yang_features(std::string_view name)
{
    for (const YangFeatures& f : yang_table)
        if (f.name == name) return f;
    throw invalid_parameter("task", "'" + std::string(name) +
                                        "' is not a Yang task: the task perturbation tests on the other Yang tasks "
                                        "(go, dly_go, anti, dly_anti, msdm, dly_msdm)");
}

// The position of the trial's memory epoch among its epochs.
std::size_t find_epoch_index(const TrialBatch& batch, std::size_t trial)
{
    const Epoch& e = memory_epoch(batch, trial);
    const auto& epochs = batch.epochs[trial];
    for (std::size_t k = 0; k < epochs.size(); ++k)
        if (&epochs[k] == &e) return k;
    throw logic_error("memory epoch not among the trial's epochs");
}

TrialBatch with_pulses(const TrialBatch& batch, std::size_t units, std::size_t clamped, double amplitude, double pulse_ms,
                       std::uint64_t seed)
{
    const std::size_t m = batch.input_size(), m2 = m + units;
    TrialBatch out = batch;
    for (std::size_t i = 0; i < units; ++i) out.input_names.push_back("pulse[" + std::to_string(i) + "]");
    out.inputs.assign(batch.trials * batch.steps * m2, 0.0);
    const std::size_t width = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(pulse_ms / batch.dt)));
    sim::Rng rng(seed);
    for (std::size_t trial = 0; trial < batch.trials; ++trial) {
        for (std::size_t t = 0; t < batch.steps; ++t)
            std::copy_n(batch.inputs.begin() + static_cast<std::ptrdiff_t>((trial * batch.steps + t) * m), m,
                        out.inputs.begin() + static_cast<std::ptrdiff_t>((trial * batch.steps + t) * m2));
        std::vector<double> direction(units, 0.0);
        for (std::size_t i = 0; i + clamped < units; ++i) direction[i] = amplitude * rng.normal();
        const Epoch& e = memory_epoch(batch, trial);
        const std::size_t w = std::min(width, std::max<std::size_t>(1, e.length()));
        const std::size_t start = e.start + (e.length() > w ? (e.length() - w) / 2 : 0);
        for (std::size_t t = start; t < std::min(start + w, batch.steps); ++t)
            for (std::size_t i = 0; i < units; ++i) out.inputs[(trial * batch.steps + t) * m2 + m + i] = direction[i];
    }
    return out;
}

}  // namespace

std::vector<PerturbationKind> perturbation_kinds()
{
    std::vector<PerturbationKind> kinds;
    for (const KindInfo& k : kind_table) kinds.push_back(k.kind);
    return kinds;
}

std::string perturbation_name(PerturbationKind kind)
{
    for (const KindInfo& k : kind_table)
        if (k.kind == kind) return std::string(k.name);
    throw logic_error("PerturbationKind without an entry in the kind table");
}

PerturbationKind perturbation_kind(std::string_view name, const std::string& field)
{
    std::string known;
    for (const KindInfo& k : kind_table) {
        if (k.name == name) return k.kind;
        known += (known.empty() ? "" : ", ") + std::string(k.name);
    }
    throw invalid_parameter(field, "unknown perturbation '" + std::string(name) + "' (known: " + known + ")");
}

double perturbation_strength(int level)
{
    if (level < 0 || level > max_perturbation_level) throw invalid_parameter("level", "must be in 0..5 (P0..P5)");
    return heterogeneity_cv(level);
}

void Perturbation::validate() const
{
    perturbation_strength(level);
    if (!(std::isfinite(pulse_ms) && pulse_ms > 0)) throw invalid_parameter("pulse_ms", "must be finite and > 0 ms");
}

std::vector<std::string> related_tasks(std::string_view yang_task)
{
    const YangFeatures& own = yang_features(yang_task);
    std::vector<std::pair<int, std::size_t>> ranked;
    for (std::size_t k = 0; k < yang_table.size(); ++k) {
        if (yang_table[k].name == own.name) continue;
        ranked.push_back({(yang_table[k].memory != own.memory) + (yang_table[k].rule != own.rule), k});
    }
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::string> names;
    for (const auto& [distance, k] : ranked) names.emplace_back(yang_table[k].name);
    return names;
}

const Epoch& memory_epoch(const TrialBatch& batch, std::size_t trial)
{
    if (batch.has_epoch(trial, "delay") && batch.epoch(trial, "delay").length() > 0) return batch.epoch(trial, "delay");
    if (batch.has_epoch(trial, "stimulus")) return batch.epoch(trial, "stimulus");
    throw invalid_parameter("batch", "trial " + std::to_string(trial) + " of task '" + batch.task +
                                         "' has neither a delay nor a stimulus epoch to lengthen or perturb");
}

TrialBatch stretch_memory_epoch(const TrialBatch& batch, std::size_t extra_steps)
{
    if (extra_steps == 0) return batch;
    const std::size_t m = batch.input_size(), o = batch.output_size(), c = batch.condition_names.size();
    TrialBatch out(batch.task, batch.trials, batch.steps + extra_steps, batch.dt, batch.input_names, batch.output_names,
                   batch.condition_names);
    out.conditions = batch.conditions;
    out.epochs = batch.epochs;
    for (std::size_t trial = 0; trial < batch.trials; ++trial) {
        const std::size_t k = find_epoch_index(batch, trial);
        const Epoch e = batch.epochs[trial][k];
        // The new step t shows old step source(t): before the epoch's end unchanged, then the
        // inserted steps, then the rest shifted.
        for (std::size_t t = 0; t < out.steps; ++t) {
            std::size_t in_step, out_step;  // sources of the inputs and of the targets and mask
            if (t < e.stop) {
                in_step = out_step = t;
            } else if (t < e.stop + extra_steps) {
                in_step = e.length() > 0 ? e.start + (t - e.stop) % e.length() : e.stop - 1;
                out_step = e.stop - 1;
            } else {
                in_step = out_step = t - extra_steps;
            }
            if (in_step >= batch.steps) continue;  // past the end: padding (zeros)
            for (std::size_t j = 0; j < m; ++j) out.input(trial, t, j) = batch.input(trial, in_step, j);
            for (std::size_t j = 0; j < o; ++j) {
                out.target(trial, t, j) = batch.target(trial, out_step, j);
                out.weight(trial, t, j) = batch.weight(trial, out_step, j);
            }
        }
        auto& epochs = out.epochs[trial];
        epochs[k].stop += extra_steps;
        for (std::size_t j = k + 1; j < epochs.size(); ++j) {
            epochs[j].start += extra_steps;
            epochs[j].stop += extra_steps;
        }
        const auto name = std::find(batch.condition_names.begin(), batch.condition_names.end(), e.name + "_ms");
        if (name != batch.condition_names.end())
            out.conditions[trial * c + static_cast<std::size_t>(name - batch.condition_names.begin())] +=
                static_cast<double>(extra_steps) * batch.dt;
    }
    out.check_consistent();
    return out;
}

RateNetwork with_options(const RateNetwork& network, const RateNetworkOptions& options)
{
    RateNetwork copy(options);
    copy.W = network.W;
    if (options.inputs == network.options().inputs) copy.Win = network.Win;
    copy.b = network.b;
    copy.Wout = network.Wout;
    copy.bout = network.bout;
    copy.tau = network.tau;
    copy.mask = network.mask;
    copy.sign = network.sign;
    copy.validate();
    return copy;
}

PerturbedTest perturb(const RateNetwork& network, std::shared_ptr<const Task> task, const TrialBatch& batch,
                      const Perturbation& p)
{
    p.validate();
    if (!task) throw invalid_parameter("task", "is empty");
    PerturbedTest test{network, batch, task};
    if (p.level == 0) return test;
    const double s = perturbation_strength(p.level);
    const RateNetworkOptions& o = network.options();
    const auto n = static_cast<Eigen::Index>(network.units());
    sim::Rng rng(p.seed);
    switch (p.kind) {
    case PerturbationKind::time_constants: {
        const auto f = draw_time_constants(network.units(), p.level, 1.0, std::numeric_limits<double>::min(),
                                           std::numeric_limits<double>::infinity(), rng.next_u64());
        for (Eigen::Index i = 0; i < n; ++i)
            test.network.tau(i) = std::clamp(network.tau(i) * f[static_cast<std::size_t>(i)], o.tau_min_ms, o.tau_max_ms);
        break;
    }
    case PerturbationKind::weight_jitter:
        for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index i = 0; i < n; ++i) test.network.W(i, j) *= 1.0 + s * rng.normal();
        break;
    case PerturbationKind::initial_state: {
        RateNetworkOptions changed = o;
        const double sd0 = o.initial_state == InitialState::gaussian ? o.initial_sd : 0.0;
        if (o.initial_state == InitialState::zeros) changed.initial_value = 0;
        changed.initial_state = InitialState::gaussian;
        changed.initial_sd = std::sqrt(sd0 * sd0 + s * s);
        test.network = with_options(network, changed);
        break;
    }
    case PerturbationKind::trial_duration: {
        const auto extra = static_cast<std::size_t>(std::lround(s * static_cast<double>(batch.steps)));
        test.batch = stretch_memory_epoch(batch, extra);
        break;
    }
    case PerturbationKind::activity: {
        RateNetworkOptions changed = o;
        changed.inputs = o.inputs + network.units();
        test.network = with_options(network, changed);
        test.network.Win.resize(n, static_cast<Eigen::Index>(changed.inputs));
        test.network.Win << network.Win, Eigen::MatrixXd::Identity(n, n);
        test.batch = with_pulses(batch, network.units(), o.clamped_units, s, p.pulse_ms, rng.next_u64());
        break;
    }
    case PerturbationKind::task: {
        yang_features(task->name());  // throws for a task outside the Yang set
        const auto* yang = dynamic_cast<const YangTask*>(task.get());
        if (!yang) throw logic_error("a task named like a Yang task is not a YangTask");
        const std::string other = related_tasks(task->name()).at(static_cast<std::size_t>(p.level - 1));
        std::shared_ptr<const Task> other_task = make_yang_task(other, yang->options());
        test.batch = other_task->generate(batch.trials, rng.next_u64());
        test.task = std::move(other_task);
        break;
    }
    }
    return test;
}

}  // namespace neurode::rnn
