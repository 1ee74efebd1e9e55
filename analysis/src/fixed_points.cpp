#include <neurode/analysis/fixed_points.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <exception>
#include <numeric>
#include <sstream>
#include <thread>
#include <type_traits>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/parallel.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::analysis {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void require(bool ok, const std::string& field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

bool finite(double v) { return std::isfinite(v); }

Index idx(std::size_t i) { return static_cast<Index>(i); }

void require_finite_vector(std::span<const double> v, const std::string& field)
{
    for (std::size_t i = 0; i < v.size(); ++i)
        require(finite(v[i]), field, "is not finite at entry " + std::to_string(i));
}

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

// ---- Models ------------------------------------------------------------------------------------

void FixedPointModel::jacobian(const VectorXd& x, MatrixXd& J) const
{
    const Index n = x.size();
    const double step = std::cbrt(std::numeric_limits<double>::epsilon());
    VectorXd xp = x, fp(n), fm(n);
    for (Index j = 0; j < n; ++j) {
        const double h = step * std::max(1.0, std::abs(x(j)));
        xp(j) = x(j) + h;
        const double up = xp(j);
        evaluate(xp, fp);
        xp(j) = x(j) - h;
        const double down = xp(j);
        evaluate(xp, fm);
        xp(j) = x(j);
        J.col(j) = (fp - fm) / (up - down);
    }
}

std::string FixedPointModel::variable_name(std::size_t i) const { return "x[" + std::to_string(i) + "]"; }

void FixedPointModel::residual(const VectorXd& x, VectorXd& F) const
{
    evaluate(x, F);
    if (dynamics() == Dynamics::discrete) F = x - F;
}

void FixedPointModel::residual_jacobian(const VectorXd& x, MatrixXd& JF) const
{
    jacobian(x, JF);
    if (dynamics() == Dynamics::discrete) {
        JF = -JF;
        JF.diagonal().array() += 1.0;
    }
}

RateNetworkModel::RateNetworkModel(const rnn::RateNetwork& network, std::span<const double> input, Dynamics dynamics,
                                   double dt_ms)
    : dynamics_(dynamics), activation_(network.options().activation), units_(network.units()),
      free_(network.units() - network.options().clamped_units), clamp_value_(network.options().clamp_value)
{
    network.validate();
    const std::size_t m = network.options().inputs;
    require(input.size() == m, "input",
            "must have one value per network input (" + std::to_string(m) + "), has " + std::to_string(input.size()));
    require_finite_vector(input, "input");
    if (dynamics == Dynamics::discrete) require(finite(dt_ms) && dt_ms > 0, "dt_ms", "must be finite and > 0 ms for the Euler map");

    const MatrixXd w_eff = network.effective_recurrent_weights();
    const Index n = idx(units_), free = idx(free_), clamped = n - free;
    const VectorXd u = Eigen::Map<const VectorXd>(input.data(), idx(m));
    w_ = w_eff.topLeftCorner(free, free);
    drive_ = (network.Win * u + network.b).head(free);
    if (clamped > 0)
        drive_ += w_eff.topRightCorner(free, clamped) * VectorXd::Constant(clamped, rnn::activate(activation_, clamp_value_));
    const VectorXd tau = network.tau.head(free);
    rate_ = dynamics == Dynamics::discrete ? VectorXd((dt_ms / tau.array()).matrix()) : VectorXd(tau.cwiseInverse());
}

RateNetworkModel RateNetworkModel::continuous(const rnn::RateNetwork& network, std::span<const double> input)
{
    return RateNetworkModel(network, input, Dynamics::continuous);
}

RateNetworkModel RateNetworkModel::euler_map(const rnn::RateNetwork& network, std::span<const double> input, double dt_ms)
{
    return RateNetworkModel(network, input, Dynamics::discrete, dt_ms);
}

void RateNetworkModel::evaluate(const VectorXd& x, VectorXd& value) const
{
    VectorXd r(x.size());
    for (Index i = 0; i < x.size(); ++i) r(i) = rnn::activate(activation_, x(i));
    value.noalias() = w_ * r;
    value += drive_ - x;
    value.array() *= rate_.array();
    if (dynamics_ == Dynamics::discrete) value += x;
}

void RateNetworkModel::jacobian(const VectorXd& x, MatrixXd& J) const
{
    VectorXd d(x.size());
    for (Index i = 0; i < x.size(); ++i) d(i) = rnn::activation_derivative(activation_, x(i));
    J.noalias() = w_ * d.asDiagonal();
    J.diagonal().array() -= 1.0;
    J = rate_.asDiagonal() * J;
    if (dynamics_ == Dynamics::discrete) J.diagonal().array() += 1.0;
}

MatrixXd RateNetworkModel::states(const rnn::NetworkRun& run) const
{
    require(run.units == units_, "run", "has " + std::to_string(run.units) + " units, the network " + std::to_string(units_));
    require(run.states.size() == run.trials * run.steps * run.units, "run", "states must hold trials x steps x units values");
    const std::size_t columns = run.trials * run.steps;
    MatrixXd out(idx(free_), idx(columns));
    for (std::size_t c = 0; c < columns; ++c)
        for (std::size_t i = 0; i < free_; ++i) out(idx(i), idx(c)) = run.states[c * units_ + i];
    return out;
}

VectorXd RateNetworkModel::network_state(const VectorXd& x) const
{
    require(static_cast<std::size_t>(x.size()) == free_, "x",
            "must have one value per free unit (" + std::to_string(free_) + "), has " + std::to_string(x.size()));
    VectorXd full = VectorXd::Constant(idx(units_), clamp_value_);
    full.head(idx(free_)) = x;
    return full;
}

FunctionModel::FunctionModel(Dynamics dynamics, std::size_t size, Value value, Jacobian jacobian, bool thread_safe)
    : dynamics_(dynamics), size_(size), value_(std::move(value)), jacobian_(std::move(jacobian)), thread_safe_(thread_safe)
{
    require(size > 0, "size", "must be > 0");
    require(static_cast<bool>(value_), "value", "must be a callable");
}

void FunctionModel::evaluate(const VectorXd& x, VectorXd& value) const { value_(x, value); }

void FunctionModel::jacobian(const VectorXd& x, MatrixXd& J) const
{
    if (jacobian_)
        jacobian_(x, J);
    else
        FixedPointModel::jacobian(x, J);
}

OdeSystemModel::OdeSystemModel(sim::OdeSystem& system, std::vector<double> input, double time)
    : system_(&system), input_(std::move(input)), time_(time)
{
    require(system.size() > 0, "system", "has no state variables");
    require(input_.size() == system.input_count(), "input",
            "must have one value per system input (" + std::to_string(system.input_count()) + "), has " +
                std::to_string(input_.size()));
    require_finite_vector(input_, "input");
    require(finite(time), "time", "must be finite");
}

void OdeSystemModel::evaluate(const VectorXd& x, VectorXd& value) const
{
    const auto n = static_cast<std::size_t>(x.size());
    system_->rhs(time_, sim::ConstVector(x.data(), n), input_, sim::Vector(value.data(), n));
}

void OdeSystemModel::jacobian(const VectorXd& x, MatrixXd& J) const
{
    const auto n = static_cast<std::size_t>(x.size());
    const sim::ConstVector y(x.data(), n);
    switch (system_->jacobian_kind()) {
    case sim::JacobianKind::dense: {
        J.setZero();
        sim::DenseMatrixRef ref(J.data(), J.rows(), J.cols());
        system_->dense_jacobian(time_, y, input_, ref);
        return;
    }
    case sim::JacobianKind::sparse: {
        const sim::SparsityPattern& pattern = system_->sparsity();
        std::vector<double> values(pattern.nonzeros());
        system_->sparse_jacobian(time_, y, input_, values);
        J.setZero();
        for (std::size_t i = 0; i < n; ++i)
            for (auto p = pattern.row_offsets[i]; p < pattern.row_offsets[i + 1]; ++p)
                J(idx(i), static_cast<Index>(pattern.columns[static_cast<std::size_t>(p)])) = values[static_cast<std::size_t>(p)];
        return;
    }
    case sim::JacobianKind::none: FixedPointModel::jacobian(x, J); return;
    }
}

// ---- Initial states ----------------------------------------------------------------------------

MatrixXd sample_initial_states(const MatrixXd& states, std::size_t count, double noise_sd, std::uint64_t seed)
{
    require(states.rows() > 0 && states.cols() > 0, "states", "is empty (" + std::to_string(states.rows()) + " x " +
                                                                   std::to_string(states.cols()) + ")");
    require(states.allFinite(), "states", "has a value that is not finite");
    require(count > 0, "count", "must be > 0");
    require(finite(noise_sd) && noise_sd >= 0, "noise_sd", "must be finite and >= 0");
    sim::Rng rng(seed);
    MatrixXd out(states.rows(), idx(count));
    for (Index c = 0; c < out.cols(); ++c) {
        out.col(c) = states.col(static_cast<Index>(rng.index(static_cast<std::uint64_t>(states.cols()))));
        if (noise_sd > 0)
            for (Index i = 0; i < out.rows(); ++i) out(i, c) += rng.normal(0.0, noise_sd);
    }
    return out;
}

// ---- Options -----------------------------------------------------------------------------------

void FixedPointOptions::validate() const
{
    require(finite(tolerance) && tolerance > 0, "tolerance", "must be finite and > 0");
    require(finite(slow_tolerance) && slow_tolerance >= tolerance, "slow_tolerance", "must be finite and >= tolerance");
    require(finite(unique_distance) && unique_distance >= 0, "unique_distance", "must be finite and >= 0");
    require(max_iterations > 0, "max_iterations", "must be > 0");
    require(finite(initial_damping) && initial_damping > 0, "initial_damping", "must be finite and > 0");
    require(finite(stall_tolerance) && stall_tolerance >= 0 && stall_tolerance < 1, "stall_tolerance", "must be in [0, 1)");
    require(finite(single_precision_q) && single_precision_q >= 0, "single_precision_q", "must be finite and >= 0");
}

std::string_view to_string(StartStatus s)
{
    switch (s) {
    case StartStatus::converged: return "converged";
    case StartStatus::stalled: return "stalled";
    case StartStatus::max_iterations: return "max_iterations";
    case StartStatus::diverged: return "diverged";
    }
    return "?";
}

// ---- Linearisation -----------------------------------------------------------------------------

namespace {

struct Spectrum {
    Eigen::VectorXcd eigenvalues;
    double stability = std::numeric_limits<double>::quiet_NaN();
    bool stable = false;
    std::size_t unstable = 0;
};

// Eigenvalues of the upper Hessenberg matrix H (overwritten) by the implicit double-shift
// Francis QR iteration, eigenvalues only: every sweep touches only the active (unreduced) block,
// not the whole Schur form, which makes it several times faster than Eigen's RealSchur, which
// updates the whole Schur form at every sweep. Deflation when a subdiagonal entry is negligible beside its
// diagonal neighbours; exceptional shifts after 10 and 20 sweeps without deflation (Golub & Van
// Loan, Matrix Computations, 4th ed., 7.5; Wilkinson & Reinsch's hqr). False when a block needs
// more than 60 sweeps.
bool hessenberg_eigenvalues(MatrixXd& H, Eigen::VectorXcd& eigenvalues)
{
    const Index n = H.rows();
    eigenvalues.resize(n);
    double* const data = H.data();
    const auto a = [data, n](Index i, Index j) -> double& { return data[i + j * n]; };
    double norm = 0;
    for (Index j = 0; j < n; ++j)
        for (Index i = 0; i <= std::min(j + 1, n - 1); ++i) norm += std::abs(a(i, j));

    Index hi = n - 1;     // the active block is rows/columns lo..hi
    double shifted = 0;   // sum of the exceptional shifts subtracted from the diagonal so far
    int sweeps = 0;       // since the last deflation
    while (hi >= 0) {
        Index lo = hi;
        for (; lo > 0; --lo) {
            double s = std::abs(a(lo - 1, lo - 1)) + std::abs(a(lo, lo));
            if (s == 0) s = norm;
            if (std::abs(a(lo, lo - 1)) + s == s) {
                a(lo, lo - 1) = 0;
                break;
            }
        }
        double x = a(hi, hi);
        if (lo == hi) {  // a 1 x 1 block
            eigenvalues(hi) = x + shifted;
            --hi;
            sweeps = 0;
            continue;
        }
        double y = a(hi - 1, hi - 1), w = a(hi, hi - 1) * a(hi - 1, hi);
        if (lo == hi - 1) {  // a 2 x 2 block: its two eigenvalues in closed form
            const double p = 0.5 * (y - x), disc = p * p + w, z = std::sqrt(std::abs(disc));
            x += shifted;
            if (disc >= 0) {
                const double root = p + std::copysign(z, p);  // no cancellation
                eigenvalues(hi - 1) = x + root;
                eigenvalues(hi) = root != 0 ? x - w / root : x + root;
            } else {
                eigenvalues(hi - 1) = {x + p, z};
                eigenvalues(hi) = {x + p, -z};
            }
            hi -= 2;
            sweeps = 0;
            continue;
        }
        if (sweeps == 60) return false;
        if (sweeps == 10 || sweeps == 20) {  // exceptional shift
            shifted += x;
            for (Index i = 0; i <= hi; ++i) a(i, i) -= x;
            const double s = std::abs(a(hi, hi - 1)) + std::abs(a(hi - 1, hi - 2));
            x = y = 0.75 * s;
            w = -0.4375 * s * s;
        }
        ++sweeps;
        // The first column of (H - s1 I)(H - s2 I), s1, s2 the eigenvalues of the trailing 2 x 2
        // block; start the bulge at the lowest row m where two consecutive small subdiagonal
        // entries let the sweep begin.
        Index m = hi - 2;
        double p = 0, q = 0, r = 0;
        for (; m >= lo; --m) {
            const double z = a(m, m), dx = x - z, dy = y - z;
            p = (dx * dy - w) / a(m + 1, m) + a(m, m + 1);
            q = a(m + 1, m + 1) - z - dx - dy;
            r = a(m + 2, m + 1);
            const double s = std::abs(p) + std::abs(q) + std::abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m == lo) break;
            const double u = std::abs(a(m, m - 1)) * (std::abs(q) + std::abs(r));
            const double v = std::abs(p) * (std::abs(a(m - 1, m - 1)) + std::abs(z) + std::abs(a(m + 1, m + 1)));
            if (u + v == v) break;
        }
        for (Index i = m + 2; i <= hi; ++i) {
            a(i, i - 2) = 0;
            if (i != m + 2) a(i, i - 3) = 0;
        }
        // Chase the bulge down with 3 x 3 Householder reflectors (2 x 2 at the last row), applied
        // to the rows k..k+2 from column k on and to the columns k..k+2 of rows lo..k+3 only.
        for (Index k = m; k <= hi - 1; ++k) {
            double scale = 0;
            if (k != m) {
                p = a(k, k - 1);
                q = a(k + 1, k - 1);
                r = k != hi - 1 ? a(k + 2, k - 1) : 0.0;
                scale = std::abs(p) + std::abs(q) + std::abs(r);
                if (scale != 0) {
                    p /= scale;
                    q /= scale;
                    r /= scale;
                }
            }
            const double s = std::copysign(std::sqrt(p * p + q * q + r * r), p);
            if (s == 0) continue;
            if (k == m) {
                if (lo != m) a(k, k - 1) = -a(k, k - 1);
            } else {
                a(k, k - 1) = -s * scale;
            }
            p += s;
            const double vx = p / s, vy = q / s, vz = r / s;
            q /= p;
            r /= p;
            const bool three = k != hi - 1;
            for (Index j = k; j <= hi; ++j) {
                double t = a(k, j) + q * a(k + 1, j);
                if (three) {
                    t += r * a(k + 2, j);
                    a(k + 2, j) -= t * vz;
                }
                a(k + 1, j) -= t * vy;
                a(k, j) -= t * vx;
            }
            for (Index i = lo, top = std::min(hi, k + 3); i <= top; ++i) {
                double t = vx * a(i, k) + vy * a(i, k + 1);
                if (three) {
                    t += vz * a(i, k + 2);
                    a(i, k + 2) -= t * r;
                }
                a(i, k + 1) -= t * q;
                a(i, k) -= t;
            }
        }
    }
    return true;
}

Spectrum spectrum(const MatrixXd& J, Dynamics dynamics)
{
    if (!J.allFinite()) throw runtime_error("linearise: the Jacobian has a value that is not finite");
    MatrixXd H = Eigen::HessenbergDecomposition<MatrixXd>(J).matrixH();
    Eigen::VectorXcd values;
    if (!hessenberg_eigenvalues(H, values)) throw runtime_error("linearise: the eigenvalue iteration did not converge");
    Spectrum s;
    std::vector<std::complex<double>> v(values.data(), values.data() + values.size());
    const bool discrete = dynamics == Dynamics::discrete;
    std::sort(v.begin(), v.end(), [discrete](const std::complex<double>& a, const std::complex<double>& b) {
        const double ka = discrete ? std::abs(a) : a.real(), kb = discrete ? std::abs(b) : b.real();
        if (ka != kb) return ka > kb;
        if (a.real() != b.real()) return a.real() > b.real();
        return a.imag() > b.imag();
    });
    s.eigenvalues = Eigen::Map<const Eigen::VectorXcd>(v.data(), idx(v.size()));
    if (v.empty()) return s;
    s.stability = discrete ? std::abs(v.front()) : v.front().real();
    s.stable = discrete ? s.stability < 1.0 : s.stability < 0.0;
    for (const auto& e : v)
        if (discrete ? std::abs(e) > 1.0 : e.real() > 0.0) ++s.unstable;
    return s;
}

void attach(FixedPoint& p, const Spectrum& s)
{
    p.linearised = true;
    p.eigenvalues = s.eigenvalues;
    p.stability = s.stability;
    p.stable = s.stable;
    p.unstable_dimensions = s.unstable;
}

}  // namespace

Linearisation linearise(const FixedPointModel& model, const VectorXd& x)
{
    require(static_cast<std::size_t>(x.size()) == model.size(), "x",
            "must have model.size() = " + std::to_string(model.size()) + " entries, has " + std::to_string(x.size()));
    require(x.allFinite(), "x", "has a value that is not finite");
    Linearisation out;
    out.jacobian.resize(x.size(), x.size());
    model.jacobian(x, out.jacobian);
    const Spectrum s = spectrum(out.jacobian, model.dynamics());
    out.eigenvalues = s.eigenvalues;
    out.stability = s.stability;
    out.stable = s.stable;
    out.unstable_dimensions = s.unstable;
    return out;
}

// ---- The search from one start -----------------------------------------------------------------

namespace {

struct StartResult {
    StartOutcome outcome;
    long evaluations = 0, jacobian_evaluations = 0, factorizations = 0;
};

// The damped normal equations (A + mu I) h = -g, A = J^T J, in one precision: A is formed once
// per Jacobian (a symmetric rank-n update, n^3 flops), then factorised (Cholesky, n^3 / 3) for
// every damping tried.
template <class Scalar>
class NormalEquations {
public:
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

    explicit NormalEquations(Index n) : A_(n, n), M_(n, n), h_(n), llt_(n) {}

    void form(const MatrixXd& J)
    {
        A_.setZero();
        if constexpr (std::is_same_v<Scalar, double>) {
            A_.template selfadjointView<Eigen::Lower>().rankUpdate(J.transpose());
        } else {
            J_ = J.cast<Scalar>();
            A_.template selfadjointView<Eigen::Lower>().rankUpdate(J_.transpose());
        }
    }

    // h = -(A + mu I)^-1 g; false when the factorisation fails or h is not finite.
    bool solve(double mu, const VectorXd& g, VectorXd& h)
    {
        M_.template triangularView<Eigen::Lower>() = A_.template triangularView<Eigen::Lower>();
        M_.diagonal().array() += static_cast<Scalar>(mu);
        llt_.compute(M_);
        if (llt_.info() != Eigen::Success) return false;
        h_ = -g.cast<Scalar>();
        llt_.solveInPlace(h_);
        h = h_.template cast<double>();
        return h.allFinite();
    }

private:
    Matrix J_, A_, M_;
    Vector h_;
    Eigen::LLT<Matrix, Eigen::Lower> llt_;
};

// Levenberg-Marquardt on F(x) = 0 with Nielsen's damping update (Madsen, Nielsen & Tingleff,
// "Methods for non-linear least squares problems", 2004, algorithm 3.16). Every step is judged by
// the gain ratio of the actual decrease of q to the decrease of the linear model
// 1/2 |F + J h|^2, both in double precision, so a step solved in single precision (while q is
// above options.single_precision_q) is simply a different trial step. One per worker thread: it
// owns the n x n workspaces.
class LevenbergMarquardt {
public:
    LevenbergMarquardt(const FixedPointModel& model, const FixedPointOptions& options)
        : model_(model), o_(options), n_(idx(model.size())), x_(n_), xn_(n_), F_(n_), Fn_(n_), g_(n_), h_(n_), Jh_(n_),
          J_(n_, n_), double_(n_), single_(n_)
    {}

    // Searches from x0; the end state is left in `end`.
    StartResult run(const Eigen::Ref<const VectorXd>& x0, Eigen::Ref<VectorXd> end)
    {
        r_ = StartResult{};
        x_ = x0;
        double q = residual(x_, F_);
        StartOutcome& out = r_.outcome;
        if (!finite(q)) return finish(StartStatus::diverged, q, end);
        refresh(q);
        const double scale = J_.colwise().squaredNorm().maxCoeff();  // max diag(J^T J)
        double mu = o_.initial_damping * (scale > 0 ? scale : 1.0), nu = 2.0;
        const double tiny = std::numeric_limits<double>::epsilon();

        StartStatus status = StartStatus::max_iterations;
        while (true) {
            if (q < o_.tolerance) {
                status = StartStatus::converged;
                break;
            }
            if (out.iterations >= o_.max_iterations) break;
            ++out.iterations;
            if (stale_) refresh(q);
            if (!step(mu)) {
                mu *= nu;
                nu *= 2;
                if (!finite(mu)) {
                    status = StartStatus::stalled;
                    break;
                }
                continue;
            }
            if (h_.norm() <= tiny * (x_.norm() + tiny)) {
                status = StartStatus::stalled;
                break;
            }
            xn_ = x_ + h_;
            const double qn = residual(xn_, Fn_);
            Jh_.noalias() = J_ * h_;
            const double predicted = q - 0.5 * (F_ + Jh_).squaredNorm();
            const double rho = finite(qn) && predicted > 0 ? (q - qn) / predicted : -1.0;
            if (rho > 0) {
                const double decrease = q - qn;
                const double before = q;
                accept(q, qn);
                mu *= std::max(1.0 / 3.0, 1.0 - std::pow(2.0 * rho - 1.0, 3));
                nu = 2.0;
                if (q >= o_.tolerance && decrease < o_.stall_tolerance * before) {
                    status = StartStatus::stalled;
                    break;
                }
            } else {
                mu *= nu;
                nu *= 2;
                if (!finite(mu)) {
                    status = StartStatus::stalled;
                    break;
                }
            }
        }
        if (status == StartStatus::converged)
            for (std::size_t k = 0; k < o_.polish_iterations && q > 0; ++k) {
                ++out.iterations;
                if (stale_) refresh(q);
                if (!step(mu)) break;
                xn_ = x_ + h_;
                const double qn = residual(xn_, Fn_);
                if (!(qn < q)) break;
                accept(q, qn);
                mu /= 3.0;
            }
        return finish(status, q, end);
    }

private:
    double residual(const VectorXd& x, VectorXd& F)
    {
        model_.residual(x, F);
        ++r_.evaluations;
        return 0.5 * F.squaredNorm();
    }

    // J = dF/dx at x_, g = J^T F, and J^T J in the precision that q calls for.
    void refresh(double q)
    {
        model_.residual_jacobian(x_, J_);
        ++r_.jacobian_evaluations;
        g_.noalias() = J_.transpose() * F_;
        single_mode_ = q > o_.single_precision_q && o_.single_precision_q > 0;
        if (single_mode_)
            single_.form(J_);
        else
            double_.form(J_);
        stale_ = false;
    }

    // h = -(J^T J + mu I)^-1 g. When single precision cannot factorise (too ill-conditioned, or
    // out of its range) the same Jacobian continues in double precision.
    bool step(double mu)
    {
        ++r_.factorizations;
        if (single_mode_) {
            if (single_.solve(mu, g_, h_)) return true;
            single_mode_ = false;
            double_.form(J_);
            ++r_.factorizations;
        }
        return double_.solve(mu, g_, h_);
    }

    void accept(double& q, double qn)
    {
        x_.swap(xn_);
        F_.swap(Fn_);
        q = qn;
        stale_ = true;
    }

    StartResult finish(StartStatus status, double q, Eigen::Ref<VectorXd> end)
    {
        r_.outcome.status = status;
        r_.outcome.q = q;
        end = x_;
        return r_;
    }

    const FixedPointModel& model_;
    const FixedPointOptions& o_;
    Index n_;
    VectorXd x_, xn_, F_, Fn_, g_, h_, Jh_;
    MatrixXd J_;
    NormalEquations<double> double_;
    NormalEquations<float> single_;
    bool single_mode_ = false, stale_ = true;
    StartResult r_;
};

// Greedy deduplication: candidates by increasing q (ties by start); each joins the first kept
// point within `distance`, else is kept. `owner[start]` is set to the kept point's index.
std::vector<std::size_t> deduplicate(const MatrixXd& ends, const std::vector<StartOutcome>& outcomes,
                                     std::vector<std::size_t> candidates, double distance,
                                     std::vector<std::ptrdiff_t>& owner, std::vector<std::size_t>& members)
{
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](std::size_t a, std::size_t b) { return outcomes[a].q < outcomes[b].q; });
    std::vector<std::size_t> kept;
    for (const std::size_t c : candidates) {
        std::ptrdiff_t found = -1;
        for (std::size_t k = 0; k < kept.size() && found < 0; ++k)
            if ((ends.col(idx(c)) - ends.col(idx(kept[k]))).norm() <= distance) found = static_cast<std::ptrdiff_t>(k);
        if (found < 0) {
            found = static_cast<std::ptrdiff_t>(kept.size());
            kept.push_back(c);
            members.push_back(0);
        }
        owner[c] = found;
        ++members[static_cast<std::size_t>(found)];
    }
    return kept;
}

// Orders kept points by their start and rewrites owner[] to the new indices.
std::vector<FixedPoint> collect(const MatrixXd& ends, const std::vector<StartOutcome>& outcomes, const std::vector<std::size_t>& kept,
                                const std::vector<std::size_t>& members, std::vector<std::ptrdiff_t>& owner)
{
    std::vector<std::size_t> order(kept.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return kept[a] < kept[b]; });
    std::vector<std::ptrdiff_t> rank(kept.size());
    std::vector<FixedPoint> points;
    for (std::size_t r = 0; r < order.size(); ++r) {
        rank[order[r]] = static_cast<std::ptrdiff_t>(r);
        FixedPoint p;
        p.start = kept[order[r]];
        p.x = ends.col(idx(p.start));
        p.q = outcomes[p.start].q;
        p.starts = members[order[r]];
        points.push_back(std::move(p));
    }
    for (auto& o : owner)
        if (o >= 0) o = rank[static_cast<std::size_t>(o)];
    return points;
}

std::string fmt(double v)
{
    std::ostringstream s;
    s.precision(3);
    s << v;
    return s.str();
}

}  // namespace

FixedPointResult find_fixed_points(const FixedPointModel& model, const MatrixXd& initial_states, const FixedPointOptions& options)
{
    const auto t0 = std::chrono::steady_clock::now();
    options.validate();
    const std::size_t n = model.size();
    require(n > 0, "model", "has no state variables");
    require(static_cast<std::size_t>(initial_states.rows()) == n, "initial_states",
            "must have model.size() = " + std::to_string(n) + " rows (one column per start), has " +
                std::to_string(initial_states.rows()));
    require(initial_states.cols() > 0, "initial_states", "has no columns (starts)");
    for (Index c = 0; c < initial_states.cols(); ++c)
        for (Index i = 0; i < initial_states.rows(); ++i)
            require(finite(initial_states(i, c)), "initial_states",
                    "is not finite at row " + std::to_string(i) + " (" + model.variable_name(static_cast<std::size_t>(i)) +
                        "), column " + std::to_string(c));

    const std::size_t starts = static_cast<std::size_t>(initial_states.cols());
    std::size_t threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    if (!model.thread_safe()) threads = 1;
    threads = std::min(threads, starts);

    FixedPointResult result;
    result.dynamics = model.dynamics();
    FixedPointSummary& s = result.summary;
    s.starts = starts;
    s.threads = threads;

    // Search from every start.
    MatrixXd ends(idx(n), idx(starts));
    std::vector<StartResult> runs(starts);
    {
        std::vector<std::unique_ptr<LevenbergMarquardt>> workers(threads);
        sim::parallel_for(starts, threads, [&](std::size_t i, std::size_t w) {
            if (!workers[w]) workers[w] = std::make_unique<LevenbergMarquardt>(model, options);
            runs[i] = workers[w]->run(initial_states.col(idx(i)), ends.col(idx(i)));
        });
    }
    s.search_seconds = seconds_since(t0);

    result.starts.resize(starts);
    std::vector<std::size_t> converged, slow;
    for (std::size_t i = 0; i < starts; ++i) {
        const StartResult& r = runs[i];
        result.starts[i] = r.outcome;
        s.iterations += static_cast<long>(r.outcome.iterations);
        s.evaluations += r.evaluations;
        s.jacobian_evaluations += r.jacobian_evaluations;
        s.factorizations += r.factorizations;
        switch (r.outcome.status) {
        case StartStatus::converged: ++s.converged; converged.push_back(i); break;
        case StartStatus::stalled: ++s.stalled; break;
        case StartStatus::max_iterations: ++s.max_iterations; break;
        case StartStatus::diverged: ++s.diverged; break;
        }
        if (r.outcome.status != StartStatus::converged && r.outcome.status != StartStatus::diverged &&
            r.outcome.q < options.slow_tolerance)
            slow.push_back(i);
    }

    // Unique fixed points, then slow points away from them.
    std::vector<std::ptrdiff_t> fixed_owner(starts, -1), slow_owner(starts, -1);
    std::vector<std::size_t> fixed_members, slow_members;
    const auto fixed_kept = deduplicate(ends, result.starts, converged, options.unique_distance, fixed_owner, fixed_members);
    result.fixed_points = collect(ends, result.starts, fixed_kept, fixed_members, fixed_owner);
    std::vector<std::size_t> slow_candidates;
    for (const std::size_t i : slow) {
        for (std::size_t k = 0; k < result.fixed_points.size() && fixed_owner[i] < 0; ++k)
            if ((ends.col(idx(i)) - result.fixed_points[k].x).norm() <= options.unique_distance) {
                fixed_owner[i] = static_cast<std::ptrdiff_t>(k);
                ++result.fixed_points[k].starts;
            }
        if (fixed_owner[i] < 0) slow_candidates.push_back(i);
    }
    const auto slow_kept = deduplicate(ends, result.starts, slow_candidates, options.unique_distance, slow_owner, slow_members);
    result.slow_points = collect(ends, result.starts, slow_kept, slow_members, slow_owner);
    for (std::size_t i = 0; i < starts; ++i) {
        result.starts[i].fixed_point = fixed_owner[i];
        result.starts[i].slow_point = slow_owner[i];
    }

    // Linearise the unique points.
    const auto t1 = std::chrono::steady_clock::now();
    std::vector<FixedPoint*> to_linearise;
    if (options.linearise)
        for (auto& p : result.fixed_points) to_linearise.push_back(&p);
    if (options.linearise_slow_points)
        for (auto& p : result.slow_points) to_linearise.push_back(&p);
    std::vector<MatrixXd> jacobians(threads);
    sim::parallel_for(to_linearise.size(), threads, [&](std::size_t i, std::size_t w) {
        FixedPoint& p = *to_linearise[i];
        jacobians[w].resize(idx(n), idx(n));
        model.jacobian(p.x, jacobians[w]);
        attach(p, spectrum(jacobians[w], model.dynamics()));
    });
    s.linearise_seconds = seconds_since(t1);

    s.fixed_points = result.fixed_points.size();
    s.slow_points = result.slow_points.size();
    for (const auto& p : result.fixed_points) s.stable += p.stable ? 1 : 0;
    s.wall_seconds = seconds_since(t0);
    s.message = std::to_string(s.fixed_points) + " fixed points (" + std::to_string(s.stable) + " stable), " +
                std::to_string(s.slow_points) + " slow points from " + std::to_string(starts) + " starts: " +
                std::to_string(s.converged) + " converged to q < " + fmt(options.tolerance) + ", " +
                std::to_string(s.stalled) + " stalled, " + std::to_string(s.max_iterations) + " at the iteration cap, " +
                std::to_string(s.diverged) + " diverged; " + fmt(s.wall_seconds) + " s on " + std::to_string(threads) +
                " threads";
    return result;
}

// ---- Attractor topology --------------------------------------------------------------------------

void TopologyOptions::validate() const
{
    require(points > 0, "points", "must be > 0");
    require(neighbours > 0, "neighbours", "must be > 0");
    search.validate();
}

MatrixXd topology_descriptor(const std::vector<VectorXd>& points, const std::vector<double>& point_values, std::size_t rows,
                             std::size_t neighbours, bool include_self)
{
    require(point_values.size() == points.size(), "point_values",
            "must have one value per point (" + std::to_string(points.size()) + "), has " + std::to_string(point_values.size()));
    require(rows > 0, "rows", "must be > 0");
    require(neighbours > 0, "neighbours", "must be > 0");
    for (std::size_t i = 1; i < points.size(); ++i)
        require(points[i].size() == points[0].size(), "points", "must all have the same size (point " + std::to_string(i) + ")");
    MatrixXd d = MatrixXd::Constant(idx(rows), idx(neighbours), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < std::min(rows, points.size()); ++i) {
        std::vector<std::pair<double, std::size_t>> near;
        for (std::size_t j = 0; j < points.size(); ++j)
            if (j != i || include_self) near.emplace_back((points[j] - points[i]).norm(), j);
        std::sort(near.begin(), near.end());
        for (std::size_t k = 0; k < std::min(neighbours, near.size()); ++k) d(idx(i), idx(k)) = point_values[near[k].second];
    }
    return d;
}

AttractorTopology attractor_topology(const ModelAtInput& model_at, const std::vector<std::vector<double>>& probe_inputs,
                                     const std::vector<double>& probe_values, const MatrixXd& initial_states,
                                     const TopologyOptions& options)
{
    options.validate();
    require(static_cast<bool>(model_at), "model_at", "must be a callable");
    require(!probe_inputs.empty(), "probe_inputs", "is empty");
    require(probe_values.size() == probe_inputs.size(), "probe_values",
            "must have one value per probe input (" + std::to_string(probe_inputs.size()) + "), has " +
                std::to_string(probe_values.size()));
    require_finite_vector(probe_values, "probe_values");
    AttractorTopology out;
    out.probe_values = probe_values;
    for (std::size_t p = 0; p < probe_inputs.size(); ++p) {
        const std::unique_ptr<FixedPointModel> model = model_at(probe_inputs[p]);
        require(model != nullptr, "model_at", "returned no model for probe " + std::to_string(p));
        FixedPointResult r = find_fixed_points(*model, initial_states, options.search);
        for (auto& point : r.fixed_points) {
            out.points.push_back(std::move(point));
            out.point_probe.push_back(p);
        }
        out.searches.push_back(r.summary);
    }
    std::vector<VectorXd> xs;
    std::vector<double> values;
    for (std::size_t i = 0; i < out.points.size(); ++i) {
        xs.push_back(out.points[i].x);
        values.push_back(probe_values[out.point_probe[i]]);
    }
    out.descriptor = topology_descriptor(xs, values, options.points, options.neighbours, options.include_self);
    return out;
}

AttractorTopology attractor_topology(const rnn::RateNetwork& network, Dynamics dynamics, double dt_ms,
                                     const std::vector<std::vector<double>>& probe_inputs,
                                     const std::vector<double>& probe_values, const MatrixXd& initial_states,
                                     const TopologyOptions& options)
{
    const ModelAtInput model_at = [&](std::span<const double> input) {
        return std::make_unique<RateNetworkModel>(network, input, dynamics, dt_ms);
    };
    return attractor_topology(model_at, probe_inputs, probe_values, initial_states, options);
}

}  // namespace neurode::analysis
