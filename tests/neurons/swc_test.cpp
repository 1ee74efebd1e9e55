// SWC reader: hand-made files in tests/data/swc/ give the sections, lengths, diameters, parents
// and regions computed here by hand; malformed inputs give errors that name the file and line or
// the sample.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include <neurode/neurons/swc.hpp>
#include <neurode/sim/errors.hpp>

namespace nn = neurode::neurons;

namespace {
const std::filesystem::path swc_dir = std::filesystem::path(NEURODE_TEST_REFERENCE_DIR).parent_path() / "data" / "swc";

struct Expected {
    const char* name;
    const char* region;
    int parent;
    double parent_position;
    double length;    // [um]
    double diameter;  // [um]
};

void expect_sections(const nn::Morphology& m, const std::vector<Expected>& expected)
{
    ASSERT_EQ(m.sections().size(), expected.size());
    for (std::size_t s = 0; s < expected.size(); ++s) {
        SCOPED_TRACE("section " + std::to_string(s));
        const nn::Section& sec = m.sections()[s];
        EXPECT_EQ(sec.name, expected[s].name);
        EXPECT_EQ(sec.region, expected[s].region);
        EXPECT_EQ(sec.parent, expected[s].parent);
        if (expected[s].parent >= 0) {
            EXPECT_DOUBLE_EQ(sec.parent_position, expected[s].parent_position);
        }
        EXPECT_NEAR(sec.length, expected[s].length, 1e-12 * expected[s].length);
        EXPECT_NEAR(sec.diameter, expected[s].diameter, 1e-12 * expected[s].diameter);
    }
}

template <class F>
neurode::invalid_parameter expect_invalid(F&& f)
{
    try {
        f();
    } catch (const neurode::invalid_parameter& e) {
        return e;
    }
    ADD_FAILURE() << "no invalid_parameter thrown";
    return {"", ""};
}

template <class F>
neurode::io_error expect_io_error(F&& f)
{
    try {
        f();
    } catch (const neurode::io_error& e) {
        return e;
    }
    ADD_FAILURE() << "no io_error thrown";
    return {"", ""};
}
}  // namespace

// Sections depth first, soma children in file order: soma, the basal trunk and its two
// daughters, the axon, the apical dendrite.
TEST(Swc, ThreeBranchFileGivesHandComputedSections)
{
    nn::SwcOptions mean;
    mean.diameter = nn::SwcOptions::DiameterRule::mean;
    const nn::Morphology m = nn::read_swc(swc_dir / "three_branch.swc", mean);
    expect_sections(m, {
        {"soma", "soma", -1, 0, 10.0, 10.0},         // radius 5: sphere-equivalent cylinder
        {"dend[0]", "basal", 0, 0.5, 10.0, 2.0},     // samples 2, 3
        {"dend[1]", "basal", 1, 1.0, 3.0 + 4.0, (1.0 + 0.5) / 2},       // branch point 3, samples 4, 5
        {"dend[2]", "basal", 1, 1.0, 6.0 + 8.0, 1.5},                    // branch point 3, samples 6, 7
        {"axon[0]", "axon", 0, 0.5, 20.0, 1.0},      // samples 8, 9
        {"apic[0]", "apical", 0, 0.5, 20.0, (3.0 + 2.0) / 2},            // samples 10, 11
    });
    EXPECT_NO_THROW(m.validate());
}

TEST(Swc, AreaPreservingDiameterKeepsTheFrustaArea)
{
    const nn::Morphology m = nn::read_swc(swc_dir / "three_branch.swc");
    // dend[1]: branch point (radius of sample 4, 0.5) -> 4 is a cylinder r 0.5, h 3; 4 -> 5 a
    // frustum r 0.5 -> 0.25, h 4. pi d L = sum of pi (r1 + r2) * slant.
    const double dend1 = (1.0 * 3.0 + 0.75 * std::hypot(4.0, 0.25)) / 7.0;
    const double apic = 2.5 * std::hypot(20.0, 0.5) / 20.0;
    EXPECT_NEAR(m.section("dend[1]").diameter, dend1, 1e-12);
    EXPECT_NEAR(m.section("apic[0]").diameter, apic, 1e-12);
    EXPECT_NEAR(m.section("dend[2]").diameter, 1.5, 1e-12);
    // The soma's membrane area is the sphere's.
    const nn::Section& soma = m.section("soma");
    EXPECT_NEAR(std::numbers::pi * soma.diameter * soma.length, 4 * std::numbers::pi * 25.0, 1e-9);
}

TEST(Swc, CompartmentRules)
{
    nn::SwcOptions fixed;
    fixed.compartments = nn::SwcOptions::CompartmentRule::fixed_length;
    fixed.compartment_length = 5.0;
    const nn::Morphology m = nn::read_swc(swc_dir / "three_branch.swc", fixed);
    const std::vector<std::size_t> by_length = {2, 2, 2, 3, 4, 4};  // ceil(L / 5)
    for (std::size_t s = 0; s < by_length.size(); ++s) EXPECT_EQ(m.sections()[s].compartments, by_length[s]) << s;

    nn::SwcOptions dl;
    dl.d_lambda = 0.01;
    dl.axial_resistivity = 100.0;
    const nn::Morphology d = nn::read_swc(swc_dir / "three_branch.swc", dl);
    for (const nn::Section& sec : d.sections()) {
        const double lambda_f = 1e5 * std::sqrt(sec.diameter / (4 * std::numbers::pi * 100.0 * 100.0 * 1.0));
        const auto nseg = static_cast<std::size_t>((sec.length / (0.01 * lambda_f) + 0.9) / 2) * 2 + 1;
        EXPECT_EQ(sec.compartments, nseg) << sec.name;
        EXPECT_EQ(sec.compartments % 2, 1u) << sec.name;
        EXPECT_DOUBLE_EQ(sec.axial_resistivity, 100.0);
    }
    EXPECT_GT(d.section("dend[2]").compartments, 1u);
}

TEST(Swc, ThreePointSomaIsTheSphereEquivalentCylinder)
{
    const nn::Morphology m = nn::read_swc(swc_dir / "three_point_soma.swc");
    expect_sections(m, {
        {"soma", "soma", -1, 0, 8.0, 8.0},
        {"dend[0]", "basal", 0, 1.0, 10.0, 2.0},  // on sample 3, the soma's +y end
        {"axon[0]", "axon", 0, 0.5, 10.0, 1.0},   // on sample 1, the centre
    });
}

TEST(Swc, UnbranchedSomaIsACylinderAlongItsPath)
{
    const char* text = "1 1 0 0 0 3 -1\n"
                       "2 1 6 0 0 3 1\n"
                       "3 1 8 0 0 2 2\n"
                       "4 3 6 4 0 1 2\n"
                       "5 3 6 9 0 1 4\n";
    const nn::Morphology mean = nn::parse_swc(text, "<chain>", {.diameter = nn::SwcOptions::DiameterRule::mean});
    expect_sections(mean, {
        {"soma", "soma", -1, 0, 8.0, (6.0 + 6.0 + 4.0) / 3},
        {"dend[0]", "basal", 0, 6.0 / 8.0, 5.0, 2.0},  // attached at sample 2, 6 um along the soma
    });
    const nn::Morphology area = nn::parse_swc(text, "<chain>");
    EXPECT_NEAR(area.section("soma").diameter, (6.0 * 6.0 + 5.0 * std::hypot(2.0, 1.0)) / 8.0, 1e-12);
}

TEST(Swc, TypeChangeOnAnUnbranchedRunStartsASection)
{
    const char* text = "# comment line\n"
                       "1 3 0 0 0 1 -1   # a dendrite root, no soma\n"
                       "\n"
                       "2 3 10 0 0 1 1\n"
                       "3 7 20 0 0 1 2\n"
                       "4 7 30 0 0 1 3\n";
    const nn::Morphology m = nn::parse_swc(text, "<no soma>");
    expect_sections(m, {
        {"dend[0]", "basal", -1, 0, 10.0, 2.0},
        {"type7[0]", "type7", 0, 1.0, 20.0, 2.0},  // from the branch point, sample 2
    });
}

TEST(Swc, MalformedLineNamesFileAndLine)
{
    const auto missing = expect_io_error([] { nn::read_swc(swc_dir / "bad_columns.swc"); });
    EXPECT_NE(std::string(missing.what()).find("bad_columns.swc"), std::string::npos) << missing.what();
    EXPECT_NE(std::string(missing.what()).find("line 3"), std::string::npos) << missing.what();
    EXPECT_NE(missing.path().find("bad_columns.swc"), std::string::npos);

    const auto nan = expect_io_error([] { nn::parse_swc("1 1 0 0 0 5 -1\n2 3 five 0 0 1 1\n", "cell.swc"); });
    EXPECT_EQ(nan.path(), "cell.swc");
    EXPECT_NE(std::string(nan.what()).find("line 2"), std::string::npos) << nan.what();
    EXPECT_NE(std::string(nan.what()).find("'x'"), std::string::npos) << nan.what();

    const auto fractional_id = expect_io_error([] { nn::parse_swc("1.5 1 0 0 0 5 -1\n", "cell.swc"); });
    EXPECT_NE(std::string(fractional_id.what()).find("line 1"), std::string::npos) << fractional_id.what();

    EXPECT_THROW(nn::parse_swc("# only a comment\n\n", "empty.swc"), neurode::io_error);
    const auto absent = expect_io_error([] { nn::read_swc(swc_dir / "no_such_file.swc"); });
    EXPECT_NE(absent.path().find("no_such_file.swc"), std::string::npos);
}

TEST(Swc, MissingParentNamesTheSample)
{
    const auto e = expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n2 3 5 0 0 1 1\n3 3 9 0 0 1 12\n", "cell.swc"); });
    EXPECT_EQ(e.field(), "sample 3");
    EXPECT_NE(e.constraint().find("parent 12 does not exist"), std::string::npos) << e.what();
    EXPECT_NE(e.constraint().find("cell.swc line 3"), std::string::npos) << e.what();
}

TEST(Swc, CycleIsAnError)
{
    // Samples 2 and 3 are each other's parent: they never reach the root.
    const auto e = expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n2 3 5 0 0 1 3\n3 3 9 0 0 1 2\n", "cell.swc"); });
    EXPECT_EQ(e.field(), "sample 2");
    EXPECT_NE(e.constraint().find("cycle"), std::string::npos) << e.what();

    const auto self = expect_invalid([] { nn::parse_swc("1 3 0 0 0 5 1\n", "cell.swc"); });
    EXPECT_EQ(self.field(), "sample 1");
    EXPECT_NE(self.constraint().find("cycle"), std::string::npos) << self.what();
}

TEST(Swc, SeveralRootsAreAnError)
{
    const auto e = expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n2 3 5 0 0 1 1\n7 3 9 0 0 1 -1\n", "cell.swc"); });
    EXPECT_EQ(e.field(), "sample 7");
    EXPECT_NE(e.constraint().find("not connected"), std::string::npos) << e.what();
}

TEST(Swc, NegativeRadiusNamesTheSample)
{
    const auto e = expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n2 3 5 0 0 -1 1\n", "cell.swc"); });
    EXPECT_EQ(e.field(), "sample 2");
    EXPECT_NE(e.constraint().find("radius"), std::string::npos) << e.what();
}

TEST(Swc, OtherStructuralErrorsNameTheSample)
{
    EXPECT_EQ(expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n1 3 5 0 0 1 1\n", "c"); }).field(), "sample 1");
    // A soma that branches three ways at the root.
    EXPECT_EQ(expect_invalid([] {
                  nn::parse_swc("1 1 0 0 0 5 -1\n2 1 5 0 0 5 1\n3 1 -5 0 0 5 1\n4 1 0 5 0 5 1\n", "c");
              }).field(),
              "sample 1");
    // A soma sample out on a dendrite.
    EXPECT_EQ(expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n2 3 5 0 0 1 1\n3 1 9 0 0 1 2\n", "c"); }).field(),
              "sample 3");
    // A dendrite of one sample on the soma has no length.
    EXPECT_EQ(expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n2 3 5 0 0 1 1\n", "c"); }).field(), "sample 2");
    EXPECT_EQ(expect_invalid([] { nn::parse_swc("1 1 0 0 0 5 -1\n", "c", {.d_lambda = 0}); }).field(), "d_lambda");
}
