// Representational geometry against numpy/scipy (tests/reference/analysis/geometry_reference.py on
// the random data it stores): PCA, CCA, SVCCA, linear CKA, the shape metrics of netrep's
// LinearMetric and PermutationMetric, linear assignment; and the invariances that define them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <sstream>

#include <Eigen/LU>
#include <Eigen/QR>

#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"
#include <neurode/analysis/geometry.hpp>
#include <neurode/sim/random.hpp>

namespace an = neurode::analysis;
using Eigen::MatrixXd;

namespace {

constexpr double tol = 1e-8;

const std::map<std::string, MatrixXd>& reference()
{
    static const auto blocks = read_blocks("analysis/geometry_reference.txt");
    return blocks;
}
const MatrixXd& block(const std::string& name)
{
    const auto it = reference().find(name);
    if (it == reference().end()) {
        ADD_FAILURE() << "no block " << name;
        static const MatrixXd empty;
        return empty;
    }
    return it->second;
}
double scalar(const std::string& name) { return block(name)(0, 0); }

an::SvccaOptions keep(double fraction)
{
    an::SvccaOptions o;
    o.variance_fraction = fraction;
    return o;
}

MatrixXd gaussian(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed)
{
    neurode::sim::Rng rng(seed);
    MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.normal();
    return m;
}

// A random orthogonal matrix (Q of a Gaussian matrix), with determinant -1 if asked.
MatrixXd orthogonal(Eigen::Index n, std::uint64_t seed, bool reflect = false)
{
    MatrixXd q = Eigen::HouseholderQR<MatrixXd>(gaussian(n, n, seed)).householderQ();
    if ((q.determinant() < 0) != reflect) q.col(0) *= -1.0;
    return q;
}

MatrixXd permuted_columns(const MatrixXd& m, const std::vector<std::size_t>& order)
{
    MatrixXd out(m.rows(), m.cols());
    for (std::size_t c = 0; c < order.size(); ++c) out.col(static_cast<Eigen::Index>(c)) = m.col(static_cast<Eigen::Index>(order[c]));
    return out;
}

void expect_near_vector(const Eigen::VectorXd& got, const MatrixXd& want, double tolerance, const std::string& what)
{
    ASSERT_EQ(got.size(), want.size()) << what;
    for (Eigen::Index i = 0; i < got.size(); ++i) EXPECT_NEAR(got(i), want(i), tolerance) << what << "[" << i << "]";
}

}  // namespace

// ---- Against numpy/scipy ----------------------------------------------------------------------

TEST(GeometryReference, PcaMatchesScipySvd)
{
    const an::Pca p = an::pca(block("x"));
    EXPECT_NEAR((p.components - block("pca.components")).cwiseAbs().maxCoeff(), 0.0, tol);
    expect_near_vector(p.explained_variance, block("pca.explained_variance").transpose(), tol * block("pca.explained_variance")(0, 0),
                       "variance");
    expect_near_vector(p.explained_variance_ratio, block("pca.explained_variance_ratio").transpose(), tol, "ratio");
    EXPECT_NEAR((p.projections.topRows(10) - block("pca.projections_head")).cwiseAbs().maxCoeff(), 0.0, 1e-7);
    EXPECT_NEAR((p.transform(block("x")) - p.projections).cwiseAbs().maxCoeff(), 0.0, 1e-10);
    // Fewer components: the leading ones, ratios still of the total variance.
    const an::Pca two = an::pca(block("x"), {.components = 2});
    ASSERT_EQ(two.components.cols(), 2);
    EXPECT_NEAR(two.explained_variance_ratio(1), block("pca.explained_variance_ratio")(0, 1), tol);
}

TEST(GeometryReference, CcaMatchesQrSvd)
{
    const an::Cca c = an::cca(block("x"), block("y"));
    expect_near_vector(c.correlations, block("cca.correlations").transpose(), tol, "correlations");
    // The weights make unit-variance, uncorrelated variates whose pairwise correlations are rho.
    const MatrixXd u = (block("x").rowwise() - c.x_mean.transpose()) * c.x_weights;
    const MatrixXd v = (block("y").rowwise() - c.y_mean.transpose()) * c.y_weights;
    const double n1 = static_cast<double>(u.rows() - 1);
    EXPECT_NEAR((u.transpose() * u / n1 - MatrixXd::Identity(u.cols(), u.cols())).cwiseAbs().maxCoeff(), 0.0, 1e-10);
    EXPECT_NEAR((v.transpose() * v / n1 - MatrixXd::Identity(v.cols(), v.cols())).cwiseAbs().maxCoeff(), 0.0, 1e-10);
    const MatrixXd cross = u.transpose() * v / n1;
    EXPECT_NEAR((cross - MatrixXd(c.correlations.asDiagonal())).cwiseAbs().maxCoeff(), 0.0, 1e-10);
}

TEST(GeometryReference, SvccaMatchesAtThreeVarianceFractions)
{
    for (const double fraction : {0.95, 0.6, 1.0}) {
        std::ostringstream tag;
        tag << "svcca." << fraction;
        const an::Svcca s = an::svcca(block("x"), block("y"), keep(fraction));
        EXPECT_EQ(static_cast<double>(s.x_dimensions), block(tag.str() + ".dimensions")(0, 0)) << tag.str();
        EXPECT_EQ(static_cast<double>(s.y_dimensions), block(tag.str() + ".dimensions")(0, 1)) << tag.str();
        expect_near_vector(s.correlations, block(tag.str() + ".correlations").transpose(), tol, tag.str());
        EXPECT_NEAR(s.similarity, scalar(tag.str() + ".similarity"), tol) << tag.str();
        EXPECT_NEAR(s.distance, scalar(tag.str() + ".distance"), tol) << tag.str();
    }
    // The default keeps 95% (McMahan et al.).
    EXPECT_NEAR(an::svcca(block("x"), block("y")).distance, scalar("svcca.0.95.distance"), tol);
}

TEST(GeometryReference, LinearCka)
{
    EXPECT_NEAR(an::linear_cka(block("x"), block("y")), scalar("cka"), tol);
    EXPECT_NEAR(an::cka_angular_distance(block("x"), block("y")), scalar("cka.angular"), tol);
    EXPECT_NEAR(an::linear_cka(block("y"), block("x")), scalar("cka"), tol);  // symmetric
}

TEST(GeometryReference, ShapeMetricsMatchNetrepLinearMetric)
{
    for (const double alpha : {1.0, 0.5, 0.0}) {
        std::ostringstream tag;
        tag << "shape." << alpha;
        EXPECT_NEAR(an::shape_distance(block("x"), block("y"), {.alpha = alpha}), scalar(tag.str()), tol) << tag.str();
        EXPECT_NEAR(an::shape_distance(block("y"), block("x"), {.alpha = alpha}), scalar(tag.str()), tol) << tag.str() << " swapped";
    }
    EXPECT_NEAR(an::procrustes_distance(block("x"), block("y")), scalar("shape.1"), tol);
    // alpha = 0 is CCA-like: cos d = sum of canonical correlations / sqrt(px py).
    const an::Cca c = an::cca(block("x"), block("y"));
    EXPECT_NEAR(std::cos(an::shape_distance(block("x"), block("y"), {.alpha = 0.0})), c.correlations.sum() / std::sqrt(8.0 * 6.0), 1e-10);
}

TEST(GeometryReference, PermutationMetricMatchesNetrep)
{
    const an::PermutationMatch m = an::permutation_distance(block("x"), block("y"));
    EXPECT_NEAR(m.distance, scalar("permutation.distance"), tol);
    ASSERT_EQ(m.y_unit.size(), 8u);
    for (std::size_t i = 0; i < 8; ++i) {
        const double want = block("permutation.matching")(0, static_cast<Eigen::Index>(i));  // >= 6: a padded column
        if (want >= 6)
            EXPECT_EQ(m.y_unit[i], an::unassigned) << i;
        else
            EXPECT_EQ(static_cast<double>(m.y_unit[i]), want) << i;
    }
    EXPECT_NEAR(an::permutation_distance(block("y"), block("x")).distance, scalar("permutation.distance"), tol);
}

TEST(GeometryReference, LinearAssignmentMatchesScipy)
{
    for (const std::string name : {"square", "wide"}) {
        const an::Assignment a = an::linear_assignment(block("lsa." + name + ".cost"));
        EXPECT_NEAR(a.total, scalar("lsa." + name + ".total"), 1e-12) << name;
        for (std::size_t r = 0; r < a.column.size(); ++r)
            EXPECT_EQ(static_cast<double>(a.column[r]), block("lsa." + name + ".columns")(0, static_cast<Eigen::Index>(r))) << name;
    }
    EXPECT_NEAR(an::linear_assignment(block("lsa.ties.cost")).total, scalar("lsa.ties.total"), 1e-12);
    // Tall: the transposed problem; every column used once, three rows left over.
    const MatrixXd tall = block("lsa.wide.cost").transpose();
    const an::Assignment t = an::linear_assignment(tall);
    EXPECT_NEAR(t.total, scalar("lsa.wide.total"), 1e-12);
    EXPECT_EQ(std::count(t.column.begin(), t.column.end(), an::unassigned), 3);
}

// ---- Linear assignment against brute force -----------------------------------------------------

TEST(LinearAssignment, OptimalOverEveryPermutation)
{
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const MatrixXd cost = gaussian(6, 6, seed);
        std::vector<std::size_t> p(6);
        std::iota(p.begin(), p.end(), 0);
        double best_min = 1e300, best_max = -1e300;
        do {
            double total = 0;
            for (std::size_t r = 0; r < 6; ++r) total += cost(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(p[r]));
            best_min = std::min(best_min, total);
            best_max = std::max(best_max, total);
        } while (std::next_permutation(p.begin(), p.end()));
        EXPECT_NEAR(an::linear_assignment(cost).total, best_min, 1e-12) << seed;
        const an::Assignment m = an::linear_assignment(cost, an::Objective::maximise);
        EXPECT_NEAR(m.total, best_max, 1e-12) << seed;
        std::vector<std::size_t> used = m.column;
        std::sort(used.begin(), used.end());
        EXPECT_TRUE(std::adjacent_find(used.begin(), used.end()) == used.end()) << "one-to-one";
    }
}

// ---- Invariances --------------------------------------------------------------------------------

TEST(GeometryInvariance, RotationScalingAndTranslation)
{
    const MatrixXd& x = block("x");
    const MatrixXd& y = block("y");
    // Any orthogonal map of y's units (either determinant), isotropic scaling and a shift.
    const MatrixXd y2 = (3.7 * y * orthogonal(6, 11, true)).rowwise() + Eigen::RowVectorXd::Constant(6, -4.0);
    const MatrixXd x2 = 0.01 * x * orthogonal(8, 12);
    EXPECT_NEAR(an::linear_cka(x2, y2), scalar("cka"), tol);
    EXPECT_NEAR(an::svcca(x2, y2).distance, scalar("svcca.0.95.distance"), tol);
    expect_near_vector(an::cca(x2, y2).correlations, block("cca.correlations").transpose(), tol, "cca");
    EXPECT_NEAR(an::shape_distance(x2, y2, {.alpha = 1.0}), scalar("shape.1"), tol);
    EXPECT_NEAR(an::shape_distance(x2, y2, {.alpha = 0.0}), scalar("shape.0"), tol);
    EXPECT_NEAR(an::permutation_distance(5.0 * x, block("y")).distance, scalar("permutation.distance"), tol);
    // Partial whitening (0 < alpha < 1) mixes X with (X^T X)^-1/2 and so, as in netrep, depends on
    // the overall scale: invariant to rotations, but not to scaling.
    const MatrixXd y4 = (y * orthogonal(6, 14)).rowwise() + Eigen::RowVectorXd::Constant(6, 2.0);
    EXPECT_NEAR(an::shape_distance(x * orthogonal(8, 15, true), y4, {.alpha = 0.5}), scalar("shape.0.5"), tol);
    EXPECT_GT(std::abs(an::shape_distance(x2, y2, {.alpha = 0.5}) - scalar("shape.0.5")), 1e-3);
    // CCA-like (alpha = 0) also ignores any invertible map.
    const MatrixXd y3 = y * (gaussian(6, 6, 13) + 3.0 * MatrixXd::Identity(6, 6));
    EXPECT_NEAR(an::shape_distance(x, y3, {.alpha = 0.0}), scalar("shape.0"), tol);
    EXPECT_GT(std::abs(an::shape_distance(x, y3, {.alpha = 1.0}) - scalar("shape.1")), 1e-3);
}

TEST(GeometryInvariance, ARotatedCopyIsAtDistanceZero)
{
    const MatrixXd& x = block("x");
    const MatrixXd xq = 2.5 * x * orthogonal(8, 21, true);
    EXPECT_NEAR(an::procrustes_distance(x, xq), 0.0, 1e-12);
    EXPECT_NEAR(an::shape_distance(x, xq, {.alpha = 0.0}), 0.0, 1e-12);
    EXPECT_NEAR(an::shape_distance(x, x * orthogonal(8, 22), {.alpha = 0.3}), 0.0, 1e-12);
    EXPECT_NEAR(an::linear_cka(x, xq), 1.0, 1e-12);
    EXPECT_NEAR(an::cka_angular_distance(x, xq), 0.0, 1e-7);  // arccos near 1: sqrt(eps)
    EXPECT_NEAR(an::svcca(x, xq).distance, 0.0, 1e-12);
    // A rotation is not a permutation.
    EXPECT_GT(an::permutation_distance(x, xq).distance, 0.1);
}

TEST(GeometryInvariance, PermutationMetricFindsThePermutation)
{
    const MatrixXd& x = block("x");
    const MatrixXd& y = block("y");
    const std::vector<std::size_t> order = {5, 2, 7, 0, 3, 1, 6, 4};
    const MatrixXd xp = 0.2 * permuted_columns(x, order);  // column c of xp is unit order[c] of x
    const an::PermutationMatch self = an::permutation_distance(x, xp);
    EXPECT_NEAR(self.distance, 0.0, 1e-12);
    for (std::size_t c = 0; c < order.size(); ++c) EXPECT_EQ(self.y_unit[order[c]], c);
    // Permuting either side's units leaves the distance to y unchanged.
    const std::vector<std::size_t> y_order = {3, 0, 5, 1, 4, 2};
    EXPECT_NEAR(an::permutation_distance(xp, permuted_columns(y, y_order)).distance, scalar("permutation.distance"), tol);
    // The permutation group is inside the rotations: Procrustes can only be closer.
    EXPECT_LE(an::procrustes_distance(x, y), scalar("permutation.distance") + 1e-12);
}

TEST(Geometry, CollinearUnitsAddNothing)
{
    // y with a seventh unit that is a combination of two others: rank 6.
    const MatrixXd& y = block("y");
    MatrixXd y7(y.rows(), 7);
    y7 << y, y.col(0) - 2.0 * y.col(4);
    const an::Cca c = an::cca(block("x"), y7);
    expect_near_vector(c.correlations, block("cca.correlations").transpose(), tol, "cca");
    EXPECT_EQ(an::svcca(block("x"), y7, keep(1.0)).y_dimensions, 6u);
    EXPECT_NEAR(an::svcca(block("x"), y7, keep(1.0)).similarity, scalar("svcca.1.similarity"), tol);
    // Fully whitened, the null direction is clipped at the eigenvalue floor: the distance stays finite.
    EXPECT_TRUE(std::isfinite(an::shape_distance(block("x"), y7, {.alpha = 0.0})));
}

// ---- Activity and bad input ---------------------------------------------------------------------

namespace {
an::Activity activity_of(const MatrixXd& samples, std::size_t trials)
{
    an::Activity a;
    a.trials = trials;
    a.steps = static_cast<std::size_t>(samples.rows()) / trials;
    a.units = static_cast<std::size_t>(samples.cols());
    a.values = flatten(samples);
    return a;
}
}  // namespace

TEST(Geometry, ActivityOverloadsUseTheSamples)
{
    const an::Activity ax = activity_of(block("x"), 10), ay = activity_of(block("y"), 10);
    EXPECT_NEAR(an::linear_cka(ax, ay), scalar("cka"), tol);
    EXPECT_NEAR(an::svcca(ax, ay).distance, scalar("svcca.0.95.distance"), tol);
    EXPECT_NEAR(an::shape_distance(ax, ay, {.alpha = 0.5}), scalar("shape.0.5"), tol);
    EXPECT_NEAR(an::permutation_distance(ax, ay).distance, scalar("permutation.distance"), tol);
    EXPECT_NEAR(an::pca(ax).explained_variance_ratio(0), block("pca.explained_variance_ratio")(0, 0), tol);
    EXPECT_EQ(an::cca(ax, ay).correlations.size(), 6);
    EXPECT_NEAR(an::procrustes_distance(ax, ay), scalar("shape.1"), tol);
    EXPECT_NEAR(an::cka_angular_distance(ax, ay), scalar("cka.angular"), tol);
}

TEST(Geometry, BadInputNamesTheArgument)
{
    const MatrixXd& x = block("x");
    const MatrixXd& y = block("y");
    // Mismatched sample counts.
    expect_field([&] { an::linear_cka(x, y.topRows(150)); }, "y");
    expect_field([&] { an::procrustes_distance(x, y.topRows(150)); }, "y");
    expect_field([&] { an::permutation_distance(x, y.topRows(150)); }, "y");
    // NaN.
    MatrixXd bad = x;
    bad(17, 3) = std::nan("");
    expect_field([&] { an::svcca(bad, y); }, "x");
    expect_field([&] { an::shape_distance(y, bad); }, "y");
    expect_field([&] { an::pca(bad); }, "x");
    // Fewer samples than units where CCA needs more.
    expect_field([&] { an::cca(x.topRows(8), y.topRows(8)); }, "x");
    expect_field([&] { an::svcca(x.topRows(6).leftCols(5), y.topRows(6)); }, "y");
    // No variance.
    expect_field([&] { an::linear_cka(MatrixXd::Ones(200, 3), y); }, "x");
    // Options.
    expect_field([&] { an::shape_distance(x, y, {.alpha = 1.5}); }, "alpha");
    expect_field([&] { an::shape_distance(x, y, {.alpha = 0.5, .eigenvalue_floor = 0.0}); }, "eigenvalue_floor");
    expect_field([&] { an::svcca(x, y, keep(0.0)); }, "variance_fraction");
    expect_field([&] { an::pca(x, {.components = 9}); }, "components");
    MatrixXd cost = MatrixXd::Zero(3, 3);
    cost(1, 2) = std::numeric_limits<double>::infinity();
    expect_field([&] { an::linear_assignment(cost); }, "cost");
    // Activities: different trials or time points, NaN.
    const an::Activity ax = activity_of(x, 10), ay = activity_of(y, 10);
    expect_field([&] { an::linear_cka(ax, activity_of(y, 20)); }, "y.trials");
    an::Activity shorter = activity_of(y.topRows(190), 10);
    expect_field([&] { an::svcca(ax, shorter); }, "y.steps");
    an::Activity nan = ax;
    nan.at(2, 3, 1) = std::nan("");
    expect_field([&] { an::permutation_distance(nan, ay); }, "x.values");
}
