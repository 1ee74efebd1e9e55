// Fast sodium of Pospischil et al. 2008 (the reference reservoir's Na, brc-model.md), m^3 h, with
// u = v - vt and every exponent clipped at 20 (pospischil.hpp):
//   am = 0.32 (u-13) / (1 - exp(-(u-13)/4))   bm = 0.28 (u-40) / (exp((u-40)/5) - 1)   [/ms]
//   ah = 0.128 exp(-(u-17)/18)               bh = 4 / (1 + exp(-(u-40)/5))           [/ms]
//   i = gbar m^3 h (v - ena); rates times q10^((celsius - tref)/10).
// Parameters: gbar 0.05 [S/cm2]; ena 50, vt -60 [mV]; q10 1; tref 36 [degC].
#include "pospischil.hpp"

namespace neurode::neurons {

namespace {
using pospischil::clipped_exp;
using pospischil::linoid;

class PospischilNa final : public Channel {
public:
    explicit PospischilNa(const ChannelParameters& p)
        : gbar_(p.at("gbar")), ena_(p.at("ena")), vt_(p.at("vt")), phi_(pospischil::temperature_factor(p))
    {}
    std::vector<std::string> state_names() const override { return {"m", "h"}; }
    void steady_state(double v, std::span<double> s) const override
    {
        const Rates r = rates(v);
        s[0] = r.am / (r.am + r.bm);
        s[1] = r.ah / (r.ah + r.bh);
    }
    void derivatives(double v, std::span<const double> s, std::span<double> ds) const override
    {
        const Rates r = rates(v);
        ds[0] = phi_ * (r.am * (1 - s[0]) - r.bm * s[0]);
        ds[1] = phi_ * (r.ah * (1 - s[1]) - r.bh * s[1]);
    }
    double current(double v, std::span<const double> s) const override
    {
        return gbar_ * s[0] * s[0] * s[0] * s[1] * (v - ena_);
    }
    double current_slope(double, std::span<const double> s) const override { return gbar_ * s[0] * s[0] * s[0] * s[1]; }
    void gate_rates(double v, std::span<double> alpha, std::span<double> beta) const override
    {
        const Rates r = rates(v);
        alpha[0] = phi_ * r.am, beta[0] = phi_ * (r.am + r.bm);
        alpha[1] = phi_ * r.ah, beta[1] = phi_ * (r.ah + r.bh);
    }

private:
    struct Rates {
        double am, bm, ah, bh;  // [/ms]
    };
    Rates rates(double v) const
    {
        const double u = v - vt_;
        return {0.32 * linoid(u - 13, 4), 0.28 * linoid(-(u - 40), 5), 0.128 * clipped_exp(-(u - 17) / 18),
                4 / (1 + clipped_exp(-(u - 40) / 5))};
    }
    double gbar_, ena_, vt_, phi_;
};
}  // namespace

ChannelInfo na_pospischil_channel()
{
    ChannelParameters defaults = {{"gbar", 0.05}, {"ena", 50.0}, {"vt", -60.0}};
    pospischil::add_temperature_defaults(defaults);
    return {"na_pospischil", "Pospischil et al. 2008 fast Na, m^3 h, u = v - vt (brc-model.md)", defaults,
            [](const ChannelParameters& p) { return std::make_unique<PospischilNa>(p); }};
}

}  // namespace neurode::neurons
