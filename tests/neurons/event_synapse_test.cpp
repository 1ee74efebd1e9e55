// Event-driven double-exponential synapses (NEURON's NetCon + Exp2Syn): a ball-and-stick cell
// driven by a spiking hh cell against NEURON 8.2 running the same model
// (tests/reference/neuron/event_synapses.py and mod_event/exp2nmda.mod), exact delivery times,
// zero delays, repeatable network runs, the analytic Jacobian and input validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../support/neuron_models.hpp"
#include "../support/expect_field.hpp"
#include "../support/jacobian_check.hpp"
#include "../support/reference_files.hpp"
#include <neurode/neurons/network.hpp>
#include <neurode/sim/simulation.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
struct Reference {
    std::vector<double> pre_spikes, post_spikes, soma, dend;
};

Reference read_reference()
{
    const KeyedReference file("neuron/event_synapses.txt");
    return {file.values("pre_spikes"), file.values("post_spikes"), file.column("v", 1), file.column("v", 2)};
}

// The model of event_synapses.py.
nn::NetworkModel model()
{
    nn::CellModel post;
    post.morphology = nn::Morphology::ball_and_stick(20.0, 500.0, 2.0, 9, 100.0);
    post.channels = {{"hh", "soma", {}}, {"pas", "dendrite", {{"g", 1e-4}, {"e", -65.0}}}};
    post.spike_detectors = {{"soma", 0.5}};
    nn::NetworkModel net{{hh_soma_cell(), post}, {}};
    const nn::Location tip{"dend", 0.9}, soma{"soma", 0.5}, mid{"dend", 0.5};
    net.event_synapses = {nn::make_event_synapse(0, 1, tip, nn::Receptor::ampa, 0.005, 1.5),
                          nn::make_event_synapse(0, 1, soma, nn::Receptor::ampa, 0.002, 3.0),
                          nn::make_event_synapse(0, 1, tip, nn::Receptor::nmda, 0.004, 1.5),
                          nn::make_event_synapse(0, 1, mid, nn::Receptor::gaba_a, 0.002, 0.0)};
    return net;
}

// A presynaptic hh cell and a passive soma with one event synapse.
nn::NetworkModel pair(double delay)
{
    nn::CellModel post;
    post.morphology = nn::Morphology::soma(20.0, 20.0);
    post.channels = {{"pas", "", {{"g", 1e-4}, {"e", -65.0}}}};
    nn::NetworkModel net{{hh_soma_cell(), post}, {}};
    net.event_synapses = {nn::make_event_synapse(0, 1, {"soma", 0.5}, nn::Receptor::ampa, 0.002, delay)};
    return net;
}

struct Onset {
    double spike;      // [ms] the presynaptic threshold crossing
    double last_zero;  // [ms] the last step end with B == 0
    double first_on;   // [ms] the first step end with B > 0
    double fitted;     // [ms] the onset t0 solving B(t) = w factor exp(-(t - t0) / tau2) late in the decay
    double peak;       // [uS] the largest B - A recorded
};

// One presynaptic spike (a 2 ms pulse) delivered through pair(delay); every step recorded.
Onset measure_onset(double delay, const sim::SolverOptions& options)
{
    const nn::NetworkModel m = pair(delay);
    nn::NetworkSystem net(m);
    sim::Simulation s(net, options);
    s.set_input("cell[0].iclamp[0]", nn::clamp_step(1.0, 1.0, 3.0));
    const std::size_t a = net.event_synapse_state(0);
    s.add_probe(sim::Probe::state("ab", {a, a + 1}, 0.0));
    s.advance(40.0);
    const auto pre = net.spike_trains(s.events())[0];
    EXPECT_EQ(pre.size(), 1u);
    EXPECT_EQ(s.summary().scheduled_events, 1);
    const auto& rec = s.recording("ab");
    Onset o{pre.empty() ? NAN : pre[0], -1, -1, NAN, 0};
    for (std::size_t k = 0; k < rec.samples(); ++k) {
        if (rec.at(k, 1) == 0.0) o.last_zero = rec.times[k];
        if (rec.at(k, 1) > 0.0 && o.first_on < 0) o.first_on = rec.times[k];
        o.peak = std::max(o.peak, rec.at(k, 1) - rec.at(k, 0));
    }
    const nn::EventSynapse& syn = m.event_synapses[0];
    const double b_end = rec.at(rec.samples() - 1, 1), t_end = rec.times.back();
    o.fitted = t_end + syn.tau2 * std::log(b_end / (syn.weight * nn::exp2_peak_factor(syn.tau1, syn.tau2)));
    return o;
}
}  // namespace

TEST(EventSynapses, BallAndStickMatchesNeuron)
{
    const Reference ref = read_reference();
    ASSERT_GE(ref.post_spikes.size(), 5u) << "missing tests/reference/neuron/event_synapses.txt";
    nn::NetworkSystem net(model());
    sim::Simulation s(net, klu_cvode(1e-8));
    s.set_input("cell[0].iclamp[0]", nn::clamp_step(0.3, 5.0, 195.0));
    const std::size_t vs = net.voltage_index(1, {"soma", 0.5}), vd = net.voltage_index(1, {"dend", 0.9});
    s.add_probe(sim::Probe::state("post", {vs, vd}, 1.0));
    const sim::RunSummary run = s.advance(200.0);

    const auto cells = net.spike_trains(s.events());
    ASSERT_EQ(cells[0].size(), ref.pre_spikes.size());
    ASSERT_EQ(cells[1].size(), ref.post_spikes.size());
    // Three delivery times per presynaptic spike (delays 0, 1.5 and 3 ms; the two synapses with
    // 1.5 ms are delivered together), all before 200 ms.
    EXPECT_EQ(run.scheduled_events, 3 * static_cast<long>(cells[0].size()));
    EXPECT_EQ(net.pending_deliveries(), 0u);
    double worst_pre = 0, worst_post = 0;
    for (std::size_t k = 0; k < cells[0].size(); ++k) worst_pre = std::max(worst_pre, std::abs(cells[0][k] - ref.pre_spikes[k]));
    for (std::size_t k = 0; k < cells[1].size(); ++k) {
        EXPECT_NEAR(cells[1][k], ref.post_spikes[k], 0.1) << "post spike " << k;
        worst_post = std::max(worst_post, std::abs(cells[1][k] - ref.post_spikes[k]));
    }
    const auto& rec = s.recording("post");
    ASSERT_EQ(rec.samples(), ref.soma.size());
    double soma_sq = 0, dend_sq = 0;
    for (std::size_t k = 0; k < rec.samples(); ++k) {
        soma_sq += std::pow(rec.at(k, 0) - ref.soma[k], 2);
        dend_sq += std::pow(rec.at(k, 1) - ref.dend[k], 2);
    }
    const double soma_rms = std::sqrt(soma_sq / static_cast<double>(rec.samples()));
    const double dend_rms = std::sqrt(dend_sq / static_cast<double>(rec.samples()));
    EXPECT_LT(soma_rms, 0.5);
    EXPECT_LT(dend_rms, 0.5);
    std::cout << "[ vs NEURON ] max |spike time difference| pre " << worst_pre << " ms, post " << worst_post
              << " ms; voltage RMS soma " << soma_rms << " mV, dendrite " << dend_rms << " mV\n";
}

// The fixed-step methods deliver late by less than one step (the crossing is reported at the end
// of its step), so their spike times follow NEURON's to within the discretisation error.
TEST(EventSynapses, FixedStepFollowsNeuron)
{
    const Reference ref = read_reference();
    ASSERT_GE(ref.post_spikes.size(), 5u);
    nn::NetworkSystem net(model());
    sim::SolverOptions o;
    o.method = sim::Method::crank_nicolson;
    o.dt = 0.005;
    sim::Simulation s(net, o);
    s.set_input("cell[0].iclamp[0]", nn::clamp_step(0.3, 5.0, 195.0));
    s.advance(200.0);
    const auto cells = net.spike_trains(s.events());
    ASSERT_EQ(cells[1].size(), ref.post_spikes.size());
    double worst = 0;
    for (std::size_t k = 0; k < cells[1].size(); ++k) worst = std::max(worst, std::abs(cells[1][k] - ref.post_spikes[k]));
    EXPECT_LT(worst, 0.2);
    std::cout << "[ crank_nicolson dt 0.005 ms ] max |post spike time difference| " << worst << " ms\n";
}

TEST(EventSynapses, DeliveryIsSpikeTimePlusDelay)
{
    sim::SolverOptions o = klu_cvode(1e-8);
    o.rtol = o.atol = 1e-10;
    const double delay = 2.5;  // [ms]
    const Onset on = measure_onset(delay, o);
    // The engine stops exactly at spike + delay: the step ending there still has B == 0.
    EXPECT_NEAR(on.last_zero, on.spike + delay, 1e-12 * (on.spike + delay));
    EXPECT_GT(on.first_on, on.last_zero);
    EXPECT_NEAR(on.fitted, on.spike + delay, 1e-6);
    EXPECT_NEAR(on.peak, 0.002, 1e-6);  // weight [uS]: Exp2Syn's normalisation
}

TEST(EventSynapses, ZeroDelayIsDeliveredAtTheSpike)
{
    sim::SolverOptions o = klu_cvode(1e-8);
    o.rtol = o.atol = 1e-10;
    const Onset on = measure_onset(0.0, o);
    EXPECT_NEAR(on.last_zero, on.spike, 1e-12 * on.spike);
    EXPECT_NEAR(on.fitted, on.spike, 1e-6);

    sim::SolverOptions fixed;
    fixed.method = sim::Method::backward_euler;
    fixed.dt = 0.025;
    const Onset step = measure_onset(0.0, fixed);
    // Delivered at the end of the step in which the threshold was crossed.
    EXPECT_GE(step.last_zero, step.spike);
    EXPECT_LE(step.last_zero, step.spike + fixed.dt);
}

TEST(EventSynapses, NewRunDropsPendingDeliveries)
{
    nn::NetworkSystem net(pair(5.0));
    const sim::SolverOptions o = klu_cvode(1e-8);
    sim::Simulation first(net, o);
    first.set_input("cell[0].iclamp[0]", nn::clamp_step(1.0, 1.0, 3.0));
    first.advance(4.0);  // past the spike, before its delivery
    ASSERT_EQ(net.spike_trains(first.events())[0].size(), 1u);
    EXPECT_EQ(net.pending_deliveries(), 1u);
    sim::Simulation second(net, o);
    EXPECT_EQ(net.pending_deliveries(), 0u);
}

TEST(EventSynapses, NetworkRunsRepeatExactly)
{
    // 16 E and 4 I hh somas with clamp drives of different strength; E -> any AMPA, I -> any
    // GABA-A, on a fixed sparse pattern, delays 0.5 to 2.5 ms.
    constexpr std::size_t cells = 20, excitatory = 16;
    nn::NetworkModel m;
    for (std::size_t c = 0; c < cells; ++c) m.cells.push_back(hh_soma_cell());
    for (std::size_t i = 0; i < cells; ++i)
        for (std::size_t j = 0; j < cells; ++j) {
            if (i == j || (7 * i + 3 * j) % 5 != 0) continue;
            const bool exc = i < excitatory;
            const double delay = 0.5 + 0.5 * static_cast<double>((i + j) % 5);  // [ms]
            m.event_synapses.push_back(nn::make_event_synapse(i, j, {"soma", 0.5}, exc ? nn::Receptor::ampa : nn::Receptor::gaba_a,
                                                              exc ? 0.002 : 0.004, delay));
        }
    auto run = [&](nn::NetworkSystem& net) {
        sim::SolverOptions o;
        o.linear_solver = sim::LinearSolver::klu;
        sim::Simulation s(net, o);
        for (std::size_t c = 0; c < cells; ++c)
            s.set_input("cell[" + std::to_string(c) + "].iclamp[0]",
                        nn::clamp_step(c < excitatory ? 0.05 + 0.01 * static_cast<double>(c) : 0.0, 2.0, 100.0));
        s.advance(100.0);
        return net.spike_trains(s.events());
    };
    nn::NetworkSystem net(m);
    const auto first = run(net);
    const auto again = run(net);  // the same system: a new run starts with an empty queue
    nn::NetworkSystem fresh(m);
    const auto other = run(fresh);
    std::size_t total = 0, inhibitory = 0;
    for (std::size_t c = 0; c < cells; ++c) {
        total += first[c].size();
        if (c >= excitatory) inhibitory += first[c].size();
    }
    EXPECT_GT(total, 50u);
    EXPECT_GT(inhibitory, 0u);  // I cells have no drive: they fire only through synapses
    EXPECT_EQ(first, again);
    EXPECT_EQ(first, other);
}

TEST(EventSynapses, AnalyticJacobianMatchesFiniteDifferences)
{
    auto m = model();
    m.event_synapses.push_back(nn::make_event_synapse(0, 1, {"dend", 0.5}, nn::Receptor::gaba_b, 0.01, 1.0));
    m.event_synapses.push_back(nn::make_event_synapse(0, 1, {"soma", 0.5}, nn::Receptor::nmda, 0.01, 1.0));
    m.synapses.push_back(nn::make_synapse(0, {"soma", 0.5}, 1, {"dend", 0.2}, nn::Receptor::nmda, 0.01));
    nn::NetworkSystem net(m);
    const std::size_t n = net.size();
    std::vector<double> y(n), u(net.input_count(), 0.1);
    net.initial_state(y);
    // Every state off its resting value, A and B included (they rest at 0).
    for (std::size_t i = 0; i < n; ++i) y[i] += (net.variable_unit(i) == "mV" ? 20.0 : 0.1) * std::sin(1.3 * static_cast<double>(i));
    expect_sparse_jacobian_matches_differences(net, y, u, 1e-5);
}

TEST(EventSynapses, Exp2SynNormalisation)
{
    // The peak of exp(-t/tau2) - exp(-t/tau1) times the factor is 1 (NEURON's Exp2Syn).
    for (const auto& [tau1, tau2] : {std::pair{0.5, 5.0}, std::pair{1.0, 20.0}, std::pair{0.1, 10.0}}) {
        const double t_peak = tau1 * tau2 / (tau2 - tau1) * std::log(tau2 / tau1);
        EXPECT_NEAR(nn::exp2_peak_factor(tau1, tau2) * (std::exp(-t_peak / tau2) - std::exp(-t_peak / tau1)), 1.0, 1e-14);
    }
    const auto ampa = nn::make_event_synapse(0, 1, {}, nn::Receptor::ampa, 1e-3, 1.0);
    const auto gaba_b = nn::make_event_synapse(0, 1, {}, nn::Receptor::gaba_b, 1e-3, 1.0);
    EXPECT_EQ(ampa.tau1, 0.5);
    EXPECT_EQ(ampa.tau2, 5.0);
    EXPECT_EQ(gaba_b.tau2, 20.0);
    EXPECT_EQ(gaba_b.reversal, -80.0);
}

TEST(EventSynapses, BadInputNamesTheItem)
{
    auto m = model();
    m.event_synapses[1].delay = -1.0;
    expect_field([&] { nn::NetworkSystem net(m); }, "event_synapse[1].delay");
    m = model();
    m.event_synapses[2].tau1 = m.event_synapses[2].tau2;
    expect_field([&] { nn::NetworkSystem net(m); }, "event_synapse[2].tau1");
    m = model();
    m.event_synapses[0].post = {"axon", 0.5};
    expect_field([&] { nn::NetworkSystem net(m); }, "event_synapse[0].section");
    m = model();
    m.event_synapses[3].weight = std::nan("");
    expect_field([&] { nn::NetworkSystem net(m); }, "event_synapse[3].weight");
    m = model();
    m.event_synapses[0].post_cell = 7;
    expect_field([&] { nn::NetworkSystem net(m); }, "event_synapse[0].post_cell");
    m = model();
    m.cells[0].spike_detectors.clear();
    expect_field([&] { nn::NetworkSystem net(m); }, "event_synapse[0].pre_cell");
}
