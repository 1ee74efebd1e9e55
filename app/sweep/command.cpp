#include "sweep/command.hpp"

#include <cstdio>
#include <ostream>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/progress.hpp>
#include <neurode/sim/sweep.hpp>
#include <neurode/sim/text_file.hpp>
#ifdef NEURODE_WITH_MPI
#include <neurode/sim/sweep_mpi.hpp>
#endif

#include "config.hpp"
#include "output_files.hpp"
#include "sweep/point.hpp"
#include "sweep/report.hpp"

namespace neurode::app::sweep {

namespace {

sim::Shard parse_shard(const std::string& text)
{
    sim::Shard shard;
    if (text.empty()) return shard;
    std::size_t i = 0, k = 0;
    char slash = 0, rest = 0;
    if (std::sscanf(text.c_str(), "%zu%c%zu%c", &i, &slash, &k, &rest) != 3 || slash != '/')
        throw invalid_parameter("shard", "must be i/K (e.g. 0/4), got '" + text + "'");
    shard.index = i;
    shard.count = k;
    shard.validate();
    return shard;
}


void print_summary(const sim::SweepSummary& s, std::ostream& out)
{
    out << "sweep: " << s.computed << " points computed, " << s.resumed << " already done, " << s.failed << " failed";
    if (s.busy > 0) out << ", " << s.busy << " left to other processes";
    if (s.rerun_corrupt > 0) out << " (" << s.rerun_corrupt << " corrupt records rerun)";
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " in %.1f s\n", s.wall_seconds);
    out << seconds;
    for (const sim::SweepFailure& f : s.failures) out << "  point " << f.point << " failed: " << f.message << "\n";
}

}  // namespace

int run_sweep_command(const SweepCommand& command, std::ostream& out)
{
    const SweepDescription d = parse_sweep(parse_json(sim::read_text_file(command.file, "the sweep file"), command.file));
    const sim::SweepPlan plan = d.plan();
    if (command.validate_only) {
        out << command.file << ": ok, " << plan.size() << " points (";
        for (std::size_t f = 0; f < plan.factors().size(); ++f)
            out << (f ? " x " : "") << plan.factors()[f].levels.size() << " " << plan.factors()[f].name;
        out << ")\n";
        return 0;
    }
    sim::SweepOptions options;
    options.directory = command.output.empty() ? d.name + "-sweep" : command.output;
    options.threads = command.threads;
    options.shard = parse_shard(command.shard);
    options.validate();

    sim::SweepSummary summary;
    const sim::PointBody body = [&](std::size_t point, sim::h5::Writer& record) { run_point(d, plan, point, record); };
    if (!command.report_only) {
        // The bar counts this run's points only, so that its time estimate ignores resumed ones.
        const std::size_t before = sim::owned_points(plan, options.shard) - sim::pending_points(plan, options).size();
        sim::ProgressBar bar(stderr, "sweep", static_cast<double>(sim::owned_points(plan, options.shard) - before));
        const sim::SweepProgressCallback progress = [&](const sim::SweepProgress& p) {
            bar.update(static_cast<double>(p.done + p.failed - before), p.status());
        };
#ifdef NEURODE_WITH_MPI
        if (sim::launched_by_mpi()) {
            const sim::MpiSession mpi(nullptr, nullptr);
            summary = sim::run_sweep_mpi(mpi, plan, options, body, progress);
            if (mpi.rank() != 0) return summary.failed > 0 ? 1 : 0;
            out << "MPI: " << mpi.size() << " ranks\n";
        } else
#endif
            summary = sim::run_sweep(plan, options, body, progress);
        bar.finish(std::to_string(summary.computed) + " computed");
        print_summary(summary, out);
    }
    const SweepResults results = collect_results(d, plan, options.directory);
    const std::string report = report_markdown(d, results);
    sim::write_text_file_atomically(options.directory / "report.md", report, "the report");
    write_summary(d, results, options.directory / "summary.h5");
    out << report << "wrote " << (options.directory / "report.md").string() << " and "
        << (options.directory / "summary.h5").string() << "\n";
    if (command.figures) draw_figures("plot_sweep.py", options.directory / "summary.h5", out);
    return summary.failed > 0 ? 1 : 0;
}

}  // namespace neurode::app::sweep
