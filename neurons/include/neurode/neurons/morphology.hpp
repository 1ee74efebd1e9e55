#pragma once
// Cell morphology the NEURON way: a tree of unbranched cable sections, each split into
// `compartments` equal segments (NEURON's nseg). Units: um, ohm cm, uF/cm2.
//
// Compartments are the segments' centres. Inside a section, neighbours couple through the axial
// resistance of one segment length; a child section attached at position x of its parent couples
// its first segment to the parent segment containing x, through the resistance of the half
// child segment plus the parent's cable between that segment's centre and x. This is exactly
// NEURON's tree once its zero-area end nodes are eliminated.

#include <cstddef>
#include <string>
#include <vector>

namespace neurode::neurons {

struct Section {
    std::string name;                   // unique within the cell ("soma", "dend", "dend[2]")
    std::string region = "soma";        // density group for channels ("soma", "proximal", "distal", ...)
    int parent = -1;                    // index of the parent section; -1 for the root
    double parent_position = 1.0;       // x in [0, 1] on the parent where this section's 0 end attaches
    double length = 20.0;               // [um]
    double diameter = 20.0;             // [um]
    double axial_resistivity = 35.4;    // Ra [ohm cm] (NEURON's default)
    double membrane_capacitance = 1.0;  // cm [uF/cm2]
    std::size_t compartments = 1;       // nseg
};

// One compartment (segment) of the morphology.
struct Compartment {
    std::size_t section;
    std::size_t segment;       // 0 .. compartments-1 within its section
    double area;               // [um2] lateral membrane area
    double capacitance;        // [nF]
    int parent = -1;           // compartment index of the parent (tree order: parent < child)
    double axial_conductance;  // [uS] to the parent (0 for the root)
};

class Morphology {
public:
    // Adds a section and returns its index. Sections must be added parent first.
    std::size_t add(Section section);
    const std::vector<Section>& sections() const { return sections_; }
    const Section& section(const std::string& name) const;
    std::size_t section_index(const std::string& name) const;  // throws invalid_parameter("section", ...)

    // Throws invalid_parameter naming the section and field (negative length, parent missing ...).
    void validate() const;
    // The compartments in tree order (root first), with areas and axial conductances.
    std::vector<Compartment> compartments() const;
    // Index of the compartment at position x in [0, 1] of a section (NEURON's seg = sec(x)).
    std::size_t compartment_at(const std::string& section, double x) const;

    // --- builders ---------------------------------------------------------------------------
    // A single cylindrical soma of this length and diameter [um].
    static Morphology soma(double length = 20.0, double diameter = 20.0);
    // Soma plus one dendrite attached at the soma's 1 end.
    static Morphology ball_and_stick(double soma_diameter = 20.0, double dendrite_length = 500.0,
                                     double dendrite_diameter = 2.0, std::size_t dendrite_compartments = 9,
                                     double axial_resistivity = 100.0);
    // The reference reservoir's excitatory cell (brc-model.md): a chain of four 4-compartment
    // branches: "soma" (100 um, radius 12.5 um), "dend1" (400 um, r 1.25), "dend2" (r 0.5),
    // "dend3" (r 0.25); Ra 300 ohm cm; regions "soma" and "dendrite".
    static Morphology reference_excitatory();
    // The reference inhibitory cell: one branch of 4 compartments, 5 um long, radius 2.5 um,
    // Ra 5000 ohm cm.
    static Morphology reference_inhibitory();

private:
    std::vector<Section> sections_;
};

}  // namespace neurode::neurons
