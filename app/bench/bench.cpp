#include "bench/bench.hpp"

#include "output_files.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>

#include <neurode/neurons/populations.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/text_file.hpp>

namespace neurode::app::bench {

namespace sb = neurode::sim::bench;

namespace {

constexpr std::size_t default_repeats = 3, quick_repeats = 1;
constexpr double default_budget = 15.0, quick_budget = 5.0;  // [s]

std::string number(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", v);
    return buffer;
}

std::string progress_line(const sb::Problem& p, const sb::Measurement& m)
{
    std::string line = "  " + p.name + "  " + m.configuration;
    if (std::isfinite(m.setting))
        line += sb::configuration(m.configuration).varies_tolerance() ? "  rtol " + number(m.setting)
                                                                      : "  dt " + number(m.setting);
    line += "  " + std::string(sb::to_string(m.status));
    if (m.status == sb::RunStatus::ok) {
        line += "  error " + number(m.error) + (p.error_unit.empty() ? "" : " " + p.error_unit);
        if (!m.complete) {
            if (p.measure == sb::ErrorMeasure::spike_time)
                line += " (" + std::to_string(m.errors.missed) + " spikes missed, " + std::to_string(m.errors.extra) +
                        " extra)";
            else
                line += " (not finite)";
        }
        if (p.measure == sb::ErrorMeasure::first_spike && m.errors.first_spike_missing > 0)
            line += " (" + std::to_string(m.errors.first_spike_missing) + " cells' first spike in one run only)";
        line += "  " + number(m.wall_median) + " s  steps " + std::to_string(m.summary.steps);
    } else if (m.status != sb::RunStatus::skipped) {
        line += ": " + m.message;
    }
    return line;
}

std::string file_stem_name(const std::string& path)
{
    std::string name = std::filesystem::path(path).stem().string();
    for (char& c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) c = '_';
    return name.empty() ? "model" : name;
}

}  // namespace

void BenchOptions::validate() const
{
    if (problems.empty() && models.empty())
        throw invalid_parameter("problems",
                                "name at least one problem (see `neurode bench --list`), 'all', or a --model file");
    for (std::size_t i = 0; i < methods.size(); ++i)
        sb::configuration(methods[i], "methods[" + std::to_string(i) + "]");
    if (!(std::isfinite(model_duration) && model_duration > 0))
        throw invalid_parameter("duration", "must be finite and > 0 ms, got " + number(model_duration));
    sb::parse_error_measure(model_measure, "measure");
    if (repeats && *repeats == 0) throw invalid_parameter("repeats", "must be > 0");
    if (budget && !(std::isfinite(*budget) && *budget > 0))
        throw invalid_parameter("budget", "must be finite and > 0 s");
    if (output.empty()) throw invalid_parameter("output", "must name a file");
}

int list_problems(const Registry& registry, std::ostream& out)
{
    out << "problems (neurode bench PROBLEM... | all):\n";
    for (const std::string& name : registry.names()) {
        char line[64];
        std::snprintf(line, sizeof line, "  %-18s ", name.c_str());
        out << line << registry.summary(name) << "\n";
    }
    out << "methods (--methods a,b,...):\n ";
    for (const std::string& name : sb::configuration_names()) out << " " << name;
    out << "\nA network description file (neurode's JSON) becomes a problem with --model FILE.\n";
    return 0;
}

int run_bench(const Registry& registry, const BenchOptions& options, std::ostream& out)
{
    options.validate();
    const Mode mode{options.quick};
    std::vector<std::string> names;
    for (const std::string& name : options.problems) {
        if (name == "all") {
            for (const std::string& n : registry.names()) names.push_back(n);
        } else {
            registry.summary(name);  // unknown names fail before anything runs
            names.push_back(name);
        }
    }
    std::vector<sb::Problem> problems;
    for (const std::string& name : names) problems.push_back(registry.make(name, mode));
    for (const std::string& file : options.models) {
        auto description = std::make_shared<const neurons::NetworkDescription>(neurons::load_json(file));
        NetworkProblemOptions o;
        o.duration = options.model_duration;
        o.measure = sb::parse_error_measure(options.model_measure, "measure");
        std::size_t cells = 0;
        for (const neurons::Population& p : description->populations) cells += p.size;
        problems.push_back(network_problem(
            file_stem_name(file),
            "network description " + file + ": " + std::to_string(cells) + " cells, " + number(o.duration) + " ms",
            description, o, mode));
    }
    for (std::size_t i = 0; i < problems.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (problems[i].name == problems[j].name)
                throw invalid_parameter("problems", "'" + problems[i].name + "' is named twice");

    sb::MeasureOptions measure;
    measure.repeats = options.repeats.value_or(options.quick ? quick_repeats : default_repeats);
    measure.budget = options.budget.value_or(options.quick ? quick_budget : default_budget);
    measure.configurations = options.methods;

    // A problem that cannot be measured (its reference failed, a model raised an error) is
    // reported and the others go on: a long suite keeps what it measured.
    const sb::MachineDescription machine = sb::machine_description();
    std::vector<sb::ProblemResult> results;
    std::vector<std::string> failures;
    for (const sb::Problem& problem : problems) {
        out << problem.name << ": " << problem.description << "\n" << std::flush;
        try {
            results.push_back(sb::measure(problem, measure, [&out](const sb::Problem& p, const sb::Measurement& m) {
                out << progress_line(p, m) << "\n" << std::flush;
            }));
        } catch (const runtime_error& e) {
            failures.push_back(problem.name + ": " + e.what());
            out << "  not measured: " << e.what() << "\n" << std::flush;
            continue;
        }
        out << "  reference " << problem.reference_configuration << " " << number(results.back().reference_wall)
            << " s; " << number(results.back().total_seconds) << " s in all\n"
            << std::flush;
    }

    // The load average when the measurements end, beside the one at their start: another
    // process that shared the machine meanwhile shows in it.
    std::string load_at_end = "unknown";
    for (const auto& [key, value] : sb::machine_description())
        if (key == "load_average") load_at_end = value;

    const std::filesystem::path output = options.output;
    sim::h5::Writer file(output);
    file.set_attribute("/", "command", options.command);
    file.set_attribute("/", "load_average_end", load_at_end);
    file.set_attribute("/", "quick", std::int64_t{options.quick});
    file.set_attribute("/", "repeats", static_cast<std::int64_t>(measure.repeats));
    file.set_attribute("/", "repeat_below_s", measure.repeat_below);
    file.set_attribute("/", "budget_s", measure.budget);
    sb::write_hdf5(file, results, machine);

    std::string report = "# neurode bench\n\n`" + options.command + "`\n\nMachine:";
    for (const auto& [key, value] : machine) report += " " + key + " = " + value + ";";
    report += " load_average at the end = " + load_at_end + ".\n\n";
    if (options.quick) report += "**--quick: a smoke test (short runs, two settings per ladder); not advice.**\n\n";
    report += sb::advice_markdown(results);
    for (const std::string& f : failures) report += "Not measured: " + f + "\n\n";
    const std::filesystem::path report_file = beside(output, ".md");
    sim::write_text_file_atomically(report_file, report, "the report");
    file.commit();
    out << "\n"
        << sb::advice_markdown(results) << "wrote " << output.string() << " and " << report_file.string() << "\n";

    if (options.figures) draw_figures("plot_bench.py", output, out);
    for (const std::string& f : failures) out << "not measured: " << f << "\n";
    return failures.empty() ? 0 : 1;
}

}  // namespace neurode::app::bench
