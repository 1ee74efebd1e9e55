#pragma once
// A multicompartment cell as a description (morphology, channels per region, current clamps,
// spike detectors) and as an engine model. State layout: for each compartment, its voltage [mV]
// followed by the gates of the channels inserted there, so that each compartment's unknowns sit
// together; the Jacobian is sparse (tree coupling of voltages, gates coupled to their own
// voltage) and the cell runs with CVODE + KLU.
//
//   C_i dV_i/dt = -sum_channels i_c(V_i, s) A_i + sum_neighbours g_ij (V_j - V_i) + I_clamp
//   ds/dt = channel derivatives(V_i, s)
// with C_i [nF], A_i [um2], g_ij [uS], i_c [mA/cm2] (so i_c A_i 1e-2 is in nA).

#include <string>
#include <vector>

#include <neurode/neurons/channel.hpp>
#include <neurode/neurons/morphology.hpp>
#include <neurode/sim/input.hpp>
#include <neurode/sim/ode_system.hpp>

namespace neurode::neurons {

struct ChannelPlacement {
    std::string channel;             // a registered channel name
    std::string region;              // sections whose region matches; empty: every section
    ChannelParameters parameters;    // overrides of the channel's defaults
};

struct Location {
    std::string section = "soma";
    double position = 0.5;           // x in [0, 1] along the section
};

struct CellModel {
    Morphology morphology;
    std::vector<ChannelPlacement> channels;
    std::vector<Location> clamps;            // current clamps: engine inputs "iclamp[k]" [nA]
    std::vector<Location> spike_detectors;   // upward crossings of spike_threshold become events
    double spike_threshold = 0.0;            // [mV]
    double celsius = 6.3;                    // [degC] temperature for channels with q10 scaling
    double initial_voltage = -65.0;          // [mV]; gates start at their steady state there

    void validate() const;  // throws invalid_parameter naming the section, channel or field
};

// Input signals for current clamps [nA], times in ms.
sim::InputSignal clamp_step(double amplitude, double start, double stop);
sim::InputSignal clamp_ramp(double start, double stop, double from, double to);
// Gaussian noise, mean and sd [nA], a new value every dt [ms] over [0, duration), from seed.
sim::InputSignal clamp_noise(double mean, double sd, double dt, double duration, std::uint64_t seed);

class CellSystem : public sim::OdeSystem {
public:
    explicit CellSystem(const CellModel& model);

    std::size_t size() const override { return size_; }
    void initial_state(sim::Vector y0) const override;
    std::string variable_name(std::size_t i) const override;
    std::string variable_unit(std::size_t i) const override;
    std::size_t input_count() const override { return clamp_compartment_.size(); }
    std::string input_name(std::size_t k) const override;
    void rhs(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector ydot) override;
    sim::JacobianKind jacobian_kind() const override { return sim::JacobianKind::sparse; }
    const sim::SparsityPattern& sparsity() const override { return pattern_; }
    void sparse_jacobian(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector values) override;
    std::size_t root_count() const override { return detector_compartment_.size(); }
    void roots(double t, sim::ConstVector y, sim::ConstVector u, sim::Vector g) override;

    std::size_t compartment_count() const { return compartments_.size(); }
    // State index of compartment c's voltage, and of the compartment at a location.
    std::size_t voltage_index(std::size_t compartment) const { return offset_[compartment]; }
    std::size_t voltage_index(const Location& where) const;
    const std::vector<Compartment>& compartments() const { return compartments_; }

private:
    struct Inserted {
        std::unique_ptr<Channel> channel;
        std::size_t states;
        std::string name;
    };
    CellModel model_;
    std::vector<Compartment> compartments_;
    std::vector<std::vector<Inserted>> inserted_;  // per compartment
    std::vector<std::size_t> offset_;              // state index of each compartment's voltage
    std::vector<std::vector<std::size_t>> children_;
    std::vector<std::size_t> clamp_compartment_, detector_compartment_;
    std::size_t size_ = 0;
    sim::SparsityPattern pattern_;
    std::vector<std::string> names_;
    std::vector<double> scratch_;
};

}  // namespace neurode::neurons
