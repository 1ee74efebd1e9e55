#pragma once
// Helpers shared by the Pospischil et al. 2008 channels of the reference reservoir
// (brc-model.md). Private to neurons/src/channels/.
#include <algorithm>
#include <cmath>

#include <neurode/neurons/channel.hpp>

namespace neurode::neurons::pospischil {

// The reference clips every exponent at 20 (exp(20) ~ 4.9e8): it keeps the rates finite at any
// voltage and caps how fast CaT's inactivation can get (tau_u >= 0.07 ms instead of ~6 us at
// 0 mV, see biophysics.md and cat.cpp), so the gates are far less stiff. The NEURON .mod files used as the
// reference in tests/reference/neuron/mod/ clip identically.
inline double clipped_exp(double x) { return std::exp(std::min(x, 20.0)); }

// x / (1 - exp(-x/k)), the rate form of am, an, aq, bm; at x = 0 it is 0/0 with the limit
// k + x/2, used within 1e-6 of it.
inline double linoid(double x, double k)
{
    return std::abs(x) < 1e-6 ? k + x / 2 : x / (1.0 - clipped_exp(-x / k));
}

// The rate factor q10^((celsius - tref)/10) from the parameters "q10", "tref" [degC] and
// "celsius" [degC]; q10 = 1 (the default, as the reference) is no scaling.
inline double temperature_factor(const ChannelParameters& p)
{
    return std::pow(p.at("q10"), (p.at("celsius") - p.at("tref")) / 10.0);
}

// Parameters every gated Pospischil channel takes for temperature scaling. Pospischil et al.
// fitted their kinetics at 36 degC, the reference temperature here.
inline void add_temperature_defaults(ChannelParameters& p)
{
    p["q10"] = 1.0;
    p["tref"] = 36.0;     // [degC]
    p["celsius"] = 36.0;  // [degC]; replaced by the cell's temperature
}

}  // namespace neurode::neurons::pospischil
