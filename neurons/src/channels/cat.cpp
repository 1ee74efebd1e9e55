// Low-threshold (T-type) calcium of Pospischil et al. 2008 (the reference reservoir's CaT,
// brc-model.md), sinf^2 u with instantaneous activation, shift vx, a fixed reversal (no calcium
// dynamics) and every exponent clipped at 20 (pospischil.hpp):
//   sinf = 1 / (1 + exp(-(v+vx+57)/6.2))   uinf = 1 / (1 + exp((v+vx+81)/4))
//   tauu = (30.8 + 211.4 + exp((v+vx+113.2)/5)) / (3.7 (1 + exp((v+vx+84)/3.2)))   [ms]
//   i = gbar sinf^2 u (v - eca); 1/tauu times q10^((celsius - tref)/10).
// tauu is the reference's implementation, not the paper's piecewise form. Unclipped it falls to
// ~6 us at 0 mV (biophysics.md); clipped, it is 0.27 ms above v + vx = -15 mV and at least
// 0.07 ms (at v + vx = -20 mV), still the stiffest gate of the cell: integrate it implicitly
// (CVODE BDF) or by exponential Euler, never with an explicit step.
// Parameters: gbar 4e-4 [S/cm2] (Pospischil's low-threshold spiking cell); eca 120, vx 2 [mV];
// q10 1; tref 36 [degC].
#include "pospischil.hpp"

namespace neurode::neurons {

namespace {
using pospischil::clipped_exp;

class CaT final : public Channel {
public:
    explicit CaT(const ChannelParameters& p)
        : gbar_(p.at("gbar")), eca_(p.at("eca")), vx_(p.at("vx")), phi_(pospischil::temperature_factor(p))
    {}
    std::vector<std::string> state_names() const override { return {"u"}; }
    void steady_state(double v, std::span<double> s) const override { s[0] = uinf(v + vx_); }
    void derivatives(double v, std::span<const double> s, std::span<double> ds) const override
    {
        const double w = v + vx_;
        ds[0] = phi_ * (uinf(w) - s[0]) / tauu(w);
    }
    double current(double v, std::span<const double> s) const override
    {
        const double sinf = sinf_of(v);
        return gbar_ * sinf * sinf * s[0] * (v - eca_);
    }
    // sinf is instantaneous, so the slope has its voltage dependence too.
    double current_slope(double v, std::span<const double> s) const override
    {
        const double sinf = sinf_of(v);
        const double dsinf_dv = sinf * (1 - sinf) / 6.2;
        return gbar_ * s[0] * (sinf * sinf + 2 * sinf * dsinf_dv * (v - eca_));
    }
    void gate_rates(double v, std::span<double> alpha, std::span<double> beta) const override
    {
        const double w = v + vx_;
        beta[0] = phi_ / tauu(w);
        alpha[0] = uinf(w) * beta[0];
    }

private:
    static double uinf(double w) { return 1 / (1 + clipped_exp((w + 81) / 4)); }  // w = v + vx [mV]
    static double tauu(double w)  // [ms]
    {
        return (30.8 + 211.4 + clipped_exp((w + 113.2) / 5)) / (3.7 * (1 + clipped_exp((w + 84) / 3.2)));
    }
    double sinf_of(double v) const { return 1 / (1 + clipped_exp(-(v + vx_ + 57) / 6.2)); }
    double gbar_, eca_, vx_, phi_;
};
}  // namespace

ChannelInfo cat_pospischil_channel()
{
    ChannelParameters defaults = {{"gbar", 4e-4}, {"eca", 120.0}, {"vx", 2.0}};
    pospischil::add_temperature_defaults(defaults);
    return {"cat_pospischil", "Pospischil et al. 2008 low-threshold T-type Ca, sinf^2 u, shift vx (brc-model.md)",
            defaults, [](const ChannelParameters& p) { return std::make_unique<CaT>(p); }};
}

}  // namespace neurode::neurons
