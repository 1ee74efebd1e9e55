// Dynamical Similarity Analysis: delay embedding, reduced-rank DMD and the orthogonal-conjugacy
// distance between DMD operators. The method and its formulas are documented in dsa.hpp.
#include <neurode/analysis/dsa.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <thread>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <Eigen/QR>
#include <Eigen/SVD>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/parallel.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::analysis {
namespace {

using Matrix = Eigen::MatrixXd;
using Vector = Eigen::VectorXd;
using Index = Eigen::Index;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string str(std::size_t v) { return std::to_string(v); }
std::string str(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
    return buffer;
}

Matrix skew(const Matrix& m) { return 0.5 * (m - m.transpose()); }
double inner(const Matrix& x, const Matrix& y) { return x.cwiseProduct(y).sum(); }

// ---------------------------------------------------------------------------------------------
// The objective f(C) = -<A, C B C^T> on O(n) for unit-norm A, B, at one point C, with its
// Riemannian gradient in the Lie algebra (points C exp(Omega), Omega skew).

struct Point {
    Matrix c;   // orthogonal
    Matrix ap;  // A' = C^T A C
    double f = 0;
    Matrix g;   // grad f = -skew(A' B^T - B^T A')
    double g_norm = 0;
};

Point evaluate(const Matrix& a, const Matrix& b, Matrix c)
{
    Point p;
    const Matrix ac = a * c;
    p.ap.noalias() = c.transpose() * ac;
    p.c = std::move(c);
    p.f = -inner(p.ap, b);
    Matrix x = p.ap * b.transpose();
    x.noalias() -= b.transpose() * p.ap;
    p.g = -skew(x);
    p.g_norm = p.g.norm();
    return p;
}

// The Cayley retraction (I - Omega/2)^-1 (I + Omega/2): orthogonal for every skew Omega, equal
// to exp(Omega) to second order.
Matrix cayley(const Matrix& omega)
{
    const Index n = omega.rows();
    const Matrix half = 0.5 * omega;
    const Matrix identity = Matrix::Identity(n, n);
    return (identity - half).partialPivLu().solve(identity + half);
}

// Hess f [Omega] = 1/2 skew(Omega S + S Omega - 2 B Omega A'^T - 2 A'^T Omega B), S = B A'^T + A'^T B.
class Hessian {
public:
    Hessian(const Matrix& b, const Matrix& ap) : b_(b), ap_(ap), s_(b * ap.transpose() + ap.transpose() * b) {}

    Matrix times(const Matrix& omega) const
    {
        Matrix m = omega * s_;
        m.noalias() += s_ * omega;
        const Matrix bo = b_ * omega;
        m.noalias() -= 2.0 * bo * ap_.transpose();
        const Matrix ao = ap_.transpose() * omega;
        m.noalias() -= 2.0 * ao * b_;
        return 0.5 * skew(m);
    }

    // In the orthonormal basis E_ab = (e_a e_b^T - e_b e_a^T)/sqrt(2), a < b (row-major order):
    // H_(ab),(cd) = <E_ab, Hess f [E_cd]>. Column (cd) is -1/2 (K - K^T)_ab with
    // K = B e_c (A' e_d)^T - B e_d (A' e_c)^T + A'^T e_c (B^T e_d)^T - A'^T e_d (B^T e_c)^T,
    // plus the terms of Omega S + S Omega, which touch only rows that share an index with (cd).
    Matrix dense() const
    {
        const Index n = b_.rows(), p = n * (n - 1) / 2;
        const Matrix& B = b_;
        const Matrix& P = ap_;
        const Matrix t = 0.25 * (s_ + s_.transpose());
        std::vector<Index> row(static_cast<std::size_t>(n * n), -1);  // (a, b) -> coordinate, a < b
        for (Index a = 0, r = 0; a < n; ++a)
            for (Index b = a + 1; b < n; ++b) row[static_cast<std::size_t>(a * n + b)] = r++;
        const auto at = [&](Index a, Index b) { return row[static_cast<std::size_t>(a * n + b)]; };
        Matrix h(p, p), k(n, n);
        Index q = 0;
        for (Index c = 0; c < n; ++c)
            for (Index d = c + 1; d < n; ++d, ++q) {
                k.noalias() = B.col(c) * P.col(d).transpose();
                k.noalias() -= B.col(d) * P.col(c).transpose();
                k.noalias() += P.row(c).transpose() * B.row(d);
                k.noalias() -= P.row(d).transpose() * B.row(c);
                double* column = h.col(q).data();
                for (Index a = 0, r = 0; a < n; ++a)
                    for (Index b = a + 1; b < n; ++b) column[r++] = -0.5 * (k(a, b) - k(b, a));
                for (Index e = c + 1; e < n; ++e) column[at(c, e)] += t(d, e);   // a == c
                for (Index e = d + 1; e < n; ++e) column[at(d, e)] -= t(c, e);   // a == d
                for (Index a = 0; a < d; ++a) column[at(a, d)] += t(a, c);       // b == d
                for (Index a = 0; a < c; ++a) column[at(a, c)] -= t(a, d);       // b == c
            }
        return 0.5 * (h + h.transpose());
    }

private:
    const Matrix& b_;
    const Matrix& ap_;
    Matrix s_;
};

// Skew matrix <-> coordinates in the basis E_ab (so that Frobenius inner products are preserved).
Vector coordinates(const Matrix& omega)
{
    const Index n = omega.rows();
    Vector v(n * (n - 1) / 2);
    Index r = 0;
    for (Index a = 0; a < n; ++a)
        for (Index b = a + 1; b < n; ++b) v(r++) = std::numbers::sqrt2 * omega(a, b);
    return v;
}

Matrix skew_from(const Vector& v, Index n)
{
    Matrix omega = Matrix::Zero(n, n);
    Index r = 0;
    for (Index a = 0; a < n; ++a)
        for (Index b = a + 1; b < n; ++b) {
            omega(a, b) = v(r++) / std::numbers::sqrt2;
            omega(b, a) = -omega(a, b);
        }
    return omega;
}

struct Counters {
    std::size_t lbfgs = 0, newton = 0;
};

// 1 / the Hessian's diagonal in the basis E_ab, as a skew-symmetric pattern (both triangles),
// floored at floor_fraction times its largest entry:
//     H_(ab),(ab) = 1/2 (S_aa + S_bb) - B_aa A'_bb - A'_aa B_bb + B_ab A'_ba + B_ba A'_ab.
Matrix inverse_diagonal(const Matrix& b, const Matrix& ap, double floor_fraction)
{
    const Index n = b.rows();
    Vector s(n);  // diagonal of S = B A'^T + A'^T B
    for (Index i = 0; i < n; ++i) s(i) = b.row(i).dot(ap.row(i)) + ap.col(i).dot(b.col(i));
    Matrix h = Matrix::Zero(n, n);
    double largest = 0;
    for (Index i = 0; i < n; ++i)
        for (Index j = i + 1; j < n; ++j) {
            h(i, j) = 0.5 * (s(i) + s(j)) - b(i, i) * ap(j, j) - ap(i, i) * b(j, j) + b(i, j) * ap(j, i) + b(j, i) * ap(i, j);
            largest = std::max(largest, h(i, j));
        }
    const double floor = std::max(floor_fraction * largest, 1e-300);
    for (Index i = 0; i < n; ++i)
        for (Index j = i + 1; j < n; ++j) h(i, j) = h(j, i) = 1.0 / std::max(h(i, j), floor);
    return h;
}

// Riemannian L-BFGS, left-trivialised: gradients and steps are skew matrices, compared across
// points as they are. Armijo backtracking along the Cayley curve. The curvature pairs persist
// between calls on the same start.
class Lbfgs {
public:
    explicit Lbfgs(std::size_t memory) : memory_(memory) {}

    // Up to `steps` iterations from x; false when it stopped early (gradient tolerance reached or no
    // decrease left at this precision).
    bool run(const Matrix& a, const Matrix& b, Point& x, std::size_t steps, double gradient_tolerance, Counters& counters)
    {
        constexpr double armijo = 1e-4, first_step = 0.1, max_step = 1.0, diagonal_floor = 0.01;
        for (std::size_t it = 0; it < steps; ++it) {
            if (x.g_norm <= gradient_tolerance) return false;
            Matrix d = x.g;
            std::vector<double> alpha(s_.size());
            for (std::size_t k = s_.size(); k-- > 0;) {
                alpha[k] = rho_[k] * inner(s_[k], d);
                d -= alpha[k] * y_[k];
            }
            if (s_.empty()) {
                d *= first_step / x.g_norm;
            } else {  // H0 = gamma diag(H)^-1, gamma = s.y / y.diag(H)^-1 y
                const Matrix inverse = inverse_diagonal(b, x.ap, diagonal_floor);
                d = inverse.cwiseProduct(d) / (rho_.back() * inner(y_.back(), inverse.cwiseProduct(y_.back())));
            }
            for (std::size_t k = 0; k < s_.size(); ++k) {
                const double beta = rho_[k] * inner(y_[k], d);
                d += (alpha[k] - beta) * s_[k];
            }
            d = -d;
            double slope = inner(x.g, d);
            if (!(slope < 0)) {  // not a descent direction: forget the curvature pairs
                s_.clear(), y_.clear(), rho_.clear();
                d = -x.g * (first_step / x.g_norm);
                slope = inner(x.g, d);
            }
            if (const double norm = d.norm(); norm > max_step) d *= max_step / norm, slope *= max_step / norm;
            double t = 1.0;
            Point trial;
            bool accepted = false;
            for (int tries = 0; tries < 40; ++tries, t *= 0.5) {
                trial = evaluate(a, b, x.c * cayley(t * d));
                if (trial.f <= x.f + armijo * t * slope) {
                    accepted = true;
                    break;
                }
            }
            ++counters.lbfgs;
            if (!accepted) return false;
            Matrix step = t * d, change = trial.g - x.g;
            const double sy = inner(step, change);
            if (sy > 1e-12 * step.norm() * change.norm()) {
                s_.push_back(std::move(step)), y_.push_back(std::move(change)), rho_.push_back(1.0 / sy);
                if (s_.size() > memory_) s_.pop_front(), y_.pop_front(), rho_.pop_front();
            }
            x = std::move(trial);
        }
        return true;
    }

private:
    std::size_t memory_;
    std::deque<Matrix> s_, y_;
    std::deque<double> rho_;
};

// Solves (H + mu I) x = rhs by conjugate gradients on skew matrices; false at negative curvature
// (H + mu I not positive definite) or without convergence.
bool conjugate_gradients(const Hessian& h, double mu, const Matrix& rhs, double tolerance, Matrix& x)
{
    const Index n = rhs.rows();
    const std::size_t limit = static_cast<std::size_t>(n * (n - 1));
    x = Matrix::Zero(n, n);
    Matrix r = rhs, p = rhs;
    double rr = r.squaredNorm();
    for (std::size_t k = 0; k < limit; ++k) {
        if (std::sqrt(rr) <= tolerance) return true;
        const Matrix hp = h.times(p) + mu * p;
        const double php = inner(p, hp);
        if (!(php > 0)) return false;
        const double alpha = rr / php;
        x += alpha * p;
        r -= alpha * hp;
        const double rr_next = r.squaredNorm();
        p = r + (rr_next / rr) * p;
        rr = rr_next;
    }
    return std::sqrt(rr) <= tolerance;
}

// Newton with the exact Hessian, damped by mu (Levenberg-Marquardt): the step solves
// (H + mu I) eta = -g; mu shrinks after good agreement of model and objective, grows after poor
// agreement or an indefinite H. With may_defer, an indefinite Hessian at x returns false at once
// (L-BFGS is cheaper outside the basin); otherwise true when done.
bool newton(const Matrix& a, const Matrix& b, Point& x, const SimilarityOptions& options, bool may_defer, Counters& counters)
{
    const Index n = a.rows(), p = n * (n - 1) / 2;
    const bool dense = static_cast<std::size_t>(p) <= options.dense_hessian_limit;
    constexpr double tiny_decrease = 1e-14, growth = 8;
    double mu = 0, mu_scale = 1e-6;
    for (std::size_t it = 0; it < options.newton_iterations; ++it) {
        if (x.g_norm <= options.gradient_tolerance) return true;
        ++counters.newton;
        const Hessian hessian(b, x.ap);
        Matrix omega;
        double predicted = 0;
        bool solved = false;
        if (dense) {
            Matrix h = hessian.dense();
            if (it == 0) mu_scale = std::max(1e-5 * h.diagonal().cwiseAbs().maxCoeff(), 1e-300);
            const Vector g = coordinates(x.g);
            h.diagonal().array() += mu;
            const Eigen::LLT<Matrix> llt(h);
            if (llt.info() == Eigen::Success) {
                const Vector eta = llt.solve(-g);
                if (eta.allFinite()) {
                    // eta^T H eta = eta^T (H + mu I) eta - mu |eta|^2 = -g.eta - mu |eta|^2
                    predicted = -(g.dot(eta) + 0.5 * (-g.dot(eta) - mu * eta.squaredNorm()));
                    omega = skew_from(eta, n);
                    solved = true;
                }
            }
        } else {
            const double tolerance = std::min(0.1, std::sqrt(x.g_norm)) * x.g_norm;
            if (conjugate_gradients(hessian, mu, -x.g, tolerance, omega)) {
                predicted = -(inner(x.g, omega) + 0.5 * inner(omega, hessian.times(omega)));
                solved = true;
            }
        }
        if (!solved || !(predicted > 0)) {
            if (may_defer && it == 0) return false;
            mu = mu == 0 ? mu_scale : growth * mu;
            continue;
        }
        Point trial = evaluate(a, b, x.c * cayley(omega));
        const double actual = x.f - trial.f;
        // Below the rounding of f the ratio means nothing: accept what reduces the gradient.
        const bool accept = predicted < tiny_decrease ? trial.g_norm < x.g_norm : actual >= 0.1 * predicted;
        const double ratio = predicted < tiny_decrease ? (accept ? 1.0 : 0.0) : actual / predicted;
        if (ratio > 0.75)
            mu = mu <= mu_scale ? 0.0 : mu / growth;
        else if (ratio < 0.25)
            mu = mu == 0 ? mu_scale : growth * mu;
        if (predicted < tiny_decrease && !accept) return true;  // rounding level reached
        if (accept) {
            const bool stalled = predicted < tiny_decrease && trial.g_norm > 0.5 * x.g_norm;
            x = std::move(trial);
            if (stalled) return true;  // rounding level reached
        }
    }
    return true;
}

// One start: L-BFGS in chunks, trying Newton after each; Newton takes over once the Hessian is
// positive definite (or the L-BFGS budget is spent).
void optimise(const Matrix& a, const Matrix& b, Point& x, const SimilarityOptions& options, Counters& counters)
{
    constexpr std::size_t chunk = 100;
    Lbfgs lbfgs(options.lbfgs_memory);
    std::size_t used = 0;
    for (;;) {
        const std::size_t steps = std::min(chunk, options.lbfgs_iterations - used);
        const bool going = lbfgs.run(a, b, x, steps, options.gradient_tolerance, counters);
        used += steps;
        if (newton(a, b, x, options, going && used < options.lbfgs_iterations, counters)) return;
    }
}

// Polar factor: the orthogonal matrix nearest to c (removes the rounding drift of many steps).
Matrix orthonormalised(const Matrix& c)
{
    Eigen::JacobiSVD<Matrix> svd(c, Eigen::ComputeFullU | Eigen::ComputeFullV);
    return svd.matrixU() * svd.matrixV().transpose();
}

int determinant_sign(const Matrix& c) { return c.partialPivLu().determinant() < 0 ? -1 : 1; }

// Start (1) and (2): the eigenbases of the symmetric parts matched in order, signs from the +-1
// quadratic problem max_d sum_ij M_ij d_i d_j, M = (U_A^T A U_A) .* (U_B^T B U_B) symmetrised.
std::pair<Matrix, Matrix> symmetric_part_starts(const Matrix& a, const Matrix& b)
{
    const Index n = a.rows();
    const Eigen::SelfAdjointEigenSolver<Matrix> ea(0.5 * (a + a.transpose())), eb(0.5 * (b + b.transpose()));
    const Matrix& ua = ea.eigenvectors();
    const Matrix& ub = eb.eigenvectors();
    Matrix m = (ua.transpose() * a * ua).cwiseProduct(ub.transpose() * b * ub);
    m = 0.5 * (m + m.transpose());
    const Eigen::SelfAdjointEigenSolver<Matrix> em(m);
    Vector d = em.eigenvectors().col(n - 1).unaryExpr([](double v) { return v < 0 ? -1.0 : 1.0; });
    // Single flips while one helps: flipping i changes the objective by -4 d_i sum_{j != i} M_ij d_j.
    Vector md = m * d;
    const auto gain = [&](Index i) { return -4.0 * d(i) * (md(i) - m(i, i) * d(i)); };
    for (Index pass = 0; pass < n * n; ++pass) {
        Index best = -1;
        double best_gain = 1e-15;
        for (Index i = 0; i < n; ++i)
            if (const double g = gain(i); g > best_gain) best = i, best_gain = g;
        if (best < 0) break;
        md -= 2.0 * d(best) * m.col(best);
        d(best) = -d(best);
    }
    Index least = 0;  // the flip that costs least: start (2), the other determinant
    for (Index i = 1; i < n; ++i)
        if (gain(i) > gain(least)) least = i;
    Vector other = d;
    other(least) = -other(least);
    return {ua * d.asDiagonal() * ub.transpose(), ua * other.asDiagonal() * ub.transpose()};
}

Matrix haar_orthogonal(Index n, sim::Rng& rng)
{
    Matrix z(n, n);
    for (Index j = 0; j < n; ++j)
        for (Index i = 0; i < n; ++i) z(i, j) = rng.normal();
    const Eigen::HouseholderQR<Matrix> qr(z);
    Matrix q = qr.householderQ();
    const Matrix& r = qr.matrixQR();
    for (Index j = 0; j < n; ++j)
        if (r(j, j) < 0) q.col(j) = -q.col(j);
    return q;
}

void check_operator(const Matrix& m, const std::string& name)
{
    if (m.rows() == 0 || m.rows() != m.cols())
        throw invalid_parameter(name, "must be a non-empty square matrix, is " + str(static_cast<std::size_t>(m.rows())) + " x " +
                                          str(static_cast<std::size_t>(m.cols())));
    if (!m.allFinite()) throw invalid_parameter(name, "has a non-finite entry");
    if (!(m.norm() > 0)) throw invalid_parameter(name, "is zero: the angle to it is undefined");
}

std::string indexed(std::string_view name, std::size_t k) { return std::string(name) + "[" + str(k) + "]"; }

}  // namespace

// ---------------------------------------------------------------------------------------------

void DmdOptions::validate() const
{
    if (n_delays < 1) throw invalid_parameter("n_delays", "must be >= 1");
    if (delay_interval < 1) throw invalid_parameter("delay_interval", "must be >= 1 time point");
    switch (rank_rule) {
    case RankRule::count:
        if (rank < 1) throw invalid_parameter("rank", "must be >= 1");
        break;
    case RankRule::threshold:
        if (!(std::isfinite(singular_value_threshold) && singular_value_threshold > 0))
            throw invalid_parameter("singular_value_threshold", "must be finite and > 0");
        break;
    case RankRule::explained_variance:
        if (!(explained_variance > 0 && explained_variance <= 1)) throw invalid_parameter("explained_variance", "must be in (0, 1]");
        break;
    default: throw invalid_parameter("rank_rule", "is not a RankRule");
    }
    if (!(std::isfinite(ridge) && ridge >= 0)) throw invalid_parameter("ridge", "must be finite and >= 0");
}

Eigen::MatrixXd delay_embedding(const Activity& activity, std::size_t n_delays, std::size_t delay_interval, std::string_view argument)
{
    activity.validate(argument);
    if (n_delays < 1) throw invalid_parameter("n_delays", "must be >= 1");
    if (delay_interval < 1) throw invalid_parameter("delay_interval", "must be >= 1 time point");
    const std::size_t span = (n_delays - 1) * delay_interval;
    if (activity.steps < span + 1)
        throw invalid_parameter(std::string(argument) + ".steps", "has " + str(activity.steps) + " time points, fewer than the " +
                                                                      str(span + 1) + " that n_delays " + str(n_delays) +
                                                                      " with delay_interval " + str(delay_interval) + " spans");
    const std::size_t rows = activity.steps - span, units = activity.units;
    Matrix h(static_cast<Index>(activity.trials * rows), static_cast<Index>(units * n_delays));
    for (std::size_t trial = 0; trial < activity.trials; ++trial)
        for (std::size_t t = 0; t < rows; ++t)
            for (std::size_t d = 0; d < n_delays; ++d) {
                const double* x = &activity.values[(trial * activity.steps + t + (n_delays - 1 - d) * delay_interval) * units];
                for (std::size_t u = 0; u < units; ++u)
                    h(static_cast<Index>(trial * rows + t), static_cast<Index>(d * units + u)) = x[u];
            }
    return h;
}

DmdModel fit_dmd(const Activity& activity, const DmdOptions& options, std::string_view argument)
{
    const Clock::time_point start = Clock::now();
    options.validate();
    activity.validate(argument);
    const std::size_t span = (options.n_delays - 1) * options.delay_interval;
    if (activity.steps < span + 2)
        throw invalid_parameter(std::string(argument) + ".steps",
                                "has " + str(activity.steps) + " time points; n_delays " + str(options.n_delays) + " with delay_interval " +
                                    str(options.delay_interval) + " needs at least " + str(span + 2) +
                                    " (two embedded time points per trial)");
    const Matrix h = delay_embedding(activity, options.n_delays, options.delay_interval, argument);
    DmdModel model;
    model.trials = activity.trials;
    model.embedded_steps = activity.steps - span;
    model.embedding_dimension = static_cast<std::size_t>(h.cols());

    // Right singular vectors W and singular values of H, through H = QR when H is tall (the SVD of
    // the small R is cheaper than that of H, and QR keeps the accuracy).
    Eigen::BDCSVD<Matrix> svd;
    if (h.rows() > h.cols()) {
        const Eigen::HouseholderQR<Matrix> qr(h);
        svd.compute(qr.matrixQR().topRows(h.cols()).triangularView<Eigen::Upper>(), Eigen::ComputeThinV);
    } else {
        svd.compute(h, Eigen::ComputeThinV);
    }
    model.singular_values = svd.singularValues();
    const Vector& s = model.singular_values;
    const std::size_t available = static_cast<std::size_t>(s.size());
    std::size_t rank = 0;
    switch (options.rank_rule) {
    case RankRule::count:
        if (options.rank > model.embedding_dimension)
            throw invalid_parameter("rank", str(options.rank) + " exceeds the embedding dimension of " + std::string(argument) + ", units x n_delays = " +
                                                str(activity.units) + " x " + str(options.n_delays) + " = " + str(model.embedding_dimension));
        if (options.rank > available)
            throw invalid_parameter("rank", str(options.rank) + " exceeds the " + str(available) + " rows of " + std::string(argument) +
                                                "'s Hankel matrix");
        rank = options.rank;
        break;
    case RankRule::threshold:
        rank = static_cast<std::size_t>((s.array() > options.singular_value_threshold).count());
        if (rank == 0)
            throw invalid_parameter("singular_value_threshold", "keeps no component of " + std::string(argument) +
                                                                    " (largest singular value " + str(s(0)) + ")");
        break;
    case RankRule::explained_variance: {
        const double total = s.squaredNorm();
        double cumulative = 0;
        while (rank < available) {
            cumulative += s(static_cast<Index>(rank)) * s(static_cast<Index>(rank));
            ++rank;
            if (cumulative >= options.explained_variance * total * (1 - 1e-12)) break;
        }
        break;
    }
    }
    const Index r = static_cast<Index>(rank);
    const double negligible = s(0) * std::numeric_limits<double>::epsilon() * static_cast<double>(std::max(h.rows(), h.cols()));
    if (!(s(r - 1) > negligible))
        throw invalid_parameter(options.rank_rule == RankRule::count ? "rank" : "explained_variance",
                                "keeps " + str(rank) + " components but " + std::string(argument) + "'s Hankel matrix has numerical rank " +
                                    str(static_cast<std::size_t>((s.array() > negligible).count())));
    model.rank = rank;

    // Left singular vectors V_r = H W_r S_r^-1, then the regression within each trial.
    const Matrix v = h * svd.matrixV().leftCols(r) * s.head(r).cwiseInverse().asDiagonal();
    const Index rows = static_cast<Index>(model.embedded_steps), pairs = rows - 1, trials = static_cast<Index>(activity.trials);
    Matrix minus(trials * pairs, r), plus(trials * pairs, r);
    for (Index k = 0; k < trials; ++k) {
        minus.middleRows(k * pairs, pairs) = v.middleRows(k * rows, pairs);
        plus.middleRows(k * pairs, pairs) = v.middleRows(k * rows + 1, pairs);
    }
    Matrix gram = minus.transpose() * minus;
    gram.diagonal().array() += options.ridge;
    const Eigen::LDLT<Matrix> ldlt(gram);
    if (ldlt.info() != Eigen::Success) throw invalid_parameter("ridge", "leaves the regression of " + std::string(argument) + " singular");
    model.A = ldlt.solve(minus.transpose() * plus).transpose();
    model.wall_seconds = seconds_since(start);
    return model;
}

void SimilarityOptions::validate() const
{
    if (!structured_starts && random_starts == 0) throw invalid_parameter("random_starts", "must be >= 1 without structured starts");
    if (lbfgs_memory < 1) throw invalid_parameter("lbfgs_memory", "must be >= 1");
    if (!(std::isfinite(gradient_tolerance) && gradient_tolerance > 0)) throw invalid_parameter("gradient_tolerance", "must be finite and > 0");
    if (!(std::isfinite(zero_angle) && zero_angle >= 0)) throw invalid_parameter("zero_angle", "must be finite and >= 0 rad");
}

double transform_angle(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const Eigen::MatrixXd& c)
{
    const double residual = (a / a.norm() - c * (b / b.norm()) * c.transpose()).norm();
    return 2.0 * std::asin(std::min(1.0, 0.5 * residual));
}

SimilarityResult compare_operators(const Eigen::MatrixXd& a_in, const Eigen::MatrixXd& b_in, const SimilarityOptions& options)
{
    const Clock::time_point start = Clock::now();
    options.validate();
    check_operator(a_in, "a");
    check_operator(b_in, "b");
    if (b_in.rows() != a_in.rows())
        throw invalid_parameter("b", "is " + str(static_cast<std::size_t>(b_in.rows())) + " x " + str(static_cast<std::size_t>(b_in.rows())) +
                                         ", a is " + str(static_cast<std::size_t>(a_in.rows())) + " x " +
                                         str(static_cast<std::size_t>(a_in.rows())));
    const Matrix a = a_in / a_in.norm(), b = b_in / b_in.norm();
    const Index n = a.rows();

    std::vector<Matrix> starts;
    if (options.structured_starts) {
        auto [aligned, aligned_other] = symmetric_part_starts(a, b);
        if (options.reflections) {
            starts.push_back(std::move(aligned));
            starts.push_back(std::move(aligned_other));
        } else {
            starts.push_back(determinant_sign(aligned) > 0 ? std::move(aligned) : std::move(aligned_other));
        }
        starts.push_back(Matrix::Identity(n, n));
    }
    sim::Rng rng(options.seed);
    for (std::size_t k = 0; k < options.random_starts; ++k) {
        Matrix q = haar_orthogonal(n, rng);
        const int wanted = options.reflections && k % 2 == 0 ? -1 : 1;
        if (determinant_sign(q) != wanted) q.col(0) = -q.col(0);
        starts.push_back(std::move(q));
    }

    SimilarityResult result;
    result.angle = std::numeric_limits<double>::infinity();
    Counters counters;
    for (Matrix& c0 : starts) {
        Point x = evaluate(a, b, std::move(c0));
        if (n > 1) optimise(a, b, x, options, counters);
        const Matrix c = orthonormalised(x.c);
        const double angle = transform_angle(a, b, c);
        result.start_angles.push_back(angle);
        if (angle < result.angle) {
            result.angle = angle;
            result.C = c;
            result.gradient_norm = evaluate(a, b, c).g_norm;
        }
        if (result.angle <= options.zero_angle) break;
    }
    result.determinant = determinant_sign(result.C);
    result.lbfgs_iterations = counters.lbfgs;
    result.newton_iterations = counters.newton;
    result.wall_seconds = seconds_since(start);
    return result;
}

void DsaOptions::validate() const
{
    try {
        dmd.validate();
    } catch (const invalid_parameter& e) {
        throw invalid_parameter("dmd." + e.field(), e.constraint());
    }
    try {
        similarity.validate();
    } catch (const invalid_parameter& e) {
        throw invalid_parameter("similarity." + e.field(), e.constraint());
    }
}

namespace {

// Fits one model for pairwise use: errors about the activity keep their name, errors about an
// option get the "dmd." prefix and the activity in their message.
DmdModel fit_for_comparison(const Activity& activity, const DmdOptions& options, const std::string& argument)
{
    try {
        return fit_dmd(activity, options, argument);
    } catch (const invalid_parameter& e) {
        if (e.field().rfind(argument, 0) == 0) throw;
        throw invalid_parameter("dmd." + e.field(), e.constraint());
    }
}

DsaResult compare_all(std::vector<DmdModel> models, const DsaOptions& options, std::string_view name)
{
    DsaResult result;
    const std::size_t count = models.size();
    for (std::size_t k = 0; k < count; ++k) {
        check_operator(models[k].A, indexed(name, k));
        if (models[k].A.rows() != models[0].A.rows())
            throw invalid_parameter(indexed(name, k), "has a " + str(static_cast<std::size_t>(models[k].A.rows())) + " x " +
                                                          str(static_cast<std::size_t>(models[k].A.rows())) + " operator, " +
                                                          indexed(name, 0) + " a " + str(static_cast<std::size_t>(models[0].A.rows())) +
                                                          " x " + str(static_cast<std::size_t>(models[0].A.rows())) +
                                                          " one (choose the rank by count to compare)");
    }
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t j = i + 1; j < count; ++j) result.pairs.emplace_back(i, j);
    std::vector<std::uint64_t> seeds(result.pairs.size());
    sim::Rng master(options.similarity.seed);
    for (std::uint64_t& s : seeds) s = master.next_u64();

    const Clock::time_point start = Clock::now();
    result.comparisons.resize(result.pairs.size());
    sim::parallel_for(result.pairs.size(), options.threads, [&](std::size_t k) {
        SimilarityOptions o = options.similarity;
        o.seed = seeds[k];
        result.comparisons[k] = compare_operators(models[result.pairs[k].first].A, models[result.pairs[k].second].A, o);
    });
    result.compare_seconds = seconds_since(start);
    result.distances = Matrix::Zero(static_cast<Index>(count), static_cast<Index>(count));
    for (std::size_t k = 0; k < result.pairs.size(); ++k) {
        const auto [i, j] = result.pairs[k];
        result.distances(static_cast<Index>(i), static_cast<Index>(j)) = result.comparisons[k].angle;
        result.distances(static_cast<Index>(j), static_cast<Index>(i)) = result.comparisons[k].angle;
        result.lbfgs_iterations += result.comparisons[k].lbfgs_iterations;
        result.newton_iterations += result.comparisons[k].newton_iterations;
    }
    result.models = std::move(models);
    return result;
}

}  // namespace

DsaResult dsa_pairwise(std::span<const Activity> activities, const DsaOptions& options)
{
    options.validate();
    const Clock::time_point start = Clock::now();
    std::vector<DmdModel> models(activities.size());
    sim::parallel_for(activities.size(), options.threads,
                 [&](std::size_t k) { models[k] = fit_for_comparison(activities[k], options.dmd, indexed("activities", k)); });
    const double fit_seconds = seconds_since(start);
    DsaResult result = compare_all(std::move(models), options, "activities");
    result.fit_seconds = fit_seconds;
    return result;
}

DsaResult dsa_pairwise(std::span<const DmdModel> models, const DsaOptions& options)
{
    options.validate();
    return compare_all(std::vector<DmdModel>(models.begin(), models.end()), options, "models");
}

SimilarityResult dsa_distance(const Activity& a, const Activity& b, const DsaOptions& options)
{
    options.validate();
    const DmdModel ma = fit_for_comparison(a, options.dmd, "a");
    const DmdModel mb = fit_for_comparison(b, options.dmd, "b");
    if (mb.A.rows() != ma.A.rows())
        throw invalid_parameter("b", "has a " + str(mb.rank) + " x " + str(mb.rank) + " operator, a a " + str(ma.rank) + " x " + str(ma.rank) +
                                         " one (choose the rank by count to compare)");
    return compare_operators(ma.A, mb.A, options.similarity);
}

}  // namespace neurode::analysis
