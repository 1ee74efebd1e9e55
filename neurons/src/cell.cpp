#include <neurode/neurons/cell.hpp>

#include <algorithm>
#include <cmath>

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
    for (const Location& l : clamps) morphology.compartment_at(l.section, l.position);
    for (const Location& l : spike_detectors) morphology.compartment_at(l.section, l.position);
    if (!std::isfinite(spike_threshold)) throw invalid_parameter("spike_threshold", "must be finite");
    if (!std::isfinite(celsius)) throw invalid_parameter("celsius", "must be finite");
    if (!std::isfinite(initial_voltage)) throw invalid_parameter("initial_voltage", "must be finite");
}

sim::InputSignal clamp_step(double amplitude, double start, double stop)
{
    if (!(stop > start)) throw invalid_parameter("clamp.stop", "must be after clamp.start");
    return sim::InputSignal::piecewise_constant({start, stop}, {amplitude, 0.0});
}

sim::InputSignal clamp_ramp(double start, double stop, double from, double to)
{
    if (!(stop > start)) throw invalid_parameter("clamp.stop", "must be after clamp.start");
    // Zero before and after; the jumps at both ends are breakpoints.
    return sim::InputSignal::function(
        [=](double t) { return t >= start && t < stop ? from + (to - from) * (t - start) / (stop - start) : 0.0; },
        {start, stop});
}

sim::InputSignal clamp_noise(double mean, double sd, double dt, double duration, std::uint64_t seed)
{
    if (!(dt > 0)) throw invalid_parameter("clamp.dt", "must be > 0");
    if (!(sd >= 0)) throw invalid_parameter("clamp.sd", "must be >= 0");
    const auto n = static_cast<std::size_t>(std::ceil(duration / dt));
    sim::Rng rng(seed);
    std::vector<double> values(n + 1);
    for (std::size_t k = 0; k < n; ++k) values[k] = rng.normal(mean, sd);
    values[n] = 0.0;
    return sim::InputSignal::sampled_uniform(0.0, dt, values, sim::Interpolation::hold);
}

}  // namespace neurode::neurons
