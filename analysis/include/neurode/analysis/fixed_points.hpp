#pragma once
// Fixed and slow points of a dynamical system (Sussillo & Barak 2013), linearised and classified.
//
// For a constant input the system is either continuous, dx/dt = f(x), or a discrete map,
// x <- g(x). Its fixed points are the zeros of the residual
//     F(x) = f(x)          (continuous)        F(x) = x - g(x)     (discrete),
// found as minima of q(x) = 1/2 |F(x)|^2 from many initial states (sampled from trajectories plus
// noise, sample_initial_states(), or given). Each start runs Levenberg-Marquardt on F with the
// model's Jacobian (Nielsen's damping update, step (J^T J + mu I) h = -J^T F, the normal
// equations in single precision while q is large: see single_precision_q):
//   - converged: q < tolerance; then up to polish_iterations more steps while they lower q, so
//     that positions are accurate far below the unique_distance that separates points;
//   - stalled: an accepted step lowered q by less than stall_tolerance * q (a local minimum of q
//     with q > 0), or the damping grew without a step being accepted;
//   - max_iterations, or diverged (F not finite).
// Converged end states are deduplicated by 2-norm distance (unique_distance), keeping the
// smallest q; the other end states with q < slow_tolerance are the slow points (Sussillo &
// Barak's minima of q that are not zeros: ghosts, points along line attractors), deduplicated
// alike and dropped when within unique_distance of a fixed point. Every unique fixed point is
// linearised: the eigenvalues of df/dx (continuous) or dg/dx (discrete), by Hessenberg reduction
// and an eigenvalues-only double-shift QR iteration; stable when the largest
// real part is < 0 (continuous) or the spectral radius is < 1 (discrete); unstable dimensions
// count the eigenvalues with real part > 0 or modulus > 1.
//
// Starts run in parallel (options.threads); each start's search is independent and the results
// are gathered in start order, so the result does not depend on the number of threads.
//
// q is in the squared units of F: for a rate network's continuous-time f(x), 1/ms^2; for a map,
// state units squared. The default tolerance (1e-12) is the public fixed-point-finder's; that
// finder reports every end state as a point whether it met the tolerance or not, this one counts
// only those that meet it as fixed points.
//
// Attractor topology (McMahan et al.): fixed points under a set of static probe inputs, pooled in
// probe order; for the first `points` of them, the probe values at which their `neighbours`
// nearest pooled fixed points were found: a points x neighbours matrix per network, to be
// embedded (MDS) and compared across networks.
//
// Errors (invalid_parameter) name the argument or option field: "initial_states", "input",
// "dt_ms", "tolerance", "probe_values", ...

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/sim/ode_system.hpp>

namespace neurode::analysis {

enum class Dynamics { continuous, discrete };

// ---- Models ------------------------------------------------------------------------------------

// A system at a fixed input: f (continuous) or g (discrete) and its Jacobian. The finder calls
// evaluate() and jacobian() from several threads at once unless thread_safe() is false.
class FixedPointModel {
public:
    virtual ~FixedPointModel() = default;
    virtual std::size_t size() const = 0;
    virtual Dynamics dynamics() const = 0;
    // value = f(x) or g(x); value has size() entries on entry.
    virtual void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& value) const = 0;
    // J = df/dx or dg/dx (size() x size() on entry). The default: central differences of
    // evaluate(), step cbrt(eps) max(1, |x_j|), 2 size() evaluations.
    virtual void jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& J) const;
    virtual bool thread_safe() const { return true; }
    virtual std::string variable_name(std::size_t i) const;  // "x[i]"

    // F(x) = f(x) or x - g(x), and dF/dx.
    void residual(const Eigen::VectorXd& x, Eigen::VectorXd& F) const;
    void residual_jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& JF) const;
};

// A rate network's noise-free dynamics (rnn/rate_network.hpp) under a constant input u:
//   continuous   f(x) = (-x + W_eff r + Win u + b) / tau,  r = f_act(x)               [1/ms]
//   Euler map    g(x) = x + (dt / tau) (-x + W_eff r + Win u + b)
// with the analytic Jacobians diag(1/tau) (-I + W_eff diag(f_act'(x))) and I + dt times it. Both
// have the same fixed points (F_map = -dt f). Clamped units are constants, not state: the model's
// state is the units - clamped_units free units (the first ones); clamped units enter through
// their fixed rates. The model copies what it needs from the network.
class RateNetworkModel final : public FixedPointModel {
public:
    // input: one value per input channel ("input"); dt_ms > 0 for the Euler map ("dt_ms").
    RateNetworkModel(const rnn::RateNetwork& network, std::span<const double> input, Dynamics dynamics, double dt_ms = 0.0);
    static RateNetworkModel continuous(const rnn::RateNetwork& network, std::span<const double> input);
    static RateNetworkModel euler_map(const rnn::RateNetwork& network, std::span<const double> input, double dt_ms);

    std::size_t size() const override { return free_; }
    Dynamics dynamics() const override { return dynamics_; }
    void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& value) const override;
    void jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& J) const override;

    // Every state of a run (trials x steps of them) as columns, free units only: the trajectories
    // to sample initial states from.
    Eigen::MatrixXd states(const rnn::NetworkRun& run) const;
    // The whole network's state (free units, then the clamped ones at their value).
    Eigen::VectorXd network_state(const Eigen::VectorXd& x) const;

private:
    Dynamics dynamics_;
    rnn::Activation activation_;
    std::size_t units_, free_;
    double clamp_value_;
    Eigen::MatrixXd w_;       // free x free block of W_eff
    Eigen::VectorXd drive_;   // Win u + b + W_eff[free, clamped] r_clamped
    Eigen::VectorXd rate_;    // dt / tau (Euler map) or 1 / tau (continuous), per free unit
};

// A system given by callables: value(x, out) and optionally jacobian(x, J) (central differences
// when empty), e.g. the map h <- tanh(W h). thread_safe: whether the callables may run
// concurrently.
class FunctionModel final : public FixedPointModel {
public:
    using Value = std::function<void(const Eigen::VectorXd& x, Eigen::VectorXd& value)>;
    using Jacobian = std::function<void(const Eigen::VectorXd& x, Eigen::MatrixXd& J)>;
    FunctionModel(Dynamics dynamics, std::size_t size, Value value, Jacobian jacobian = {}, bool thread_safe = true);

    std::size_t size() const override { return size_; }
    Dynamics dynamics() const override { return dynamics_; }
    void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& value) const override;
    void jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& J) const override;
    bool thread_safe() const override { return thread_safe_; }

private:
    Dynamics dynamics_;
    std::size_t size_;
    Value value_;
    Jacobian jacobian_;
    bool thread_safe_;
};

// Any engine model at a constant input and time, continuous: f = rhs(time, x, input), with its
// dense or sparse analytic Jacobian, or central differences when it has none. OdeSystem's
// methods are not const, so the finder runs this model's starts on one thread. The system must
// outlive the model.
class OdeSystemModel final : public FixedPointModel {
public:
    // input: one value per system input ("input"); time [the system's time unit].
    explicit OdeSystemModel(sim::OdeSystem& system, std::vector<double> input = {}, double time = 0.0);

    std::size_t size() const override { return system_->size(); }
    Dynamics dynamics() const override { return Dynamics::continuous; }
    void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& value) const override;
    void jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& J) const override;
    bool thread_safe() const override { return false; }
    std::string variable_name(std::size_t i) const override { return system_->variable_name(i); }

private:
    sim::OdeSystem* system_;
    std::vector<double> input_;
    double time_;
};

// ---- Initial states ----------------------------------------------------------------------------

// `count` columns, each a column of `states` (size x samples) drawn uniformly with replacement,
// plus independent N(0, noise_sd^2) per entry; from `seed` (sim::Rng). Errors name "states",
// "count", "noise_sd".
Eigen::MatrixXd sample_initial_states(const Eigen::MatrixXd& states, std::size_t count, double noise_sd,
                                      std::uint64_t seed);

// ---- The finder ----------------------------------------------------------------------------------

struct FixedPointOptions {
    double tolerance = 1e-12;          // q below which an end state is a fixed point [F units^2]
    double slow_tolerance = 1e-6;      // other end states with q below this are slow points (>= tolerance)
    double unique_distance = 1e-3;     // 2-norm within which two points are one [state units]
    std::size_t max_iterations = 500;  // Levenberg-Marquardt steps per start, accepted or not (>= 1)
    std::size_t polish_iterations = 2; // extra steps after q < tolerance, while each lowers q
    double initial_damping = 1e-2;     // mu_0 = initial_damping * max diag(J^T J), > 0
    // Stalled: an accepted step lowered q by less than this fraction of q, in [0, 1).
    double stall_tolerance = 1e-6;
    // While q is above this, J^T J + mu I is formed and factorised in single precision (twice the
    // SIMD width, half the memory traffic); steps are still judged by q in double precision, and
    // the last steps to the tolerance and the polishing run in double; a Jacobian that single
    // precision cannot factorise (ill-conditioned, or beyond its range) continues in double.
    // 0: always double.
    double single_precision_q = 1e-8;  // [F units^2]
    bool linearise = true;             // eigenvalues and stability at the fixed points
    bool linearise_slow_points = false;// and at the slow points (an eigendecomposition each)
    std::size_t threads = 0;           // worker threads; 0: std::thread::hardware_concurrency()

    void validate() const;  // throws invalid_parameter naming the field
};

struct FixedPoint {
    Eigen::VectorXd x;
    double q = 0;                  // 1/2 |F(x)|^2
    std::size_t start = 0;         // column of initial_states whose search ended here (smallest q)
    std::size_t starts = 0;        // how many starts ended within unique_distance of it
    // Linearisation (when linearised): eigenvalues of df/dx or dg/dx, sorted by decreasing real
    // part (continuous) or modulus (discrete), ties by real then imaginary part.
    bool linearised = false;
    Eigen::VectorXcd eigenvalues;
    double stability = std::numeric_limits<double>::quiet_NaN();  // max real part, or spectral radius
    bool stable = false;                 // stability < 0 (continuous), < 1 (discrete)
    std::size_t unstable_dimensions = 0; // eigenvalues with real part > 0, or modulus > 1
};

enum class StartStatus { converged, stalled, max_iterations, diverged };
std::string_view to_string(StartStatus s);

struct StartOutcome {
    StartStatus status = StartStatus::stalled;
    double q = 0;                  // at the end state
    std::size_t iterations = 0;    // steps tried, polishing included
    // Index into fixed_points / slow_points of the unique point this start ended on, or -1.
    std::ptrdiff_t fixed_point = -1, slow_point = -1;
};

struct FixedPointSummary {
    std::string message;           // one line: counts and time
    std::size_t starts = 0, converged = 0, stalled = 0, max_iterations = 0, diverged = 0;
    std::size_t fixed_points = 0, slow_points = 0, stable = 0;
    long iterations = 0, evaluations = 0, jacobian_evaluations = 0, factorizations = 0;
    std::size_t threads = 0;
    double search_seconds = 0, linearise_seconds = 0, wall_seconds = 0;  // [s]
};

struct FixedPointResult {
    Dynamics dynamics = Dynamics::continuous;
    std::vector<FixedPoint> fixed_points;  // unique, q < tolerance, in order of their start
    std::vector<FixedPoint> slow_points;   // unique, tolerance <= q < slow_tolerance, in order of their start
    std::vector<StartOutcome> starts;      // one per column of initial_states
    FixedPointSummary summary;
};

// initial_states: model.size() x starts, finite ("initial_states").
FixedPointResult find_fixed_points(const FixedPointModel& model, const Eigen::MatrixXd& initial_states,
                                   const FixedPointOptions& options = {});

// Eigenvalues and stability of the model at x (any x, not only a fixed point).
struct Linearisation {
    Eigen::MatrixXd jacobian;  // df/dx or dg/dx
    Eigen::VectorXcd eigenvalues;
    double stability = std::numeric_limits<double>::quiet_NaN();
    bool stable = false;
    std::size_t unstable_dimensions = 0;
};
// Throws runtime_error when the eigenvalue iteration does not converge.
Linearisation linearise(const FixedPointModel& model, const Eigen::VectorXd& x);

// ---- Attractor topology (McMahan et al.) -------------------------------------------------------

struct TopologyOptions {
    std::size_t points = 10;     // rows: the first fixed points, pooled over probes in probe order
    std::size_t neighbours = 3;  // columns
    // false: the neighbours are the other pooled points. true: the point itself is its first
    // neighbour, as bmcmahan2016/RNN_Learning_Rules' fixed_point_input_topology.py gets it from
    // NearestNeighbors queried on the fitted set.
    bool include_self = false;
    FixedPointOptions search;    // linearise defaults to true here too

    void validate() const;
};

struct AttractorTopology {
    std::vector<double> probe_values;
    std::vector<FixedPoint> points;          // fixed points of every probe, pooled in probe order
    std::vector<std::size_t> point_probe;    // the probe each point was found at
    std::vector<FixedPointSummary> searches; // one per probe
    // points x neighbours: the probe value at which each neighbour was found (nearest first);
    // NaN where there are too few points.
    Eigen::MatrixXd descriptor;
};

// The model at a given input (one model per probe).
using ModelAtInput = std::function<std::unique_ptr<FixedPointModel>(std::span<const double> input)>;

// probe_inputs: one input vector per probe; probe_values: one scalar per probe ("probe_values"),
// e.g. the coherence of a static evidence input. initial_states: used for every probe.
AttractorTopology attractor_topology(const ModelAtInput& model_at, const std::vector<std::vector<double>>& probe_inputs,
                                     const std::vector<double>& probe_values, const Eigen::MatrixXd& initial_states,
                                     const TopologyOptions& options = {});
// For a rate network (continuous time, or its Euler map with dt_ms).
AttractorTopology attractor_topology(const rnn::RateNetwork& network, Dynamics dynamics, double dt_ms,
                                     const std::vector<std::vector<double>>& probe_inputs,
                                     const std::vector<double>& probe_values, const Eigen::MatrixXd& initial_states,
                                     const TopologyOptions& options = {});

// The descriptor of pooled points (one value each): rows x neighbours, NaN-padded. Nearest by
// 2-norm, ties by pooled order.
Eigen::MatrixXd topology_descriptor(const std::vector<Eigen::VectorXd>& points, const std::vector<double>& point_values,
                                    std::size_t rows = 10, std::size_t neighbours = 3, bool include_self = false);

}  // namespace neurode::analysis
