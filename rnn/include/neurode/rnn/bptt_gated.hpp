#pragma once
// Backpropagation through time with Adam for the gated networks (GRU, LSTM, tanh or ReLU; see
// gated.hpp), with gradients derived by hand. Each iteration draws `batch_size` trials, runs them
// together from a zero state, and takes one Adam step on the masked mean squared error
//     L = sum_{trial, step, k} mask (y - y*)^2 / sum mask            (rnn::masked_mse),
// as torch.optim.Adam does after loss.backward() on the same network in PyTorch.
//
// Backward pass, per step from the last to the first, with dh the gradient reaching h' (its
// readout term plus what the next step sends back) and dc the one reaching the LSTM's c':
//   GRU:  dz = dh (h - n),  dn = dh (1 - z),  da_n = dn phi'(n),  dr = da_n (W_hn h + b_hn),
//         dh_prev = dh z + W_hh^T [da_r; da_z; r da_n]
//   LSTM: dc += dh o phi'(c'),  do = dh phi(c'),  di = dc g,  df = dc c,  dg = dc i,
//         dc_prev = dc f,  dh_prev = W_hh^T [da_i; da_f; da_g; da_o]
// with da = d sigma'(a) for the gates. The weight gradients are sums over steps, so they are
// formed after the loop in one matrix product per weight over all trials and steps.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/adam.hpp>
#include <neurode/rnn/gated.hpp>
#include <neurode/rnn/training.hpp>

namespace neurode::rnn {

struct GatedBpttOptions {
    AdamOptions adam;
    std::size_t batch_size = 64;  // trials per iteration (one Adam step each)

    // Throws invalid_parameter naming the field: "batch_size" must be > 0, and adam's own fields.
    void validate() const;
};

class GatedBpttLearner final : public Learner {
public:
    // Takes over the network to train (read it back through network()); throws
    // invalid_parameter from options.validate().
    explicit GatedBpttLearner(GatedNetwork network, GatedBpttOptions options = {});
    ~GatedBpttLearner() override;
    // Move-only: the optimiser refers to the weights it updates.
    GatedBpttLearner(GatedBpttLearner&&) noexcept;
    GatedBpttLearner& operator=(GatedBpttLearner&&) noexcept;

    const GatedNetwork& network() const;
    const GatedBpttOptions& options() const;
    long steps_taken() const;  // Adam steps so far

    // "bptt_gru" or "bptt_lstm", so a checkpoint is resumed only by the same kind of cell.
    std::string name() const override;
    // One Adam step on task.generate(batch_size, seed). Throws invalid_parameter ("inputs",
    // "outputs") if the task's dimensions differ from the network's, and runtime_error if the
    // gradient is not finite (the weights are then unchanged).
    IterationResult iterate(const Task& task, std::uint64_t seed) override;
    std::vector<double> outputs(const TrialBatch& batch) const override;
    // Weights (row-major datasets weight_ih, ..., bias_out) and the Adam state under `group`.
    void save_state(sim::h5::Writer& out, const std::string& group) const override;
    // Throws io_error if a stored weight's shape differs from this network's.
    void load_state(const sim::h5::Reader& in, const std::string& group) override;

    // The loss on `batch` (from a zero state) and its gradient with respect to every weight, in
    // the order weight_ih, weight_hh, bias_ih, bias_hh, weight_out, bias_out, each shaped like
    // the weight (biases as one-column matrices). All zeros when the mask sums to 0. Throws
    // invalid_parameter ("inputs", "outputs") on a dimension mismatch.
    double loss_and_gradient(const TrialBatch& batch, std::vector<Eigen::MatrixXd>& gradients) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace neurode::rnn
