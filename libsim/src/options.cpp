#include <neurode/sim/options.hpp>

#include <cmath>
#include <cstdio>
#include <string>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/ode_system.hpp>

namespace neurode::sim {

namespace {
constexpr std::pair<Method, std::string_view> method_names[] = {
    {Method::cvode_bdf, "cvode_bdf"},     {Method::cvode_adams, "cvode_adams"},
    {Method::forward_euler, "forward_euler"}, {Method::rk4, "rk4"},
    {Method::exponential_euler, "exponential_euler"}, {Method::backward_euler, "backward_euler"},
    {Method::crank_nicolson, "crank_nicolson"}, {Method::staggered_euler, "staggered_euler"},
    {Method::staggered_crank_nicolson, "staggered_crank_nicolson"},
};
constexpr std::pair<LinearSolver, std::string_view> solver_names[] = {
    {LinearSolver::dense, "dense"}, {LinearSolver::banded, "banded"},
    {LinearSolver::klu, "klu"},     {LinearSolver::gmres, "gmres"},
};

template <class Enum, std::size_t N>
Enum parse_name(const std::pair<Enum, std::string_view> (&names)[N], std::string_view name, std::string_view field)
{
    std::string known;
    for (const auto& [value, text] : names) {
        if (text == name) return value;
        known += (known.empty() ? "" : ", ") + std::string(text);
    }
    throw invalid_parameter(std::string(field), "unknown value '" + std::string(name) + "' (expected one of: " + known + ")");
}

template <class Enum, std::size_t N>
std::string_view name_of(const std::pair<Enum, std::string_view> (&names)[N], Enum value)
{
    for (const auto& [v, text] : names)
        if (v == value) return text;
    throw logic_error("enum value without a name");
}

void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

std::string value_text(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}
}  // namespace

std::string_view to_string(Method m) { return name_of(method_names, m); }
std::string_view to_string(LinearSolver s) { return name_of(solver_names, s); }
Method parse_method(std::string_view name, std::string_view field) { return parse_name(method_names, name, field); }
LinearSolver parse_linear_solver(std::string_view name, std::string_view field)
{
    return parse_name(solver_names, name, field);
}

bool is_cvode(Method m) { return m == Method::cvode_bdf || m == Method::cvode_adams; }

void SolverOptions::validate() const
{
    require(std::isfinite(rtol) && rtol >= 0, "rtol", "must be finite and >= 0, got " + value_text(rtol));
    require(std::isfinite(atol) && atol >= 0, "atol", "must be finite and >= 0, got " + value_text(atol));
    for (std::size_t i = 0; i < atol_vector.size(); ++i)
        if (!(std::isfinite(atol_vector[i]) && atol_vector[i] >= 0))
            throw invalid_parameter("atol_vector[" + std::to_string(i) + "]",
                                    "must be finite and >= 0, got " + value_text(atol_vector[i]));
    require(rtol > 0 || atol > 0 || !atol_vector.empty(), "rtol", "rtol and atol cannot both be 0");
    require(std::isfinite(initial_step) && initial_step >= 0, "initial_step", "must be finite and >= 0");
    require(std::isfinite(min_step) && min_step >= 0, "min_step", "must be finite and >= 0");
    require(std::isfinite(max_step) && max_step >= 0, "max_step", "must be finite and >= 0 (0: unlimited)");
    require(max_step == 0 || min_step <= max_step, "min_step", "must not exceed max_step");
    require(max_steps > 0, "max_steps", "must be > 0, got " + std::to_string(max_steps));
    const int order_limit = method == Method::cvode_adams ? 12 : 5;
    require(max_order >= 0 && max_order <= order_limit, "max_order",
            "must be in [0, " + std::to_string(order_limit) + "] for " + std::string(to_string(method)) +
                " (0: the method's maximum), got " + std::to_string(max_order));
    require(max_error_test_failures > 0, "max_error_test_failures", "must be > 0");
    require(max_nonlinear_iterations > 0, "max_nonlinear_iterations", "must be > 0");
    require(max_convergence_failures > 0, "max_convergence_failures", "must be > 0");
    require(upper_bandwidth >= -1, "upper_bandwidth", "must be >= 0, or -1 to derive it from the sparsity pattern");
    require(lower_bandwidth >= -1, "lower_bandwidth", "must be >= 0, or -1 to derive it from the sparsity pattern");
    require(krylov_dimension > 0, "krylov_dimension", "must be > 0");
    require(std::isfinite(dt) && dt > 0, "dt", "must be finite and > 0, got " + value_text(dt));
    require(jacobian_reuse_steps > 0, "jacobian_reuse_steps",
            "must be > 0 (1: a new Jacobian every step), got " + std::to_string(jacobian_reuse_steps));
    require(!use_preconditioner || linear_solver == LinearSolver::gmres, "use_preconditioner",
            "a preconditioner is used only by linear_solver = gmres");
}

void SolverOptions::validate(const OdeSystem& system) const
{
    validate();
    const std::size_t n = system.size();
    require(n > 0, "system", "has no state variables");
    require(atol_vector.empty() || atol_vector.size() == n, "atol_vector",
            "must have one entry per state variable (" + std::to_string(n) + "), has " +
                std::to_string(atol_vector.size()));
    const JacobianKind jac = system.jacobian_kind();
    if (jac == JacobianKind::sparse) system.sparsity().validate(n);
    if (is_cvode(method)) {
        require(linear_solver != LinearSolver::klu || jac == JacobianKind::sparse, "linear_solver",
                "klu needs the model's sparse Jacobian, and this model provides " +
                    std::string(jac == JacobianKind::dense ? "a dense one" : "none"));
        require(linear_solver != LinearSolver::banded || jac == JacobianKind::sparse ||
                    (upper_bandwidth >= 0 && lower_bandwidth >= 0),
                "upper_bandwidth", "banded needs bandwidths: set upper_bandwidth and lower_bandwidth, or give the "
                                   "model a sparse Jacobian to derive them from");
        require(!use_preconditioner || system.has_preconditioner(), "use_preconditioner",
                "the model provides no preconditioner");
    } else if (method == Method::exponential_euler) {
        require(jac != JacobianKind::none, "method",
                "exponential_euler needs each variable's own linear coefficient (the Jacobian's diagonal), and "
                "the model provides no Jacobian");
    } else if (method == Method::backward_euler || method == Method::crank_nicolson) {
        require(jac != JacobianKind::none, "method",
                std::string(to_string(method)) + " solves with I - gamma dt J and needs the model's Jacobian (dense "
                "or sparse), and the model provides none; use a cvode method, which approximates it");
    } else if (method == Method::staggered_euler || method == Method::staggered_crank_nicolson) {
        require(system.has_staggered_step(), "method",
                std::string(to_string(method)) + " is NEURON's cell-and-synapse scheme and this model does not "
                "provide it (OdeSystem::staggered_step); use backward_euler or crank_nicolson");
    }
}

}  // namespace neurode::sim
