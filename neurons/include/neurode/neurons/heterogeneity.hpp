#pragma once
// Intrinsic heterogeneity for biophysical networks, the counterpart of the rate networks' time
// constant levels H0..H5 (rnn::heterogeneity_cv(level) gives the coefficient of variation of a
// level): every property below is multiplied by its own factor, drawn from a lognormal law with
// mean 1 and coefficient of variation `cv`, so that the spread grows with the level while the
// mean stays:
//
//   membrane   per cell, every section's membrane capacitance cm [uF/cm2]: the membrane time
//              constant cm / g_leak scales by the factor
//   channels   per cell and channel placement, every conductance density (the parameters named
//              g..., NEURON's gbar, gnabar, gkbar, gl, g) [S/cm2]
//   synapses   per synapse, its time constants: an event synapse's tau1 and tau2 [ms] times the
//              factor, a kinetic synapse's rates alpha and beta (and k3, k4) divided by it
//
// Draws: Rng(seed) split into one stream per property, in the order above; cells, placements and
// synapses in model order.

#include <cstdint>

#include <neurode/neurons/network.hpp>

namespace neurode::neurons {

struct BiophysicalHeterogeneity {
    double cv = 0;                 // >= 0; 0 leaves the network unchanged
    bool membrane = true, channels = true, synapses = true;
    std::uint64_t seed = 1;
    void validate() const;         // names "cv"
};

// A copy of `model` with the drawn factors applied; throws invalid_parameter for a bad cv.
NetworkModel heterogeneous(const NetworkModel& model, const BiophysicalHeterogeneity& heterogeneity);

}  // namespace neurode::neurons
