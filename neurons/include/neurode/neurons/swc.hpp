#pragma once
// SWC morphology reader: turns a traced neuron (one sample a line: id type x y z radius parent)
// into a Morphology of unbranched cable sections, as NEURON's Import3D does.
//
// Conventions:
// - Types: 1 soma, 2 axon, 3 basal, 4 apical give regions "soma", "axon", "basal", "apical" and
//   section names "soma", "axon[i]", "dend[i]", "apic[i]"; any other type t gives region and name
//   prefix "type<t>".
// - Soma: the soma samples must form one unbranched line through the root (the root may have two
//   soma children, as in NeuroMorpho's three-point soma). It becomes section 0, "soma":
//   * one sample of radius r: a cylinder of length 2r and diameter 2r, whose membrane area equals
//     the sphere's (4 pi r^2);
//   * several samples: a cylinder along their path (length = path length, diameter by the
//     diameter rule below). The three-point soma (x, y -+ r, z) thus gives the same cylinder
//     as a single point. A soma outline (contour) is not recognised and would be read as a path.
//   A section hanging off soma sample s attaches at the arc length of s along the soma divided
//   by its length (0.5 for a single- or three-point soma). Without soma samples, the root
//   starts the first section.
// - Sections: one per unbranched run of samples of one type; a run ends at a sample with zero or
//   several children, or whose only child has another type. A section whose parent is a neurite
//   section starts at that parent's last sample (the branch point) and attaches at its 1 end; a
//   section on the soma starts at its own first sample (the soma's inside is not cable).
//   Sections are numbered depth first, children in file order, so a parent precedes its children.
// - length = path length through the section's points [um]. diameter [um], by DiameterRule:
//   mean: the mean of 2 * radius over the section's own samples (not the branch point);
//   area_preserving: the diameter of the cylinder of that length whose lateral area equals the
//   frusta's through the points, pi (r1 + r2) sqrt(h^2 + (r1 - r2)^2) each; the branch point
//   takes the radius of the section's first sample, so a parent's diameter does not leak in.
// - Compartments (nseg), by CompartmentRule:
//   d_lambda: NEURON's rule, nseg = 2 int((L / (d_lambda lambda_f) + 0.9) / 2) + 1 with
//   lambda_f = 1e5 sqrt(d / (4 pi f Ra cm)) [um], computed from the section's diameter;
//   fixed_length: nseg = ceil(L / compartment_length), at least 1.
// Errors: a line that is not 7 numbers -> io_error naming the source and line; a duplicate id,
// a missing parent, a cycle, a second root, a negative radius, a type < 0, a branching or
// detached soma, or a zero-length / zero-diameter section -> invalid_parameter whose field is
// "sample <id>" and whose constraint names the source and line.

#include <filesystem>
#include <string>
#include <string_view>

#include <neurode/neurons/morphology.hpp>

namespace neurode::neurons {

struct SwcOptions {
    enum class DiameterRule { mean, area_preserving };
    enum class CompartmentRule { d_lambda, fixed_length };

    DiameterRule diameter = DiameterRule::area_preserving;
    CompartmentRule compartments = CompartmentRule::d_lambda;
    double d_lambda = 0.1;              // largest compartment as a fraction of lambda_f (NEURON's default)
    double frequency = 100.0;           // [Hz] at which lambda_f is taken (NEURON's default)
    double compartment_length = 20.0;   // [um] largest compartment for fixed_length
    double axial_resistivity = 35.4;    // Ra [ohm cm] given to every section
    double membrane_capacitance = 1.0;  // cm [uF/cm2] given to every section

    // Throws invalid_parameter naming the field.
    void validate() const;
};

// Reads an SWC file; throws io_error(path, ...) if it cannot be opened.
Morphology read_swc(const std::filesystem::path& path, const SwcOptions& options = {});
// Parses SWC text; `source` names it in error messages (a file name, "<string>").
Morphology parse_swc(std::string_view text, const std::string& source, const SwcOptions& options = {});

}  // namespace neurode::neurons
