#pragma once
// Probes of synaptic conductances [uS] and currents [nA]: sim::Probe::derived observables that
// evaluate NetworkSystem's synapse_* and event_synapse_* formulas at the recorded state, one
// column per synapse named after it ("synapse[3].nmda", "event_synapse[0].ampa"). The probe
// refers to the system, which must outlive the simulation that records it (it does anyway).

#include <string>
#include <vector>

#include <neurode/neurons/network.hpp>
#include <neurode/sim/recording.hpp>

namespace neurode::neurons {

enum class SynapseKind {
    kinetic,  // NetworkModel::synapses
    event,    // NetworkModel::event_synapses
};

// Effective conductance g (gating and Mg block included) of each listed synapse [uS].
sim::Probe synaptic_conductance_probe(const NetworkSystem& system, std::string name, SynapseKind kind,
                                      std::vector<std::size_t> synapses, double interval);
// Current g (V_post - E) of each listed synapse [nA], positive outward (NEURON's sign).
sim::Probe synaptic_current_probe(const NetworkSystem& system, std::string name, SynapseKind kind,
                                  std::vector<std::size_t> synapses, double interval);

}  // namespace neurode::neurons
