#pragma once
// Reference problems with known solutions, in one shared place: the tests check the engine on
// them, the benchmarks time it, and `neurode` uses them for its demo. Each states its closed form
// or its published reference.

#include <cstddef>
#include <string>
#include <vector>

#include <neurode/sim/ode_system.hpp>

namespace neurode::sim::problems {

// dy/dt = -lambda y, y(0) = y0.  y(t) = y0 exp(-lambda t).
class LinearDecay : public OdeSystem {
public:
    explicit LinearDecay(double lambda = 1.0, double y0 = 1.0) : lambda_(lambda), y0_(y0) {}
    std::size_t size() const override { return 1; }
    void initial_state(Vector y0) const override { y0[0] = y0_; }
    void rhs(double t, ConstVector y, ConstVector u, Vector ydot) override;
    JacobianKind jacobian_kind() const override { return JacobianKind::dense; }
    void dense_jacobian(double t, ConstVector y, ConstVector u, DenseMatrixRef J) override;
    double exact(double t) const;

private:
    double lambda_, y0_;
};

// Prothero-Robinson forced stiff scalar: dy/dt = -lambda (y - g(t)) + g'(t), g = sin(omega t),
// y(0) = 0. y(t) = sin(omega t) for any lambda; lambda = 1e6 makes it very stiff.
class ProtheroRobinson : public OdeSystem {
public:
    explicit ProtheroRobinson(double lambda = 1e6, double omega = 1.0) : lambda_(lambda), omega_(omega) {}
    std::size_t size() const override { return 1; }
    void initial_state(Vector y0) const override { y0[0] = 0.0; }
    void rhs(double t, ConstVector y, ConstVector u, Vector ydot) override;
    JacobianKind jacobian_kind() const override { return JacobianKind::dense; }
    void dense_jacobian(double t, ConstVector y, ConstVector u, DenseMatrixRef J) override;
    double exact(double t) const;

private:
    double lambda_, omega_;
};

// A damped rotation dy/dt = A y, A = [[-a, w], [-w, -a]], y(0) = (1, 0):
// y(t) = exp(-a t) (cos w t, -sin w t). The off-diagonal coupling makes exponential Euler
// (which integrates only each variable's own linear part exactly) first order.
class DampedRotation : public OdeSystem {
public:
    DampedRotation(double a = 0.5, double w = 2.0) : a_(a), w_(w) {}
    std::size_t size() const override { return 2; }
    void initial_state(Vector y0) const override;
    void rhs(double t, ConstVector y, ConstVector u, Vector ydot) override;
    JacobianKind jacobian_kind() const override { return JacobianKind::dense; }
    void dense_jacobian(double t, ConstVector y, ConstVector u, DenseMatrixRef J) override;
    std::vector<double> exact(double t) const;

private:
    double a_, w_;
};

// Robertson's chemical kinetics exactly as in SUNDIALS' cvRoberts_dns example:
//   y1' = -0.04 y1 + 1e4 y2 y3,  y2' = 0.04 y1 - 1e4 y2 y3 - 3e7 y2^2,  y3' = 3e7 y2^2,
// y(0) = (1, 0, 0), roots g = (y1 - 1e-4, y3 - 0.01). Sparse (full 3 x 3) Jacobian.
class Robertson : public OdeSystem {
public:
    Robertson();
    std::size_t size() const override { return 3; }
    void initial_state(Vector y0) const override;
    std::string variable_name(std::size_t i) const override;
    std::string time_unit() const override { return "s"; }
    void rhs(double t, ConstVector y, ConstVector u, Vector ydot) override;
    JacobianKind jacobian_kind() const override { return JacobianKind::sparse; }
    const SparsityPattern& sparsity() const override { return pattern_; }
    void sparse_jacobian(double t, ConstVector y, ConstVector u, Vector values) override;
    std::size_t root_count() const override { return 2; }
    void roots(double t, ConstVector y, ConstVector u, Vector g) override;

private:
    SparsityPattern pattern_;
};

// Van der Pol oscillator y1' = y2, y2' = mu (1 - y1^2) y2 - y1, y(0) = (2, 0) (the classic
// "vdp1000" test when mu = 1000): relaxation period ~ (3 - 2 ln 2) mu, stiff on the slow branches.
// Sparse (full 2 x 2) Jacobian.
class VanDerPol : public OdeSystem {
public:
    explicit VanDerPol(double mu = 1000.0);
    std::size_t size() const override { return 2; }
    void initial_state(Vector y0) const override;
    void rhs(double t, ConstVector y, ConstVector u, Vector ydot) override;
    JacobianKind jacobian_kind() const override { return JacobianKind::sparse; }
    const SparsityPattern& sparsity() const override { return pattern_; }
    void sparse_jacobian(double t, ConstVector y, ConstVector u, Vector values) override;

private:
    double mu_;
    SparsityPattern pattern_;
};

// A passive cable (or the heat equation on a line) of n compartments with sealed ends, in
// NEURON's units. Compartment i is a cylinder of length L/n; the discretised cable equation is
//   dV_i/dt = -(V_i - e_leak)/tau_m + k (V_{i-1} - 2 V_i + V_{i+1}) + I(t) [i = injection site] / C_i,
// with tau_m = cm / g_leak and k = lambda^2 / (tau_m h^2), lambda^2 = d / (4 Ra g_leak).
// One input, "i_inj" [nA], is injected at `injection_compartment`. Tridiagonal sparse Jacobian
// and a tridiagonal (Thomas algorithm) preconditioner solving (I - gamma J) z = r exactly.
struct CableParameters {
    std::size_t compartments = 100;
    double length = 1000.0;       // [um]
    double diameter = 1.0;        // [um]
    double axial_resistivity = 100.0;  // Ra [ohm cm]
    double membrane_capacitance = 1.0; // cm [uF/cm2]
    double leak_conductance = 1e-4;    // g_leak [S/cm2]
    double leak_reversal = -65.0;      // e_leak [mV]
    double initial_voltage = -65.0;    // [mV], uniform (see Cable::set_initial_profile)
    std::size_t injection_compartment = 0;

    void validate() const;  // throws invalid_parameter naming the field
};

class Cable : public OdeSystem {
public:
    explicit Cable(CableParameters p = {});
    std::size_t size() const override { return p_.compartments; }
    void initial_state(Vector y0) const override;
    std::string variable_name(std::size_t i) const override;
    std::string variable_unit(std::size_t) const override { return "mV"; }
    std::size_t input_count() const override { return 1; }
    std::string input_name(std::size_t) const override { return "i_inj"; }
    void rhs(double t, ConstVector y, ConstVector u, Vector ydot) override;
    JacobianKind jacobian_kind() const override { return JacobianKind::sparse; }
    const SparsityPattern& sparsity() const override { return pattern_; }
    void sparse_jacobian(double t, ConstVector y, ConstVector u, Vector values) override;
    bool has_preconditioner() const override { return true; }
    bool preconditioner_setup(double t, ConstVector y, ConstVector u, bool jacobian_ok, double gamma) override;
    void preconditioner_solve(double t, ConstVector y, ConstVector u, ConstVector r, Vector z, double gamma) override;

    // Replace the uniform initial voltage by any profile (size n).
    void set_initial_profile(std::vector<double> v0);

    const CableParameters& parameters() const { return p_; }
    double membrane_time_constant() const;  // [ms]
    double length_constant() const;         // [um]
    double coupling() const { return k_; }  // [1/ms]
    double injection_scale() const { return inject_scale_; }  // [mV/ms per nA]
    // Position of compartment i's centre along the cable.
    double position(std::size_t i) const;  // [um]
    // Decay rate of the discrete cosine mode m (exact for the semi-discrete system).
    double mode_decay_rate(std::size_t m) const;  // [1/ms]
    // Steady-state voltage for a constant current at compartment 0 in the continuous cable.
    double steady_state_continuous(double x, double current_nA) const;  // [mV]

private:
    CableParameters p_;
    double inv_tau_ = 0, k_ = 0, inject_scale_ = 0;
    std::vector<double> v0_;
    SparsityPattern pattern_;
    std::vector<double> thomas_c_, thomas_inv_;  // factored (I - gamma J) for the preconditioner
};

}  // namespace neurode::sim::problems
