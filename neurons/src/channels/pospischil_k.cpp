// Delayed-rectifier potassium of Pospischil et al. 2008 (the reference reservoir's K,
// brc-model.md), n^4, with u = v - vt and every exponent clipped at 20 (pospischil.hpp):
//   an = 0.032 (u-15) / (1 - exp(-(u-15)/5))   bn = 0.5 exp(-(u-10)/40)   [/ms]
//   i = gbar n^4 (v - ek); rates times q10^((celsius - tref)/10).
// Parameters: gbar 0.005 [S/cm2]; ek -90, vt -60 [mV]; q10 1; tref 36 [degC].
#include "pospischil.hpp"

namespace neurode::neurons {

namespace {
using pospischil::clipped_exp;
using pospischil::linoid;

class PospischilK final : public Channel {
public:
    explicit PospischilK(const ChannelParameters& p)
        : gbar_(p.at("gbar")), ek_(p.at("ek")), vt_(p.at("vt")), phi_(pospischil::temperature_factor(p))
    {}
    std::vector<std::string> state_names() const override { return {"n"}; }
    void steady_state(double v, std::span<double> s) const override
    {
        const auto [an, bn] = rates(v);
        s[0] = an / (an + bn);
    }
    void derivatives(double v, std::span<const double> s, std::span<double> ds) const override
    {
        const auto [an, bn] = rates(v);
        ds[0] = phi_ * (an * (1 - s[0]) - bn * s[0]);
    }
    double current(double v, std::span<const double> s) const override
    {
        const double n2 = s[0] * s[0];
        return gbar_ * n2 * n2 * (v - ek_);
    }
    double current_slope(double, std::span<const double> s) const override
    {
        const double n2 = s[0] * s[0];
        return gbar_ * n2 * n2;
    }
    void gate_rates(double v, std::span<double> alpha, std::span<double> beta) const override
    {
        const auto [an, bn] = rates(v);
        alpha[0] = phi_ * an, beta[0] = phi_ * (an + bn);
    }

private:
    std::pair<double, double> rates(double v) const  // an, bn [/ms]
    {
        const double u = v - vt_;
        return {0.032 * linoid(u - 15, 5), 0.5 * clipped_exp(-(u - 10) / 40)};
    }
    double gbar_, ek_, vt_, phi_;
};
}  // namespace

ChannelInfo k_pospischil_channel()
{
    ChannelParameters defaults = {{"gbar", 0.005}, {"ek", -90.0}, {"vt", -60.0}};
    pospischil::add_temperature_defaults(defaults);
    return {"k_pospischil", "Pospischil et al. 2008 delayed-rectifier K, n^4, u = v - vt (brc-model.md)", defaults,
            [](const ChannelParameters& p) { return std::make_unique<PospischilK>(p); }};
}

}  // namespace neurode::neurons
