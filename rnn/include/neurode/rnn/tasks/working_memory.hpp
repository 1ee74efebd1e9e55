#pragma once
// The working-memory cue task of the biophysical reservoir study (ntolley/dendractor): a brief
// cue early in the trial must be held until the trial ends. By default a trial is 1000 ms with a
// 25 ms cue at 250 ms, the cue is a 2-D analog value from the four corners (+-2, +-2), and 20
// trials give 5 repeats of each corner, as the reference's 20 simulations.
//
// Inputs carry the cue value itself during the cue and 0 otherwise: "cue_x", "cue_y" for an
// analog cue, or one-hot "cue_0".."cue_<K-1>" (height cue_amplitude) for one of K identities. How
// the value drives a network is the model's business; the reference reservoir turns (x1, x2)
// into currents into 25 Gaussian-tuned cue cells.
//
// Targets: 0 before the cue, the cue value from cue onset to the end of the trial (analog:
// outputs "x", "y"; identity: one-hot outputs "identity_0".."identity_<K-1>"). Mask: 1 from cue
// onset to the end, as the reference's readout is fitted on every sample from 250 ms on; with
// mask_during_cue = false, from cue offset (the memory period alone). 0 before.
//
// Epochs: fixation = before the cue; stimulus = the cue; delay = cue offset to the last step;
// decision = the last step (the one identity trials are scored at). With a delay shorter than
// one step the delay is empty and so is the decision, at the trial's end.
//
// Randomness: the analog corners are assigned in order (trial i gets analog_values[i % size],
// repeat i / size), so that batch does not depend on the seed: the reference's trial-to-trial
// randomness lives in the reservoir's noise, not in the task. Random analog cues and identities
// are drawn from the seed.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <neurode/rnn/task.hpp>

namespace neurode::rnn {

enum class CueKind {
    analog_set,     // 2-D values from analog_values, in order
    analog_random,  // 2-D values, each coordinate ~ U(-analog_range, analog_range)
    identity,       // one of `identities` labels, uniformly at random
};

struct WorkingMemoryOptions {
    CueKind cue = CueKind::analog_set;
    std::vector<std::array<double, 2>> analog_values{{-2, -2}, {2, 2}, {-2, 2}, {2, -2}};  // the reference's order
    double analog_range = 2.0;        // analog_random bound, > 0
    std::size_t identities = 4;       // K for CueKind::identity, >= 2
    double cue_amplitude = 1.0;       // identity: height of the one-hot cue input, > 0

    double cue_onset_ms = 250.0;      // [ms] start of the cue, >= 0
    double cue_ms = 25.0;             // [ms] cue duration, at least one step
    double delay_ms = 725.0;          // [ms] cue offset to the end of the trial, >= 0
    bool mask_during_cue = true;      // false: the loss and R^2 start at cue offset
    // [ms] per step. The reference simulates at 0.025 ms and reads out every 10th step; this is
    // that readout interval.
    double dt = 0.25;

    double trial_ms() const { return cue_onset_ms + cue_ms + delay_ms; }  // [ms]
    void validate() const;            // throws invalid_parameter naming the field
};

class WorkingMemoryTask final : public Task {
public:
    explicit WorkingMemoryTask(WorkingMemoryOptions options = {});
    std::string name() const override { return "working_memory_cue"; }
    std::size_t input_size() const override;
    std::size_t output_size() const override { return input_size(); }
    double dt() const override { return options_.dt; }
    const WorkingMemoryOptions& options() const { return options_; }

    // Conditions: analog "cue_x", "cue_y" (and, for analog_set, "cue_index" into analog_values
    // and "repeat"); identity "identity".
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // Analog: "r2", the coefficient of determination over the masked steps, per output channel
    // 1 - SS_res / SS_tot around that channel's masked mean, averaged over the two channels
    // (scikit-learn's r2_score); a channel with SS_tot = 0 counts 1 if matched exactly, else 0.
    // per_trial: the same with both sums over one trial's steps but SS_tot still around the
    // batch's channel means (a trial's target is constant, so its own mean would leave no
    // variance to explain). Identity: "accuracy", the argmax of the outputs at
    // the last step against the cued identity (ties go to the lower index).
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    WorkingMemoryOptions options_;
};

}  // namespace neurode::rnn
