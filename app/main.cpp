// `neurode`: the command-line face of the library. With no arguments it runs the main job on its
// embedded default configuration.

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/version.hpp>

#include "demo.hpp"

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

    CLI11_PARSE(app, argc, argv);

    try {
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
