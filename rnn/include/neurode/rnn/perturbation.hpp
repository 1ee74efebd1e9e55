#pragma once
// Post-training perturbations of a trained rate network, graded P0 (none) to P5 (strongest),
// applied without retraining (the heterogeneity study: how robust is what a network learned?).
// Each turns (trained network, task, test batch) into a perturbed test: the network and batch to
// run and the task that scores it. P0 returns them unchanged, so outputs are bit-identical.
//
// Strength s(P) = heterogeneity_cv(P) = 0, 0.1, 0.25, 0.5, 1, 2 for every graded kind, so that a
// level means the same relative spread for time constants and weights:
//
//   time_constants  tau_i <- clip(tau_i f_i), f_i lognormal with mean 1 and CV s (the draw of
//                   draw_time_constants), clipped to the network's [tau_min_ms, tau_max_ms].
//   weight_jitter   W_ij <- W_ij (1 + s z_ij), z_ij ~ N(0, 1): multiplicative synaptic jitter.
//   initial_state   x(0) drawn with sd sqrt(sd0^2 + s^2) around the network's initial value
//                   (sd0: its own spread, 0 for zero or constant initial states).
//   trial_duration  the memory epoch ("delay" where a trial has one, else "stimulus") lengthened
//                   by s times the trial's length in steps, inputs cycled from the epoch's own
//                   steps (their noise included), targets and mask held; later epochs shift.
//   activity        a transient pulse in the middle of that epoch: every free unit's drive gets
//                   s z_i, z_i ~ N(0, 1) per trial and unit, for pulse_ms (an extra input
//                   channel per unit with unit weight: the network's own Euler map runs it).
//   task            tested on another task: P1..P5 are the other Yang tasks, nearest first
//                   (related_tasks()); the network and its rule inputs are unchanged.
//
// Random draws come from Perturbation::seed alone, so a perturbation is reproducible.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/task.hpp>

namespace neurode::rnn {

enum class PerturbationKind { time_constants, weight_jitter, initial_state, trial_duration, activity, task };
constexpr int max_perturbation_level = 5;

std::vector<PerturbationKind> perturbation_kinds();  // all six, in the order above
std::string perturbation_name(PerturbationKind kind);  // "time_constants", ...
// Throws invalid_parameter(field, ...) listing the names for an unknown one.
PerturbationKind perturbation_kind(std::string_view name, const std::string& field = "perturbation");
// s(P) for the graded kinds (see above); throws invalid_parameter("level") outside 0..5.
double perturbation_strength(int level);

struct Perturbation {
    PerturbationKind kind = PerturbationKind::weight_jitter;
    int level = 0;             // P0..P5
    std::uint64_t seed = 1;    // the perturbation's random draws (and another task's trials)
    double pulse_ms = 100;     // [ms] duration of the activity pulse, > 0
    void validate() const;     // names "level", "pulse_ms"
};

struct PerturbedTest {
    RateNetwork network;
    TrialBatch batch;
    std::shared_ptr<const Task> task;  // scores the batch
};

// The perturbed test of `network` trained on `task`, tested on `batch` (drawn from `task`).
// Throws invalid_parameter for a bad perturbation, and for PerturbationKind::task on a task that
// is not one of the Yang tasks.
PerturbedTest perturb(const RateNetwork& network, std::shared_ptr<const Task> task, const TrialBatch& batch,
                      const Perturbation& perturbation);

// The other Yang tasks, nearest first: distance = (memory epoch differs) + (response rule
// differs: pro, anti or decision), ties in the order go, dly_go, anti, dly_anti, msdm, dly_msdm.
// Throws invalid_parameter("task", ...) for a task that is not a Yang task.
std::vector<std::string> related_tasks(std::string_view yang_task);

// The epoch that trial_duration lengthens and activity pulses: "delay" when the trial's delay
// has steps, else "stimulus".
const Epoch& memory_epoch(const TrialBatch& batch, std::size_t trial);

// The batch with the memory epoch of every trial lengthened by `extra_steps` (see above).
TrialBatch stretch_memory_epoch(const TrialBatch& batch, std::size_t extra_steps);

// A copy of `network` with other options (its parameters kept; sizes must match).
RateNetwork with_options(const RateNetwork& network, const RateNetworkOptions& options);

}  // namespace neurode::rnn
