// The sweep file validator (app/sweep/description.hpp): unknown factors, empty levels, bad
// levels and unknown keys are rejected with the key path; a valid file gives the expected plan.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include "config.hpp"
#include "sweep/description.hpp"

namespace sweep = neurode::app::sweep;

namespace {
sweep::SweepDescription parse(const std::string& text) { return sweep::parse_sweep(neurode::app::parse_json(text, "test")); }
}  // namespace

TEST(SweepFile, ValidFileGivesThePlanAndThePointSettings)
{
    const auto d = parse(R"({"name": "t", "factors": {"task": ["go", "dly_go"], "heterogeneity": [0, 3, 5],
                            "units": [50], "learning_rule": ["bptt"]}, "perturb": {"levels": 2}})");
    const auto plan = d.plan();
    EXPECT_EQ(plan.size(), 6u);
    // Factors in key order (heterogeneity, learning_rule, task, units): the task varies fastest of the two.
    const auto p = d.point(plan, 3);
    EXPECT_EQ(p.heterogeneity, 3);
    EXPECT_EQ(p.task, "dly_go");
    EXPECT_EQ(p.units, 50u);
    EXPECT_EQ(p.learning_rule, "bptt");
    EXPECT_EQ(d.max_level, 2);
    EXPECT_TRUE(d.evaluate && d.perturb && d.analyse);
    EXPECT_EQ(d.kinds.size(), 6u);
}

TEST(SweepFile, ErrorsNameTheField)
{
    expect_field([] { parse(R"({"factors": {"heterogenity": [0, 1]}})"); }, "factors.heterogenity");
    expect_field([] { parse(R"({"factors": {"task": []}})"); }, "factors.task");
    expect_field([] { parse(R"({"factors": {"task": "go"}})"); }, "factors.task");
    expect_field([] { parse(R"({"factors": {"heterogeneity": [0, 7]}})"); }, "factors.heterogeneity[1]");
    expect_field([] { parse(R"({"factors": {"task": ["go", "dly_goo"]}})"); }, "factors.task[1]");
    expect_field([] { parse(R"({"factors": {"seed": [1, 1]}})"); }, "factors.seed[1]");
    expect_field([] { parse(R"({"factors": {}})"); }, "factors");
    expect_field([] { parse(R"({"factors": {"seed": [1]}, "trian": {}})"); }, "trian");
    expect_field([] { parse(R"({"factors": {"seed": [1]}, "train": {"max_trail": 3}})"); }, "train.max_trail");
    expect_field([] { parse(R"({"factors": {"seed": [1]}, "actions": ["evaluate"]})"); }, "actions");
    expect_field([] { parse(R"({"factors": {"seed": [1]}, "actions": ["train", "analyse"]})"); }, "actions");
    expect_field([] { parse(R"({"factors": {"seed": [1]}, "actions": ["train", "sing"]})"); }, "actions[1]");
    expect_field([] { parse(R"({"factors": {"seed": [1]}, "perturb": {"kinds": ["jitter"]}})"); }, "perturb.kinds[0]");
    expect_field([] { parse(R"({"factors": {"seed": [1]}, "perturb": {"levels": 6}})"); }, "perturb.levels");
}

TEST(SweepFile, TheFingerprintFollowsTheDescription)
{
    const auto a = parse(R"({"factors": {"seed": [1, 2]}, "train": {"max_trials": 100}})");
    const auto b = parse(R"({"train": {"max_trials": 100}, "factors": {"seed": [1, 2]}})");
    const auto c = parse(R"({"factors": {"seed": [1, 2]}, "train": {"max_trials": 200}})");
    EXPECT_EQ(a.canonical, b.canonical);  // key order does not matter
    EXPECT_NE(a.canonical, c.canonical);
}

TEST(SweepFile, TheExampleIsValid)
{
    EXPECT_EQ(parse(sweep::example_sweep()).plan().size(), 8u);
}
