#include <neurode/sim/work_precision.hpp>

#include <sys/resource.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include <neurode/sim/jacobi_preconditioner.hpp>
#include <neurode/sim/version.hpp>

namespace neurode::sim::bench {

namespace {

using clock = std::chrono::steady_clock;

void require(bool ok, const std::string& field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

std::string number(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", v);
    return buffer;
}

bool strictly_decreasing_positive(const std::vector<double>& v)
{
    for (std::size_t i = 0; i < v.size(); ++i)
        if (!(std::isfinite(v[i]) && v[i] > 0) || (i > 0 && !(v[i] < v[i - 1]))) return false;
    return true;
}

// --- peak memory: Linux's per-process high-water mark, reset before each run -------------------
// Writing 5 to /proc/self/clear_refs resets VmHWM to the current resident size (Linux >= 4.0), so
// the mark read after a run is that run's peak. Where the reset is refused, the mark is the
// process's peak so far; machine_description() says which.

std::int64_t status_kib(const char* key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t length = std::char_traits<char>::length(key);
    while (std::getline(in, line))
        if (line.compare(0, length, key) == 0 && line.size() > length && line[length] == ':')
            return std::stoll(line.substr(length + 1));
    return -1;
}

bool reset_peak_memory()
{
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

std::int64_t bytes(std::int64_t kib)
{
    return kib < 0 ? -1 : kib * 1024;
}

std::int64_t lifetime_peak_rss()
{
    rusage usage{};
    return getrusage(RUSAGE_SELF, &usage) == 0 ? bytes(usage.ru_maxrss) : -1;
}

// --- spike matching -------------------------------------------------------------------------------

struct TrainComparison {
    long matched = 0, missed = 0, extra = 0;
    double deviation = 0;  // sum of |t - t_ref| over matched pairs
};

TrainComparison compare_trains(const std::vector<double>& reference, const std::vector<double>& run, double window,
                               double counted_before)
{
    TrainComparison c;
    std::size_t i = 0, j = 0;
    const auto missed = [&](double t) { c.missed += t < counted_before ? 1 : 0; };
    const auto extra = [&](double t) { c.extra += t < counted_before ? 1 : 0; };
    while (i < reference.size() && j < run.size()) {
        if (std::abs(reference[i] - run[j]) <= window) {
            c.deviation += std::abs(reference[i] - run[j]);
            ++c.matched;
            ++i;
            ++j;
        } else if (run[j] < reference[i]) {
            extra(run[j++]);
        } else {
            missed(reference[i++]);
        }
    }
    for (; i < reference.size(); ++i) missed(reference[i]);
    for (; j < run.size(); ++j) extra(run[j]);
    return c;
}

// --- configurations ---------------------------------------------------------------------------------

struct SolverVariant {
    std::string_view suffix;
    LinearSolver solver;
    bool preconditioner, jacobi;
};
constexpr SolverVariant solver_variants[] = {
    {"dense", LinearSolver::dense, false, false},      {"banded", LinearSolver::banded, false, false},
    {"klu", LinearSolver::klu, false, false},          {"gmres", LinearSolver::gmres, false, false},
    {"gmres+model", LinearSolver::gmres, true, false}, {"gmres+jacobi", LinearSolver::gmres, true, true},
};
constexpr Method cvode_methods[] = {Method::cvode_bdf, Method::cvode_adams};
constexpr Method fixed_methods[] = {Method::forward_euler,           Method::rk4,
                                    Method::exponential_euler,       Method::backward_euler,
                                    Method::crank_nicolson,          Method::staggered_euler,
                                    Method::staggered_crank_nicolson};

SolverOptions with_setting(const Configuration& c, const Problem& problem, double setting)
{
    SolverOptions o = c.options;
    if (c.varies_tolerance()) {
        o.rtol = setting;
        if (problem.atol_ratio.empty()) {
            o.atol = setting;
        } else {
            o.atol_vector.resize(problem.atol_ratio.size());
            for (std::size_t i = 0; i < problem.atol_ratio.size(); ++i)
                o.atol_vector[i] = problem.atol_ratio[i] * setting;
        }
        o.max_steps = problem.max_steps;
    } else {
        o.dt = setting;
    }
    return o;
}

// Bandwidths of a sparse pattern: (upper, lower).
std::pair<long, long> bandwidths(const SparsityPattern& p)
{
    long upper = 0, lower = 0;
    for (std::size_t row = 0; row + 1 < p.row_offsets.size(); ++row)
        for (auto k = p.row_offsets[row]; k < p.row_offsets[row + 1]; ++k) {
            const long d = static_cast<long>(p.columns[static_cast<std::size_t>(k)]) - static_cast<long>(row);
            upper = std::max(upper, d);
            lower = std::max(lower, -d);
        }
    return {upper, lower};
}

// One row for a configuration that cannot run on the problem at all (no setting).
Measurement inapplicable(const std::string& configuration, std::string why)
{
    Measurement m;
    m.configuration = configuration;
    m.setting = Errors::none;
    m.status = RunStatus::not_applicable;
    m.message = std::move(why);
    return m;
}

std::string megabytes(double b)
{
    return number(b / (1 << 20)) + " MiB";
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

Trajectory trajectory(const Recording& recording, const RunSummary& summary)
{
    return {recording.times, recording.width(), recording.values, {}, summary};
}

std::string_view to_string(ErrorMeasure measure)
{
    switch (measure) {
        case ErrorMeasure::relative_l2: return "relative_l2";
        case ErrorMeasure::rms: return "rms";
        case ErrorMeasure::spike_time: return "spike_time";
        case ErrorMeasure::first_spike: return "first_spike";
    }
    throw logic_error("ErrorMeasure without a name");
}

ErrorMeasure parse_error_measure(std::string_view name, std::string_view field)
{
    for (const ErrorMeasure m :
         {ErrorMeasure::relative_l2, ErrorMeasure::rms, ErrorMeasure::spike_time, ErrorMeasure::first_spike})
        if (to_string(m) == name) return m;
    throw invalid_parameter(std::string(field), "unknown measure '" + std::string(name) +
                                                    "' (expected one of: relative_l2, rms, spike_time, first_spike)");
}

double Errors::value(ErrorMeasure measure) const
{
    switch (measure) {
        case ErrorMeasure::relative_l2: return relative_l2;
        case ErrorMeasure::rms: return rms;
        case ErrorMeasure::spike_time: return spike_time;
        case ErrorMeasure::first_spike: return first_spike;
    }
    throw logic_error("ErrorMeasure without a value");
}

bool Errors::complete(ErrorMeasure measure) const
{
    if (!std::isfinite(value(measure))) return false;
    return measure != ErrorMeasure::spike_time || (missed == 0 && extra == 0);
}

Errors compare(const Trajectory& run, const Trajectory& reference, double spike_window)
{
    require(run.width == reference.width && run.times.size() == reference.times.size() &&
                run.values.size() == reference.values.size() && run.values.size() == run.times.size() * run.width,
            "trajectory",
            "the run has " + std::to_string(run.times.size()) + " samples of " + std::to_string(run.width) +
                " values, the reference " + std::to_string(reference.times.size()) + " of " +
                std::to_string(reference.width) + ": a problem must sample the same grid in every run");
    const double span = reference.times.empty() ? 0.0 : std::abs(reference.times.back()) + 1.0;
    for (std::size_t k = 0; k < run.times.size(); ++k)
        require(std::abs(run.times[k] - reference.times[k]) <= 1e-9 * span, "trajectory.times",
                "sample " + std::to_string(k) + " is at " + number(run.times[k]) + " in the run and at " +
                    number(reference.times[k]) + " in the reference");
    require(run.spikes.size() == reference.spikes.size(), "trajectory.spikes",
            "the run has spike trains of " + std::to_string(run.spikes.size()) + " cells, the reference of " +
                std::to_string(reference.spikes.size()));

    Errors e;
    if (!run.values.empty()) {
        double diff = 0, norm = 0, largest = 0;
        for (std::size_t k = 0; k < run.values.size(); ++k) {
            const double d = run.values[k] - reference.values[k];
            diff += d * d;
            norm += reference.values[k] * reference.values[k];
            largest = std::max(largest, std::abs(d));
        }
        // A non-finite sample (a run that blew up) makes every value error non-finite.
        e.max_abs = std::isfinite(diff) ? largest : diff;
        e.rms = std::sqrt(diff / static_cast<double>(run.values.size()));
        e.relative_l2 = norm > 0 ? std::sqrt(diff / norm) : Errors::none;
    }
    if (reference.spikes.empty()) return e;
    const double end = reference.times.empty() ? std::numeric_limits<double>::infinity() : reference.times.back();
    const double counted_before = end - spike_window;
    double deviation = 0, first = 0;
    long first_cells = 0;
    for (std::size_t cell = 0; cell < reference.spikes.size(); ++cell) {
        const auto& ref = reference.spikes[cell];
        const auto& got = run.spikes[cell];
        const TrainComparison c = compare_trains(ref, got, spike_window, counted_before);
        e.reference_spikes += static_cast<long>(ref.size());
        e.matched += c.matched;
        e.missed += c.missed;
        e.extra += c.extra;
        deviation += c.deviation;
        if (!ref.empty() && !got.empty()) {
            first += std::abs(got.front() - ref.front());
            ++first_cells;
        } else if (!ref.empty() || !got.empty()) {
            // The other run's first spike lies past the end: at least this far off.
            const double only = ref.empty() ? got.front() : ref.front();
            if (only < counted_before) {
                ++e.first_spike_missing;
                first += end - only;
                ++first_cells;
            }
        }
    }
    if (e.matched > 0) e.spike_time = deviation / static_cast<double>(e.matched);
    if (first_cells > 0) e.first_spike = first / static_cast<double>(first_cells);
    return e;
}

std::vector<std::string> configuration_names()
{
    std::vector<std::string> names;
    for (const Method m : cvode_methods)
        for (const SolverVariant& v : solver_variants)
            names.push_back(std::string(to_string(m)) + "/" + std::string(v.suffix));
    for (const Method m : fixed_methods) names.emplace_back(to_string(m));
    return names;
}

Configuration configuration(std::string_view name, std::string_view field)
{
    const auto unknown = [&] {
        std::string known;
        for (const std::string& n : configuration_names()) known += (known.empty() ? "" : ", ") + n;
        return invalid_parameter(std::string(field),
                                 "unknown method '" + std::string(name) + "' (expected one of: " + known + ")");
    };
    Configuration c;
    c.name = std::string(name);
    const std::size_t slash = name.find('/');
    for (const Method m : cvode_methods) {
        if (slash == std::string_view::npos || name.substr(0, slash) != to_string(m)) continue;
        for (const SolverVariant& v : solver_variants) {
            if (name.substr(slash + 1) != v.suffix) continue;
            c.options.method = m;
            c.options.linear_solver = v.solver;
            c.options.use_preconditioner = v.preconditioner;
            c.jacobi = v.jacobi;
            return c;
        }
    }
    for (const Method m : fixed_methods)
        if (name == to_string(m)) {
            c.options.method = m;
            return c;
        }
    throw unknown();
}

// ---------------------------------------------------------------------------------------------------

RunContext::RunContext(Configuration configuration, SolverOptions options, clock::time_point deadline,
                       std::size_t matrix_limit_bytes)
    : configuration_(std::move(configuration)),
      options_(std::move(options)),
      deadline_(deadline),
      matrix_limit_bytes_(matrix_limit_bytes)
{
}

RunContext::~RunContext() = default;

OdeSystem& RunContext::system(OdeSystem& model)
{
    const double n = static_cast<double>(model.size());
    const JacobianKind jacobian = model.jacobian_kind();
    const Method m = options_.method;
    // Methods that form an n x n matrix: CVODE's dense solver, and the fixed-step methods that take
    // the Jacobian (its diagonal, or I - gamma dt J) from a model whose Jacobian is dense.
    const bool dense_matrix =
        (is_cvode(m) && options_.linear_solver == LinearSolver::dense) ||
        (jacobian == JacobianKind::dense &&
         (m == Method::exponential_euler || m == Method::backward_euler || m == Method::crank_nicolson));
    const double limit = static_cast<double>(matrix_limit_bytes_);
    if (dense_matrix && 8.0 * n * n > limit)
        throw not_applicable("the dense " + std::to_string(model.size()) + " x " + std::to_string(model.size()) +
                             " matrix takes " + megabytes(8.0 * n * n) + ", over the limit of " + megabytes(limit));
    if (is_cvode(m) && options_.linear_solver == LinearSolver::banded && jacobian == JacobianKind::sparse) {
        const auto [upper, lower] = bandwidths(model.sparsity());
        // CVODE's band matrix stores upper + 2 lower + 1 diagonals (room for the LU's fill).
        const double band_bytes = 8.0 * n * static_cast<double>(upper + 2 * lower + 1);
        if (band_bytes > limit)
            throw not_applicable("the band matrix (bandwidths " + std::to_string(upper) + " and " +
                                 std::to_string(lower) + ") takes " + megabytes(band_bytes) + ", over the limit of " +
                                 megabytes(limit));
    }
    try {
        OdeSystem* system = &model;
        if (configuration_.jacobi) {
            wrappers_.push_back(std::make_unique<JacobiPreconditioned>(model));
            system = wrappers_.back().get();
        } else if (options_.use_preconditioner && !model.has_preconditioner()) {
            throw not_applicable("the model provides no preconditioner of its own (gmres+jacobi adds one)");
        }
        options_.validate(*system);
        return *system;
    } catch (const invalid_parameter& e) {
        throw not_applicable(e.what());
    }
}

void RunContext::watch(Simulation& simulation, double interval) const
{
    const clock::time_point deadline = deadline_;
    const clock::time_point start = clock::now();
    simulation.add_probe(Probe::derived(
        "wall_clock_budget",
        [deadline, start](double t, std::span<const double>, std::span<double> out) {
            const clock::time_point now = clock::now();
            if (now > deadline)
                throw budget_exceeded("stopped at t = " + number(t) + " after the run's wall-clock budget");
            out[0] = std::chrono::duration<double>(now - start).count();
        },
        1, "s", interval));
}

// ---------------------------------------------------------------------------------------------------

void Problem::validate() const
{
    require(!name.empty() &&
                std::all_of(name.begin(), name.end(),
                            [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }),
            "name", "must be non-empty letters, digits, '-' or '_', got '" + name + "'");
    require(static_cast<bool>(run), "run", "must be set");
    require(size > 0, "size", "must be > 0 (the model's state variables)");
    require(std::isfinite(spike_window) && spike_window > 0, "spike_window", "must be finite and > 0");
    configuration(reference_configuration, "reference_configuration");
    require(std::isfinite(reference_setting) && reference_setting > 0, "reference_setting", "must be finite and > 0");
    for (std::size_t i = 0; i < atol_ratio.size(); ++i)
        require(std::isfinite(atol_ratio[i]) && atol_ratio[i] > 0, "atol_ratio[" + std::to_string(i) + "]",
                "must be finite and > 0");
    require(atol_ratio.empty() || atol_ratio.size() == size, "atol_ratio",
            "must be empty or have one entry per state variable (" + std::to_string(size) + ")");
    require(max_steps > 0, "max_steps", "must be > 0");
    require(!configurations.empty(), "configurations", "must name at least one method");
    for (std::size_t i = 0; i < configurations.size(); ++i)
        configuration(configurations[i], "configurations[" + std::to_string(i) + "]");
    require(strictly_decreasing_positive(tolerances) && (tolerances.empty() || tolerances.front() < 1), "tolerances",
            "must be in (0, 1) and strictly decreasing (loosest first)");
    require(strictly_decreasing_positive(steps), "steps", "must be > 0 and strictly decreasing (largest first)");
    require(!tolerances.empty() || !steps.empty(), "tolerances", "a problem needs a tolerance or a step-size ladder");
    require(!accuracy_levels.empty() && strictly_decreasing_positive(accuracy_levels), "accuracy_levels",
            "must be non-empty, > 0 and strictly decreasing (loosest first)");
}

void MeasureOptions::validate() const
{
    require(repeats > 0, "repeats", "must be > 0");
    require(std::isfinite(repeat_below) && repeat_below >= 0, "repeat_below", "must be finite and >= 0 [s]");
    require(std::isfinite(budget) && budget > 0, "budget", "must be finite and > 0 [s]");
    require(matrix_limit_bytes > 0, "matrix_limit_bytes", "must be > 0");
    for (std::size_t i = 0; i < configurations.size(); ++i)
        configuration(configurations[i], "configurations[" + std::to_string(i) + "]");
}

std::string_view to_string(RunStatus status)
{
    switch (status) {
        case RunStatus::ok: return "ok";
        case RunStatus::failed: return "failed";
        case RunStatus::over_budget: return "over_budget";
        case RunStatus::not_applicable: return "not_applicable";
        case RunStatus::skipped: return "skipped";
    }
    throw logic_error("RunStatus without a name");
}

std::vector<Advice> fastest_per_level(std::span<const Measurement> measurements, std::span<const double> levels)
{
    std::vector<Advice> advice;
    for (const double level : levels) {
        Advice a{level, std::nullopt};
        for (std::size_t k = 0; k < measurements.size(); ++k) {
            const Measurement& m = measurements[k];
            if (m.status != RunStatus::ok || !m.complete || !(m.error <= level)) continue;
            if (!a.measurement || m.wall_median < measurements[*a.measurement].wall_median) a.measurement = k;
        }
        advice.push_back(a);
    }
    return advice;
}

// ---------------------------------------------------------------------------------------------------

ProblemResult measure(const Problem& problem, const MeasureOptions& options, const MeasureProgress& progress)
{
    problem.validate();
    options.validate();
    const clock::time_point begin = clock::now();
    ProblemResult result;
    result.problem = problem;

    // The reference: no budget, no memory limit (it is the one run that must finish).
    {
        const Configuration c = configuration(problem.reference_configuration, "reference_configuration");
        RunContext context(c, with_setting(c, problem, problem.reference_setting), clock::time_point::max(),
                           std::numeric_limits<std::size_t>::max());
        const clock::time_point start = clock::now();
        result.reference = problem.run(context);
        result.reference_wall = std::chrono::duration<double>(clock::now() - start).count();
    }

    const std::vector<std::string>& names =
        options.configurations.empty() ? problem.configurations : options.configurations;
    for (const std::string& name : names) {
        const Configuration c = configuration(name);
        const std::vector<double>& ladder = c.varies_tolerance() ? problem.tolerances : problem.steps;
        const auto record = [&](Measurement m) {
            result.measurements.push_back(std::move(m));
            if (progress) progress(problem, result.measurements.back());
        };
        if (ladder.empty()) {
            record(inapplicable(name, c.varies_tolerance() ? "the problem has no tolerance ladder"
                                                           : "the problem has no step-size ladder"));
            continue;
        }
        std::string ended;  // why the rest of the ladder is skipped
        for (const double setting : ladder) {
            Measurement m;
            m.configuration = name;
            m.setting = setting;
            if (!ended.empty()) {
                m.status = RunStatus::skipped;
                m.message = ended;
                record(std::move(m));
                continue;
            }
            const SolverOptions solver = with_setting(c, problem, setting);
            const std::string label = (c.varies_tolerance() ? "rtol " : "dt ") + number(setting);
            Trajectory got;
            try {
                const bool per_run = reset_peak_memory();
                m.base_rss_bytes = bytes(status_kib("VmRSS"));
                const clock::time_point start = clock::now();
                RunContext context(
                    c, solver,
                    start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(options.budget)),
                    options.matrix_limit_bytes);
                got = problem.run(context);
                m.wall_seconds.push_back(std::chrono::duration<double>(clock::now() - start).count());
                m.peak_rss_bytes = per_run ? bytes(status_kib("VmHWM")) : lifetime_peak_rss();
            } catch (const not_applicable& e) {
                record(inapplicable(name, e.what()));
                break;
            } catch (const budget_exceeded& e) {
                m.status = RunStatus::over_budget;
                m.message = e.what();
                ended = "finer than " + label + ", which ran past the budget";
            } catch (const solver_error& e) {
                m.status = RunStatus::failed;
                m.message = e.what();
                if (c.varies_tolerance()) ended = "tighter than " + label + ", which failed";
            }
            if (m.status == RunStatus::ok) {
                m.summary = got.summary;
                m.errors = compare(got, result.reference, problem.spike_window);
                m.error = m.errors.value(problem.measure);
                m.complete = m.errors.complete(problem.measure);
                // Repeats time the same run again; a repeat that meets the budget ends them.
                while (m.wall_seconds.size() < options.repeats && m.wall_seconds.front() < options.repeat_below) {
                    const clock::time_point start = clock::now();
                    RunContext context(c, solver,
                                       start + std::chrono::duration_cast<clock::duration>(
                                                   std::chrono::duration<double>(options.budget)),
                                       options.matrix_limit_bytes);
                    try {
                        problem.run(context);
                    } catch (const budget_exceeded&) {
                        break;
                    }
                    m.wall_seconds.push_back(std::chrono::duration<double>(clock::now() - start).count());
                }
                std::vector<double> sorted = m.wall_seconds;
                std::sort(sorted.begin(), sorted.end());
                const std::size_t half = sorted.size() / 2;
                m.wall_median = sorted.size() % 2 ? sorted[half] : 0.5 * (sorted[half - 1] + sorted[half]);
            }
            record(std::move(m));
        }
    }
    result.advice = fastest_per_level(result.measurements, problem.accuracy_levels);
    result.total_seconds = std::chrono::duration<double>(clock::now() - begin).count();
    return result;
}

// ---------------------------------------------------------------------------------------------------

MachineDescription machine_description()
{
    MachineDescription d;
    const auto first_line_with = [](const char* file, const std::string& key) {
        std::ifstream in(file);
        std::string line;
        while (std::getline(in, line))
            if (line.compare(0, key.size(), key) == 0) {
                const std::size_t colon = line.find(':');
                std::string value = colon == std::string::npos ? line : line.substr(colon + 1);
                value.erase(0, value.find_first_not_of(" \t"));
                return value;
            }
        return std::string("unknown");
    };
    d.emplace_back("cpu", first_line_with("/proc/cpuinfo", "model name"));
    d.emplace_back("cores", std::to_string(std::thread::hardware_concurrency()));
    d.emplace_back("memory", first_line_with("/proc/meminfo", "MemTotal"));
    utsname u{};
    d.emplace_back("os", uname(&u) == 0 ? std::string(u.sysname) + " " + u.release + " " + u.machine : "unknown");
    std::string load;
    std::getline(std::ifstream("/proc/loadavg") >> std::ws, load);
    d.emplace_back("load_average", load.empty() ? "unknown" : load);
#if defined(__clang__)
    d.emplace_back("compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
    d.emplace_back("compiler", "g++ " __VERSION__);
#else
    d.emplace_back("compiler", "unknown");
#endif
#if defined(NDEBUG) && defined(__OPTIMIZE__)
    d.emplace_back("build", "optimised, NDEBUG (Release)");
#else
    d.emplace_back("build", "assertions or no optimisation (not Release): times are not representative");
#endif
    d.emplace_back("neurode_version", std::string(version()));
    d.emplace_back("peak_memory", reset_peak_memory()
                                      ? "per run (VmHWM, reset through /proc/self/clear_refs)"
                                      : "process peak so far (getrusage; /proc/self/clear_refs refused)");
    char date[32];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &utc);
    d.emplace_back("date", date);
    return d;
}

namespace {

std::string with_unit(double value, const std::string& unit)
{
    return unit.empty() ? number(value) : number(value) + " " + unit;
}

std::string setting_text(const Problem& p, const std::string& configuration_name, double setting)
{
    return configuration(configuration_name).varies_tolerance() ? "rtol " + number(setting)
                                                                : "dt " + number(setting) + " " + p.time_unit;
}

std::string seconds_text(double s)
{
    return s < 1 ? number(1e3 * s) + " ms" : number(s) + " s";
}

std::string measure_text(const Problem& p)
{
    switch (p.measure) {
        case ErrorMeasure::relative_l2: return "relative L2 error of the sampled trajectory";
        case ErrorMeasure::rms: return "RMS error of the sampled trajectory [" + p.error_unit + "]";
        case ErrorMeasure::spike_time:
            return "spike-time error [" + p.error_unit + "] (mean over matched spikes; no spike missed or extra)";
        case ErrorMeasure::first_spike:
            return "first-spike error [" + p.error_unit +
                   "] (mean over cells; a first spike in one run only counts its distance to the end)";
    }
    throw logic_error("ErrorMeasure without a description");
}

}  // namespace

std::string advice_markdown(std::span<const ProblemResult> results)
{
    std::ostringstream s;
    for (const ProblemResult& r : results) {
        const Problem& p = r.problem;
        long counts[5] = {};
        for (const Measurement& m : r.measurements) ++counts[static_cast<int>(m.status)];
        s << "### " << p.name << "\n\n"
          << p.description << " (" << p.size << " state variables). Error: " << measure_text(p)
          << "; reference: " << p.reference_configuration << " at "
          << setting_text(p, p.reference_configuration, p.reference_setting) << " (" << seconds_text(r.reference_wall)
          << "). Runs: " << counts[0] << " ok, " << counts[1] << " failed, " << counts[2] << " over budget, "
          << counts[3] << " not applicable, " << counts[4] << " skipped; " << seconds_text(r.total_seconds)
          << " in all.\n\n";
        s << "| error <= | fastest method | setting | wall time | error | steps | RHS evaluations |\n"
          << "|---|---|---|---:|---:|---:|---:|\n";
        for (const Advice& a : r.advice) {
            s << "| " << with_unit(a.level, p.error_unit) << " | ";
            if (!a.measurement) {
                s << "none measured reaches it | | | | | |\n";
                continue;
            }
            const Measurement& m = r.measurements[*a.measurement];
            s << "`" << m.configuration << "` | " << setting_text(p, m.configuration, m.setting) << " | "
              << seconds_text(m.wall_median) << " | " << with_unit(m.error, p.error_unit) << " | " << m.summary.steps
              << " | " << m.summary.rhs_evaluations + m.summary.jacobian_rhs_evaluations << " |\n";
        }
        s << "\n";
    }
    return s.str();
}

void write_hdf5(h5::Writer& file, std::span<const ProblemResult> results, const MachineDescription& machine)
{
    file.set_attribute("/", "format", "neurode-bench");
    file.set_attribute("/", "format_version", std::int64_t{1});
    for (const auto& [key, value] : machine) file.set_attribute("/", "machine_" + key, value);
    file.create_group("/problems");
    for (const ProblemResult& r : results) {
        const Problem& p = r.problem;
        const std::string g = "/problems/" + p.name;
        file.create_group(g);
        file.set_attribute(g, "description", p.description);
        file.set_attribute(g, "size", static_cast<std::int64_t>(p.size));
        file.set_attribute(g, "measure", to_string(p.measure));
        file.set_attribute(g, "error_unit", p.error_unit);
        file.set_attribute(g, "time_unit", p.time_unit);
        file.set_attribute(g, "spike_window", p.spike_window);
        file.set_attribute(g, "reference_configuration", p.reference_configuration);
        file.set_attribute(g, "reference_setting", p.reference_setting);
        file.set_attribute(g, "reference_wall_s", r.reference_wall);
        file.set_attribute(g, "total_s", r.total_seconds);
        file.write(g + "/accuracy_levels", p.accuracy_levels);
        file.write(g + "/tolerances", p.tolerances);
        file.write(g + "/steps", p.steps);

        const Trajectory& ref = r.reference;
        file.write(g + "/reference/times", ref.times);
        file.write(g + "/reference/values", ref.values, {ref.times.size(), ref.width});
        std::vector<double> spikes;
        std::vector<std::int64_t> offsets{0};
        for (const auto& cell : ref.spikes) {
            spikes.insert(spikes.end(), cell.begin(), cell.end());
            offsets.push_back(static_cast<std::int64_t>(spikes.size()));
        }
        file.write(g + "/reference/spikes", spikes);
        file.write(g + "/reference/spike_offsets", offsets);

        const std::string runs = g + "/runs";
        const auto& ms = r.measurements;
        const auto column = [&](auto get) {
            std::vector<decltype(get(ms.front()))> v;
            for (const Measurement& m : ms) v.push_back(get(m));
            return v;
        };
        file.create_group(runs);
        if (ms.empty()) continue;
        file.write(runs + "/configuration", column([](const Measurement& m) { return m.configuration; }));
        file.write(runs + "/setting", column([](const Measurement& m) { return m.setting; }));
        file.write(runs + "/status", column([](const Measurement& m) { return std::string(to_string(m.status)); }));
        file.write(runs + "/message", column([](const Measurement& m) { return m.message; }));
        file.write(runs + "/error", column([](const Measurement& m) { return m.error; }));
        file.write(runs + "/complete", column([](const Measurement& m) { return std::int64_t{m.complete}; }));
        file.write(runs + "/wall_median_s", column([](const Measurement& m) { return m.wall_median; }));
        file.write(runs + "/repeats",
                   column([](const Measurement& m) { return static_cast<std::int64_t>(m.wall_seconds.size()); }));
        std::size_t most = 1;
        for (const Measurement& m : ms) most = std::max(most, m.wall_seconds.size());
        std::vector<double> walls(ms.size() * most, Errors::none);
        for (std::size_t k = 0; k < ms.size(); ++k)
            std::copy(ms[k].wall_seconds.begin(), ms[k].wall_seconds.end(),
                      walls.begin() + static_cast<std::ptrdiff_t>(k * most));
        file.write(runs + "/wall_s", walls, {ms.size(), most});
        file.write(runs + "/integrator_wall_s", column([](const Measurement& m) { return m.summary.wall_seconds; }));
        file.write(runs + "/peak_rss_bytes", column([](const Measurement& m) { return m.peak_rss_bytes; }));
        file.write(runs + "/base_rss_bytes", column([](const Measurement& m) { return m.base_rss_bytes; }));
        file.write(runs + "/errors/relative_l2", column([](const Measurement& m) { return m.errors.relative_l2; }));
        file.write(runs + "/errors/rms", column([](const Measurement& m) { return m.errors.rms; }));
        file.write(runs + "/errors/max_abs", column([](const Measurement& m) { return m.errors.max_abs; }));
        file.write(runs + "/errors/spike_time", column([](const Measurement& m) { return m.errors.spike_time; }));
        file.write(runs + "/errors/first_spike", column([](const Measurement& m) { return m.errors.first_spike; }));
        file.write(runs + "/errors/reference_spikes",
                   column([](const Measurement& m) { return std::int64_t{m.errors.reference_spikes}; }));
        file.write(runs + "/errors/matched",
                   column([](const Measurement& m) { return std::int64_t{m.errors.matched}; }));
        file.write(runs + "/errors/missed", column([](const Measurement& m) { return std::int64_t{m.errors.missed}; }));
        file.write(runs + "/errors/extra", column([](const Measurement& m) { return std::int64_t{m.errors.extra}; }));
        file.write(runs + "/errors/first_spike_missing",
                   column([](const Measurement& m) { return std::int64_t{m.errors.first_spike_missing}; }));
        for (const RunSummary::Counter& c : RunSummary::counters()) {
            std::vector<std::int64_t> v;
            for (const Measurement& m : ms) v.push_back(m.summary.*c.field);
            file.write(runs + "/counters/" + c.name, v);
        }

        std::vector<double> levels, settings, walls_best, errors;
        std::vector<std::int64_t> index;
        std::vector<std::string> names;
        for (const Advice& a : r.advice) {
            levels.push_back(a.level);
            index.push_back(a.measurement ? static_cast<std::int64_t>(*a.measurement) : -1);
            names.push_back(a.measurement ? ms[*a.measurement].configuration : "");
            settings.push_back(a.measurement ? ms[*a.measurement].setting : Errors::none);
            walls_best.push_back(a.measurement ? ms[*a.measurement].wall_median : Errors::none);
            errors.push_back(a.measurement ? ms[*a.measurement].error : Errors::none);
        }
        file.write(g + "/advice/level", levels);
        file.write(g + "/advice/measurement", index);
        file.write(g + "/advice/configuration", names);
        file.write(g + "/advice/setting", settings);
        file.write(g + "/advice/wall_median_s", walls_best);
        file.write(g + "/advice/error", errors);
    }
}

}  // namespace neurode::sim::bench
