// The activity object: consistent sizes, finite values, epochs cut per trial.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/expect_field.hpp"
#include <neurode/analysis/activity.hpp>

namespace an = neurode::analysis;

namespace {
an::Activity ramp(std::size_t trials, std::size_t steps, std::size_t units)
{
    an::Activity a;
    a.trials = trials, a.steps = steps, a.units = units;
    for (std::size_t i = 0; i < trials * steps * units; ++i) a.values.push_back(static_cast<double>(i));
    return a;
}
}  // namespace

TEST(Activity, SamplesAreTrialMajorRows)
{
    const an::Activity a = ramp(2, 3, 4);
    a.validate();
    const Eigen::MatrixXd x = a.samples();
    ASSERT_EQ(x.rows(), 6);
    ASSERT_EQ(x.cols(), 4);
    EXPECT_EQ(x(4, 1), a.at(1, 1, 1));
}

TEST(Activity, EpochKeepsTheTrialsThatHaveIt)
{
    an::Activity a = ramp(3, 10, 2);
    a.epochs = {{{"delay", 2, 6}}, {{"stimulus", 0, 2}}, {{"delay", 5, 8}}};
    const an::Activity d = a.epoch("delay");
    EXPECT_EQ(d.trials, 2u);
    EXPECT_EQ(d.steps, 3u);  // the shorter of 4 and 3
    EXPECT_EQ(d.at(1, 0, 1), a.at(2, 5, 1));
    expect_field([&] { a.epoch("decision"); }, "epoch");
}

TEST(Activity, BadActivityNamesTheArgument)
{
    an::Activity a = ramp(2, 3, 4);
    a.values.pop_back();
    expect_field([&] { a.validate("x"); }, "x.values");
    a = ramp(2, 3, 4);
    a.at(1, 2, 3) = std::nan("");
    try {
        a.validate("y");
        FAIL();
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_NE(std::string(e.what()).find("trial 1, step 2, unit 3"), std::string::npos) << e.what();
    }
    expect_field([&] { an::Activity{}.validate("z"); }, "z");
    a = ramp(2, 3, 4);
    a.epochs = {{{"delay", 1, 3}}, {{"delay", 2, 4}}};
    expect_field([&] { a.validate("w"); }, "w.epochs");
}
