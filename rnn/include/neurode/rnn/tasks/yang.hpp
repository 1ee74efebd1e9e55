#pragma once
// Six tasks of the Yang et al. (2019) multitask set, as gyyang/multitask (task.py) defines them:
//
//     neurode    reference      rule input   what the network must do at the go cue
//     go         fdgo            0           saccade to the stimulus (on until the trial ends)
//     dly_go     delaygo         2           saccade to where the stimulus was, after a delay
//     anti       fdanti          3           saccade opposite the stimulus (angle + pi)
//     dly_anti   delayanti       5           the same, after a delay
//     msdm       multidm        10           saccade to the stimulus with the larger strength,
//                                            summed over both modalities
//     dly_msdm   multidelaydm   15           the same with the two stimuli shown one after the other
//
// Inputs: 1 fixation unit, then two modality rings of n units, then the one-hot rule units.
// A stimulus at angle theta with strength s drives ring unit k (preferred angle 2 pi k / n) by
//     s * 0.8 exp(-d^2 / 2),   d = circular distance(theta, 2 pi k / n) / (pi / 8).
// Outputs: 1 fixation unit, then a ring of n units. Targets: 0.05 everywhere, except fixation 0.8
// until the go cue and, from the go cue, 0.05 + the same bump (s = 1) at the target angle.
// Loss mask: 0 for the first 100 ms, 1 until the go cue, 0 for the first 100 ms of the response,
// 5 after; the fixation output's weight doubled. The rule unit is on for the whole trial and
// input noise N(0, sigma_x^2 2 / alpha) is added to every input at every step.
//
// Epochs: every trial has the four aligned epochs fixation, stimulus, delay, decision (in that
// order; decision starts at the go cue), so that analyses cut all six tasks the same way:
//     go, anti:           stimulus = stimulus onset to go cue (the stimulus stays on during the
//                         decision); delay has length 0, at the go cue.
//     dly_go, dly_anti:   stimulus = stimulus on; delay = stimulus offset to go cue.
//     msdm:               stimulus = both stimuli on, up to the go cue; delay has length 0.
//     dly_msdm:           stimulus = the first stimulus; delay = the gap between the stimuli
//                         (the memory period); then "stimulus2" and "delay2" (second stimulus
//                         offset to go cue) before the decision.
//
// Conditions per trial: Go family: modality (1 or 2), stim_angle, target_angle [rad]; msdm and
// dly_msdm: stim1_angle, stim2_angle, target_angle [rad], coherence, strength1 and strength2 (each
// summed over both modalities: the target is the larger), strength1_mod1 ... strength2_mod2; all
// tasks: each epoch's duration as "<epoch>_ms" [ms].
//
// Timing: the reference's random mode draws each epoch duration once per batch, so every trial
// of a batch has the same timing (and, for the Go family, the same stimulus modality); that is
// YangTiming::per_batch. YangTiming::per_trial draws them for every trial instead: the batch is
// as long as its longest trial and shorter trials end early, with zero inputs, targets and mask
// after their end (their epochs stop at their own end). YangTiming::fixed uses the timings of the
// reference's test mode. Durations are floored to whole steps, piece by piece, as the reference
// does. Stimulus angles, strengths and (except per_batch) modalities are drawn per trial in every
// mode.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/rnn/task.hpp>

namespace neurode::rnn {

enum class YangTiming {
    per_batch,  // one random draw of the epoch durations per batch (the reference's random mode)
    per_trial,  // one random draw per trial; trials shorter than the batch are padded
    fixed,      // the reference's test-mode timings
};

struct YangOptions {
    double dt_ms = 20;            // [ms] step
    double tau_ms = 100;          // [ms] unit time constant; alpha = dt / tau scales the input noise
    std::size_t ring_units = 32;  // units per stimulus ring and in the output ring
    std::size_t rule_units = 20;  // one-hot rule inputs (the reference's 20-task set)

    bool input_noise = true;      // false: noise-free inputs (tests, plots)
    double sigma_x = 0.01;        // input noise before scaling: sd per step = sigma_x sqrt(2 / alpha)

    YangTiming timing = YangTiming::per_batch;

    // Coherences c: the two stimuli have mean strength m ~ U(0.8, 1.2) and strengths m +- c. Each
    // must lie in (0, 0.8): at 0 neither stimulus is stronger, at 0.8 a strength could reach 0.
    // The reference's "easy_task" variant uses these sets times 10 (msdm) and times 2 (dly_msdm).
    std::vector<double> msdm_coherences = {0.01, 0.02, 0.04, 0.08};
    std::vector<double> dly_msdm_coherences = {0.08, 0.16, 0.32};

    double alpha() const { return dt_ms / tau_ms; }
    // sd of the input noise per step (0 when input_noise is off).
    double input_noise_sd() const;
    // Throws invalid_parameter naming the first field that violates its constraint.
    void validate() const;
};

enum class YangRule { go, dly_go, anti, dly_anti, msdm, dly_msdm };

class YangTask final : public Task {
public:
    // Validates the options (throws invalid_parameter).
    explicit YangTask(YangRule rule, YangOptions options = {});

    std::string name() const override;  // neurode's name: "go", "dly_go", ...
    std::string reference_name() const; // gyyang/multitask's name: "fdgo", "delaygo", ...
    std::size_t rule_index() const;     // which rule unit is on (0-based, among the rule units)
    YangRule rule() const { return rule_; }
    const YangOptions& options() const { return options_; }

    std::size_t input_size() const override;
    std::size_t output_size() const override;
    double dt() const override { return options_.dt_ms; }

    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // The reference's rule at each trial's own last step: fixating when the fixation output is
    // > 0.5; correct when not fixating and the population-vector angle of the ring outputs is
    // within 0.2 pi of the target angle (all six tasks ask for a response).
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    YangRule rule_;
    YangOptions options_;
};

// The task by neurode name ("go", "dly_go", "anti", "dly_anti", "msdm", "dly_msdm") or reference
// name ("fdgo", "delaygo", "fdanti", "delayanti", "multidm", "multidelaydm"); throws
// invalid_parameter("task", ...) for any other name, and for invalid options.
std::unique_ptr<YangTask> make_yang_task(std::string_view name, YangOptions options = {});

}  // namespace neurode::rnn
