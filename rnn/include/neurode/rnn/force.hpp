#pragma once
// Learners that solve least-squares problems online or in closed form instead of following a
// gradient: FORCE, full-FORCE and the echo-state (reservoir) readout.
//
// FORCE (Sussillo & Abbott 2009). A random network J (N = 1000, connection probability 0.1,
// g = 1.5: see force_network()) whose readout z = w.r is fed back through fixed w_f ~ U(-1, 1):
//     x <- x + a (-x + J r + Win u + b + w_f z),   r = f(x),   z = w r + bout,   a = dt / tau,
// run by its own Euler steps of dt_ms (the task's step is split into whole Euler steps, input
// and target held). Every `update_every` Euler steps, on steps the task's mask covers, RLS moves
// w towards the target f(t): e = z - f, k = P r, c = 1 / (1 + r.P r), P <- P - c k k^T,
// w <- w - c e k^T, with P_0 = I / alpha and w_0 = 0 (sim::RlsReadout). Output components the
// mask leaves out get e = 0; its value is not used otherwise. J, Win, b stay fixed.
//
// full-FORCE (DePasquale et al. 2018). A target-generating ("teacher") network with its own
// random J_D (N = 300, dense, g = 1.5: see full_force_network()) receives the input and the
// target through u_f ~ U(-1, 1):
//     x_D <- x_D + a (-x_D + J_D r_D + Win u + b + u_f f(t)),
// and the learner, the same network with J = 0 and no feedback,
//     x <- x + a (-x + J r + Win u + b),   z = w r + bout,
// learns J r -> J_D r_D + u_f f(t) (at every update, masked or not) and w r -> f(t) (masked
// steps) by RLS with one shared P, i.e. one RlsReadout whose outputs are the stacked rows [J; w].
// The reference sheet gives no update interval for full-FORCE; update_every applies as for FORCE.
//
// Both learners start every trial, in training and in outputs(), from one initial state x0
// drawn from the network's initial-state options with the learner's seed: with constant inputs
// (a pattern generator) the start state is what sets the output's phase. Trials are learned one
// after another; the network's private noise (noise_sd) acts during learning only, drawn from
// the iteration's seed; outputs() is deterministic. Seeds: iteration `seed` gives
// root = sim::Rng(seed), the batch is task.generate(trials_per_iteration, root.next_u64()) and
// the noise stream is root.split().
//
// Reservoir readout (echo-state network; reservoirpy's ESN with a Ridge node): a fixed network
// (its leak rates are dt / tau_i, per unit) is run on each iteration's batch; the ridge readout
// is refitted on the rates (or states, as the network reads out) of every sample seen so far,
// weighted by the task's mask, warm-up dropped (sim::RidgeAccumulator).

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/training.hpp>
#include <neurode/sim/random.hpp>
#include <neurode/sim/readout.hpp>

namespace neurode::rnn {

// Sussillo & Abbott's network: `units` tanh units, connection probability 0.1, g = 1.5,
// tau = 10 ms, Win ~ N(0, 1 / inputs), no trainable bias, Wout = 0, x0 ~ N(0, 0.5^2) (their
// MATLAB demo's x0 = 0.5 randn).
RateNetworkOptions force_network(std::size_t inputs, std::size_t outputs, std::size_t units = 1000);
// DePasquale et al.'s target-generating network: as force_network() but dense (probability 1)
// with 300 units by default.
RateNetworkOptions full_force_network(std::size_t inputs, std::size_t outputs, std::size_t units = 300);

struct ForceOptions {
    double dt_ms = 1.0;                   // [ms] Euler step (the demo's 0.1 tau at tau = 10 ms); > 0,
                                          // the task's dt must be a whole multiple of it
    std::size_t update_every = 2;         // Euler steps between RLS updates, > 0
    double alpha = 1.0;                   // P_0 = I / alpha, > 0 (McMahan's full-FORCE scripts: 1e4..5e4)
    double feedback_scale = 1.0;          // w_f (FORCE) or u_f (full-FORCE) ~ U(-1, 1) * scale, >= 0
    std::size_t trials_per_iteration = 1; // trials per iterate(), > 0, learned one after another
    std::uint64_t seed = 1;               // draws the feedback weights and x0

    void validate() const;  // throws invalid_parameter naming the field
};

class ForceLearner final : public Learner {
public:
    // Validates both; the network must read out rates ("readout"). Its Wout is set to 0.
    ForceLearner(RateNetwork network, ForceOptions options = {});

    std::string name() const override { return "force"; }
    // Loss: masked MSE of the outputs produced while learning.
    IterationResult iterate(const Task& task, std::uint64_t seed) override;
    std::vector<double> outputs(const TrialBatch& batch) const override;
    // The RLS state (w, P, update count); the network's Wout follows it.
    void save_state(sim::h5::Writer& out, const std::string& group) const override;
    void load_state(const sim::h5::Reader& in, const std::string& group) override;

    const ForceOptions& options() const { return options_; }
    const RateNetwork& network() const { return network_; }  // Wout: the trained readout w
    const Eigen::MatrixXd& feedback() const { return feedback_; }  // w_f, units x outputs
    const sim::RlsReadout& rls() const { return rls_; }

private:
    // Trials [first, first + count) from x0, outputs in the batch's layout. With `learn` (count 1)
    // RLS updates it as it goes; `noise` draws the private noise (none when null).
    std::vector<double> run(const TrialBatch& batch, std::size_t first, std::size_t count, sim::RlsReadout* learn,
                            sim::Rng* noise) const;

    ForceOptions options_;
    RateNetwork network_;
    Eigen::MatrixXd j_;         // effective recurrent weights, fixed
    Eigen::MatrixXd feedback_;
    Eigen::VectorXd x0_;
    sim::RlsReadout rls_;
};

class FullForceLearner final : public Learner {
public:
    // `teacher` is the target-generating network; the learner is a copy with W = 0 (dense,
    // trained freely), Wout = 0 and the same Win, b, tau. Dale's law is not supported ("dale");
    // the teacher must read out rates ("readout").
    FullForceLearner(RateNetwork teacher, ForceOptions options = {});

    std::string name() const override { return "full_force"; }
    IterationResult iterate(const Task& task, std::uint64_t seed) override;
    std::vector<double> outputs(const TrialBatch& batch) const override;
    // The RLS state over the stacked [W; Wout]; the learner network follows it.
    void save_state(sim::h5::Writer& out, const std::string& group) const override;
    void load_state(const sim::h5::Reader& in, const std::string& group) override;

    const ForceOptions& options() const { return options_; }
    const RateNetwork& teacher() const { return teacher_; }
    const RateNetwork& network() const { return network_; }  // the learner: W and Wout trained
    const Eigen::MatrixXd& feedback() const { return feedback_; }  // u_f, units x outputs

private:
    // Trials [first, first + count) from x0, outputs in the batch's layout. With `learn` (count 1)
    // RLS updates it as it goes; `noise` draws the private noise (none when null).
    std::vector<double> run(const TrialBatch& batch, std::size_t first, std::size_t count, sim::RlsReadout* learn,
                            sim::Rng* noise) const;
    void sync_network();

    ForceOptions options_;
    RateNetwork teacher_, network_;
    Eigen::MatrixXd j_teacher_;
    Eigen::MatrixXd feedback_;
    Eigen::VectorXd x0_;
    sim::RlsReadout rls_;  // outputs: units rows of W, then the outputs rows of Wout
};

struct ReservoirReadoutOptions {
    sim::RidgeOptions ridge;                // lambda, warm-up [steps], unregularised bias
    std::size_t trials_per_iteration = 32;  // > 0

    void validate() const;  // throws invalid_parameter naming the field
};

class ReservoirReadoutLearner final : public Learner {
public:
    ReservoirReadoutLearner(RateNetwork network, ReservoirReadoutOptions options = {});

    std::string name() const override { return "reservoir_readout"; }
    // Runs the batch (run_euler, noise from the iteration's seed), adds it to the ridge
    // statistics and refits Wout, bout. Loss: masked MSE of the batch under the new readout.
    IterationResult iterate(const Task& task, std::uint64_t seed) override;
    std::vector<double> outputs(const TrialBatch& batch) const override;
    // Wout, bout and the accumulated ridge statistics.
    void save_state(sim::h5::Writer& out, const std::string& group) const override;
    void load_state(const sim::h5::Reader& in, const std::string& group) override;

    const ReservoirReadoutOptions& options() const { return options_; }
    const RateNetwork& network() const { return network_; }

private:
    ReservoirReadoutOptions options_;
    RateNetwork network_;
    sim::RidgeAccumulator ridge_;
};

}  // namespace neurode::rnn
