#include <neurode/neurons/heterogeneity.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::neurons {

namespace {
// A factor with mean 1 and coefficient of variation cv: log f ~ N(-s^2/2, s^2), s^2 = log(1 + cv^2).
double factor(sim::Rng& rng, double cv)
{
    const double s2 = std::log1p(cv * cv);
    return rng.lognormal(-0.5 * s2, std::sqrt(s2));
}
}  // namespace

void BiophysicalHeterogeneity::validate() const
{
    if (!(std::isfinite(cv) && cv >= 0)) throw invalid_parameter("cv", "must be finite and >= 0");
}

NetworkModel heterogeneous(const NetworkModel& model, const BiophysicalHeterogeneity& h)
{
    h.validate();
    NetworkModel out = model;
    if (h.cv == 0) return out;
    sim::Rng root(h.seed);
    sim::Rng membrane = root.split(), channels = root.split(), synapses = root.split();
    for (CellModel& cell : out.cells) {
        if (h.membrane) {
            const double f = factor(membrane, h.cv);
            Morphology scaled;
            for (Section s : cell.morphology.sections()) {
                s.membrane_capacitance *= f;
                scaled.add(s);
            }
            cell.morphology = std::move(scaled);
        }
        if (h.channels)
            for (ChannelPlacement& placement : cell.channels) {
                const double f = factor(channels, h.cv);
                for (const auto& [name, value] : channel_info(placement.channel).defaults)
                    if (name.front() == 'g') {
                        const auto given = placement.parameters.find(name);
                        placement.parameters[name] = (given == placement.parameters.end() ? value : given->second) * f;
                    }
            }
    }
    if (h.synapses) {
        for (KineticSynapse& s : out.synapses) {
            const double f = factor(synapses, h.cv);
            s.parameters.alpha /= f;
            s.parameters.beta /= f;
            s.parameters.k3 /= f;
            s.parameters.k4 /= f;
        }
        for (EventSynapse& s : out.event_synapses) {
            const double f = factor(synapses, h.cv);
            s.tau1 *= f;
            s.tau2 *= f;
        }
    }
    out.validate();
    return out;
}

}  // namespace neurode::neurons
