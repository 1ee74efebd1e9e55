#pragma once
// The reference biophysical reservoir's cells (Tolley & Jones; brc-model.md) as cell
// descriptions: morphology, the six Pospischil-type channels per region, a spike detector.
//
// Channels (neurons/src/channels/): na_pospischil 0.05 and k_pospischil 0.005 S/cm2 everywhere;
// leak, km_pospischil, cal_pospischil and cat_pospischil at the region's densities below. Every
// other parameter is the channel's default, the reference's value: eLeak -70, eNa 50,
// eK -90, eCa 120, vt -60, vx 2 [mV]; Km taumax 4000 [ms]; no temperature scaling (q10 1).

#include <neurode/neurons/cell.hpp>

namespace neurode::neurons {

// The densities the reference searches (10^[-9, -2] S/cm2), for one region.
struct RegionDensities {
    double leak = 1e-4;  // gLeak [S/cm2]
    double km = 7e-5;    // gKm [S/cm2]
    double cal = 1e-4;   // gCaL [S/cm2]
    double cat = 4e-4;   // gCaT [S/cm2]

    void validate() const;  // each finite and >= 0; throws invalid_parameter naming "leak", "km", ...
};

// The reference publishes no best densities. The defaults are Pospischil et al. 2008's values
// (leak and Km of the regular-spiking cell, CaL of the bursting cell, CaT of the low-threshold
// spiking cell) on the soma and half of them on the dendrites: with them the E cell is at rest
// near -70 mV, fires a regular train for a 0.3 nA somatic step, and its distal dendrite fires
// for a 0.01 nA step at the tip (tests/neurons/reference_cell_test.cpp).
struct ReferenceDensities {
    RegionDensities soma;                              // E-cell branch 0
    RegionDensities dendrite{5e-5, 3.5e-5, 5e-5, 2e-4};  // E-cell branches 1-3

    void validate() const;  // names "soma.<field>" or "dendrite.<field>"
};

// The E cell: Morphology::reference_excitatory() (sections "soma", "dend1", "dend2", "dend3";
// regions "soma" and "dendrite"), initial voltage -70 mV with steady-state gates, no clamps, a
// spike detector (0 mV) on the soma's compartment 0 (the reference's presynaptic read point),
// celsius 36 degC (the channels' reference temperature).
CellModel reference_excitatory_cell(const ReferenceDensities& densities = {});

// The I cell: Morphology::reference_inhibitory() (one section "soma", region "soma") with one
// set of densities; otherwise as the E cell.
CellModel reference_inhibitory_cell(const RegionDensities& densities = {});

// The cue cell: the I cell's morphology with Na, K (the fixed densities above) and leak (1e-4
// S/cm2, -70 mV) only, and one current clamp on compartment 0 (input "iclamp[0]") that carries
// its tuned cue current; a spiking relay from the task's cue to the network.
CellModel reference_cue_cell();

}  // namespace neurode::neurons
