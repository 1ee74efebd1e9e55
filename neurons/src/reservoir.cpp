#include <neurode/neurons/reservoir.hpp>

#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>

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
}  // namespace

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
    return d;
}

}  // namespace neurode::neurons
