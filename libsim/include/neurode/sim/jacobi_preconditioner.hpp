#pragma once
// A diagonal (Jacobi) preconditioner for CVODE's GMRES, for models that provide a Jacobian but no
// preconditioner of their own (rate networks, cells and networks): P = I - gamma diag(J), solved
// by one division per variable. It removes the stiffness that sits on the diagonal (fast time
// constants, fast gates, a compartment's own conductances) and leaves the couplings (recurrent
// weights, axial and synaptic conductances) to the Krylov iterations.
//
// JacobiPreconditioned wraps a model and forwards everything else to it unchanged, so that a
// simulation of the wrapper is the model's simulation with use_preconditioner available:
//     JacobiPreconditioned p(model);               // model must outlive p
//     options.linear_solver = LinearSolver::gmres;
//     options.use_preconditioner = true;
//     Simulation s(p, options);

#include <vector>

#include <neurode/sim/ode_system.hpp>

namespace neurode::sim {

class JacobiPreconditioned : public OdeSystem {
public:
    // Throws invalid_parameter("model", ...) when the model provides no Jacobian to take the
    // diagonal from.
    explicit JacobiPreconditioned(OdeSystem& model);

    bool has_preconditioner() const override { return true; }
    // Evaluates diag(J) at (t, y) unless jacobian_ok and a diagonal is saved (CVODE then only
    // changed gamma); returns whether it evaluated.
    bool preconditioner_setup(double t, ConstVector y, ConstVector u, bool jacobian_ok, double gamma) override;
    // z_i = r_i / (1 - gamma d_i); a row whose factor vanishes is left unpreconditioned (z_i = r_i).
    void preconditioner_solve(double t, ConstVector y, ConstVector u, ConstVector r, Vector z, double gamma) override;

    // --- everything else is the model's ---------------------------------------------------------
    std::size_t size() const override { return model_.size(); }
    void initial_state(Vector y0) const override { model_.initial_state(y0); }
    void rhs(double t, ConstVector y, ConstVector u, Vector ydot) override { model_.rhs(t, y, u, ydot); }
    std::string variable_name(std::size_t i) const override { return model_.variable_name(i); }
    std::string variable_unit(std::size_t i) const override { return model_.variable_unit(i); }
    std::string time_unit() const override { return model_.time_unit(); }
    std::size_t input_count() const override { return model_.input_count(); }
    std::string input_name(std::size_t k) const override { return model_.input_name(k); }
    JacobianKind jacobian_kind() const override { return model_.jacobian_kind(); }
    void dense_jacobian(double t, ConstVector y, ConstVector u, DenseMatrixRef J) override
    {
        model_.dense_jacobian(t, y, u, J);
    }
    const SparsityPattern& sparsity() const override { return model_.sparsity(); }
    void sparse_jacobian(double t, ConstVector y, ConstVector u, Vector values) override
    {
        model_.sparse_jacobian(t, y, u, values);
    }
    std::size_t root_count() const override { return model_.root_count(); }
    void roots(double t, ConstVector y, ConstVector u, Vector g) override { model_.roots(t, y, u, g); }
    bool on_roots(double t, Vector y, std::span<const int> directions) override
    {
        return model_.on_roots(t, y, directions);
    }
    double next_scheduled_event(double t) const override { return model_.next_scheduled_event(t); }
    bool on_scheduled_event(double t, Vector y) override { return model_.on_scheduled_event(t, y); }
    bool has_staggered_step() const override { return model_.has_staggered_step(); }
    void staggered_step(double t, double dt, double theta, ConstVector u, Vector y) override
    {
        model_.staggered_step(t, dt, theta, u, y);
    }
    std::vector<double> discontinuities() const override { return model_.discontinuities(); }

private:
    OdeSystem& model_;
    std::vector<double> diagonal_;  // d_i = J_ii at the last setup
    bool have_diagonal_ = false;
    std::vector<double> jacobian_;           // the dense Jacobian (n x n) or the sparse values
    std::vector<std::int64_t> diagonal_at_;  // sparse: index of J_ii in the values, -1 if not stored
};

}  // namespace neurode::sim
