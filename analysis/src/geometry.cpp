#include <neurode/analysis/geometry.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include <neurode/sim/errors.hpp>

namespace neurode::analysis {

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

std::string str(Index i) { return std::to_string(i); }

// Finite values, at least 2 samples and 1 unit.
void check_samples(const MatrixXd& x, const std::string& name)
{
    if (x.cols() < 1) throw invalid_parameter(name, "has no units (columns)");
    if (x.rows() < 2) throw invalid_parameter(name, "needs at least 2 samples (rows), has " + str(x.rows()));
    for (Index j = 0; j < x.cols(); ++j)
        for (Index i = 0; i < x.rows(); ++i)
            if (!std::isfinite(x(i, j)))
                throw invalid_parameter(name, "is not finite at sample " + str(i) + ", unit " + str(j));
}

void check_pair(const MatrixXd& x, const MatrixXd& y)
{
    check_samples(x, "x");
    check_samples(y, "y");
    if (y.rows() != x.rows())
        throw invalid_parameter("y", "has " + str(y.rows()) + " samples (rows), x has " + str(x.rows()) +
                                         ": both must hold the same samples");
}

// CCA is trivial (all correlations 1) unless the samples outnumber the units.
void check_more_samples_than_units(const MatrixXd& m, const std::string& name)
{
    if (m.rows() <= m.cols())
        throw invalid_parameter(name, "has " + str(m.rows()) + " samples for " + str(m.cols()) +
                                          " units: CCA and SVCCA need more samples than units");
}

std::pair<MatrixXd, MatrixXd> samples_of(const Activity& x, const Activity& y)
{
    x.validate("x");
    y.validate("y");
    if (y.trials != x.trials)
        throw invalid_parameter("y.trials", "is " + std::to_string(y.trials) + ", x has " + std::to_string(x.trials) +
                                                ": both activities must hold the same trials");
    if (y.steps != x.steps)
        throw invalid_parameter("y.steps", "is " + std::to_string(y.steps) + ", x has " + std::to_string(x.steps) +
                                               ": both activities must hold the same time points");
    return {x.samples(), y.samples()};
}

MatrixXd centred(const MatrixXd& x) { return x.rowwise() - x.colwise().mean(); }

double squared(double v) { return v * v; }

// The angle between two matrices seen as vectors, accurate near 0 and near pi (Kahan):
// with a = A/|A|, b = B/|B|, theta = 2 atan2(|a - b|, |a + b|).
double angle_between(const MatrixXd& a, const MatrixXd& b)
{
    const MatrixXd ua = a / a.norm(), ub = b / b.norm();
    return 2.0 * std::atan2((ua - ub).norm(), (ua + ub).norm());
}

// A thin SVD of a centred matrix: an orthonormal basis of its column space (rank-revealing).
struct Basis {
    MatrixXd q;  // samples x rank
    VectorXd s;  // [rank] singular values
    MatrixXd v;  // units x rank
};

Basis column_basis(const MatrixXd& xc, double rank_tolerance, const std::string& name)
{
    Eigen::BDCSVD<MatrixXd> svd(xc, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const VectorXd& s = svd.singularValues();
    const double tol = rank_tolerance > 0 ? rank_tolerance
                                          : static_cast<double>(std::max(xc.rows(), xc.cols())) *
                                                std::numeric_limits<double>::epsilon();
    if (s.size() == 0 || !(s(0) > 0)) throw invalid_parameter(name, "has no variance (every unit is constant)");
    Index rank = 0;
    while (rank < s.size() && s(rank) > tol * s(0)) ++rank;
    return {svd.matrixU().leftCols(rank), s.head(rank), svd.matrixV().leftCols(rank)};
}

double no_variance_check(const MatrixXd& xc, const std::string& name)
{
    const double norm = xc.norm();
    if (!(norm > 0)) throw invalid_parameter(name, "has no variance (every unit is constant)");
    return norm;
}

// Partial whitening (netrep's whiten without its variance-preserving scale, which cancels in
// every angle): X Z, Z = V diag(alpha + (1 - alpha) lambda^-1/2) V^T.
MatrixXd whiten(const MatrixXd& xc, double alpha, double floor)
{
    if (alpha == 1.0) return xc;
    Eigen::SelfAdjointEigenSolver<MatrixXd> eig(xc.transpose() * xc);
    VectorXd lambda = eig.eigenvalues();
    const double least = floor * lambda.maxCoeff();
    VectorXd d(lambda.size());
    for (Index i = 0; i < lambda.size(); ++i) d(i) = alpha + (1.0 - alpha) / std::sqrt(std::max(lambda(i), least));
    const MatrixXd& v = eig.eigenvectors();
    return xc * (v * d.asDiagonal() * v.transpose());
}

MatrixXd zero_padded(const MatrixXd& x, Index width)
{
    MatrixXd out = MatrixXd::Zero(x.rows(), width);
    out.leftCols(x.cols()) = x;
    return out;
}

}  // namespace

// ---- PCA ---------------------------------------------------------------------------------------

Eigen::MatrixXd Pca::transform(const Eigen::MatrixXd& x) const
{
    if (x.cols() != mean.size())
        throw invalid_parameter("x", "has " + str(x.cols()) + " units, the PCA was fitted on " + str(mean.size()));
    return (x.rowwise() - mean.transpose()) * components;
}

Pca pca(const Eigen::MatrixXd& x, const PcaOptions& options)
{
    check_samples(x, "x");
    const Index full = std::min(x.rows(), x.cols());
    if (options.components > static_cast<std::size_t>(full))
        throw invalid_parameter("components", "is " + std::to_string(options.components) + ", at most min(samples, units) = " +
                                                  str(full));
    const Index k = options.components == 0 ? full : static_cast<Index>(options.components);
    Pca out;
    out.mean = x.colwise().mean().transpose();
    const MatrixXd xc = x.rowwise() - out.mean.transpose();
    Eigen::BDCSVD<MatrixXd> svd(xc, Eigen::ComputeThinV);
    const VectorXd& s = svd.singularValues();
    const double total = s.squaredNorm();
    if (!(total > 0)) throw invalid_parameter("x", "has no variance (every unit is constant)");
    out.components = svd.matrixV().leftCols(k);
    for (Index c = 0; c < k; ++c) {
        Index largest = 0;
        out.components.col(c).cwiseAbs().maxCoeff(&largest);
        if (out.components(largest, c) < 0) out.components.col(c) *= -1.0;
    }
    out.explained_variance = s.head(k).array().square() / static_cast<double>(x.rows() - 1);
    out.explained_variance_ratio = s.head(k).array().square() / total;
    out.projections = xc * out.components;
    return out;
}

Pca pca(const Activity& x, const PcaOptions& options)
{
    x.validate("x");
    return pca(x.samples(), options);
}

// ---- CCA and SVCCA -----------------------------------------------------------------------------

void CcaOptions::validate() const
{
    if (!(std::isfinite(rank_tolerance) && rank_tolerance >= 0 && rank_tolerance < 1))
        throw invalid_parameter("rank_tolerance", "must be in [0, 1)");
}

Cca cca(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const CcaOptions& options)
{
    options.validate();
    check_pair(x, y);
    check_more_samples_than_units(x, "x");
    check_more_samples_than_units(y, "y");
    Cca out;
    out.x_mean = x.colwise().mean().transpose();
    out.y_mean = y.colwise().mean().transpose();
    const Basis bx = column_basis(x.rowwise() - out.x_mean.transpose(), options.rank_tolerance, "x");
    const Basis by = column_basis(y.rowwise() - out.y_mean.transpose(), options.rank_tolerance, "y");
    Eigen::BDCSVD<MatrixXd> svd(bx.q.transpose() * by.q, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Index k = std::min(bx.q.cols(), by.q.cols());
    out.correlations = svd.singularValues().head(k).cwiseMin(1.0).cwiseMax(0.0);
    // Variates Qx A = Xc Vx Sx^-1 A, scaled to unit variance.
    const double scale = std::sqrt(static_cast<double>(x.rows() - 1));
    out.x_weights = bx.v * bx.s.cwiseInverse().asDiagonal() * svd.matrixU().leftCols(k) * scale;
    out.y_weights = by.v * by.s.cwiseInverse().asDiagonal() * svd.matrixV().leftCols(k) * scale;
    return out;
}

Cca cca(const Activity& x, const Activity& y, const CcaOptions& options)
{
    const auto [xs, ys] = samples_of(x, y);
    return cca(xs, ys, options);
}

void SvccaOptions::validate() const
{
    if (!(std::isfinite(variance_fraction) && variance_fraction > 0 && variance_fraction <= 1))
        throw invalid_parameter("variance_fraction", "must be in (0, 1]");
    cca.validate();
}

Svcca svcca(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const SvccaOptions& options)
{
    options.validate();
    check_pair(x, y);
    check_more_samples_than_units(x, "x");
    check_more_samples_than_units(y, "y");
    // The top singular directions explaining the fraction; CCA is invariant to the scale of each
    // direction, so the orthonormal U columns stand for U S.
    auto reduce = [&](const MatrixXd& m, const std::string& name) {
        const Basis b = column_basis(centred(m), options.cca.rank_tolerance, name);
        const double total = b.s.squaredNorm();
        double sum = 0;
        Index k = 0;
        while (k < b.s.size()) {
            sum += squared(b.s(k++));
            if (sum >= (options.variance_fraction - 1e-12) * total) break;
        }
        return MatrixXd(b.q.leftCols(k));
    };
    const MatrixXd qx = reduce(x, "x"), qy = reduce(y, "y");
    Svcca out;
    out.x_dimensions = static_cast<std::size_t>(qx.cols());
    out.y_dimensions = static_cast<std::size_t>(qy.cols());
    const Index k = std::min(qx.cols(), qy.cols());
    out.correlations = Eigen::BDCSVD<MatrixXd>(qx.transpose() * qy).singularValues().head(k).cwiseMin(1.0).cwiseMax(0.0);
    out.similarity = out.correlations.mean();
    out.distance = 1.0 - out.similarity;
    return out;
}

Svcca svcca(const Activity& x, const Activity& y, const SvccaOptions& options)
{
    const auto [xs, ys] = samples_of(x, y);
    return svcca(xs, ys, options);
}

// ---- CKA ---------------------------------------------------------------------------------------

double linear_cka(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y)
{
    check_pair(x, y);
    const MatrixXd xc = centred(x), yc = centred(y);
    no_variance_check(xc, "x");
    no_variance_check(yc, "y");
    const double cross = (yc.transpose() * xc).squaredNorm();
    const double xx = (xc.transpose() * xc).norm(), yy = (yc.transpose() * yc).norm();
    return std::clamp(cross / (xx * yy), 0.0, 1.0);
}

double linear_cka(const Activity& x, const Activity& y)
{
    const auto [xs, ys] = samples_of(x, y);
    return linear_cka(xs, ys);
}

double cka_angular_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) { return std::acos(linear_cka(x, y)); }

double cka_angular_distance(const Activity& x, const Activity& y)
{
    const auto [xs, ys] = samples_of(x, y);
    return cka_angular_distance(xs, ys);
}

// ---- Shape metrics -----------------------------------------------------------------------------

void ShapeMetricOptions::validate() const
{
    if (!(alpha >= 0 && alpha <= 1)) throw invalid_parameter("alpha", "must be in [0, 1]");
    if (!(std::isfinite(eigenvalue_floor) && eigenvalue_floor > 0 && eigenvalue_floor < 1))
        throw invalid_parameter("eigenvalue_floor", "must be in (0, 1)");
}

double shape_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const ShapeMetricOptions& options)
{
    options.validate();
    check_pair(x, y);
    const MatrixXd xc = centred(x), yc = centred(y);
    no_variance_check(xc, "x");
    no_variance_check(yc, "y");
    const Index width = std::max(x.cols(), y.cols());
    const MatrixXd xw = zero_padded(whiten(xc, options.alpha, options.eigenvalue_floor), width);
    const MatrixXd yw = zero_padded(whiten(yc, options.alpha, options.eigenvalue_floor), width);
    // The rotation aligning yw to xw: X^T Y = U S V^T, xw U against yw V.
    Eigen::BDCSVD<MatrixXd> svd(xw.transpose() * yw, Eigen::ComputeFullU | Eigen::ComputeFullV);
    return angle_between(xw * svd.matrixU(), yw * svd.matrixV());
}

double shape_distance(const Activity& x, const Activity& y, const ShapeMetricOptions& options)
{
    const auto [xs, ys] = samples_of(x, y);
    return shape_distance(xs, ys, options);
}

namespace {
ShapeMetricOptions rotations_only()
{
    ShapeMetricOptions o;
    o.alpha = 1.0;
    return o;
}
}  // namespace

double procrustes_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) { return shape_distance(x, y, rotations_only()); }

double procrustes_distance(const Activity& x, const Activity& y) { return shape_distance(x, y, rotations_only()); }

// ---- Linear assignment and the permutation metric ----------------------------------------------

namespace {

// Rows <= columns: minimal-cost assignment of every row, by successive shortest augmenting paths
// with dual potentials u (rows) and v (columns); index 0 is a sentinel column.
std::vector<std::size_t> assign_rows(const MatrixXd& cost)
{
    const std::size_t n = static_cast<std::size_t>(cost.rows()), m = static_cast<std::size_t>(cost.cols());
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0), shortest(m + 1);
    std::vector<std::size_t> row_of(m + 1, 0), previous(m + 1, 0);  // row_of[j]: 1-based row in column j (0: free)
    std::vector<char> visited(m + 1);
    for (std::size_t i = 1; i <= n; ++i) {
        row_of[0] = i;
        std::size_t j0 = 0;
        std::fill(shortest.begin(), shortest.end(), inf);
        std::fill(visited.begin(), visited.end(), 0);
        do {
            visited[j0] = 1;
            const std::size_t i0 = row_of[j0];
            double delta = inf;
            std::size_t j1 = 0;
            for (std::size_t j = 1; j <= m; ++j) {
                if (visited[j]) continue;
                const double reduced = cost(static_cast<Index>(i0 - 1), static_cast<Index>(j - 1)) - u[i0] - v[j];
                if (reduced < shortest[j]) {
                    shortest[j] = reduced;
                    previous[j] = j0;
                }
                if (shortest[j] < delta) {
                    delta = shortest[j];
                    j1 = j;
                }
            }
            for (std::size_t j = 0; j <= m; ++j)
                if (visited[j]) {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    shortest[j] -= delta;
                }
            j0 = j1;
        } while (row_of[j0] != 0);
        do {  // augment along the path back to the sentinel
            const std::size_t j1 = previous[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    std::vector<std::size_t> column(n, unassigned);
    for (std::size_t j = 1; j <= m; ++j)
        if (row_of[j] != 0) column[row_of[j] - 1] = j - 1;
    return column;
}

}  // namespace

Assignment linear_assignment(const Eigen::MatrixXd& cost, Objective objective)
{
    for (Index j = 0; j < cost.cols(); ++j)
        for (Index i = 0; i < cost.rows(); ++i)
            if (!std::isfinite(cost(i, j)))
                throw invalid_parameter("cost", "is not finite at row " + str(i) + ", column " + str(j));
    const MatrixXd signed_cost = objective == Objective::maximise ? MatrixXd(-cost) : cost;
    Assignment out;
    if (cost.rows() <= cost.cols()) {
        out.column = assign_rows(signed_cost);
    } else {
        out.column.assign(static_cast<std::size_t>(cost.rows()), unassigned);
        const std::vector<std::size_t> row_of_column = assign_rows(signed_cost.transpose());
        for (std::size_t c = 0; c < row_of_column.size(); ++c) out.column[row_of_column[c]] = c;
    }
    for (std::size_t r = 0; r < out.column.size(); ++r)
        if (out.column[r] != unassigned) out.total += cost(static_cast<Index>(r), static_cast<Index>(out.column[r]));
    return out;
}

PermutationMatch permutation_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y)
{
    check_pair(x, y);
    const MatrixXd xc = centred(x), yc = centred(y);
    no_variance_check(xc, "x");
    no_variance_check(yc, "y");
    PermutationMatch out;
    out.y_unit = linear_assignment(xc.transpose() * yc, Objective::maximise).column;
    // Zero padding: unmatched units of either side face a zero column.
    const Index width = std::max(x.cols(), y.cols());
    MatrixXd a = MatrixXd::Zero(x.rows(), width), b = MatrixXd::Zero(x.rows(), width);
    std::vector<char> used(static_cast<std::size_t>(y.cols()), 0);
    Index c = 0;
    for (Index i = 0; i < x.cols(); ++i, ++c) {
        a.col(c) = xc.col(i);
        if (const std::size_t j = out.y_unit[static_cast<std::size_t>(i)]; j != unassigned) {
            b.col(c) = yc.col(static_cast<Index>(j));
            used[j] = 1;
        }
    }
    for (Index j = 0; j < y.cols(); ++j)
        if (!used[static_cast<std::size_t>(j)]) b.col(c++) = yc.col(j);
    out.distance = angle_between(a, b);
    return out;
}

PermutationMatch permutation_distance(const Activity& x, const Activity& y)
{
    const auto [xs, ys] = samples_of(x, y);
    return permutation_distance(xs, ys);
}

}  // namespace neurode::analysis
