#pragma once
// How separable labelled samples are (task-vs-training or task-vs-input separation analyses):
// L2-regularised logistic regression fitted to convergence, as scikit-learn's LogisticRegression
// (lbfgs, penalty l2, intercept unpenalised, binary logistic for 2 classes and multinomial
// otherwise), and its cross-validated accuracy.

#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace neurode::analysis {

struct LogisticOptions {
    double c = 1.0;                 // inverse regularisation strength (scikit-learn's C), > 0
    int max_iterations = 100;       // Newton steps
    double tolerance = 1e-10;       // on the gradient's largest entry
    void validate() const;          // names the field
};

struct LogisticModel {
    std::vector<int> classes;       // sorted labels
    Eigen::MatrixXd coefficients;   // 1 x features (binary) or classes x features
    Eigen::VectorXd intercepts;     // 1 or classes
    int predict(const Eigen::VectorXd& features) const;
};

// Minimises C sum_i loss_i + 1/2 |W|^2 by Newton's method with backtracking. Rows of `features`
// are samples; labels are any integers (at least two distinct values).
LogisticModel fit_logistic(const Eigen::MatrixXd& features, const std::vector<int>& labels, const LogisticOptions& options = {});

// Fraction of samples predicted correctly by models fitted on the other folds. `folds` gives
// each sample's fold (0 .. k-1); stratified_folds() makes one.
double cross_validated_accuracy(const Eigen::MatrixXd& features, const std::vector<int>& labels,
                                const std::vector<int>& folds, const LogisticOptions& options = {});
// k folds with each class spread evenly over them, in a seeded random order.
std::vector<int> stratified_folds(const std::vector<int>& labels, int k, std::uint64_t seed = 1);

}  // namespace neurode::analysis
