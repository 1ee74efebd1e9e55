#include <neurode/neurons/drives.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::neurons {

namespace {
constexpr double per_ms_per_hz = 1e-3;

// A unit-rate exponential draw; 1 - u is in (0, 1], so the logarithm is finite.
double unit_exponential(sim::Rng& rng) { return -std::log(1.0 - rng.uniform()); }

void check_window(double start_ms, double stop_ms)
{
    if (!std::isfinite(start_ms)) throw invalid_parameter("start_ms", "must be finite");
    if (!(std::isfinite(stop_ms) && stop_ms >= start_ms))
        throw invalid_parameter("stop_ms", "must be finite and >= start_ms (" + std::to_string(start_ms) + " ms)");
}

void check_dt(double dt_ms)
{
    if (!(std::isfinite(dt_ms) && dt_ms > 0)) throw invalid_parameter("dt_ms", "must be finite and > 0");
}
}  // namespace

std::vector<double> poisson_spike_train(double rate_hz, double start_ms, double stop_ms, std::uint64_t seed)
{
    if (!(std::isfinite(rate_hz) && rate_hz >= 0)) throw invalid_parameter("rate_hz", "must be finite and >= 0 Hz");
    check_window(start_ms, stop_ms);
    std::vector<double> spikes;
    if (rate_hz == 0) return spikes;
    const double rate = rate_hz * per_ms_per_hz;  // [1/ms]
    sim::Rng rng(seed);
    spikes.reserve(static_cast<std::size_t>(rate * (stop_ms - start_ms) * 1.2) + 8);
    for (double t = start_ms + unit_exponential(rng) / rate; t < stop_ms; t += unit_exponential(rng) / rate) spikes.push_back(t);
    return spikes;
}

std::vector<double> inhomogeneous_poisson_spike_train(const std::function<double(double)>& rate_hz, double max_rate_hz,
                                                      double start_ms, double stop_ms, std::uint64_t seed)
{
    if (!rate_hz) throw invalid_parameter("rate_hz", "must be a function");
    if (!(std::isfinite(max_rate_hz) && max_rate_hz >= 0)) throw invalid_parameter("max_rate_hz", "must be finite and >= 0 Hz");
    check_window(start_ms, stop_ms);
    std::vector<double> spikes;
    if (max_rate_hz == 0) return spikes;
    const double bound = max_rate_hz * per_ms_per_hz;  // [1/ms]
    sim::Rng rng(seed);
    // Each candidate takes two draws, its interval and its acceptance, in that order.
    for (double t = start_ms + unit_exponential(rng) / bound; t < stop_ms; t += unit_exponential(rng) / bound) {
        const double r = rate_hz(t);
        if (!(std::isfinite(r) && r >= 0 && r <= max_rate_hz))
            throw invalid_parameter("rate_hz", "is " + std::to_string(r) + " Hz at " + std::to_string(t) +
                                                   " ms, outside [0, max_rate_hz = " + std::to_string(max_rate_hz) + " Hz]");
        if (rng.uniform() * max_rate_hz < r) spikes.push_back(t);
    }
    return spikes;
}

std::vector<double> inhomogeneous_poisson_spike_train(std::span<const double> rate_hz, double dt_ms, double t0_ms,
                                                      std::uint64_t seed)
{
    check_dt(dt_ms);
    if (!std::isfinite(t0_ms)) throw invalid_parameter("t0_ms", "must be finite");
    for (std::size_t k = 0; k < rate_hz.size(); ++k)
        if (!(std::isfinite(rate_hz[k]) && rate_hz[k] >= 0))
            throw invalid_parameter("rate_hz[" + std::to_string(k) + "]", "must be finite and >= 0 Hz");
    std::vector<double> spikes;
    sim::Rng rng(seed);
    // Time rescaling: the next spike comes where the integrated rate has grown by a unit-rate
    // exponential draw `left` since the last one.
    double left = unit_exponential(rng);
    for (std::size_t k = 0; k < rate_hz.size(); ++k) {
        const double rate = rate_hz[k] * per_ms_per_hz;  // [1/ms]
        if (rate == 0) continue;
        const double end = t0_ms + static_cast<double>(k + 1) * dt_ms;
        double t = t0_ms + static_cast<double>(k) * dt_ms;
        while (left <= rate * (end - t)) {
            t += left / rate;
            if (!spikes.empty() && t < spikes.back()) t = spikes.back();  // rounding at a step boundary
            spikes.push_back(t);
            left = unit_exponential(rng);
        }
        left -= rate * (end - t);
    }
    return spikes;
}

std::vector<double> task_input_channel(std::span<const double> inputs, std::size_t steps, std::size_t channels,
                                       std::size_t trial, std::size_t channel)
{
    if (channels == 0) throw invalid_parameter("channels", "must be > 0");
    if (channel >= channels)
        throw invalid_parameter("channel", "index " + std::to_string(channel) + " is out of range: there are " +
                                               std::to_string(channels) + " channels");
    if (steps == 0 || inputs.size() % (steps * channels) != 0)
        throw invalid_parameter("inputs", "must hold trials x steps x channels values (" + std::to_string(inputs.size()) +
                                              " is not a multiple of " + std::to_string(steps) + " x " +
                                              std::to_string(channels) + ")");
    if (trial >= inputs.size() / (steps * channels))
        throw invalid_parameter("trial", "index " + std::to_string(trial) + " is out of range: there are " +
                                             std::to_string(inputs.size() / (steps * channels)) + " trials");
    std::vector<double> out(steps);
    for (std::size_t k = 0; k < steps; ++k) out[k] = inputs[(trial * steps + k) * channels + channel];
    return out;
}

sim::InputSignal task_input_current(std::span<const double> values, double dt_ms, double bias_nA, double gain_nA)
{
    check_dt(dt_ms);
    if (!std::isfinite(bias_nA)) throw invalid_parameter("bias_nA", "must be finite");
    if (!std::isfinite(gain_nA)) throw invalid_parameter("gain_nA", "must be finite");
    if (values.empty()) return sim::InputSignal::constant(bias_nA);
    std::vector<double> current(values.size() + 1, bias_nA);
    for (std::size_t k = 0; k < values.size(); ++k) {
        if (!std::isfinite(values[k])) throw invalid_parameter("values[" + std::to_string(k) + "]", "must be finite");
        current[k] = bias_nA + gain_nA * values[k];
    }
    return sim::InputSignal::sampled_uniform(0.0, dt_ms, std::move(current), sim::Interpolation::hold);
}

std::vector<double> task_input_spike_train(std::span<const double> values, double dt_ms, double baseline_hz,
                                           double gain_hz, std::uint64_t seed)
{
    if (!std::isfinite(baseline_hz)) throw invalid_parameter("baseline_hz", "must be finite");
    if (!std::isfinite(gain_hz)) throw invalid_parameter("gain_hz", "must be finite");
    std::vector<double> rate(values.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
        if (!std::isfinite(values[k])) throw invalid_parameter("values[" + std::to_string(k) + "]", "must be finite");
        rate[k] = std::max(0.0, baseline_hz + gain_hz * values[k]);
    }
    return inhomogeneous_poisson_spike_train(rate, dt_ms, 0.0, seed);
}

}  // namespace neurode::neurons
