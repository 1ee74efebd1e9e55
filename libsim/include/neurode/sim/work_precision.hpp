#pragma once
// Work-precision measurement for any engine model: the diagram of error against cost, one curve
// per integrator configuration, that the SciML benchmark suites draw, and the advice it gives.
//
// A Problem says how to run its model under given solver options (a callable that builds the
// model's OdeSystem and Simulation from a RunContext) and how to compare two runs (an
// ErrorMeasure). measure() runs it once at a tight reference setting, then under each
// configuration over a ladder of settings, coarse to fine: tolerances for CVODE (rtol = s,
// atol = s times the problem's ratio) and step sizes dt for the fixed-step methods. Each run
// records its errors against the reference, the median wall time of repeats, the integrator's
// counters and the process's peak memory. fastest_per_level() names, per accuracy level, the
// cheapest run that reaches it. write_hdf5() stores everything with a description of the machine
// (layout in docs/solver-benchmarks.md); scripts/plot_bench.py draws the diagrams from that file.
//
// Ladder rules, so that a sweep stays within its time: a run still going after the budget is
// stopped (over_budget) and the configuration's finer settings are skipped, since they cost more.
// A CVODE run that fails (too much work, repeated error-test or convergence failures) also ends
// its ladder, as tighter tolerances make these worse; a fixed-step run that fails (an instability
// at too large a dt) does not, since smaller steps may be stable.

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/ode_system.hpp>
#include <neurode/sim/options.hpp>
#include <neurode/sim/recording.hpp>
#include <neurode/sim/simulation.hpp>
#include <neurode/sim/summary.hpp>

namespace neurode::sim::bench {

// What one run produced: the part that is compared with the reference run.
struct Trajectory {
    std::vector<double> times;                // [time] sample grid, the same in every run of a problem
    std::size_t width = 0;                    // values per sample
    std::vector<double> values;               // times.size() x width, row major
    std::vector<std::vector<double>> spikes;  // per cell: spike times [time], sorted; empty without spikes
    RunSummary summary;                       // the integrator's counters over the run
};

// A recording's samples (every column) and the simulation's counters.
Trajectory trajectory(const Recording& recording, const RunSummary& summary);

enum class ErrorMeasure {
    relative_l2,  // ||x - x_ref||_2 / ||x_ref||_2 over every sample and column (rates, kinetics)
    rms,          // sqrt(mean((x - x_ref)^2)) over every sample and column, in the values' unit (voltages)
    spike_time,   // mean |t - t_ref| over matched spikes [time]
    first_spike,  // mean over cells of |first - first_ref| [time]: for chaotic networks, whose whole
                  // trains decorrelate while their first spikes stay comparable. A cell with a first
                  // spike in one run only counts the time from it to the end (the other's lies
                  // later: a lower bound of its error)
};
std::string_view to_string(ErrorMeasure measure);
ErrorMeasure parse_error_measure(std::string_view name, std::string_view field = "measure");

// Every error of a run against the reference. Spikes are matched per cell the way
// benchmarks/compare_reservoir.py matches them: walk both sorted trains; pair the two earliest
// unpaired spikes when they are within the window, else drop the earlier one. A spike in the
// last window before the end of the run counts as neither missed nor extra (its partner may lie
// past the end); the same holds for a first spike there.
struct Errors {
    static constexpr double none = std::numeric_limits<double>::quiet_NaN();
    double relative_l2 = none, rms = none, max_abs = none;
    double spike_time = none;   // NaN when no spike was matched
    double first_spike = none;  // NaN when no cell spikes before the last window in either run
    long reference_spikes = 0, matched = 0, missed = 0, extra = 0;
    long first_spike_missing = 0;  // cells with a first spike (before the last window) in one run only

    double value(ErrorMeasure measure) const;
    // Whether the run may count as reaching an accuracy level under this measure: a finite error
    // and, for spike_time, no missed or extra spike (first_spike already counts what is missing).
    bool complete(ErrorMeasure measure) const;
};

// Throws invalid_parameter("trajectory", ...) when the sample grids or shapes differ.
Errors compare(const Trajectory& run, const Trajectory& reference, double spike_window);

// A method with its linear solver and preconditioner: the solver options whose one setting (rtol
// or dt) a ladder varies. Names:
//   cvode_bdf/dense, cvode_bdf/banded, cvode_bdf/klu, cvode_bdf/gmres,
//   cvode_bdf/gmres+model (the model's own preconditioner), cvode_bdf/gmres+jacobi
//   (JacobiPreconditioned), the same six for cvode_adams, and each fixed-step method by its
//   to_string() name (forward_euler, rk4, exponential_euler, backward_euler, crank_nicolson,
//   staggered_euler, staggered_crank_nicolson).
struct Configuration {
    std::string name;
    SolverOptions options;
    bool jacobi = false;  // wrap the model in JacobiPreconditioned
    bool varies_tolerance() const { return is_cvode(options.method); }
};
std::vector<std::string> configuration_names();
// Throws invalid_parameter(field, ...) listing the known names.
Configuration configuration(std::string_view name, std::string_view field = "methods");

// Thrown inside a run that passed its wall-clock budget.
class budget_exceeded : public runtime_error {
public:
    using runtime_error::runtime_error;
};

// Thrown when a configuration cannot run on a model (a Jacobian kind it lacks, a matrix too large
// for the memory limit); measure() records the reason.
class not_applicable : public runtime_error {
public:
    using runtime_error::runtime_error;
};

// One run as measure() asks a problem for it.
class RunContext {
public:
    using clock = std::chrono::steady_clock;
    RunContext(Configuration configuration, SolverOptions options, clock::time_point deadline,
               std::size_t matrix_limit_bytes);
    ~RunContext();
    RunContext(const RunContext&) = delete;
    RunContext& operator=(const RunContext&) = delete;

    // The configuration's options with the ladder's setting and the problem's tolerances applied.
    const SolverOptions& options() const { return options_; }

    // The system to simulate with options(): `model` itself or, for a +jacobi configuration, the
    // model behind a JacobiPreconditioned owned by this context. Checks first that the
    // configuration applies to the model (options().validate(model), and a dense or banded
    // matrix within the memory limit) and throws not_applicable saying why not. The returned
    // system must outlive the simulation built on it; `model` must outlive this context's use.
    OdeSystem& system(OdeSystem& model);

    // Stops `simulation` once the run's deadline has passed: a probe sampled every `interval`
    // [time] that throws budget_exceeded then. Samples are interpolated, so the integration is
    // the same as without it.
    void watch(Simulation& simulation, double interval) const;

private:
    Configuration configuration_;
    SolverOptions options_;
    clock::time_point deadline_;
    std::size_t matrix_limit_bytes_;
    std::vector<std::unique_ptr<OdeSystem>> wrappers_;  // one per system() call: a run may build several
};

struct Problem {
    std::string name;         // registry key: letters, digits, '-', '_'
    std::string description;  // one line: model, size, input, duration
    std::size_t size = 0;     // state variables
    ErrorMeasure measure = ErrorMeasure::relative_l2;
    std::string error_unit;        // of the measure: "ms", "mV", or "" for relative errors
    std::string time_unit = "ms";  // of the model's time (dt, spike times)
    double spike_window = 1.0;     // [time] spike matching window
    // Runs the model under context.options() (building its system with context.system(), watching
    // the simulation with context.watch()) and returns what it produced.
    std::function<Trajectory(RunContext& context)> run;

    std::string reference_configuration = "cvode_bdf/dense";
    double reference_setting = 1e-10;         // rtol or dt of the reference run
    std::vector<double> atol_ratio;           // CVODE atol per variable = ratio * rtol; empty: atol = rtol
    long max_steps = 1'000'000;               // CVODE steps per Simulation::advance() call
    std::vector<std::string> configurations;  // measured by default
    std::vector<double> tolerances;           // rtol ladder for CVODE, loosest first
    std::vector<double> steps;                // dt ladder [time] for the fixed-step methods, largest first
    std::vector<double> accuracy_levels;      // in the measure's unit, loosest first: the advice's rows

    void validate() const;  // names the field
};

struct MeasureOptions {
    std::size_t repeats = 3;    // wall time: the median over this many runs
    double repeat_below = 2.0;  // [s] a run slower than this is not repeated (one time stands)
    double budget = 60.0;       // [s] per run (the reference run has none)
    std::size_t matrix_limit_bytes = std::size_t{64} << 20;  // dense or banded Jacobian storage
    std::vector<std::string> configurations;                 // empty: the problem's own list
    void validate() const;                                   // names the field
};

enum class RunStatus {
    ok,
    failed,          // solver_error: the message says where
    over_budget,     // stopped at the budget
    not_applicable,  // the configuration cannot run on this model: the message says why
    skipped,         // a finer setting after a run that ended its ladder
};
std::string_view to_string(RunStatus status);

struct Measurement {
    std::string configuration;
    double setting = 0;  // rtol (CVODE) or dt [time] (fixed-step methods)
    RunStatus status = RunStatus::ok;
    std::string message;  // why it failed, does not apply or was skipped
    Errors errors;
    double error = Errors::none;        // errors.value(the problem's measure)
    bool complete = false;              // errors.complete(the problem's measure)
    std::vector<double> wall_seconds;   // [s] each repeat, the whole run (model set-up included)
    double wall_median = Errors::none;  // [s]
    RunSummary summary;                 // counters of the first repeat (its wall_seconds: inside the integrator)
    std::int64_t peak_rss_bytes = -1;   // the process's peak resident memory during the first repeat
                                        // (where Linux refuses the per-run reset: its peak so far)
    std::int64_t base_rss_bytes = -1;   // its resident memory when that run started
};

// For each accuracy level, the measurement with the smallest median wall time among those that
// ran (ok), are complete and have error <= level; none when no run reaches it.
struct Advice {
    double level = 0;
    std::optional<std::size_t> measurement;  // index into the measurements
};
std::vector<Advice> fastest_per_level(std::span<const Measurement> measurements, std::span<const double> levels);

struct ProblemResult {
    Problem problem;  // as measured (its run callable included)
    Trajectory reference;
    double reference_wall = 0;  // [s]
    std::vector<Measurement> measurements;
    std::vector<Advice> advice;  // fastest_per_level over problem.accuracy_levels
    double total_seconds = 0;    // [s] everything measure() spent on this problem
};

// Called after each measurement (progress for people watching).
using MeasureProgress = std::function<void(const Problem& problem, const Measurement& measurement)>;

// Runs the reference, then every configuration over its ladder. A failing reference throws.
ProblemResult measure(const Problem& problem, const MeasureOptions& options = {}, const MeasureProgress& progress = {});

// The machine the measurements run on: (key, value) pairs: cpu, cores, memory, os, load average,
// compiler, build type, neurode version, how peak memory is measured, date. Take it when the
// measurements start (the load average says whether the machine was idle then).
using MachineDescription = std::vector<std::pair<std::string, std::string>>;
MachineDescription machine_description();

// Markdown: per problem, one row per accuracy level naming the fastest run, its time and error.
std::string advice_markdown(std::span<const ProblemResult> results);

// Every measurement, reference and advice into `file` under /problems/<name>/; the root's
// attributes format ("neurode-bench"), format_version (1) and machine_<key>, the machine
// description (layout in docs/solver-benchmarks.md; scripts/plot_bench.py draws it).
void write_hdf5(h5::Writer& file, std::span<const ProblemResult> results, const MachineDescription& machine);

}  // namespace neurode::sim::bench
