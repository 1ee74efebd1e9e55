// Biophysical heterogeneity (neurons/heterogeneity.hpp): cv 0 leaves the network unchanged; at
// cv 0.5 the per-cell factors of the membrane capacitance, the channel densities and the synaptic
// time constants follow the lognormal law with mean 1 and that CV (sample moments of log f
// against -s^2/2 and s, s^2 = log 1.25), and the passive membrane time constant cm / g follows.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <cmath>

#include <neurode/neurons/heterogeneity.hpp>

namespace neurons = neurode::neurons;

namespace {
// `cells` one-compartment cells with hh, pas with a given density, and a synapse of each kind
// from each cell to the next.
neurons::NetworkModel network(std::size_t cells)
{
    neurons::NetworkModel m;
    for (std::size_t c = 0; c < cells; ++c) {
        neurons::CellModel cell;
        cell.morphology = neurons::Morphology::soma();
        cell.channels = {{"hh", "", {}}, {"pas", "", {{"g", 2e-4}}}};
        cell.spike_detectors = {{"soma", 0.5}};
        m.cells.push_back(cell);
    }
    for (std::size_t c = 0; c + 1 < cells; ++c) {
        m.synapses.push_back(neurons::make_synapse(c, {"soma", 0.5}, c + 1, {"soma", 0.5}, neurons::Receptor::ampa, 1e-3));
        m.event_synapses.push_back(neurons::make_event_synapse(c, c + 1, {"soma", 0.5}, neurons::Receptor::nmda, 1e-3, 1.0));
    }
    return m;
}

// Mean and sd of log(after / before).
std::pair<double, double> log_moments(const std::vector<double>& before, const std::vector<double>& after)
{
    double m = 0, s = 0;
    const auto n = static_cast<double>(before.size());
    for (std::size_t i = 0; i < before.size(); ++i) m += std::log(after[i] / before[i]) / n;
    for (std::size_t i = 0; i < before.size(); ++i) s += std::pow(std::log(after[i] / before[i]) - m, 2) / (n - 1);
    return {m, std::sqrt(s)};
}
}  // namespace

TEST(BiophysicalHeterogeneity, ZeroSpreadChangesNothing)
{
    const auto m = network(5);
    const auto same = neurons::heterogeneous(m, {0.0});
    EXPECT_EQ(same.cells[2].morphology.sections()[0].membrane_capacitance, m.cells[2].morphology.sections()[0].membrane_capacitance);
    EXPECT_EQ(same.cells[2].channels[1].parameters, m.cells[2].channels[1].parameters);
    EXPECT_EQ(same.synapses[1].parameters.beta, m.synapses[1].parameters.beta);
    EXPECT_EQ(same.event_synapses[1].tau2, m.event_synapses[1].tau2);
    expect_field([&] { neurons::heterogeneous(m, {-0.1}); }, "cv");
}

TEST(BiophysicalHeterogeneity, FactorsFollowTheLognormalLaw)
{
    const std::size_t n = 2000;
    const auto m = network(n);
    const auto h = neurons::heterogeneous(m, {0.5, true, true, true, 4});
    const double s = std::sqrt(std::log(1.25));
    std::vector<double> cm0, cm1, tau0, tau1, gna0, gna1, beta0, beta1, tau2_0, tau2_1;
    for (std::size_t c = 0; c < n; ++c) {
        cm0.push_back(m.cells[c].morphology.sections()[0].membrane_capacitance);
        cm1.push_back(h.cells[c].morphology.sections()[0].membrane_capacitance);
        // Passive time constant cm / g (the oracle's own arithmetic on the stored values).
        tau0.push_back(cm0.back() / m.cells[c].channels[1].parameters.at("g"));
        tau1.push_back(cm1.back() / h.cells[c].channels[1].parameters.at("g"));
        gna0.push_back(0.12);  // hh's default gnabar [S/cm2]
        gna1.push_back(h.cells[c].channels[0].parameters.at("gnabar"));
        EXPECT_EQ(h.cells[c].channels[0].parameters.count("ena"), 0u);  // reversal potentials keep their defaults
        if (c + 1 < n) {
            beta0.push_back(m.synapses[c].parameters.beta);
            beta1.push_back(h.synapses[c].parameters.beta);
            tau2_0.push_back(m.event_synapses[c].tau2);
            tau2_1.push_back(h.event_synapses[c].tau2);
            EXPECT_NEAR(h.event_synapses[c].tau2 / h.event_synapses[c].tau1, m.event_synapses[c].tau2 / m.event_synapses[c].tau1, 1e-12);
        }
    }
    for (const auto& [before, after] : {std::pair{cm0, cm1}, std::pair{gna0, gna1}, std::pair{beta1, beta0}, std::pair{tau2_0, tau2_1}}) {
        const auto [mean, sd] = log_moments(before, after);
        EXPECT_NEAR(mean, -s * s / 2, 0.03);
        EXPECT_NEAR(sd, s, 0.03);
    }
    // The membrane factor and the leak's density factor are independent: log tau_m has twice the variance.
    EXPECT_NEAR(log_moments(tau0, tau1).second, std::sqrt(2.0) * s, 0.04);
}
