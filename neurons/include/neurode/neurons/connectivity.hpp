#pragma once
// Connectivity rules: which cell of a source population connects to which cell of a target
// population. A rule yields a Projection, plain data (the edge list, sorted, no duplicates) that
// a network description holds; to_graph() gives the Boost.Graph view of a recurrent projection
// for graph algorithms (degrees, paths, clustering).
//
// The random rules draw from sim::Rng, never from Boost's generators: erdos_renyi_iterator and
// small_world_iterator draw through Boost.Random distributions with their own engine, so their
// edges would not follow neurode's seeds and streams. A given Rng state gives the same edges on
// every platform. Draws happen in a fixed order (documented per rule), so the result depends
// only on the Rng state and the options.

#include <compare>
#include <cstddef>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include <neurode/sim/random.hpp>

namespace neurode::neurons {

struct Edge {
    std::size_t source;  // index in the source population
    std::size_t target;  // index in the target population
    auto operator<=>(const Edge&) const = default;
};

struct Projection {
    std::size_t sources = 0;  // size of the source population
    std::size_t targets = 0;  // size of the target population
    std::vector<Edge> edges;  // sorted by (source, target), no duplicates

    std::size_t size() const { return edges.size(); }
    // The same pairs the other way round (I->E from E->I).
    Projection transpose() const;
    // Throws invalid_parameter naming "edges[k].source" / "edges[k].target" when out of range,
    // unsorted or repeated.
    void validate() const;
};

// Vertices are the cells of one population (0 .. n-1); bidirectional for in-degrees.
using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

// The graph of a recurrent projection (sources == targets, else invalid_parameter "targets");
// edges are added in the projection's order.
Digraph to_graph(const Projection& projection);
// The edges of a graph as a projection over its vertices; parallel edges are an error.
Projection to_projection(const Digraph& graph);

// Explicit pairs: sorted, validated (out of range or repeated pairs name "edges[k]").
Projection from_edges(std::size_t sources, std::size_t targets, std::vector<Edge> edges);

// Every (source, target) pair independently with probability p: a fixed Bernoulli mask.
// One uniform draw per candidate pair, sources outer, targets inner.
struct BernoulliOptions {
    double probability = 0.1;       // p in [0, 1]
    bool self_connections = false;  // whether i -> i is a candidate (only when sources == targets)
    void validate() const;          // "probability"
};
Projection bernoulli(std::size_t sources, std::size_t targets, const BernoulliOptions& options, sim::Rng& rng);
// Erdos-Renyi G(n, p), directed: bernoulli() of a population onto itself.
Projection erdos_renyi(std::size_t n, const BernoulliOptions& options, sim::Rng& rng);
// Keeps each edge of `candidates` with probability p, one draw per edge in order: the
// reference's "each pair's synapse exists with probability pconn (a fixed mask drawn once)".
Projection bernoulli_mask(const Projection& candidates, double probability, sim::Rng& rng);

// Ring lattice over two populations that share one line of nodes: source cell i sits at node
// source_spacing * i, target cell j at node target_spacing * j, and i -> j when the node
// distance is one of `distances`. Without `periodic` the line does not wrap; with it the nodes
// form a ring of ring_nodes (0: just enough to hold both populations) and the distance is
// taken around the ring. The reference network (50 E at spacing 1, 25 I at spacing 2,
// distances {1, 2}, not periodic) gives E->E 194, E->I 97, I->E 97, I->I 48 pairs.
struct RingLatticeOptions {
    std::size_t source_spacing = 1;
    std::size_t target_spacing = 1;
    std::vector<std::size_t> distances = {1, 2};  // node distances that connect
    bool periodic = false;
    std::size_t ring_nodes = 0;
    void validate() const;  // "source_spacing", "target_spacing", "distances"
};
Projection ring_lattice(std::size_t sources, std::size_t targets, const RingLatticeOptions& options);

// Watts-Strogatz small world, directed: start from the periodic ring lattice where each node
// projects to its `neighbours` nearest nodes (neighbours / 2 each side), then rewire each edge
// i -> j with probability beta to a uniform target that is neither i nor already a target of i
// (so no self loops or duplicates appear, and the edge count stays n * neighbours). Edges are
// visited by source, then by offset 1, -1, 2, -2, ...; each takes one uniform draw, a rewired
// one also the index draws of its rejection sampling. beta = 0 is ring_lattice(periodic).
struct WattsStrogatzOptions {
    std::size_t neighbours = 4;  // k: even, < n
    double beta = 0.1;           // rewiring probability in [0, 1]
    void validate(std::size_t n) const;  // "neighbours", "beta"
};
Projection watts_strogatz(std::size_t n, const WattsStrogatzOptions& options, sim::Rng& rng);

}  // namespace neurode::neurons
