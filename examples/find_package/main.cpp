// The smallest program against the installed package: integrate dy/dt = -y from y(0) = 1 to
// t = 1 with CVODE and print y(1), which must be exp(-1) = 0.367879...

#include <cstdio>

#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

int main()
{
    neurode::sim::problems::LinearDecay decay(1.0, 1.0);
    neurode::sim::SolverOptions options;
    options.rtol = 1e-10;
    options.atol = 1e-12;
    neurode::sim::Simulation sim(decay, options);
    sim.advance(1.0);
    std::printf("consumer: y(1) = %.10f (exact %.10f)\n", sim.state()[0], decay.exact(1.0));
    return 0;
}
