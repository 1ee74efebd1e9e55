// Degeneracy measures and the pairwise-distance runner, against closed forms: relative weight
// change, kernel alignment (1 for the same kernel up to scale and rotation), the aligned weight
// distance (0 for a permuted copy), the behavioural spread, and a distance matrix that is the
// same for 1 and 2 threads.
#include <gtest/gtest.h>

#include <cmath>

#include <Eigen/QR>

#include "../support/expect_field.hpp"
#include <neurode/analysis/degeneracy.hpp>
#include <neurode/analysis/geometry.hpp>
#include <neurode/sim/random.hpp>

namespace an = neurode::analysis;

namespace {
Eigen::MatrixXd gaussian(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed)
{
    neurode::sim::Rng rng(seed);
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.normal();
    return m;
}

an::Activity activity_of(const Eigen::MatrixXd& samples)
{
    an::Activity a;
    a.trials = 1, a.steps = static_cast<std::size_t>(samples.rows()), a.units = static_cast<std::size_t>(samples.cols());
    for (Eigen::Index i = 0; i < samples.rows(); ++i)
        for (Eigen::Index j = 0; j < samples.cols(); ++j) a.values.push_back(samples(i, j));
    return a;
}
}  // namespace

TEST(Degeneracy, RelativeWeightChangeAndKernelAlignment)
{
    const Eigen::MatrixXd w0 = gaussian(5, 5, 1), dw = gaussian(5, 5, 2);
    EXPECT_NEAR(an::relative_weight_change(w0, w0 + 0.1 * dw), 0.1 * dw.norm() / w0.norm(), 1e-14);

    const Eigen::MatrixXd x = gaussian(40, 6, 3);
    Eigen::MatrixXd q = Eigen::MatrixXd(gaussian(6, 6, 4).householderQr().householderQ());
    EXPECT_NEAR(an::kernel_alignment(x, 3.0 * x * q), 1.0, 1e-12);  // rotation and scale leave X X^T's shape
    EXPECT_LT(an::kernel_alignment(x, gaussian(40, 6, 5)), 0.5);
    // By hand: centred a = (-1, 0, 1), b = (-1, 1, 0); <a a^T, b b^T> = (a.b)^2 = 1, |a a^T| = |b b^T| = 2.
    Eigen::MatrixXd a(3, 1), b(3, 1);
    a << 1, 2, 3;
    b << 1, 3, 2;
    EXPECT_NEAR(an::kernel_alignment(a, b), 0.25, 1e-14);
}

TEST(Degeneracy, AlignedWeightDistanceIsZeroForAPermutedCopy)
{
    const Eigen::MatrixXd w = gaussian(6, 6, 7);
    const std::vector<std::size_t> perm{3, 0, 5, 1, 4, 2};
    Eigen::MatrixXd permuted(6, 6);  // W2(perm[i], perm[j]) = W(i, j)
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) permuted(static_cast<Eigen::Index>(perm[i]), static_cast<Eigen::Index>(perm[j])) = w(i, j);
    EXPECT_NEAR(an::aligned_weight_distance(w, permuted, perm), 0.0, 1e-14);
    EXPECT_GT(an::aligned_weight_distance(w, permuted, {0, 1, 2, 3, 4, 5}), 0.5);
    expect_field([&] { an::aligned_weight_distance(w, permuted, {0, 0, 1, 2, 3, 4}); }, "y_unit");
}

TEST(Degeneracy, BehaviouralSpreadIsTheMeanPairwiseRms)
{
    const std::vector<std::vector<double>> outputs{{0, 0, 0, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}};
    EXPECT_NEAR(an::behavioural_spread(outputs), (1.0 + 0.0 + 1.0) / 3.0, 1e-15);
    expect_field([&] { an::behavioural_spread(std::vector<std::vector<double>>{{1.0}}); }, "outputs");
}

TEST(Degeneracy, PairwiseDistancesAreSymmetricAndThreadIndependent)
{
    std::vector<an::Activity> activities;
    for (std::uint64_t s = 0; s < 5; ++s) activities.push_back(activity_of(gaussian(30, 4, 10 + s)));
    const an::ActivityMetric cka = [](const an::Activity& x, const an::Activity& y) { return an::cka_angular_distance(x, y); };
    const Eigen::MatrixXd one = an::pairwise_distances(activities, cka, 1), two = an::pairwise_distances(activities, cka, 2);
    EXPECT_EQ(one, two);
    EXPECT_EQ(one, one.transpose());
    EXPECT_EQ(one.diagonal().cwiseAbs().maxCoeff(), 0.0);
    EXPECT_NEAR(one(1, 3), an::cka_angular_distance(activities[1], activities[3]), 1e-15);
    activities[2].values[0] = std::nan("");
    expect_field([&] { an::pairwise_distances(activities, cka, 2); }, "activities[2].values");
}
