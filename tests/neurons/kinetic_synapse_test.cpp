// Kinetic AMPA and NMDA synapses (graded release, no delay) on the soma and the distal dendrite
// of a ball-and-stick cell, driven by a spiking hh cell, against NEURON 8.2 running the same
// model (tests/reference/neuron/kinetic_synapses.py and mod_synapse/kinetic_syn.mod).
#include <gtest/gtest.h>

#include <cmath>

#include "../support/expect_field.hpp"
#include "../support/jacobian_check.hpp"
#include "../support/reference_files.hpp"
#include <neurode/neurons/network.hpp>
#include <neurode/neurons/reference_models.hpp>
#include <neurode/sim/simulation.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
struct Reference {
    std::vector<double> pre_spikes, post_spikes, soma, dend;
};

Reference read_reference()
{
    const KeyedReference file("neuron/kinetic_synapses.txt");
    return {file.values("pre_spikes"), file.values("post_spikes"), file.column("v", 1), file.column("v", 2)};
}

}  // namespace

TEST(KineticSynapses, BallAndStickMatchesNeuron)
{
    const Reference ref = read_reference();
    ASSERT_GE(ref.post_spikes.size(), 5u) << "missing tests/reference/neuron/kinetic_synapses.txt";
    nn::NetworkSystem net(nn::kinetic_synapse_pair());
    sim::SolverOptions o;
    o.linear_solver = sim::LinearSolver::klu;
    o.rtol = 1e-8;
    o.atol = 1e-8;
    sim::Simulation s(net, o);
    s.set_input("cell[0].iclamp[0]", nn::clamp_step(0.3, 5.0, 195.0));
    const std::size_t vs = net.voltage_index(1, {"soma", 0.5}), vd = net.voltage_index(1, {"dend", 0.9});
    s.add_probe(sim::Probe::state("post", {vs, vd}, 1.0));
    s.advance(200.0);

    const auto trains = net.spike_trains(s.events());
    const std::vector<double>& pre = trains[0];
    const std::vector<double>& post = trains[1];
    ASSERT_EQ(pre.size(), ref.pre_spikes.size());
    ASSERT_EQ(post.size(), ref.post_spikes.size());
    for (std::size_t k = 0; k < post.size(); ++k) EXPECT_NEAR(post[k], ref.post_spikes[k], 0.1) << "post spike " << k;
    const auto& rec = s.recording("post");
    ASSERT_EQ(rec.samples(), ref.soma.size());
    double soma_sq = 0, dend_sq = 0;
    for (std::size_t k = 0; k < rec.samples(); ++k) {
        soma_sq += std::pow(rec.at(k, 0) - ref.soma[k], 2);
        dend_sq += std::pow(rec.at(k, 1) - ref.dend[k], 2);
    }
    EXPECT_LT(std::sqrt(soma_sq / static_cast<double>(rec.samples())), 0.5);
    EXPECT_LT(std::sqrt(dend_sq / static_cast<double>(rec.samples())), 0.5);
}

TEST(KineticSynapses, AnalyticJacobianMatchesFiniteDifferences)
{
    auto m = nn::kinetic_synapse_pair();
    m.synapses.push_back(nn::make_synapse(0, {"soma", 0.5}, 1, {"dend", 0.5}, nn::Receptor::gaba_b, 0.01));
    m.synapses.push_back(nn::make_synapse(0, {"soma", 0.5}, 1, {"dend", 0.2}, nn::Receptor::gaba_a, 0.01));
    nn::NetworkSystem net(m);
    const std::size_t n = net.size();
    std::vector<double> y(n), u(net.input_count(), 0.1);
    net.initial_state(y);
    for (std::size_t i = 0; i < n; ++i) y[i] += (net.variable_unit(i) == "mV" ? 20.0 : 0.1) * std::sin(1.3 * static_cast<double>(i));
    expect_sparse_jacobian_matches_differences(net, y, u, 1e-5);
}

TEST(KineticSynapses, BadInputNamesTheItem)
{
    auto m = nn::kinetic_synapse_pair();
    m.synapses[1].post = {"axon", 0.5};
    expect_field([&] { nn::NetworkSystem net(m); }, "synapse[1].section");
    m = nn::kinetic_synapse_pair();
    m.synapses[0].conductance = std::nan("");
    expect_field([&] { nn::NetworkSystem net(m); }, "synapse[0].conductance");
    m = nn::kinetic_synapse_pair();
    m.cells[1].channels.push_back({"kdr", "", {}});
    expect_field([&] { nn::NetworkSystem net(m); }, "cell[1].channel");
    m = nn::kinetic_synapse_pair();
    m.cells[1].morphology = nn::Morphology::ball_and_stick(20.0, -5.0);
    expect_field([&] { nn::NetworkSystem net(m); }, "cell[1].section 'dend'.length");
    EXPECT_THROW(nn::parse_receptor("glutamate"), neurode::invalid_parameter);
}
