#pragma once
// The reference biophysical reservoir (Tolley & Jones; brc-model.md) as a network description:
// E cells (reference_excitatory_cell, 16 compartments) and I cells (reference_inhibitory_cell)
// on the reference's ring lattice (E_i at node i, I_j at node 2j, distances 1 and 2, not
// periodic), with its six recurrent projections of kinetic synapses, each pair kept with its
// pconn, and a background drive: one Poisson train per cell through an AMPA event synapse on the
// soma (the reference's noise cells, which fire irregularly and drive E and I one to one).
// Kinetic synapses release from the presynaptic soma's compartment 0, as in the reference.
// The reference publishes no best parameter set; the defaults below give a busy network (E and
// I cells fire at tens of Hz), the regime of the benchmark, not a tuned reservoir.

#include <cstdint>

#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/reference_cells.hpp>

namespace neurode::neurons {

struct ReservoirProjection {
    double conductance;  // [uS] per synapse (the reference searches 10^[-2, 1])
    double probability;  // pconn: each lattice pair is kept with it, in [0, 1]
};

struct ReservoirOptions {
    std::size_t excitatory = 50;  // E cells; there are excitatory / 2 I cells (node 2j), >= 2, even
    ReferenceDensities e_densities;
    RegionDensities i_densities;
    // The searched projections: AMPA on the E soma (compartment 0) and on the distal tip
    // (dend3's last compartment), AMPA onto I, GABA-A onto the E soma and tip, GABA-A onto I.
    ReservoirProjection ee_ampa{0.02, 0.5}, ee_dend_ampa{0.05, 0.5}, ei_ampa{0.02, 0.5};
    ReservoirProjection ie_gaba{0.05, 0.5}, ie_dend_gaba{0.02, 0.5}, ii_gaba{0.02, 0.5};
    double drive_rate = 100.0;    // [Hz] per cell's Poisson train
    double drive_weight = 0.01;   // [uS] AMPA peak per event (the reference's noise synapse gS)
    double duration = 1000.0;     // [ms] the drive runs over [0, duration)
    std::uint64_t seed = 1;       // connectivity masks and drive trains

    void validate() const;  // names the field
};

// Populations "E", "I"; drives "drive_E", "drive_I".
NetworkDescription reference_reservoir(const ReservoirOptions& options = {});

}  // namespace neurode::neurons
