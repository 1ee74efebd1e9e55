#include <neurode/neurons/synaptic_recording.hpp>

#include <neurode/sim/errors.hpp>

namespace neurode::neurons {

namespace {
enum class Quantity { conductance, current };

sim::Probe synaptic_probe(const NetworkSystem& system, std::string name, SynapseKind kind, std::vector<std::size_t> synapses,
                          double interval, Quantity quantity)
{
    const bool event = kind == SynapseKind::event;
    const std::size_t count = event ? system.event_synapse_count() : system.synapse_count();
    if (synapses.empty()) throw invalid_parameter("synapses", "must name at least one synapse");
    std::vector<std::string> columns;
    for (std::size_t i = 0; i < synapses.size(); ++i) {
        if (synapses[i] >= count)
            throw invalid_parameter("synapses[" + std::to_string(i) + "]",
                                    "index " + std::to_string(synapses[i]) + " is out of range: the network has " +
                                        std::to_string(count) + (event ? " event synapses" : " kinetic synapses"));
        columns.push_back(event ? system.event_synapse_name(synapses[i]) : system.synapse_name(synapses[i]));
    }
    const std::size_t width = synapses.size();
    const NetworkSystem* net = &system;
    sim::Observable observable = [net, event, quantity, synapses = std::move(synapses)](double, std::span<const double> y,
                                                                                        std::span<double> out) {
        for (std::size_t i = 0; i < synapses.size(); ++i) {
            const std::size_t k = synapses[i];
            if (quantity == Quantity::conductance)
                out[i] = event ? net->event_synapse_conductance(k, y) : net->synapse_conductance(k, y);
            else
                out[i] = event ? net->event_synapse_current(k, y) : net->synapse_current(k, y);
        }
    };
    sim::Probe probe = sim::Probe::derived(std::move(name), std::move(observable), width,
                                           quantity == Quantity::conductance ? "uS" : "nA", interval);
    probe.column_names = std::move(columns);
    return probe;
}
}  // namespace

sim::Probe synaptic_conductance_probe(const NetworkSystem& system, std::string name, SynapseKind kind,
                                      std::vector<std::size_t> synapses, double interval)
{
    return synaptic_probe(system, std::move(name), kind, std::move(synapses), interval, Quantity::conductance);
}

sim::Probe synaptic_current_probe(const NetworkSystem& system, std::string name, SynapseKind kind,
                                  std::vector<std::size_t> synapses, double interval)
{
    return synaptic_probe(system, std::move(name), kind, std::move(synapses), interval, Quantity::current);
}

}  // namespace neurode::neurons
