#pragma once
// `neurode sweep`: validate a sweep file, run its points (threads, --shard i/K, or the ranks of
// an MPI job when started by mpirun and built with NEURODE_WITH_MPI), resume what is missing,
// and report: report.md and summary.h5 in the sweep's directory, figures beside them.

#include <iosfwd>
#include <string>

namespace neurode::app::sweep {

struct SweepCommand {
    std::string file;          // the sweep description (JSON)
    std::string output;        // the sweep's directory (default: "<name>-sweep")
    std::size_t threads = 1;   // points at once per process (0: one per core)
    std::string shard;         // "i/K": only points with index mod K == i
    bool validate_only = false, report_only = false, figures = true;
};

// Exit status: 0, or 1 when points failed. Throws invalid_parameter / io_error for bad input.
int run_sweep_command(const SweepCommand& command, std::ostream& out);

}  // namespace neurode::app::sweep
