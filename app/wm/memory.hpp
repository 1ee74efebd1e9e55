#pragma once
// Scoring a working-memory network, whatever its kind: the reference's readout (one ridge
// readout over every sample from cue onset to the trial's end, lambda 2 with intercept, folds
// that hold out one repeat of every cue) applied to the network's activity, cross-validated.
// Its score is the mean squared error over samples and both outputs (the reference's, lower is
// better; predicting 0 throughout scores 4 on the +-2 cues) and its R^2 per time bin from cue
// onset on: the memory curve.

#include <vector>

#include <neurode/analysis/activity.hpp>
#include <neurode/analysis/decoding.hpp>
#include <neurode/rnn/task.hpp>

namespace neurode::app::wm {

struct MemoryScore {
    analysis::DecodingCurve curve;  // time: [ms] since cue onset, bin centres
    double mse = 0;                 // cross-validated, over samples and outputs
    double delay_r2 = 0;            // mean R^2 over the bins that start at or after cue offset
};

// Time points [first, first + count) of every trial, conditions kept, epochs dropped.
analysis::Activity window(const analysis::Activity& activity, std::size_t first, std::size_t count);

// One fold per trial: its "repeat" condition (leave one repeat of every cue out).
std::vector<int> repeat_folds(const rnn::TrialBatch& batch);

// `activity` on a grid starting at the trial's start, with any dt (the batch's targets are
// sampled at the activity's points); bin_ms: the memory curve's bins (a multiple of activity.dt).
MemoryScore score_memory(const analysis::Activity& activity, const rnn::TrialBatch& batch, double bin_ms,
                         const analysis::DecodingOptions& decoding = {});

}  // namespace neurode::app::wm
