// The reference reservoir's leak (brc-model.md): i = gbar (v - e), as NEURON's pas but named and
// parameterised like the other reference channels so that densities read alike.
// Parameters: gbar 1e-4 [S/cm2]; e -70 [mV].
#include <neurode/neurons/channel.hpp>

namespace neurode::neurons {

namespace {
class Leak final : public Channel {
public:
    explicit Leak(const ChannelParameters& p) : gbar_(p.at("gbar")), e_(p.at("e")) {}
    std::vector<std::string> state_names() const override { return {}; }
    void steady_state(double, std::span<double>) const override {}
    void derivatives(double, std::span<const double>, std::span<double>) const override {}
    double current(double v, std::span<const double>) const override { return gbar_ * (v - e_); }
    double current_slope(double, std::span<const double>) const override { return gbar_; }
    void partials(double, std::span<const double>, std::span<double>, std::span<double>, std::span<double>,
                  double& di_dv) const override
    {
        di_dv = gbar_;
    }

private:
    double gbar_, e_;
};
}  // namespace

ChannelInfo leak_channel()
{
    return {"leak", "leak i = gbar (v - e), the reference reservoir's (brc-model.md)", {{"gbar", 1e-4}, {"e", -70.0}},
            [](const ChannelParameters& p) { return std::make_unique<Leak>(p); }};
}

}  // namespace neurode::neurons
