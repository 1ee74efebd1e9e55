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

// Jahr-Stevens block at V [mV] for [Mg] [mM].
inline double mg_block(double magnesium, double v) { return 1.0 / (1.0 + std::exp(-0.062 * v) * magnesium / 3.57); }

// How far a synapse is open at postsynaptic voltage v, and the slope of that in v [1/mV].
struct Opening {
    double fraction, slope;
};

// A synapse's block: B(V) for NMDA, 1 otherwise; dB/dV = 0.062 B (1 - B).
inline Opening event_block(Receptor receptor, double magnesium, double v)
{
    if (receptor != Receptor::nmda) return {1.0, 0.0};
    const double b = mg_block(magnesium, v);
    return {b, b * (1.0 - b) * 0.062};
}

// A kinetic synapse from its states (r, and s for GABA-B): r (AMPA, GABA-A), r B(V) (NMDA),
// s^4 / (s^4 + Kd) (GABA-B).
inline Opening kinetic_opening(Receptor receptor, const KineticSynapseParameters& p, const double* states, double v)
{
    if (receptor == Receptor::gaba_b) {
        const double s4 = states[1] * states[1] * states[1] * states[1];
        return {s4 / (s4 + p.kd), 0.0};
    }
    const Opening block = event_block(receptor, p.magnesium, v);
    return {states[0] * block.fraction, states[0] * block.slope};
}

}  // namespace neurode::neurons::synapse_math
