#pragma once
// How a model is integrated: the method, the linear solver and their settings, as one validated
// options struct. Times are in the model's time unit (ms for every neurode model).

#include <string>
#include <string_view>
#include <vector>

namespace neurode::sim {

class OdeSystem;

enum class Method {
    cvode_bdf,          // CVODE, variable-order BDF (orders 1-5): stiff problems
    cvode_adams,        // CVODE, Adams-Moulton (orders 1-12): non-stiff problems
    forward_euler,      // fixed step, order 1; the discretisation rate-network papers train
    rk4,                // fixed step, classical Runge-Kutta, order 4
    exponential_euler,  // fixed step, order 1; exact for each variable's own linear part
    // Linearly implicit fixed-step methods (one linear solve with M = I - gamma dt J per step, no
    // Newton iteration): y_{n+1} = y_n + dy, (I - gamma dt J(t_n, y_n)) dy = dt f(t_n + gamma dt, y_n).
    // They need the model's Jacobian. A sparse Jacobian is factored by KLU (pattern analysed once;
    // on a tree-shaped pattern, a cable or cell with per-compartment gates, the factors have O(n)
    // nonzeros: NEURON's Hines solve in general form); a dense one by partial-pivoting LU.
    // linear_solver is ignored by these methods.
    backward_euler,     // gamma = 1: order 1, L-stable; implicit Euler exactly on linear problems
    crank_nicolson,     // gamma = 1/2: order 2, also on nonlinear problems (J is the exact one);
                        // A-stable but not L-stable: stiff modes are undamped (factor -> -1)
                        // and ring when dt is far above their time constant
    // NEURON's fixed step, for models that provide it (OdeSystem::staggered_step(), the neurons
    // library's cells and networks): membrane voltages by a theta step with the currents
    // linearised at the step's start and a tree (Hines) solve; then gating and synaptic states by
    // exponential Euler at the new voltages, so that gates live half a step apart from voltages.
    staggered_euler,           // theta = 1: NEURON's default (secondorder = 0), order 1
    staggered_crank_nicolson,  // theta = 1/2: order 2 thanks to the staggering (NEURON's
                               // secondorder = 2 scheme)
};

enum class LinearSolver {
    dense,   // LU of the full matrix; the model's Jacobian or difference quotients
    banded,  // band LU; bandwidths from the options or the model's sparsity pattern
    klu,     // sparse LU (SuiteSparse KLU); needs the model's sparse Jacobian
    gmres,   // matrix-free Krylov (SPGMR); optional model preconditioner
};

std::string_view to_string(Method m);
std::string_view to_string(LinearSolver s);
// Parse the names printed by to_string(); throw invalid_parameter(field, ...) on an unknown name.
Method parse_method(std::string_view name, std::string_view field = "method");
LinearSolver parse_linear_solver(std::string_view name, std::string_view field = "linear_solver");

bool is_cvode(Method m);

struct SolverOptions {
    Method method = Method::cvode_bdf;
    LinearSolver linear_solver = LinearSolver::dense;

    // CVODE error control: weight_i = 1 / (rtol |y_i| + atol_i).
    double rtol = 1e-6;
    double atol = 1e-8;                 // [unit of each variable] used when atol_vector is empty
    std::vector<double> atol_vector;    // per variable, size n (optional)

    double initial_step = 0;            // [time] 0: CVODE estimates it
    double min_step = 0;                // [time]
    double max_step = 0;                // [time] 0: unlimited
    long max_steps = 100000;            // CVODE steps allowed in one Simulation::advance() call
    int max_order = 0;                  // 0: the method's maximum (BDF 5, Adams 12)
    int max_error_test_failures = 7;    // per step
    int max_nonlinear_iterations = 3;   // per step
    int max_convergence_failures = 10;  // per step

    // Banded solver; -1 derives them from the model's sparsity pattern.
    long upper_bandwidth = -1;
    long lower_bandwidth = -1;

    // GMRES
    int krylov_dimension = 5;           // maximum Krylov subspace size
    bool use_preconditioner = false;    // use the model's preconditioner_setup/solve

    // Fixed-step methods
    double dt = 0.025;                  // [time]
    // backward_euler and crank_nicolson: the Jacobian and the factored M = I - gamma dt J serve this
    // many steps (1: re-evaluated every step). M is refactored early when the step size changes
    // (a step shortened to land on a stop time or discontinuity); both are refreshed after a
    // restart. Reuse saves the Jacobian evaluation and the factorisation, the dominant costs; on
    // a linear model nothing is lost. On a nonlinear one J lags by up to this many steps: the
    // orders hold as dt shrinks with the count fixed, but the error constant grows with the lag
    // and a stale J damps the stiff components less reliably when J changes fast (spikes).
    int jacobian_reuse_steps = 1;

    // Restart the integrator at the model's and the inputs' discontinuities.
    bool stop_at_discontinuities = true;

    // Throws invalid_parameter naming the first field that violates a constraint. With a model,
    // also checks what depends on it (atol_vector size, Jacobian needs of the linear solver).
    void validate() const;
    void validate(const OdeSystem& system) const;
};

}  // namespace neurode::sim
