#pragma once
// Private: the integrator seam. A Stepper advances one OdeSystem step by step toward a limit it
// never passes, interpolates inside its last step, reports root crossings and restarts on demand.
// CVODE and the fixed-step methods implement it; Simulation drives it.

#include <memory>
#include <span>
#include <vector>

#include <neurode/sim/input.hpp>
#include <neurode/sim/ode_system.hpp>
#include <neurode/sim/options.hpp>
#include <neurode/sim/recording.hpp>
#include <neurode/sim/summary.hpp>

namespace neurode::sim::detail {

// The model together with its bound inputs: evaluates u(t) before each call into the system.
class DrivenModel {
public:
    explicit DrivenModel(OdeSystem& system);

    OdeSystem& system() { return system_; }
    std::size_t size() const { return n_; }
    // u(t). At and past the end of the current segment the inputs' left limits are used, so the
    // step that ends on a jump still sees the value from before it.
    std::span<const double> inputs_at(double t);
    void set_segment_end(double t_end) { segment_end_ = t_end; }
    void bind(std::size_t index, InputSignal signal);
    // Breakpoints of the system and all bound inputs, sorted and unique.
    std::vector<double> discontinuities() const;

    // ydot = f(t, y, u(t)). Returns the index of a non-finite ydot entry, or -1 if all are finite.
    std::ptrdiff_t rhs(double t, std::span<const double> y, std::span<double> ydot);

private:
    OdeSystem& system_;
    std::size_t n_;
    std::vector<std::unique_ptr<InputSignal>> signals_;
    std::vector<double> u_;
    double segment_end_;
};

struct StepOutcome {
    double t;                  // time reached (the step's end, or a root found by CVODE)
    std::vector<Event> events; // root crossings found in this step
};

class Stepper {
public:
    virtual ~Stepper() = default;
    // (Re)start cleanly at (t, y): at construction, at a discontinuity, after a state change.
    // y may be state() itself (a restart from the current, changed state): no copy is needed,
    // which keeps frequent restarts (one per delivered spike) O(roots), not O(state).
    virtual void restart(double t, std::span<const double> y) = 0;
    // Simulation::advance() begins: the step budget (options.max_steps) counts from here.
    virtual void begin_advance() {}
    // One step toward t_limit, never past it.
    virtual StepOutcome step(double t_limit) = 0;
    // State at time t inside the last step.
    virtual void interpolate(double t, std::span<double> out) = 0;
    virtual double time() const = 0;
    virtual std::span<double> state() = 0;
    // Counters since construction.
    virtual RunSummary counters() const = 0;
};

std::unique_ptr<Stepper> make_cvode_stepper(DrivenModel& model, const SolverOptions& options, double t0,
                                            std::span<const double> y0);
std::unique_ptr<Stepper> make_fixed_stepper(DrivenModel& model, const SolverOptions& options, double t0,
                                            std::span<const double> y0);

// Time-stamped message prefix shared by the steppers' errors.
std::string describe_failure(const OdeSystem& system, double t, double h);

}  // namespace neurode::sim::detail
