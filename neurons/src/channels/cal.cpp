// High-threshold (L-type) calcium of Pospischil et al. 2008 (the reference reservoir's CaL,
// brc-model.md), q^2 r, with a fixed reversal (no calcium dynamics) and every exponent clipped
// at 20 (pospischil.hpp):
//   aq = 0.055 (-27-v) / (exp((-27-v)/3.8) - 1)   bq = 0.94 exp((-75-v)/17)           [/ms]
//   ar = 4.57e-4 exp((-13-v)/50)                  br = 0.0065 / (exp((-15-v)/28) + 1) [/ms]
//   i = gbar q^2 r (v - eca); rates times q10^((celsius - tref)/10).
// Parameters: gbar 1e-4 [S/cm2] (Pospischil's intrinsically bursting cell); eca 120 [mV];
// q10 1; tref 36 [degC].
#include "pospischil.hpp"

namespace neurode::neurons {

namespace {
using pospischil::clipped_exp;
using pospischil::linoid;

class CaL final : public Channel {
public:
    explicit CaL(const ChannelParameters& p)
        : gbar_(p.at("gbar")), eca_(p.at("eca")), phi_(pospischil::temperature_factor(p))
    {}
    std::vector<std::string> state_names() const override { return {"q", "r"}; }
    void steady_state(double v, std::span<double> s) const override
    {
        const Rates r = rates(v);
        s[0] = r.aq / (r.aq + r.bq);
        s[1] = r.ar / (r.ar + r.br);
    }
    void derivatives(double v, std::span<const double> s, std::span<double> ds) const override
    {
        const Rates r = rates(v);
        ds[0] = phi_ * (r.aq * (1 - s[0]) - r.bq * s[0]);
        ds[1] = phi_ * (r.ar * (1 - s[1]) - r.br * s[1]);
    }
    double current(double v, std::span<const double> s) const override
    {
        return gbar_ * s[0] * s[0] * s[1] * (v - eca_);
    }
    double current_slope(double, std::span<const double> s) const override { return gbar_ * s[0] * s[0] * s[1]; }
    void gate_rates(double v, std::span<double> alpha, std::span<double> beta) const override
    {
        const Rates r = rates(v);
        alpha[0] = phi_ * r.aq, beta[0] = phi_ * (r.aq + r.bq);
        alpha[1] = phi_ * r.ar, beta[1] = phi_ * (r.ar + r.br);
    }

private:
    struct Rates {
        double aq, bq, ar, br;  // [/ms]
    };
    static Rates rates(double v)
    {
        // (-27-v) / (exp((-27-v)/3.8) - 1) is linoid(v + 27, 3.8).
        return {0.055 * linoid(v + 27, 3.8), 0.94 * clipped_exp((-75 - v) / 17), 4.57e-4 * clipped_exp((-13 - v) / 50),
                0.0065 / (clipped_exp((-15 - v) / 28) + 1)};
    }
    double gbar_, eca_, phi_;
};
}  // namespace

ChannelInfo cal_pospischil_channel()
{
    ChannelParameters defaults = {{"gbar", 1e-4}, {"eca", 120.0}};
    pospischil::add_temperature_defaults(defaults);
    return {"cal_pospischil", "Pospischil et al. 2008 high-threshold L-type Ca, q^2 r, fixed eca (brc-model.md)",
            defaults, [](const ChannelParameters& p) { return std::make_unique<CaL>(p); }};
}

}  // namespace neurode::neurons
