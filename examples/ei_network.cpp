// A small E/I network of biophysical cells: 40 excitatory ball-and-stick cells (hh soma, passive
// dendrite) and 10 inhibitory hh cells, kinetic AMPA/NMDA/GABA-A synapses (AMPA and NMDA on the
// distal dendrite, GABA-A on the soma), each cell driven by its own noisy current. Integrated as
// one ODE system by CVODE with the sparse (KLU) Jacobian; spike times and voltages go to HDF5,
// and examples/plot_raster.py draws the raster. Usage: ei_network [output.h5] [duration_ms]

#include <cstdio>
#include <cstdlib>
#include <string>

#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/trials.hpp>
#include <neurode/sim/hdf5.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
nn::Connection connect(const char* source, const char* target, nn::Receptor receptor, nn::Location post,
                       double conductance_uS, double probability)
{
    nn::Connection c;
    c.source = source;
    c.target = target;
    c.receptor = receptor;
    c.post = std::move(post);
    c.conductance = conductance_uS;
    c.probability = probability;
    return c;
}
}  // namespace

int main(int argc, char** argv)
try {
    const std::string path = argc > 1 ? argv[1] : "neurode-ei-network.h5";
    const double duration = argc > 2 ? std::atof(argv[2]) : 500.0;  // [ms]

    nn::CellModel e;
    e.morphology = nn::Morphology::ball_and_stick(20.0, 300.0, 2.0, 5, 100.0);
    e.channels = {{"hh", "soma", {}}, {"pas", "dendrite", {{"g", 1e-4}, {"e", -65.0}}}};
    e.clamps = {{"soma", 0.5}};
    e.spike_detectors = {{"soma", 0.5}};
    nn::CellModel i;
    i.morphology = nn::Morphology::soma(15.0, 15.0);
    i.channels = {{"hh", "", {}}};
    i.clamps = {{"soma", 0.5}};
    i.spike_detectors = {{"soma", 0.5}};

    nn::NetworkDescription d;
    d.populations = {{"E", e, 40}, {"I", i, 10}};
    d.connections = {connect("E", "E", nn::Receptor::ampa, {"dend", 0.9}, 0.003, 0.1),
                     connect("E", "E", nn::Receptor::nmda, {"dend", 0.9}, 0.001, 0.1),
                     connect("E", "I", nn::Receptor::ampa, {"soma", 0.5}, 0.002, 0.3),
                     connect("I", "E", nn::Receptor::gaba_a, {"soma", 0.5}, 0.004, 0.4),
                     connect("I", "I", nn::Receptor::gaba_a, {"soma", 0.5}, 0.002, 0.3)};
    d.seed = 7;
    const nn::BuiltNetwork built = nn::build(d);

    nn::TrialRunOptions options;
    options.duration = duration;
    options.solver.linear_solver = sim::LinearSolver::klu;
    options.solver.rtol = 1e-6;
    options.solver.atol = 1e-6;  // [mV] and gates
    const auto results = nn::run_trials(built.model, options, [&](std::size_t, const nn::NetworkSystem& system, sim::Simulation& s) {
        // Mean 0.1 nA (E) / 0.08 nA (I) with 0.06 nA fluctuations, a new value every ms.
        for (std::size_t k = 0; k < system.input_count(); ++k)
            s.set_input(k, nn::clamp_noise(k < 40 ? 0.1 : 0.08, 0.06, 1.0, duration, 100 + k));
        s.add_probe(sim::Probe::state("v_soma", {system.voltage_index(0, {"soma", 0.5}), system.voltage_index(40, {"soma", 0.5})}, 0.1));
    });

    sim::h5::Writer out(path);
    out.set_attribute("/", "format", "neurode-network-run");
    std::size_t total = 0;
    for (std::size_t c = 0; c < results[0].spikes.size(); ++c) {
        const auto& spikes = results[0].spikes[c];
        total += spikes.size();
        const std::string dataset = "/spikes/cell_" + std::to_string(c);
        out.write(dataset, spikes);
        out.set_attribute(dataset, "unit", "ms");
        out.set_attribute(dataset, "population", c < 40 ? "E" : "I");
    }
    const sim::Recording& v = results[0].recordings.front();
    out.write("/voltage/time", v.times);
    out.set_attribute("/voltage/time", "unit", "ms");
    out.write("/voltage/values", v.values, {v.samples(), v.width()});
    out.set_attribute("/voltage/values", "unit", "mV");
    out.write("/voltage/columns", std::vector<std::string>{"E[0] soma", "I[0] soma"});
    out.commit();
    std::printf("E/I network: %zu cells, %zu synapses, %.0f ms: %zu spikes (E %.1f Hz, I %.1f Hz per cell); %s\n",
                built.model.cells.size(), built.model.synapses.size(), duration, total,
                [&] { std::size_t n = 0; for (std::size_t c = 0; c < 40; ++c) n += results[0].spikes[c].size(); return n; }() * 1000.0 / duration / 40.0,
                [&] { std::size_t n = 0; for (std::size_t c = 40; c < 50; ++c) n += results[0].spikes[c].size(); return n; }() * 1000.0 / duration / 10.0,
                results[0].summary.brief().c_str());
    std::printf("wrote %s (plot: /usr/bin/python3 examples/plot_raster.py %s raster.png)\n", path.c_str(), path.c_str());
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "ei_network: %s\n", error.what());
    return 1;
}
