// Cross-validated decoding against scikit-learn (tests/reference/analysis/decoding_reference.py):
// Ridge(alpha 2) fitted on the other folds' trials, R^2 per time step and the mean squared error
// of the held-out predictions; a fading memory gives a falling curve; bad input names the argument.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"
#include <neurode/analysis/decoding.hpp>

namespace an = neurode::analysis;

TEST(Decoding, MemoryCurveMatchesScikitLearn)
{
    const auto r = read_blocks("analysis/decoding_reference.txt");
    const Eigen::MatrixXd& x = r.at("features");
    an::Activity a;
    a.trials = static_cast<std::size_t>(x.rows());
    a.steps = 8;
    a.units = static_cast<std::size_t>(x.cols()) / 8;
    a.dt = 10.0;
    a.values = flatten(x);
    std::vector<int> folds;
    for (Eigen::Index i = 0; i < r.at("folds").cols(); ++i) folds.push_back(static_cast<int>(r.at("folds")(0, i)));
    const an::DecodingCurve curve = an::cross_validated_decoding(a, flatten(r.at("targets")), 2, folds);
    ASSERT_EQ(curve.r2.size(), 8u);
    for (std::size_t s = 0; s < 8; ++s) EXPECT_NEAR(curve.r2[s], r.at("r2_per_step")(0, static_cast<Eigen::Index>(s)), 1e-10) << s;
    EXPECT_NEAR(curve.mse, r.at("mse")(0, 0), 1e-12);
    EXPECT_EQ(curve.time[3], 30.0);
    EXPECT_GT(curve.r2.front(), curve.r2.back());  // the memory fades

    an::DecodingOptions binned;
    binned.bin = 3;  // bins of 3, 3 and 2 steps
    EXPECT_EQ(an::cross_validated_decoding(a, flatten(r.at("targets")), 2, folds, binned).r2.size(), 3u);
}

TEST(Decoding, BadInputNamesTheArgument)
{
    an::Activity a;
    a.trials = 4, a.steps = 2, a.units = 1;
    a.values = {0, 1, 2, 3, 4, 5, 6, 7};
    const std::vector<double> y(8, 1.0);
    expect_field([&] { an::cross_validated_decoding(a, std::vector<double>(7, 1.0), 1, {0, 1, 0, 1}); }, "targets");
    expect_field([&] { an::cross_validated_decoding(a, y, 1, {0, 1, 0}); }, "folds");
    expect_field([&] { an::cross_validated_decoding(a, y, 1, {0, 0, 0, 0}); }, "folds");
    expect_field([&] { an::cross_validated_decoding(a, y, 1, {0, 2, 0, 2}); }, "folds");  // fold 1 is empty
    an::DecodingOptions o;
    o.bin = 0;
    expect_field([&] { an::cross_validated_decoding(a, y, 1, {0, 1, 0, 1}, o); }, "bin");
}
