#pragma once
// Membrane mechanisms (ion channels, leaks) as plug-ins. A channel describes one compartment's
// worth of dynamics: its gating states, their derivatives and the current density it passes,
// in NEURON's units (mV, ms, mA/cm2, S/cm2). A cell inserts it in a region with parameter values.
//
// Adding a channel: one file in neurons/src/channels/ that defines the class and a
// `ChannelInfo <name>_channel()` with its parameters and defaults, plus one line in
// neurons/src/channel_registry.cpp.

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace neurode::neurons {

using ChannelParameters = std::map<std::string, double>;

class Channel {
public:
    virtual ~Channel() = default;
    virtual std::vector<std::string> state_names() const = 0;  // gating variables, in state order
    // Gates at their steady state for voltage v (the initial state of a cell at rest).
    virtual void steady_state(double v, std::span<double> s) const = 0;
    // ds/dt at (v, s).
    virtual void derivatives(double v, std::span<const double> s, std::span<double> ds) const = 0;
    // Transmembrane current density [mA/cm2], outward positive.
    virtual double current(double v, std::span<const double> s) const = 0;

    // Partial derivatives for the engine's Jacobian, for channels whose gates each depend only
    // on themselves and v: d(ds_k/dt)/ds_k, d(ds_k/dt)/dv, di/ds_k and di/dv. The default
    // differentiates numerically; channels may override it with closed forms.
    virtual void partials(double v, std::span<const double> s, std::span<double> dds_ds, std::span<double> dds_dv,
                          std::span<double> di_ds, double& di_dv) const;

    // For NEURON's staggered fixed step, which advances each gate by exponential Euler at fixed v:
    // the gate's linear form ds_k/dt = alpha_k - beta_k s_k [1/ms] (alpha = a, beta = a + b for
    // rate-form gates; s_inf / tau and 1 / tau otherwise). The default reads them off
    // derivatives() at s = 0 and s = 1, exact for gates linear in themselves (every channel here).
    virtual void gate_rates(double v, std::span<double> alpha, std::span<double> beta) const;
    // di/dv at fixed gates [mA/cm2/mV], the channel's conductance in the voltage solve. The
    // default differentiates current() numerically.
    virtual double current_slope(double v, std::span<const double> s) const;
};

struct ChannelInfo {
    std::string name;                   // "hh", "pas", "na_pospischil", ...
    std::string description;            // equations and source, one line
    ChannelParameters defaults;         // every parameter the channel takes, with units in its file
    std::function<std::unique_ptr<Channel>(const ChannelParameters&)> make;
};

// Every registered channel.
const std::vector<ChannelInfo>& channel_registry();
// Throws invalid_parameter("channel", ...) listing the known names for an unknown one.
const ChannelInfo& channel_info(const std::string& name);
// The channel's defaults overridden by `values` (an unknown key is an invalid_parameter naming
// "<channel>.<key>"), plus the cell-wide temperature "celsius" when the channel takes one.
ChannelParameters resolve_parameters(const ChannelInfo& info, const ChannelParameters& values, double celsius);

}  // namespace neurode::neurons
