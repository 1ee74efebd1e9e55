#pragma once
// Cross-validated linear decoding of trial targets from activity, scored per time bin: the
// memory curve of a working-memory network (how well the cue can be read out as time since its
// offset grows). One ridge readout (libsim's, intercept unregularised) is fitted across all
// time points of the training trials, as the biophysical-reservoir reference does; each fold
// (e.g. one repeat of every cue condition) is held out in turn and predicted.

#include <span>
#include <vector>

#include <neurode/analysis/activity.hpp>
#include <neurode/sim/readout.hpp>

namespace neurode::analysis {

struct DecodingOptions {
    sim::RidgeOptions ridge{2.0};  // lambda 2 with intercept, the reference's; warmup unused
    std::size_t bin = 1;           // time points per scored bin, >= 1 (a last partial bin is scored too)
    void validate() const;         // names the field
};

struct DecodingCurve {
    std::vector<double> time;       // [ms] centre of each bin, from the activity's first time point
    std::vector<double> r2;         // cross-validated R^2 per bin (scikit-learn's r2_score, outputs averaged)
    double mse = 0;                 // cross-validated mean squared error over every sample and output
    std::vector<double> predictions;  // held-out predictions, [trials][steps][outputs]
};

// targets: [trials][steps][outputs] aligned with `features`; folds: one fold id per trial (0 .. k-1,
// k >= 2). Errors name the argument (mismatched trials or steps, NaN, a fold without trials).
DecodingCurve cross_validated_decoding(const Activity& features, std::span<const double> targets, std::size_t outputs,
                                       const std::vector<int>& folds, const DecodingOptions& options = {});

}  // namespace neurode::analysis
