#pragma once
// Cells and the synapses between them as one engine model. State layout: cell by cell,
// compartment by compartment (voltage [mV], then the gates of the channels inserted there),
// then every kinetic synapse's states, then every event synapse's A and B [uS]. The Jacobian is
// sparse: each cell's tree, each gate with its voltage, each kinetic synapse with its pre- and
// postsynaptic voltages, each event synapse with its postsynaptic voltage. Runs with CVODE + KLU
// or the fixed-step methods.
//
//   C_i dV_i/dt = -sum_channels i_c A_i 1e-2 + sum_neighbours g_ij (V_j - V_i) + I_clamp - I_syn
//
// Event synapses work as NEURON's NetCon onto an Exp2Syn: the presynaptic cell's first spike
// detector is an engine root function; each upward crossing of its threshold at time t_spike
// queues a delivery at t_spike + delay, and the engine stops exactly there (next_scheduled_event)
// to add weight * factor to A and B (on_scheduled_event). Between deliveries
//   dA/dt = -A / tau1,  dB/dt = -B / tau2,  g = B - A,  I = g B_Mg(V_post) (V_post - E)
// with factor = 1 / (exp(-t_p / tau2) - exp(-t_p / tau1)), t_p = tau1 tau2 / (tau2 - tau1) ln(tau2 / tau1)
// the time of the peak, so that one event's conductance peaks at `weight`; B_Mg is the
// Jahr-Stevens block 1 / (1 + exp(-0.062 V) [Mg] / 3.57) for NMDA and 1 otherwise.
// With CVODE t_spike is the located root; the fixed-step methods report a crossing at the end of
// the step in which it happened and deliver at the step boundary nearest to the delivery time,
// as NEURON's fixed step does.
//
// Spike sources (NEURON's VecStim) are external drives: a fixed list of spike times [ms] on the
// run's clock. An event synapse whose pre_source is set is driven by one; initial_state() queues
// every source spike's delivery (time + delay) with the others, so it arrives exactly as a cell's
// would. A run that starts after some of them delivers those at its start.

#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <vector>

#include <neurode/neurons/cell.hpp>
#include <neurode/neurons/synapse.hpp>
#include <neurode/sim/ode_system.hpp>
#include <neurode/sim/recording.hpp>

namespace neurode::neurons {

// A synapse from the compartment at `pre` of cell `pre_cell` (its voltage drives release) onto
// the compartment at `post` of cell `post_cell`.
struct KineticSynapse {
    std::size_t pre_cell = 0;
    Location pre{"soma", 0.5};
    std::size_t post_cell = 0;
    Location post{"soma", 0.5};
    Receptor receptor = Receptor::ampa;
    double conductance = 1e-3;  // g [uS], maximal
    KineticSynapseParameters parameters = KineticSynapseParameters::defaults(Receptor::ampa);
};

// Adds a synapse with the receptor's default kinetics.
KineticSynapse make_synapse(std::size_t pre_cell, Location pre, std::size_t post_cell, Location post, Receptor receptor,
                            double conductance);

// A spike-triggered double-exponential synapse (NEURON's NetCon + Exp2Syn) from cell `pre_cell`
// (its first spike detector is the source), or from spike source `*pre_source` when that is set,
// onto the compartment at `post` of cell `post_cell`.
struct EventSynapse {
    std::size_t pre_cell = 0;
    std::size_t post_cell = 0;
    Location post{"soma", 0.5};
    Receptor receptor = Receptor::ampa;
    double weight = 1e-3;     // [uS] peak conductance after one event
    double delay = 1.0;       // [ms] threshold crossing to delivery, >= 0 (NEURON's NetCon default 1)
    double tau1 = 0.5;        // [ms] rise, > 0 and < tau2
    double tau2 = 5.0;        // [ms] decay
    double reversal = 0.0;    // [mV]
    double magnesium = 1.0;   // [mM] extracellular Mg for the NMDA block; other receptors ignore it
    std::optional<std::size_t> pre_source = {};  // index into NetworkModel::spike_sources; pre_cell is then unused
};

// Default taus and reversals, hnn-core's (Jones et al. 2009; its cells' synapse
// properties in hnn_core/cells_default.py and params_default.py):
// AMPA 0.5/5 ms, 0 mV; NMDA 1/20 ms, 0 mV (neurode adds the Jahr-Stevens block, [Mg] 1 mM, which
// hnn-core's NMDA lacks); GABA-A 0.5/5 ms, -80 mV; GABA-B 1/20 ms, -80 mV.
EventSynapse make_event_synapse(std::size_t pre_cell, std::size_t post_cell, Location post, Receptor receptor,
                                double weight, double delay);

// The same with the receptor's defaults, driven by spike source `source` (pre_source set).
EventSynapse make_source_synapse(std::size_t source, std::size_t post_cell, Location post, Receptor receptor,
                                 double weight, double delay);

// Exp2Syn's normalisation: an event adding weight * factor to A and B makes B - A peak at weight.
double exp2_peak_factor(double tau1, double tau2);

// A presynaptic spike train given in advance (NEURON's VecStim), e.g. a Poisson drive (drives.hpp).
struct SpikeSource {
    std::vector<double> times;  // [ms] finite, >= 0, non-decreasing
};

struct NetworkModel {
    std::vector<CellModel> cells;
    std::vector<KineticSynapse> synapses;
    std::vector<EventSynapse> event_synapses = {};  // defaulted: {cells, synapses} still initialises a model
    std::vector<SpikeSource> spike_sources = {};    // drive event synapses whose pre_source is set
    void validate() const;  // names the cell, synapse, spike source and field at fault
};

class NetworkSystem : public sim::OdeSystem {
public:
    explicit NetworkSystem(const NetworkModel& model);

    std::size_t size() const override { return size_; }
    // Also drops deliveries pending from an earlier run and queues every spike source's: a
    // Simulation calls it once, at its start (the queue lives here, so one Simulation at a time
    // per system).
    void initial_state(sim::Vector y0) const override;
    std::string variable_name(std::size_t i) const override { return names_.at(i); }
    std::string variable_unit(std::size_t i) const override { return units_.at(i); }
    std::size_t input_count() const override { return clamps_.size(); }
    std::string input_name(std::size_t k) const override { return input_names_.at(k); }
    void rhs(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector ydot) override;
    sim::JacobianKind jacobian_kind() const override { return sim::JacobianKind::sparse; }
    const sim::SparsityPattern& sparsity() const override { return pattern_; }
    void sparse_jacobian(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector values) override;
    std::size_t root_count() const override { return detectors_.size(); }
    void roots(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector g) override;
    // Queues a delivery at t + delay for each event synapse of a cell whose source detector rose.
    bool on_roots(double t, sim::Vector y, std::span<const int> directions) override;
    double next_scheduled_event(double t) const override;
    // Delivers every event due at or before t, in the order (time, synapse index).
    bool on_scheduled_event(double t, sim::Vector y) override;

    // NEURON's fixed step (sim::Method::staggered_euler, staggered_crank_nicolson): voltages by a
    // theta step with every current linearised at the step's start, solved on each cell's tree in
    // O(n) (Hines); then gates and synaptic states by exponential Euler at the new voltages.
    // Defined in staggered_step.cpp.
    bool has_staggered_step() const override { return true; }
    void staggered_step(double t, double dt, double theta, sim::ConstVector u, sim::Vector y) override;

    std::size_t cell_count() const { return compartment_base_.size(); }
    // State index of a cell's voltage at a location.
    std::size_t voltage_index(std::size_t cell, const Location& where) const;
    // The cell whose detector is root `root`.
    std::size_t detector_cell(std::size_t root) const { return detectors_.at(root).cell; }
    // Each cell's spike times [ms] among a simulation's events: its detectors' upward crossings.
    std::vector<std::vector<double>> spike_trains(std::span<const sim::Event> events) const;
    // State index of event synapse k's A [uS]; its B follows at + 1.
    std::size_t event_synapse_state(std::size_t k) const { return event_synapses_.at(k).state; }
    // Deliveries queued and not yet made.
    std::size_t pending_deliveries() const { return queue_.size(); }
    // Replaces every spike source's train (one per source, in source order; times [ms], finite,
    // >= 0, non-decreasing) for this system, e.g. fresh Poisson trains per trial (redraw_drives()
    // in populations.hpp). Call it before the run starts: the queue is reset to every source's
    // deliveries, once, however many trains changed.
    void set_spike_sources(std::vector<std::vector<double>> trains);
    // One source's train; the others keep theirs.
    void set_spike_source(std::size_t source, std::vector<double> times);
    const std::vector<std::vector<double>>& spike_source_times() const { return source_times_; }
    // Co-simulation: appends spikes that a host sends during a run to a source's train and
    // queues their deliveries, leaving deliveries already made alone. times [ms]: finite,
    // sorted, and not before the source's last spike nor before `now` (the run's time).
    void append_source_spikes(std::size_t source, std::span<const double> times, double now);

    // Synaptic observables at a state y (rhs's formulas). The conductance is the effective one,
    // gating and Mg block included, so that the current is conductance * (V_post - E) [nA],
    // positive outward (NEURON's sign: an excitatory synapse's current is negative).
    std::size_t synapse_count() const { return synapses_.size(); }
    std::size_t event_synapse_count() const { return event_synapses_.size(); }
    // Kinetic synapse k: g r B_Mg(V) (NMDA), g s^4 / (s^4 + Kd) (GABA-B), g r (others) [uS].
    double synapse_conductance(std::size_t k, sim::ConstVector y) const;
    double synapse_current(std::size_t k, sim::ConstVector y) const;  // [nA]
    // Event synapse k: (B - A) B_Mg(V) [uS].
    double event_synapse_conductance(std::size_t k, sim::ConstVector y) const;
    double event_synapse_current(std::size_t k, sim::ConstVector y) const;  // [nA]
    // "synapse[k].ampa", "event_synapse[k].nmda": the prefix of the synapse's state names.
    std::string synapse_name(std::size_t k) const;
    std::string event_synapse_name(std::size_t k) const;

private:
    struct Inserted {
        std::unique_ptr<Channel> channel;
        std::size_t states;
    };
    struct CompartmentState {
        Compartment geometry;
        std::size_t voltage;               // state index
        int parent = -1;                   // global compartment index
        std::vector<std::size_t> children; // global compartment indices
        std::vector<Inserted> channels;
    };
    struct BuiltSynapse {
        KineticSynapse spec;
        std::size_t pre_voltage, post_voltage, state;  // state indices; GABA-B uses state and state + 1
        double post_capacitance;                       // [nF]
        std::size_t post_compartment;                  // global compartment index
    };
    struct BuiltEventSynapse {
        EventSynapse spec;
        std::size_t post_voltage, state;  // state indices: A at state, B at state + 1
        double post_capacitance;          // [nF]
        double factor;                    // exp2_peak_factor(tau1, tau2)
        std::size_t post_compartment;     // global compartment index
    };
    struct Delivery {
        double time;          // [ms]
        std::size_t synapse;  // index into event_synapses_
        // Earliest first; ties in synapse order, so that runs repeat exactly.
        bool operator>(const Delivery& o) const { return time != o.time ? time > o.time : synapse > o.synapse; }
    };
    struct Point {
        std::size_t cell, compartment;  // global compartment index
    };

    std::vector<CompartmentState> compartments_;
    std::vector<BuiltSynapse> synapses_;
    std::vector<BuiltEventSynapse> event_synapses_;
    std::vector<std::vector<std::size_t>> outgoing_;  // per root: the event synapses it drives
    std::vector<Delivery> source_deliveries_;         // every spike source's deliveries, queued by initial_state()
    std::vector<std::vector<double>> source_times_;   // per spike source: its train [ms]
    std::vector<std::vector<std::size_t>> source_synapses_;  // per spike source: the event synapses it drives
    void queue_source_deliveries();
    // Mutable so that initial_state() can start a run with an empty queue.
    mutable std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> queue_;
    std::vector<Point> clamps_, detectors_;
    std::vector<double> thresholds_;
    std::vector<double> initial_voltage_;           // per global compartment
    std::vector<std::size_t> compartment_base_;     // per cell: index into compartments_
    std::vector<Morphology> morphologies_;
    std::size_t size_ = 0;
    sim::SparsityPattern pattern_;
    std::vector<std::string> names_, units_, input_names_;
    std::vector<double> scratch_;
    // staggered_step(): per compartment, the tree matrix's diagonal and right-hand side; per
    // event synapse, exp(-dt / tau1) and exp(-dt / tau2) for the dt they were computed for.
    std::vector<double> tree_diagonal_, tree_rhs_, event_decay_;
    double event_decay_dt_ = 0;
};

// One cell on the engine: a network without synapses. Its inputs are "iclamp[k]".
class CellSystem : public NetworkSystem {
public:
    explicit CellSystem(const CellModel& model);
    std::size_t voltage_index(const Location& where) const { return NetworkSystem::voltage_index(0, where); }
};

}  // namespace neurode::neurons
