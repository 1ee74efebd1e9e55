#include <neurode/neurons/populations.hpp>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include <neurode/neurons/drives.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/text_file.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::neurons {

namespace {
std::string_view rule_name(ConnectionRule r)
{
    switch (r) {
    case ConnectionRule::all_to_all: return "all_to_all";
    case ConnectionRule::one_to_one: return "one_to_one";
    case ConnectionRule::bernoulli: return "bernoulli";
    case ConnectionRule::ring_lattice: return "ring_lattice";
    case ConnectionRule::small_world: return "small_world";
    }
    return "?";
}

ConnectionRule parse_rule(const std::string& name, const std::string& field)
{
    for (auto r : {ConnectionRule::all_to_all, ConnectionRule::one_to_one, ConnectionRule::bernoulli,
                   ConnectionRule::ring_lattice, ConnectionRule::small_world})
        if (rule_name(r) == name) return r;
    throw invalid_parameter(field, "unknown connection rule '" + name +
                                       "' (known: all_to_all, one_to_one, bernoulli, ring_lattice, small_world)");
}

std::string connection_field(const Connection& c, std::size_t k)
{
    return "connection[" + std::to_string(k) + "] (" + c.source + " -> " + c.target + ")";
}

std::string drive_connection_field(const DriveConnection& c, std::size_t k)
{
    return "drive_connection[" + std::to_string(k) + "] (" + c.source + " -> " + c.target + ")";
}

std::size_t drive_index(const NetworkDescription& d, const std::string& name)
{
    for (std::size_t k = 0; k < d.drives.size(); ++k)
        if (d.drives[k].name == name) return k;
    throw invalid_parameter("drive", "no drive named '" + name + "'");
}

// A drive connection's rule as a Connection's, for rule_edges (drives are never their targets).
Connection rule_of(const DriveConnection& c)
{
    Connection x;
    x.rule = c.rule;
    x.probability = c.probability;
    x.ring = c.ring;
    return x;
}

Projection rule_edges(const Connection& c, std::size_t sources, std::size_t targets, bool same, sim::Rng& rng)
{
    switch (c.rule) {
    case ConnectionRule::all_to_all: {
        std::vector<Edge> edges;
        for (std::size_t i = 0; i < sources; ++i)
            for (std::size_t j = 0; j < targets; ++j)
                if (!same || i != j) edges.push_back({i, j});
        return from_edges(sources, targets, std::move(edges));
    }
    case ConnectionRule::one_to_one: {
        std::vector<Edge> edges;
        for (std::size_t i = 0; i < sources; ++i) edges.push_back({i, i});
        return from_edges(sources, targets, std::move(edges));
    }
    case ConnectionRule::bernoulli: return bernoulli(sources, targets, {c.probability, c.self_connections}, rng);
    case ConnectionRule::ring_lattice: return ring_lattice(sources, targets, c.ring);
    case ConnectionRule::small_world: return watts_strogatz(sources, c.small_world, rng);
    }
    return {};
}
}  // namespace

std::size_t NetworkDescription::population_index(const std::string& name) const
{
    for (std::size_t p = 0; p < populations.size(); ++p)
        if (populations[p].name == name) return p;
    throw invalid_parameter("population", "no population named '" + name + "'");
}

void NetworkDescription::validate() const
{
    if (populations.empty()) throw invalid_parameter("populations", "the network has no populations");
    for (std::size_t p = 0; p < populations.size(); ++p) {
        const Population& pop = populations[p];
        const std::string field = "population '" + pop.name + "'";
        if (pop.name.empty()) throw invalid_parameter("population[" + std::to_string(p) + "].name", "must not be empty");
        for (std::size_t o = 0; o < p; ++o)
            if (populations[o].name == pop.name) throw invalid_parameter(field + ".name", "is used twice");
        if (pop.size == 0) throw invalid_parameter(field + ".size", "must be > 0");
        try {
            pop.cell.validate();
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + ".cell." + e.field(), e.constraint());
        }
        if (!std::isfinite(pop.bias)) throw invalid_parameter(field + ".bias", "must be finite (nA)");
        if (pop.bias != 0) {
            try {
                pop.cell.morphology.compartment_at(pop.bias_site.section, pop.bias_site.position);
            } catch (const invalid_parameter& e) {
                throw invalid_parameter(field + ".bias_site." + e.field(), e.constraint());
            }
        }
    }
    for (std::size_t k = 0; k < drives.size(); ++k) {
        const PoissonDrive& drive = drives[k];
        const std::string field = "drive '" + drive.name + "'";
        if (drive.name.empty()) throw invalid_parameter("drive[" + std::to_string(k) + "].name", "must not be empty");
        for (const Population& pop : populations)
            if (pop.name == drive.name) throw invalid_parameter(field + ".name", "is also a population's name");
        for (std::size_t o = 0; o < k; ++o)
            if (drives[o].name == drive.name) throw invalid_parameter(field + ".name", "is used twice");
        if (drive.size == 0) throw invalid_parameter(field + ".size", "must be > 0");
        if (!(std::isfinite(drive.rate) && drive.rate >= 0)) throw invalid_parameter(field + ".rate", "must be finite and >= 0 Hz");
        if (!(std::isfinite(drive.start) && drive.start >= 0)) throw invalid_parameter(field + ".start", "must be finite and >= 0 ms");
        if (!(std::isfinite(drive.stop) && drive.stop >= drive.start))
            throw invalid_parameter(field + ".stop", "must be finite and >= start (" + std::to_string(drive.start) + " ms)");
    }
    for (std::size_t k = 0; k < drive_connections.size(); ++k) {
        const DriveConnection& c = drive_connections[k];
        const std::string field = drive_connection_field(c, k);
        std::size_t source = 0, target = 0;
        try {
            source = drive_index(*this, c.source);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + ".source", e.constraint());
        }
        try {
            target = population_index(c.target);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + ".target", e.constraint());
        }
        try {
            populations[target].cell.morphology.compartment_at(c.post.section, c.post.position);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + "." + e.field(), e.constraint());
        }
        if (!(std::isfinite(c.weight) && c.weight >= 0)) throw invalid_parameter(field + ".weight", "must be finite and >= 0 uS");
        if (!(std::isfinite(c.delay) && c.delay >= 0)) throw invalid_parameter(field + ".delay", "must be finite and >= 0 ms");
        if (!(c.keep_probability >= 0 && c.keep_probability <= 1))
            throw invalid_parameter(field + ".keep_probability", "must be in [0, 1]");
        if (c.rule == ConnectionRule::one_to_one && drives[source].size != populations[target].size)
            throw invalid_parameter(field + ".rule", "one_to_one needs a drive and a population of equal size");
        if (c.rule == ConnectionRule::small_world)
            throw invalid_parameter(field + ".rule", "small_world connects a population to itself, not a drive to a population");
        try {
            if (c.rule == ConnectionRule::bernoulli) BernoulliOptions{c.probability, false}.validate();
            if (c.rule == ConnectionRule::ring_lattice) c.ring.validate();
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + "." + e.field(), e.constraint());
        }
    }
    for (std::size_t k = 0; k < connections.size(); ++k) {
        const Connection& c = connections[k];
        const std::string field = connection_field(c, k);
        std::size_t source = 0, target = 0;
        try {
            source = population_index(c.source);
            target = population_index(c.target);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + ".source", e.constraint());
        }
        try {
            populations[source].cell.morphology.compartment_at(c.pre.section, c.pre.position);
            populations[target].cell.morphology.compartment_at(c.post.section, c.post.position);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + "." + e.field(), e.constraint());
        }
        if (!(std::isfinite(c.conductance) && c.conductance >= 0))
            throw invalid_parameter(field + ".conductance", "must be finite and >= 0 uS");
        if (!(c.keep_probability >= 0 && c.keep_probability <= 1))
            throw invalid_parameter(field + ".keep_probability", "must be in [0, 1]");
        if (c.target_stride == 0) throw invalid_parameter(field + ".target_stride", "must be >= 1");
        if (c.rule == ConnectionRule::one_to_one && populations[source].size != populations[target].size)
            throw invalid_parameter(field + ".rule", "one_to_one needs populations of equal size");
        if (c.rule == ConnectionRule::small_world && source != target)
            throw invalid_parameter(field + ".rule", "small_world connects a population to itself");
        try {
            if (c.rule == ConnectionRule::bernoulli) BernoulliOptions{c.probability, c.self_connections}.validate();
            if (c.rule == ConnectionRule::ring_lattice) c.ring.validate();
            if (c.rule == ConnectionRule::small_world) c.small_world.validate(populations[source].size);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + "." + e.field(), e.constraint());
        }
    }
}

BuiltNetwork build(const NetworkDescription& d)
{
    d.validate();
    BuiltNetwork b;
    std::vector<double> bias;  // per cell [nA]; 0: no bias clamp
    for (const Population& pop : d.populations) {
        b.first_cell.push_back(b.model.cells.size());
        CellModel cell = pop.cell;
        if (pop.bias != 0) cell.clamps.push_back(pop.bias_site);  // the last clamp of each biased cell
        b.model.cells.insert(b.model.cells.end(), pop.size, cell);
        bias.insert(bias.end(), pop.size, pop.bias);
    }
    // NetworkSystem numbers inputs cell by cell, each cell's clamps in order.
    std::size_t inputs = 0;
    for (std::size_t c = 0; c < b.model.cells.size(); ++c) {
        inputs += b.model.cells[c].clamps.size();
        if (bias[c] != 0) b.bias_clamps.push_back({inputs - 1, bias[c]});
    }
    // One stream per connection, so adding a connection leaves the others' edges unchanged.
    sim::Rng root(d.seed);
    for (const Connection& c : d.connections) {
        sim::Rng rng = root.split();
        const std::size_t s = d.population_index(c.source), t = d.population_index(c.target);
        Projection edges = rule_edges(c, d.populations[s].size, d.populations[t].size, s == t, rng);
        if (c.target_stride > 1) std::erase_if(edges.edges, [&](const Edge& e) { return e.target % c.target_stride != 0; });
        if (c.keep_probability < 1) edges = bernoulli_mask(edges, c.keep_probability, rng);
        for (const Edge& e : edges.edges)
            b.model.synapses.push_back(make_synapse(b.cell(s, e.source), c.pre, b.cell(t, e.target), c.post, c.receptor, c.conductance));
        b.connectivity.push_back(std::move(edges));
    }
    for (const PoissonDrive& drive : d.drives) {
        sim::Rng rng = root.split();
        b.first_source.push_back(b.model.spike_sources.size());
        for (std::size_t i = 0; i < drive.size; ++i)
            b.model.spike_sources.push_back({poisson_spike_train(drive.rate, drive.start, drive.stop, rng.next_u64())});
    }
    for (const DriveConnection& c : d.drive_connections) {
        sim::Rng rng = root.split();
        const std::size_t s = drive_index(d, c.source), t = d.population_index(c.target);
        Projection edges = rule_edges(rule_of(c), d.drives[s].size, d.populations[t].size, false, rng);
        if (c.keep_probability < 1) edges = bernoulli_mask(edges, c.keep_probability, rng);
        for (const Edge& e : edges.edges)
            b.model.event_synapses.push_back(
                make_source_synapse(b.source(s, e.source), b.cell(t, e.target), c.post, c.receptor, c.weight, c.delay));
        b.drive_connectivity.push_back(std::move(edges));
    }
    return b;
}

void redraw_drives(const NetworkDescription& d, const BuiltNetwork& network, NetworkSystem& system, std::uint64_t seed)
{
    sim::Rng root(seed);
    std::vector<std::vector<double>> trains = system.spike_source_times();
    for (std::size_t k = 0; k < d.drives.size(); ++k) {
        sim::Rng rng = root.split();
        const PoissonDrive& drive = d.drives[k];
        for (std::size_t i = 0; i < drive.size; ++i)
            trains.at(network.source(k, i)) = poisson_spike_train(drive.rate, drive.start, drive.stop, rng.next_u64());
    }
    system.set_spike_sources(std::move(trains));  // one queue rebuild for all trains
}

void bind_bias(const BuiltNetwork& network, sim::Simulation& simulation)
{
    for (const BiasClamp& c : network.bias_clamps) simulation.set_input(c.input, sim::InputSignal::constant(c.current));
}

TrialSetup with_bias(const BuiltNetwork& network, TrialSetup setup)
{
    return [clamps = network.bias_clamps, setup = std::move(setup)](std::size_t trial, NetworkSystem& system,
                                                                     sim::Simulation& simulation) {
        for (const BiasClamp& c : clamps) simulation.set_input(c.input, sim::InputSignal::constant(c.current));
        if (setup) setup(trial, system, simulation);
    };
}

// --- JSON -----------------------------------------------------------------------------------

namespace {
using nlohmann::json;

json location_json(const Location& l) { return {{"section", l.section}, {"position", l.position}}; }

json ring_json(const RingLatticeOptions& r)
{
    return {{"source_spacing", r.source_spacing}, {"target_spacing", r.target_spacing}, {"distances", r.distances},
            {"periodic", r.periodic}, {"ring_nodes", r.ring_nodes}};
}

json cell_json(const CellModel& c)
{
    json sections = json::array();
    for (const Section& s : c.morphology.sections())
        sections.push_back({{"name", s.name}, {"region", s.region}, {"parent", s.parent},
                            {"parent_position", s.parent_position}, {"length_um", s.length},
                            {"diameter_um", s.diameter}, {"axial_resistivity_ohm_cm", s.axial_resistivity},
                            {"membrane_capacitance_uF_per_cm2", s.membrane_capacitance},
                            {"compartments", s.compartments}});
    json channels = json::array();
    for (const ChannelPlacement& p : c.channels)
        channels.push_back({{"channel", p.channel}, {"region", p.region}, {"parameters", p.parameters}});
    json clamps = json::array(), detectors = json::array();
    for (const Location& l : c.clamps) clamps.push_back(location_json(l));
    for (const Location& l : c.spike_detectors) detectors.push_back(location_json(l));
    return {{"sections", sections}, {"channels", channels}, {"clamps", clamps}, {"spike_detectors", detectors},
            {"spike_threshold_mV", c.spike_threshold}, {"celsius", c.celsius}, {"initial_voltage_mV", c.initial_voltage}};
}

// Reads an object strictly: every key must be consumed; errors name the key path.
class Reader {
public:
    Reader(const json& node, std::string path) : node_(node), path_(std::move(path))
    {
        if (!node_.is_object()) throw invalid_parameter(path_.empty() ? "description" : path_, "must be a JSON object");
    }
    template <class T>
    T get(const std::string& key)
    {
        const std::string field = path_.empty() ? key : path_ + "." + key;
        if (!node_.contains(key)) throw invalid_parameter(field, "is missing");
        used_.push_back(key);
        try {
            return node_.at(key).get<T>();
        } catch (const json::exception& e) {
            throw invalid_parameter(field, std::string("has the wrong type: ") + e.what());
        }
    }
    const json& node(const std::string& key)
    {
        const std::string field = path_.empty() ? key : path_ + "." + key;
        if (!node_.contains(key)) throw invalid_parameter(field, "is missing");
        used_.push_back(key);
        return node_.at(key);
    }
    bool has(const std::string& key) const { return node_.contains(key); }
    std::string child(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
    void finish() const
    {
        for (const auto& [key, value] : node_.items())
            if (std::find(used_.begin(), used_.end(), key) == used_.end())
                throw invalid_parameter(child(key), "unknown key");
    }

private:
    const json& node_;
    std::string path_;
    std::vector<std::string> used_;
};

Location location_from(const json& j, const std::string& path)
{
    Reader r(j, path);
    Location l{r.get<std::string>("section"), r.get<double>("position")};
    r.finish();
    return l;
}

RingLatticeOptions ring_from(const json& j, const std::string& path)
{
    Reader r(j, path);
    RingLatticeOptions ring{r.get<std::size_t>("source_spacing"), r.get<std::size_t>("target_spacing"),
                            r.get<std::vector<std::size_t>>("distances"), r.get<bool>("periodic"), r.get<std::size_t>("ring_nodes")};
    r.finish();
    return ring;
}

CellModel cell_from(const json& j, const std::string& path)
{
    Reader r(j, path);
    CellModel c;
    const json& sections = r.node("sections");
    for (std::size_t k = 0; k < sections.size(); ++k) {
        Reader s(sections[k], r.child("sections[" + std::to_string(k) + "]"));
        c.morphology.add({s.get<std::string>("name"), s.get<std::string>("region"), s.get<int>("parent"),
                          s.get<double>("parent_position"), s.get<double>("length_um"), s.get<double>("diameter_um"),
                          s.get<double>("axial_resistivity_ohm_cm"), s.get<double>("membrane_capacitance_uF_per_cm2"),
                          s.get<std::size_t>("compartments")});
        s.finish();
    }
    const json& channels = r.node("channels");
    for (std::size_t k = 0; k < channels.size(); ++k) {
        Reader s(channels[k], r.child("channels[" + std::to_string(k) + "]"));
        c.channels.push_back({s.get<std::string>("channel"), s.get<std::string>("region"), s.get<ChannelParameters>("parameters")});
        s.finish();
    }
    const json& clamps = r.node("clamps");
    for (std::size_t k = 0; k < clamps.size(); ++k) c.clamps.push_back(location_from(clamps[k], r.child("clamps[" + std::to_string(k) + "]")));
    const json& detectors = r.node("spike_detectors");
    for (std::size_t k = 0; k < detectors.size(); ++k)
        c.spike_detectors.push_back(location_from(detectors[k], r.child("spike_detectors[" + std::to_string(k) + "]")));
    c.spike_threshold = r.get<double>("spike_threshold_mV");
    c.celsius = r.get<double>("celsius");
    c.initial_voltage = r.get<double>("initial_voltage_mV");
    r.finish();
    return c;
}
}  // namespace

void save_json(const NetworkDescription& d, const std::filesystem::path& path)
{
    d.validate();
    json pops = json::array(), conns = json::array(), drives = json::array(), drive_conns = json::array();
    for (const Population& p : d.populations)
        pops.push_back({{"name", p.name}, {"size", p.size}, {"cell", cell_json(p.cell)}, {"bias_nA", p.bias},
                        {"bias_site", location_json(p.bias_site)}});
    for (const Connection& c : d.connections)
        conns.push_back({{"source", c.source}, {"target", c.target}, {"receptor", std::string(to_string(c.receptor))},
                         {"post", location_json(c.post)}, {"pre", location_json(c.pre)}, {"conductance_uS", c.conductance},
                         {"rule", std::string(rule_name(c.rule))}, {"probability", c.probability},
                         {"self_connections", c.self_connections},
                         {"ring", ring_json(c.ring)},
                         {"small_world", {{"neighbours", c.small_world.neighbours}, {"beta", c.small_world.beta}}},
                         {"keep_probability", c.keep_probability}, {"target_stride", c.target_stride}});
    for (const PoissonDrive& p : d.drives)
        drives.push_back({{"name", p.name}, {"size", p.size}, {"rate_Hz", p.rate}, {"start_ms", p.start}, {"stop_ms", p.stop}});
    for (const DriveConnection& c : d.drive_connections)
        drive_conns.push_back({{"source", c.source}, {"target", c.target}, {"receptor", std::string(to_string(c.receptor))},
                               {"post", location_json(c.post)}, {"weight_uS", c.weight}, {"delay_ms", c.delay},
                               {"rule", std::string(rule_name(c.rule))}, {"probability", c.probability},
                               {"ring", ring_json(c.ring)}, {"keep_probability", c.keep_probability}});
    const json doc = {{"format", "neurode-network"}, {"format_version", 1}, {"seed", d.seed}, {"populations", pops},
                      {"connections", conns}, {"drives", drives}, {"drive_connections", drive_conns}};
    sim::write_text_file_atomically(path, doc.dump(2) + "\n", "the network description");
}

NetworkDescription load_json(const std::filesystem::path& path)
{
    return parse_json(sim::read_text_file(path, "the network description"), path.string());
}

NetworkDescription parse_json(std::string_view text, const std::string& source)
{
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        throw io_error(source, std::string("is not valid JSON: ") + e.what());
    }
    Reader r(doc, "");
    if (r.get<std::string>("format") != "neurode-network" || r.get<int>("format_version") != 1)
        throw io_error(source, "not a neurode network description (format 'neurode-network', version 1)");
    NetworkDescription d;
    d.seed = r.get<std::uint64_t>("seed");
    const json& pops = r.node("populations");
    for (std::size_t k = 0; k < pops.size(); ++k) {
        Reader p(pops[k], "populations[" + std::to_string(k) + "]");
        Population pop{p.get<std::string>("name"), cell_from(p.node("cell"), p.child("cell")), p.get<std::size_t>("size")};
        if (p.has("bias_nA")) pop.bias = p.get<double>("bias_nA");
        if (p.has("bias_site")) pop.bias_site = location_from(p.node("bias_site"), p.child("bias_site"));
        p.finish();
        d.populations.push_back(std::move(pop));
    }
    const json& conns = r.node("connections");
    for (std::size_t k = 0; k < conns.size(); ++k) {
        const std::string field = "connections[" + std::to_string(k) + "]";
        Reader c(conns[k], field);
        Connection x;
        x.source = c.get<std::string>("source");
        x.target = c.get<std::string>("target");
        x.receptor = parse_receptor(c.get<std::string>("receptor"), field + ".receptor");
        x.post = location_from(c.node("post"), c.child("post"));
        x.pre = location_from(c.node("pre"), c.child("pre"));
        x.conductance = c.get<double>("conductance_uS");
        x.rule = parse_rule(c.get<std::string>("rule"), field + ".rule");
        x.probability = c.get<double>("probability");
        x.self_connections = c.get<bool>("self_connections");
        x.ring = ring_from(c.node("ring"), c.child("ring"));
        Reader sw(c.node("small_world"), c.child("small_world"));
        x.small_world = {sw.get<std::size_t>("neighbours"), sw.get<double>("beta")};
        sw.finish();
        x.keep_probability = c.get<double>("keep_probability");
        if (c.has("target_stride")) x.target_stride = c.get<std::size_t>("target_stride");
        c.finish();
        d.connections.push_back(std::move(x));
    }
    if (r.has("drives")) {
        const json& drives = r.node("drives");
        for (std::size_t k = 0; k < drives.size(); ++k) {
            Reader p(drives[k], "drives[" + std::to_string(k) + "]");
            d.drives.push_back({p.get<std::string>("name"), p.get<std::size_t>("size"), p.get<double>("rate_Hz"),
                                p.get<double>("start_ms"), p.get<double>("stop_ms")});
            p.finish();
        }
    }
    if (r.has("drive_connections")) {
        const json& conns = r.node("drive_connections");
        for (std::size_t k = 0; k < conns.size(); ++k) {
            const std::string field = "drive_connections[" + std::to_string(k) + "]";
            Reader c(conns[k], field);
            DriveConnection x;
            x.source = c.get<std::string>("source");
            x.target = c.get<std::string>("target");
            x.receptor = parse_receptor(c.get<std::string>("receptor"), field + ".receptor");
            x.post = location_from(c.node("post"), c.child("post"));
            x.weight = c.get<double>("weight_uS");
            x.delay = c.get<double>("delay_ms");
            x.rule = parse_rule(c.get<std::string>("rule"), field + ".rule");
            x.probability = c.get<double>("probability");
            x.ring = ring_from(c.node("ring"), c.child("ring"));
            x.keep_probability = c.get<double>("keep_probability");
            c.finish();
            d.drive_connections.push_back(std::move(x));
        }
    }
    r.finish();
    d.validate();
    return d;
}

}  // namespace neurode::neurons
