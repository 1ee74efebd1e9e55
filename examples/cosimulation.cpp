// Co-simulation: a host program advances neurode in 1 ms lockstep with a model of its own.
// Here the host is an integral controller (think: a dynamic clamp) that reads the voltage at the
// far end of a passive dendrite simulated by neurode and sets the current injected at the near
// end so that the far end settles at a target voltage. The pattern is what a simulator coupling
// neurode to its own model does: set inputs, advance to the next exchange time, read the state.

#include <cstdio>

#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

int main()
{
    namespace sim = neurode::sim;
    sim::problems::CableParameters parameters;
    parameters.compartments = 200;
    parameters.length = 1000.0;  // [um]
    parameters.diameter = 2.0;   // [um]
    sim::problems::Cable dendrite(parameters);

    sim::SolverOptions options;
    options.linear_solver = sim::LinearSolver::klu;
    options.rtol = 1e-8;
    options.atol = 1e-8;  // [mV]
    sim::Simulation simulation(dendrite, options);

    const double exchange_interval = 1.0;  // [ms]
    const double target = -50.0;           // [mV] at the far end
    const double gain = 5e-4;              // [nA / (mV ms)] integral gain of the host's controller
    double current = 0.0;                  // [nA], the host's state
    const std::size_t far_end = parameters.compartments - 1;

    std::printf("%8s %14s %12s\n", "t [ms]", "v_far [mV]", "I [nA]");
    for (int exchange = 1; exchange <= 400; ++exchange) {
        simulation.set_input("i_inj", sim::InputSignal::constant(current));
        simulation.advance(exchange * exchange_interval);
        const double v_far = simulation.state()[far_end];
        current += gain * (target - v_far) * exchange_interval;
        if (exchange % 50 == 0) std::printf("%8.1f %14.4f %12.5f\n", simulation.time(), v_far, current);
    }
    // The cable is linear: the current that holds the far end at the target follows from the
    // cable equation's closed-form steady state for 1 nA.
    const double e_leak = parameters.leak_reversal;
    const double per_nA = dendrite.steady_state_continuous(dendrite.position(far_end), 1.0) - e_leak;  // [mV/nA]
    std::printf("far end settled at %.2f mV with %.4f nA (cable equation: %.4f nA)\n", simulation.state()[far_end],
                current, (target - e_leak) / per_nA);
    std::printf("solver: %s\n", simulation.summary().brief().c_str());
    return 0;
}
