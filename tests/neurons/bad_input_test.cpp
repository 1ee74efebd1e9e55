// Bad cell descriptions give an invalid_parameter that names the item (section, clamp, channel,
// synapse) and the field, on every path a user takes to build a model: the description's
// validate(), Morphology::compartments() and the engine system's constructor. Nothing may crash.
//
// Already covered elsewhere, not repeated here: a negative section length and an unknown channel
// or synapse section inside a network (kinetic_synapse_test.cpp, event_synapse_test.cpp,
// populations_test.cpp), an unknown or NaN channel parameter at resolve_parameters()
// (reference_cell_test.cpp), SWC structure errors (swc_test.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "../support/expect_field.hpp"
#include <neurode/neurons/network.hpp>

namespace nn = neurode::neurons;

namespace {
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinite = std::numeric_limits<double>::infinity();

// A passive ball and stick ("soma", "dend") with a clamp and a spike detector on the soma.
nn::CellModel cell()
{
    nn::CellModel m;
    m.morphology = nn::Morphology::ball_and_stick();
    m.channels = {{"pas", "", {{"g", 1e-4}, {"e", -65.0}}}};
    m.clamps = {{"soma", 0.5}, {"dend", 1.0}};
    m.spike_detectors = {{"soma", 0.5}};
    return m;
}

// The cell's own check names `field`; the engine system built from it (one cell of a network)
// names "cell[0]." + field.
void expect_cell_field(const nn::CellModel& model, const std::string& field)
{
    expect_field([&] { model.validate(); }, field);
    expect_field([&] { nn::CellSystem system(model); }, "cell[0]." + field);
}

// A morphology names `field` when validated, when its compartments are built, and in a cell.
void expect_morphology_field(const nn::Morphology& morphology, const std::string& field)
{
    expect_field([&] { morphology.validate(); }, field);
    expect_field([&] { (void)morphology.compartments(); }, field);
    nn::CellModel m = cell();
    m.morphology = morphology;
    m.clamps.clear();
    m.spike_detectors.clear();
    expect_cell_field(m, field);
}

// Three sections: soma, dend on the soma, tuft on dend.
nn::Morphology three_sections()
{
    nn::Morphology m;
    m.add({"soma", "soma", -1, 1.0, 20.0, 20.0, 100.0, 1.0, 1});
    m.add({"dend", "dendrite", 0, 1.0, 200.0, 2.0, 100.0, 1.0, 5});
    m.add({"tuft", "dendrite", 1, 1.0, 100.0, 1.0, 100.0, 1.0, 3});
    return m;
}
}  // namespace

TEST(BadInput, GoodDescriptionsPass)
{
    // The bases every test below breaks one item of.
    EXPECT_NO_THROW(cell().validate());
    EXPECT_NO_THROW(nn::CellSystem{cell()});
    EXPECT_NO_THROW(three_sections().validate());
}

TEST(BadInput, NonPositiveDiameterOrLengthNamesTheSection)
{
    // Zero or negative geometry would give zero areas (a singular capacitance) or negative
    // conductances. (A negative length inside a network is in kinetic_synapse_test.cpp.)
    for (double bad : {0.0, -2.0}) {
        expect_morphology_field(nn::Morphology::ball_and_stick(20.0, 500.0, bad), "section 'dend'.diameter");
        expect_morphology_field(nn::Morphology::ball_and_stick(bad), "section 'soma'.length");
        expect_morphology_field(nn::Morphology::soma(20.0, bad), "section 'soma'.diameter");
        expect_morphology_field(nn::Morphology::soma(bad, 20.0), "section 'soma'.length");
    }
    expect_morphology_field(nn::Morphology::ball_and_stick(20.0, 0.0), "section 'dend'.length");
    expect_morphology_field(nn::Morphology::ball_and_stick(20.0, 500.0, 2.0, 0), "section 'dend'.compartments");
}

TEST(BadInput, NonFiniteCableParameterNamesTheSectionAndField)
{
    for (double bad : {not_a_number, infinite}) {
        expect_morphology_field(nn::Morphology::ball_and_stick(20.0, 500.0, 2.0, 9, bad), "section 'soma'.axial_resistivity");
        expect_morphology_field(nn::Morphology::ball_and_stick(20.0, bad), "section 'dend'.length");
        expect_morphology_field(nn::Morphology::ball_and_stick(20.0, 500.0, bad), "section 'dend'.diameter");
        const nn::Morphology base = three_sections();
        nn::Morphology broken;
        for (nn::Section s : base.sections()) {
            if (s.name == "tuft") s.membrane_capacitance = bad;
            broken.add(s);
        }
        expect_morphology_field(broken, "section 'tuft'.membrane_capacitance");
    }
}

TEST(BadInput, NanChannelParameterInACellNamesTheChannelAndKey)
{
    // resolve_parameters() itself is checked in reference_cell_test.cpp; here the whole path
    // from a cell description to the engine system.
    nn::CellModel m = cell();
    m.channels.push_back({"hh", "soma", {{"gnabar", not_a_number}}});
    expect_cell_field(m, "hh.gnabar");
    m = cell();
    m.channels[0].parameters["e"] = infinite;
    expect_cell_field(m, "pas.e");
}

TEST(BadInput, NonFiniteCellWideValuesNameTheField)
{
    nn::CellModel m = cell();
    m.initial_voltage = not_a_number;
    expect_cell_field(m, "initial_voltage");
    m = cell();
    m.celsius = not_a_number;
    expect_cell_field(m, "celsius");
    m = cell();
    m.spike_threshold = infinite;
    expect_cell_field(m, "spike_threshold");
}

TEST(BadInput, ClampOrDetectorOffTheCellNamesWhichOne)
{
    nn::CellModel m = cell();
    m.clamps[1].position = not_a_number;
    expect_cell_field(m, "clamp[1].position");
    m = cell();
    m.clamps[0].position = 1.5;
    expect_cell_field(m, "clamp[0].position");
    m = cell();
    m.clamps[1].section = "axon";
    expect_cell_field(m, "clamp[1].section");
    m = cell();
    m.spike_detectors[0].position = -0.1;
    expect_cell_field(m, "spike_detector[0].position");
    m = cell();
    m.spike_detectors[0].section = "";
    expect_cell_field(m, "spike_detector[0].section");
}

TEST(BadInput, NonFiniteClampSignalNamesTheArgument)
{
    expect_field([] { nn::clamp_step(not_a_number, 10.0, 20.0); }, "clamp.amplitude");
    expect_field([] { nn::clamp_step(0.1, not_a_number, 20.0); }, "clamp.start");
    expect_field([] { nn::clamp_step(0.1, 10.0, infinite); }, "clamp.stop");
    expect_field([] { nn::clamp_step(0.1, 20.0, 10.0); }, "clamp.stop");
    expect_field([] { nn::clamp_ramp(0.0, 10.0, 0.0, not_a_number); }, "clamp.to");
    expect_field([] { nn::clamp_ramp(0.0, 10.0, -infinite, 0.1); }, "clamp.from");
    expect_field([] { nn::clamp_ramp(not_a_number, 10.0, 0.0, 0.1); }, "clamp.start");
    expect_field([] { nn::clamp_noise(not_a_number, 0.1, 1.0, 100.0, 1); }, "clamp.mean");
    expect_field([] { nn::clamp_noise(0.1, infinite, 1.0, 100.0, 1); }, "clamp.sd");
    expect_field([] { nn::clamp_noise(0.1, 0.1, not_a_number, 100.0, 1); }, "clamp.dt");
    // The sample count comes from the duration: NaN or negative would be an undefined conversion.
    expect_field([] { nn::clamp_noise(0.1, 0.1, 1.0, not_a_number, 1); }, "clamp.duration");
    expect_field([] { nn::clamp_noise(0.1, 0.1, 1.0, -5.0, 1); }, "clamp.duration");
}

TEST(BadInput, SynapsePositionOutsideTheSectionNamesTheSynapse)
{
    // An unknown section is covered in the synapse tests; a position outside [0, 1] is not.
    nn::NetworkModel m{{cell(), cell()}, {nn::make_synapse(0, {"soma", 0.5}, 1, {"dend", 0.5}, nn::Receptor::ampa, 1e-3)}};
    EXPECT_NO_THROW(nn::NetworkSystem{m});
    m.synapses[0].post.position = 1.5;
    expect_field([&] { nn::NetworkSystem net(m); }, "synapse[0].position");
    m.synapses[0].post.position = 0.5;
    m.synapses[0].pre.position = not_a_number;
    expect_field([&] { nn::NetworkSystem net(m); }, "synapse[0].position");

    nn::NetworkModel e{{cell(), cell()}, {}, {nn::make_event_synapse(0, 1, {"dend", 0.5}, nn::Receptor::ampa, 1e-3, 1.0)}};
    EXPECT_NO_THROW(nn::NetworkSystem{e});
    e.event_synapses[0].post.position = -0.25;
    expect_field([&] { nn::NetworkSystem net(e); }, "event_synapse[0].position");
    e.event_synapses[0].post.position = not_a_number;
    expect_field([&] { nn::NetworkSystem net(e); }, "event_synapse[0].position");

    // Looking a location up on a built system checks it too.
    const nn::CellSystem system(cell());
    expect_field([&] { (void)system.voltage_index({"dend", 2.0}); }, "position");
    expect_field([&] { (void)system.voltage_index({"apical", 0.5}); }, "section");
}

TEST(BadInput, UnknownChannelOrRegionNamesItAndListsWhatExists)
{
    nn::CellModel m = cell();
    m.channels.push_back({"kdr", "", {}});
    expect_cell_field(m, "channel");
    try {
        m.validate();
    } catch (const neurode::invalid_parameter& err) {
        const std::string what = err.what();
        EXPECT_NE(what.find("'kdr'"), std::string::npos) << what;
        for (const nn::ChannelInfo& info : nn::channel_registry())
            EXPECT_NE(what.find(info.name), std::string::npos) << "the message lists '" << info.name << "': " << what;
    }
    m = cell();
    m.channels.push_back({"hh", "axon", {}});
    expect_cell_field(m, "channel 'hh'.region");
}

TEST(BadInput, UnknownSectionNameListsTheSections)
{
    const nn::Morphology m = three_sections();
    for (auto lookup : {+[](const nn::Morphology& x) { (void)x.section("apical"); },
                        +[](const nn::Morphology& x) { (void)x.section_index("apical"); },
                        +[](const nn::Morphology& x) { (void)x.compartment_at("apical", 0.5); }}) {
        expect_field([&] { lookup(m); }, "section");
        try {
            lookup(m);
        } catch (const neurode::invalid_parameter& err) {
            EXPECT_NE(std::string(err.what()).find("'apical' (its sections: soma, dend, tuft)"), std::string::npos)
                << err.what();
        }
    }
}

TEST(BadInput, UnconnectedMorphologyNamesTheSection)
{
    // Sections are added parent first; a parent index that is missing, later, or -1 after the
    // root would leave a section (and everything on it) off the tree.
    auto with_parent = [](const std::string& section, int parent) {
        const nn::Morphology base = three_sections();  // named: a temporary's sections() would dangle in the loop
        nn::Morphology out;
        for (nn::Section s : base.sections()) {
            if (s.name == section) s.parent = parent;
            out.add(s);
        }
        return out;
    };
    expect_morphology_field(with_parent("tuft", 7), "section 'tuft'.parent");   // no such section
    expect_morphology_field(with_parent("tuft", -1), "section 'tuft'.parent");  // a second root
    expect_morphology_field(with_parent("dend", 2), "section 'dend'.parent");   // a later one
    expect_morphology_field(with_parent("tuft", 2), "section 'tuft'.parent");   // itself
    expect_morphology_field(with_parent("soma", 1), "section 'soma'.parent");   // the root has none

    auto with_position = [](double x) {
        const nn::Morphology base = three_sections();  // named: a temporary's sections() would dangle in the loop
        nn::Morphology out;
        for (nn::Section s : base.sections()) {
            if (s.name == "dend") s.parent_position = x;
            out.add(s);
        }
        return out;
    };
    for (double bad : {not_a_number, -0.5, 1.5}) expect_morphology_field(with_position(bad), "section 'dend'.parent_position");

    expect_morphology_field(nn::Morphology{}, "morphology");
}

TEST(BadInput, SectionNamesMustBeUniqueAndNonEmpty)
{
    nn::Morphology twice = three_sections();
    twice.add({"dend", "dendrite", 0, 0.0, 50.0, 1.0, 100.0, 1.0, 1});
    expect_morphology_field(twice, "section 'dend'.name");
    nn::Morphology unnamed = three_sections();
    unnamed.add({"", "dendrite", 0, 0.0, 50.0, 1.0, 100.0, 1.0, 1});
    expect_morphology_field(unnamed, "section[3].name");
}
