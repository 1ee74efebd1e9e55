#pragma once
// The abstract counterpart of the working-memory study: continuous-time rate RNNs on the same
// cue task (rnn::WorkingMemoryTask, same cue values, timing and repeats as the biophysical
// reservoir), (a) as fixed reservoirs read out by the same cross-validated ridge readout and
// (b) trained end to end with BPTT, each with homogeneous and heterogeneous time constants; and
// the comparison of two activity sets on the delay epoch (the analysis layer's metrics).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/analysis/activity.hpp>
#include <neurode/rnn/tasks/working_memory.hpp>

#include "wm/memory.hpp"

namespace neurode::app::wm {

struct AbstractOptions {
    std::size_t units = 64;             // rate units per network
    double dt_ms = 5.0;                 // [ms] the rate networks' step (BPTT unrolls trial_ms / dt_ms steps)
    double tau_ms = 20.0;               // [ms] mean time constant (homogeneous: every unit), >= dt_ms
    std::size_t heterogeneity_level = 3;  // rnn's H-level for the heterogeneous variants (1..5)
    double reservoir_gain = 1.2;        // recurrent gain g of the fixed reservoirs (and the BPTT networks' start)
    double noise_sd = 0.05;             // private noise per unit (sigma_rec), gives trial-to-trial variability
    std::size_t bptt_trials = 6000;     // training budget of each BPTT network (trials seen, in whole batches)
    std::size_t bptt_batch_size = 32;   // trials per Adam step, <= bptt_trials
    double bptt_target_r2 = 0.98;       // training stops early once 3 validations in a row reach this R^2
    double learning_rate = 3e-3;        // Adam
    std::size_t fixed_point_starts = 64;  // initial states of the fixed-point search per BPTT network
    std::uint64_t seed = 1;
    void validate() const;              // throws invalid_parameter naming the field
};

// One rate network on the task.
struct AbstractVariant {
    std::string name;                   // "reservoir, homogeneous tau", "BPTT, heterogeneous tau", ...
    std::string kind;                   // "reservoir" or "bptt"
    bool heterogeneous = false;
    // Rates of every unit, one trial per task trial, on the networks' grid (dt_ms; the study
    // resamples to common bins), with the task's epochs and conditions.
    analysis::Activity activity;
    // The cross-validated ridge readout of the cue (score_memory(), as for the biophysical reservoir).
    MemoryScore memory;
    double trained_output_r2 = 0;       // BPTT: its own readout's R^2 on the delay (held-out batch); NaN for reservoirs
    std::size_t trials_trained = 0;     // BPTT: trials seen
    // BPTT: the fixed/slow points of the trained network (its Euler map at dt_ms) with the cue
    // input off, searched from its delay-period states: what holds the memory.
    std::size_t fixed_points = 0, stable_fixed_points = 0;
    double slowest_speed = 0;           // q = |x - g(x)|^2 / 2 of the map at the slowest end state found [state units^2]
    std::string attractor;              // "4 stable points, 3 unstable points; 12 slow points along a line", ...
};

using AbstractProgress = std::function<void(const std::string& step)>;

// Runs the four variants on `batch` (made by `task`), scoring memory in bins of bin_ms. The networks run on the task's own trials at dt_ms (the same cues in the same
// order: the batch must hold the task's seed-independent analog_set cues, else invalid_parameter
// "batch"). The BPTT networks start from the reservoirs and train on the task's own cue set.
// Deterministic for a seed; threads for BPTT and decoding as the library's defaults (one), the
// fixed-point search on every hardware thread (its result does not depend on their number).
std::vector<AbstractVariant> run_abstract(const rnn::WorkingMemoryTask& task, const rnn::TrialBatch& batch, double bin_ms,
                                          const AbstractOptions& options, const AbstractProgress& progress = {});

// Activity averaged into bins of bin_ms (a whole multiple of activity.dt, else invalid_parameter
// "bin_ms"; the last partial bin dropped); epochs and conditions carried over (epoch bounds
// rounded to the nearest bin boundary, halves up).
analysis::Activity resample(const analysis::Activity& activity, double bin_ms);

// The mean over the trials of each cue (condition "cue_index", by increasing value) at every
// time point: rows c * steps + k. Throws invalid_parameter "<argument>.condition_names" without it.
Eigen::MatrixXd cue_means(const analysis::Activity& activity, const std::string& argument);

// The delay-epoch comparison of two activity sets of the same trials (same trial count and
// conditions; both resampled to bin_ms first, then cut to the "delay" epoch and to the shorter
// length): trial-averaged per cue condition (condition "cue_index", by increasing value) for the
// geometry metrics, which need more such samples than units (else invalid_parameter "bin_ms").
// The unit counts may differ.
struct ActivityComparison {
    double svcca = 0;          // mean SVCCA correlation (top components keeping 99% variance)
    double cka = 0;            // linear CKA
    double procrustes = 0;     // [rad] Procrustes (angular shape) distance
    double dsa = 0;            // [rad] DSA distance (Ostrow et al.): delay embedding + DMD on single trials, each unit centred
    std::size_t pcs_90_a = 0, pcs_90_b = 0;  // principal components for 90% of the trial-averaged variance
};
ActivityComparison compare_delay_activity(const analysis::Activity& a, const analysis::Activity& b, double bin_ms);

}  // namespace neurode::app::wm
