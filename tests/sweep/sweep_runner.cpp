// A synthetic sweep for the resume, exclusion, sharding and MPI tests: factors a (0..5) and
// b (0..3), 24 points, each burning a few tens of milliseconds of CPU and storing
//     /value = 10 a + b                (checked against this closed form by check_sweep_records.py)
//     /draw  = 1000 uniforms from the point's seed, summed (equal between runs: resume is exact)
// After each committed record it appends "<point> <pid>" to the log file given, so that the
// tests can count how often each point was computed.
//
// sweep_runner DIR LOG [--threads N] [--shard i/K] [--mpi] [--fail P]
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>

#include <unistd.h>

#include <neurode/sim/random.hpp>
#include <neurode/sim/sweep.hpp>
#ifdef NEURODE_WITH_MPI
#include <neurode/sim/sweep_mpi.hpp>
#endif

namespace sim = neurode::sim;

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: sweep_runner DIR LOG [--threads N] [--shard i/K] [--mpi] [--fail P]\n";
        return 2;
    }
    sim::SweepOptions options;
    options.directory = argv[1];
    const std::string log = argv[2];
    bool mpi = false;
    long fail = -1;
    for (int k = 3; k < argc; ++k) {
        if (!std::strcmp(argv[k], "--threads") && k + 1 < argc) options.threads = std::stoul(argv[++k]);
        else if (!std::strcmp(argv[k], "--shard") && k + 1 < argc) std::sscanf(argv[++k], "%zu/%zu", &options.shard.index, &options.shard.count);
        else if (!std::strcmp(argv[k], "--mpi")) mpi = true;
        else if (!std::strcmp(argv[k], "--fail") && k + 1 < argc) fail = std::stol(argv[++k]);
    }
    const sim::SweepPlan plan({{"a", {"0", "1", "2", "3", "4", "5"}}, {"b", {"0", "1", "2", "3"}}}, "synthetic-v1");
    std::mutex log_mutex;
    int rank = 0;
    const sim::PointBody body = [&](std::size_t point, sim::h5::Writer& record) {
        if (static_cast<long>(point) == fail) throw std::runtime_error("asked to fail");
        const double a = std::stod(plan.level(point, "a")), b = std::stod(plan.level(point, "b"));
        sim::Rng rng(plan.seed(point, 7));
        double draw = 0;
        for (int i = 0; i < 1000; ++i) draw += rng.uniform();
        volatile double burn = 0;  // the cost of a point, so that kills land mid-run
        for (long i = 0; i < 30'000'000; ++i) burn = burn + 1e-9 * static_cast<double>(i % 7);
        const std::vector<double> value{10 * a + b}, drawn{draw};
        record.write("/value", value);
        record.write("/draw", drawn);
        record.set_attribute("/", "rank", static_cast<std::int64_t>(rank));
        record.set_attribute("/", "pid", static_cast<std::int64_t>(::getpid()));
    };
    const auto print_summary = [&](const sim::SweepSummary& s) {
        std::ofstream(log, std::ios::app) << "summary computed " << s.computed << " resumed " << s.resumed << " failed "
                                          << s.failed << " busy " << s.busy << " corrupt " << s.rerun_corrupt << " rank "
                                          << rank << "\n";
    };
    // Logged before the runner commits the record: a point killed between the two shows twice.
    const sim::PointBody logged_body = [&](std::size_t p, sim::h5::Writer& r) {
        body(p, r);
        std::lock_guard lock(log_mutex);
        std::ofstream(log, std::ios::app) << "computed " << p << " pid " << ::getpid() << " rank " << rank << "\n";
    };
    try {
        if (mpi) {
#ifdef NEURODE_WITH_MPI
            const sim::MpiSession session(&argc, &argv);
            rank = session.rank();
            print_summary(sim::run_sweep_mpi(session, plan, options, logged_body));
            return 0;
#else
            std::cerr << "built without MPI\n";
            return 2;
#endif
        }
        const sim::SweepSummary summary = sim::run_sweep(plan, options, logged_body);
        print_summary(summary);
        return summary.failed > 0 ? 3 : 0;
    } catch (const std::exception& e) {
        std::cerr << "sweep_runner: " << e.what() << "\n";
        return 1;
    }
}
