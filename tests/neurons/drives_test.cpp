// External drives and synaptic recording: Poisson trains (rate, ISI statistics, seeds), rates
// that vary in time (a function, samples, a task input channel), spike sources delivering at
// spike time + delay, Poisson drives, bias currents and task inputs in a network description
// (JSON round trip, validation naming the item), and conductance/current probes against the
// formulas evaluated by hand on the recorded state.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <numeric>
#include <sstream>

#include "../support/neuron_models.hpp"
#include "../support/expect_field.hpp"
#include <neurode/neurons/drives.hpp>
#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/synaptic_recording.hpp>
#include <neurode/neurons/trials.hpp>
#include <neurode/sim/simulation.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
// Spikes of a train in [from, to).
std::size_t count_in(const std::vector<double>& train, double from, double to)
{
    return static_cast<std::size_t>(std::count_if(train.begin(), train.end(), [&](double t) { return t >= from && t < to; }));
}

// |count - expected| within `sds` Poisson standard deviations.
void expect_poisson_count(std::size_t count, double expected, double sds, const std::string& what)
{
    EXPECT_NEAR(static_cast<double>(count), expected, sds * std::sqrt(expected)) << what;
}

nn::CellModel passive_soma()
{
    nn::CellModel c;
    c.morphology = nn::Morphology::soma(20.0, 20.0);
    c.channels = {{"pas", "", {{"g", 1e-4}, {"e", -65.0}}}};
    return c;
}

nn::NetworkDescription driven_network()
{
    nn::CellModel e = hh_soma_cell();
    nn::NetworkDescription d;
    d.populations = {{"E", e, 6}, {"I", hh_soma_cell(), 2}};
    d.populations[0].bias = 0.02;
    d.populations[1].bias = -0.01;
    d.populations[1].bias_site = {"soma", 0.3};
    nn::Connection ei;
    ei.source = "E";
    ei.target = "I";
    ei.probability = 0.5;
    d.connections = {ei};
    d.drives = {{"P", 6, 40.0, 0.0, 300.0}, {"Q", 3, 15.0, 50.0, 250.0}};
    nn::DriveConnection pe;
    pe.source = "P";
    pe.target = "E";
    pe.weight = 0.004;
    pe.delay = 1.5;
    nn::DriveConnection qi;
    qi.source = "Q";
    qi.target = "I";
    qi.receptor = nn::Receptor::nmda;
    qi.post = {"soma", 0.7};
    qi.rule = nn::ConnectionRule::bernoulli;
    qi.probability = 0.6;
    qi.keep_probability = 0.9;
    qi.weight = 0.001;
    qi.delay = 0.0;
    d.drive_connections = {pe, qi};
    d.seed = 7;
    return d;
}
}  // namespace

TEST(Drives, PoissonTrainHasItsRateAndExponentialIntervals)
{
    constexpr double rate = 20.0, start = 50.0, stop = 100050.0;  // [Hz], [ms]: 100 s, 2000 spikes expected
    const auto train = nn::poisson_spike_train(rate, start, stop, 11);
    ASSERT_FALSE(train.empty());
    EXPECT_TRUE(std::is_sorted(train.begin(), train.end()));
    EXPECT_GE(train.front(), start);
    EXPECT_LT(train.back(), stop);
    expect_poisson_count(train.size(), rate * (stop - start) * 1e-3, 4.0, "spike count");
    // Intervals of a Poisson process are exponential: mean 1 / rate, CV 1.
    std::vector<double> isi(train.size() - 1);
    for (std::size_t k = 1; k < train.size(); ++k) isi[k - 1] = train[k] - train[k - 1];
    const double mean = std::accumulate(isi.begin(), isi.end(), 0.0) / static_cast<double>(isi.size());
    double var = 0;
    for (double x : isi) var += (x - mean) * (x - mean);
    const double cv = std::sqrt(var / static_cast<double>(isi.size() - 1)) / mean;
    EXPECT_NEAR(mean, 1e3 / rate, 4.0 * (1e3 / rate) / std::sqrt(static_cast<double>(isi.size())));
    EXPECT_NEAR(cv, 1.0, 0.1);

    EXPECT_EQ(nn::poisson_spike_train(rate, start, stop, 11), train);
    EXPECT_NE(nn::poisson_spike_train(rate, start, stop, 12), train);
    EXPECT_TRUE(nn::poisson_spike_train(0.0, 0.0, 1000.0, 1).empty());
    EXPECT_TRUE(nn::poisson_spike_train(50.0, 10.0, 10.0, 1).empty());
}

TEST(Drives, InhomogeneousTrainsFollowTheirRate)
{
    // A sinusoidal rate by thinning: counts per quarter period against the integrated rate.
    constexpr double base = 50.0, depth = 40.0, period = 200.0, stop = 40000.0;  // [Hz], [Hz], [ms], [ms]
    const auto rate = [&](double t) { return base + depth * std::sin(2 * std::numbers::pi * t / period); };
    const auto train = nn::inhomogeneous_poisson_spike_train(rate, base + depth, 0.0, stop, 3);
    EXPECT_TRUE(std::is_sorted(train.begin(), train.end()));
    const double cycles = stop / period;
    for (int q = 0; q < 4; ++q) {
        std::size_t count = 0;
        for (double t : train)
            if (std::floor(std::fmod(t, period) / (period / 4)) == q) ++count;
        // Integral of the rate over quarter q of one period [spikes], times the cycles.
        const double a = q * period / 4, b = (q + 1) * period / 4, w = 2 * std::numbers::pi / period;
        const double per_cycle = 1e-3 * (base * (b - a) - depth / w * (std::cos(w * b) - std::cos(w * a)));
        expect_poisson_count(count, per_cycle * cycles, 4.0, "quarter " + std::to_string(q));
    }
    EXPECT_EQ(nn::inhomogeneous_poisson_spike_train(rate, base + depth, 0.0, stop, 3), train);
    expect_field([&] { nn::inhomogeneous_poisson_spike_train(rate, 60.0, 0.0, stop, 3); }, "rate_hz");

    // A sampled rate (1 ms steps): 10 Hz for 20 s, silent for 1 s, then 80 Hz for 20 s.
    std::vector<double> samples(41000, 10.0);
    std::fill(samples.begin() + 20000, samples.begin() + 21000, 0.0);
    std::fill(samples.begin() + 21000, samples.end(), 80.0);
    const auto sampled = nn::inhomogeneous_poisson_spike_train(samples, 1.0, 100.0, 5);
    EXPECT_TRUE(std::is_sorted(sampled.begin(), sampled.end()));
    expect_poisson_count(count_in(sampled, 100.0, 20100.0), 200.0, 4.0, "10 Hz part");
    EXPECT_EQ(count_in(sampled, 20100.0, 21100.0), 0u);
    expect_poisson_count(count_in(sampled, 21100.0, 41100.0), 1600.0, 4.0, "80 Hz part");
    EXPECT_EQ(count_in(sampled, -1e9, 100.0) + count_in(sampled, 41100.0, 1e9), 0u);
}

TEST(Drives, TaskInputChannelsBecomeCurrentsOrRates)
{
    // Two trials x 4 steps x 2 channels, rnn's [trial][step][channel] layout.
    const std::vector<double> inputs = {0, 9, 1, 9, 2, 9, 3, 9,  //
                                        4, 9, 5, 9, 6, 9, 7, 9};
    EXPECT_EQ(nn::task_input_channel(inputs, 4, 2, 1, 0), (std::vector<double>{4, 5, 6, 7}));
    expect_field([&] { nn::task_input_channel(inputs, 4, 2, 2, 0); }, "trial");
    expect_field([&] { nn::task_input_channel(inputs, 4, 2, 0, 2); }, "channel");

    const std::vector<double> x = {0.0, 1.0, -0.5};
    const sim::InputSignal current = nn::task_input_current(x, 20.0, 0.1, 0.2);  // [ms], [nA], [nA]
    EXPECT_DOUBLE_EQ(current(5.0), 0.1);
    EXPECT_DOUBLE_EQ(current(20.0), 0.3);
    EXPECT_DOUBLE_EQ(current(59.9), 0.0);
    EXPECT_DOUBLE_EQ(current(100.0), 0.1);  // past the task: the bias alone
    EXPECT_GE(current.breakpoints().size(), 3u);

    // rate = max(0, 5 + 50 x) [Hz]: 5, 55, 0 Hz on 10 s steps.
    const std::vector<double> task = {0.0, 1.0, -1.0};
    const auto train = nn::task_input_spike_train(task, 10000.0, 5.0, 50.0, 9);
    expect_poisson_count(count_in(train, 0, 10000), 50.0, 4.0, "baseline step");
    expect_poisson_count(count_in(train, 10000, 20000), 550.0, 4.0, "driven step");
    EXPECT_EQ(count_in(train, 20000, 1e9), 0u) << "a negative rate is rectified to 0";
}

TEST(Drives, SpikeSourceDeliversAtSpikeTimePlusDelay)
{
    nn::NetworkModel m{{passive_soma()}, {}};
    m.spike_sources = {{{5.0, 12.5}}};
    m.event_synapses = {nn::make_source_synapse(0, 0, {"soma", 0.5}, nn::Receptor::ampa, 0.002, 2.0)};
    nn::NetworkSystem net(m);
    sim::Simulation s(net, klu_cvode(1e-10));
    EXPECT_EQ(net.pending_deliveries(), 2u);
    const std::size_t a = net.event_synapse_state(0);
    s.add_probe(sim::Probe::state("ab", {a, a + 1}, 0.0));
    const sim::RunSummary run = s.advance(30.0);
    EXPECT_EQ(run.scheduled_events, 2);
    EXPECT_EQ(net.pending_deliveries(), 0u);

    // B = jump * sum over deliveries d <= t of exp(-(t - d) / tau2); the engine stops exactly at
    // each delivery, recording B before the jump there.
    const nn::EventSynapse& syn = m.event_synapses[0];
    const double jump = syn.weight * nn::exp2_peak_factor(syn.tau1, syn.tau2);
    const auto& rec = s.recording("ab");
    bool saw_first = false, saw_second = false;
    for (std::size_t k = 0; k < rec.samples(); ++k) {
        const double t = rec.times[k];
        if (t == 7.0) saw_first = true;
        if (t == 14.5) saw_second = true;
        double expected = 0;
        for (double d : {7.0, 14.5})
            if (t > d) expected += jump * std::exp(-(t - d) / syn.tau2);
        EXPECT_NEAR(rec.at(k, 1), expected, 1e-8) << "t = " << t;
    }
    EXPECT_TRUE(saw_first);
    EXPECT_TRUE(saw_second);

    // A new run on the same system queues the sources again.
    sim::Simulation again(net, klu_cvode(1e-10));
    EXPECT_EQ(net.pending_deliveries(), 2u);
    again.advance(30.0);
    EXPECT_EQ(again.state()[a + 1], s.state()[a + 1]);

    // The fixed-step methods stop at deliveries too.
    sim::SolverOptions fixed;
    fixed.method = sim::Method::backward_euler;
    fixed.dt = 0.1;
    sim::Simulation stepped(net, fixed);
    stepped.advance(7.0);
    EXPECT_EQ(stepped.state()[a + 1], 0.0);
    stepped.advance(7.05);
    EXPECT_GT(stepped.state()[a + 1], 0.9 * jump);
}

TEST(Drives, DescriptionBuildsDrivesAndBiases)
{
    const nn::NetworkDescription d = driven_network();
    const nn::BuiltNetwork b = nn::build(d);
    ASSERT_EQ(b.model.spike_sources.size(), 9u);
    EXPECT_EQ(b.source(1, 0), 6u);
    // Trains differ from each other, follow their drive's window and rate.
    std::size_t p_spikes = 0;
    for (std::size_t i = 0; i < 6; ++i) {
        const auto& t = b.model.spike_sources[b.source(0, i)].times;
        p_spikes += t.size();
        if (i > 0) {
            EXPECT_NE(t, b.model.spike_sources[b.source(0, i - 1)].times);
        }
    }
    expect_poisson_count(p_spikes, 6 * 40.0 * 0.3, 4.0, "drive P");
    for (std::size_t i = 0; i < 3; ++i)
        for (double t : b.model.spike_sources[b.source(1, i)].times) {
            EXPECT_GE(t, 50.0);
            EXPECT_LT(t, 250.0);
        }
    // P -> E one to one (6 synapses), then Q -> I.
    ASSERT_EQ(b.drive_connectivity[0].size(), 6u);
    ASSERT_GT(b.drive_connectivity[1].size(), 0u);
    ASSERT_EQ(b.model.event_synapses.size(), 6 + b.drive_connectivity[1].size());
    for (std::size_t k = 0; k < 6; ++k) {
        const nn::EventSynapse& s = b.model.event_synapses[k];
        EXPECT_EQ(s.pre_source, std::optional<std::size_t>(k));
        EXPECT_EQ(s.post_cell, b.cell(0, k));
        EXPECT_EQ(s.weight, 0.004);
        EXPECT_EQ(s.delay, 1.5);
    }
    EXPECT_EQ(b.model.event_synapses.back().receptor, nn::Receptor::nmda);
    EXPECT_EQ(b.model.event_synapses.back().tau2, 20.0);

    // Drives do not change the cell-to-cell connectivity; the seed changes the trains.
    nn::NetworkDescription plain = d;
    plain.drives.clear();
    plain.drive_connections.clear();
    EXPECT_EQ(nn::build(plain).connectivity[0].edges, b.connectivity[0].edges);
    nn::NetworkDescription reseeded = d;
    reseeded.seed = 8;
    EXPECT_NE(nn::build(reseeded).model.spike_sources[0].times, b.model.spike_sources[0].times);

    // Bias clamps follow each cell's own clamp: E cells' inputs 1, 3, ..., I cells' 13, 15.
    ASSERT_EQ(b.bias_clamps.size(), 8u);
    nn::NetworkSystem net(b.model);
    EXPECT_EQ(net.input_name(b.bias_clamps[0].input), "cell[0].iclamp[1]");
    EXPECT_EQ(net.input_name(b.bias_clamps[7].input), "cell[7].iclamp[1]");
    EXPECT_EQ(b.bias_clamps[0].current, 0.02);
    EXPECT_EQ(b.bias_clamps[7].current, -0.01);
}

TEST(Drives, BiasCurrentShiftsThePassiveVoltage)
{
    // A passive soma at rest -65 mV: a bias I [nA] settles at -65 + I / (g A) (tau = 10 ms).
    nn::NetworkDescription d;
    d.populations = {{"C", passive_soma(), 2}};
    d.populations[0].bias = 0.01;
    const nn::BuiltNetwork b = nn::build(d);
    const double area = passive_soma().morphology.compartments()[0].area;  // [um2]
    const double leak = 1e-4 * area * 1e-8 * 1e6;                           // [uS]: S/cm2 * cm2, in uS
    nn::NetworkSystem net(b.model);
    sim::Simulation s(net, klu_cvode(1e-10));
    nn::bind_bias(b, s);
    s.advance(300.0);
    EXPECT_NEAR(s.state()[net.voltage_index(1, {"soma", 0.5})], -65.0 + 0.01 / leak, 1e-6);

    nn::TrialRunOptions o;
    o.duration = 300.0;
    o.solver = klu_cvode(1e-10);
    bool ran = false;
    const auto trials = nn::run_trials(b.model, o, nn::with_bias(b, [&](std::size_t, const nn::NetworkSystem&, sim::Simulation& simulation) {
        ran = true;
        simulation.add_probe(sim::Probe::state("v", {0}, 300.0));
    }));
    EXPECT_TRUE(ran);
    EXPECT_NEAR(trials[0].recordings[0].values.back(), -65.0 + 0.01 / leak, 1e-6);
}

TEST(Drives, PoissonDrivenNetworkRuns)
{
    // A drive of 6 trains at 40 Hz onto 6 hh cells through 4 nS AMPA synapses makes them fire.
    const nn::BuiltNetwork b = nn::build(driven_network());
    nn::TrialRunOptions o;
    o.duration = 100.0;
    o.solver.linear_solver = sim::LinearSolver::klu;
    const auto first = nn::run_trials(b.model, o, nn::with_bias(b));
    const auto again = nn::run_trials(b.model, o, nn::with_bias(b));
    std::size_t spikes = 0;
    for (std::size_t c = 0; c < 6; ++c) spikes += first[0].spikes[c].size();
    EXPECT_GT(spikes, 3u);
    EXPECT_EQ(first[0].spikes, again[0].spikes);
}

TEST(Drives, RedrawnDrivesGiveEachTrialItsOwnNoise)
{
    // Trials that redraw the drives from their index see other spikes; the same index repeats.
    const nn::NetworkDescription d = driven_network();
    const nn::BuiltNetwork b = nn::build(d);
    nn::TrialRunOptions o;
    o.trials = 3;
    o.duration = 100.0;
    o.solver.linear_solver = sim::LinearSolver::klu;
    const auto redraw = nn::with_bias(b, [&](std::size_t trial, nn::NetworkSystem& system, sim::Simulation&) {
        nn::redraw_drives(d, b, system, 100 + trial % 2);  // trials 0 and 2 share a seed
    });
    const auto runs = nn::run_trials(b.model, o, redraw);
    EXPECT_NE(runs[0].spikes, runs[1].spikes);
    EXPECT_EQ(runs[0].spikes, runs[2].spikes);
    EXPECT_NE(runs[0].summary.scheduled_events, 0);

    nn::NetworkSystem system(b.model);
    expect_field([&] { system.set_spike_source(b.model.spike_sources.size(), {}); }, "source");
    expect_field([&] { system.set_spike_source(0, {5.0, 1.0}); }, "spike_source[0].times[1]");
}

TEST(Drives, JsonRoundTripKeepsDrivesAndBiases)
{
    const auto path = std::filesystem::temp_directory_path() / "neurode-drives-test.json";
    const nn::NetworkDescription d = driven_network();
    nn::save_json(d, path);
    const nn::NetworkDescription loaded = nn::load_json(path);
    ASSERT_EQ(loaded.drives.size(), 2u);
    ASSERT_EQ(loaded.drive_connections.size(), 2u);
    EXPECT_EQ(loaded.populations[0].bias, 0.02);
    EXPECT_EQ(loaded.populations[1].bias_site.position, 0.3);
    EXPECT_EQ(loaded.drives[1].name, "Q");
    EXPECT_EQ(loaded.drives[1].rate, 15.0);
    EXPECT_EQ(loaded.drives[1].start, 50.0);
    EXPECT_EQ(loaded.drives[1].stop, 250.0);
    EXPECT_EQ(loaded.drive_connections[1].receptor, nn::Receptor::nmda);
    EXPECT_EQ(loaded.drive_connections[1].rule, nn::ConnectionRule::bernoulli);
    EXPECT_EQ(loaded.drive_connections[1].post.position, 0.7);
    EXPECT_EQ(loaded.drive_connections[1].keep_probability, 0.9);
    EXPECT_EQ(loaded.drive_connections[0].weight, 0.004);
    EXPECT_EQ(loaded.drive_connections[0].delay, 1.5);
    const auto a = nn::build(d), b = nn::build(loaded);
    ASSERT_EQ(a.model.spike_sources.size(), b.model.spike_sources.size());
    for (std::size_t k = 0; k < a.model.spike_sources.size(); ++k) EXPECT_EQ(a.model.spike_sources[k].times, b.model.spike_sources[k].times);
    EXPECT_EQ(a.drive_connectivity[1].edges, b.drive_connectivity[1].edges);

    // Unknown keys are errors; the drive keys may be missing (files written before drives).
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    const std::string original = text.str();
    auto write = [&](std::string body) { std::ofstream(path) << body; };
    std::string unknown = original;
    unknown.replace(unknown.find("\"start_ms\""), 10, "\"start\": 0, \"start_ms\"");
    write(unknown);
    expect_field([&] { nn::load_json(path); }, "drives[0].start");
    nn::NetworkDescription old = d;
    old.drives.clear();
    old.drive_connections.clear();
    nn::save_json(old, path);
    std::stringstream old_text;
    old_text << std::ifstream(path).rdbuf();
    std::string stripped = old_text.str();
    for (const std::string key : {"\"drives\": []", "\"drive_connections\": []"}) {
        // The entry with the comma after it, or (when it is the last) the one before it.
        const std::string after = key + ",\n  ", before = ",\n  " + key;
        if (const auto at = stripped.find(after); at != std::string::npos) {
            stripped.erase(at, after.size());
        } else {
            const auto last = stripped.find(before);
            ASSERT_NE(last, std::string::npos) << key;
            stripped.erase(last, before.size());
        }
    }
    write(stripped);
    EXPECT_TRUE(nn::load_json(path).drives.empty()) << stripped;
    std::filesystem::remove(path);
}

TEST(Drives, BadDrivesNameTheItem)
{
    nn::NetworkModel m{{passive_soma()}, {}};
    m.spike_sources = {{{1.0, 2.0}}, {{0.0, 3.0, 2.0}}};
    m.event_synapses = {nn::make_source_synapse(1, 0, {"soma", 0.5}, nn::Receptor::ampa, 0.001, 1.0)};
    expect_field([&] { nn::NetworkSystem net(m); }, "spike_source[1].times[2]");
    m.spike_sources[1].times = {-1.0};
    expect_field([&] { nn::NetworkSystem net(m); }, "spike_source[1].times[0]");
    m.spike_sources[1].times = {1.0, std::nan("")};
    expect_field([&] { nn::NetworkSystem net(m); }, "spike_source[1].times[1]");
    m.spike_sources.pop_back();
    expect_field([&] { nn::NetworkSystem net(m); }, "event_synapse[0].pre_source");

    expect_field([] { nn::poisson_spike_train(-1.0, 0.0, 10.0, 1); }, "rate_hz");
    expect_field([] { nn::poisson_spike_train(1.0, 10.0, 0.0, 1); }, "stop_ms");
    expect_field([] { nn::inhomogeneous_poisson_spike_train(std::vector<double>{1.0, -2.0}, 1.0, 0.0, 1); }, "rate_hz[1]");
    expect_field([] { nn::task_input_current(std::vector<double>{1.0}, 0.0, 0.0, 1.0); }, "dt_ms");

    auto d = driven_network();
    d.drives[0].rate = -5.0;
    expect_field([&] { nn::build(d); }, "drive 'P'.rate");
    d = driven_network();
    d.drives[1].stop = 10.0;
    expect_field([&] { nn::build(d); }, "drive 'Q'.stop");
    d = driven_network();
    d.drives[1].name = "E";
    expect_field([&] { nn::build(d); }, "drive 'E'.name");
    d = driven_network();
    d.drive_connections[0].target = "Z";
    expect_field([&] { nn::build(d); }, "drive_connection[0] (P -> Z).target");
    d = driven_network();
    d.drive_connections[1].source = "E";
    expect_field([&] { nn::build(d); }, "drive_connection[1] (E -> I).source");
    d = driven_network();
    d.drive_connections[0].target = "I";
    expect_field([&] { nn::build(d); }, "drive_connection[0] (P -> I).rule");
    d = driven_network();
    d.drive_connections[1].delay = -1.0;
    expect_field([&] { nn::build(d); }, "drive_connection[1] (Q -> I).delay");
    d = driven_network();
    d.drive_connections[1].post = {"axon", 0.5};
    expect_field([&] { nn::build(d); }, "drive_connection[1] (Q -> I).section");
    d = driven_network();
    d.populations[0].bias = std::nan("");
    expect_field([&] { nn::build(d); }, "population 'E'.bias");
    d = driven_network();
    d.populations[1].bias_site = {"dend", 0.5};
    expect_field([&] { nn::build(d); }, "population 'I'.bias_site.section");

    nn::NetworkSystem net(nn::NetworkModel{{passive_soma()}, {}});
    expect_field([&] { nn::synaptic_conductance_probe(net, "g", nn::SynapseKind::kinetic, {0}, 1.0); }, "synapses[0]");
    expect_field([&] { nn::synaptic_current_probe(net, "i", nn::SynapseKind::event, {}, 1.0); }, "synapses");
}

TEST(Drives, SynapticProbesMatchTheFormulas)
{
    // An hh cell driving a passive soma through kinetic AMPA, NMDA and GABA-B synapses and an
    // event NMDA synapse; a spike source drives an event AMPA synapse onto the same soma.
    nn::NetworkModel m{{hh_soma_cell(), passive_soma()}, {}};
    const nn::Location soma{"soma", 0.5};
    m.synapses = {nn::make_synapse(0, soma, 1, soma, nn::Receptor::ampa, 0.002),
                  nn::make_synapse(0, soma, 1, soma, nn::Receptor::nmda, 0.003),
                  nn::make_synapse(0, soma, 1, soma, nn::Receptor::gaba_b, 0.004)};
    m.spike_sources = {{{3.0, 4.0, 9.0}}};
    m.event_synapses = {nn::make_event_synapse(0, 1, soma, nn::Receptor::nmda, 0.002, 1.0),
                        nn::make_source_synapse(0, 1, soma, nn::Receptor::ampa, 0.001, 0.5)};
    m.event_synapses[0].magnesium = 1.5;
    nn::NetworkSystem net(m);
    sim::SolverOptions o;
    o.linear_solver = sim::LinearSolver::klu;
    sim::Simulation s(net, o);
    s.set_input("cell[0].iclamp[0]", nn::clamp_step(1.0, 1.0, 3.0));
    const std::size_t v = net.voltage_index(1, soma);
    const std::size_t r0 = net.event_synapse_state(0) - 4;  // kinetic states: r, r, r and s, then A, B pairs
    const std::size_t e0 = net.event_synapse_state(0), e1 = net.event_synapse_state(1);
    s.add_probe(sim::Probe::state("y", {v, r0, r0 + 1, r0 + 2, r0 + 3, e0, e0 + 1, e1, e1 + 1}, 0.25));
    s.add_probe(nn::synaptic_conductance_probe(net, "g", nn::SynapseKind::kinetic, {0, 1, 2}, 0.25));
    s.add_probe(nn::synaptic_current_probe(net, "i", nn::SynapseKind::kinetic, {2, 0, 1}, 0.25));
    s.add_probe(nn::synaptic_conductance_probe(net, "ge", nn::SynapseKind::event, {0, 1}, 0.25));
    s.add_probe(nn::synaptic_current_probe(net, "ie", nn::SynapseKind::event, {1, 0}, 0.25));
    s.advance(20.0);
    EXPECT_EQ(net.variable_name(r0 + 3), "synapse[2].gaba_b.s");

    const auto &y = s.recording("y"), &g = s.recording("g"), &i = s.recording("i"), &ge = s.recording("ge"),
               &ie = s.recording("ie");
    EXPECT_EQ(g.columns, (std::vector<std::string>{"synapse[0].ampa", "synapse[1].nmda", "synapse[2].gaba_b"}));
    EXPECT_EQ(ie.columns, (std::vector<std::string>{"event_synapse[1].ampa", "event_synapse[0].nmda"}));
    EXPECT_EQ(g.units[0], "uS");
    EXPECT_EQ(ie.units[1], "nA");
    ASSERT_EQ(g.samples(), y.samples());
    double peak_event = 0, peak_source = 0;
    for (std::size_t k = 0; k < y.samples(); ++k) {
        const double vk = y.at(k, 0), r_ampa = y.at(k, 1), r_nmda = y.at(k, 2), s_gabab = y.at(k, 4);
        const double block = [](double mg, double vv) { return 1.0 / (1.0 + std::exp(-0.062 * vv) * mg / 3.57); }(1.0, vk);
        const double s4 = std::pow(s_gabab, 4);
        const double g_ampa = 0.002 * r_ampa, g_nmda = 0.003 * r_nmda * block, g_gabab = 0.004 * s4 / (s4 + 100.0);
        EXPECT_NEAR(g.at(k, 0), g_ampa, 1e-15);
        EXPECT_NEAR(g.at(k, 1), g_nmda, 1e-15);
        EXPECT_NEAR(g.at(k, 2), g_gabab, 1e-15);
        EXPECT_NEAR(i.at(k, 0), g_gabab * (vk + 95.0), 1e-13);
        EXPECT_NEAR(i.at(k, 1), g_ampa * (vk - 0.0), 1e-13);
        EXPECT_NEAR(i.at(k, 2), g_nmda * (vk - 0.0), 1e-13);
        const double block_15 = 1.0 / (1.0 + std::exp(-0.062 * vk) * 1.5 / 3.57);
        const double g_event = (y.at(k, 6) - y.at(k, 5)) * block_15, g_source = y.at(k, 8) - y.at(k, 7);
        EXPECT_NEAR(ge.at(k, 0), g_event, 1e-15);
        EXPECT_NEAR(ge.at(k, 1), g_source, 1e-15);
        EXPECT_NEAR(ie.at(k, 0), g_source * vk, 1e-13);
        EXPECT_NEAR(ie.at(k, 1), g_event * vk, 1e-13);
        peak_event = std::max(peak_event, g_event);
        peak_source = std::max(peak_source, g_source);
    }
    EXPECT_GT(peak_event, 2e-5) << "the presynaptic spike must reach the event NMDA synapse";
    EXPECT_GT(peak_source, 1e-3) << "two source spikes 1 ms apart sum above one's weight";
    EXPECT_LT(ie.at(ie.samples() - 1, 0), 0.0) << "excitatory current is inward (negative)";
}
