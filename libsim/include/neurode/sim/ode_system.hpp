#pragma once
// The one abstraction every neurode model implements: an ODE system dy/dt = f(t, y, u) with named
// state variables, external inputs u(t), an optional analytic Jacobian (dense, or sparse with a
// fixed pattern), an optional preconditioner for matrix-free solvers, root functions for events
// (spike thresholds) and discontinuity times where the integrator must stop and restart.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace neurode::sim {

enum class JacobianKind {
    none,    // integrators approximate it by difference quotients where they need one
    dense,   // dense_jacobian() fills an n x n matrix
    sparse,  // sparsity() gives a fixed pattern, sparse_jacobian() its values
};

// Compressed sparse row pattern of an n x n matrix: row i holds the columns
// columns[row_offsets[i] .. row_offsets[i+1]) in increasing order.
struct SparsityPattern {
    std::vector<std::int64_t> row_offsets;  // size n + 1, row_offsets[0] == 0
    std::vector<std::int64_t> columns;      // size row_offsets[n]

    std::size_t nonzeros() const { return columns.size(); }
    // Throws invalid_parameter naming the offending field if this is not a valid pattern of an
    // n x n matrix.
    void validate(std::size_t n) const;
    // Index of entry (row, column) in the value array, or -1 when it is not in the pattern.
    std::int64_t find(std::int64_t row, std::int64_t column) const;
};

// Builds a pattern from (row, column) pairs; duplicates are merged and rows sorted.
SparsityPattern make_sparsity_pattern(std::size_t n,
                                      const std::vector<std::pair<std::int64_t, std::int64_t>>& entries);

using ConstVector = std::span<const double>;
using Vector = std::span<double>;
using DenseMatrixRef = Eigen::Map<Eigen::MatrixXd>;  // column major, n x n

class OdeSystem {
public:
    virtual ~OdeSystem() = default;

    // --- Required ---------------------------------------------------------------------------
    virtual std::size_t size() const = 0;
    virtual void initial_state(Vector y0) const = 0;
    // ydot = f(t, y, u). u holds the current values of the inputs (input_count() of them).
    virtual void rhs(double t, ConstVector y, ConstVector u, Vector ydot) = 0;

    // --- Names and units (used in error messages, probes and files) -------------------------
    virtual std::string variable_name(std::size_t i) const;  // default "y[i]"
    virtual std::string variable_unit(std::size_t /*i*/) const { return ""; }
    virtual std::string time_unit() const { return "ms"; }

    // --- Inputs: named external signals the simulation feeds to rhs() -----------------------
    virtual std::size_t input_count() const { return 0; }
    virtual std::string input_name(std::size_t k) const;  // default "u[k]"

    // --- Jacobian df/dy -----------------------------------------------------------------------
    virtual JacobianKind jacobian_kind() const { return JacobianKind::none; }
    // Fills J (n x n, column major). Called only when jacobian_kind() == dense.
    virtual void dense_jacobian(double t, ConstVector y, ConstVector u, DenseMatrixRef J);
    // The fixed pattern; called once when a simulation is built. Only for jacobian_kind() == sparse.
    virtual const SparsityPattern& sparsity() const;
    // Fills the values of J in the order of sparsity().columns.
    virtual void sparse_jacobian(double t, ConstVector y, ConstVector u, Vector values);

    // --- Preconditioner for the matrix-free GMRES solver (left preconditioning) ---------------
    virtual bool has_preconditioner() const { return false; }
    // Prepare P ~ I - gamma J at (t, y). jacobian_ok: the caller allows reusing saved Jacobian
    // data. Returns true when Jacobian data was (re)computed.
    virtual bool preconditioner_setup(double t, ConstVector y, ConstVector u, bool jacobian_ok, double gamma);
    // Solve P z = r.
    virtual void preconditioner_solve(double t, ConstVector y, ConstVector u, ConstVector r, Vector z, double gamma);

    // --- Events -------------------------------------------------------------------------------
    virtual std::size_t root_count() const { return 0; }
    // g(t, y, u); an event happens where a component crosses zero.
    virtual void roots(double t, ConstVector y, ConstVector u, Vector g);
    // Called at each event with the crossing directions (+1 rising, -1 falling, 0 none) per root.
    // The model may change y (a reset); it returns true if it did, and the integrator restarts.
    virtual bool on_roots(double /*t*/, Vector /*y*/, std::span<const int> /*directions*/) { return false; }

    // --- Events the model schedules itself (e.g. spikes delivered after an axonal delay) -------
    // The earliest pending event time >= t, or +infinity when none is pending. With CVODE the
    // simulation stops exactly there and calls on_scheduled_event(); the fixed-step methods call
    // it at the step boundary nearest to that time (NEURON's fixed-step convention).
    virtual double next_scheduled_event(double /*t*/) const { return std::numeric_limits<double>::infinity(); }
    // Deliver every event scheduled at t, the value next_scheduled_event() returned (and drop them
    // from the model's queue); the model may change y (a conductance jump). Returns true if it
    // did, and the integrator restarts.
    virtual bool on_scheduled_event(double /*t*/, Vector /*y*/) { return false; }

    // --- The model's own fixed step (Method::staggered_euler, staggered_crank_nicolson) -------
    // Models of cells on trees step as NEURON does (see options.hpp); the engine still handles
    // inputs, roots, scheduled events, probes and the step grid.
    virtual bool has_staggered_step() const { return false; }
    // Advance y in place from t to t + dt; theta is 1 (backward Euler) or 1/2 (Crank-Nicolson)
    // for the voltages; u holds the inputs at t + theta dt.
    virtual void staggered_step(double t, double dt, double theta, ConstVector u, Vector y);

    // --- Discontinuities ------------------------------------------------------------------------
    // Times at which f jumps (stimulus onsets, epoch boundaries) that the model knows of itself;
    // input signals add their own. The integrator stops exactly there and restarts.
    virtual std::vector<double> discontinuities() const { return {}; }
};

}  // namespace neurode::sim
