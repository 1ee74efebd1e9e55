// The parameter search (sim/search.hpp): it finds the minimum of a known function, its log
// replays an interrupted search to the uninterrupted result, and bad input names the field.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "support/expect_field.hpp"
#include <neurode/sim/errors.hpp>
#include <neurode/sim/search.hpp>

namespace sim = neurode::sim;

namespace {
// A bowl with its minimum 0 at (0.3, 0.01) (the second searched on a log scale).
double bowl(std::span<const double> x)
{
    const double a = x[0] - 0.3, b = std::log10(x[1]) + 2.0;
    return a * a + b * b;
}

std::vector<sim::SearchParameter> bowl_parameters()
{
    return {{"a", 0.0, 1.0, false}, {"b", 1e-4, 1.0, true}};
}

std::filesystem::path fresh_log(const char* name)
{
    const auto path = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove(path);
    return path;
}
}  // namespace

TEST(Search, LatinHypercubeThenNelderMeadFindsTheMinimum)
{
    sim::SearchOptions o;
    o.initial = 8;
    o.local = 60;
    o.seed = 3;
    std::size_t calls = 0;
    const sim::SearchResult r = sim::minimise(bowl_parameters(), [&](std::span<const double> x) {
        ++calls;
        return bowl(x);
    }, o);
    EXPECT_EQ(calls, r.evaluations.size());
    EXPECT_LE(r.evaluations.size(), 68u);
    // The hypercube puts one candidate in each eighth of every axis.
    std::vector<int> strata(8, 0);
    for (std::size_t i = 0; i < 8; ++i) ++strata[static_cast<std::size_t>(r.evaluations[i].values[0] * 8)];
    for (int s : strata) EXPECT_EQ(s, 1);
    double best_initial = INFINITY;
    for (std::size_t i = 0; i < 8; ++i) best_initial = std::min(best_initial, r.evaluations[i].score);
    EXPECT_LT(r.best_evaluation().score, 1e-3 * best_initial);
    EXPECT_NEAR(r.best_evaluation().values[0], 0.3, 0.01);
    EXPECT_NEAR(std::log10(r.best_evaluation().values[1]), -2.0, 0.02);
}

TEST(Search, AnInterruptedSearchResumesToTheUninterruptedResult)
{
    sim::SearchOptions o;
    o.initial = 6;
    o.local = 20;
    const sim::SearchResult whole = sim::minimise(bowl_parameters(), bowl, o);

    o.log = fresh_log("neurode-search-resume.h5");
    std::size_t calls = 0;
    const auto interrupted = [&](std::span<const double> x) {
        if (++calls == 11) throw std::runtime_error("interrupted");
        return bowl(x);
    };
    EXPECT_THROW(sim::minimise(bowl_parameters(), interrupted, o), std::runtime_error);
    EXPECT_EQ(sim::read_search_log(o.log).size(), 10u);

    calls = 0;
    const sim::SearchResult resumed = sim::minimise(bowl_parameters(), [&](std::span<const double> x) {
        ++calls;
        return bowl(x);
    }, o);
    EXPECT_EQ(calls, whole.evaluations.size() - 10);
    ASSERT_EQ(resumed.evaluations.size(), whole.evaluations.size());
    for (std::size_t i = 0; i < whole.evaluations.size(); ++i) {
        EXPECT_EQ(resumed.evaluations[i].values, whole.evaluations[i].values);
        EXPECT_EQ(resumed.evaluations[i].score, whole.evaluations[i].score);
        EXPECT_EQ(resumed.evaluations[i].resumed, i < 10);
    }
    // A larger budget continues the same path.
    o.local = 30;
    const sim::SearchResult longer = sim::minimise(bowl_parameters(), bowl, o);
    ASSERT_GE(longer.evaluations.size(), whole.evaluations.size());
    for (std::size_t i = 0; i < whole.evaluations.size(); ++i) EXPECT_EQ(longer.evaluations[i].values, whole.evaluations[i].values);

    // Another search must not reuse the log.
    o.seed = 2;
    EXPECT_THROW(sim::minimise(bowl_parameters(), bowl, o), neurode::io_error);
    std::filesystem::remove(o.log);
}

TEST(Search, FailedEvaluationsCountAsWorst)
{
    sim::SearchOptions o;
    o.initial = 4;
    o.local = 10;
    const auto r = sim::minimise(bowl_parameters(), [](std::span<const double> x) { return x[0] > 0.5 ? NAN : bowl(x); }, o);
    for (const auto& e : r.evaluations) EXPECT_EQ(std::isinf(e.score), e.values[0] > 0.5);
    EXPECT_LE(r.best_evaluation().values[0], 0.5);
}

TEST(Search, BadInputNamesTheField)
{
    const auto run = [](std::vector<sim::SearchParameter> p, sim::SearchOptions o = {}) { sim::minimise(p, bowl, o); };
    expect_field([&] { run({{"a", 1.0, 0.0, false}, {"b", 1e-4, 1.0, true}}); }, "a.high");
    expect_field([&] { run({{"a", 0.0, 1.0, false}, {"b", 0.0, 1.0, true}}); }, "b.low");
    expect_field([&] { run({{"a", 0.0, 1.0, false}, {"a", 0.0, 1.0, false}}); }, "a");
    expect_field([&] { run({}); }, "parameters");
    sim::SearchOptions o;
    o.initial = 0;
    expect_field([&] { run(bowl_parameters(), o); }, "initial");
}
