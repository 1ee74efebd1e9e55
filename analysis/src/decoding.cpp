#include <neurode/analysis/decoding.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::analysis {

void DecodingOptions::validate() const
{
    ridge.validate();
    if (bin < 1) throw invalid_parameter("bin", "must be >= 1 time point");
}

DecodingCurve cross_validated_decoding(const Activity& features, std::span<const double> targets, std::size_t outputs,
                                       const std::vector<int>& folds, const DecodingOptions& options)
{
    options.validate();
    features.validate("features");
    const std::size_t trials = features.trials, steps = features.steps, units = features.units;
    if (outputs == 0) throw invalid_parameter("outputs", "must be >= 1");
    if (targets.size() != trials * steps * outputs)
        throw invalid_parameter("targets", "must hold trials x steps x outputs = " + std::to_string(trials * steps * outputs) +
                                               " values ([trials][steps][outputs] of the features' trials), has " +
                                               std::to_string(targets.size()));
    for (double v : targets)
        if (!std::isfinite(v)) throw invalid_parameter("targets", "holds a value that is not finite");
    if (folds.size() != trials)
        throw invalid_parameter("folds", "must give one fold per trial (" + std::to_string(trials) + "), has " + std::to_string(folds.size()));
    const int k = *std::max_element(folds.begin(), folds.end()) + 1;
    if (k < 2 || *std::min_element(folds.begin(), folds.end()) < 0) throw invalid_parameter("folds", "must number at least 2 folds from 0");

    DecodingCurve curve;
    curve.predictions.assign(trials * steps * outputs, 0.0);
    const std::size_t per_trial_x = steps * units, per_trial_y = steps * outputs;
    for (int fold = 0; fold < k; ++fold) {
        std::vector<double> x, y, held_out;
        std::vector<std::size_t> test;
        for (std::size_t t = 0; t < trials; ++t) {
            const auto xs = features.values.begin() + static_cast<std::ptrdiff_t>(t * per_trial_x);
            if (folds[t] == fold) {
                test.push_back(t);
                held_out.insert(held_out.end(), xs, xs + static_cast<std::ptrdiff_t>(per_trial_x));
            } else {
                x.insert(x.end(), xs, xs + static_cast<std::ptrdiff_t>(per_trial_x));
                y.insert(y.end(), targets.begin() + static_cast<std::ptrdiff_t>(t * per_trial_y),
                         targets.begin() + static_cast<std::ptrdiff_t>((t + 1) * per_trial_y));
            }
        }
        if (test.empty()) throw invalid_parameter("folds", "fold " + std::to_string(fold) + " has no trials");
        const std::size_t train = trials - test.size();
        const sim::RidgeFit fit = sim::fit_ridge({x, train, steps, units}, {y, train, steps, outputs}, options.ridge);
        const std::vector<double> predicted = fit.readout.predict({held_out, test.size(), steps, units});
        for (std::size_t i = 0; i < test.size(); ++i)
            std::copy_n(predicted.begin() + static_cast<std::ptrdiff_t>(i * per_trial_y), per_trial_y,
                        curve.predictions.begin() + static_cast<std::ptrdiff_t>(test[i] * per_trial_y));
    }

    double squares = 0;
    for (std::size_t i = 0; i < targets.size(); ++i) squares += (curve.predictions[i] - targets[i]) * (curve.predictions[i] - targets[i]);
    curve.mse = squares / static_cast<double>(targets.size());
    for (std::size_t first = 0; first < steps; first += options.bin) {
        const std::size_t last = std::min(steps, first + options.bin);
        curve.time.push_back(features.dt * (static_cast<double>(first + last - 1) / 2.0));
        double score = 0;
        for (std::size_t o = 0; o < outputs; ++o) {
            double mean = 0, count = 0;
            for (std::size_t t = 0; t < trials; ++t)
                for (std::size_t s = first; s < last; ++s) mean += targets[(t * steps + s) * outputs + o], ++count;
            mean /= count;
            double residual = 0, total = 0;
            for (std::size_t t = 0; t < trials; ++t)
                for (std::size_t s = first; s < last; ++s) {
                    const std::size_t i = (t * steps + s) * outputs + o;
                    residual += (targets[i] - curve.predictions[i]) * (targets[i] - curve.predictions[i]);
                    total += (targets[i] - mean) * (targets[i] - mean);
                }
            // scikit-learn: a constant target scores 1 when matched exactly, 0 otherwise.
            score += total > 0 ? 1.0 - residual / total : (residual == 0 ? 1.0 : 0.0);
        }
        curve.r2.push_back(score / static_cast<double>(outputs));
    }
    return curve;
}

}  // namespace neurode::analysis
