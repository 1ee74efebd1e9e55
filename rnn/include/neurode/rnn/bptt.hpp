#pragma once
// Backpropagation through time with Adam for the rate network's Euler map (RateNetwork::run_euler),
//     x_{t+1} = (1 - a) x_t + a (W_eff f(x_t) + Win u_t + b) + sqrt(2a) sigma xi_t,   a = dt / tau,
//     y_t     = Wout f(x_{t+1}) + bout            (Readout::state: Wout x_{t+1} + bout),
// with the loss
//     L = sum(mask (y - y*)^2) / sum(mask)                                  (rnn::masked_mse)
//       + l2_weight (mean(W_eff^2) + mean(Win^2) + mean(Wout^2))
//       + rate_regularisation mean(f(x_{t+1})^2)    (over units, steps and trials)
// as PsychRNN writes its regularisers. The backward pass is analytic and batched (units x trials
// matrices, one GEMM per step each way; the weight gradients are one GEMM over all steps). It runs
// through the effective weights, so fixed connectivity masks get no gradient, Dale's law
// differentiates through |W| .* mask * diag(sign), and clamped units never change. x_0 and the
// noise come from the noise seed exactly as in run_euler (one Euler substep per input step).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/adam.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/training.hpp>

namespace neurode::rnn {

enum class Precision { float64, float32 };

struct BpttOptions {
    AdamOptions adam;                 // learning rate 1e-3 (McMahan et al.: 5e-4 with batch 500)
    std::size_t batch_size = 64;      // trials per iteration
    // L2 on the effective weights as a loss term (means of squares, PsychRNN's form); Adam's own
    // weight_decay is the alternative, added to the raw gradients as torch does.
    double l2_weight = 0.0;
    double rate_regularisation = 0.0; // coefficient on mean f(x)^2
    bool train_recurrent = true;      // W
    bool train_input = true;          // Win
    bool train_bias = true;           // b, when the network has options().bias
    bool train_readout = true;        // Wout and bout
    // float32 runs the forward and backward passes in single precision (the weights and Adam stay
    // double), as PyTorch's default dtype does.
    Precision precision = Precision::float64;
    // Trials are split into this many contiguous groups run on their own threads; the partial
    // gradients are summed in group order, so results depend on `threads` but not on scheduling.
    std::size_t threads = 1;

    void validate() const;  // throws invalid_parameter naming the field
};

// Gradient blocks, in this order, in every gradient vector below.
enum class BpttBlock : std::size_t { W = 0, Win = 1, b = 2, Wout = 3, bout = 4 };
constexpr std::size_t bptt_block_count = 5;

class BpttLearner final : public Learner {
public:
    // Checks the options and the network (throws invalid_parameter).
    BpttLearner(RateNetwork network, BpttOptions options = {});
    ~BpttLearner() override;
    // Adam points into this object's parameter copies.
    BpttLearner(const BpttLearner&) = delete;
    BpttLearner& operator=(const BpttLearner&) = delete;

    std::string name() const override { return "bptt"; }
    // Draws options().batch_size trials and takes one Adam step; the batch and the noise come
    // from `seed`. Throws invalid_parameter("inputs"/"outputs") when the task and network differ.
    IterationResult iterate(const Task& task, std::uint64_t seed) override;
    // run_euler's outputs with noise seed 0.
    std::vector<double> outputs(const TrialBatch& batch) const override;
    // Network parameters and Adam state.
    void save_state(sim::h5::Writer& out, const std::string& group) const override;
    void load_state(const sim::h5::Reader& in, const std::string& group) override;

    // The loss on `batch` and its gradient with respect to every block (BpttBlock order, shaped
    // like the network's W, Win, b, Wout, bout; trained or not). Not reentrant (shared workspace).
    double loss_and_gradient(const TrialBatch& batch, std::uint64_t noise_seed, std::vector<Eigen::MatrixXd>& gradients) const;
    // One Adam step on `batch`; returns the loss before the step.
    double step(const TrialBatch& batch, std::uint64_t noise_seed);

    const RateNetwork& network() const { return network_; }
    const BpttOptions& options() const { return options_; }

private:
    struct Workspaces;
    void check_dimensions(std::size_t inputs, std::size_t outputs) const;
    void sync_network();

    RateNetwork network_;
    BpttOptions options_;
    std::vector<BpttBlock> trained_;            // blocks Adam updates
    std::vector<Eigen::MatrixXd> parameters_;   // their values, Adam's copies
    std::vector<Eigen::MatrixXd> gradients_, trained_gradients_;
    std::unique_ptr<Adam> adam_;
    std::unique_ptr<Workspaces> workspaces_;
};

}  // namespace neurode::rnn
