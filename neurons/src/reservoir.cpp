#include <neurode/neurons/reservoir.hpp>

#include <cmath>
#include <string>

#include <neurode/neurons/cell.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::neurons {

namespace {
// Lattice nodes: E_i at i, I_j at 2j; a pair connects at node distance 1 or 2 (I-I: neighbours
// in I index, node distance 2).
Connection lattice(const char* source, const char* target, Receptor receptor, Location post,
                   const ReservoirProjection& p, std::size_t source_spacing, std::size_t target_spacing,
                   std::vector<std::size_t> distances)
{
    Connection c;
    c.source = source;
    c.target = target;
    c.receptor = receptor;
    c.post = std::move(post);
    c.pre = {"soma", 0.0};
    c.conductance = p.conductance;
    c.rule = ConnectionRule::ring_lattice;
    c.ring.source_spacing = source_spacing;
    c.ring.target_spacing = target_spacing;
    c.ring.distances = std::move(distances);
    c.keep_probability = p.probability;
    return c;
}

DriveConnection background(const char* drive, const char* target, double weight)
{
    DriveConnection c;
    c.source = drive;
    c.target = target;
    c.receptor = Receptor::ampa;
    c.post = {"soma", 0.0};
    c.weight = weight;
    c.delay = 0.0;
    c.rule = ConnectionRule::one_to_one;
    return c;
}
// numpy.random.default_rng(12345).uniform(-3, 3, (25, 2)): the reference's cue-cell centres.
constexpr std::array<std::array<double, 2>, 25> reference_centres{{
    {-1.635983865196982, -1.0994499617414828},   {1.7841927439964049, 1.0575280245058476},
    {-0.65334269638854625, -1.0031164328016928}, {0.58985252152313894, -1.8795948863777199},
    {1.0365362640877276, 2.6508171916196233},    {-1.5105257122225739, 2.6932869109999089},
    {1.0034247186022345, -2.4246123864353275},   {-0.3489620029931233, 2.3188795159651061},
    {1.1847209992921321, -1.0411628155793273},   {1.403568979980399, -1.6791902667270826},
    {-2.5104325827467511, -2.0406263935497151},  {-0.9593988902717685, -0.20884107778769412},
    {-1.4014738302553742, 1.8946584205488417},   {-1.840233664263033, -2.2231855429367986},
    {-2.4500114907303843, 0.59140808198947914},  {2.1284514262440082, 0.60972745016227847},
    {2.5919301668159012, 1.3486881665521206},    {2.1633079043597547, 2.5760268094518981},
    {0.27711605449411802, 2.6260377526065417},   {-0.030072359527054005, -1.357360905060075},
    {-0.28932775515143572, 0.99023354039718203}, {-1.0146544171976721, 2.4207240408494339},
    {-1.4575549483407941, -0.96102997433808124}, {-1.446879608142436, -0.86732112033428388},
    {-2.9698659976972093, 0.77162726459807196}}};
}  // namespace

void ReservoirCue::validate() const
{
    if (receptor != Receptor::ampa && receptor != Receptor::nmda)
        throw invalid_parameter("cue.receptor", "must be ampa or nmda, got " + std::string(to_string(receptor)));
    if (!(std::isfinite(excitatory.conductance) && excitatory.conductance >= 0))
        throw invalid_parameter("cue.excitatory.conductance", "must be finite and >= 0 uS");
    if (!(excitatory.probability >= 0 && excitatory.probability <= 1))
        throw invalid_parameter("cue.excitatory.probability", "must be in [0, 1]");
    if (!(std::isfinite(inhibitory_conductance) && inhibitory_conductance >= 0))
        throw invalid_parameter("cue.inhibitory_conductance", "must be finite and >= 0 uS");
    if (!(std::isfinite(peak_current) && peak_current >= 0)) throw invalid_parameter("cue.peak_current", "must be finite and >= 0 nA");
    if (!(std::isfinite(tuning_width) && tuning_width > 0)) throw invalid_parameter("cue.tuning_width", "must be finite and > 0");
}

void ReservoirOptions::validate() const
{
    if (excitatory < 2 || excitatory % 2 != 0)
        throw invalid_parameter("excitatory", "must be even and >= 2 (I cells sit at every second node), got " +
                                                  std::to_string(excitatory));
    e_densities.validate();
    i_densities.validate();
    const std::pair<const char*, const ReservoirProjection*> projections[] = {
        {"ee_ampa", &ee_ampa}, {"ee_dend_ampa", &ee_dend_ampa}, {"ei_ampa", &ei_ampa},
        {"ie_gaba", &ie_gaba}, {"ie_dend_gaba", &ie_dend_gaba}, {"ii_gaba", &ii_gaba}};
    for (const auto& [name, p] : projections) {
        if (!(std::isfinite(p->conductance) && p->conductance >= 0))
            throw invalid_parameter(std::string(name) + ".conductance", "must be finite and >= 0 uS");
        if (!(p->probability >= 0 && p->probability <= 1))
            throw invalid_parameter(std::string(name) + ".probability", "must be in [0, 1]");
    }
    if (!(std::isfinite(drive_rate) && drive_rate >= 0)) throw invalid_parameter("drive_rate", "must be finite and >= 0 Hz");
    if (!(std::isfinite(drive_weight) && drive_weight >= 0))
        throw invalid_parameter("drive_weight", "must be finite and >= 0 uS");
    if (!(std::isfinite(duration) && duration > 0)) throw invalid_parameter("duration", "must be finite and > 0 ms");
    cue.validate();
}

NetworkDescription reference_reservoir(const ReservoirOptions& o)
{
    o.validate();
    const std::size_t inhibitory = o.excitatory / 2;
    const Location soma{"soma", 0.0}, tip{"dend3", 1.0};
    NetworkDescription d;
    d.populations = {{"E", reference_excitatory_cell(o.e_densities), o.excitatory},
                     {"I", reference_inhibitory_cell(o.i_densities), inhibitory}};
    d.connections = {lattice("E", "E", Receptor::ampa, soma, o.ee_ampa, 1, 1, {1, 2}),
                     lattice("E", "E", Receptor::ampa, tip, o.ee_dend_ampa, 1, 1, {1, 2}),
                     lattice("E", "I", Receptor::ampa, soma, o.ei_ampa, 1, 2, {1, 2}),
                     lattice("I", "E", Receptor::gaba_a, soma, o.ie_gaba, 2, 1, {1, 2}),
                     lattice("I", "E", Receptor::gaba_a, tip, o.ie_dend_gaba, 2, 1, {1, 2}),
                     lattice("I", "I", Receptor::gaba_a, soma, o.ii_gaba, 2, 2, {2})};
    d.drives = {{"drive_E", o.excitatory, o.drive_rate, 0.0, o.duration},
                {"drive_I", inhibitory, o.drive_rate, 0.0, o.duration}};
    d.drive_connections = {background("drive_E", "E", o.drive_weight), background("drive_I", "I", o.drive_weight)};
    d.seed = o.seed;
    if (o.cue.cells > 0) {
        d.populations.push_back({"cue", reference_cue_cell(), o.cue.cells});
        Connection to_e;
        to_e.source = "cue";
        to_e.target = "E";
        to_e.receptor = o.cue.receptor;
        to_e.post = o.cue.site == CueSite::dendrite ? tip : soma;
        to_e.pre = soma;
        to_e.conductance = o.cue.excitatory.conductance;
        to_e.rule = ConnectionRule::bernoulli;
        to_e.probability = o.cue.excitatory.probability;
        to_e.target_stride = 2;  // even E cells only; the odd ones are read out
        Connection to_i = to_e;
        to_i.target = "I";
        to_i.receptor = Receptor::ampa;
        to_i.post = soma;
        to_i.conductance = o.cue.inhibitory_conductance;
        to_i.rule = ConnectionRule::all_to_all;
        to_i.target_stride = 1;
        d.connections.push_back(std::move(to_e));
        d.connections.push_back(std::move(to_i));
    }
    return d;
}

std::vector<std::array<double, 2>> cue_centres(std::size_t cells)
{
    std::vector<std::array<double, 2>> centres(reference_centres.begin(),
                                               reference_centres.begin() + std::min(cells, reference_centres.size()));
    sim::Rng rng(12345);
    while (centres.size() < cells) {
        const double x = rng.uniform(-3.0, 3.0);
        centres.push_back({x, rng.uniform(-3.0, 3.0)});
    }
    return centres;
}

std::vector<double> cue_currents(const ReservoirCue& cue, double x1, double x2)
{
    cue.validate();
    std::vector<double> currents;
    for (const auto& [c1, c2] : cue_centres(cue.cells)) {
        const double d1 = (c1 - x1) / cue.tuning_width, d2 = (c2 - x2) / cue.tuning_width;
        currents.push_back(0.5 * cue.peak_current * (std::exp(-d1 * d1) + std::exp(-d2 * d2)));
    }
    return currents;
}

void bind_cue(const NetworkDescription& description, const BuiltNetwork& network, sim::Simulation& simulation,
              std::span<const double> currents, double onset, double duration)
{
    const std::size_t cue = description.population_index("cue");
    if (currents.size() != description.populations[cue].size)
        throw invalid_parameter("currents", "one per cue cell (" + std::to_string(description.populations[cue].size) +
                                                "), got " + std::to_string(currents.size()));
    for (std::size_t k = 0; k < currents.size(); ++k)
        simulation.set_input("cell[" + std::to_string(network.cell(cue, k)) + "].iclamp[0]",
                             clamp_step(currents[k], onset, onset + duration));
}

}  // namespace neurode::neurons
