#pragma once
// Gated discrete-time recurrent cells with a linear readout, in PyTorch's conventions so that
// weights move between neurode and torch.nn.GRU / torch.nn.LSTM (one layer, batch_first) without
// reordering. Per step t, with x the input, h the hidden state, sigma the logistic function and
// phi the nonlinearity (tanh as in PyTorch, or ReLU):
//
//   GRU, gates stacked (r, z, n):
//     r = sigma(W_ir x + b_ir + W_hr h + b_hr)
//     z = sigma(W_iz x + b_iz + W_hz h + b_hz)
//     n = phi(W_in x + b_in + r * (W_hn h + b_hn))
//     h' = (1 - z) * n + z * h
//   LSTM, gates stacked (i, f, g, o), cell state c:
//     i = sigma(W_ii x + b_ii + W_hi h + b_hi)     f = sigma(W_if x + b_if + W_hf h + b_hf)
//     g = phi(W_ig x + b_ig + W_hg h + b_hg)       o = sigma(W_io x + b_io + W_ho h + b_ho)
//     c' = f * c + i * g,   h' = o * phi(c')
//   readout (torch.nn.Linear):  y = W_out h' + b_out.
//
// weight_ih is (G hidden) x inputs, weight_hh (G hidden) x hidden, bias_ih and bias_hh G hidden,
// with G = 3 (GRU) or 4 (LSTM) blocks of `hidden` rows in the gate order above, exactly
// torch's weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0.
//
// PyTorch has no ReLU option for its gated cells: with Activation::relu, phi replaces every tanh
// (the GRU candidate n; the LSTM candidate g and the cell output phi(c')), and the gates keep
// the logistic function. The torch reference test covers tanh only.

#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/activation.hpp>

namespace neurode::rnn {

struct TrialBatch;

enum class GatedKind { gru, lstm };

struct GatedCellShape {
    std::size_t inputs = 1;
    std::size_t hidden = 64;
    std::size_t outputs = 1;
};

struct GatedNetworkOptions {
    GatedKind kind = GatedKind::gru;
    GatedCellShape shape;
    Activation nonlinearity = Activation::tanh;  // phi: tanh (PyTorch) or relu
    std::uint64_t seed = 1;                      // initial weights

    // Throws invalid_parameter naming the first field that violates its constraint
    // ("inputs", "hidden", "outputs" must be > 0; "nonlinearity" must be tanh or relu).
    void validate() const;
};

// Number of stacked gate blocks G: 3 for a GRU, 4 for an LSTM.
std::size_t gate_count(GatedKind kind);

// What a forward pass produced, per trial and step (states after the step).
struct GatedRun {
    std::size_t trials = 0, steps = 0, hidden_size = 0, output_count = 0;
    std::vector<double> hidden;   // [trials][steps][hidden]: h
    std::vector<double> cells;    // [trials][steps][hidden]: LSTM cell state c (empty for a GRU)
    std::vector<double> outputs;  // [trials][steps][outputs]: y
    double h(std::size_t trial, std::size_t step, std::size_t unit) const { return hidden[(trial * steps + step) * hidden_size + unit]; }
    double c(std::size_t trial, std::size_t step, std::size_t unit) const { return cells[(trial * steps + step) * hidden_size + unit]; }
    double y(std::size_t trial, std::size_t step, std::size_t k) const { return outputs[(trial * steps + step) * output_count + k]; }
};

class GatedNetwork {
public:
    // Weights drawn as PyTorch initialises nn.GRU / nn.LSTM and nn.Linear(hidden, outputs): every
    // entry U(-1/sqrt(hidden), 1/sqrt(hidden)), from options.seed through sim::Rng, drawn in the
    // order weight_ih, weight_hh, bias_ih, bias_hh, weight_out, bias_out, each row-major. The same
    // seed gives the same weights on every platform (not torch's numbers: its generator differs).
    explicit GatedNetwork(const GatedNetworkOptions& options);

    const GatedNetworkOptions& options() const { return options_; }
    GatedKind kind() const { return options_.kind; }
    const GatedCellShape& shape() const { return options_.shape; }

    const Eigen::MatrixXd& weight_ih() const { return weight_ih_; }    // (G hidden) x inputs
    const Eigen::MatrixXd& weight_hh() const { return weight_hh_; }    // (G hidden) x hidden
    const Eigen::VectorXd& bias_ih() const { return bias_ih_; }        // G hidden
    const Eigen::VectorXd& bias_hh() const { return bias_hh_; }        // G hidden
    const Eigen::MatrixXd& weight_out() const { return weight_out_; }  // outputs x hidden
    const Eigen::VectorXd& bias_out() const { return bias_out_; }      // outputs

    // Each setter throws invalid_parameter naming the weight ("weight_hh", ...) if its shape
    // differs from the one above or an entry is not finite; the network is then unchanged.
    void set_weight_ih(const Eigen::Ref<const Eigen::MatrixXd>& w);
    void set_weight_hh(const Eigen::Ref<const Eigen::MatrixXd>& w);
    void set_bias_ih(const Eigen::Ref<const Eigen::VectorXd>& b);
    void set_bias_hh(const Eigen::Ref<const Eigen::VectorXd>& b);
    void set_weight_out(const Eigen::Ref<const Eigen::MatrixXd>& w);
    void set_bias_out(const Eigen::Ref<const Eigen::VectorXd>& b);

    // Runs all trials at once (states are hidden x trials matrices, one matrix product per step).
    // inputs [trials][steps][inputs]; initial_hidden and initial_cell [trials][hidden], empty for
    // zeros; initial_cell must stay empty for a GRU. Throws invalid_parameter ("inputs",
    // "initial_hidden", "initial_cell") on a size mismatch or a non-finite value.
    GatedRun forward(std::span<const double> inputs, std::size_t trials, std::size_t steps,
                     std::span<const double> initial_hidden = {}, std::span<const double> initial_cell = {}) const;
    // A task's batch, from a zero state; its input_size() must equal shape().inputs.
    GatedRun forward(const TrialBatch& batch) const;

private:
    GatedNetworkOptions options_;
    Eigen::MatrixXd weight_ih_, weight_hh_, weight_out_;
    Eigen::VectorXd bias_ih_, bias_hh_, bias_out_;
};

}  // namespace neurode::rnn
