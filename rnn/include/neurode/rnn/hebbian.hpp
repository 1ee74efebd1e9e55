#pragma once
// Reward-modulated Hebbian learning by node perturbation (Miconi 2017, eLife; reference code
// ThomasMiconi/BiologicallyPlausibleLearningRNN, dnms/net.cpp), trial by trial on a rate network:
//
//   dynamics   x_i <- x_i + a_i (-x_i + sum_j W_ij r_j + sum_k Win_ik u_k + b_i + kick_i) (+ noise),
//              r = f(x), a_i = dt / tau_i per unit (so heterogeneous time constants just work);
//   kicks      each free unit, each step, with probability perturbation_probability receives
//              kick_i = U(-1, 1) * perturbation_amplitude in its drive (it moves x_i by a_i kick_i);
//   trace      xbar <- trace_factor xbar + (1 - trace_factor) x after every step; the trace carries
//              over from trial to trial, as in the reference;
//   eligibility e_ij += (r_j(t-1) (x_i(t) - xbar_i(t-1)))^3 at every step t >= settle_steps;
//   error      err = sum_{t,k} m |y_k(t) - y*_k(t)| / sum m over the trial's masked entries
//              (the reference: mean |r_0 - target| over the last 200 ms, the steps its mask covers);
//   update     dW = clip(-eta [B] e (err - B), +-max_dw) with B the running baseline of the trial's
//              type; the reference also multiplies by B (scale_by_baseline). No update while fewer
//              than warmup_trials trials have been seen. Then B <- baseline_factor B +
//              (1 - baseline_factor) err; a type not yet seen has B = 0.
// Only W is trained. Under Dale's law the change is made to the effective weight
// |W_ij| sign_j, i.e. W_ij += dW_ij sign(W_ij) sign_j; masked-out entries are not changed.
//
// Readout: the reference reads its output as the rate of unit 0. With
// NodePerturbationReadout::units output k is the rate of unit k (the constructor sets Wout to
// select units 0..outputs-1 and bout to 0; the network must read out rates); with ::network the
// network's own Wout, bout are used and stay fixed.
//
// Trial type (the baselines' key): trial_type = "target" (default): the targets at the trial's last
// masked step (the answer: +-1 for mcmahan_rdm, go or no-go for go_nogo); "none": one baseline;
// any other name: that condition of the batch, floored to multiples of trial_type_resolution when
// that is > 0 (e.g. "target_angle" with pi/4 for the Yang tasks, whose angles are continuous).
//
// Seeds: iteration `seed` gives root = sim::Rng(seed); the batch is
// task.generate(trials_per_iteration, root.next_u64()) and trial k then runs with seed
// root.next_u64() (run_trial), its trials learned from one after another.
//
// Reward-modulated Hebbian learning with heterogeneous time constants (the heterogeneity study:
// 200 units, H0..H5, the six Yang tasks one at a time): the reference sheet does not give the
// rule, so heterogeneity_study() is neurode's reading: this node-perturbation rule, unchanged,
// on a 200-unit network whose tau_i are drawn at the requested level (see the function).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/training.hpp>

namespace neurode::rnn {

enum class NodePerturbationReadout {
    units,    // output k = rate of unit k (the reference)
    network,  // the network's fixed Wout, bout
};

struct NodePerturbationOptions {
    double learning_rate = 0.1;               // eta, >= 0 (McMahan: 0.002)
    double perturbation_probability = 0.003;  // per free unit and step, in [0, 1] (McMahan: 0.05)
    // [drive units] kick = U(-1, 1) * amplitude added to the drive; with the reference's dt 1 ms,
    // tau 30 ms a kick moves x by at most 16 / 30 ~ 0.53.
    double perturbation_amplitude = 16.0;
    double trace_factor = 0.05;               // xbar decay per step, in [0, 1)
    double baseline_factor = 0.75;            // baseline decay per trial of its type, in [0, 1) (McMahan: 0.33)
    double max_dw = 3e-4;                     // element-wise clip of dW, > 0 (McMahan: 1e-3)
    bool scale_by_baseline = true;            // multiply dW by the baseline (the reference)
    std::size_t warmup_trials = 100;          // trials seen before the first weight change
    std::size_t settle_steps = 3;             // first steps of a trial with no kicks, no eligibility
    std::size_t trials_per_iteration = 1;     // trials per iterate(), > 0, learned one by one
    std::string trial_type = "target";        // see the header comment
    double trial_type_resolution = 0;         // >= 0; 0: the condition's exact value
    NodePerturbationReadout readout = NodePerturbationReadout::units;

    void validate() const;  // throws invalid_parameter naming the field
};

// One trial with exploratory kicks: what run_trial() returns and learn() consumes.
struct PerturbedTrial {
    Eigen::MatrixXd states;       // units x steps: x at the end of each step
    Eigen::MatrixXd outputs;      // outputs x steps
    Eigen::MatrixXd eligibility;  // units x units: e_ij, i postsynaptic, j presynaptic
    Eigen::VectorXd trace;        // xbar at the end of the trial
    std::size_t kicks = 0;        // perturbations applied
    double error = 0;             // the trial's masked mean |y - y*|
    std::vector<double> type;     // the baselines' key
};

class NodePerturbationLearner final : public Learner {
public:
    // Validates both; throws invalid_parameter ("readout" when units readout is impossible).
    NodePerturbationLearner(RateNetwork network, NodePerturbationOptions options = {});

    std::string name() const override { return "node_perturbation"; }
    // Loss: the mean error of the iteration's trials.
    IterationResult iterate(const Task& task, std::uint64_t seed) override;
    // The network's Euler run without kicks (private-noise seed 0).
    std::vector<double> outputs(const TrialBatch& batch) const override;
    // W, the trace, the baselines and the trial count.
    void save_state(sim::h5::Writer& out, const std::string& group) const override;
    void load_state(const sim::h5::Reader& in, const std::string& group) override;

    // Trial `trial` of the batch from the current weights and trace; changes nothing.
    PerturbedTrial run_trial(const TrialBatch& batch, std::size_t trial, std::uint64_t seed) const;
    // The update and baseline step for a finished trial; the trace becomes the trial's.
    void learn(const PerturbedTrial& trial);

    const NodePerturbationOptions& options() const { return options_; }
    const RateNetwork& network() const { return network_; }
    const Eigen::VectorXd& trace() const { return trace_; }
    // The running baseline of a trial type (0 for a type not seen yet).
    double baseline(const std::vector<double>& type) const;
    std::size_t trials_seen() const { return trials_seen_; }

private:
    NodePerturbationOptions options_;
    RateNetwork network_;
    Eigen::VectorXd trace_;
    std::map<std::vector<double>, double> baselines_;
    std::size_t trials_seen_ = 0;
};

// The heterogeneity study as neurode reads it: 200 units, tanh, gain 1.5, tau_i drawn at `level`
// (H0..H5) around tau_ms and clipped below at the task's dt (the Euler map's step), three clamped bias units, x(0) ~ N(0, 0.1^2), output k = rate of unit k;
// Miconi's rule with the kick rescaled so that it moves x by the reference's 16 dt/tau = 16/30 at
// the task's dt and the mean tau, and trial type "target_angle" at pi/4 when the task has that
// condition (the Yang tasks), else "target".
struct HeterogeneityStudySetup {
    RateNetworkOptions network;
    NodePerturbationOptions learning;
};
HeterogeneityStudySetup heterogeneity_study(const Task& task, int level, std::uint64_t seed = 1, double tau_ms = 100);

}  // namespace neurode::rnn
