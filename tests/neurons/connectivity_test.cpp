// Connectivity rules: the reference ring lattice's pair counts, Erdos-Renyi density, the
// Watts-Strogatz limits, seed reproducibility, the Boost.Graph view and option validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <neurode/neurons/connectivity.hpp>
#include <neurode/sim/errors.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
constexpr std::size_t n_exc = 50;
constexpr std::size_t n_inh = 25;

template <class F>
std::string invalid_field(F&& f)
{
    try {
        f();
    } catch (const neurode::invalid_parameter& e) {
        return e.field();
    }
    return "<no invalid_parameter thrown>";
}

// Brute force over all pairs of the rule as brc-model.md states it, in cell indices.
template <class Rule>
std::vector<nn::Edge> pairs_where(std::size_t sources, std::size_t targets, Rule rule)
{
    std::vector<nn::Edge> out;
    for (std::size_t i = 0; i < sources; ++i)
        for (std::size_t j = 0; j < targets; ++j)
            if (rule(static_cast<long>(i), static_cast<long>(j))) out.push_back({i, j});
    return out;
}
}  // namespace

TEST(Connectivity, ReferenceRingLatticeCounts)
{
    // E_i at node i, I_j at node 2j; node distance 1 or 2; no wrap-around.
    const nn::Projection ee = nn::ring_lattice(n_exc, n_exc, {.source_spacing = 1, .target_spacing = 1});
    const nn::Projection ei = nn::ring_lattice(n_exc, n_inh, {.source_spacing = 1, .target_spacing = 2});
    const nn::Projection ie = nn::ring_lattice(n_inh, n_exc, {.source_spacing = 2, .target_spacing = 1});
    const nn::Projection ii = nn::ring_lattice(n_inh, n_inh, {.source_spacing = 2, .target_spacing = 2});
    EXPECT_EQ(ee.size(), 194u);
    EXPECT_EQ(ei.size(), 97u);
    EXPECT_EQ(ie.size(), 97u);
    EXPECT_EQ(ii.size(), 48u);

    auto in = [](long d, std::initializer_list<long> set) { return std::find(set.begin(), set.end(), std::labs(d)) != set.end(); };
    EXPECT_EQ(ee.edges, pairs_where(n_exc, n_exc, [&](long i, long j) { return in(i - j, {1, 2}); }));
    EXPECT_EQ(ei.edges, pairs_where(n_exc, n_inh, [&](long i, long j) { return in(i - 2 * j, {1, 2}); }));
    EXPECT_EQ(ie.edges, ei.transpose().edges);
    EXPECT_EQ(ii.edges, pairs_where(n_inh, n_inh, [&](long i, long j) { return in(i - j, {1}); }));
    for (const nn::Projection* p : {&ee, &ei, &ie, &ii}) EXPECT_NO_THROW(p->validate());
}

TEST(Connectivity, PeriodicRingLatticeWraps)
{
    const nn::Projection ring = nn::ring_lattice(10, 10, {.distances = {1}, .periodic = true});
    EXPECT_EQ(ring.size(), 20u);  // every node to both neighbours, 0 <-> 9 included
    EXPECT_TRUE(std::binary_search(ring.edges.begin(), ring.edges.end(), nn::Edge{0, 9}));
    EXPECT_TRUE(std::binary_search(ring.edges.begin(), ring.edges.end(), nn::Edge{9, 0}));
    const nn::Projection line = nn::ring_lattice(10, 10, {.distances = {1}});
    EXPECT_EQ(line.size(), 18u);
}

TEST(Connectivity, BernoulliMaskKeepsASubsetDrawnFromTheSeed)
{
    const nn::Projection ee = nn::ring_lattice(n_exc, n_exc, {});
    sim::Rng a(7), b(7), c(8);
    const nn::Projection mask = nn::bernoulli_mask(ee, 0.5, a);
    EXPECT_EQ(mask.edges, nn::bernoulli_mask(ee, 0.5, b).edges);
    EXPECT_NE(mask.edges, nn::bernoulli_mask(ee, 0.5, c).edges);
    EXPECT_LT(mask.size(), ee.size());
    EXPECT_GT(mask.size(), 0u);
    for (const nn::Edge& e : mask.edges) EXPECT_TRUE(std::binary_search(ee.edges.begin(), ee.edges.end(), e));
    EXPECT_EQ(nn::bernoulli_mask(ee, 1.0, a).edges, ee.edges);
    EXPECT_TRUE(nn::bernoulli_mask(ee, 0.0, a).edges.empty());
}

TEST(Connectivity, ErdosRenyiDensityWithinBinomialTolerance)
{
    constexpr std::size_t n = 200;
    constexpr double p = 0.1;
    sim::Rng rng(2024);
    const nn::Projection g = nn::erdos_renyi(n, {.probability = p}, rng);
    const double pairs = n * (n - 1.0);  // no self loops
    const double sd = std::sqrt(pairs * p * (1 - p));
    EXPECT_NEAR(static_cast<double>(g.size()), pairs * p, 5 * sd);
    for (const nn::Edge& e : g.edges) EXPECT_NE(e.source, e.target);
    EXPECT_NO_THROW(g.validate());

    const nn::Projection with_self = nn::erdos_renyi(20, {.probability = 1.0, .self_connections = true}, rng);
    EXPECT_EQ(with_self.size(), 400u);
    EXPECT_EQ(nn::erdos_renyi(20, {.probability = 1.0}, rng).size(), 380u);
    EXPECT_EQ(nn::erdos_renyi(20, {.probability = 0.0}, rng).size(), 0u);

    // Between two populations every pair is a candidate, i == j included.
    const nn::Projection cross = nn::bernoulli(30, 40, {.probability = 0.25}, rng);
    const double cross_sd = std::sqrt(1200 * 0.25 * 0.75);
    EXPECT_NEAR(static_cast<double>(cross.size()), 300.0, 5 * cross_sd);
    EXPECT_EQ(cross.sources, 30u);
    EXPECT_EQ(cross.targets, 40u);
}

TEST(Connectivity, SameSeedGivesTheSameGraph)
{
    sim::Rng a(99), b(99), c(100);
    EXPECT_EQ(nn::erdos_renyi(100, {.probability = 0.05}, a).edges, nn::erdos_renyi(100, {.probability = 0.05}, b).edges);
    EXPECT_NE(nn::erdos_renyi(100, {.probability = 0.05}, a).edges, nn::erdos_renyi(100, {.probability = 0.05}, c).edges);
    sim::Rng d(5), e(5);
    EXPECT_EQ(nn::watts_strogatz(100, {.neighbours = 6, .beta = 0.2}, d).edges,
              nn::watts_strogatz(100, {.neighbours = 6, .beta = 0.2}, e).edges);
}

TEST(Connectivity, WattsStrogatzLimits)
{
    constexpr std::size_t n = 60, k = 6;
    const nn::Projection lattice = nn::ring_lattice(n, n, {.distances = {1, 2, 3}, .periodic = true});
    sim::Rng rng(11);
    EXPECT_EQ(nn::watts_strogatz(n, {.neighbours = k, .beta = 0.0}, rng).edges, lattice.edges);

    for (double beta : {0.2, 1.0}) {
        SCOPED_TRACE(beta);
        const nn::Projection g = nn::watts_strogatz(n, {.neighbours = k, .beta = beta}, rng);
        EXPECT_EQ(g.size(), n * k);
        EXPECT_NO_THROW(g.validate());  // sorted, so no duplicate pairs
        for (const nn::Edge& e : g.edges) EXPECT_NE(e.source, e.target);
        EXPECT_NE(g.edges, lattice.edges);
        // Rewiring moves targets only: every node keeps k outgoing edges.
        const nn::Digraph graph = nn::to_graph(g);
        for (std::size_t v = 0; v < n; ++v) EXPECT_EQ(boost::out_degree(v, graph), k);
    }
    // k = n - 1: the lattice is complete, nothing to rewire to.
    EXPECT_EQ(nn::watts_strogatz(7, {.neighbours = 6, .beta = 1.0}, rng).size(), 42u);
}

TEST(Connectivity, BoostGraphView)
{
    const nn::Projection ee = nn::ring_lattice(n_exc, n_exc, {});
    const nn::Digraph g = nn::to_graph(ee);
    EXPECT_EQ(boost::num_vertices(g), n_exc);
    EXPECT_EQ(boost::num_edges(g), 194u);
    EXPECT_EQ(boost::in_degree(0, g), 2u);
    EXPECT_EQ(boost::in_degree(25, g), 4u);
    EXPECT_EQ(nn::to_projection(g).edges, ee.edges);

    const nn::Projection ei = nn::ring_lattice(n_exc, n_inh, {.target_spacing = 2});
    EXPECT_EQ(invalid_field([&] { nn::to_graph(ei); }), "targets");
}

TEST(Connectivity, ExplicitEdgeLists)
{
    const nn::Projection p = nn::from_edges(3, 4, {{2, 0}, {0, 3}, {0, 1}});
    EXPECT_EQ(p.edges, (std::vector<nn::Edge>{{0, 1}, {0, 3}, {2, 0}}));
    EXPECT_EQ(invalid_field([] { nn::from_edges(3, 4, {{0, 1}, {1, 4}}); }), "edges[1].target");
    EXPECT_EQ(invalid_field([] { nn::from_edges(3, 4, {{3, 1}}); }), "edges[0].source");
    EXPECT_EQ(invalid_field([] { nn::from_edges(3, 4, {{0, 1}, {2, 2}, {0, 1}}); }), "edges[2]");
    nn::Projection unsorted{3, 3, {{1, 0}, {0, 1}}};
    EXPECT_EQ(invalid_field([&] { unsorted.validate(); }), "edges[1]");
}

TEST(Connectivity, BadOptionsNameTheField)
{
    sim::Rng rng(1);
    EXPECT_EQ(invalid_field([&] { nn::erdos_renyi(10, {.probability = 1.5}, rng); }), "probability");
    EXPECT_EQ(invalid_field([&] { nn::erdos_renyi(10, {.probability = -0.1}, rng); }), "probability");
    EXPECT_EQ(invalid_field([&] { nn::erdos_renyi(10, {.probability = std::nan("")}, rng); }), "probability");
    EXPECT_EQ(invalid_field([&] { nn::bernoulli_mask(nn::Projection{2, 2, {}}, 2.0, rng); }), "probability");
    EXPECT_EQ(invalid_field([&] { nn::watts_strogatz(10, {.neighbours = 3}, rng); }), "neighbours");
    EXPECT_EQ(invalid_field([&] { nn::watts_strogatz(10, {.neighbours = 10}, rng); }), "neighbours");
    EXPECT_EQ(invalid_field([&] { nn::watts_strogatz(10, {.neighbours = 4, .beta = 1.1}, rng); }), "beta");
    EXPECT_EQ(invalid_field([] { nn::ring_lattice(5, 5, {.source_spacing = 0}); }), "source_spacing");
    EXPECT_EQ(invalid_field([] { nn::ring_lattice(5, 5, {.distances = {}}); }), "distances");
    EXPECT_EQ(invalid_field([] { nn::ring_lattice(5, 5, {.periodic = true, .ring_nodes = 3}); }), "ring_nodes");
}
