#pragma once
// Five tasks of the NeuroGym collection, as neurogym/neurogym (envs/native/*.py) defines them:
//
//     neurode name                 NeuroGym class              inputs                 outputs
//     perceptual_decision_making   PerceptualDecisionMaking    fixation, ring of n    fixation, n choices
//     context_decision_making      ContextDecisionMaking       fixation, 2 rings of n fixation, n choices
//                                                              (+ 2 context units)
//     go_nogo                      GoNogo                      fixation, nogo, go     fixation, go
//     delay_comparison             DelayComparison             fixation, stimulus     fixation, 2 choices
//     probabilistic_reasoning      ProbabilisticReasoning      fixation, locations x  fixation, 2 choices
//                                                              shapes (one-hot)
//
// Epochs: every trial has the four aligned epochs fixation, stimulus, delay, decision, in that
// order, so that analyses cut all five tasks the same way. Each epoch's duration is drawn per
// trial and floored to whole steps. The mapping to NeuroGym's periods:
//     perceptual_decision_making, context_decision_making, go_nogo: the same four periods
//         (a zero-length delay, or fixation for go_nogo, where NeuroGym's timing has 0 ms).
//     delay_comparison: stimulus = NeuroGym's stimulus1 (f1); delay = the memory period; then a
//         fifth epoch "stimulus2" (f2) before the decision.
//     probabilistic_reasoning: stimulus = NeuroGym's stimulus0 ... stimulus{n-1} together; shape k
//         (0-based) appears at stimulus.start + k * stimulus.length() / locations, as every
//         location lasts the same number of steps within a trial.
// A batch is as long as its longest trial; shorter trials end early, with zero inputs, targets
// and mask after their own end (their epochs stop there too).
//
// Inputs: the fixation input is 1 from the trial's start until the decision epoch and 0 in it
// (its offset is the go cue, as in NeuroGym's classic envs; the newest ContextDecisionMaking and
// PerceptualDecisionMaking switch it off after the fixation period already, which leaves a
// random-delay task without a go cue). Stimulus inputs are 0 outside their epochs. Input noise
// N(0, (sigma / sqrt(dt_ms))^2), independent per step and channel, is added to the stimulus
// channels during the stimulus epochs (NeuroGym's add_randn; DelayComparison also adds it to the
// fixation input, which neurode leaves clean). Noise is drawn from a stream split off the trial
// stream, so a seed gives the same trials with noise on or off.
//
// Outputs, targets and mask: output 0 is "fixation", outputs 1.. are the choices ("choice1",
// "choice2", ...; go_nogo has the one response "go"). The target is NeuroGym's ground-truth
// action encoded one-hot over the outputs: the fixation output is 1 outside the decision epoch;
// in the decision epoch the correct choice's output is 1 (for a no-go trial, fixation stays 1).
// The mask is 1 for every output at every step of the trial (NeuroGym supervises all steps) and
// 0 on padding.
//
// Conditions: every task's first condition is "ground_truth", the correct choice as a 0-based
// index among the choice outputs (0 -> "choice1"); for go_nogo 1 = go, 0 = no-go.
//
// Scoring (accuracy): each trial is read at the last step of its own decision epoch, where
// NeuroGym's supervised evaluation reads the network's action. For the choice tasks the choice
// is the argmax over the choice outputs (ties go to the lower index; the fixation output is not
// a candidate, so a constant output scores chance); correct if it equals ground_truth. For
// go_nogo the network responds when the go output exceeds the fixation output; correct when it
// responds on go trials and fixates on no-go trials.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/rnn/task.hpp>
#include <neurode/rnn/timing.hpp>

namespace neurode::rnn {

// Two-alternative (or n-alternative) random-dot motion discrimination (Britten et al. 1992).
// Choice unit k of the ring has angle 2 pi k / n; a trial toward choice c with coherence coh [%]
// drives unit k by cos(theta_k - theta_c) coh / 200 + 0.5 during the stimulus epoch.
// Conditions: ground_truth, coherence [%].
struct PerceptualDecisionMakingOptions {
    double dt_ms = 100;                                           // [ms] step
    std::size_t choices = 2;                                      // ring units = choice outputs, >= 2
    std::vector<double> coherences = {0, 6.4, 12.8, 25.6, 51.2};  // [%] drawn uniformly per trial, in [0, 100]
    Duration fixation = Duration::fixed(100);                     // [ms]
    Duration stimulus = Duration::fixed(2000);                    // [ms]
    Duration delay = Duration::fixed(0);                          // [ms]
    Duration decision = Duration::fixed(100);                     // [ms] at least one step
    bool input_noise = true;                                      // false: noise-free inputs
    double sigma = 1.0;  // [sqrt(ms)] input noise sd per step = sigma / sqrt(dt_ms)

    double input_noise_sd() const;  // 0 when input_noise is off
    // Throws invalid_parameter naming the first field that violates its constraint.
    void validate() const;
};

// Context-dependent decision making (Mante et al. 2013): two modalities, each on its own ring of
// n units encoded as in perceptual decision making, point to choices of their own with
// coherences of their own; the context says which modality to report. Explicit context: two
// context inputs, one-hot, on for the whole trial, the context drawn per trial. Implicit
// context: no context inputs, the context fixed to implicit_context_modality (to be learned).
// Conditions: ground_truth, context (0: modality 1, 1: modality 2), choice_mod1, choice_mod2
// (the choice each modality points to; the irrelevant one is drawn independently and may agree),
// coherence_mod1, coherence_mod2 [%].
struct ContextDecisionMakingOptions {
    double dt_ms = 100;                                      // [ms] step
    std::size_t choices = 2;                                 // ring units per modality = choice outputs, >= 2
    std::vector<double> coherences = {5, 15, 50};            // [%] drawn per modality and trial, in [0, 100]
    // NeuroGym's constructor defaults to an implicit context; neurode defaults to an explicit one
    // so that the context varies from trial to trial (ignoring it caps accuracy at 75 %).
    bool explicit_context = true;
    std::size_t implicit_context_modality = 0;               // 0 or 1; used when explicit_context is false
    Duration fixation = Duration::fixed(300);                // [ms]
    Duration stimulus = Duration::fixed(750);                // [ms]
    Duration delay = Duration::truncated_exponential(600, 300, 3000);  // [ms] mean, low, high
    Duration decision = Duration::fixed(100);                // [ms] at least one step
    bool input_noise = true;                                 // false: noise-free inputs
    double sigma = 1.0;  // [sqrt(ms)] input noise sd per step = sigma / sqrt(dt_ms)

    double input_noise_sd() const;
    void validate() const;
};

// Go/no-go: a go or a no-go cue during the stimulus epoch; after the delay, respond to go, keep
// fixating on no-go. Inputs [fixation, nogo, go]; the cue's input is 1 during the stimulus.
// Conditions: ground_truth (1 = go).
struct GoNogoOptions {
    double dt_ms = 100;                         // [ms] step
    Duration fixation = Duration::fixed(0);     // [ms]
    Duration stimulus = Duration::fixed(500);   // [ms]
    Duration delay = Duration::fixed(500);      // [ms]
    Duration decision = Duration::fixed(500);   // [ms] at least one step
    bool input_noise = true;
    double sigma = 0.0;  // [sqrt(ms)] NeuroGym adds no noise here; sd per step = sigma / sqrt(dt_ms)

    double input_noise_sd() const;
    void validate() const;
};

// Delayed comparison of two vibrotactile frequencies (Romo et al. 1999): f1, a delay, f2; report
// whether f1 > f2 (choice1) or f1 < f2 (choice2). A pair is drawn uniformly, and its order by
// the ground truth. A frequency v is encoded as (1 + (v - vmin) / (vmax - vmin)) / 2 in [0.5, 1],
// vmin and vmax over all pairs. Conditions: ground_truth, f1 [Hz], f2 [Hz].
struct DelayComparisonOptions {
    double dt_ms = 100;  // [ms] step
    // [Hz] the two frequencies of each pair must differ
    std::vector<std::array<double, 2>> frequency_pairs = {{18, 10}, {22, 14}, {26, 18}, {30, 22}, {34, 26}};
    Duration fixation = Duration::fixed(500);   // [ms]
    Duration stimulus1 = Duration::fixed(500);  // [ms] f1, the "stimulus" epoch
    Duration delay = Duration::fixed(1000);     // [ms]
    Duration stimulus2 = Duration::fixed(500);  // [ms] f2, the "stimulus2" epoch
    Duration decision = Duration::fixed(100);   // [ms] at least one step
    bool input_noise = true;
    double sigma = 1.0;  // [sqrt(ms)] input noise sd per step = sigma / sqrt(dt_ms)

    double input_noise_sd() const;
    void validate() const;
};

// Probabilistic reasoning (Yang & Shadlen 2007, weather prediction): `locations` shapes, drawn
// with replacement, appear one after another at distinct random locations and stay on until the
// stimulus epoch ends. Shape s carries evidence shape_weights[s] (log10 odds for choice2); with
// L the sum over the shown shapes, choice2 is correct with probability 1 / (10^-L + 1). With the
// default weights the Bayes-optimal policy (choose the side L favours) scores 0.9155.
// Input channel 1 + l * shapes + s is shape s at location l (0-based), named "loc{l}_shape{s}".
// Conditions: ground_truth, log_odds, shape0.. (the k-th shown shape), location0.. (its location).
struct ProbabilisticReasoningOptions {
    double dt_ms = 100;  // [ms] step
    std::vector<double> shape_weights = {-10, -0.9, -0.7, -0.5, -0.3, 0.3, 0.5, 0.7, 0.9, 10};  // log10 odds
    std::size_t locations = 4;                      // shapes shown per trial, >= 1
    Duration fixation = Duration::fixed(500);       // [ms]
    Duration shape = Duration::fixed(500);          // [ms] per location; drawn once per trial
    Duration delay = Duration::uniform(450, 550);   // [ms]
    Duration decision = Duration::fixed(500);       // [ms] at least one step
    bool input_noise = true;
    double sigma = 0.0;  // [sqrt(ms)] NeuroGym adds no noise here; sd per step = sigma / sqrt(dt_ms)

    double input_noise_sd() const;
    void validate() const;
};

// The five tasks. Constructors validate the options (throw invalid_parameter); generate() and
// score() follow the conventions at the top of this header.
class PerceptualDecisionMaking final : public Task {
public:
    explicit PerceptualDecisionMaking(PerceptualDecisionMakingOptions options = {});
    std::string name() const override { return "perceptual_decision_making"; }
    std::size_t input_size() const override { return 1 + options_.choices; }
    std::size_t output_size() const override { return 1 + options_.choices; }
    double dt() const override { return options_.dt_ms; }
    const PerceptualDecisionMakingOptions& options() const { return options_; }
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    PerceptualDecisionMakingOptions options_;
};

class ContextDecisionMaking final : public Task {
public:
    explicit ContextDecisionMaking(ContextDecisionMakingOptions options = {});
    std::string name() const override { return "context_decision_making"; }
    std::size_t input_size() const override;
    std::size_t output_size() const override { return 1 + options_.choices; }
    double dt() const override { return options_.dt_ms; }
    const ContextDecisionMakingOptions& options() const { return options_; }
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    ContextDecisionMakingOptions options_;
};

class GoNogo final : public Task {
public:
    explicit GoNogo(GoNogoOptions options = {});
    std::string name() const override { return "go_nogo"; }
    std::size_t input_size() const override { return 3; }
    std::size_t output_size() const override { return 2; }
    double dt() const override { return options_.dt_ms; }
    const GoNogoOptions& options() const { return options_; }
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    GoNogoOptions options_;
};

class DelayComparison final : public Task {
public:
    explicit DelayComparison(DelayComparisonOptions options = {});
    std::string name() const override { return "delay_comparison"; }
    std::size_t input_size() const override { return 2; }
    std::size_t output_size() const override { return 3; }
    double dt() const override { return options_.dt_ms; }
    const DelayComparisonOptions& options() const { return options_; }
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;
    // The input encoding of a frequency [Hz]: (1 + (v - vmin) / (vmax - vmin)) / 2.
    double encode(double frequency_hz) const;

private:
    DelayComparisonOptions options_;
    double vmin_ = 0, vmax_ = 0;  // [Hz] over all pairs
};

class ProbabilisticReasoning final : public Task {
public:
    explicit ProbabilisticReasoning(ProbabilisticReasoningOptions options = {});
    std::string name() const override { return "probabilistic_reasoning"; }
    std::size_t input_size() const override { return 1 + options_.locations * options_.shape_weights.size(); }
    std::size_t output_size() const override { return 3; }
    double dt() const override { return options_.dt_ms; }
    const ProbabilisticReasoningOptions& options() const { return options_; }
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    ProbabilisticReasoningOptions options_;
};

// The neurode names of the five tasks, in the order of the table above.
std::vector<std::string> neurogym_task_names();

// The task with default options, by neurode name ("go_nogo") or NeuroGym class name ("GoNogo");
// throws invalid_parameter("task", ...) for any other name.
std::unique_ptr<Task> make_neurogym_task(std::string_view name);

}  // namespace neurode::rnn
