// NEURON's hh mechanism (Hodgkin & Huxley 1952, as in nrn/src/nrnoc/hh.mod): sodium m^3 h,
// potassium n^4 and a leak, rates scaled by q10 = 3^((celsius - 6.3)/10).
//   am = 0.1 vtrap(-(v+40), 10)   bm = 4 exp(-(v+65)/18)
//   ah = 0.07 exp(-(v+65)/20)     bh = 1 / (exp(-(v+35)/10) + 1)
//   an = 0.01 vtrap(-(v+55), 10)  bn = 0.125 exp(-(v+65)/80),   vtrap(x, y) = x / (exp(x/y) - 1)
// Parameters: gnabar 0.12, gkbar 0.036, gl 3e-4 [S/cm2]; ena 50, ek -77, el -54.3 [mV]; celsius [degC].
#include <cmath>

#include <neurode/neurons/channel.hpp>

namespace neurode::neurons {

namespace {
double vtrap(double x, double y)
{
    // The limit x -> 0 of x / (exp(x/y) - 1) is y (1 - x/y/2).
    return std::abs(x / y) < 1e-6 ? y * (1.0 - x / y / 2.0) : x / (std::exp(x / y) - 1.0);
}

class Hh final : public Channel {
public:
    explicit Hh(const ChannelParameters& p)
        : gnabar_(p.at("gnabar")), gkbar_(p.at("gkbar")), gl_(p.at("gl")), ena_(p.at("ena")), ek_(p.at("ek")),
          el_(p.at("el")), q10_(std::pow(3.0, (p.at("celsius") - 6.3) / 10.0))
    {}
    std::vector<std::string> state_names() const override { return {"m", "h", "n"}; }

    void steady_state(double v, std::span<double> s) const override
    {
        const Rates r = rates(v);
        s[0] = r.am / (r.am + r.bm);
        s[1] = r.ah / (r.ah + r.bh);
        s[2] = r.an / (r.an + r.bn);
    }
    void derivatives(double v, std::span<const double> s, std::span<double> ds) const override
    {
        const Rates r = rates(v);
        ds[0] = q10_ * (r.am * (1 - s[0]) - r.bm * s[0]);
        ds[1] = q10_ * (r.ah * (1 - s[1]) - r.bh * s[1]);
        ds[2] = q10_ * (r.an * (1 - s[2]) - r.bn * s[2]);
    }
    double current(double v, std::span<const double> s) const override
    {
        const double n2 = s[2] * s[2];
        return gnabar_ * s[0] * s[0] * s[0] * s[1] * (v - ena_) + gkbar_ * n2 * n2 * (v - ek_) + gl_ * (v - el_);
    }
    double current_slope(double, std::span<const double> s) const override
    {
        const double n2 = s[2] * s[2];
        return gnabar_ * s[0] * s[0] * s[0] * s[1] + gkbar_ * n2 * n2 + gl_;
    }
    void gate_rates(double v, std::span<double> alpha, std::span<double> beta) const override
    {
        const Rates r = rates(v);
        alpha[0] = q10_ * r.am, beta[0] = q10_ * (r.am + r.bm);
        alpha[1] = q10_ * r.ah, beta[1] = q10_ * (r.ah + r.bh);
        alpha[2] = q10_ * r.an, beta[2] = q10_ * (r.an + r.bn);
    }

private:
    struct Rates {
        double am, bm, ah, bh, an, bn;
    };
    static Rates rates(double v)
    {
        return {0.1 * vtrap(-(v + 40), 10), 4 * std::exp(-(v + 65) / 18), 0.07 * std::exp(-(v + 65) / 20),
                1 / (std::exp(-(v + 35) / 10) + 1), 0.01 * vtrap(-(v + 55), 10), 0.125 * std::exp(-(v + 65) / 80)};
    }
    double gnabar_, gkbar_, gl_, ena_, ek_, el_, q10_;
};

// NEURON's pas: a leak i = g (v - e).
class Passive final : public Channel {
public:
    explicit Passive(const ChannelParameters& p) : g_(p.at("g")), e_(p.at("e")) {}
    std::vector<std::string> state_names() const override { return {}; }
    void steady_state(double, std::span<double>) const override {}
    void derivatives(double, std::span<const double>, std::span<double>) const override {}
    double current(double v, std::span<const double>) const override { return g_ * (v - e_); }
    double current_slope(double, std::span<const double>) const override { return g_; }
    void partials(double, std::span<const double>, std::span<double>, std::span<double>, std::span<double>,
                  double& di_dv) const override
    {
        di_dv = g_;
    }

private:
    double g_, e_;
};
}  // namespace

ChannelInfo hh_channel()
{
    return {"hh", "Hodgkin-Huxley Na, K and leak, as NEURON's hh.mod",
            {{"gnabar", 0.12}, {"gkbar", 0.036}, {"gl", 3e-4}, {"ena", 50.0}, {"ek", -77.0}, {"el", -54.3}, {"celsius", 6.3}},
            [](const ChannelParameters& p) { return std::make_unique<Hh>(p); }};
}

ChannelInfo pas_channel()
{
    return {"pas", "passive leak i = g (v - e), as NEURON's pas", {{"g", 1e-3}, {"e", -70.0}},
            [](const ChannelParameters& p) { return std::make_unique<Passive>(p); }};
}

}  // namespace neurode::neurons
