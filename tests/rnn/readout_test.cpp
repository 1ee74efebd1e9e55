// The ridge and RLS readouts of libsim: closed-form fits against SciPy's solution of the
// uncentred normal equations (tests/reference/ridge_reference.py), with weights, warm-up, an
// unregularised bias and per-output masks; batch-by-batch accumulation; RLS against ridge;
// the R^2 and accuracy helpers; bad input; HDF5 round trips.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>
#include <neurode/sim/readout.hpp>

namespace sim = neurode::sim;

namespace {

const std::map<std::string, Eigen::MatrixXd>& reference()
{
    static const auto blocks = read_blocks("ridge_reference.txt");
    return blocks;
}

// The reference data set: 3 trials x 20 steps, 4 features, 2 outputs.
struct Data {
    std::vector<double> x = flatten(reference().at("features"));
    std::vector<double> y = flatten(reference().at("targets"));
    std::vector<double> sample_w = flatten(reference().at("sample_weights"));
    std::vector<double> output_w = flatten(reference().at("output_weights"));
    sim::Sequences features() const { return {x, 3, 20, 4}; }
    sim::Sequences targets() const { return {y, 3, 20, 2}; }
};

void expect_matches(const sim::LinearReadout& r, const std::string& name, double tol)
{
    const Eigen::MatrixXd& W = reference().at(name + ".W");
    const Eigen::MatrixXd& b = reference().at(name + ".b");
    ASSERT_EQ(r.weights.rows(), W.rows());
    ASSERT_EQ(r.weights.cols(), W.cols());
    const double scale = std::max(1.0, W.cwiseAbs().maxCoeff());
    EXPECT_LT((r.weights - W).cwiseAbs().maxCoeff(), tol * scale) << name << "\n" << r.weights << "\nvs\n" << W;
    EXPECT_LT((r.bias - b.col(0)).cwiseAbs().maxCoeff(), tol * std::max(1.0, b.cwiseAbs().maxCoeff())) << name;
}

constexpr double tol = 1e-9;  // relative; the systems are well conditioned (cond ~ 1e4)

}  // namespace

TEST(Ridge, MatchesScipyWithWeightsWarmupAndUnregularisedBias)
{
    const Data d;
    sim::RidgeOptions o;
    o.lambda = 0.5;
    o.warmup = 3;
    const auto fit = sim::fit_ridge(d.features(), d.targets(), o, d.sample_w);
    expect_matches(fit.readout, "weighted", tol);
    EXPECT_NEAR(fit.summary.r2, reference().at("weighted.r2")(0, 0), 1e-10);
    std::size_t used = 0;
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t s = 3; s < 20; ++s) used += d.sample_w[t * 20 + s] > 0;
    EXPECT_EQ(fit.summary.samples, used);
}

TEST(Ridge, MatchesScipyOrdinaryLeastSquares)
{
    const Data d;
    sim::RidgeOptions o;
    o.lambda = 0;
    expect_matches(sim::fit_ridge(d.features(), d.targets(), o).readout, "ols", tol);
}

TEST(Ridge, MatchesScipyWithoutBias)
{
    const Data d;
    sim::RidgeOptions o;
    o.lambda = 0.7;
    o.warmup = 2;
    o.bias = false;
    const auto fit = sim::fit_ridge(d.features(), d.targets(), o);
    expect_matches(fit.readout, "nobias", tol);
    EXPECT_EQ(fit.readout.bias, Eigen::VectorXd::Zero(2));
}

TEST(Ridge, MatchesScipyWithAWeightPerOutput)
{
    const Data d;
    sim::RidgeOptions o;
    o.lambda = 0.3;
    o.warmup = 3;
    expect_matches(sim::fit_ridge(d.features(), d.targets(), o, d.output_w).readout, "per_output", tol);
}

TEST(Ridge, AccumulatingTrialByTrialGivesTheOneBatchFit)
{
    const Data d;
    sim::RidgeOptions o;
    o.lambda = 0.5;
    o.warmup = 3;
    sim::RidgeAccumulator acc(4, 2, o);
    for (std::size_t t = 0; t < 3; ++t)
        acc.add({std::span(d.x).subspan(t * 80, 80), 1, 20, 4}, {std::span(d.y).subspan(t * 40, 40), 1, 20, 2},
                std::span(d.sample_w).subspan(t * 20, 20));
    expect_matches(acc.solve(), "weighted", tol);
}

TEST(Ridge, PredictAndR2AndAccuracy)
{
    const Data d;
    const auto fit = sim::fit_ridge(d.features(), d.targets());
    const auto y = fit.readout.predict(d.features());
    ASSERT_EQ(y.size(), d.y.size());
    const Eigen::Map<const Eigen::MatrixXd> X(d.x.data(), 4, 60);
    EXPECT_NEAR(y[7 * 2 + 1], fit.readout.weights.row(1).dot(X.col(7)) + fit.readout.bias(1), 1e-12);
    const sim::Sequences predicted{y, 3, 20, 2};
    EXPECT_DOUBLE_EQ(sim::r2(d.targets(), d.targets()), 1.0);
    EXPECT_NEAR(sim::r2(predicted, d.targets()), fit.summary.r2, 1e-14);
    EXPECT_DOUBLE_EQ(sim::accuracy(d.targets(), d.targets()), 1.0);

    // Accuracy: one output by sign, several by the largest channel; weights count.
    const std::vector<double> p1{1.0, -2.0, 0.5, 0.0}, t1{2.0, 1.0, 3.0, -1.0}, w1{1, 1, 2, 0};
    EXPECT_DOUBLE_EQ(sim::accuracy({p1, 1, 4, 1}, {t1, 1, 4, 1}), 0.5);
    EXPECT_DOUBLE_EQ(sim::accuracy({p1, 1, 4, 1}, {t1, 1, 4, 1}, w1), 0.75);
    const std::vector<double> p2{0.9, 0.1, 0.2, 0.8, 0.6, 0.4}, t2{1, 0, 1, 0, 1, 0};
    EXPECT_DOUBLE_EQ(sim::accuracy({p2, 1, 3, 2}, {t2, 1, 3, 2}), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(sim::accuracy({p2, 1, 3, 2}, {t2, 1, 3, 2}, {}, 1), 0.5);
}

TEST(Ridge, BadOptionsAndShapesNameTheField)
{
    const Data d;
    sim::RidgeOptions o;
    o.lambda = -1;
    expect_field([&] { o.validate(); }, "lambda");
    expect_field([&] { sim::fit_ridge(d.features(), d.targets(), o); }, "lambda");
    o = {};
    // Targets from another number of trials or steps.
    expect_field([&] { sim::fit_ridge(d.features(), {std::span(d.y).first(38), 1, 19, 2}); }, "targets");
    expect_field([&] { sim::fit_ridge(d.features(), {std::span(d.y).first(40), 2, 10, 2}); }, "targets");
    expect_field([&] { sim::fit_ridge(d.features(), {d.y, 3, 20, 3}); }, "targets");
    expect_field([&] { sim::fit_ridge({d.x, 3, 20, 5}, d.targets()); }, "features");
    expect_field([&] { sim::fit_ridge(d.features(), d.targets(), o, std::span(d.sample_w).first(10)); }, "weights");
    std::vector<double> negative = d.sample_w;
    negative[4] = -1;
    expect_field([&] { sim::fit_ridge(d.features(), d.targets(), o, negative); }, "weights");
    o.warmup = 20;
    expect_field([&] { sim::fit_ridge(d.features(), d.targets(), o); }, "warmup");
    sim::RlsOptions r;
    r.alpha = 0;
    expect_field([&] { r.validate(); }, "alpha");
    expect_field([&] { sim::RlsReadout(4, 2, r); }, "alpha");
}

TEST(Ridge, SingularWithoutPenaltyThrows)
{
    // Two identical features and lambda = 0: C_xx is singular.
    std::vector<double> x, y;
    for (int i = 0; i < 10; ++i) {
        x.insert(x.end(), {double(i), double(i)});
        y.push_back(2.0 * i);
    }
    sim::RidgeOptions o;
    o.lambda = 0;
    EXPECT_THROW(sim::fit_ridge({x, 1, 10, 2}, {y, 1, 10, 1}, o), neurode::runtime_error);
    o.lambda = 1e-3;
    const auto fit = sim::fit_ridge({x, 1, 10, 2}, {y, 1, 10, 1}, o);
    EXPECT_NEAR(fit.readout.weights(0, 0), fit.readout.weights(0, 1), 1e-9);
    EXPECT_NEAR(fit.readout.weights.sum(), 2.0, 1e-4);
}

TEST(Ridge, SaveLoadRoundTrip)
{
    const Data d;
    const auto fit = sim::fit_ridge(d.features(), d.targets());
    const auto path = std::filesystem::temp_directory_path() / "neurode-readout-roundtrip.h5";
    fit.readout.save(path);
    const auto back = sim::LinearReadout::load(path);
    std::filesystem::remove(path);
    EXPECT_EQ(back.weights, fit.readout.weights);
    EXPECT_EQ(back.bias, fit.readout.bias);

    // The accumulator's statistics survive a checkpoint: adding the rest afterwards gives the same fit.
    sim::RidgeOptions o;
    o.lambda = 0.5;
    o.warmup = 3;
    sim::RidgeAccumulator acc(4, 2, o);
    acc.add({std::span(d.x).first(80), 1, 20, 4}, {std::span(d.y).first(40), 1, 20, 2}, std::span(d.sample_w).first(20));
    {
        sim::h5::Writer out(path);
        acc.save(out, "/acc");
        out.commit();
    }
    sim::RidgeAccumulator resumed(4, 2, o);
    resumed.load(sim::h5::Reader(path), "/acc");
    std::filesystem::remove(path);
    resumed.add({std::span(d.x).subspan(80), 2, 20, 4}, {std::span(d.y).subspan(40), 2, 20, 2},
                std::span(d.sample_w).subspan(20));
    EXPECT_EQ(resumed.samples(), sim::fit_ridge(d.features(), d.targets(), o, d.sample_w).summary.samples);
    expect_matches(resumed.solve(), "weighted", tol);
}

TEST(Rls, OnePassEqualsRidgeWithLambdaAlpha)
{
    // P_0 = I / alpha, w_0 = 0: after one pass, W = Y X^T (X X^T + alpha I)^-1 exactly.
    const Data d;
    sim::RlsReadout rls(4, 2, sim::RlsOptions{0.7});
    rls.train(d.features(), d.targets(), {}, 2);
    EXPECT_EQ(rls.updates(), 3u * 18u);
    expect_matches(sim::LinearReadout{rls.weights(), Eigen::VectorXd::Zero(2)}, "nobias", 1e-8);
    // And P is the inverse of the regularised correlation matrix.
    Eigen::MatrixXd A = 0.7 * Eigen::MatrixXd::Identity(4, 4);
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t s = 2; s < 20; ++s) {
            const auto x = d.features().sample(t, s);
            A += x * x.transpose();
        }
    EXPECT_LT((rls.P() * A - Eigen::MatrixXd::Identity(4, 4)).cwiseAbs().maxCoeff(), 1e-8);
}

TEST(Rls, WeightedPassEqualsWeightedRidge)
{
    const Data d;
    sim::RlsReadout rls(4, 2, sim::RlsOptions{0.5});
    rls.train(d.features(), d.targets(), d.sample_w, 3);
    sim::RidgeOptions o;
    o.lambda = 0.5;
    o.warmup = 3;
    o.bias = false;
    const auto ridge = sim::fit_ridge(d.features(), d.targets(), o, d.sample_w).readout;
    EXPECT_LT((rls.weights() - ridge.weights).cwiseAbs().maxCoeff(), 1e-8 * ridge.weights.cwiseAbs().maxCoeff());
}

TEST(Rls, ConvergesOnARepeatedStream)
{
    // Noise-free linear targets: the a-priori error falls to round-off as P shrinks.
    sim::Rng rng(3);
    Eigen::MatrixXd W(2, 6);
    for (auto& v : W.reshaped()) v = rng.normal();
    sim::RlsReadout rls(6, 2);
    double first = 0, last = 0;
    for (int i = 0; i < 400; ++i) {
        Eigen::VectorXd r(6);
        for (auto& v : r) v = rng.normal();
        const double e = rls.update(r, W * r).norm();
        if (i == 0) first = e;
        last = e;
    }
    EXPECT_GT(first, 0.1);
    EXPECT_LT(last, 1e-2);
    EXPECT_LT((rls.weights() - W).cwiseAbs().maxCoeff(), 1e-2);
}

TEST(Rls, SaveLoadRoundTripContinuesIdentically)
{
    const Data d;
    sim::RlsReadout a(4, 2);
    a.train({std::span(d.x).first(80), 1, 20, 4}, {std::span(d.y).first(40), 1, 20, 2});
    const auto path = std::filesystem::temp_directory_path() / "neurode-rls-roundtrip.h5";
    {
        sim::h5::Writer out(path);
        a.save(out, "/rls");
        out.commit();
    }
    sim::RlsReadout b(4, 2);
    b.load(sim::h5::Reader(path), "/rls");
    std::filesystem::remove(path);
    EXPECT_EQ(b.updates(), a.updates());
    const sim::Sequences rest_x{std::span(d.x).subspan(80), 2, 20, 4}, rest_y{std::span(d.y).subspan(40), 2, 20, 2};
    a.train(rest_x, rest_y);
    b.train(rest_x, rest_y);
    EXPECT_EQ(a.weights(), b.weights());
    EXPECT_EQ(a.P(), b.P());
}
