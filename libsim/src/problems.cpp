#include <neurode/sim/problems.hpp>

#include <cmath>
#include <numbers>
#include <string>

#include <neurode/sim/cable_kernel.h>
#include <neurode/sim/errors.hpp>

namespace neurode::sim::problems {

// --- LinearDecay ---------------------------------------------------------------------------------
void LinearDecay::rhs(double, ConstVector y, ConstVector, Vector ydot) { ydot[0] = -lambda_ * y[0]; }
void LinearDecay::dense_jacobian(double, ConstVector, ConstVector, DenseMatrixRef J) { J(0, 0) = -lambda_; }
double LinearDecay::exact(double t) const { return y0_ * std::exp(-lambda_ * t); }

// --- ProtheroRobinson ----------------------------------------------------------------------------
void ProtheroRobinson::rhs(double t, ConstVector y, ConstVector, Vector ydot)
{
    ydot[0] = -lambda_ * (y[0] - std::sin(omega_ * t)) + omega_ * std::cos(omega_ * t);
}
void ProtheroRobinson::dense_jacobian(double, ConstVector, ConstVector, DenseMatrixRef J) { J(0, 0) = -lambda_; }
double ProtheroRobinson::exact(double t) const { return std::sin(omega_ * t); }

// --- DampedRotation ------------------------------------------------------------------------------
void DampedRotation::initial_state(Vector y0) const
{
    y0[0] = 1.0;
    y0[1] = 0.0;
}
void DampedRotation::rhs(double, ConstVector y, ConstVector, Vector ydot)
{
    ydot[0] = -a_ * y[0] + w_ * y[1];
    ydot[1] = -w_ * y[0] - a_ * y[1];
}
void DampedRotation::dense_jacobian(double, ConstVector, ConstVector, DenseMatrixRef J)
{
    J << -a_, w_, -w_, -a_;
}
std::vector<double> DampedRotation::exact(double t) const
{
    const double decay = std::exp(-a_ * t);
    return {decay * std::cos(w_ * t), -decay * std::sin(w_ * t)};
}

// --- Robertson -----------------------------------------------------------------------------------
Robertson::Robertson()
{
    pattern_ = make_sparsity_pattern(3, {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}, {2, 0}, {2, 1}, {2, 2}});
}
void Robertson::initial_state(Vector y0) const
{
    y0[0] = 1.0;
    y0[1] = 0.0;
    y0[2] = 0.0;
}
std::string Robertson::variable_name(std::size_t i) const
{
    // Appending (not "y" + string) sidesteps GCC 12's false -Wrestrict (GCC bug 105329).
    std::string name = "y";
    name += std::to_string(i + 1);
    return name;
}
void Robertson::rhs(double, ConstVector y, ConstVector, Vector ydot)
{
    const double slow = 0.04 * y[0], mixed = 1e4 * y[1] * y[2], fast = 3e7 * y[1] * y[1];
    ydot[0] = -slow + mixed;
    ydot[2] = fast;
    ydot[1] = slow - mixed - fast;
}
void Robertson::sparse_jacobian(double, ConstVector y, ConstVector, Vector v)
{
    // rows in order: (0,0) (0,1) (0,2) (1,0) (1,1) (1,2) (2,0) (2,1) (2,2)
    v[0] = -0.04;
    v[1] = 1e4 * y[2];
    v[2] = 1e4 * y[1];
    v[3] = 0.04;
    v[4] = -1e4 * y[2] - 6e7 * y[1];
    v[5] = -1e4 * y[1];
    v[6] = 0.0;
    v[7] = 6e7 * y[1];
    v[8] = 0.0;
}
void Robertson::roots(double, ConstVector y, ConstVector, Vector g)
{
    g[0] = y[0] - 1e-4;
    g[1] = y[2] - 0.01;
}

// --- VanDerPol -----------------------------------------------------------------------------------
VanDerPol::VanDerPol(double mu) : mu_(mu)
{
    pattern_ = make_sparsity_pattern(2, {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
}
void VanDerPol::initial_state(Vector y0) const
{
    y0[0] = 2.0;
    y0[1] = 0.0;
}
void VanDerPol::rhs(double, ConstVector y, ConstVector, Vector ydot)
{
    ydot[0] = y[1];
    ydot[1] = mu_ * (1 - y[0] * y[0]) * y[1] - y[0];
}
void VanDerPol::sparse_jacobian(double, ConstVector y, ConstVector, Vector v)
{
    v[0] = 0.0;
    v[1] = 1.0;
    v[2] = -2 * mu_ * y[0] * y[1] - 1;
    v[3] = mu_ * (1 - y[0] * y[0]);
}

// --- Cable ---------------------------------------------------------------------------------------
void CableParameters::validate() const
{
    auto positive = [](double v, const char* field) {
        if (!(std::isfinite(v) && v > 0)) throw invalid_parameter(field, "must be finite and > 0, got " + std::to_string(v));
    };
    if (compartments == 0) throw invalid_parameter("compartments", "must be > 0");
    positive(length, "length");
    positive(diameter, "diameter");
    positive(axial_resistivity, "axial_resistivity");
    positive(membrane_capacitance, "membrane_capacitance");
    positive(leak_conductance, "leak_conductance");
    if (!std::isfinite(leak_reversal)) throw invalid_parameter("leak_reversal", "must be finite");
    if (!std::isfinite(initial_voltage)) throw invalid_parameter("initial_voltage", "must be finite");
    if (injection_compartment >= compartments)
        throw invalid_parameter("injection_compartment", "must be < compartments (" + std::to_string(compartments) + ")");
}

Cable::Cable(CableParameters p) : p_(p)
{
    p_.validate();
    const double h = p_.length / static_cast<double>(p_.compartments);  // [um]
    // 1/tau = g/cm [S/uF = 1e3 / ms]; k = d / (4 Ra cm h^2) [S/uF per um, x1e4 um/cm]
    inv_tau_ = 1e3 * p_.leak_conductance / p_.membrane_capacitance;
    k_ = 1e7 * p_.diameter / (4.0 * p_.axial_resistivity * p_.membrane_capacitance * h * h);
    // I / C with I in nA and C = cm * pi d h: 1 nA / (1 uF/cm2 * 1 um2) = 1e5 mV/ms
    inject_scale_ = 1e5 / (p_.membrane_capacitance * std::numbers::pi * p_.diameter * h);
    v0_.assign(p_.compartments, p_.initial_voltage);
    pattern_.row_offsets.resize(p_.compartments + 1);
    pattern_.columns.resize(3 * p_.compartments - 2);
    neurode_cable_pattern(p_.compartments, pattern_.row_offsets.data(), pattern_.columns.data());
}

void Cable::initial_state(Vector y0) const { std::copy(v0_.begin(), v0_.end(), y0.begin()); }

std::string Cable::variable_name(std::size_t i) const { return "v[" + std::to_string(i) + "]"; }

void Cable::rhs(double, ConstVector y, ConstVector u, Vector ydot)
{
    neurode_cable_rhs(p_.compartments, inv_tau_, k_, p_.leak_reversal, y.data(), ydot.data());
    ydot[p_.injection_compartment] += inject_scale_ * u[0];
}

void Cable::sparse_jacobian(double, ConstVector, ConstVector, Vector values)
{
    neurode_cable_jacobian(p_.compartments, inv_tau_, k_, values.data());
}

bool Cable::preconditioner_setup(double, ConstVector, ConstVector, bool, double gamma)
{
    // Factor the tridiagonal M = I - gamma J once per setup (Thomas algorithm).
    const std::size_t n = p_.compartments;
    thomas_c_.resize(n);
    thomas_inv_.resize(n);
    const double off = -gamma * k_;
    for (std::size_t i = 0; i < n; ++i) {
        const double neighbours = static_cast<double>(i > 0) + static_cast<double>(i + 1 < n);
        const double diag = 1.0 + gamma * (inv_tau_ + k_ * neighbours);
        const double pivot = diag - (i > 0 ? off * thomas_c_[i - 1] : 0.0);
        thomas_inv_[i] = 1.0 / pivot;
        thomas_c_[i] = off * thomas_inv_[i];
    }
    return true;
}

void Cable::preconditioner_solve(double, ConstVector, ConstVector, ConstVector r, Vector z, double gamma)
{
    const std::size_t n = p_.compartments;
    const double off = -gamma * k_;
    z[0] = r[0] * thomas_inv_[0];
    for (std::size_t i = 1; i < n; ++i) z[i] = (r[i] - off * z[i - 1]) * thomas_inv_[i];
    for (std::size_t i = n - 1; i-- > 0;) z[i] -= thomas_c_[i] * z[i + 1];
}

void Cable::set_initial_profile(std::vector<double> v0)
{
    if (v0.size() != p_.compartments)
        throw invalid_parameter("initial_profile", "must have one value per compartment (" +
                                                       std::to_string(p_.compartments) + "), has " + std::to_string(v0.size()));
    v0_ = std::move(v0);
}

double Cable::membrane_time_constant() const { return 1.0 / inv_tau_; }

double Cable::length_constant() const
{
    // lambda = sqrt(d Rm / (4 Ra)), Rm = 1/g [ohm cm2], d in cm; result in um.
    const double d_cm = p_.diameter * 1e-4;
    return std::sqrt(d_cm / (4.0 * p_.axial_resistivity * p_.leak_conductance)) * 1e4;
}

double Cable::position(std::size_t i) const
{
    return (static_cast<double>(i) + 0.5) * p_.length / static_cast<double>(p_.compartments);
}

double Cable::mode_decay_rate(std::size_t m) const
{
    const double s = std::sin(std::numbers::pi * static_cast<double>(m) / (2.0 * static_cast<double>(p_.compartments)));
    return inv_tau_ + 4.0 * k_ * s * s;
}

double Cable::steady_state_continuous(double x, double current_nA) const
{
    // Sealed-end finite cable driven at x = 0: V(x) - E = I r_a lambda cosh((L - x)/lambda) / sinh(L/lambda),
    // r_a = 4 Ra / (pi d^2) [ohm/cm].
    const double lambda_cm = length_constant() * 1e-4;
    const double d_cm = p_.diameter * 1e-4;
    const double r_a = 4.0 * p_.axial_resistivity / (std::numbers::pi * d_cm * d_cm);
    const double input_resistance = r_a * lambda_cm / std::tanh(p_.length / length_constant());  // [ohm]
    const double v0 = current_nA * 1e-9 * input_resistance * 1e3;  // [mV]
    const double ratio = std::cosh((p_.length - x) / length_constant()) / std::cosh(p_.length / length_constant());
    return p_.leak_reversal + v0 * ratio;
}

}  // namespace neurode::sim::problems
