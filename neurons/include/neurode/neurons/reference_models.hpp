#pragma once
// The small models that neurode is checked against NEURON with (tests/reference/neuron/*.py build
// the same models there). Tests, `neurode bench` and the language bindings share them, so that a
// model and its NEURON reference cannot drift apart.

#include <neurode/neurons/network.hpp>

namespace neurode::neurons {

// hh_soma.py: a 20 x 20 um soma with NEURON's hh, a current clamp and a spike detector at its
// centre.
CellModel hh_soma_cell();

// kinetic_synapses.py: an hh soma (cell 0, clamped) driving a ball-and-stick cell (cell 1: hh soma,
// passive dendrite of 9 compartments) through kinetic AMPA (10 nS) and NMDA (5 nS) synapses on
// dend(0.9) and AMPA (3 nS) and NMDA (2 nS) on the soma.
NetworkModel kinetic_synapse_pair();

}  // namespace neurode::neurons
