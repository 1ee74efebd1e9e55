#include <neurode/analysis/embedding.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include <Eigen/Eigenvalues>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::analysis {

namespace {
void check_distances(const Eigen::MatrixXd& d, const char* argument)
{
    if (d.rows() < 2 || d.rows() != d.cols())
        throw invalid_parameter(argument, "must be a square matrix of at least 2 x 2, got " + std::to_string(d.rows()) + " x " +
                                              std::to_string(d.cols()));
    if (!d.allFinite()) throw invalid_parameter(argument, "holds a value that is not finite");
    if ((d - d.transpose()).cwiseAbs().maxCoeff() > 1e-9 * std::max(1.0, d.cwiseAbs().maxCoeff()))
        throw invalid_parameter(argument, "must be symmetric");
    if (d.minCoeff() < 0) throw invalid_parameter(argument, "must not hold negative distances");
}

// Pool-adjacent-violators fit of y, ordered by x, with tied x averaged first (scikit-learn's
// IsotonicRegression): the non-decreasing sequence closest to y in least squares.
std::vector<double> isotonic(const std::vector<double>& x, const std::vector<double>& y)
{
    std::vector<std::size_t> order(x.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    struct Block {
        double sum, weight;
        std::size_t first, last;  // positions in `order`
    };
    std::vector<Block> blocks;
    for (std::size_t k = 0; k < order.size();) {
        std::size_t end = k;
        double sum = 0;
        while (end < order.size() && x[order[end]] == x[order[k]]) sum += y[order[end++]];
        blocks.push_back({sum, static_cast<double>(end - k), k, end});
        while (blocks.size() > 1) {
            Block& last = blocks.back();
            Block& before = blocks[blocks.size() - 2];
            if (before.sum / before.weight <= last.sum / last.weight) break;
            before = {before.sum + last.sum, before.weight + last.weight, before.first, last.last};
            blocks.pop_back();
        }
        k = end;
    }
    std::vector<double> fit(x.size());
    for (const Block& b : blocks)
        for (std::size_t k = b.first; k < b.last; ++k) fit[order[k]] = b.sum / b.weight;
    return fit;
}

Embedding smacof_from(const Eigen::MatrixXd& d, const SmacofOptions& o, Eigen::MatrixXd x)
{
    const Eigen::Index n = d.rows();
    const double nd = static_cast<double>(n);
    double old_stress = std::numeric_limits<double>::quiet_NaN();
    Embedding result;
    for (int it = 0; it < o.max_iterations; ++it) {
        Eigen::MatrixXd dis = pairwise_euclidean(x);
        Eigen::MatrixXd disparities = d;
        if (!o.metric) {
            std::vector<double> dissimilarity, distance;
            for (Eigen::Index i = 0; i < n; ++i)
                for (Eigen::Index j = i + 1; j < n; ++j) dissimilarity.push_back(d(i, j)), distance.push_back(dis(i, j));
            std::vector<double> fit = isotonic(dissimilarity, distance);
            double squares = 0;
            for (double f : fit) squares += f * f;
            const double scale = squares > 0 ? std::sqrt(nd * (nd - 1) / 2 / squares) : 1.0;
            std::size_t k = 0;
            for (Eigen::Index i = 0; i < n; ++i)
                for (Eigen::Index j = i + 1; j < n; ++j) disparities(i, j) = disparities(j, i) = scale * fit[k++];
        }
        const double stress = (dis - disparities).squaredNorm() / 2;
        // Guttman transform X <- B(X) X / n, distances of 0 taken as 1e-5 (scikit-learn's guard).
        Eigen::MatrixXd ratio = disparities.cwiseQuotient(dis.unaryExpr([](double v) { return v == 0 ? 1e-5 : v; }));
        Eigen::MatrixXd b = -ratio;
        b.diagonal() += ratio.rowwise().sum();
        x = b * x / nd;
        const double size = x.rowwise().norm().sum();
        result = {x, stress, it + 1};
        if (!std::isnan(old_stress) && old_stress - stress / size < o.tolerance) break;
        old_stress = stress / size;
    }
    return result;
}
}  // namespace

Eigen::MatrixXd pairwise_euclidean(const Eigen::MatrixXd& points)
{
    const Eigen::Index n = points.rows();
    Eigen::MatrixXd d(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) d(i, j) = (points.row(i) - points.row(j)).norm();
    return d;
}

Eigen::MatrixXd classical_mds(const Eigen::MatrixXd& distances, int dimensions)
{
    check_distances(distances, "distances");
    const Eigen::Index n = distances.rows();
    if (dimensions < 1 || dimensions >= n)
        throw invalid_parameter("dimensions", "must be in [1, " + std::to_string(n - 1) + "], got " + std::to_string(dimensions));
    const Eigen::MatrixXd j = Eigen::MatrixXd::Identity(n, n) - Eigen::MatrixXd::Constant(n, n, 1.0 / static_cast<double>(n));
    const Eigen::MatrixXd b = -0.5 * j * distances.cwiseProduct(distances) * j;
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(b);
    Eigen::MatrixXd x(n, dimensions);
    for (int k = 0; k < dimensions; ++k) {  // eigenvalues ascend: take them from the end
        const Eigen::Index c = n - 1 - k;
        x.col(k) = eig.eigenvectors().col(c) * std::sqrt(std::max(0.0, eig.eigenvalues()(c)));
    }
    return x;
}

void SmacofOptions::validate() const
{
    if (dimensions < 1) throw invalid_parameter("dimensions", "must be >= 1");
    if (starts < 1) throw invalid_parameter("starts", "must be >= 1");
    if (max_iterations < 1) throw invalid_parameter("max_iterations", "must be >= 1");
    if (!(std::isfinite(tolerance) && tolerance >= 0)) throw invalid_parameter("tolerance", "must be finite and >= 0");
}

Embedding smacof(const Eigen::MatrixXd& distances, const SmacofOptions& options, const Eigen::MatrixXd& init)
{
    options.validate();
    check_distances(distances, "distances");
    const Eigen::Index n = distances.rows();
    if (init.size() > 0) {
        if (init.rows() != n || init.cols() != options.dimensions || !init.allFinite())
            throw invalid_parameter("init", "must be a finite " + std::to_string(n) + " x " + std::to_string(options.dimensions) +
                                                " matrix");
        return smacof_from(distances, options, init);
    }
    sim::Rng rng(options.seed);
    Embedding best;
    for (int s = 0; s < options.starts; ++s) {
        Eigen::MatrixXd x(n, options.dimensions);
        for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index k = 0; k < options.dimensions; ++k) x(i, k) = rng.uniform();
        Embedding e = smacof_from(distances, options, x);
        if (s == 0 || e.stress < best.stress) best = std::move(e);
    }
    return best;
}

double silhouette_score(const Eigen::MatrixXd& distances, const std::vector<int>& labels)
{
    check_distances(distances, "distances");
    const auto n = static_cast<std::size_t>(distances.rows());
    if (labels.size() != n)
        throw invalid_parameter("labels", "must have one label per point (" + std::to_string(n) + "), has " + std::to_string(labels.size()));
    std::map<int, std::size_t> sizes;
    for (int l : labels) ++sizes[l];
    if (sizes.size() < 2 || sizes.size() > n - 1)
        throw invalid_parameter("labels", "must form between 2 and n - 1 = " + std::to_string(n - 1) + " clusters, form " +
                                              std::to_string(sizes.size()));
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (sizes[labels[i]] == 1) continue;  // s = 0
        std::map<int, double> sums;
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) sums[labels[j]] += distances(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        const double a = sums[labels[i]] / static_cast<double>(sizes[labels[i]] - 1);
        double b = std::numeric_limits<double>::infinity();
        for (const auto& [label, sum] : sums)
            if (label != labels[i]) b = std::min(b, sum / static_cast<double>(sizes[label]));
        if (std::max(a, b) > 0) total += (b - a) / std::max(a, b);
    }
    return total / static_cast<double>(n);
}

double silhouette_score_points(const Eigen::MatrixXd& points, const std::vector<int>& labels)
{
    if (!points.allFinite()) throw invalid_parameter("points", "holds a value that is not finite");
    return silhouette_score(pairwise_euclidean(points), labels);
}

}  // namespace neurode::analysis
