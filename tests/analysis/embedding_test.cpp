// Embeddings and separability against scikit-learn 1.2 (tests/reference/analysis/
// sklearn_reference.py): metric SMACOF from the same start, the silhouette score, logistic
// regression coefficients and cross-validated accuracy on the same folds; classical MDS
// recovers a configuration exactly; non-metric SMACOF keeps the order of dissimilarities.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"
#include <neurode/analysis/classification.hpp>
#include <neurode/analysis/embedding.hpp>

namespace an = neurode::analysis;

namespace {
const std::map<std::string, Eigen::MatrixXd>& reference()
{
    static const auto blocks = read_blocks("analysis/sklearn_reference.txt");
    return blocks;
}
std::vector<int> labels_of(const Eigen::MatrixXd& row)
{
    std::vector<int> l;
    for (Eigen::Index i = 0; i < row.cols(); ++i) l.push_back(static_cast<int>(std::lround(row(0, i))));
    return l;
}
}  // namespace

TEST(Embedding, MetricSmacofMatchesScikitLearnFromTheSameStart)
{
    const auto& r = reference();
    an::SmacofOptions o;
    const an::Embedding e = an::smacof(r.at("mds_dissimilarities"), o, r.at("mds_init"));
    EXPECT_NEAR(e.stress, r.at("mds_stress")(0, 0), 1e-9 * r.at("mds_stress")(0, 0));
    EXPECT_EQ(e.iterations, static_cast<int>(r.at("mds_stress")(0, 1)));
    EXPECT_LT((e.points - r.at("mds_embedding")).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(Embedding, ClassicalMdsRecoversAConfiguration)
{
    // Points in the plane: their distances embed back exactly, up to a rigid motion.
    Eigen::MatrixXd points(6, 2);
    points << 0, 0, 1, 0, 0, 2, 3, 1, -1, 4, 2, -2;
    const Eigen::MatrixXd d = an::pairwise_euclidean(points);
    const Eigen::MatrixXd x = an::classical_mds(d, 2);
    EXPECT_LT((an::pairwise_euclidean(x) - d).cwiseAbs().maxCoeff(), 1e-10);
    // SMACOF started there stays at zero stress.
    EXPECT_LT(an::smacof(d, {}, x).stress, 1e-20);
}

TEST(Embedding, NonMetricSmacofKeepsTheOrderOfDissimilarities)
{
    // Dissimilarities that are a monotone transform of planar distances: a non-metric embedding
    // ranks its distances the same way.
    Eigen::MatrixXd points(8, 2);
    points << 0, 0, 1, 0, 0, 2, 3, 1, -1, 4, 2, -2, 5, 5, -3, 1;
    const Eigen::MatrixXd d = an::pairwise_euclidean(points).array().pow(3);
    an::SmacofOptions o;
    o.metric = false;
    o.max_iterations = 3000;
    o.tolerance = 1e-9;
    const Eigen::MatrixXd e = an::pairwise_euclidean(an::smacof(d, o).points);
    int discordant = 0, pairs = 0;
    for (int i = 0; i < 8; ++i)
        for (int j = i + 1; j < 8; ++j)
            for (int k = 0; k < 8; ++k)
                for (int l = k + 1; l < 8; ++l, ++pairs)
                    if ((d(i, j) - d(k, l)) * (e(i, j) - e(k, l)) < -1e-9) ++discordant;
    EXPECT_LT(discordant, pairs / 50);
}

TEST(Embedding, SilhouetteMatchesScikitLearn)
{
    const auto& r = reference();
    const Eigen::MatrixXd& points = r.at("silhouette_points");
    const std::vector<int> labels = labels_of(r.at("silhouette_labels"));
    EXPECT_NEAR(an::silhouette_score_points(points, labels), r.at("silhouette_score")(0, 0), 1e-12);
    EXPECT_NEAR(an::silhouette_score(an::pairwise_euclidean(points), labels), r.at("silhouette_score")(0, 1), 1e-12);
}

TEST(Classification, LogisticRegressionMatchesScikitLearn)
{
    const auto& r = reference();
    an::LogisticOptions o;
    o.c = 0.5;
    for (const std::string name : {"binary", "multiclass"}) {
        const Eigen::MatrixXd& x = r.at("logistic_" + name + "_features");
        const std::vector<int> y = labels_of(r.at("logistic_" + name + "_labels"));
        const an::LogisticModel m = an::fit_logistic(x, y, o);
        // scikit-learn's lbfgs stops short of its 1e-12 gradient tolerance (its function-change
        // test ends it first): agreement to ~1e-5.
        EXPECT_LT((m.coefficients - r.at("logistic_" + name + "_coef")).cwiseAbs().maxCoeff(), 5e-5) << name;
        EXPECT_LT((m.intercepts.transpose() - r.at("logistic_" + name + "_intercept")).cwiseAbs().maxCoeff(), 5e-5) << name;
        const double accuracy = an::cross_validated_accuracy(x, y, labels_of(r.at("logistic_" + name + "_folds")), o);
        EXPECT_DOUBLE_EQ(accuracy, r.at("logistic_" + name + "_cv_accuracy")(0, 0)) << name;
    }
}

TEST(Classification, StratifiedFoldsBalanceEachClass)
{
    std::vector<int> labels;
    for (int i = 0; i < 30; ++i) labels.push_back(i < 20 ? 0 : 1);
    const std::vector<int> folds = an::stratified_folds(labels, 5, 3);
    for (int f = 0; f < 5; ++f) {
        int zeros = 0, ones = 0;
        for (std::size_t i = 0; i < labels.size(); ++i)
            if (folds[i] == f) (labels[i] == 0 ? zeros : ones)++;
        EXPECT_EQ(zeros, 4);
        EXPECT_EQ(ones, 2);
    }
}

TEST(Embedding, BadInputNamesTheArgument)
{
    Eigen::MatrixXd d = Eigen::MatrixXd::Zero(3, 3);
    d(0, 1) = 1;  // not symmetric
    expect_field([&] { an::smacof(d); }, "distances");
    expect_field([&] { an::classical_mds(Eigen::MatrixXd::Zero(3, 3), 3); }, "dimensions");
    expect_field([&] { an::silhouette_score(Eigen::MatrixXd::Zero(3, 3), {0, 0, 0}); }, "labels");
    an::SmacofOptions o;
    o.starts = 0;
    expect_field([&] { an::smacof(Eigen::MatrixXd::Zero(3, 3), o); }, "starts");
    expect_field([&] { an::fit_logistic(Eigen::MatrixXd::Ones(4, 2), {1, 1, 1, 1}); }, "labels");
    an::LogisticOptions bad;
    bad.c = 0;
    expect_field([&] { an::fit_logistic(Eigen::MatrixXd::Ones(4, 2), {0, 1, 0, 1}, bad); }, "c");
}
