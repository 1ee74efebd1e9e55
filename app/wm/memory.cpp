#include "wm/memory.hpp"

#include <cmath>

#include <neurode/sim/errors.hpp>

namespace neurode::app::wm {

analysis::Activity window(const analysis::Activity& a, std::size_t first, std::size_t count)
{
    analysis::Activity out;
    out.trials = a.trials;
    out.steps = count;
    out.units = a.units;
    out.dt = a.dt;
    out.unit = a.unit;
    out.condition_names = a.condition_names;
    out.conditions = a.conditions;
    out.values.reserve(a.trials * count * a.units);
    for (std::size_t t = 0; t < a.trials; ++t) {
        const auto begin = a.values.begin() + static_cast<std::ptrdiff_t>((t * a.steps + first) * a.units);
        out.values.insert(out.values.end(), begin, begin + static_cast<std::ptrdiff_t>(count * a.units));
    }
    return out;
}

std::vector<int> repeat_folds(const rnn::TrialBatch& batch)
{
    const std::size_t repeat = batch.condition_index("repeat");
    std::vector<int> folds;
    for (std::size_t t = 0; t < batch.trials; ++t) folds.push_back(static_cast<int>(batch.condition(t, repeat)));
    return folds;
}

MemoryScore score_memory(const analysis::Activity& activity, const rnn::TrialBatch& batch, double bin_ms,
                         const analysis::DecodingOptions& decoding)
{
    activity.validate();
    if (activity.trials != batch.trials)
        throw invalid_parameter("activity", "has " + std::to_string(activity.trials) + " trials, the batch " +
                                                std::to_string(batch.trials));
    const double onset = static_cast<double>(batch.epoch(0, "stimulus").start) * batch.dt;  // [ms]
    const double offset = static_cast<double>(batch.epoch(0, "stimulus").stop) * batch.dt;
    const auto first = static_cast<std::size_t>(std::ceil(onset / activity.dt - 1e-9));
    if (first >= activity.steps) throw invalid_parameter("activity", "ends before the cue");
    const double bins = bin_ms / activity.dt;
    if (!(bins >= 1 && std::abs(bins - std::round(bins)) < 1e-9))
        throw invalid_parameter("bin_ms", "must be a positive multiple of the activity's dt (" + std::to_string(activity.dt) + " ms)");

    // The activity and the batch's targets from cue onset on, sampled at the activity's points.
    const analysis::Activity features = window(activity, first, activity.steps - first);
    const std::size_t outputs = batch.output_size();
    std::vector<double> targets;
    for (std::size_t t = 0; t < activity.trials; ++t)
        for (std::size_t k = first; k < activity.steps; ++k) {
            const auto step = std::min(batch.steps - 1, static_cast<std::size_t>(static_cast<double>(k) * activity.dt / batch.dt + 1e-9));
            for (std::size_t o = 0; o < outputs; ++o) targets.push_back(batch.target(t, step, o));
        }
    analysis::DecodingOptions options = decoding;
    options.bin = static_cast<std::size_t>(std::round(bins));
    MemoryScore score;
    score.curve = analysis::cross_validated_decoding(features, targets, outputs, repeat_folds(batch), options);
    const double start = static_cast<double>(first) * activity.dt;
    double sum = 0;
    std::size_t counted = 0;
    for (std::size_t b = 0; b < score.curve.time.size(); ++b) {
        // decoding's times count from the features' first point; shift to time since cue onset.
        score.curve.time[b] += start - onset;
        if (score.curve.time[b] - 0.5 * (bin_ms - activity.dt) + onset >= offset - 1e-9) {  // bin starts in the delay
            sum += score.curve.r2[b];
            ++counted;
        }
    }
    score.mse = score.curve.mse;
    score.delay_r2 = counted > 0 ? sum / static_cast<double>(counted) : std::nan("");
    return score;
}

}  // namespace neurode::app::wm
