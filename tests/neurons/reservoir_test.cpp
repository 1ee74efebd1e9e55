// The reference reservoir network (brc-model.md): with every pair kept, the ring lattice has the
// reference's pair counts (E->E 194, E->I 97, I->E 97, I->I 48), on the reference's locations;
// pconn thins each projection by its own mask; a bad option names the field.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"
#include <neurode/neurons/populations.hpp>
#include <neurode/neurons/reservoir.hpp>

#include <cmath>

namespace nn = neurode::neurons;

namespace {
nn::ReservoirOptions every_pair_kept()
{
    nn::ReservoirOptions o;
    for (nn::ReservoirProjection* p : {&o.ee_ampa, &o.ee_dend_ampa, &o.ei_ampa, &o.ie_gaba, &o.ie_dend_gaba, &o.ii_gaba})
        p->probability = 1.0;
    return o;
}

// Pairs of E cell i and I cell j: E_i at node i, I_j at node 2j, |i - 2j| in {1, 2}.
std::size_t lattice_ei_pairs(std::size_t excitatory)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < excitatory; ++i)
        for (std::size_t j = 0; j < excitatory / 2; ++j) {
            const auto d = static_cast<long>(i) - 2 * static_cast<long>(j);
            n += (d == 1 || d == -1 || d == 2 || d == -2) ? 1 : 0;
        }
    return n;
}
}  // namespace

TEST(Reservoir, FullLatticeHasTheReferencePairCounts)
{
    const nn::BuiltNetwork b = nn::build(nn::reference_reservoir(every_pair_kept()));
    ASSERT_EQ(b.model.cells.size(), 75u);
    ASSERT_EQ(b.connectivity.size(), 6u);
    EXPECT_EQ(b.connectivity[0].edges.size(), 194u);  // E->E soma
    EXPECT_EQ(b.connectivity[1].edges.size(), 194u);  // E->E tip
    EXPECT_EQ(b.connectivity[2].edges.size(), 97u);   // E->I
    EXPECT_EQ(lattice_ei_pairs(50), 97u);             // the rule, counted independently
    EXPECT_EQ(b.connectivity[3].edges.size(), 97u);   // I->E soma
    EXPECT_EQ(b.connectivity[4].edges.size(), 97u);   // I->E tip
    EXPECT_EQ(b.connectivity[5].edges.size(), 48u);   // I->I
    for (const nn::Edge& e : b.connectivity[2].edges) {
        const auto d = static_cast<long>(e.source) - 2 * static_cast<long>(e.target);
        EXPECT_TRUE(d == 1 || d == -1 || d == 2 || d == -2) << e.source << " -> I" << e.target;
    }
    // Locations: soma compartment 0 or the distal tip; release read at the presynaptic soma.
    for (const nn::KineticSynapse& s : b.model.synapses) {
        EXPECT_EQ(s.pre.section, "soma");
        EXPECT_EQ(s.pre.position, 0.0);
        EXPECT_TRUE((s.post.section == "soma" && s.post.position == 0.0) || (s.post.section == "dend3" && s.post.position == 1.0));
    }
    // One Poisson train per cell, onto its soma.
    EXPECT_EQ(b.model.spike_sources.size(), 75u);
    EXPECT_EQ(b.model.event_synapses.size(), 75u);
}

TEST(Reservoir, PconnThinsEachProjectionAndScales)
{
    nn::ReservoirOptions o;
    o.ee_ampa.probability = 0.5;
    const nn::BuiltNetwork b = nn::build(nn::reference_reservoir(o));
    EXPECT_GT(b.connectivity[0].edges.size(), 194u / 4);
    EXPECT_LT(b.connectivity[0].edges.size(), 194u * 3 / 4);
    o.seed = 2;
    EXPECT_NE(nn::build(nn::reference_reservoir(o)).connectivity[0].edges, b.connectivity[0].edges);

    auto big = every_pair_kept();
    big.excitatory = 200;
    const nn::BuiltNetwork four = nn::build(nn::reference_reservoir(big));
    EXPECT_EQ(four.model.cells.size(), 300u);
    EXPECT_EQ(four.connectivity[2].edges.size(), lattice_ei_pairs(200));
}

TEST(Reservoir, BadOptionsNameTheField)
{
    auto with = [](auto change, const char* field) {
        nn::ReservoirOptions o;
        change(o);
        expect_field([&] { nn::reference_reservoir(o); }, field);
    };
    with([](nn::ReservoirOptions& o) { o.excitatory = 7; }, "excitatory");
    with([](nn::ReservoirOptions& o) { o.ie_gaba.probability = 1.5; }, "ie_gaba.probability");
    with([](nn::ReservoirOptions& o) { o.ee_dend_ampa.conductance = -1; }, "ee_dend_ampa.conductance");
    with([](nn::ReservoirOptions& o) { o.drive_rate = std::nan(""); }, "drive_rate");
    with([](nn::ReservoirOptions& o) { o.e_densities.dendrite.km = -1; }, "dendrite.km");
}

TEST(ReservoirCue, ReachesEvenExcitatoryCellsOnTheChosenSiteAndEveryInhibitoryCell)
{
    nn::ReservoirOptions o;
    o.cue.cells = 25;
    o.cue.excitatory = {0.5, 0.3};
    o.cue.receptor = nn::Receptor::ampa;
    o.cue.site = nn::CueSite::dendrite;
    const nn::NetworkDescription d = nn::reference_reservoir(o);
    ASSERT_EQ(d.populations.size(), 3u);
    EXPECT_EQ(d.populations[2].name, "cue");
    const nn::BuiltNetwork b = nn::build(d);
    const nn::Projection& to_e = b.connectivity[d.connections.size() - 2];
    const nn::Projection& to_i = b.connectivity[d.connections.size() - 1];
    ASSERT_GT(to_e.size(), 0u);
    for (const nn::Edge& e : to_e.edges) EXPECT_EQ(e.target % 2, 0u) << "cue -> odd E cell " << e.target;
    // 25 x 25 candidate pairs onto the even cells, each kept with p = 0.3: 187.5 expected, sd 11.5.
    EXPECT_NEAR(static_cast<double>(to_e.size()), 187.5, 4 * 11.5);
    EXPECT_EQ(to_i.size(), 25u * 25u);
    EXPECT_EQ(d.connections[d.connections.size() - 2].post.section, "dend3");
    EXPECT_EQ(d.connections[d.connections.size() - 2].receptor, nn::Receptor::ampa);
    o.cue.site = nn::CueSite::soma;
    EXPECT_EQ(nn::reference_reservoir(o).connections[d.connections.size() - 2].post.section, "soma");
}

TEST(ReservoirCue, CurrentsFollowTheReferenceTuning)
{
    // The reference's first centre (numpy default_rng(12345).uniform(-3, 3, (25, 2))[0]).
    const auto centres = nn::cue_centres(27);
    ASSERT_EQ(centres.size(), 27u);
    EXPECT_DOUBLE_EQ(centres[0][0], -1.635983865196982);
    EXPECT_DOUBLE_EQ(centres[0][1], -1.0994499617414828);
    for (const auto& c : centres) {
        EXPECT_GE(c[0], -3.0);
        EXPECT_LE(c[1], 3.0);
    }
    nn::ReservoirCue cue;
    cue.cells = 25;
    const auto currents = nn::cue_currents(cue, -2.0, -2.0);
    ASSERT_EQ(currents.size(), 25u);
    const double d1 = (centres[0][0] + 2.0) / 0.3, d2 = (centres[0][1] + 2.0) / 0.3;
    EXPECT_DOUBLE_EQ(currents[0], 0.05 * (std::exp(-d1 * d1) + std::exp(-d2 * d2)));
    // A cue at a cell's centre gives the peak current.
    EXPECT_DOUBLE_EQ(nn::cue_currents(cue, centres[3][0], centres[3][1])[3], 0.1);
}

TEST(ReservoirCue, BadOptionsNameTheField)
{
    nn::ReservoirOptions o;
    o.cue.cells = 5;
    o.cue.receptor = nn::Receptor::gaba_a;
    expect_field([&] { nn::reference_reservoir(o); }, "cue.receptor");
    o.cue.receptor = nn::Receptor::nmda;
    o.cue.excitatory.probability = 2;
    expect_field([&] { nn::reference_reservoir(o); }, "cue.excitatory.probability");
    o.cue.excitatory.probability = 0.1;
    o.cue.tuning_width = 0;
    expect_field([&] { nn::reference_reservoir(o); }, "cue.tuning_width");
}
