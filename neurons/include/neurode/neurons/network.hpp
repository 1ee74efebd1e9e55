#pragma once
// Cells and the kinetic synapses between them as one engine model. State layout: cell by cell,
// compartment by compartment (voltage [mV], then the gates of the channels inserted there),
// then every synapse's kinetic states. The Jacobian is sparse: each cell's tree, each gate with
// its voltage, each synapse with its pre- and postsynaptic voltages. Runs with CVODE + KLU.
//
//   C_i dV_i/dt = -sum_channels i_c A_i 1e-2 + sum_neighbours g_ij (V_j - V_i) + I_clamp - I_syn

#include <memory>
#include <string>
#include <vector>

#include <neurode/neurons/cell.hpp>
#include <neurode/neurons/synapse.hpp>
#include <neurode/sim/ode_system.hpp>

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

struct NetworkModel {
    std::vector<CellModel> cells;
    std::vector<KineticSynapse> synapses;
    void validate() const;  // names the cell, synapse and field at fault
};

class NetworkSystem : public sim::OdeSystem {
public:
    explicit NetworkSystem(const NetworkModel& model);

    std::size_t size() const override { return size_; }
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

    std::size_t cell_count() const { return compartment_base_.size(); }
    // State index of a cell's voltage at a location.
    std::size_t voltage_index(std::size_t cell, const Location& where) const;
    // The cell whose detector is root `root`.
    std::size_t detector_cell(std::size_t root) const { return detectors_.at(root).cell; }

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
    };
    struct Point {
        std::size_t cell, compartment;  // global compartment index
    };

    std::vector<CompartmentState> compartments_;
    std::vector<BuiltSynapse> synapses_;
    std::vector<Point> clamps_, detectors_;
    std::vector<double> thresholds_;
    std::vector<double> initial_voltage_;           // per global compartment
    std::vector<std::size_t> compartment_base_;     // per cell: index into compartments_
    std::vector<Morphology> morphologies_;
    std::size_t size_ = 0;
    sim::SparsityPattern pattern_;
    std::vector<std::string> names_, units_, input_names_;
    std::vector<double> scratch_;
};

// One cell on the engine: a network without synapses. Its inputs are "iclamp[k]".
class CellSystem : public NetworkSystem {
public:
    explicit CellSystem(const CellModel& model);
    std::size_t voltage_index(const Location& where) const { return NetworkSystem::voltage_index(0, where); }
};

}  // namespace neurode::neurons
