// The demo: a passive dendritic cable (NEURON units) driven by a current step at one end,
// integrated with CVODE and a sparse (KLU) Jacobian. It prints the run's counters and compares
// the simulated steady-state voltages with the cable equation's closed form, then writes the
// recorded voltages to HDF5. It stands in for the main job until the working-memory
// comparison lands.

#include "demo.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

#include "config.hpp"

namespace neurode::app {

const std::string& demo_default_config()
{
    static const std::string text = R"({
  "cable": {
    "compartments": 400,
    "length_um": 1000.0,
    "diameter_um": 2.0,
    "axial_resistivity_ohm_cm": 100.0,
    "membrane_capacitance_uF_per_cm2": 1.0,
    "leak_conductance_S_per_cm2": 0.0001,
    "leak_reversal_mV": -65.0
  },
  "stimulus": { "amplitude_nA": 0.2, "start_ms": 5.0, "stop_ms": 205.0 },
  "solver": { "method": "cvode_bdf", "linear_solver": "klu", "rtol": 1e-8, "atol": 1e-8, "dt_ms": 0.025 },
  "duration_ms": 250.0,
  "sample_interval_ms": 0.5,
  "output": "neurode-demo.h5"
})";
    return text;
}

int run_demo(const std::string& config_text, const std::string& source, const std::string& output, std::ostream& out)
{
    using namespace neurode::sim;
    const nlohmann::json json = parse_json(config_text, source);
    ConfigSection root(json, "");

    problems::CableParameters cable;
    ConfigSection c = root.section("cable");
    cable.compartments = c.count("compartments", 400);
    cable.length = c.positive("length_um", 1000.0);
    cable.diameter = c.positive("diameter_um", 2.0);
    cable.axial_resistivity = c.positive("axial_resistivity_ohm_cm", 100.0);
    cable.membrane_capacitance = c.positive("membrane_capacitance_uF_per_cm2", 1.0);
    cable.leak_conductance = c.positive("leak_conductance_S_per_cm2", 1e-4);
    cable.leak_reversal = c.number("leak_reversal_mV", -65.0);
    cable.initial_voltage = cable.leak_reversal;
    c.finish();

    ConfigSection st = root.section("stimulus");
    const double amplitude = st.number("amplitude_nA", 0.2);
    const double start = st.number("start_ms", 5.0);
    const double stop = st.number("stop_ms", 205.0);
    if (!(stop > start)) throw invalid_parameter("stimulus.stop_ms", "must be after stimulus.start_ms");
    st.finish();

    SolverOptions options;
    ConfigSection so = root.section("solver");
    options.method = parse_method(so.text("method", "cvode_bdf"), "solver.method");
    options.linear_solver = parse_linear_solver(so.text("linear_solver", "klu"), "solver.linear_solver");
    options.rtol = so.number("rtol", 1e-8);
    options.atol = so.number("atol", 1e-8);
    options.dt = so.positive("dt_ms", 0.025);
    so.finish();

    const double duration = root.positive("duration_ms", 250.0);
    const double interval = root.positive("sample_interval_ms", 0.5);
    const std::string configured_file = root.text("output", "neurode-demo.h5");
    const std::string file = output.empty() ? configured_file : output;
    root.finish();

    problems::Cable model(cable);
    Simulation sim(model, options);
    sim.set_input("i_inj", InputSignal::piecewise_constant({start, stop}, {amplitude, 0.0}));
    const std::size_t n = cable.compartments;
    const std::vector<std::size_t> sites = {0, n / 4, n / 2, n - 1};
    sim.add_probe(Probe::state("v", sites, interval));

    // Just before the stimulus ends the cable has settled (several membrane time constants).
    const double settled = stop - interval;
    sim.advance(settled);
    const std::vector<double> v_settled(sim.state().begin(), sim.state().end());
    sim.advance(duration);

    char line[200];
    out << "neurode demo: passive cable, " << n << " compartments, " << cable.length << " um, lambda = "
        << model.length_constant() << " um, tau_m = " << model.membrane_time_constant() << " ms\n";
    out << "  stimulus " << amplitude << " nA at x = 0 from " << start << " to " << stop << " ms; "
        << to_string(options.method) << " + " << to_string(options.linear_solver) << ", rtol " << options.rtol << "\n";
    out << "  steady state at t = " << settled << " ms vs the cable equation's closed form:\n";
    out << "      x [um]   simulated [mV]   analytic [mV]\n";
    for (std::size_t i : sites) {
        std::snprintf(line, sizeof line, "  %8.1f   %14.4f   %13.4f\n", model.position(i), v_settled[i],
                      model.steady_state_continuous(model.position(i), amplitude));
        out << line;
    }
    out << "  solver: " << sim.summary().brief() << "\n";
    sim.write_hdf5(file);
    out << "  wrote " << file << " (recording /recordings/v: " << sim.recording("v").samples() << " samples x "
        << sites.size() << " sites)\n";
    return 0;
}

}  // namespace neurode::app
