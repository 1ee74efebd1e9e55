// Slow non-inactivating (M-type) potassium of Pospischil et al. 2008 (the reference reservoir's
// Km, brc-model.md), p, every exponent clipped at 20 (pospischil.hpp):
//   pinf = 1 / (1 + exp(-(v+35)/10))
//   taup = taumax / (3.3 exp((v+35)/20) + exp(-(v+35)/20))   [ms]
//   i = gbar p (v - ek); 1/taup times q10^((celsius - tref)/10).
// Parameters: gbar 7e-5 [S/cm2] (Pospischil's regular-spiking cell); ek -90 [mV];
// taumax 4000 [ms] (the reference's; Pospischil used 1000); q10 1; tref 36 [degC].
#include "pospischil.hpp"

namespace neurode::neurons {

namespace {
using pospischil::clipped_exp;

class Km final : public Channel {
public:
    explicit Km(const ChannelParameters& p)
        : gbar_(p.at("gbar")), ek_(p.at("ek")), taumax_(p.at("taumax")), phi_(pospischil::temperature_factor(p))
    {}
    std::vector<std::string> state_names() const override { return {"p"}; }
    void steady_state(double v, std::span<double> s) const override { s[0] = pinf(v); }
    void derivatives(double v, std::span<const double> s, std::span<double> ds) const override
    {
        ds[0] = phi_ * (pinf(v) - s[0]) / taup(v);
    }
    double current(double v, std::span<const double> s) const override { return gbar_ * s[0] * (v - ek_); }
    double current_slope(double, std::span<const double> s) const override { return gbar_ * s[0]; }
    void gate_rates(double v, std::span<double> alpha, std::span<double> beta) const override
    {
        beta[0] = phi_ / taup(v);
        alpha[0] = pinf(v) * beta[0];
    }

private:
    static double pinf(double v) { return 1 / (1 + clipped_exp(-(v + 35) / 10)); }
    double taup(double v) const
    {
        const double w = (v + 35) / 20;
        return taumax_ / (3.3 * clipped_exp(w) + clipped_exp(-w));  // [ms]
    }
    double gbar_, ek_, taumax_, phi_;
};
}  // namespace

ChannelInfo km_pospischil_channel()
{
    ChannelParameters defaults = {{"gbar", 7e-5}, {"ek", -90.0}, {"taumax", 4000.0}};
    pospischil::add_temperature_defaults(defaults);
    return {"km_pospischil", "Pospischil et al. 2008 slow M-type K, p, taumax 4000 ms (brc-model.md)", defaults,
            [](const ChannelParameters& p) { return std::make_unique<Km>(p); }};
}

}  // namespace neurode::neurons
