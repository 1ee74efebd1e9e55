#include <neurode/neurons/reference_models.hpp>

namespace neurode::neurons {

CellModel hh_soma_cell()
{
    CellModel c;
    c.morphology = Morphology::soma(20.0, 20.0);
    c.channels = {{"hh", "", {}}};
    c.clamps = {{"soma", 0.5}};
    c.spike_detectors = {{"soma", 0.5}};
    return c;
}

NetworkModel kinetic_synapse_pair()
{
    CellModel post;
    post.morphology = Morphology::ball_and_stick(20.0, 500.0, 2.0, 9, 100.0);
    post.channels = {{"hh", "soma", {}}, {"pas", "dendrite", {{"g", 1e-4}, {"e", -65.0}}}};
    post.spike_detectors = {{"soma", 0.5}};
    const Location tip{"dend", 0.9}, soma{"soma", 0.5};
    return NetworkModel{{hh_soma_cell(), post},
                        {make_synapse(0, soma, 1, tip, Receptor::ampa, 0.01),
                         make_synapse(0, soma, 1, tip, Receptor::nmda, 0.005),
                         make_synapse(0, soma, 1, soma, Receptor::ampa, 0.003),
                         make_synapse(0, soma, 1, soma, Receptor::nmda, 0.002)}};
}

}  // namespace neurode::neurons
