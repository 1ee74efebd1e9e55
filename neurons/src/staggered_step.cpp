// NEURON's fixed step for cells and networks (sim::Method::staggered_euler and
// staggered_crank_nicolson). With every current linearised at the step's start,
//   I_k(V) ~ I_k(V_n) + G_k (V - V_n),  G_k = dI_k/dV at fixed gates and synaptic states,
// the voltages solve (C/dt + theta (G + A)) dV = -I(V_n) - A V_n + I_clamp, A the axial coupling
// of each cell's tree, by one O(n) elimination from the leaves to the root and back (Hines 1984;
// parent < child in compartment order). Gates and synaptic states then advance by exponential
// Euler, exact for states linear in themselves, at the new voltages: they live half a step off
// the voltages, which is what makes theta = 1/2 second order.
#include <neurode/neurons/network.hpp>

#include "synapse_math.hpp"

#include <algorithm>
#include <cmath>

namespace neurode::neurons {

namespace {
using namespace synapse_math;

// s <- s_inf + (s - s_inf) exp(-beta dt) for ds/dt = alpha - beta s.
double exponential_euler(double s, double alpha, double beta, double dt)
{
    if (beta * dt < 1e-12) return s + (alpha - beta * s) * dt;
    return alpha / beta + (s - alpha / beta) * std::exp(-beta * dt);
}
}  // namespace

void NetworkSystem::staggered_step(double, double dt, double theta, sim::ConstVector u, sim::Vector y)
{
    // Per compartment: the matrix diagonal [uS] and the right-hand side [nA], then dV [mV].
    const std::size_t n = compartments_.size();
    tree_diagonal_.assign(n, 0.0);
    tree_rhs_.assign(n, 0.0);
    auto& d = tree_diagonal_;
    auto& b = tree_rhs_;

    for (std::size_t i = 0; i < n; ++i) {
        const CompartmentState& cs = compartments_[i];
        const double v = y[cs.voltage];
        double density = 0, slope = 0;  // [mA/cm2], [mA/cm2/mV]
        std::size_t k = cs.voltage + 1;
        for (const Inserted& ins : cs.channels) {
            const auto s = y.subspan(k, ins.states);
            density += ins.channel->current(v, s);
            slope += ins.channel->current_slope(v, s);
            k += ins.states;
        }
        const double to_nA = cs.geometry.area * mA_per_cm2_um2_to_nA;
        d[i] += cs.geometry.capacitance / dt + theta * slope * to_nA;
        b[i] -= density * to_nA;
        if (cs.parent >= 0) {
            const double g = cs.geometry.axial_conductance;
            const auto p = static_cast<std::size_t>(cs.parent);
            const double flow = g * (y[compartments_[p].voltage] - v);  // [nA] from the parent into i
            b[i] += flow;
            b[p] -= flow;
            d[i] += theta * g;
            d[p] += theta * g;
        }
    }
    for (std::size_t k = 0; k < clamps_.size(); ++k) b[clamps_[k].compartment] += u[k];
    for (const BuiltSynapse& s : synapses_) {
        const KineticSynapseParameters& p = s.spec.parameters;
        const double v = y[s.post_voltage];
        const Opening open = kinetic_opening(s.spec.receptor, p, &y[s.state], v);
        b[s.post_compartment] -= s.spec.conductance * open.fraction * (v - p.reversal);
        d[s.post_compartment] += theta * s.spec.conductance * (open.fraction + open.slope * (v - p.reversal));
    }
    for (const BuiltEventSynapse& s : event_synapses_) {
        const EventSynapse& e = s.spec;
        const double v = y[s.post_voltage], g = y[s.state + 1] - y[s.state];  // [mV], [uS]
        const Opening block = event_block(e.receptor, e.magnesium, v);
        b[s.post_compartment] -= g * block.fraction * (v - e.reversal);
        d[s.post_compartment] += theta * g * (block.fraction + block.slope * (v - e.reversal));
    }

    // Hines: eliminate each compartment into its parent, leaves first; the off-diagonal entry
    // between a compartment and its parent is -theta g.
    for (std::size_t i = n; i-- > 0;) {
        const CompartmentState& cs = compartments_[i];
        if (cs.parent < 0) continue;
        const auto p = static_cast<std::size_t>(cs.parent);
        const double off = -theta * cs.geometry.axial_conductance;
        const double factor = off / d[i];
        d[p] -= factor * off;
        b[p] -= factor * b[i];
    }
    for (std::size_t i = 0; i < n; ++i) {
        const CompartmentState& cs = compartments_[i];
        if (cs.parent >= 0) b[i] += theta * cs.geometry.axial_conductance * b[static_cast<std::size_t>(cs.parent)];
        b[i] /= d[i];  // parents come first, so b[parent] already holds the parent's dV
        y[cs.voltage] += b[i];
    }

    // Gates and synaptic states at the new voltages.
    for (const CompartmentState& cs : compartments_) {
        const double v = y[cs.voltage];
        std::size_t k = cs.voltage + 1;
        for (const Inserted& ins : cs.channels) {
            const std::size_t states = ins.states;
            if (states == 0) continue;
            scratch_.resize(std::max(scratch_.size(), 2 * states));
            const std::span<double> alpha(scratch_.data(), states), beta(scratch_.data() + states, states);
            ins.channel->gate_rates(v, alpha, beta);
            for (std::size_t g = 0; g < states; ++g) y[k + g] = exponential_euler(y[k + g], alpha[g], beta[g], dt);
            k += states;
        }
    }
    for (const BuiltSynapse& s : synapses_) {
        const KineticSynapseParameters& p = s.spec.parameters;
        const double bound = p.alpha * release(p, y[s.pre_voltage]);
        y[s.state] = exponential_euler(y[s.state], bound, bound + p.beta, dt);
        if (s.spec.receptor == Receptor::gaba_b)
            y[s.state + 1] = exponential_euler(y[s.state + 1], p.k3 * y[s.state], p.k4, dt);
    }
    if (dt != event_decay_dt_ || event_decay_.size() != 2 * event_synapses_.size()) {
        event_decay_.clear();
        for (const BuiltEventSynapse& s : event_synapses_) {
            event_decay_.push_back(std::exp(-dt / s.spec.tau1));
            event_decay_.push_back(std::exp(-dt / s.spec.tau2));
        }
        event_decay_dt_ = dt;
    }
    for (std::size_t k = 0; k < event_synapses_.size(); ++k) {
        y[event_synapses_[k].state] *= event_decay_[2 * k];
        y[event_synapses_[k].state + 1] *= event_decay_[2 * k + 1];
    }
}

}  // namespace neurode::neurons
