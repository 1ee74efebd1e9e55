#pragma once
// One point of a sweep: a rate network built for the point's task and heterogeneity level
// (rnn::heterogeneity_study's setting, with the point's other factors), trained to criterion or
// budget, evaluated on held-out trials, perturbed P0..P5 in every kind asked, and its change in
// dynamics measured against the unperturbed network (analysis layer: angular CKA distance and
// Procrustes shape distance of the decision-epoch states, trials x steps samples).
//
// Record layout (docs/sweeps.md): /train (attributes: reached_criterion, trials_to_criterion,
// trials_seen, final_validation, wall_seconds), /history, /network, /evaluate (accuracy, mse),
// /perturb/<kind>/{accuracy, cka_distance, shape_distance} over levels 0..max_level.
//
// Seeds: the network's initial weights and time constants come from the point's "seed" factor
// alone (the same replicate starts from the same weights at every task and level); training,
// test trials and perturbations from seeds derived from the point's levels (SweepPlan::seed).

#include <cstddef>

#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/sweep.hpp>

#include "sweep/description.hpp"

namespace neurode::app::sweep {

void run_point(const SweepDescription& description, const sim::SweepPlan& plan, std::size_t index, sim::h5::Writer& record);

}  // namespace neurode::app::sweep
