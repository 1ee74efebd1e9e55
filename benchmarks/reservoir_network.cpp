// The reference reservoir network (neurons/reservoir.hpp: 50 E cells of 16 compartments, 25 I
// cells, kinetic AMPA/GABA-A synapses on soma and distal tip, one Poisson train per cell) on
// neurode's integrators, for the side-by-side comparison with NEURON
// (benchmarks/reservoir_vs_neuron.sh). Writes into OUT_DIR:
//   network.json      the built network, explicit, for benchmarks/reservoir_neuron.py
//   <label>.json      one file per run: method, dt, median wall time, counters, spike times
// Runs: a fine reference (staggered Crank-Nicolson at dt 0.0025 ms), NEURON's scheme at its
// dt (staggered_euler 0.025 ms), staggered Crank-Nicolson at 0.025/0.05/0.1 ms, CVODE BDF + KLU,
// and trials in parallel (staggered Crank-Nicolson at 0.05 ms, 1 and 2 threads).
// Usage: reservoir_network OUT_DIR [--scale K] [--duration MS] [--repeats R] [--no-reference] [--only LABEL]
//   --scale K: K times the cells (the lattice grows with them), for the size sweep.
//   --only LABEL: just that run (e.g. staggered_euler_0.025), for profiling and the size sweep.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/reservoir.hpp>
#include <neurode/neurons/trials.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;
using nlohmann::json;

namespace {

json location(const nn::Location& l) { return {{"section", l.section}, {"position", l.position}}; }

json cell_type(const nn::CellModel& cell)
{
    json sections = json::array();
    const auto& all = cell.morphology.sections();
    for (const nn::Section& s : all)
        sections.push_back({{"name", s.name},
                            {"region", s.region},
                            {"parent", s.parent < 0 ? json(nullptr) : json(all[static_cast<std::size_t>(s.parent)].name)},
                            {"parent_position", s.parent_position},
                            {"length_um", s.length},
                            {"diameter_um", s.diameter},
                            {"axial_resistivity_ohm_cm", s.axial_resistivity},
                            {"membrane_capacitance_uF_per_cm2", s.membrane_capacitance},
                            {"compartments", s.compartments}});
    json channels = json::array();
    for (const nn::ChannelPlacement& p : cell.channels) {
        const nn::ChannelInfo& info = nn::channel_info(p.channel);
        channels.push_back({{"channel", p.channel},
                            {"region", p.region},
                            {"parameters", nn::resolve_parameters(info, p.parameters, cell.celsius)}});
    }
    return {{"sections", sections},
            {"channels", channels},
            {"initial_voltage_mV", cell.initial_voltage},
            {"spike_detector", location(cell.spike_detectors.at(0))},
            {"spike_threshold_mV", cell.spike_threshold}};
}

// The built network, every synapse and spike explicit, in benchmarks/reservoir_neuron.py's format.
json export_network(const nn::BuiltNetwork& built, const nn::NetworkDescription& d, double duration, double dt)
{
    json types, cells = json::array();
    for (std::size_t p = 0; p < d.populations.size(); ++p) {
        types[d.populations[p].name] = cell_type(d.populations[p].cell);
        for (std::size_t i = 0; i < d.populations[p].size; ++i) cells.push_back(d.populations[p].name);
    }
    json kinetic = json::array();
    for (const nn::KineticSynapse& s : built.model.synapses)
        kinetic.push_back({{"pre_cell", s.pre_cell},
                           {"pre", location(s.pre)},
                           {"post_cell", s.post_cell},
                           {"post", location(s.post)},
                           {"receptor", nn::to_string(s.receptor)},
                           {"conductance_uS", s.conductance},
                           {"alpha", s.parameters.alpha},
                           {"beta", s.parameters.beta},
                           {"reversal_mV", s.parameters.reversal},
                           {"t_max_mM", s.parameters.t_max},
                           {"v_half_mV", s.parameters.v_half},
                           {"v_slope_mV", s.parameters.v_slope},
                           {"magnesium_mM", s.parameters.magnesium}});
    json sources = json::array();
    for (const nn::SpikeSource& s : built.model.spike_sources) sources.push_back(s.times);
    json events = json::array();
    for (const nn::EventSynapse& s : built.model.event_synapses)
        events.push_back({{"source", s.pre_source.value()},
                          {"post_cell", s.post_cell},
                          {"post", location(s.post)},
                          {"receptor", nn::to_string(s.receptor)},
                          {"weight_uS", s.weight},
                          {"delay_ms", s.delay},
                          {"tau1_ms", s.tau1},
                          {"tau2_ms", s.tau2},
                          {"reversal_mV", s.reversal},
                          {"magnesium_mM", s.magnesium}});
    return {{"duration_ms", duration}, {"dt_ms", dt},         {"cell_types", types},          {"cells", cells},
            {"kinetic_synapses", kinetic}, {"spike_sources", sources}, {"event_synapses", events}};
}

void write_json(const std::filesystem::path& path, const json& j)
{
    const auto partial = path.string() + ".partial";
    std::ofstream(partial) << j.dump(1) << "\n";
    std::filesystem::rename(partial, path);
}

struct Run {
    std::string label;
    sim::SolverOptions solver;
    std::size_t trials = 1, threads = 1;
};

// Median wall time over `repeats` runs of `run.trials` trials; spikes and counters of trial 0.
json measure(const nn::NetworkModel& model, const Run& run, double duration, int repeats)
{
    nn::TrialRunOptions o;
    o.trials = run.trials;
    o.threads = run.threads;
    o.duration = duration;
    o.solver = run.solver;
    std::vector<double> walls;
    std::vector<nn::TrialResult> results;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        results = nn::run_trials(model, o);
        walls.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::vector<double> sorted = walls;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    const sim::RunSummary& s = results[0].summary;
    std::size_t spikes = 0;
    for (const auto& cell : results[0].spikes) spikes += cell.size();
    std::printf("%-28s %8.3f s  (%zu trials, %zu threads; %.1f trials/s)  %zu spikes  %s\n", run.label.c_str(), median,
                run.trials, run.threads, static_cast<double>(run.trials) / median, spikes, s.brief().c_str());
    std::fflush(stdout);
    return {{"simulator", "neurode"},
            {"label", run.label},
            {"method", sim::to_string(run.solver.method)},
            {"dt_ms", sim::is_cvode(run.solver.method) ? 0.0 : run.solver.dt},
            {"rtol", run.solver.rtol},
            {"trials", run.trials},
            {"threads", run.threads},
            {"wall_s_median", median},
            {"wall_s", walls},
            {"trials_per_s", static_cast<double>(run.trials) / median},
            {"steps", s.steps},
            {"rhs_evaluations", s.rhs_evaluations},
            {"jacobian_evaluations", s.jacobian_evaluations},
            {"scheduled_events", s.scheduled_events},
            {"spikes", results[0].spikes}};
}

sim::SolverOptions staggered(sim::Method method, double dt)
{
    sim::SolverOptions o;
    o.method = method;
    o.dt = dt;
    return o;
}

}  // namespace

int main(int argc, char** argv)
try {
    if (argc < 2) {
        std::fprintf(stderr, "usage: reservoir_network OUT_DIR [--scale K] [--duration MS] [--repeats R] [--no-reference] "
                             "[--only LABEL]\n");
        return 2;
    }
    const std::filesystem::path out = argv[1];
    std::size_t scale = 1;
    double duration = 1000.0;
    int repeats = 3;
    bool reference = true;
    std::string only;
    for (int k = 2; k < argc; ++k) {
        const auto value = [&] {
            if (k + 1 >= argc) throw std::invalid_argument(std::string(argv[k]) + " needs a value");
            return std::string(argv[++k]);
        };
        if (std::strcmp(argv[k], "--scale") == 0) scale = std::stoul(value());
        else if (std::strcmp(argv[k], "--duration") == 0) duration = std::stod(value());
        else if (std::strcmp(argv[k], "--repeats") == 0) repeats = std::stoi(value());
        else if (std::strcmp(argv[k], "--no-reference") == 0) reference = false;
        else if (std::strcmp(argv[k], "--only") == 0) only = value();
        else throw std::invalid_argument(std::string("unknown argument ") + argv[k]);
    }
    std::filesystem::create_directories(out);
    nn::ReservoirOptions options;
    options.excitatory = 50 * scale;
    options.duration = duration;
    const nn::NetworkDescription description = nn::reference_reservoir(options);
    const nn::BuiltNetwork built = nn::build(description);
    std::size_t compartments = 0;
    for (const nn::CellModel& c : built.model.cells) compartments += c.morphology.compartments().size();
    std::printf("reservoir x%zu: %zu cells, %zu compartments, %zu kinetic synapses, %zu Poisson trains, %.0f ms\n", scale,
                built.model.cells.size(), compartments, built.model.synapses.size(), built.model.spike_sources.size(), duration);
    write_json(out / "network.json", export_network(built, description, duration, 0.025));

    sim::SolverOptions cvode;
    cvode.linear_solver = sim::LinearSolver::klu;
    cvode.rtol = 1e-3;
    cvode.atol = 1e-3;  // NEURON's CVODE default atol; the tolerance a user starts from
    cvode.max_steps = 10'000'000;  // a busy second takes ~10^5 steps
    std::vector<Run> runs;
    if (reference) runs.push_back({"reference", staggered(sim::Method::staggered_crank_nicolson, 0.0025), 1, 1});
    runs.push_back({"staggered_euler_0.025", staggered(sim::Method::staggered_euler, 0.025), 1, 1});
    for (const double dt : {0.025, 0.05, 0.1})
        runs.push_back({"staggered_cn_" + std::to_string(dt).substr(0, 5), staggered(sim::Method::staggered_crank_nicolson, dt), 1, 1});
    runs.push_back({"cvode_bdf_klu_1e-3", cvode, 1, 1});
    for (const std::size_t threads : {1u, 2u})
        runs.push_back({"trials_cn_0.05_threads_" + std::to_string(threads),
                        staggered(sim::Method::staggered_crank_nicolson, 0.05), 8, threads});
    for (const Run& run : runs) {
        if (!only.empty() && run.label != only) continue;
        const bool slow = run.label == "reference" || sim::is_cvode(run.solver.method) || run.trials > 1;
        write_json(out / (run.label + ".json"), measure(built.model, run, duration, slow ? 1 : repeats));
    }
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "reservoir_network: %s\n", error.what());
    return 1;
}
