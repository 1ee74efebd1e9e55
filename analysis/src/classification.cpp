#include <neurode/analysis/classification.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <Eigen/Cholesky>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::analysis {

namespace {
void check_samples(const Eigen::MatrixXd& features, const std::vector<int>& labels)
{
    if (features.rows() < 2 || features.cols() < 1) throw invalid_parameter("features", "needs at least 2 samples and 1 feature");
    if (!features.allFinite()) throw invalid_parameter("features", "holds a value that is not finite");
    if (labels.size() != static_cast<std::size_t>(features.rows()))
        throw invalid_parameter("labels", "must have one label per sample (" + std::to_string(features.rows()) + "), has " +
                                              std::to_string(labels.size()));
}

// Scores z (samples x K') = [X 1] theta^T with theta K' x (features + 1), the intercept last.
Eigen::MatrixXd scores(const Eigen::MatrixXd& x, const Eigen::MatrixXd& theta)
{
    return (x * theta.leftCols(x.cols()).transpose()).rowwise() + theta.col(x.cols()).transpose();
}

// Class probabilities: one column (sigmoid) for a binary model, a softmax row otherwise.
Eigen::MatrixXd probabilities(const Eigen::MatrixXd& z)
{
    if (z.cols() == 1) return z.unaryExpr([](double v) { return 1.0 / (1.0 + std::exp(-v)); });
    Eigen::MatrixXd p = z;
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        p.row(i) = (z.row(i).array() - z.row(i).maxCoeff()).exp();
        p.row(i) /= p.row(i).sum();
    }
    return p;
}

// C sum_i loss_i + 1/2 |W|^2 (+ 1/2 (sum_k b_k)^2 for the multinomial model, whose loss does not
// change when every intercept moves together: it picks the solution with sum_k b_k = 0, the
// one scikit-learn's lbfgs reaches from zero).
double objective(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const Eigen::MatrixXd& theta, double c)
{
    const Eigen::MatrixXd z = scores(x, theta);
    double loss = 0;
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        if (z.cols() == 1) {
            const double v = z(i, 0);
            loss += (v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v))) - y(i, 0) * v;
        } else {
            const double m = z.row(i).maxCoeff();
            loss += m + std::log((z.row(i).array() - m).exp().sum()) - z.row(i).dot(y.row(i));
        }
    }
    const double shift = z.cols() == 1 ? 0.0 : theta.col(x.cols()).sum();
    return c * loss + 0.5 * theta.leftCols(x.cols()).squaredNorm() + 0.5 * shift * shift;
}
}  // namespace

void LogisticOptions::validate() const
{
    if (!(std::isfinite(c) && c > 0)) throw invalid_parameter("c", "must be finite and > 0");
    if (max_iterations < 1) throw invalid_parameter("max_iterations", "must be >= 1");
    if (!(tolerance > 0)) throw invalid_parameter("tolerance", "must be > 0");
}

int LogisticModel::predict(const Eigen::VectorXd& features) const
{
    const Eigen::VectorXd z = coefficients * features + intercepts;
    if (classes.size() == 2) return classes[z(0) > 0 ? 1 : 0];
    Eigen::Index best = 0;
    z.maxCoeff(&best);
    return classes[static_cast<std::size_t>(best)];
}

LogisticModel fit_logistic(const Eigen::MatrixXd& x, const std::vector<int>& labels, const LogisticOptions& o)
{
    o.validate();
    check_samples(x, labels);
    LogisticModel model;
    model.classes = labels;
    std::sort(model.classes.begin(), model.classes.end());
    model.classes.erase(std::unique(model.classes.begin(), model.classes.end()), model.classes.end());
    if (model.classes.size() < 2) throw invalid_parameter("labels", "must hold at least two classes");
    const Eigen::Index n = x.rows(), p = x.cols();
    const Eigen::Index k = model.classes.size() == 2 ? 1 : static_cast<Eigen::Index>(model.classes.size());
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(n, k);  // one-hot (binary: 1 for the second class)
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto c = std::lower_bound(model.classes.begin(), model.classes.end(), labels[static_cast<std::size_t>(i)]) - model.classes.begin();
        if (k == 1) y(i, 0) = c == 1 ? 1.0 : 0.0;
        else y(i, c) = 1.0;
    }
    Eigen::MatrixXd xt(n, p + 1);
    xt << x, Eigen::VectorXd::Ones(n);
    const Eigen::Index dim = k * (p + 1);  // theta flattened class by class
    Eigen::MatrixXd theta = Eigen::MatrixXd::Zero(k, p + 1);
    for (int it = 0; it < o.max_iterations; ++it) {
        const Eigen::MatrixXd prob = probabilities(scores(x, theta));
        const Eigen::MatrixXd residual = prob - y;
        Eigen::VectorXd gradient(dim);
        Eigen::MatrixXd hessian = Eigen::MatrixXd::Zero(dim, dim);
        const double shift = k == 1 ? 0.0 : theta.col(p).sum();
        for (Eigen::Index a = 0; a < k; ++a) {
            Eigen::VectorXd g = o.c * xt.transpose() * residual.col(a);
            g.head(p) += theta.row(a).head(p).transpose();
            g(p) += shift;
            gradient.segment(a * (p + 1), p + 1) = g;
            for (Eigen::Index b = 0; b < k; ++b) {
                const Eigen::VectorXd w = k == 1 ? Eigen::VectorXd(prob.col(0).array() * (1 - prob.col(0).array()))
                                                 : Eigen::VectorXd(prob.col(a).array() * ((a == b ? 1.0 : 0.0) - prob.col(b).array()));
                Eigen::MatrixXd block = o.c * xt.transpose() * w.asDiagonal() * xt;
                if (a == b) block.diagonal().head(p).array() += 1.0;
                if (k > 1) block(p, p) += 1.0;  // the intercept-sum term
                hessian.block(a * (p + 1), b * (p + 1), p + 1, p + 1) = block;
            }
        }
        if (gradient.cwiseAbs().maxCoeff() < o.tolerance) break;
        const Eigen::VectorXd step = hessian.ldlt().solve(-gradient);
        const double f0 = objective(x, y, theta, o.c);
        double t = 1.0;
        Eigen::MatrixXd next;
        for (int backtrack = 0; backtrack < 50; ++backtrack, t *= 0.5) {
            next = theta;
            for (Eigen::Index a = 0; a < k; ++a) next.row(a) += t * step.segment(a * (p + 1), p + 1).transpose();
            if (objective(x, y, next, o.c) <= f0 + 1e-4 * t * gradient.dot(step)) break;
        }
        theta = next;
    }
    model.coefficients = theta.leftCols(p);
    model.intercepts = theta.col(p);
    return model;
}

double cross_validated_accuracy(const Eigen::MatrixXd& x, const std::vector<int>& labels, const std::vector<int>& folds,
                                const LogisticOptions& o)
{
    check_samples(x, labels);
    if (folds.size() != labels.size())
        throw invalid_parameter("folds", "must give one fold per sample (" + std::to_string(labels.size()) + "), has " +
                                             std::to_string(folds.size()));
    const int k = *std::max_element(folds.begin(), folds.end()) + 1;
    if (k < 2 || *std::min_element(folds.begin(), folds.end()) < 0)
        throw invalid_parameter("folds", "must number at least 2 folds from 0");
    std::size_t correct = 0;
    for (int fold = 0; fold < k; ++fold) {
        std::vector<Eigen::Index> train;
        std::vector<int> train_labels;
        for (std::size_t i = 0; i < folds.size(); ++i)
            if (folds[i] != fold) train.push_back(static_cast<Eigen::Index>(i)), train_labels.push_back(labels[i]);
        const LogisticModel model = fit_logistic(x(train, Eigen::all), train_labels, o);
        for (std::size_t i = 0; i < folds.size(); ++i)
            if (folds[i] == fold && model.predict(x.row(static_cast<Eigen::Index>(i)).transpose()) == labels[i]) ++correct;
    }
    return static_cast<double>(correct) / static_cast<double>(labels.size());
}

std::vector<int> stratified_folds(const std::vector<int>& labels, int k, std::uint64_t seed)
{
    if (k < 2) throw invalid_parameter("k", "must be >= 2");
    std::map<int, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < labels.size(); ++i) members[labels[i]].push_back(i);
    sim::Rng rng(seed);
    std::vector<int> folds(labels.size());
    int next = 0;  // continue the round robin across classes, so folds stay balanced in size
    for (auto& [label, indices] : members) {
        rng.shuffle(indices);
        for (std::size_t i : indices) folds[i] = next++ % k;
    }
    return folds;
}

}  // namespace neurode::analysis
