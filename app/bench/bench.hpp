#pragma once
// `neurode bench`: work-precision diagrams for the registry's problems (registry.hpp) and for
// network description files. Writes the HDF5 file of every measurement, a markdown report that
// names the fastest method per accuracy level, and one PNG diagram per problem
// (scripts/plot_bench.py). docs/solver-benchmarks.md shows the full suite's results.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "bench/registry.hpp"

namespace neurode::app::bench {

struct BenchOptions {
    std::vector<std::string> problems;          // registry names, or "all"
    std::vector<std::string> models;            // network description files (neurons::load_json), one problem each
    double model_duration = 200.0;              // [ms] of each model's run
    std::string model_measure = "first_spike";  // relative_l2, rms, spike_time or first_spike
    std::vector<std::string> methods;           // configuration names; empty: each problem's own
    bool quick = false;                         // Mode::quick
    std::optional<std::size_t> repeats;         // wall time: median of this many (default 3; --quick: 1)
    std::optional<double> budget;               // [s] per run (default 15 s; --quick: 5 s)
    std::string output = "neurode-bench.h5";    // the report is <stem>.md beside it, figures in <stem>-figures/
    bool figures = true;
    std::string command;  // the command line, stored in the file

    void validate() const;  // names the field
};

// `neurode bench --list`: every problem with its one-line summary, and every method name.
int list_problems(const Registry& registry, std::ostream& out);
// Measures every problem named and every model file (a problem named after the file's stem), then
// writes the HDF5 file, the report and the figures. Prints progress and the report to `out`.
// Returns 1 when a problem could not be measured (the others are still written), else 0.
int run_bench(const Registry& registry, const BenchOptions& options, std::ostream& out);

}  // namespace neurode::app::bench
