// `neurode`: the command-line face of the library. With no arguments it runs the main job on its
// embedded default configuration.

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/version.hpp>

#include "demo.hpp"
#include "tasks.hpp"

namespace {
std::string read_file(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw neurode::io_error(path, "cannot open the configuration file");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"neurode: stiff-ODE simulation of rate and biophysical neural networks.\n"
                 "Run without arguments for the main job on its embedded default configuration."};
    app.set_version_flag("--version", std::string("neurode ") + std::string(neurode::version()));
    app.require_subcommand(0, 1);

    std::string config_path, output;
    bool print_config = false;
    auto* demo = app.add_subcommand("demo", "Passive-cable demo: CVODE + KLU against the cable equation's closed form");
    demo->add_option("-c,--config", config_path, "JSON configuration (default: the embedded one)")->check(CLI::ExistingFile);
    demo->add_option("-o,--output", output, "HDF5 file to write (overrides the configuration's \"output\")");
    demo->add_flag("--print-config", print_config, "Print the embedded default configuration and exit");

    app.add_subcommand("tasks", "List the cognitive task library by family");
    std::string task_name, trials_output = "neurode-trials.h5";
    std::size_t trial_count = 16;
    std::uint64_t seed = 1;
    auto* trials = app.add_subcommand("trials", "Write a batch of trials of one task to HDF5");
    trials->add_option("task", task_name, "Task name (see `neurode tasks`)")->required();
    trials->add_option("-n,--trials", trial_count, "Number of trials")->check(CLI::PositiveNumber);
    trials->add_option("-s,--seed", seed, "Random seed");
    trials->add_option("-o,--output", trials_output, "HDF5 file to write");

    CLI11_PARSE(app, argc, argv);

    try {
        if (app.got_subcommand("tasks")) return neurode::app::list_tasks(std::cout);
        if (app.got_subcommand("trials"))
            return neurode::app::write_trials(task_name, trial_count, seed, trials_output, std::cout);
        if (print_config) {
            std::cout << neurode::app::demo_default_config() << "\n";
            return 0;
        }
        const bool from_file = !config_path.empty();
        const std::string text = from_file ? read_file(config_path) : neurode::app::demo_default_config();
        return neurode::app::run_demo(text, from_file ? config_path : "embedded configuration", output, std::cout);
    } catch (const neurode::runtime_error& e) {
        std::cerr << "neurode: error: " << e.what() << "\n";
        return 1;
    }
}
