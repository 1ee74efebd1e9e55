#include <neurode/rnn/timing.hpp>

#include <algorithm>
#include <cmath>

#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

Duration Duration::fixed(double ms) { return {Kind::fixed, ms, ms, ms, {}}; }
Duration Duration::uniform(double low_ms, double high_ms) { return {Kind::uniform, 0, low_ms, high_ms, {}}; }
Duration Duration::choice(std::vector<double> ms) { return {Kind::choice, 0, 0, 0, std::move(ms)}; }
Duration Duration::truncated_exponential(double mean_ms, double low_ms, double high_ms)
{
    return {Kind::truncated_exponential, mean_ms, low_ms, high_ms, {}};
}

double Duration::sample(sim::Rng& rng) const
{
    switch (kind) {
    case Kind::fixed: return value;
    case Kind::uniform: return rng.uniform(low, high);
    case Kind::choice: return choices[rng.index(choices.size())];
    case Kind::truncated_exponential:
        for (;;) {
            const double d = -value * std::log(1.0 - rng.uniform());
            if (d >= low && d <= high) return d;
        }
    }
    return value;
}

double Duration::max() const
{
    switch (kind) {
    case Kind::fixed: return value;
    case Kind::choice: return *std::max_element(choices.begin(), choices.end());
    case Kind::uniform:
    case Kind::truncated_exponential: return high;
    }
    return value;
}

void Duration::validate(const std::string& field) const
{
    auto ok = [](double v) { return std::isfinite(v) && v >= 0; };
    switch (kind) {
    case Kind::fixed:
        if (!ok(value)) throw invalid_parameter(field, "must be finite and >= 0 ms, got " + std::to_string(value));
        return;
    case Kind::uniform:
        if (!ok(low) || !ok(high) || low > high)
            throw invalid_parameter(field, "uniform bounds must be finite, >= 0 and ordered (low <= high)");
        return;
    case Kind::choice:
        if (choices.empty()) throw invalid_parameter(field, "needs at least one choice");
        for (double c : choices)
            if (!ok(c)) throw invalid_parameter(field, "every choice must be finite and >= 0 ms, got " + std::to_string(c));
        return;
    case Kind::truncated_exponential:
        if (!(ok(value) && value > 0) || !ok(low) || !ok(high) || low > high)
            throw invalid_parameter(field, "truncated exponential needs mean > 0 and bounds 0 <= low <= high");
        return;
    }
}

std::size_t to_steps(double duration_ms, double dt_ms, std::size_t minimum)
{
    // The small slack keeps 500 / 20 at 25 steps despite rounding.
    const auto steps = static_cast<std::size_t>(std::floor(duration_ms / dt_ms + 1e-9));
    return std::max(steps, minimum);
}

}  // namespace neurode::rnn
