#pragma once
// A network described as plain data: populations of identical cells and connections between
// them (receptor, location on the target cell, conductance, connectivity rule), built from a seed
// into a NetworkModel. The same description and seed rebuild the same network; the connectivity
// of every connection is kept (as a Projection, with a Boost.Graph view) for analysis.
// Descriptions are saved to and loaded from JSON (keys carry units, unknown keys are errors).
//
// External drives: Poisson drive populations (independent spike trains, seeded from the
// description's seed) project with event synapses (Exp2Syn with the receptor's default kinetics)
// onto populations; a population's tonic bias current is an extra current clamp on each of its
// cells, bound to a constant signal by bind_bias() (or with_bias() for run_trials), so that the
// engine model stays a plain network with inputs.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/neurons/connectivity.hpp>
#include <neurode/neurons/network.hpp>
#include <neurode/neurons/trials.hpp>
#include <neurode/sim/simulation.hpp>

namespace neurode::neurons {

struct Population {
    std::string name;       // unique ("E", "I", "cue")
    CellModel cell;
    std::size_t size = 1;
    double bias = 0.0;                 // [nA] tonic current into every cell (0: no bias clamp is added)
    Location bias_site{"soma", 0.5};   // where the bias clamp sits
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
    std::size_t target_stride = 1;            // only target cells 0, stride, 2 stride, ... receive (>= 1)
};

// `size` independent Poisson spike trains of `rate` on [start, stop) (NEURON's NetStim, noise 1).
struct PoissonDrive {
    std::string name;          // unique among populations and drives
    std::size_t size = 1;      // trains
    double rate = 10.0;        // [Hz]
    double start = 0.0;        // [ms] >= 0
    double stop = 1000.0;      // [ms] >= start
};

// Event synapses from a drive's trains onto a population's cells, paired by a rule.
struct DriveConnection {
    std::string source, target;                   // a drive's name, a population's name
    Receptor receptor = Receptor::ampa;           // Exp2Syn with make_event_synapse's kinetics
    Location post{"soma", 0.5};                   // where on the target cell
    double weight = 1e-3;                         // [uS] peak conductance per event
    double delay = 1.0;                           // [ms] >= 0, spike to delivery
    ConnectionRule rule = ConnectionRule::one_to_one;  // all_to_all, one_to_one, bernoulli or ring_lattice
    double probability = 0.1;                     // bernoulli
    RingLatticeOptions ring;                      // ring_lattice
    double keep_probability = 1.0;                // each edge of the rule survives with this
};

struct NetworkDescription {
    std::vector<Population> populations;
    std::vector<Connection> connections;
    std::uint64_t seed = 1;
    std::vector<PoissonDrive> drives = {};
    std::vector<DriveConnection> drive_connections = {};

    // Throws invalid_parameter naming the population, connection, drive or field at fault.
    void validate() const;
    std::size_t population_index(const std::string& name) const;
};

// A bias clamp: engine input `input` (NetworkSystem's input index) carries `current` [nA].
struct BiasClamp {
    std::size_t input;
    double current;  // [nA]
};

struct BuiltNetwork {
    NetworkModel model;
    std::vector<std::size_t> first_cell;  // per population: index of its first cell in model.cells
    std::vector<Projection> connectivity;  // per connection: which source cell reaches which target
    std::vector<std::size_t> first_source;  // per drive: index of its first train in model.spike_sources
    std::vector<Projection> drive_connectivity;  // per drive connection: which train reaches which cell
    std::vector<BiasClamp> bias_clamps;    // one per cell of a population with a bias, in cell order
    std::size_t cell(std::size_t population, std::size_t i) const { return first_cell[population] + i; }
    std::size_t source(std::size_t drive, std::size_t i) const { return first_source[drive] + i; }
};

// Random draws: one sim::Rng stream per connection (in order), then one per drive (a seed per
// train, in order), then one per drive connection, all split from Rng(seed); so adding a drive
// leaves the cell-to-cell connectivity unchanged. A biased cell's bias clamp follows the clamps
// of its cell description (input "cell[c].iclamp[k]" with k = the description's clamp count).
BuiltNetwork build(const NetworkDescription& description);

// Sets every bias clamp's input to its constant current. Call it before binding other inputs; a
// later set_input on the same input replaces the bias.
void bind_bias(const BuiltNetwork& network, sim::Simulation& simulation);
// A trial setup that binds the bias, then runs `setup` (if any).
TrialSetup with_bias(const BuiltNetwork& network, TrialSetup setup = {});

// Draws every drive's trains afresh from `seed` (same rates and windows, independent spikes)
// into a built system, before its run starts: with one seed per trial, trials see independent
// background noise while the network stays the same.
void redraw_drives(const NetworkDescription& description, const BuiltNetwork& network, NetworkSystem& system,
                   std::uint64_t seed);

// JSON files; write is atomic (temporary file, then rename). The keys for biases ("bias_nA",
// "bias_site"), a connection's "target_stride", "drives" and "drive_connections" may be missing (files from before they existed).
void save_json(const NetworkDescription& description, const std::filesystem::path& path);
NetworkDescription load_json(const std::filesystem::path& path);
// The same from JSON text (a host that embeds its description); `source` names it in errors.
NetworkDescription parse_json(std::string_view text, const std::string& source);

}  // namespace neurode::neurons
