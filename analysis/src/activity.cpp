#include <neurode/analysis/activity.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <neurode/sim/errors.hpp>

namespace neurode::analysis {

void Activity::validate(std::string_view argument) const
{
    const std::string a(argument);
    if (trials == 0 || steps == 0 || units == 0)
        throw invalid_parameter(a, "is empty (" + std::to_string(trials) + " trials x " + std::to_string(steps) + " steps x " +
                                       std::to_string(units) + " units)");
    if (values.size() != trials * steps * units)
        throw invalid_parameter(a + ".values", "must hold trials x steps x units = " + std::to_string(trials * steps * units) +
                                                   " values, has " + std::to_string(values.size()));
    if (!(std::isfinite(dt) && dt > 0)) throw invalid_parameter(a + ".dt", "must be finite and > 0 ms");
    if (!epochs.empty() && epochs.size() != trials)
        throw invalid_parameter(a + ".epochs", "must be empty or one list per trial (" + std::to_string(trials) + "), has " +
                                                   std::to_string(epochs.size()));
    for (std::size_t t = 0; t < epochs.size(); ++t)
        for (const rnn::Epoch& e : epochs[t])
            if (e.start > e.stop || e.stop > steps)
                throw invalid_parameter(a + ".epochs", "trial " + std::to_string(t) + ": epoch '" + e.name + "' [" +
                                                           std::to_string(e.start) + ", " + std::to_string(e.stop) +
                                                           ") is out of range (" + std::to_string(steps) + " steps)");
    if (conditions.size() != trials * condition_names.size())
        throw invalid_parameter(a + ".conditions", "must hold trials x condition_names = " +
                                                       std::to_string(trials * condition_names.size()) + " values");
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i])) {
            const std::size_t u = i % units, step = (i / units) % steps, trial = i / (units * steps);
            throw invalid_parameter(a + ".values", "is not finite at trial " + std::to_string(trial) + ", step " +
                                                       std::to_string(step) + ", unit " + std::to_string(u));
        }
}

Eigen::MatrixXd Activity::samples() const
{
    Eigen::MatrixXd x(static_cast<Eigen::Index>(trials * steps), static_cast<Eigen::Index>(units));
    for (std::size_t r = 0; r < trials * steps; ++r)
        for (std::size_t u = 0; u < units; ++u) x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(u)) = values[r * units + u];
    return x;
}

Activity Activity::epoch(const std::string& name) const
{
    if (epochs.empty()) throw invalid_parameter("epoch", "this activity carries no epochs");
    std::vector<std::size_t> kept;
    std::vector<rnn::Epoch> found;
    std::size_t length = std::numeric_limits<std::size_t>::max();
    for (std::size_t t = 0; t < trials; ++t)
        for (const rnn::Epoch& e : epochs[t])
            if (e.name == name && e.length() > 0) {
                kept.push_back(t);
                found.push_back(e);
                length = std::min(length, e.length());
                break;
            }
    if (kept.empty()) throw invalid_parameter("epoch", "no trial has a non-empty epoch named '" + name + "'");
    Activity out;
    out.trials = kept.size();
    out.steps = length;
    out.units = units;
    out.dt = dt;
    out.unit = unit;
    out.condition_names = condition_names;
    for (std::size_t k = 0; k < kept.size(); ++k) {
        const std::size_t t = kept[k];
        for (std::size_t s = 0; s < length; ++s)
            for (std::size_t u = 0; u < units; ++u) out.values.push_back(at(t, found[k].start + s, u));
        for (std::size_t c = 0; c < condition_names.size(); ++c) out.conditions.push_back(conditions[t * condition_names.size() + c]);
        out.epochs.push_back({{name, 0, length}});
    }
    return out;
}

}  // namespace neurode::analysis
