// Network descriptions: built identically from a seed, saved and loaded as JSON, validated with
// errors naming the item; a 20-cell E/I network gives identical spike trains on a second run and
// with 1 or 2 threads.
#include <gtest/gtest.h>

#include <filesystem>

#include "../support/expect_field.hpp"
#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/trials.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
nn::Connection connect(std::string source, std::string target, nn::Receptor receptor, nn::Location post,
                       double conductance, double probability)
{
    nn::Connection c;
    c.source = std::move(source);
    c.target = std::move(target);
    c.receptor = receptor;
    c.post = std::move(post);
    c.conductance = conductance;
    c.probability = probability;
    return c;
}

nn::NetworkDescription ei_network()
{
    nn::CellModel e;
    e.morphology = nn::Morphology::ball_and_stick(20.0, 200.0, 2.0, 3, 100.0);
    e.channels = {{"hh", "soma", {}}, {"pas", "dendrite", {{"g", 1e-4}, {"e", -65.0}}}};
    e.clamps = {{"soma", 0.5}};
    e.spike_detectors = {{"soma", 0.5}};
    nn::CellModel i;
    i.morphology = nn::Morphology::soma(15.0, 15.0);
    i.channels = {{"hh", "", {}}};
    i.clamps = {{"soma", 0.5}};
    i.spike_detectors = {{"soma", 0.5}};
    nn::NetworkDescription d;
    d.populations = {{"E", e, 16}, {"I", i, 4}};
    const auto ee = connect("E", "E", nn::Receptor::ampa, {"dend", 0.9}, 0.002, 0.2);
    const auto ei = connect("E", "I", nn::Receptor::ampa, {"soma", 0.5}, 0.002, 0.5);
    const auto ie = connect("I", "E", nn::Receptor::gaba_a, {"soma", 0.5}, 0.004, 0.5);
    auto en = connect("E", "E", nn::Receptor::nmda, {"dend", 0.9}, 0.001, 0.0);
    en.rule = nn::ConnectionRule::ring_lattice;
    en.keep_probability = 0.7;
    d.connections = {ee, ei, ie, en};
    d.seed = 42;
    return d;
}

std::vector<nn::TrialResult> run(const nn::NetworkModel& model, std::size_t threads)
{
    nn::TrialRunOptions o;
    o.trials = 3;
    o.duration = 150.0;
    o.threads = threads;
    o.solver.linear_solver = sim::LinearSolver::klu;
    // Each cell gets its own noisy current, seeded by trial and cell only.
    return nn::run_trials(model, o, [](std::size_t trial, const nn::NetworkSystem& system, sim::Simulation& s) {
        for (std::size_t k = 0; k < system.input_count(); ++k)
            s.set_input(k, nn::clamp_noise(0.12, 0.05, 1.0, 150.0, 1000 * trial + k));
    });
}
}  // namespace

TEST(Populations, SameSeedSameNetworkAndLatticeCounts)
{
    const auto a = nn::build(ei_network());
    const auto b = nn::build(ei_network());
    ASSERT_EQ(a.model.synapses.size(), b.model.synapses.size());
    for (std::size_t k = 0; k < a.model.synapses.size(); ++k) {
        EXPECT_EQ(a.model.synapses[k].pre_cell, b.model.synapses[k].pre_cell);
        EXPECT_EQ(a.model.synapses[k].post_cell, b.model.synapses[k].post_cell);
    }
    EXPECT_EQ(a.model.cells.size(), 20u);
    EXPECT_EQ(a.cell(1, 0), 16u);
    // The ring lattice with distances {1, 2} on 16 cells has 2 * 15 + 2 * 14 = 58 pairs before
    // the mask; keep_probability 0.7 keeps a subset.
    EXPECT_LT(a.connectivity[3].edges.size(), 58u);
    EXPECT_GT(a.connectivity[3].edges.size(), 25u);
    auto other = ei_network();
    other.seed = 43;
    EXPECT_NE(nn::build(other).connectivity[0].edges, a.connectivity[0].edges);
}

TEST(Populations, JsonRoundTripRebuildsTheSameNetwork)
{
    const auto path = std::filesystem::temp_directory_path() / "neurode-network-test.json";
    nn::save_json(ei_network(), path);
    const auto loaded = nn::load_json(path);
    std::filesystem::remove(path);
    const auto a = nn::build(ei_network()), b = nn::build(loaded);
    ASSERT_EQ(a.model.synapses.size(), b.model.synapses.size());
    for (std::size_t k = 0; k < a.model.synapses.size(); ++k) {
        EXPECT_EQ(a.model.synapses[k].post_cell, b.model.synapses[k].post_cell);
        EXPECT_EQ(a.model.synapses[k].post.section, b.model.synapses[k].post.section);
        EXPECT_EQ(a.model.synapses[k].conductance, b.model.synapses[k].conductance);
    }
    EXPECT_EQ(b.model.cells[0].channels[1].parameters.at("g"), 1e-4);
}

TEST(Populations, TargetStrideKeepsEveryNthTargetAndSurvivesJson)
{
    nn::NetworkDescription d = ei_network();
    d.connections[0].rule = nn::ConnectionRule::all_to_all;
    d.connections[0].keep_probability = 1.0;
    d.connections[0].target_stride = 3;
    const auto path = std::filesystem::temp_directory_path() / "neurode-stride-test.json";
    nn::save_json(d, path);
    const auto loaded = nn::load_json(path);
    std::filesystem::remove(path);
    EXPECT_EQ(loaded.connections[0].target_stride, 3u);
    const nn::Projection p = nn::build(loaded).connectivity[0];
    ASSERT_GT(p.size(), 0u);
    std::size_t expected = 0;
    const std::size_t sources = p.sources, targets = p.targets;
    for (std::size_t i = 0; i < sources; ++i)
        for (std::size_t j = 0; j < targets; j += 3) expected += (d.connections[0].source != d.connections[0].target || i != j);
    EXPECT_EQ(p.size(), expected);
    for (const nn::Edge& e : p.edges) EXPECT_EQ(e.target % 3, 0u);
    d.connections[0].target_stride = 0;
    try {
        nn::build(d);
        ADD_FAILURE() << "a stride of 0 was accepted";
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_NE(std::string(e.what()).find("target_stride"), std::string::npos) << e.what();
    }
}

TEST(Populations, TwentyCellNetworkIsDeterministicAcrossRunsAndThreads)
{
    const auto model = nn::build(ei_network()).model;
    const auto first = run(model, 1), again = run(model, 1), threaded = run(model, 2);
    std::size_t spikes = 0;
    for (std::size_t t = 0; t < first.size(); ++t) {
        EXPECT_EQ(first[t].spikes, again[t].spikes) << "trial " << t;
        EXPECT_EQ(first[t].spikes, threaded[t].spikes) << "trial " << t;
        for (const auto& cell : first[t].spikes) spikes += cell.size();
    }
    EXPECT_GT(spikes, 20u) << "the network must be active for the comparison to mean anything";
    EXPECT_NE(first[0].spikes, first[1].spikes) << "trials differ by their noise seeds";
}

TEST(Populations, BadDescriptionsNameTheItem)
{
    auto d = ei_network();
    d.connections[2].target = "Q";
    expect_field([&] { nn::build(d); }, "connection[2] (I -> Q).source");
    d = ei_network();
    d.connections[0].post = {"apical", 0.5};
    expect_field([&] { nn::build(d); }, "connection[0] (E -> E).section");
    d = ei_network();
    d.populations[1].size = 0;
    expect_field([&] { nn::build(d); }, "population 'I'.size");
    d = ei_network();
    d.connections[1].probability = 1.5;
    expect_field([&] { nn::build(d); }, "connection[1] (E -> I).probability");
    d = ei_network();
    d.populations[0].cell.channels.push_back({"kdr", "", {}});
    expect_field([&] { nn::build(d); }, "population 'E'.cell.channel");
}
