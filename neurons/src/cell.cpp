#include <neurode/neurons/cell.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::neurons {

void CellModel::validate() const
{
    morphology.validate();
    for (const ChannelPlacement& p : channels) {
        const ChannelInfo& info = channel_info(p.channel);
        resolve_parameters(info, p.parameters, celsius);
        if (!p.region.empty()) {
            bool found = false;
            for (const Section& s : morphology.sections()) found = found || s.region == p.region;
            if (!found)
                throw invalid_parameter("channel '" + p.channel + "'.region",
                                        "no section has region '" + p.region + "'");
        }
    }
    // Names the clamp or detector: "clamp[1].position", "spike_detector[0].section".
    auto check_locations = [&](const std::vector<Location>& locations, const std::string& item) {
        for (std::size_t k = 0; k < locations.size(); ++k) {
            try {
                morphology.compartment_at(locations[k].section, locations[k].position);
            } catch (const invalid_parameter& e) {
                throw invalid_parameter(item + "[" + std::to_string(k) + "]." + e.field(), e.constraint());
            }
        }
    };
    check_locations(clamps, "clamp");
    check_locations(spike_detectors, "spike_detector");
    if (!std::isfinite(spike_threshold)) throw invalid_parameter("spike_threshold", "must be finite");
    if (!std::isfinite(celsius)) throw invalid_parameter("celsius", "must be finite");
    if (!std::isfinite(initial_voltage)) throw invalid_parameter("initial_voltage", "must be finite");
}

namespace {
void require_finite(double value, const char* field, const char* unit)
{
    if (!std::isfinite(value))
        throw invalid_parameter(field, std::string("must be finite (") + unit + "), got " + std::to_string(value));
}
}  // namespace

sim::InputSignal clamp_step(double amplitude, double start, double stop)
{
    require_finite(amplitude, "clamp.amplitude", "nA");
    require_finite(start, "clamp.start", "ms");
    require_finite(stop, "clamp.stop", "ms");
    if (!(stop > start)) throw invalid_parameter("clamp.stop", "must be after clamp.start");
    return sim::InputSignal::piecewise_constant({start, stop}, {amplitude, 0.0});
}

sim::InputSignal clamp_ramp(double start, double stop, double from, double to)
{
    require_finite(start, "clamp.start", "ms");
    require_finite(stop, "clamp.stop", "ms");
    require_finite(from, "clamp.from", "nA");
    require_finite(to, "clamp.to", "nA");
    if (!(stop > start)) throw invalid_parameter("clamp.stop", "must be after clamp.start");
    // Zero before and after; the jumps at both ends are breakpoints.
    return sim::InputSignal::function(
        [=](double t) { return t >= start && t < stop ? from + (to - from) * (t - start) / (stop - start) : 0.0; },
        {start, stop});
}

sim::InputSignal clamp_noise(double mean, double sd, double dt, double duration, std::uint64_t seed)
{
    require_finite(mean, "clamp.mean", "nA");
    if (!(std::isfinite(dt) && dt > 0)) throw invalid_parameter("clamp.dt", "must be finite and > 0 ms");
    if (!(std::isfinite(sd) && sd >= 0)) throw invalid_parameter("clamp.sd", "must be finite and >= 0 nA");
    // Checked before the sample count is computed from it: a NaN or negative count is undefined.
    if (!(std::isfinite(duration) && duration >= 0))
        throw invalid_parameter("clamp.duration", "must be finite and >= 0 ms");
    const auto n = static_cast<std::size_t>(std::ceil(duration / dt));
    sim::Rng rng(seed);
    std::vector<double> values(n + 1);
    for (std::size_t k = 0; k < n; ++k) values[k] = rng.normal(mean, sd);
    values[n] = 0.0;
    return sim::InputSignal::sampled_uniform(0.0, dt, values, sim::Interpolation::hold);
}

}  // namespace neurode::neurons
