#pragma once
// Private to neurons/src: the kinetic-synapse and NMDA formulas (synapse.hpp, network.hpp) that
// NetworkSystem's right-hand side, Jacobian, staggered step and synaptic observables share.
#include <cmath>

#include <neurode/neurons/synapse.hpp>

namespace neurode::neurons::synapse_math {

// [mA/cm2] * [um2] -> [nA]
constexpr double mA_per_cm2_um2_to_nA = 1e-2;

// Transmitter T(V_pre) [mM] and dT/dV_pre [mM/mV].
inline double release(const KineticSynapseParameters& p, double v_pre)
{
    return p.t_max / (1.0 + std::exp(-(v_pre - p.v_half) / p.v_slope));
}
inline double release_slope(const KineticSynapseParameters& p, double v_pre)
{
    const double t = release(p, v_pre) / p.t_max;
    return p.t_max * t * (1.0 - t) / p.v_slope;
}

// Jahr-Stevens block at V [mV] for [Mg] [mM], and its derivative in V [1/mV].
inline double mg_block(double magnesium, double v) { return 1.0 / (1.0 + std::exp(-0.062 * v) * magnesium / 3.57); }
inline double mg_block_slope(double magnesium, double v)
{
    const double b = mg_block(magnesium, v);
    return b * (1.0 - b) * 0.062;
}

}  // namespace neurode::neurons::synapse_math
