#pragma once
// A Simulation owns the integrator state for one OdeSystem: it feeds inputs, samples probes,
// finds events, stops at discontinuities and advances to any requested time (so a host program
// can step it in lockstep with its own model). Move-only; the system must outlive it.

#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <neurode/sim/input.hpp>
#include <neurode/sim/ode_system.hpp>
#include <neurode/sim/options.hpp>
#include <neurode/sim/recording.hpp>
#include <neurode/sim/summary.hpp>

namespace neurode::sim {

class Simulation {
public:
    // Validates the options against the system (throws invalid_parameter) and sets the state to
    // system.initial_state() at time t0.
    explicit Simulation(OdeSystem& system, SolverOptions options = {}, double t0 = 0);
    ~Simulation();
    Simulation(Simulation&&) noexcept;
    Simulation& operator=(Simulation&&) noexcept;
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // Bind a signal to the model input with this index or name (unbound inputs are 0).
    void set_input(std::size_t index, InputSignal signal);
    void set_input(std::string_view name, InputSignal signal);

    // Add a probe; returns the index of its recording. Recording starts at the current time.
    std::size_t add_probe(Probe probe);

    // Integrate from time() to t_stop (>= time()). Returns the counters of this call; the
    // counters since construction are in summary(). Throws solver_error if the integrator fails;
    // the simulation then stays at the last good time.
    RunSummary advance(double t_stop);
    // The same, but returns early, at the time of the first root crossing (a spike), when one
    // happens before t_stop: a host that reacts to each spike as it happens.
    RunSummary advance_to_event(double t_stop);

    // Replace the state (a reset by the host) and restart the integrator at the current time.
    void set_state(std::span<const double> y);

    double time() const;
    std::span<const double> state() const;
    const OdeSystem& system() const;
    const SolverOptions& options() const;

    const std::vector<Recording>& recordings() const;
    const Recording& recording(std::string_view name) const;
    const std::vector<Event>& events() const;
    const RunSummary& summary() const;

    // Write every recording, the events and the summary to an HDF5 file (layout in
    // docs/hdf5-layout.md). The file appears complete or not at all.
    void write_hdf5(const std::filesystem::path& path) const;

private:
    RunSummary advance(double t_stop, bool stop_at_event);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace neurode::sim
