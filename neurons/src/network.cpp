#include <neurode/neurons/network.hpp>

#include "synapse_math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <neurode/sim/errors.hpp>

namespace neurode::neurons {

namespace {
using namespace synapse_math;
std::size_t synapse_states(Receptor r) { return r == Receptor::gaba_b ? 2 : 1; }

void validate_spike_times(const std::vector<double>& times, std::size_t source)
{
    for (std::size_t i = 0; i < times.size(); ++i) {
        const std::string field = "spike_source[" + std::to_string(source) + "].times[" + std::to_string(i) + "]";
        if (!(std::isfinite(times[i]) && times[i] >= 0)) throw invalid_parameter(field, "must be finite and >= 0 ms");
        if (i > 0 && times[i] < times[i - 1])
            throw invalid_parameter(field, "spike times must be sorted, but " + std::to_string(times[i]) + " ms follows " +
                                               std::to_string(times[i - 1]) + " ms");
    }
}
}  // namespace

KineticSynapse make_synapse(std::size_t pre_cell, Location pre, std::size_t post_cell, Location post, Receptor receptor,
                            double conductance)
{
    return {pre_cell, std::move(pre), post_cell, std::move(post), receptor, conductance,
            KineticSynapseParameters::defaults(receptor)};
}

EventSynapse make_event_synapse(std::size_t pre_cell, std::size_t post_cell, Location post, Receptor receptor,
                                double weight, double delay)
{
    EventSynapse s{pre_cell, post_cell, std::move(post), receptor, weight, delay};
    switch (receptor) {
    case Receptor::ampa: s.tau1 = 0.5, s.tau2 = 5.0, s.reversal = 0.0; break;
    case Receptor::nmda: s.tau1 = 1.0, s.tau2 = 20.0, s.reversal = 0.0; break;
    case Receptor::gaba_a: s.tau1 = 0.5, s.tau2 = 5.0, s.reversal = -80.0; break;
    case Receptor::gaba_b: s.tau1 = 1.0, s.tau2 = 20.0, s.reversal = -80.0; break;
    }
    return s;
}

EventSynapse make_source_synapse(std::size_t source, std::size_t post_cell, Location post, Receptor receptor,
                                 double weight, double delay)
{
    EventSynapse s = make_event_synapse(0, post_cell, std::move(post), receptor, weight, delay);
    s.pre_source = source;
    return s;
}

double exp2_peak_factor(double tau1, double tau2)
{
    const double t_peak = tau1 * tau2 / (tau2 - tau1) * std::log(tau2 / tau1);  // [ms]
    return 1.0 / (std::exp(-t_peak / tau2) - std::exp(-t_peak / tau1));
}

void NetworkModel::validate() const
{
    if (cells.empty()) throw invalid_parameter("cells", "the network has no cells");
    for (std::size_t c = 0; c < cells.size(); ++c) {
        try {
            cells[c].validate();
        } catch (const invalid_parameter& e) {
            throw invalid_parameter("cell[" + std::to_string(c) + "]." + e.field(), e.constraint());
        }
    }
    for (std::size_t k = 0; k < spike_sources.size(); ++k) validate_spike_times(spike_sources[k].times, k);
    for (std::size_t k = 0; k < synapses.size(); ++k) {
        const KineticSynapse& s = synapses[k];
        const std::string field = "synapse[" + std::to_string(k) + "]";
        if (s.pre_cell >= cells.size()) throw invalid_parameter(field + ".pre_cell", "no such cell");
        if (s.post_cell >= cells.size()) throw invalid_parameter(field + ".post_cell", "no such cell");
        try {
            cells[s.pre_cell].morphology.compartment_at(s.pre.section, s.pre.position);
            cells[s.post_cell].morphology.compartment_at(s.post.section, s.post.position);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + "." + e.field(), e.constraint());
        }
        if (!(std::isfinite(s.conductance) && s.conductance >= 0))
            throw invalid_parameter(field + ".conductance", "must be finite and >= 0 uS");
        s.parameters.validate(field);
    }
    for (std::size_t k = 0; k < event_synapses.size(); ++k) {
        const EventSynapse& s = event_synapses[k];
        const std::string field = "event_synapse[" + std::to_string(k) + "]";
        if (s.pre_source) {
            if (*s.pre_source >= spike_sources.size())
                throw invalid_parameter(field + ".pre_source", "no such spike source (the model has " +
                                                                   std::to_string(spike_sources.size()) + ")");
        } else {
            if (s.pre_cell >= cells.size()) throw invalid_parameter(field + ".pre_cell", "no such cell");
            if (cells[s.pre_cell].spike_detectors.empty())
                throw invalid_parameter(field + ".pre_cell", "cell " + std::to_string(s.pre_cell) +
                                                                 " has no spike detector to send events");
        }
        if (s.post_cell >= cells.size()) throw invalid_parameter(field + ".post_cell", "no such cell");
        try {
            cells[s.post_cell].morphology.compartment_at(s.post.section, s.post.position);
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(field + "." + e.field(), e.constraint());
        }
        if (!(std::isfinite(s.weight) && s.weight >= 0)) throw invalid_parameter(field + ".weight", "must be finite and >= 0 uS");
        if (!(std::isfinite(s.delay) && s.delay >= 0)) throw invalid_parameter(field + ".delay", "must be finite and >= 0 ms");
        if (!(std::isfinite(s.tau2) && s.tau2 > 0)) throw invalid_parameter(field + ".tau2", "must be finite and > 0 ms");
        if (!(std::isfinite(s.tau1) && s.tau1 > 0 && s.tau1 < s.tau2))
            throw invalid_parameter(field + ".tau1", "must be > 0 and < tau2 (" + std::to_string(s.tau2) + " ms)");
        if (!std::isfinite(s.reversal)) throw invalid_parameter(field + ".reversal", "must be finite (mV)");
        if (!(std::isfinite(s.magnesium) && s.magnesium >= 0))
            throw invalid_parameter(field + ".magnesium", "must be finite and >= 0 mM");
    }
}

NetworkSystem::NetworkSystem(const NetworkModel& model)
{
    model.validate();
    const bool single = model.cells.size() == 1;
    for (std::size_t c = 0; c < model.cells.size(); ++c) {
        const CellModel& cell = model.cells[c];
        const std::string prefix = single ? "" : "cell[" + std::to_string(c) + "].";
        morphologies_.push_back(cell.morphology);
        compartment_base_.push_back(compartments_.size());
        const auto geometry = cell.morphology.compartments();
        const auto& sections = cell.morphology.sections();
        const std::size_t base = compartments_.size();
        for (const Compartment& g : geometry) {
            CompartmentState cs;
            cs.geometry = g;
            cs.parent = g.parent >= 0 ? static_cast<int>(base) + g.parent : -1;
            cs.voltage = size_;
            const Section& sec = sections[g.section];
            const std::string where = sec.name + "[" + std::to_string(g.segment) + "]";
            names_.push_back(prefix + "v " + where);
            units_.push_back("mV");
            ++size_;
            for (const ChannelPlacement& p : cell.channels) {
                if (!p.region.empty() && p.region != sec.region) continue;
                const ChannelInfo& info = channel_info(p.channel);
                auto channel = info.make(resolve_parameters(info, p.parameters, cell.celsius));
                const auto gates = channel->state_names();
                for (const std::string& gate : gates) {
                    names_.push_back(prefix + info.name + "." + gate + " " + where);
                    units_.push_back("1");
                }
                size_ += gates.size();
                cs.channels.push_back({std::move(channel), gates.size()});
            }
            initial_voltage_.push_back(cell.initial_voltage);
            compartments_.push_back(std::move(cs));
        }
        for (std::size_t i = base; i < compartments_.size(); ++i)
            if (compartments_[i].parent >= 0) compartments_[static_cast<std::size_t>(compartments_[i].parent)].children.push_back(i);
        for (std::size_t k = 0; k < cell.clamps.size(); ++k) {
            clamps_.push_back({c, base + cell.morphology.compartment_at(cell.clamps[k].section, cell.clamps[k].position)});
            input_names_.push_back(prefix + "iclamp[" + std::to_string(k) + "]");
        }
        for (const Location& l : cell.spike_detectors) {
            detectors_.push_back({c, base + cell.morphology.compartment_at(l.section, l.position)});
            thresholds_.push_back(cell.spike_threshold);
        }
    }
    for (std::size_t k = 0; k < model.synapses.size(); ++k) {
        const KineticSynapse& s = model.synapses[k];
        const std::size_t post = compartment_base_[s.post_cell] +
                                 model.cells[s.post_cell].morphology.compartment_at(s.post.section, s.post.position);
        BuiltSynapse b{s, voltage_index(s.pre_cell, s.pre), compartments_[post].voltage, size_,
                       compartments_[post].geometry.capacitance, post};
        const std::size_t n = synapse_states(s.receptor);
        for (std::size_t j = 0; j < n; ++j) {
            names_.push_back("synapse[" + std::to_string(k) + "]." + std::string(to_string(s.receptor)) + (j == 0 ? ".r" : ".s"));
            units_.push_back("1");
        }
        size_ += n;
        synapses_.push_back(b);
    }
    outgoing_.resize(detectors_.size());
    for (const SpikeSource& source : model.spike_sources) source_times_.push_back(source.times);
    source_synapses_.resize(source_times_.size());
    std::vector<std::size_t> first_root(model.cells.size(), 0);  // each cell's first detector
    for (std::size_t r = detectors_.size(); r-- > 0;) first_root[detectors_[r].cell] = r;
    for (std::size_t k = 0; k < model.event_synapses.size(); ++k) {
        const EventSynapse& s = model.event_synapses[k];
        const std::size_t post = compartment_base_[s.post_cell] +
                                 model.cells[s.post_cell].morphology.compartment_at(s.post.section, s.post.position);
        event_synapses_.push_back({s, compartments_[post].voltage, size_, compartments_[post].geometry.capacitance,
                                   exp2_peak_factor(s.tau1, s.tau2), post});
        if (s.pre_source) {
            source_synapses_[*s.pre_source].push_back(k);
        } else {
            outgoing_[first_root[s.pre_cell]].push_back(k);
        }
        const std::string name = "event_synapse[" + std::to_string(k) + "]." + std::string(to_string(s.receptor));
        names_.push_back(name + ".A");
        names_.push_back(name + ".B");
        units_.insert(units_.end(), 2, "uS");
        size_ += 2;
    }

    queue_source_deliveries();

    // Pattern: a voltage row couples to its gates, its tree neighbours and the synapses onto it;
    // gate rows to themselves and their voltage; synapse rows to themselves and the presynaptic
    // voltage (GABA-B's second state also to the first).
    std::vector<std::pair<std::int64_t, std::int64_t>> entries;
    auto add = [&](std::size_t r, std::size_t c) { entries.emplace_back(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)); };
    for (const CompartmentState& cs : compartments_) {
        std::size_t k = cs.voltage;
        add(k, k);
        for (const Inserted& ins : cs.channels)
            for (std::size_t g = 0; g < ins.states; ++g) {
                ++k;
                add(cs.voltage, k);
                add(k, k);
                add(k, cs.voltage);
            }
        if (cs.parent >= 0) {
            add(cs.voltage, compartments_[static_cast<std::size_t>(cs.parent)].voltage);
            add(compartments_[static_cast<std::size_t>(cs.parent)].voltage, cs.voltage);
        }
    }
    for (const BuiltSynapse& b : synapses_) {
        add(b.state, b.state);
        add(b.state, b.pre_voltage);
        add(b.post_voltage, b.post_voltage);
        if (b.spec.receptor == Receptor::gaba_b) {
            add(b.state + 1, b.state + 1);
            add(b.state + 1, b.state);
            add(b.post_voltage, b.state + 1);
        } else {
            add(b.post_voltage, b.state);
        }
    }
    for (const BuiltEventSynapse& b : event_synapses_) {
        add(b.state, b.state);
        add(b.state + 1, b.state + 1);
        add(b.post_voltage, b.state);
        add(b.post_voltage, b.state + 1);
        add(b.post_voltage, b.post_voltage);
    }
    pattern_ = sim::make_sparsity_pattern(size_, entries);
}

std::vector<std::vector<double>> NetworkSystem::spike_trains(std::span<const sim::Event> events) const
{
    std::vector<std::vector<double>> trains(cell_count());
    for (const sim::Event& e : events)
        if (e.direction > 0) trains[detector_cell(e.root)].push_back(e.time);
    return trains;
}

std::size_t NetworkSystem::voltage_index(std::size_t cell, const Location& where) const
{
    if (cell >= compartment_base_.size()) throw invalid_parameter("cell", "index " + std::to_string(cell) + " is out of range");
    return compartments_[compartment_base_[cell] + morphologies_[cell].compartment_at(where.section, where.position)].voltage;
}

void NetworkSystem::queue_source_deliveries()
{
    source_deliveries_.clear();
    for (std::size_t source = 0; source < source_times_.size(); ++source)
        for (std::size_t k : source_synapses_[source])
            for (double t : source_times_[source]) source_deliveries_.push_back({t + event_synapses_[k].spec.delay, k});
    queue_ = decltype(queue_)(std::greater<>{}, source_deliveries_);
}

void NetworkSystem::set_spike_sources(std::vector<std::vector<double>> trains)
{
    if (trains.size() != source_times_.size())
        throw invalid_parameter("trains", "must hold one train per spike source (" + std::to_string(source_times_.size()) +
                                              "), holds " + std::to_string(trains.size()));
    for (std::size_t k = 0; k < trains.size(); ++k) validate_spike_times(trains[k], k);
    source_times_ = std::move(trains);
    queue_source_deliveries();
}

void NetworkSystem::set_spike_source(std::size_t source, std::vector<double> times)
{
    if (source >= source_times_.size())
        throw invalid_parameter("source", "index " + std::to_string(source) + " is out of range (" +
                                              std::to_string(source_times_.size()) + " spike sources)");
    std::vector<std::vector<double>> trains = source_times_;
    trains[source] = std::move(times);
    set_spike_sources(std::move(trains));
}

void NetworkSystem::append_source_spikes(std::size_t source, std::span<const double> times, double now)
{
    if (source >= source_times_.size())
        throw invalid_parameter("source", "index " + std::to_string(source) + " is out of range (" +
                                              std::to_string(source_times_.size()) + " spike sources)");
    std::vector<double>& train = source_times_[source];
    std::vector<double> appended(times.begin(), times.end());
    validate_spike_times(appended, source);
    const double earliest = std::max(now, train.empty() ? 0.0 : train.back());
    if (!appended.empty() && appended.front() < earliest)
        throw invalid_parameter("spike_source[" + std::to_string(source) + "].times[0]",
                                "must not be before " + std::to_string(earliest) + " ms (the run's time or the last spike)");
    for (double t : appended)
        for (std::size_t k : source_synapses_[source]) {
            const Delivery d{t + event_synapses_[k].spec.delay, k};
            source_deliveries_.push_back(d);
            queue_.push(d);
        }
    train.insert(train.end(), appended.begin(), appended.end());
}

void NetworkSystem::initial_state(sim::Vector y0) const
{
    for (std::size_t c = 0; c < compartments_.size(); ++c) {
        const CompartmentState& cs = compartments_[c];
        std::size_t k = cs.voltage;
        y0[k++] = initial_voltage_[c];
        for (const Inserted& ins : cs.channels) {
            ins.channel->steady_state(initial_voltage_[c], y0.subspan(k, ins.states));
            k += ins.states;
        }
    }
    // Synapses start at their steady state for the presynaptic resting voltage.
    for (const BuiltSynapse& b : synapses_) {
        const KineticSynapseParameters& p = b.spec.parameters;
        const double t = release(p, y0[b.pre_voltage]);
        const double r = p.alpha * t / (p.alpha * t + p.beta);
        y0[b.state] = r;
        if (b.spec.receptor == Receptor::gaba_b) y0[b.state + 1] = p.k3 * r / p.k4;
    }
    for (const BuiltEventSynapse& b : event_synapses_) y0[b.state] = y0[b.state + 1] = 0.0;
    queue_ = decltype(queue_)(std::greater<>{}, source_deliveries_);  // the spike sources' deliveries, nothing else
}

void NetworkSystem::rhs(double, sim::ConstVector y, sim::ConstVector u, sim::Vector ydot)
{
    for (const CompartmentState& cs : compartments_) {
        const double v = y[cs.voltage];
        double density = 0;  // [mA/cm2]
        std::size_t k = cs.voltage + 1;
        for (const Inserted& ins : cs.channels) {
            const auto s = y.subspan(k, ins.states);
            density += ins.channel->current(v, s);
            ins.channel->derivatives(v, s, ydot.subspan(k, ins.states));
            k += ins.states;
        }
        double current = -density * cs.geometry.area * mA_per_cm2_um2_to_nA;  // [nA] into the compartment
        if (cs.parent >= 0) current += cs.geometry.axial_conductance * (y[compartments_[static_cast<std::size_t>(cs.parent)].voltage] - v);
        for (std::size_t child : cs.children)
            current += compartments_[child].geometry.axial_conductance * (y[compartments_[child].voltage] - v);
        ydot[cs.voltage] = current;  // divided by the capacitance below, after synapses and clamps
    }
    for (std::size_t k = 0; k < clamps_.size(); ++k) ydot[compartments_[clamps_[k].compartment].voltage] += u[k];
    for (const BuiltSynapse& b : synapses_) {
        const KineticSynapseParameters& p = b.spec.parameters;
        const double t = release(p, y[b.pre_voltage]);
        const double r = y[b.state];
        const double v = y[b.post_voltage];
        ydot[b.state] = p.alpha * t * (1 - r) - p.beta * r;
        if (b.spec.receptor == Receptor::gaba_b) ydot[b.state + 1] = p.k3 * r - p.k4 * y[b.state + 1];
        const double open = kinetic_opening(b.spec.receptor, p, &y[b.state], v).fraction;
        ydot[b.post_voltage] -= b.spec.conductance * open * (v - p.reversal);
    }
    for (const BuiltEventSynapse& b : event_synapses_) {
        const EventSynapse& s = b.spec;
        const double a = y[b.state], bb = y[b.state + 1], v = y[b.post_voltage];
        ydot[b.state] = -a / s.tau1;
        ydot[b.state + 1] = -bb / s.tau2;
        ydot[b.post_voltage] -= (bb - a) * event_block(s.receptor, s.magnesium, v).fraction * (v - s.reversal);  // [nA]
    }
    for (const CompartmentState& cs : compartments_) ydot[cs.voltage] /= cs.geometry.capacitance;
}

void NetworkSystem::sparse_jacobian(double, sim::ConstVector y, sim::ConstVector, sim::Vector values)
{
    std::fill(values.begin(), values.end(), 0.0);
    auto at = [&](std::size_t row, std::size_t col) -> double& {
        return values[static_cast<std::size_t>(pattern_.find(static_cast<std::int64_t>(row), static_cast<std::int64_t>(col)))];
    };
    for (const CompartmentState& cs : compartments_) {
        const std::size_t vi = cs.voltage;
        const double v = y[vi];
        const double inv_c = 1.0 / cs.geometry.capacitance;
        const double to_dvdt = -cs.geometry.area * mA_per_cm2_um2_to_nA * inv_c;
        std::size_t k = vi + 1;
        for (const Inserted& ins : cs.channels) {
            const std::size_t n = ins.states;
            scratch_.resize(std::max(scratch_.size(), 3 * n));
            const std::span<double> dds_ds(scratch_.data(), n), dds_dv(scratch_.data() + n, n), di_ds(scratch_.data() + 2 * n, n);
            double di_dv = 0;
            ins.channel->partials(v, y.subspan(k, n), dds_ds, dds_dv, di_ds, di_dv);
            at(vi, vi) += to_dvdt * di_dv;
            for (std::size_t g = 0; g < n; ++g) {
                at(k + g, k + g) += dds_ds[g];
                at(k + g, vi) += dds_dv[g];
                at(vi, k + g) += to_dvdt * di_ds[g];
            }
            k += n;
        }
        if (cs.parent >= 0) {
            const double g = cs.geometry.axial_conductance;
            const std::size_t p = compartments_[static_cast<std::size_t>(cs.parent)].voltage;
            at(vi, p) += g * inv_c;
            at(vi, vi) -= g * inv_c;
        }
        for (std::size_t child : cs.children) {
            const double g = compartments_[child].geometry.axial_conductance;
            at(vi, compartments_[child].voltage) += g * inv_c;
            at(vi, vi) -= g * inv_c;
        }
    }
    for (const BuiltSynapse& b : synapses_) {
        const KineticSynapseParameters& p = b.spec.parameters;
        const double v_pre = y[b.pre_voltage], r = y[b.state], v = y[b.post_voltage];
        const double t = release(p, v_pre);
        at(b.state, b.state) += -p.alpha * t - p.beta;
        at(b.state, b.pre_voltage) += p.alpha * release_slope(p, v_pre) * (1 - r);
        const double g = b.spec.conductance / b.post_capacitance;
        if (b.spec.receptor == Receptor::gaba_b) {
            const double s = y[b.state + 1], s4 = s * s * s * s;
            const double open = s4 / (s4 + p.kd);
            at(b.state + 1, b.state + 1) += -p.k4;
            at(b.state + 1, b.state) += p.k3;
            at(b.post_voltage, b.state + 1) += -g * (4 * s * s * s * p.kd / ((s4 + p.kd) * (s4 + p.kd))) * (v - p.reversal);
            at(b.post_voltage, b.post_voltage) += -g * open;
        } else {
            const Opening block = event_block(b.spec.receptor, p.magnesium, v);  // B(V) for NMDA, else 1
            at(b.post_voltage, b.state) += -g * block.fraction * (v - p.reversal);
            at(b.post_voltage, b.post_voltage) += -g * r * (block.fraction + block.slope * (v - p.reversal));
        }
    }
    for (const BuiltEventSynapse& b : event_synapses_) {
        const EventSynapse& s = b.spec;
        const double v = y[b.post_voltage], g = y[b.state + 1] - y[b.state];  // [mV], [uS]
        const Opening block = event_block(s.receptor, s.magnesium, v);
        const double inv_c = 1.0 / b.post_capacitance;
        at(b.state, b.state) += -1.0 / s.tau1;
        at(b.state + 1, b.state + 1) += -1.0 / s.tau2;
        at(b.post_voltage, b.state) += block.fraction * (v - s.reversal) * inv_c;
        at(b.post_voltage, b.state + 1) += -block.fraction * (v - s.reversal) * inv_c;
        at(b.post_voltage, b.post_voltage) += -g * (block.fraction + block.slope * (v - s.reversal)) * inv_c;
    }
}

void NetworkSystem::roots(double, sim::ConstVector y, sim::ConstVector, sim::Vector g)
{
    for (std::size_t k = 0; k < detectors_.size(); ++k) g[k] = y[compartments_[detectors_[k].compartment].voltage] - thresholds_[k];
}

bool NetworkSystem::on_roots(double t, sim::Vector, std::span<const int> directions)
{
    for (std::size_t r = 0; r < directions.size(); ++r)
        if (directions[r] > 0)
            for (std::size_t k : outgoing_[r]) queue_.push({t + event_synapses_[k].spec.delay, k});
    return false;  // the state is unchanged until a delivery
}

double NetworkSystem::next_scheduled_event(double) const
{
    return queue_.empty() ? std::numeric_limits<double>::infinity() : queue_.top().time;
}

bool NetworkSystem::on_scheduled_event(double t, sim::Vector y)
{
    bool delivered = false;
    while (!queue_.empty() && queue_.top().time <= t) {
        const BuiltEventSynapse& b = event_synapses_[queue_.top().synapse];
        const double jump = b.spec.weight * b.factor;  // [uS]
        y[b.state] += jump;
        y[b.state + 1] += jump;
        delivered = true;
        queue_.pop();
    }
    return delivered;
}

double NetworkSystem::synapse_conductance(std::size_t k, sim::ConstVector y) const
{
    if (k >= synapses_.size()) throw invalid_parameter("synapse", "index " + std::to_string(k) + " is out of range");
    const BuiltSynapse& b = synapses_[k];
    return b.spec.conductance * kinetic_opening(b.spec.receptor, b.spec.parameters, &y[b.state], y[b.post_voltage]).fraction;
}

double NetworkSystem::synapse_current(std::size_t k, sim::ConstVector y) const
{
    const BuiltSynapse& b = synapses_.at(k);
    return synapse_conductance(k, y) * (y[b.post_voltage] - b.spec.parameters.reversal);
}

double NetworkSystem::event_synapse_conductance(std::size_t k, sim::ConstVector y) const
{
    if (k >= event_synapses_.size()) throw invalid_parameter("event_synapse", "index " + std::to_string(k) + " is out of range");
    const BuiltEventSynapse& b = event_synapses_[k];
    return (y[b.state + 1] - y[b.state]) * event_block(b.spec.receptor, b.spec.magnesium, y[b.post_voltage]).fraction;
}

double NetworkSystem::event_synapse_current(std::size_t k, sim::ConstVector y) const
{
    const BuiltEventSynapse& b = event_synapses_.at(k);
    return event_synapse_conductance(k, y) * (y[b.post_voltage] - b.spec.reversal);
}

std::string NetworkSystem::synapse_name(std::size_t k) const
{
    return "synapse[" + std::to_string(k) + "]." + std::string(to_string(synapses_.at(k).spec.receptor));
}

std::string NetworkSystem::event_synapse_name(std::size_t k) const
{
    return "event_synapse[" + std::to_string(k) + "]." + std::string(to_string(event_synapses_.at(k).spec.receptor));
}

CellSystem::CellSystem(const CellModel& model) : NetworkSystem(NetworkModel{{model}, {}}) {}

}  // namespace neurode::neurons
