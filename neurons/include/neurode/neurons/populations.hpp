#pragma once
// A network described as plain data: populations of identical cells and connections between
// them (receptor, location on the target cell, conductance, connectivity rule), built from a seed
// into a NetworkModel. The same description and seed rebuild the same network; the connectivity
// of every connection is kept (as a Projection, with a Boost.Graph view) for analysis.
// Descriptions are saved to and loaded from JSON (keys carry units, unknown keys are errors).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <neurode/neurons/connectivity.hpp>
#include <neurode/neurons/network.hpp>

namespace neurode::neurons {

struct Population {
    std::string name;       // unique ("E", "I", "cue")
    CellModel cell;
    std::size_t size = 1;
};

enum class ConnectionRule {
    all_to_all,      // every source to every target (no self connections within a population)
    one_to_one,      // source i to target i (sizes must match)
    bernoulli,       // each pair with `probability`
    ring_lattice,    // the reference reservoir's lattice (`ring` options)
    small_world,     // Watts-Strogatz within one population (`small_world` options)
};

struct Connection {
    std::string source, target;               // population names
    Receptor receptor = Receptor::ampa;
    Location post{"soma", 0.5};               // where on the target cell
    Location pre{"soma", 0.5};                // whose voltage releases transmitter
    double conductance = 1e-3;                // [uS] per synapse
    ConnectionRule rule = ConnectionRule::bernoulli;
    double probability = 0.1;                 // bernoulli
    bool self_connections = false;            // bernoulli within one population
    RingLatticeOptions ring;                  // ring_lattice
    WattsStrogatzOptions small_world;         // small_world
    double keep_probability = 1.0;            // each edge of the rule survives with this (pconn)
};

struct NetworkDescription {
    std::vector<Population> populations;
    std::vector<Connection> connections;
    std::uint64_t seed = 1;

    // Throws invalid_parameter naming the population, connection or field at fault.
    void validate() const;
    std::size_t population_index(const std::string& name) const;
};

struct BuiltNetwork {
    NetworkModel model;
    std::vector<std::size_t> first_cell;  // per population: index of its first cell in model.cells
    std::vector<Projection> connectivity;  // per connection: which source cell reaches which target
    std::size_t cell(std::size_t population, std::size_t i) const { return first_cell[population] + i; }
};

BuiltNetwork build(const NetworkDescription& description);

// JSON files; write is atomic (temporary file, then rename).
void save_json(const NetworkDescription& description, const std::filesystem::path& path);
NetworkDescription load_json(const std::filesystem::path& path);

}  // namespace neurode::neurons
