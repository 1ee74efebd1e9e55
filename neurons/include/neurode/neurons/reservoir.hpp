#pragma once
// The reference biophysical reservoir (Tolley & Jones; brc-model.md) as a network description:
// E cells (reference_excitatory_cell, 16 compartments) and I cells (reference_inhibitory_cell)
// on the reference's ring lattice (E_i at node i, I_j at node 2j, distances 1 and 2, not
// periodic), with its six recurrent projections of kinetic synapses, each pair kept with its
// pconn, and a background drive: one Poisson train per cell through an AMPA event synapse on the
// soma (the reference's noise cells, which fire irregularly and drive E and I one to one).
// Kinetic synapses release from the presynaptic soma's compartment 0, as in the reference.
// A cue population (ReservoirCue, off by default) adds the reference's cue cells: spiking relays,
// each tuned to the 2-D cue by Gaussians around its centre, projecting onto the even E cells
// through AMPA or NMDA on the distal tip or the soma (the study's four conditions) and onto every
// I cell through AMPA.
// The reference publishes no best parameter set; the defaults below give a busy network (E and
// I cells fire at tens of Hz), the regime of the benchmark, not a tuned reservoir.

#include <array>
#include <cstdint>
#include <span>

#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/reference_cells.hpp>

namespace neurode::neurons {

struct ReservoirProjection {
    double conductance;  // [uS] per synapse (the reference searches 10^[-2, 1])
    double probability;  // pconn: each lattice pair is kept with it, in [0, 1]
};

enum class CueSite {
    dendrite,  // dend3's distal tip (the reference's branch 3, compartment 3)
    soma,      // the soma's compartment 0
};

struct ReservoirCue {
    std::size_t cells = 0;                 // 0: no cue population; the reference has 25
    Receptor receptor = Receptor::nmda;    // onto E: ampa or nmda
    CueSite site = CueSite::dendrite;      // onto E
    ReservoirProjection excitatory{0.1, 0.1};  // cue -> even E cells: [uS] per synapse, pconn (reference 0.1)
    double inhibitory_conductance = 1e-3;  // [uS] cue -> every I cell, AMPA on the soma (the reference's)
    double peak_current = 0.1;             // [nA] into a cell whose centre matches the cue in both coordinates
    double tuning_width = 0.3;             // Gaussian width of the tuning, in cue units

    void validate() const;  // names "cue.<field>"
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
    ReservoirCue cue;
    std::uint64_t seed = 1;       // connectivity masks and drive trains

    void validate() const;  // names the field
};

// Populations "E", "I" (and "cue" with a cue population); drives "drive_E", "drive_I".
NetworkDescription reference_reservoir(const ReservoirOptions& options = {});

// Cue cell k's tuning centre: the reference's 25 centres (numpy default_rng(12345).uniform(-3, 3,
// (25, 2)), values in reservoir.cpp), then U(-3, 3)^2 draws of sim::Rng(12345) for k >= 25.
std::vector<std::array<double, 2>> cue_centres(std::size_t cells);

// Each cue cell's current [nA] for cue (x1, x2): peak_current / 2 * (exp(-((c1 - x1) / w)^2) +
// exp(-((c2 - x2) / w)^2)), as the reference.
std::vector<double> cue_currents(const ReservoirCue& cue, double x1, double x2);

// Binds each cue cell's clamp to its current (currents[k], nA) on [onset, onset + duration) [ms]
// and 0 elsewhere. `network` is the reservoir built from a description with a cue population.
void bind_cue(const NetworkDescription& description, const BuiltNetwork& network, sim::Simulation& simulation,
              std::span<const double> currents, double onset, double duration);

}  // namespace neurode::neurons
