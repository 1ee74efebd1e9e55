#include <neurode/neurons/cell.hpp>

#include <algorithm>
#include <cmath>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::neurons {

namespace {
constexpr double mA_per_cm2_um2_to_nA = 1e-2;
}

void CellModel::validate() const
{
    morphology.validate();
    for (const ChannelPlacement& p : channels) {
        const ChannelInfo& info = channel_info(p.channel);
        resolve_parameters(info, p.parameters, celsius);
        if (!p.region.empty()) {
            bool found = false;
            for (const Section& s : morphology.sections()) found = found || s.region == p.region;
            if (!found)
                throw invalid_parameter("channel '" + p.channel + "'.region",
                                        "no section has region '" + p.region + "'");
        }
    }
    for (const Location& l : clamps) morphology.compartment_at(l.section, l.position);
    for (const Location& l : spike_detectors) morphology.compartment_at(l.section, l.position);
    if (!std::isfinite(spike_threshold)) throw invalid_parameter("spike_threshold", "must be finite");
    if (!std::isfinite(celsius)) throw invalid_parameter("celsius", "must be finite");
    if (!std::isfinite(initial_voltage)) throw invalid_parameter("initial_voltage", "must be finite");
}

sim::InputSignal clamp_step(double amplitude, double start, double stop)
{
    if (!(stop > start)) throw invalid_parameter("clamp.stop", "must be after clamp.start");
    return sim::InputSignal::piecewise_constant({start, stop}, {amplitude, 0.0});
}

sim::InputSignal clamp_ramp(double start, double stop, double from, double to)
{
    if (!(stop > start)) throw invalid_parameter("clamp.stop", "must be after clamp.start");
    // Zero before and after; the jumps at both ends are breakpoints.
    return sim::InputSignal::function(
        [=](double t) { return t >= start && t < stop ? from + (to - from) * (t - start) / (stop - start) : 0.0; },
        {start, stop});
}

sim::InputSignal clamp_noise(double mean, double sd, double dt, double duration, std::uint64_t seed)
{
    if (!(dt > 0)) throw invalid_parameter("clamp.dt", "must be > 0");
    if (!(sd >= 0)) throw invalid_parameter("clamp.sd", "must be >= 0");
    const auto n = static_cast<std::size_t>(std::ceil(duration / dt));
    sim::Rng rng(seed);
    std::vector<double> values(n + 1);
    for (std::size_t k = 0; k < n; ++k) values[k] = rng.normal(mean, sd);
    values[n] = 0.0;
    return sim::InputSignal::sampled_uniform(0.0, dt, values, sim::Interpolation::hold);
}

CellSystem::CellSystem(const CellModel& model) : model_(model)
{
    model_.validate();
    compartments_ = model_.morphology.compartments();
    const auto& sections = model_.morphology.sections();
    inserted_.resize(compartments_.size());
    children_.resize(compartments_.size());
    for (std::size_t c = 0; c < compartments_.size(); ++c) {
        if (compartments_[c].parent >= 0) children_[static_cast<std::size_t>(compartments_[c].parent)].push_back(c);
        const std::string& region = sections[compartments_[c].section].region;
        for (const ChannelPlacement& p : model_.channels) {
            if (!p.region.empty() && p.region != region) continue;
            const ChannelInfo& info = channel_info(p.channel);
            auto channel = info.make(resolve_parameters(info, p.parameters, model_.celsius));
            const std::size_t states = channel->state_names().size();
            inserted_[c].push_back({std::move(channel), states, info.name});
        }
    }
    for (std::size_t c = 0; c < compartments_.size(); ++c) {
        offset_.push_back(size_);
        const Section& sec = sections[compartments_[c].section];
        const std::string where = sec.name + "[" + std::to_string(compartments_[c].segment) + "]";
        names_.push_back("v " + where);
        ++size_;
        for (const Inserted& ins : inserted_[c])
            for (const std::string& g : ins.channel->state_names()) {
                names_.push_back(ins.name + "." + g + " " + where);
                ++size_;
            }
    }
    for (const Location& l : model_.clamps) clamp_compartment_.push_back(model_.morphology.compartment_at(l.section, l.position));
    for (const Location& l : model_.spike_detectors)
        detector_compartment_.push_back(model_.morphology.compartment_at(l.section, l.position));

    // Pattern: voltage rows couple to themselves, their gates and neighbouring voltages; gate
    // rows to themselves and their voltage.
    std::vector<std::pair<std::int64_t, std::int64_t>> entries;
    for (std::size_t c = 0; c < compartments_.size(); ++c) {
        const auto v = static_cast<std::int64_t>(offset_[c]);
        const std::size_t end = c + 1 < compartments_.size() ? offset_[c + 1] : size_;
        for (auto k = v; k < static_cast<std::int64_t>(end); ++k) {
            entries.emplace_back(v, k);
            entries.emplace_back(k, k);
            entries.emplace_back(k, v);
        }
        if (compartments_[c].parent >= 0) {
            const auto p = static_cast<std::int64_t>(offset_[static_cast<std::size_t>(compartments_[c].parent)]);
            entries.emplace_back(v, p);
            entries.emplace_back(p, v);
        }
    }
    pattern_ = sim::make_sparsity_pattern(size_, entries);
    scratch_.resize(4 * 8);
}

std::size_t CellSystem::voltage_index(const Location& where) const
{
    return offset_[model_.morphology.compartment_at(where.section, where.position)];
}

void CellSystem::initial_state(sim::Vector y0) const
{
    for (std::size_t c = 0; c < compartments_.size(); ++c) {
        std::size_t k = offset_[c];
        y0[k++] = model_.initial_voltage;
        for (const Inserted& ins : inserted_[c]) {
            ins.channel->steady_state(model_.initial_voltage, y0.subspan(k, ins.states));
            k += ins.states;
        }
    }
}

std::string CellSystem::variable_name(std::size_t i) const { return names_.at(i); }

std::string CellSystem::variable_unit(std::size_t i) const { return names_.at(i).starts_with("v ") ? "mV" : "1"; }

std::string CellSystem::input_name(std::size_t k) const { return "iclamp[" + std::to_string(k) + "]"; }

void CellSystem::rhs(double, sim::ConstVector y, sim::ConstVector u, sim::Vector ydot)
{
    for (std::size_t c = 0; c < compartments_.size(); ++c) {
        const Compartment& comp = compartments_[c];
        const std::size_t vi = offset_[c];
        const double v = y[vi];
        double density = 0;  // [mA/cm2]
        std::size_t k = vi + 1;
        for (const Inserted& ins : inserted_[c]) {
            const auto s = y.subspan(k, ins.states);
            density += ins.channel->current(v, s);
            ins.channel->derivatives(v, s, ydot.subspan(k, ins.states));
            k += ins.states;
        }
        double current = -density * comp.area * mA_per_cm2_um2_to_nA;  // [nA] into the compartment
        if (comp.parent >= 0) current += comp.axial_conductance * (y[offset_[static_cast<std::size_t>(comp.parent)]] - v);
        for (std::size_t child : children_[c]) current += compartments_[child].axial_conductance * (y[offset_[child]] - v);
        ydot[vi] = current / comp.capacitance;
    }
    for (std::size_t k = 0; k < clamp_compartment_.size(); ++k) {
        const std::size_t c = clamp_compartment_[k];
        ydot[offset_[c]] += u[k] / compartments_[c].capacitance;
    }
}

void CellSystem::sparse_jacobian(double, sim::ConstVector y, sim::ConstVector, sim::Vector values)
{
    std::fill(values.begin(), values.end(), 0.0);
    auto at = [&](std::size_t row, std::size_t col) -> double& {
        return values[static_cast<std::size_t>(pattern_.find(static_cast<std::int64_t>(row), static_cast<std::int64_t>(col)))];
    };
    for (std::size_t c = 0; c < compartments_.size(); ++c) {
        const Compartment& comp = compartments_[c];
        const std::size_t vi = offset_[c];
        const double v = y[vi];
        const double to_dvdt = -comp.area * mA_per_cm2_um2_to_nA / comp.capacitance;
        double dvv = 0;
        std::size_t k = vi + 1;
        for (const Inserted& ins : inserted_[c]) {
            const std::size_t n = ins.states;
            scratch_.resize(std::max(scratch_.size(), 3 * n));
            const std::span<double> dds_ds(scratch_.data(), n), dds_dv(scratch_.data() + n, n), di_ds(scratch_.data() + 2 * n, n);
            double di_dv = 0;
            ins.channel->partials(v, y.subspan(k, n), dds_ds, dds_dv, di_ds, di_dv);
            dvv += to_dvdt * di_dv;
            for (std::size_t g = 0; g < n; ++g) {
                at(k + g, k + g) += dds_ds[g];
                at(k + g, vi) += dds_dv[g];
                at(vi, k + g) += to_dvdt * di_ds[g];
            }
            k += n;
        }
        if (comp.parent >= 0) {
            const std::size_t p = offset_[static_cast<std::size_t>(comp.parent)];
            at(vi, p) += comp.axial_conductance / comp.capacitance;
            dvv -= comp.axial_conductance / comp.capacitance;
        }
        for (std::size_t child : children_[c]) {
            at(vi, offset_[child]) += compartments_[child].axial_conductance / comp.capacitance;
            dvv -= compartments_[child].axial_conductance / comp.capacitance;
        }
        at(vi, vi) += dvv;
    }
}

void CellSystem::roots(double, sim::ConstVector y, sim::ConstVector, sim::Vector g)
{
    for (std::size_t k = 0; k < detector_compartment_.size(); ++k)
        g[k] = y[offset_[detector_compartment_[k]]] - model_.spike_threshold;
}

}  // namespace neurode::neurons
