// `neurode`: the command-line face of the library. With no arguments it runs the main job, the
// working-memory comparison (`neurode wm`), on its embedded default configuration.

#include <CLI/CLI.hpp>

#include <iostream>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/text_file.hpp>
#include <neurode/sim/version.hpp>

#include "bench/bench.hpp"
#include "demo.hpp"
#include "sweep/command.hpp"
#include "sweep/description.hpp"
#include "tasks.hpp"
#include "wm/study.hpp"


int main(int argc, char** argv)
{
    CLI::App app{"neurode: stiff-ODE simulation of rate and biophysical neural networks.\n"
                 "Run without arguments for the main job (`neurode wm`) on its embedded default configuration."};
    app.set_version_flag("--version", std::string("neurode ") + std::string(neurode::version()));
    app.require_subcommand(0, 1);

    std::string config_path, output;
    bool print_config = false;
    auto* demo = app.add_subcommand("demo", "Passive-cable demo: CVODE + KLU against the cable equation's closed form");
    demo->add_option("-c,--config", config_path, "JSON configuration (default: the embedded one)")->check(CLI::ExistingFile);
    demo->add_option("-o,--output", output, "HDF5 file to write (overrides the configuration's \"output\")");
    demo->add_flag("--print-config", print_config, "Print the embedded default configuration and exit");

    std::string wm_config, wm_output;
    bool wm_full = false, wm_print = false;
    std::size_t wm_threads = 0;
    auto* wm = app.add_subcommand("wm", "The working-memory comparison: biophysical reservoir (4 cue conditions) vs rate RNNs");
    wm->add_option("-c,--config", wm_config, "JSON configuration (default: the embedded one)")->check(CLI::ExistingFile);
    wm->add_flag("--full", wm_full, "The full-size study (search per condition, 5 networks each; hours on 2 cores)");
    wm->add_option("-o,--output", wm_output, "HDF5 results file (overrides the configuration's \"output\")");
    wm->add_option("-t,--threads", wm_threads, "Threads (overrides the configuration's \"threads\"; 0: all cores)");
    wm->add_flag("--print-config", wm_print, "Print the configuration that would run (embedded or --full) and exit");
    wm->get_option("--config")->excludes(wm->get_option("--full"));

    app.add_subcommand("tasks", "List the cognitive task library by family");
    std::string task_name, trials_output = "neurode-trials.h5";
    std::size_t trial_count = 16;
    std::uint64_t seed = 1;
    auto* trials = app.add_subcommand("trials", "Write a batch of trials of one task to HDF5");
    trials->add_option("task", task_name, "Task name (see `neurode tasks`)")->required();
    trials->add_option("-n,--trials", trial_count, "Number of trials")->check(CLI::PositiveNumber);
    trials->add_option("-s,--seed", seed, "Random seed");
    trials->add_option("-o,--output", trials_output, "HDF5 file to write");

    namespace bench_ns = neurode::app::bench;
    bench_ns::BenchOptions bench_options;
    bool bench_list = false, bench_no_figures = false;
    std::size_t bench_repeats = 0;
    double bench_budget = 0;
    auto* bench = app.add_subcommand("bench", "Work-precision diagrams: error against cost of every integrator, linear solver "
                                              "and tolerance on a model, and the fastest method per accuracy level");
    bench->add_option("problems", bench_options.problems, "Problems (see --list), or 'all'");
    bench->add_flag("--list", bench_list, "List the problems and the methods, and exit");
    bench->add_option("--methods", bench_options.methods, "Methods to measure, comma-separated (default: each problem's own)")
        ->delimiter(',');
    bench->add_flag("--quick", bench_options.quick, "Smoke test: short runs, two settings per ladder, three methods, one repeat");
    bench->add_option("--model", bench_options.models, "A network description (neurode's JSON) to measure as a problem")
        ->check(CLI::ExistingFile);
    bench->add_option("--duration", bench_options.model_duration, "[ms] simulated time of each --model (default 200)");
    bench->add_option("--measure", bench_options.model_measure,
                      "Error measure of each --model: first_spike (default), spike_time, rms or relative_l2");
    bench->add_option("--repeats", bench_repeats, "Wall time is the median of this many runs (default 3; --quick 1)");
    bench->add_option("--budget", bench_budget, "[s] a run still going after this is stopped (default 15; --quick 5)");
    bench->add_option("-o,--output", bench_options.output, "HDF5 file to write; the report and figures go beside it");
    bench->add_flag("--no-figures", bench_no_figures, "Do not draw the PNG diagrams");

    neurode::app::sweep::SweepCommand sweep_command;
    bool sweep_example = false, sweep_no_figures = false;
    auto* sweep = app.add_subcommand("sweep", "Run a sweep file: train, evaluate, perturb and analyse a network per point, "
                                              "resumable, over threads, --shard i/K or mpirun ranks");
    sweep->add_option("file", sweep_command.file, "The sweep description (JSON; see --print-example)")->check(CLI::ExistingFile);
    sweep->add_option("-o,--output", sweep_command.output, "Directory of the records (default: <name>-sweep)");
    sweep->add_option("-t,--threads", sweep_command.threads, "Points at once in this process (0: one per core; default 1)");
    sweep->add_option("--shard", sweep_command.shard, "i/K: run only the points whose index mod K is i (array jobs)");
    sweep->add_flag("--validate", sweep_command.validate_only, "Check the file, print the number of points, and exit");
    sweep->add_flag("--report", sweep_command.report_only, "Only gather the records that exist into the report");
    sweep->add_flag("--no-figures", sweep_no_figures, "Do not draw the PNG figures");
    sweep->add_flag("--print-example", sweep_example, "Print a small sweep file and exit");

    CLI11_PARSE(app, argc, argv);

    try {
        if (app.got_subcommand("bench")) {
            const bench_ns::Registry registry = bench_ns::Registry::builtin();
            if (bench_list) return bench_ns::list_problems(registry, std::cout);
            if (bench->count("--repeats")) bench_options.repeats = bench_repeats;
            if (bench->count("--budget")) bench_options.budget = bench_budget;
            bench_options.figures = !bench_no_figures;
            for (int k = 0; k < argc; ++k) bench_options.command += (k ? " " : "") + std::string(argv[k]);
            return bench_ns::run_bench(registry, bench_options, std::cout);
        }
        if (app.got_subcommand("sweep")) {
            if (sweep_example) {
                std::cout << neurode::app::sweep::example_sweep();
                return 0;
            }
            if (sweep_command.file.empty()) throw neurode::invalid_parameter("file", "sweep needs a sweep file (see --print-example)");
            sweep_command.figures = !sweep_no_figures;
            return neurode::app::sweep::run_sweep_command(sweep_command, std::cout);
        }
        if (app.got_subcommand("tasks")) return neurode::app::list_tasks(std::cout);
        if (app.got_subcommand("trials"))
            return neurode::app::write_trials(task_name, trial_count, seed, trials_output, std::cout);
        if (app.got_subcommand("demo")) {
            if (print_config) {
                std::cout << neurode::app::demo_default_config() << "\n";
                return 0;
            }
            const bool from_file = !config_path.empty();
            const std::string text = from_file ? neurode::sim::read_text_file(config_path, "the configuration file") : neurode::app::demo_default_config();
            return neurode::app::run_demo(text, from_file ? config_path : "embedded configuration", output, std::cout);
        }
        namespace wm_ns = neurode::app::wm;
        const std::string text = !wm_config.empty() ? neurode::sim::read_text_file(wm_config, "the configuration file")
                                 : wm_full           ? wm_ns::study_full_config()
                                                     : wm_ns::study_default_config();
        if (wm_print) {
            std::cout << text << "\n";
            return 0;
        }
        wm_ns::StudyConfig config = wm_ns::parse_study_config(text, wm_config.empty() ? "embedded configuration" : wm_config);
        if (!wm_output.empty()) config.output = wm_output;
        if (wm->count("--threads")) config.threads = wm_threads;
        return wm_ns::run_study(config, text, std::cout);
    } catch (const neurode::runtime_error& e) {
        std::cerr << "neurode: error: " << e.what() << "\n";
        return 1;
    }
}
