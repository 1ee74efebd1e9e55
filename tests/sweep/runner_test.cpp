// The sweep runner (libsim/sweep.hpp) in-process: points as a mixed-radix product, seeds that
// depend on the levels only, resume, corrupt and truncated records rerun, a point locked by
// another process left alone, failures retried, bad plans and shards named.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/random.hpp>
#include <neurode/sim/sweep.hpp>

namespace sim = neurode::sim;
namespace fs = std::filesystem;

namespace {
sim::SweepPlan small_plan() { return sim::SweepPlan({{"task", {"go", "anti", "dly_go"}}, {"h", {"0", "5"}}}, "test-plan"); }

fs::path fresh_directory(const std::string& name)
{
    const fs::path dir = fs::temp_directory_path() / ("neurode-sweep-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

sim::SweepOptions options_in(const fs::path& dir, std::size_t threads = 1)
{
    sim::SweepOptions options;
    options.directory = dir;
    options.threads = threads;
    return options;
}

// Stores the point's index and a draw from its seed; counts calls.
struct CountingBody {
    const sim::SweepPlan& plan;
    std::atomic<int> calls{0};
    void operator()(std::size_t point, sim::h5::Writer& record)
    {
        ++calls;
        sim::Rng rng(plan.seed(point, 3));
        const std::vector<double> values{static_cast<double>(point), rng.uniform()};
        record.write("/values", values);
    }
};

std::vector<double> stored(const fs::path& dir, std::size_t point)
{
    return sim::h5::Reader(sim::record_path(dir, point)).read_doubles("/values");
}
}  // namespace

TEST(SweepPlan, PointsAreTheProductWithTheLastFactorFastest)
{
    const sim::SweepPlan plan = small_plan();
    ASSERT_EQ(plan.size(), 6u);
    EXPECT_EQ(plan.level_indices(0), (std::vector<std::size_t>{0, 0}));
    EXPECT_EQ(plan.level_indices(1), (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(plan.level_indices(5), (std::vector<std::size_t>{2, 1}));
    EXPECT_EQ(plan.level(3, "task"), "anti");
    EXPECT_EQ(plan.level(3, "h"), "5");
    expect_field([&] { (void)plan.level(0, "units"); }, "units");
    EXPECT_THROW(plan.level_indices(6), neurode::invalid_parameter);
}

TEST(SweepPlan, SeedsDependOnTheLevelsNotOnTheOrder)
{
    const sim::SweepPlan plan = small_plan();
    const sim::SweepPlan reordered({{"h", {"5", "0"}}, {"task", {"dly_go", "go", "anti"}}}, "other");
    // (task anti, h 5) is point 3 of one plan and point 2 of the other.
    EXPECT_EQ(plan.seed(3, 11), reordered.seed(2, 11));
    EXPECT_NE(plan.seed(3, 11), plan.seed(3, 12));
    std::set<std::uint64_t> seeds;
    for (std::size_t p = 0; p < plan.size(); ++p) seeds.insert(plan.seed(p, 11));
    EXPECT_EQ(seeds.size(), plan.size());
}

TEST(SweepPlan, BadPlansAndShardsNameTheField)
{
    expect_field([] { sim::SweepPlan({}, "x"); }, "factors");
    expect_field([] { sim::SweepPlan({{"task", {}}}, "x"); }, "factors.task");
    expect_field([] { sim::SweepPlan({{"seed", {"1"}}, {"seed", {"2"}}}, "x"); }, "factors.seed");
    expect_field([] { sim::Shard{2, 2}.validate(); }, "shard");
    expect_field([] { sim::Shard{0, 0}.validate(); }, "shard");
    expect_field([] { sim::SweepOptions{}.validate(); }, "directory");
}

TEST(SweepRunner, ResumesAndRerunsCorruptAndTruncatedRecords)
{
    const sim::SweepPlan plan = small_plan();
    const fs::path dir = fresh_directory("corrupt");
    const sim::SweepOptions options = options_in(dir, 2);
    CountingBody body{plan};
    const sim::PointBody call = [&](std::size_t p, sim::h5::Writer& w) { body(p, w); };
    const auto first = sim::run_sweep(plan, options, call);
    EXPECT_EQ(first.computed, 6u);
    EXPECT_EQ(body.calls, 6);
    std::vector<std::vector<double>> before;
    for (std::size_t p = 0; p < plan.size(); ++p) before.push_back(stored(dir, p));

    // Everything done: a second run computes nothing.
    const auto again = sim::run_sweep(plan, options, call);
    EXPECT_EQ(again.computed, 0u);
    EXPECT_EQ(again.resumed, 6u);

    // Truncate one record, overwrite another with text: both are detected and rerun.
    fs::resize_file(sim::record_path(dir, 1), fs::file_size(sim::record_path(dir, 1)) / 2);
    std::ofstream(sim::record_path(dir, 4)) << "not an HDF5 file";
    EXPECT_EQ(sim::record_state(plan, dir, 1), sim::RecordState::corrupt);
    EXPECT_EQ(sim::record_state(plan, dir, 4), sim::RecordState::corrupt);
    EXPECT_EQ(sim::record_state(plan, dir, 0), sim::RecordState::complete);
    const auto repaired = sim::run_sweep(plan, options, call);
    EXPECT_EQ(repaired.computed, 2u);
    EXPECT_EQ(repaired.rerun_corrupt, 2u);
    EXPECT_EQ(body.calls, 8);
    for (std::size_t p = 0; p < plan.size(); ++p) EXPECT_EQ(stored(dir, p), before[p]) << "point " << p;
    fs::remove_all(dir);
}

TEST(SweepRunner, RefusesTheDirectoryOfAnotherSweep)
{
    const fs::path dir = fresh_directory("foreign");
    const sim::SweepOptions options = options_in(dir);
    const sim::PointBody nothing = [](std::size_t, sim::h5::Writer&) {};
    sim::run_sweep(small_plan(), options, nothing);
    const sim::SweepPlan other({{"task", {"go"}}}, "another-description");
    EXPECT_THROW(sim::run_sweep(other, options, nothing), neurode::io_error);
    fs::remove_all(dir);
}

TEST(SweepRunner, LeavesAPointLockedByAnotherProcessAlone)
{
    const sim::SweepPlan plan = small_plan();
    const fs::path dir = fresh_directory("locked");
    const sim::SweepOptions options = options_in(dir);
    fs::create_directories(dir / "points");
    // What another process computing point 2 holds: an exclusive flock on its lock file.
    const int fd = ::open((dir / "points" / "000002.lock").c_str(), O_CREAT | O_RDWR, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    CountingBody body{plan};
    const sim::PointBody call = [&](std::size_t p, sim::h5::Writer& w) { body(p, w); };
    const auto held = sim::run_sweep(plan, options, call);
    EXPECT_EQ(held.computed, 5u);
    EXPECT_EQ(held.busy, 1u);
    EXPECT_EQ(sim::record_state(plan, dir, 2), sim::RecordState::missing);
    ::close(fd);  // the other process ends
    const auto after = sim::run_sweep(plan, options, call);
    EXPECT_EQ(after.computed, 1u);
    EXPECT_EQ(sim::record_state(plan, dir, 2), sim::RecordState::complete);
    fs::remove_all(dir);
}

TEST(SweepRunner, AFailedPointIsReportedNotStoredAndRetried)
{
    const sim::SweepPlan plan = small_plan();
    const fs::path dir = fresh_directory("failed");
    sim::SweepOptions options = options_in(dir);
    options.shard = {1, 2};  // points 1, 3, 5
    bool fail = true;
    const sim::PointBody body = [&](std::size_t p, sim::h5::Writer& w) {
        if (p == 3 && fail) throw neurode::runtime_error("diverged");
        w.write("/values", std::vector<double>{1.0});
    };
    std::vector<sim::SweepProgress> seen;
    const auto first = sim::run_sweep(plan, options, body, [&](const sim::SweepProgress& p) { seen.push_back(p); });
    EXPECT_EQ(first.owned, 3u);
    EXPECT_EQ(first.computed, 2u);
    EXPECT_EQ(first.failed, 1u);
    ASSERT_EQ(first.failures.size(), 1u);
    EXPECT_EQ(first.failures[0].point, 3u);
    EXPECT_EQ(first.failures[0].message, "diverged");
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen.back().done, 2u);
    EXPECT_EQ(seen.back().failed, 1u);
    EXPECT_EQ(seen.back().status(), "2/3 points done, 1 failed");
    for (const std::size_t p : {0u, 2u, 3u, 4u}) EXPECT_EQ(sim::record_state(plan, dir, p), sim::RecordState::missing);
    fail = false;
    const auto second = sim::run_sweep(plan, options, body);
    EXPECT_EQ(second.computed, 1u);
    EXPECT_EQ(second.resumed, 2u);
    fs::remove_all(dir);
}
