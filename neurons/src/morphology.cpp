#include <neurode/neurons/morphology.hpp>

#include <cmath>
#include <numbers>

#include <neurode/sim/errors.hpp>

namespace neurode::neurons {

namespace {
// Axial resistance [MOhm] of a cylinder of length L and diameter d [um] with Ra [ohm cm]:
// R = Ra * L / (pi d^2 / 4), with 1e4 um/cm and 1e-6 MOhm/ohm: 4 Ra L / (pi d^2) * 1e-2.
double axial_resistance(double ra, double length, double diameter)
{
    return 4.0 * ra * length / (std::numbers::pi * diameter * diameter) * 1e-2;
}
}  // namespace

std::size_t Morphology::add(Section section)
{
    sections_.push_back(std::move(section));
    return sections_.size() - 1;
}

std::size_t Morphology::section_index(const std::string& name) const
{
    for (std::size_t s = 0; s < sections_.size(); ++s)
        if (sections_[s].name == name) return s;
    std::string known;
    for (const Section& s : sections_) known += (known.empty() ? "" : ", ") + s.name;
    throw invalid_parameter("section", "the morphology has no section '" + name + "' (its sections: " + known + ")");
}

const Section& Morphology::section(const std::string& name) const { return sections_[section_index(name)]; }

void Morphology::validate() const
{
    if (sections_.empty()) throw invalid_parameter("morphology", "has no sections");
    for (std::size_t s = 0; s < sections_.size(); ++s) {
        const Section& sec = sections_[s];
        const std::string where = "section '" + sec.name + "'";
        auto positive = [&](double v, const char* field) {
            if (!(std::isfinite(v) && v > 0))
                throw invalid_parameter(where + "." + field, "must be finite and > 0, got " + std::to_string(v));
        };
        if (sec.name.empty()) throw invalid_parameter("section[" + std::to_string(s) + "].name", "must not be empty");
        for (std::size_t o = 0; o < s; ++o)
            if (sections_[o].name == sec.name) throw invalid_parameter(where + ".name", "is used twice");
        positive(sec.length, "length");
        positive(sec.diameter, "diameter");
        positive(sec.axial_resistivity, "axial_resistivity");
        positive(sec.membrane_capacitance, "membrane_capacitance");
        if (sec.compartments == 0) throw invalid_parameter(where + ".compartments", "must be > 0");
        if (s == 0 && sec.parent != -1)
            throw invalid_parameter(where + ".parent", "the first section is the root and has no parent");
        if (s > 0 && (sec.parent < 0 || static_cast<std::size_t>(sec.parent) >= s))
            throw invalid_parameter(where + ".parent", "must name an earlier section (the tree is unconnected otherwise)");
        if (!(sec.parent_position >= 0 && sec.parent_position <= 1))
            throw invalid_parameter(where + ".parent_position", "must be in [0, 1]");
    }
}

std::vector<Compartment> Morphology::compartments() const
{
    validate();
    std::vector<Compartment> out;
    std::vector<std::size_t> first(sections_.size());
    for (std::size_t s = 0; s < sections_.size(); ++s) {
        const Section& sec = sections_[s];
        const double seg_length = sec.length / static_cast<double>(sec.compartments);
        const double seg_resistance = axial_resistance(sec.axial_resistivity, seg_length, sec.diameter);
        first[s] = out.size();
        for (std::size_t k = 0; k < sec.compartments; ++k) {
            Compartment c;
            c.section = s;
            c.segment = k;
            c.area = std::numbers::pi * sec.diameter * seg_length;
            c.capacitance = sec.membrane_capacitance * c.area * 1e-5;  // uF/cm2 * um2 -> nF
            if (k > 0) {
                c.parent = static_cast<int>(out.size() - 1);
                c.axial_conductance = 1.0 / seg_resistance;
            } else if (sec.parent >= 0) {
                const Section& p = sections_[static_cast<std::size_t>(sec.parent)];
                const auto n = static_cast<double>(p.compartments);
                const auto segment = std::min(p.compartments - 1, static_cast<std::size_t>(sec.parent_position * n));
                const double centre = (static_cast<double>(segment) + 0.5) / n;
                const double parent_part =
                    axial_resistance(p.axial_resistivity, std::abs(sec.parent_position - centre) * p.length, p.diameter);
                c.parent = static_cast<int>(first[static_cast<std::size_t>(sec.parent)] + segment);
                c.axial_conductance = 1.0 / (0.5 * seg_resistance + parent_part);
            } else {
                c.axial_conductance = 0.0;
            }
            out.push_back(c);
        }
    }
    return out;
}

std::size_t Morphology::compartment_at(const std::string& name, double x) const
{
    if (!(x >= 0 && x <= 1)) throw invalid_parameter("position", "must be in [0, 1], got " + std::to_string(x));
    const std::size_t s = section_index(name);
    std::size_t index = 0;
    for (std::size_t o = 0; o < s; ++o) index += sections_[o].compartments;
    const auto n = sections_[s].compartments;
    return index + std::min(n - 1, static_cast<std::size_t>(x * static_cast<double>(n)));
}

Morphology Morphology::soma(double length, double diameter)
{
    Morphology m;
    m.add({"soma", "soma", -1, 1.0, length, diameter, 35.4, 1.0, 1});
    return m;
}

Morphology Morphology::ball_and_stick(double soma_diameter, double dendrite_length, double dendrite_diameter,
                                      std::size_t dendrite_compartments, double axial_resistivity)
{
    Morphology m;
    m.add({"soma", "soma", -1, 1.0, soma_diameter, soma_diameter, axial_resistivity, 1.0, 1});
    m.add({"dend", "dendrite", 0, 1.0, dendrite_length, dendrite_diameter, axial_resistivity, 1.0, dendrite_compartments});
    return m;
}

Morphology Morphology::reference_excitatory()
{
    Morphology m;
    m.add({"soma", "soma", -1, 1.0, 100.0, 25.0, 300.0, 1.0, 4});
    m.add({"dend1", "dendrite", 0, 1.0, 400.0, 2.5, 300.0, 1.0, 4});
    m.add({"dend2", "dendrite", 1, 1.0, 400.0, 1.0, 300.0, 1.0, 4});
    m.add({"dend3", "dendrite", 2, 1.0, 400.0, 0.5, 300.0, 1.0, 4});
    return m;
}

Morphology Morphology::reference_inhibitory()
{
    Morphology m;
    m.add({"soma", "soma", -1, 1.0, 20.0, 5.0, 5000.0, 1.0, 4});
    return m;
}

}  // namespace neurode::neurons
