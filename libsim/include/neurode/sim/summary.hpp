#pragma once
// What a run did: counters filled from CVODE's CVodeGet* statistics (or counted by the fixed-step
// methods), accumulated over restarts, and the wall time spent integrating.

#include <span>
#include <string>

namespace neurode::sim {

struct RunSummary {
    long steps = 0;
    long rhs_evaluations = 0;             // by the integrator itself
    long jacobian_rhs_evaluations = 0;    // by difference-quotient Jacobians / Jv products
    long jacobian_evaluations = 0;
    long linear_solver_setups = 0;
    long nonlinear_iterations = 0;
    long nonlinear_convergence_failures = 0;
    long error_test_failures = 0;
    long linear_iterations = 0;           // GMRES
    long linear_convergence_failures = 0; // GMRES
    long preconditioner_setups = 0;
    long preconditioner_solves = 0;
    long root_evaluations = 0;
    long events = 0;                      // root crossings found
    long restarts = 0;                    // at discontinuities and after state changes
    long scheduled_events = 0;            // deliveries of events the model scheduled itself
    double last_step = 0;                 // [time]
    int last_order = 0;
    double wall_seconds = 0;              // [s] inside the integrator's advance calls

    // The integer counters by name, for loops that treat them alike (sums, files, reports).
    struct Counter {
        const char* name;
        long RunSummary::*field;
    };
    static std::span<const Counter> counters();

    // Counters add; last_step and last_order are taken from `other` when it made steps.
    RunSummary& operator+=(const RunSummary& other);
    // Counters of `later` minus those of `earlier` (same run); last_step/last_order of `later`.
    friend RunSummary operator-(RunSummary later, const RunSummary& earlier);
    // One line: "steps=... rhs_evaluations=... ..." for logs.
    std::string brief() const;
};

}  // namespace neurode::sim
