#pragma once
// The continuous-time rate RNN
//     tau_i dx_i/dt = -x_i + sum_j W_ij r_j + sum_k Win_ik u_k + b_i  (+ private noise),
//     r = f(x),   y = Wout r + bout   (or Wout x + bout: Readout::state),
// run two ways on the same parameters: through the engine as an OdeSystem (CVODE with an analytic
// Jacobian), and as the Euler map the papers train,
//     x_{t+1} = (1 - a) x_t + a (W r_t + Win u_t + b) + sqrt(2 a) sigma_rec N(0, 1),  a = dt / tau,
// (Song et al. 2016; Yang et al. 2019). Time constants are per unit, with heterogeneity levels
// H0..H5 (see heterogeneity_cv()). Dale's law, connectivity masks and clamped bias units are
// expressed through effective_recurrent_weights(), so that learners can train the raw W freely.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/activation.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/ode_system.hpp>
#include <neurode/sim/options.hpp>

namespace neurode::rnn {

struct TrialBatch;

enum class Readout { rates, state };  // y from f(x) or from x

enum class InitialState { zeros, constant, gaussian };

// Heterogeneity of time constants: level 0 (H0) homogeneous; levels 1..5 draw each tau_i from a
// lognormal distribution with the configured mean and coefficient of variation
//     CV(H0..H5) = 0, 0.1, 0.25, 0.5, 1.0, 2.0,
// i.e. log tau ~ N(log(mean) - s^2/2, s^2) with s^2 = log(1 + CV^2), so the mean stays fixed while
// the spread grows. Draws are clipped to [tau_min, tau_max] (options) to keep the system well posed.
constexpr int max_heterogeneity_level = 5;
double heterogeneity_cv(int level);
// n time constants [ms] for a level, from seed.
std::vector<double> draw_time_constants(std::size_t n, int level, double mean_ms, double min_ms, double max_ms,
                                        std::uint64_t seed);

struct RateNetworkOptions {
    std::size_t units = 256;
    std::size_t inputs = 1;
    std::size_t outputs = 1;
    Activation activation = Activation::tanh;
    Readout readout = Readout::rates;

    double tau_ms = 100.0;              // [ms] mean time constant
    int heterogeneity = 0;              // H0..H5
    double tau_min_ms = 1.0;            // [ms] clip for heterogeneous draws
    double tau_max_ms = 10000.0;        // [ms]

    double gain = 1.5;                  // g: W_ij ~ N(0, g^2 / (p N)) over existing connections
    double connection_probability = 1.0;// p: each connection exists with probability p (fixed mask)
    bool self_connections = true;       // false: W_ii masked out
    double input_scale = 1.0;           // Win_ik ~ N(0, input_scale^2 / inputs)
    double output_scale = 1.0;          // Wout_ik ~ N(0, output_scale^2 / units)
    bool bias = true;                   // b trainable (initialised to 0)

    bool dale = false;                  // Dale's law: each unit's outgoing weights share one sign
    double excitatory_fraction = 0.8;   // fraction of excitatory units under Dale's law

    std::size_t clamped_units = 0;      // the last k units hold x = clamp_value: constant bias inputs
    double clamp_value = 1.0;

    double noise_sd = 0.0;              // sigma_rec: private noise per unit (Euler map only)

    InitialState initial_state = InitialState::zeros;
    double initial_value = 0.0;         // constant initial state, or mean of the Gaussian one
    double initial_sd = 0.0;            // sd of the Gaussian initial state

    std::uint64_t seed = 1;

    // Throws invalid_parameter naming the first field that violates its constraint.
    void validate() const;
};

// What a run produced: states and outputs per trial and step.
struct NetworkRun {
    std::size_t trials = 0, steps = 0, units = 0, output_count = 0;
    std::vector<double> states;   // [trials][steps][units]: x at the end of each step
    std::vector<double> outputs;  // [trials][steps][outputs]: y from the state at the end of each step
    double state(std::size_t trial, std::size_t step, std::size_t unit) const { return states[(trial * steps + step) * units + unit]; }
    double output(std::size_t trial, std::size_t step, std::size_t k) const { return outputs[(trial * steps + step) * output_count + k]; }
};

class RateNetwork {
public:
    // A random network drawn from options.seed.
    explicit RateNetwork(const RateNetworkOptions& options);

    const RateNetworkOptions& options() const { return options_; }
    std::size_t units() const { return options_.units; }

    // Parameters (trainable: W, Win, b, Wout, bout; fixed: tau, mask, sign).
    Eigen::MatrixXd W;      // units x units, raw
    Eigen::MatrixXd Win;    // units x inputs
    Eigen::VectorXd b;      // units
    Eigen::MatrixXd Wout;   // outputs x units
    Eigen::VectorXd bout;   // outputs
    Eigen::VectorXd tau;    // units [ms]
    Eigen::MatrixXd mask;   // units x units, 0/1 connectivity
    Eigen::VectorXd sign;   // units: +1 excitatory, -1 inhibitory presynaptic unit (all +1 without Dale)

    // The weights the dynamics use: (W .* mask) with Dale's law |W| .* mask * diag(sign).
    Eigen::MatrixXd effective_recurrent_weights() const;
    // x(0) for `trials` trials (the Gaussian initial state draws from seed).
    Eigen::MatrixXd initial_states(std::size_t trials, std::uint64_t seed) const;  // units x trials

    // The Euler map over a batch's inputs ([trials][steps][inputs]), dt [ms] per step, each step
    // split into `substeps` Euler steps with the input held. noise_seed drives the private noise.
    NetworkRun run_euler(std::span<const double> inputs, std::size_t trials, std::size_t steps, double dt_ms,
                         std::uint64_t noise_seed = 0, std::size_t substeps = 1) const;
    NetworkRun run_euler(const TrialBatch& batch, std::uint64_t noise_seed = 0, std::size_t substeps = 1) const;
    // CVODE BDF with matrix-free GMRES, rtol 1e-6, atol 1e-8: rate networks are mildly stiff and
    // dense, so a dense LU (O(n^3) at every restart, i.e. every input step) costs far more than
    // a few Krylov iterations of O(n^2) each (see benchmarks/rnn_forward.cpp).
    static sim::SolverOptions default_solver();
    // The continuous-time system through the engine (deterministic: requires noise_sd == 0), the
    // input held constant within each step; states sampled at the end of each step.
    NetworkRun run_engine(std::span<const double> inputs, std::size_t trials, std::size_t steps, double dt_ms,
                          const sim::SolverOptions& solver = default_solver()) const;
    NetworkRun run_engine(const TrialBatch& batch, const sim::SolverOptions& solver = default_solver()) const;

    // Outputs y for states X (units x columns).
    Eigen::MatrixXd readout(const Eigen::MatrixXd& X) const;

    // Checks every parameter's shape and value (tau > 0, finite); throws invalid_parameter.
    void validate() const;

    // Complete network (parameters, options, seed) to HDF5, atomically; load reproduces it exactly.
    void save(const std::filesystem::path& path) const;
    static RateNetwork load(const std::filesystem::path& path);
    // The same into / from a group of an open file (several networks in one file).
    void write(sim::h5::Writer& out, const std::string& group) const;
    static RateNetwork read(const sim::h5::Reader& in, const std::string& group);

private:
    RateNetwork() = default;
    RateNetworkOptions options_;
};

// The network as an engine model: state x (named x[i], dimensionless), inputs u[k], time in ms,
// dense analytic Jacobian J = diag(1/tau) (-I + W_eff diag(f'(x))) (clamped rows zero).
class RateOdeSystem : public sim::OdeSystem {
public:
    explicit RateOdeSystem(const RateNetwork& network);
    std::size_t size() const override { return n_; }
    void initial_state(sim::Vector y0) const override;
    std::string variable_name(std::size_t i) const override;
    std::size_t input_count() const override { return m_; }
    std::string input_name(std::size_t k) const override;
    void rhs(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector ydot) override;
    sim::JacobianKind jacobian_kind() const override { return sim::JacobianKind::dense; }
    void dense_jacobian(double t, sim::ConstVector y, sim::ConstVector u, sim::DenseMatrixRef J) override;

    void set_initial_state(std::span<const double> x0);

private:
    const RateNetwork& net_;
    std::size_t n_, m_, free_;  // units, inputs, units that are not clamped
    Eigen::MatrixXd w_eff_;
    Eigen::VectorXd inv_tau_, x0_, r_;
};

}  // namespace neurode::rnn
