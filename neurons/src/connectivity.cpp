#include <neurode/neurons/connectivity.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::neurons {

namespace {
void check_probability(double p, const char* field)
{
    if (!(p >= 0.0 && p <= 1.0)) throw invalid_parameter(field, "must be in [0, 1], got " + std::to_string(p));
}

void check_range(const Edge& e, std::size_t k, std::size_t sources, std::size_t targets)
{
    const std::string field = "edges[" + std::to_string(k) + "]";
    if (e.source >= sources)
        throw invalid_parameter(field + ".source", "must be < sources (" + std::to_string(sources) + "), got " +
                                                       std::to_string(e.source));
    if (e.target >= targets)
        throw invalid_parameter(field + ".target", "must be < targets (" + std::to_string(targets) + "), got " +
                                                       std::to_string(e.target));
}
}  // namespace

Projection Projection::transpose() const
{
    Projection t{targets, sources, {}};
    t.edges.reserve(edges.size());
    for (const Edge& e : edges) t.edges.push_back({e.target, e.source});
    std::sort(t.edges.begin(), t.edges.end());
    return t;
}

void Projection::validate() const
{
    for (std::size_t k = 0; k < edges.size(); ++k) {
        check_range(edges[k], k, sources, targets);
        if (k > 0 && !(edges[k - 1] < edges[k]))
            throw invalid_parameter("edges[" + std::to_string(k) + "]", edges[k - 1] == edges[k]
                                                                            ? "repeats the pair before it"
                                                                            : "is out of (source, target) order");
    }
}

Digraph to_graph(const Projection& projection)
{
    projection.validate();
    if (projection.sources != projection.targets)
        throw invalid_parameter("targets", "a graph needs one population: sources (" + std::to_string(projection.sources) +
                                               ") != targets (" + std::to_string(projection.targets) + ")");
    Digraph graph(projection.sources);
    for (const Edge& e : projection.edges) boost::add_edge(e.source, e.target, graph);
    return graph;
}

Projection to_projection(const Digraph& graph)
{
    const std::size_t n = boost::num_vertices(graph);
    std::vector<Edge> edges;
    for (auto [it, end] = boost::edges(graph); it != end; ++it)
        edges.push_back({boost::source(*it, graph), boost::target(*it, graph)});
    return from_edges(n, n, std::move(edges));
}

Projection from_edges(std::size_t sources, std::size_t targets, std::vector<Edge> edges)
{
    for (std::size_t k = 0; k < edges.size(); ++k) check_range(edges[k], k, sources, targets);
    // Name a repeated pair by its position in the caller's list, not in the sorted one.
    std::vector<std::size_t> order(edges.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return edges[a] < edges[b]; });
    Projection p{sources, targets, {}};
    p.edges.reserve(edges.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        if (k > 0 && edges[order[k]] == edges[order[k - 1]])
            throw invalid_parameter("edges[" + std::to_string(order[k]) + "]",
                                    "repeats edges[" + std::to_string(order[k - 1]) + "] (" +
                                        std::to_string(edges[order[k]].source) + " -> " +
                                        std::to_string(edges[order[k]].target) + ")");
        p.edges.push_back(edges[order[k]]);
    }
    return p;
}

void BernoulliOptions::validate() const { check_probability(probability, "probability"); }

Projection bernoulli(std::size_t sources, std::size_t targets, const BernoulliOptions& options, sim::Rng& rng)
{
    options.validate();
    const bool recurrent = sources == targets;
    Projection p{sources, targets, {}};
    for (std::size_t i = 0; i < sources; ++i)
        for (std::size_t j = 0; j < targets; ++j) {
            if (recurrent && i == j && !options.self_connections) continue;
            if (rng.bernoulli(options.probability)) p.edges.push_back({i, j});
        }
    return p;
}

Projection erdos_renyi(std::size_t n, const BernoulliOptions& options, sim::Rng& rng)
{
    return bernoulli(n, n, options, rng);
}

Projection bernoulli_mask(const Projection& candidates, double probability, sim::Rng& rng)
{
    check_probability(probability, "probability");
    candidates.validate();
    Projection p{candidates.sources, candidates.targets, {}};
    for (const Edge& e : candidates.edges)
        if (rng.bernoulli(probability)) p.edges.push_back(e);
    return p;
}

void RingLatticeOptions::validate() const
{
    if (source_spacing == 0) throw invalid_parameter("source_spacing", "must be >= 1");
    if (target_spacing == 0) throw invalid_parameter("target_spacing", "must be >= 1");
    if (distances.empty()) throw invalid_parameter("distances", "must name at least one node distance");
}

Projection ring_lattice(std::size_t sources, std::size_t targets, const RingLatticeOptions& options)
{
    options.validate();
    const std::size_t span = std::max(sources > 0 ? options.source_spacing * (sources - 1) + 1 : 0,
                                      targets > 0 ? options.target_spacing * (targets - 1) + 1 : 0);
    const std::size_t ring = options.ring_nodes == 0 ? span : options.ring_nodes;
    if (options.periodic && ring < span)
        throw invalid_parameter("ring_nodes", "must hold both populations: >= " + std::to_string(span) + ", got " +
                                                  std::to_string(ring));
    Projection p{sources, targets, {}};
    for (std::size_t i = 0; i < sources; ++i)
        for (std::size_t j = 0; j < targets; ++j) {
            const std::size_t a = options.source_spacing * i, b = options.target_spacing * j;
            std::size_t d = a > b ? a - b : b - a;
            if (options.periodic) d = std::min(d, ring - d);
            if (std::find(options.distances.begin(), options.distances.end(), d) != options.distances.end())
                p.edges.push_back({i, j});
        }
    return p;
}

void WattsStrogatzOptions::validate(std::size_t n) const
{
    if (neighbours % 2 != 0 || neighbours >= n)
        throw invalid_parameter("neighbours", "must be even and < n (" + std::to_string(n) + "), got " +
                                                  std::to_string(neighbours));
    check_probability(beta, "beta");
}

Projection watts_strogatz(std::size_t n, const WattsStrogatzOptions& options, sim::Rng& rng)
{
    options.validate(n);
    const std::size_t half = options.neighbours / 2;
    // targets[i]: i's current targets, a short list (neighbours entries) searched linearly.
    std::vector<std::vector<std::size_t>> targets(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t d = 1; d <= half; ++d) {
            targets[i].push_back((i + d) % n);
            targets[i].push_back((i + n - d) % n);
        }
    for (std::size_t i = 0; i < n; ++i) {
        auto& mine = targets[i];
        const bool full = mine.size() + 1 == n;  // nowhere to rewire to
        for (std::size_t& t : mine) {
            if (!rng.bernoulli(options.beta) || full) continue;
            std::size_t fresh;
            do fresh = static_cast<std::size_t>(rng.index(n));
            while (fresh == i || std::find(mine.begin(), mine.end(), fresh) != mine.end());
            t = fresh;
        }
    }
    Projection p{n, n, {}};
    p.edges.reserve(n * options.neighbours);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t t : targets[i]) p.edges.push_back({i, t});
    std::sort(p.edges.begin(), p.edges.end());
    return p;
}

}  // namespace neurode::neurons
