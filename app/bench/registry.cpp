#include "bench/registry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cmath>

#include <neurode/neurons/network.hpp>
#include <neurode/neurons/reference_models.hpp>
#include <neurode/neurons/reservoir.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/task_registry.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

namespace neurode::app::bench {

namespace nn = neurode::neurons;
namespace sb = neurode::sim::bench;
using sb::ErrorMeasure;
using sb::Problem;

namespace {

// --- ladders and methods shared by the problems ---------------------------------------------------

// Full suite: CVODE tolerances a decade apart; fixed steps halving. --quick: the two coarsest.
std::vector<double> ladder(std::vector<double> full, const Mode& mode)
{
    if (mode.quick && full.size() > 2) full.resize(2);
    return full;
}
std::vector<std::string> methods(std::vector<std::string> full, std::vector<std::string> quick, const Mode& mode)
{
    return mode.quick ? quick : full;
}
const std::vector<double> decades{1e-2, 1e-3, 1e-4, 1e-5, 1e-6};  // relative errors
const std::vector<double> spike_levels{1.0, 0.1, 0.01, 1e-3};     // [ms]

std::string number(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

// --- Robertson: the calibration problem ------------------------------------------------------------

// cvRoberts_dns's output times, 0.4 s x 10^k.
constexpr int robertson_outputs = 12;

Problem robertson(const Mode& mode)
{
    Problem p;
    p.name = "robertson";
    p.description =
        "Robertson's kinetics as in SUNDIALS' cvRoberts_dns, 0 to 4e10 s, sampled at 0.4 s x 10^k; "
        "error on (y1, 1e4 y2, y3)";
    p.size = 3;
    p.time_unit = "s";
    p.measure = ErrorMeasure::relative_l2;
    // cvRoberts_dns's atol (1e-8, 1e-14, 1e-6) at its rtol 1e-4, scaled with rtol.
    p.atol_ratio = {1e-4, 1e-10, 1e-2};
    p.reference_setting = 1e-12;
    p.configurations = methods({"cvode_bdf/dense", "cvode_bdf/banded", "cvode_bdf/klu", "cvode_bdf/gmres",
                                "cvode_bdf/gmres+jacobi", "cvode_adams/dense"},
                               {"cvode_bdf/dense", "cvode_bdf/klu", "cvode_bdf/gmres"}, mode);
    p.tolerances = ladder({1e-4, 1e-5, 1e-6, 1e-7, 1e-8}, mode);
    p.accuracy_levels = decades;
    p.run = [](sb::RunContext& context) {
        sim::problems::Robertson model;
        sim::Simulation s(context.system(model), context.options());
        sb::Trajectory out;
        out.width = 3;
        // Every 4e7 s: a thousand budget checks over the run; the cheap early part goes unchecked.
        context.watch(s, 4e7);
        double t = 0.4;
        for (int k = 0; k < robertson_outputs; ++k, t *= 10) {
            s.advance(t);
            const auto y = s.state();
            out.times.push_back(t);
            // y2 is four decades smaller than the others; scaled as the classic plots scale it so
            // that the error weighs every species.
            out.values.insert(out.values.end(), {y[0], 1e4 * y[1], y[2]});
        }
        out.summary = s.summary();
        return out;
    };
    return p;
}

// --- rate RNNs on a task input -------------------------------------------------------------------

Problem rate_network(std::size_t units, int level, const Mode& mode)
{
    const auto task = rnn::make_task("dly_go");
    auto batch = std::make_shared<const rnn::TrialBatch>(task->generate(1, 1));
    rnn::RateNetworkOptions o;
    o.units = units;
    o.inputs = batch->input_size();
    o.outputs = batch->output_size();
    o.heterogeneity = level;
    auto network = std::make_shared<const rnn::RateNetwork>(o);
    // --quick: the first 10 steps of the trial (fixation and the stimulus onset).
    const std::size_t steps = mode.quick ? std::min<std::size_t>(10, batch->steps) : batch->steps;
    const double dt = batch->dt;

    Problem p;
    p.name = "rate-" + std::to_string(units) + "-h" + std::to_string(level);
    p.description =
        "rate RNN, " + std::to_string(units) + " tanh units, gain " + number(o.gain) + ", tau " + number(o.tau_ms) +
        " ms " +
        (level == 0 ? std::string("(homogeneous, H0)")
                    : "lognormal CV " + number(rnn::heterogeneity_cv(level)) + " (H" + std::to_string(level) +
                          ", clipped to [" + number(o.tau_min_ms) + ", " + number(o.tau_max_ms) + "] ms)") +
        ", one dly_go trial (" + std::to_string(steps) + " input steps of " + number(dt) + " ms)";
    p.size = units;
    p.measure = ErrorMeasure::relative_l2;
    p.reference_setting = 1e-10;
    // BDF with Jacobi-preconditioned GMRES: at rtol 1e-10 a dense LU of the 1,024-unit Jacobian,
    // redone hundreds of times, would take minutes for this one run.
    p.reference_configuration = "cvode_bdf/gmres+jacobi";
    // Dense LU: BDF's, the dense representative, restarts at each of the trial's input steps; at
    // 1,024 units each factorisation costs ~0.1 s, so the methods that factor at every step
    // (backward Euler, Crank-Nicolson) would only run into the budget there. Adams + dense adds
    // nothing BDF + dense does not show. --methods measures any of them.
    std::vector<std::string> full{"cvode_bdf/dense",   "cvode_bdf/gmres", "cvode_bdf/gmres+jacobi",
                                  "cvode_adams/gmres", "forward_euler",   "rk4",
                                  "exponential_euler"};
    if (units <= 256) full.insert(full.end(), {"backward_euler", "crank_nicolson"});
    p.configurations = methods(full, {"cvode_bdf/gmres", "cvode_adams/gmres", "rk4"}, mode);
    p.tolerances = ladder({1e-3, 1e-4, 1e-5, 1e-6, 1e-7}, mode);
    // From 4 ms, where the explicit methods meet the fastest time constants of H5 (1 ms), down
    // (at 1,024 units to 0.5 ms, to keep the suite's time).
    p.steps = ladder(
        units > 256 ? std::vector<double>{4.0, 2.0, 1.0, 0.5} : std::vector<double>{4.0, 2.0, 1.0, 0.5, 0.25}, mode);
    p.accuracy_levels = decades;
    p.run = [network, batch, steps, dt](sb::RunContext& context) {
        rnn::RateOdeSystem model(*network);
        sim::Simulation s(context.system(model), context.options());
        std::vector<double> channel(batch->steps);
        for (std::size_t k = 0; k < batch->input_size(); ++k) {
            for (std::size_t t = 0; t < batch->steps; ++t) channel[t] = batch->input(0, t, k);
            s.set_input(k, sim::InputSignal::sampled_uniform(0.0, dt, channel, sim::Interpolation::hold));
        }
        std::vector<std::size_t> all(network->units());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        s.add_probe(sim::Probe::state("x", all, dt));
        context.watch(s, dt);
        s.advance(static_cast<double>(steps) * dt);
        return sb::trajectory(s.recording("x"), s.summary());
    };
    return p;
}

// --- biophysical cells and networks --------------------------------------------------------------

// Every method that applies to a cell or network model, and the quick subset.
const std::vector<std::string> neuron_methods{"cvode_bdf/dense",   "cvode_bdf/banded",        "cvode_bdf/klu",
                                              "cvode_bdf/gmres",   "cvode_bdf/gmres+jacobi",  "cvode_adams/dense",
                                              "cvode_adams/klu",   "forward_euler",           "rk4",
                                              "exponential_euler", "backward_euler",          "crank_nicolson",
                                              "staggered_euler",   "staggered_crank_nicolson"};
const std::vector<std::string> neuron_quick{"cvode_bdf/klu", "staggered_euler", "staggered_crank_nicolson"};

// A model, its inputs and what it records, run for `duration`.
struct CellRun {
    std::shared_ptr<const nn::NetworkModel> model;
    std::function<void(nn::NetworkSystem&, sim::Simulation&)> bind;  // inputs
    std::vector<std::pair<std::size_t, nn::Location>> voltages;      // (cell, location) recorded
    double duration, sample_interval;

    sb::Trajectory operator()(sb::RunContext& context) const
    {
        nn::NetworkSystem system(*model);
        sim::Simulation s(context.system(system), context.options());
        if (bind) bind(system, s);
        std::vector<std::size_t> indices;
        for (const auto& [cell, where] : voltages) indices.push_back(system.voltage_index(cell, where));
        s.add_probe(sim::Probe::state("v", indices, sample_interval));
        context.watch(s, 1.0);
        s.advance(duration);
        sb::Trajectory t = sb::trajectory(s.recording("v"), s.summary());
        t.spikes = system.spike_trains(s.events());
        return t;
    }
};

Problem single_cell_problem(const Mode& mode)
{
    Problem p;
    p.measure = ErrorMeasure::spike_time;
    p.error_unit = "ms";
    p.reference_configuration = "cvode_bdf/dense";
    p.reference_setting = 1e-11;
    p.configurations = methods(neuron_methods, neuron_quick, mode);
    p.tolerances = ladder({1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8}, mode);
    p.steps = ladder({0.1, 0.05, 0.025, 0.0125, 0.00625}, mode);
    p.accuracy_levels = {1.0, 0.1, 0.01, 1e-3, 1e-4};
    return p;
}

// tests/reference/neuron/hh_soma.py's model: a 20 x 20 um soma with hh, 0.15 nA from 10 to 190 ms.
Problem hh_soma(const Mode& mode)
{
    Problem p = single_cell_problem(mode);
    p.name = "hh-soma";
    p.description =
        "Hodgkin-Huxley soma (20 x 20 um, NEURON's hh), 0.15 nA from 10 to 190 ms, 200 ms "
        "(tests/reference/neuron/hh_soma.py)";
    auto model = std::make_shared<const nn::NetworkModel>(nn::NetworkModel{{nn::hh_soma_cell()}, {}});
    p.size = nn::NetworkSystem(*model).size();
    p.run = CellRun{model,
                    [](nn::NetworkSystem&, sim::Simulation& s) { s.set_input(0, nn::clamp_step(0.15, 10.0, 190.0)); },
                    {{0, {"soma", 0.5}}},
                    200.0,
                    0.1};
    return p;
}

// tests/reference/neuron/kinetic_synapses.py's model: an hh soma driving a ball-and-stick cell
// through kinetic AMPA and NMDA synapses on the distal dendrite and the soma.
Problem ball_and_stick(const Mode& mode)
{
    auto model = std::make_shared<const nn::NetworkModel>(nn::kinetic_synapse_pair());
    Problem p = single_cell_problem(mode);
    p.name = "ball-and-stick";
    p.description =
        "hh soma driving a ball-and-stick cell (9 dendritic compartments) through kinetic AMPA + NMDA "
        "synapses on dend(0.9) and the soma, 0.3 nA from 5 to 195 ms, 200 ms "
        "(tests/reference/neuron/kinetic_synapses.py)";
    p.size = nn::NetworkSystem(*model).size();
    p.run = CellRun{model,
                    [](nn::NetworkSystem&, sim::Simulation& s) {
                        s.set_input("cell[0].iclamp[0]", nn::clamp_step(0.3, 5.0, 195.0));
                    },
                    {{1, {"soma", 0.5}}, {1, {"dend", 0.9}}},
                    200.0,
                    0.1};
    return p;
}

// The passive cable of sim::problems with 1,000 compartments, a 0.2 nA step at one end from 5 ms.
Problem cable(const Mode& mode)
{
    constexpr std::size_t n = 1000;
    const double duration = mode.quick ? 10.0 : 50.0;  // [ms]
    Problem p;
    p.name = "cable-1000";
    p.description = "passive cable, 1,000 compartments (1 mm, 1 um diameter), 0.2 nA into one end from 5 ms, " +
                    number(duration) + " ms; every compartment sampled each ms";
    p.size = n;
    p.measure = ErrorMeasure::rms;
    p.error_unit = "mV";
    p.reference_configuration = "cvode_bdf/klu";
    p.reference_setting = 1e-11;
    p.configurations = methods({"cvode_bdf/dense", "cvode_bdf/banded", "cvode_bdf/klu", "cvode_bdf/gmres",
                                "cvode_bdf/gmres+model", "cvode_bdf/gmres+jacobi", "cvode_adams/klu", "forward_euler",
                                "rk4", "exponential_euler", "backward_euler", "crank_nicolson"},
                               {"cvode_bdf/klu", "cvode_bdf/gmres+model", "backward_euler"}, mode);
    p.tolerances = ladder({1e-3, 1e-4, 1e-5, 1e-6, 1e-7}, mode);
    p.steps = ladder({0.1, 0.05, 0.025, 0.0125, 0.00625}, mode);
    p.accuracy_levels = {0.1, 0.01, 1e-3, 1e-4, 1e-5};
    p.run = [duration](sb::RunContext& context) {
        sim::problems::Cable model({.compartments = n});
        sim::Simulation s(context.system(model), context.options());
        s.set_input("i_inj", sim::InputSignal::piecewise_constant({5.0}, {0.2}));
        std::vector<std::size_t> all(n);
        for (std::size_t i = 0; i < n; ++i) all[i] = i;
        s.add_probe(sim::Probe::state("v", all, 1.0));
        context.watch(s, 1.0);
        s.advance(duration);
        return sb::trajectory(s.recording("v"), s.summary());
    };
    return p;
}

// The reference reservoir (neurons/reservoir.hpp) at `scale` times its 75 cells.
Problem reservoir(const std::string& name, std::size_t scale, double drive_rate, double drive_weight, double duration,
                  double reference_dt, const Mode& mode)
{
    nn::ReservoirOptions o;
    o.excitatory = 50 * scale;
    o.drive_rate = drive_rate;
    o.drive_weight = drive_weight;
    o.duration = duration;
    auto description = std::make_shared<const nn::NetworkDescription>(nn::reference_reservoir(o));
    NetworkProblemOptions options;
    // --quick: 5 ms against a reference at the quick ladder's finest step / 4.
    options.duration = mode.quick ? 5.0 : duration;
    options.reference_dt = mode.quick ? 0.0125 : reference_dt;
    const std::size_t cells = 75 * scale;
    Problem p = network_problem(name,
                                "reference reservoir, " + std::to_string(cells) + " cells (" +
                                    std::to_string(cells * 12) + " compartments), Poisson drive " + number(drive_rate) +
                                    " Hz of " + number(1e3 * drive_weight) + " nS per cell, " +
                                    number(options.duration) + " ms",
                                description, options, mode);
    if (scale > 1) {
        // CVODE needs minutes for milliseconds of these busy networks (a spike somewhere every few
        // microseconds): one variant shows it; a budget-bound run of each would add nothing.
        p.configurations = methods({"cvode_bdf/klu", "exponential_euler", "backward_euler", "crank_nicolson",
                                    "staggered_euler", "staggered_crank_nicolson"},
                                   {"crank_nicolson", "staggered_euler", "staggered_crank_nicolson"}, mode);
        if (scale >= 16) p.steps = ladder({0.1, 0.05, 0.025}, mode);
    }
    return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

void NetworkProblemOptions::validate() const
{
    const auto positive = [](double v, const char* field) {
        if (!(std::isfinite(v) && v > 0)) throw invalid_parameter(field, "must be finite and > 0 ms");
    };
    positive(duration, "duration");
    positive(sample_interval, "sample_interval");
    positive(reference_dt, "reference_dt");
}

Problem network_problem(std::string name, std::string description,
                        std::shared_ptr<const nn::NetworkDescription> network, const NetworkProblemOptions& options,
                        const Mode& mode)
{
    options.validate();
    network->validate();
    auto built = std::make_shared<const nn::BuiltNetwork>(nn::build(*network));
    auto model = std::shared_ptr<const nn::NetworkModel>(built, &built->model);
    CellRun run{model,
                [built](nn::NetworkSystem&, sim::Simulation& s) { nn::bind_bias(*built, s); },
                {},
                options.duration,
                options.sample_interval};
    for (std::size_t c = 0; c < model->cells.size(); ++c) {
        const auto& detectors = model->cells[c].spike_detectors;
        run.voltages.emplace_back(c, detectors.empty() ? nn::Location{"soma", 0.5} : detectors.front());
    }
    Problem p;
    p.name = std::move(name);
    p.description = std::move(description);
    p.size = nn::NetworkSystem(*model).size();
    p.measure = options.measure;
    p.error_unit = options.measure == ErrorMeasure::relative_l2 ? ""
                   : options.measure == ErrorMeasure::rms       ? "mV"
                                                                : "ms";
    p.reference_configuration = "staggered_crank_nicolson";
    p.reference_setting = options.reference_dt;
    p.configurations =
        methods({"cvode_bdf/klu", "cvode_bdf/gmres", "cvode_bdf/gmres+jacobi", "cvode_adams/klu", "exponential_euler",
                 "backward_euler", "crank_nicolson", "staggered_euler", "staggered_crank_nicolson"},
                neuron_quick, mode);
    p.tolerances = ladder({1e-2, 1e-3, 1e-4, 1e-5}, mode);
    p.steps = ladder({0.1, 0.05, 0.025, 0.0125}, mode);
    p.accuracy_levels = p.error_unit == "ms" ? spike_levels : decades;
    p.run = std::move(run);
    return p;
}

Registry Registry::builtin()
{
    Registry r;
    r.add("robertson", "Robertson's kinetics (cvRoberts_dns), the calibration problem", robertson);
    for (const std::size_t units : {64, 256, 1024})
        for (const int level : {0, 5}) {
            const std::string name = "rate-" + std::to_string(units) + "-h" + std::to_string(level);
            r.add(name,
                  "rate RNN, " + std::to_string(units) + " units, " +
                      (level == 0 ? "homogeneous time constants" : "heterogeneous time constants (H5)") +
                      ", dly_go input",
                  [units, level](const Mode& m) { return rate_network(units, level, m); });
        }
    r.add("hh-soma", "Hodgkin-Huxley soma with a current step (NEURON reference: hh_soma.txt)", hh_soma);
    r.add("ball-and-stick", "ball-and-stick with dendritic AMPA/NMDA input (NEURON reference: kinetic_synapses.txt)",
          ball_and_stick);
    r.add("cable-1000", "passive cable of 1,000 compartments", cable);
    // The reservoir's default drive (100 Hz of 10 nS per cell) makes it busy: every cell fires, over
    // 100 Hz on average. Its recurrent excitation keeps it so down to a 10 Hz drive; with 10 Hz of
    // 3 nS only a few cells fire and the rest stay near rest: quiet. Larger networks run shorter,
    // and the 16x reference at a coarser dt (second order: error 4x that of dt 0.0025 ms), to fit
    // the suite's time.
    const double default_weight = nn::ReservoirOptions{}.drive_weight;
    r.add("reservoir-quiet", "reference reservoir (75 cells), 10 Hz drive of 3 nS: a few cells fire",
          [](const Mode& m) { return reservoir("reservoir-quiet", 1, 10.0, 0.003, 100.0, 0.0025, m); });
    r.add("reservoir-busy", "reference reservoir (75 cells), 100 Hz drive: busy",
          [=](const Mode& m) { return reservoir("reservoir-busy", 1, 100.0, default_weight, 30.0, 0.0025, m); });
    r.add("reservoir-4x", "reference reservoir at 4x (300 cells), busy",
          [=](const Mode& m) { return reservoir("reservoir-4x", 4, 100.0, default_weight, 30.0, 0.0025, m); });
    r.add("reservoir-16x", "reference reservoir at 16x (1,200 cells), busy",
          [=](const Mode& m) { return reservoir("reservoir-16x", 16, 100.0, default_weight, 15.0, 0.005, m); });
    return r;
}

void Registry::add(std::string name, std::string summary, ProblemFactory factory)
{
    if (name.empty() || name == "all" || !std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        }))
        throw invalid_parameter("name", "must be letters, digits, '-' or '_' (and not 'all'), got '" + name + "'");
    for (const Entry& e : entries_)
        if (e.name == name) throw invalid_parameter("name", "'" + name + "' is already registered");
    if (!factory) throw invalid_parameter("factory", "must be set for '" + name + "'");
    entries_.push_back({std::move(name), std::move(summary), std::move(factory)});
}

std::vector<std::string> Registry::names() const
{
    std::vector<std::string> n;
    for (const Entry& e : entries_) n.push_back(e.name);
    return n;
}

const Registry::Entry& Registry::entry(std::string_view name) const
{
    for (const Entry& e : entries_)
        if (e.name == name) return e;
    std::string known;
    for (const Entry& e : entries_) known += (known.empty() ? "" : ", ") + e.name;
    throw invalid_parameter("problem", "unknown problem '" + std::string(name) + "' (known: " + known + ")");
}

const std::string& Registry::summary(std::string_view name) const
{
    return entry(name).summary;
}

Problem Registry::make(std::string_view name, const Mode& mode) const
{
    const Entry& e = entry(name);
    Problem p = e.factory(mode);
    if (p.name != e.name)
        throw invalid_parameter("problem",
                                "the factory registered as '" + e.name + "' made a problem named '" + p.name + "'");
    return p;
}

}  // namespace neurode::app::bench
