#include <neurode/neurons/reference_cells.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>

namespace neurode::neurons {

namespace {
constexpr double reference_g_na = 0.05;  // [S/cm2], fixed in the reference
constexpr double reference_g_k = 0.005;  // [S/cm2], fixed in the reference

void add_region(CellModel& cell, const std::string& region, const RegionDensities& d)
{
    cell.channels.push_back({"leak", region, {{"gbar", d.leak}}});
    cell.channels.push_back({"km_pospischil", region, {{"gbar", d.km}}});
    cell.channels.push_back({"cal_pospischil", region, {{"gbar", d.cal}}});
    cell.channels.push_back({"cat_pospischil", region, {{"gbar", d.cat}}});
}

CellModel reference_cell(Morphology morphology)
{
    CellModel cell;
    cell.morphology = std::move(morphology);
    cell.channels = {{"na_pospischil", "", {{"gbar", reference_g_na}}}, {"k_pospischil", "", {{"gbar", reference_g_k}}}};
    cell.spike_detectors = {{"soma", 0.0}};
    cell.spike_threshold = 0.0;   // [mV]
    cell.celsius = 36.0;          // [degC]
    cell.initial_voltage = -70.0;  // [mV]
    return cell;
}
}  // namespace

void RegionDensities::validate() const
{
    for (const auto& [field, value] : {std::pair{"leak", leak}, {"km", km}, {"cal", cal}, {"cat", cat}})
        if (!(std::isfinite(value) && value >= 0))
            throw invalid_parameter(field, "must be finite and >= 0 S/cm2, got " + std::to_string(value));
}

void ReferenceDensities::validate() const
{
    for (const auto& [region, d] : {std::pair{"soma", &soma}, {"dendrite", &dendrite}}) {
        try {
            d->validate();
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(std::string(region) + "." + e.field(), e.constraint());
        }
    }
}

CellModel reference_excitatory_cell(const ReferenceDensities& densities)
{
    densities.validate();
    CellModel cell = reference_cell(Morphology::reference_excitatory());
    add_region(cell, "soma", densities.soma);
    add_region(cell, "dendrite", densities.dendrite);
    return cell;
}

CellModel reference_inhibitory_cell(const RegionDensities& densities)
{
    densities.validate();
    CellModel cell = reference_cell(Morphology::reference_inhibitory());
    add_region(cell, "soma", densities);
    return cell;
}

CellModel reference_cue_cell()
{
    CellModel cell = reference_cell(Morphology::reference_inhibitory());
    cell.channels.push_back({"leak", "", {{"gbar", 1e-4}}});
    cell.clamps = {{"soma", 0.0}};
    return cell;
}

}  // namespace neurode::neurons
