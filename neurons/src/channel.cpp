#include <neurode/neurons/channel.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>

namespace neurode::neurons {

void Channel::partials(double v, std::span<const double> s, std::span<double> dds_ds, std::span<double> dds_dv,
                       std::span<double> di_ds, double& di_dv) const
{
    // Central differences; a Newton Jacobian needs only a few correct digits.
    const std::size_t n = s.size();
    std::vector<double> x(s.begin(), s.end()), up(n), down(n);
    const double hv = 1e-4;  // [mV]
    derivatives(v + hv, s, up);
    derivatives(v - hv, s, down);
    for (std::size_t k = 0; k < n; ++k) dds_dv[k] = (up[k] - down[k]) / (2 * hv);
    di_dv = (current(v + hv, s) - current(v - hv, s)) / (2 * hv);
    for (std::size_t k = 0; k < n; ++k) {
        const double hs = 1e-7 * std::max(1.0, std::abs(s[k]));
        x[k] = s[k] + hs;
        derivatives(v, x, up);
        const double i_up = current(v, x);
        x[k] = s[k] - hs;
        derivatives(v, x, down);
        const double i_down = current(v, x);
        x[k] = s[k];
        dds_ds[k] = (up[k] - down[k]) / (2 * hs);
        di_ds[k] = (i_up - i_down) / (2 * hs);
    }
}

void Channel::gate_rates(double v, std::span<double> alpha, std::span<double> beta) const
{
    const std::size_t n = alpha.size();
    std::vector<double> closed(n, 0.0), open(n, 1.0), at_closed(n), at_open(n);
    derivatives(v, closed, at_closed);
    derivatives(v, open, at_open);
    for (std::size_t k = 0; k < n; ++k) {
        alpha[k] = at_closed[k];
        beta[k] = at_closed[k] - at_open[k];
    }
}

double Channel::current_slope(double v, std::span<const double> s) const
{
    const double hv = 1e-4;  // [mV]
    return (current(v + hv, s) - current(v - hv, s)) / (2 * hv);
}

const ChannelInfo& channel_info(const std::string& name)
{
    for (const ChannelInfo& info : channel_registry())
        if (info.name == name) return info;
    std::string known;
    for (const ChannelInfo& info : channel_registry()) known += (known.empty() ? "" : ", ") + info.name;
    throw invalid_parameter("channel", "no channel named '" + name + "' is registered (known: " + known + ")");
}

ChannelParameters resolve_parameters(const ChannelInfo& info, const ChannelParameters& values, double celsius)
{
    ChannelParameters p = info.defaults;
    for (const auto& [key, value] : values) {
        if (!p.contains(key) || key == "celsius")
            throw invalid_parameter(info.name + "." + key, "is not a parameter of channel '" + info.name + "'");
        if (!std::isfinite(value)) throw invalid_parameter(info.name + "." + key, "must be finite");
        p[key] = value;
    }
    if (p.contains("celsius")) p["celsius"] = celsius;
    return p;
}

}  // namespace neurode::neurons
