#include <neurode/analysis/degeneracy.hpp>

#include <algorithm>
#include <cmath>

#include <neurode/analysis/geometry.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/parallel.hpp>

namespace neurode::analysis {

namespace {
void check_matrix(const Eigen::MatrixXd& m, const char* argument)
{
    if (m.size() == 0) throw invalid_parameter(argument, "is empty");
    if (!m.allFinite()) throw invalid_parameter(argument, "holds a value that is not finite");
}
}  // namespace

double relative_weight_change(const Eigen::MatrixXd& initial, const Eigen::MatrixXd& trained)
{
    check_matrix(initial, "initial");
    check_matrix(trained, "trained");
    if (initial.rows() != trained.rows() || initial.cols() != trained.cols())
        throw invalid_parameter("trained", "must have the shape of initial");
    const double norm = initial.norm();
    if (norm == 0) throw invalid_parameter("initial", "is all zero: a relative change is undefined");
    return (trained - initial).norm() / norm;
}

// <H K1 H, H K2 H>_F = |X2c^T X1c|_F^2 and |H K H|_F = |Xc^T Xc|_F: linear CKA, computed on the
// units x units products rather than the samples x samples kernels.
double kernel_alignment(const Eigen::MatrixXd& x1, const Eigen::MatrixXd& x2) { return linear_cka(x1, x2); }

double aligned_weight_distance(const Eigen::MatrixXd& w1, const Eigen::MatrixXd& w2, const std::vector<std::size_t>& y_unit)
{
    check_matrix(w1, "w1");
    check_matrix(w2, "w2");
    const Eigen::Index n = w1.rows();
    if (w1.cols() != n || w2.rows() != n || w2.cols() != n)
        throw invalid_parameter("w2", "w1 and w2 must be square matrices of one size");
    if (y_unit.size() != static_cast<std::size_t>(n)) throw invalid_parameter("y_unit", "must map every unit of w1");
    std::vector<bool> used(y_unit.size(), false);
    for (std::size_t u : y_unit) {
        if (u >= y_unit.size() || used[u]) throw invalid_parameter("y_unit", "must be a permutation of 0 .. n-1");
        used[u] = true;
    }
    Eigen::MatrixXd aligned(n, n);  // (P W2 P^T)(i, j) = W2(y_unit[i], y_unit[j])
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j)
            aligned(i, j) = w2(static_cast<Eigen::Index>(y_unit[static_cast<std::size_t>(i)]),
                               static_cast<Eigen::Index>(y_unit[static_cast<std::size_t>(j)]));
    const double scale = std::sqrt(w1.norm() * w2.norm());
    if (scale == 0) throw invalid_parameter("w1", "w1 and w2 must not be all zero");
    return (w1 - aligned).norm() / scale;
}

double behavioural_spread(std::span<const std::vector<double>> outputs)
{
    if (outputs.size() < 2) throw invalid_parameter("outputs", "needs at least two networks");
    for (std::size_t k = 0; k < outputs.size(); ++k) {
        if (outputs[k].size() != outputs[0].size() || outputs[k].empty())
            throw invalid_parameter("outputs[" + std::to_string(k) + "]", "must be non-empty and as long as outputs[0]");
        for (double v : outputs[k])
            if (!std::isfinite(v)) throw invalid_parameter("outputs[" + std::to_string(k) + "]", "holds a value that is not finite");
    }
    double total = 0;
    std::size_t pairs = 0;
    for (std::size_t a = 0; a < outputs.size(); ++a)
        for (std::size_t b = a + 1; b < outputs.size(); ++b, ++pairs) {
            double sum = 0;
            for (std::size_t i = 0; i < outputs[a].size(); ++i) sum += (outputs[a][i] - outputs[b][i]) * (outputs[a][i] - outputs[b][i]);
            total += std::sqrt(sum / static_cast<double>(outputs[a].size()));
        }
    return total / static_cast<double>(pairs);
}

Eigen::MatrixXd pairwise_distances(std::span<const Activity> activities, const ActivityMetric& metric, std::size_t threads)
{
    if (activities.size() < 2) throw invalid_parameter("activities", "needs at least two");
    for (std::size_t k = 0; k < activities.size(); ++k) activities[k].validate("activities[" + std::to_string(k) + "]");
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (std::size_t i = 0; i < activities.size(); ++i)
        for (std::size_t j = i + 1; j < activities.size(); ++j) pairs.emplace_back(i, j);
    const auto n = static_cast<Eigen::Index>(activities.size());
    Eigen::MatrixXd d = Eigen::MatrixXd::Zero(n, n);
    sim::parallel_for(pairs.size(), threads, [&](std::size_t p) {
        const auto i = static_cast<Eigen::Index>(pairs[p].first), j = static_cast<Eigen::Index>(pairs[p].second);
        d(i, j) = d(j, i) = metric(activities[pairs[p].first], activities[pairs[p].second]);
    });
    return d;
}

}  // namespace neurode::analysis
