#pragma once
// The perceptual decision tasks of McMahan, Kleinman & Kao (learning rules and RNN solutions),
// as bmcmahan2016/RNN_Learning_Rules defines them (task/williams.py, task/context.py,
// task/Ncontext.py, rnn.py):
//
//   random dots motion (RDM)   one noisy evidence input u_t = mu + noise; report sign(mu).
//   context-dependent          N noisy evidence inputs, each +-m + noise with its own sign, and N
//   integration (N-CDI)        one-hot context inputs that stay on the whole trial; report the
//                              sign of the cued channel's mean. N = 2 is the CDI task.
//
// Trials are `steps` long (750 in the reference); the evidence and the context inputs are on at
// every step. The reference network advances a = 0.1 time constants per step, which is what a
// neurode rate network with its default tau of 100 ms does at the default dt of 10 ms.
//
// Targets and mask follow the reference's loss (y_0 - 0)^2 + (y_last - sign(mu))^2: the one
// output ("choice") is trained to 0 at step 0 and to the answer at the last step; both steps have
// weight 1 and every other step weight 0 (no ramp).
//
// Noise: the paper states a noise *variance* (0.1, 0.5, 1.0) and so does noise_variance here
// (sd = sqrt(noise_variance)). The reference code multiplies unit normals by that number, i.e.
// uses it as the sd; the two agree at the default 1.0, and passing v^2 reproduces the code's v.
//
// Epochs: fixation [0, 0); stimulus [0, steps - 1), the integration window; delay
// [steps - 1, steps - 1); decision [steps - 1, steps), the step that is scored (the evidence is
// still on during it, as in the reference).
//
// Scoring ("accuracy") follows rnn.py's GetValidationAccuracy: per trial, the output's sign at
// the last step against the target there. A trial whose target is 0 (N-CDI with m = 0, which
// only the validation batch draws) counts as correct, as in the reference. Unlike the
// reference, an output of exactly 0 is wrong on a non-zero target: the reference's tolerance
// counts it right, so a silent network would score 1.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <neurode/rnn/task.hpp>

namespace neurode::rnn {

// The validation means of rnn.py's createValidationSet: numpy.linspace(0, 0.1875, 20) (0.1875,
// not the training bound 0.1857, as in the reference). Trial i of a validation batch has
// |mean| = mcmahan_validation_means()[i % 20] and a random sign.
std::vector<double> mcmahan_validation_means();

// ---------------------------------------------------------------------------------------------
// Random dots motion (task/williams.py, "rdm"). |mu| ~ U(0, max_mean), sign +-1 with equal
// probability; u_t = mu + N(0, noise_variance) at every step; target sign(mu) (the drawn sign,
// also when |mu| = 0).
struct RandomDotsOptions {
    std::size_t steps = 750;        // trial length in steps, >= 2
    double max_mean = 0.1857;       // |mu| ~ U(0, max_mean), >= 0 (the paper's taskMean)
    double noise_variance = 1.0;    // [input^2] per step, >= 0 (the paper's taskVar)
    double dt = 10.0;               // [ms] per step (see the header comment)

    void validate() const;          // throws invalid_parameter naming the field
};

class RandomDotsTask final : public Task {
public:
    explicit RandomDotsTask(RandomDotsOptions options = {});
    std::string name() const override { return "mcmahan_rdm"; }
    std::size_t input_size() const override { return 1; }
    std::size_t output_size() const override { return 1; }
    double dt() const override { return options_.dt; }
    const RandomDotsOptions& options() const { return options_; }

    // Input "evidence", output "choice"; conditions "mu" (signed mean), "coherence" (|mu|) and
    // "direction" (+1 or -1, the target).
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // The reference's validation set: `trials` (2000 in the reference) trials with |mu| cycling
    // through mcmahan_validation_means(), random signs, this task's noise.
    TrialBatch validation_batch(std::uint64_t seed, std::size_t trials = 2000) const;
    // "accuracy" at the last step (see the header comment).
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    TrialBatch make_batch(std::size_t trials, std::uint64_t seed, bool validation) const;
    RandomDotsOptions options_;
};

// ---------------------------------------------------------------------------------------------
// Context-dependent integration with N contexts (task/Ncontext.py; task/context.py for N = 2).
// One magnitude m ~ U(0, max_mean) per trial; each channel k gets mean mu_k = +-m with its own
// random sign and noise N(0, noise_variance) per step; one context c, uniform over the N, sets
// input N + c to 1 for the whole trial; target sign(mu_c) (0 when m = 0).
// Inputs: "evidence_0".."evidence_<N-1>", then "context_0".."context_<N-1>".
struct ContextIntegrationOptions {
    std::size_t contexts = 2;       // N, in [1, 6] (the paper uses 2 to 6; 1 is RDM with a cue input)
    std::size_t steps = 750;        // trial length in steps, >= 2
    double max_mean = 0.1857;       // m ~ U(0, max_mean), >= 0
    double noise_variance = 1.0;    // [input^2] per step, >= 0 (0.1, 0.5 or 1.0 in the paper)
    double dt = 10.0;               // [ms] per step

    void validate() const;
};

class ContextIntegrationTask final : public Task {
public:
    explicit ContextIntegrationTask(ContextIntegrationOptions options = {});
    std::string name() const override { return "mcmahan_cdi"; }
    std::size_t input_size() const override { return 2 * options_.contexts; }
    std::size_t output_size() const override { return 1; }
    double dt() const override { return options_.dt; }
    const ContextIntegrationOptions& options() const { return options_; }

    // Output "choice"; conditions "context" (0-based cued channel), "coherence" (m), "target"
    // (sign(mu_context): +1, -1, or 0 when m = 0) and "mu_0".."mu_<N-1>" (signed channel means).
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // As RandomDotsTask::validation_batch: m cycles through mcmahan_validation_means().
    TrialBatch validation_batch(std::uint64_t seed, std::size_t trials = 2000) const;
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    TrialBatch make_batch(std::size_t trials, std::uint64_t seed, bool validation) const;
    ContextIntegrationOptions options_;
};

}  // namespace neurode::rnn
