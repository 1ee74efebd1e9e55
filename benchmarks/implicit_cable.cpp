// Fixed-step backward Euler and Crank-Nicolson (KLU on the tridiagonal I - gamma dt J: the Hines
// solve) against CVODE BDF + KLU on the same driven passive cable, swept over the compartment
// count. Each benchmark reports its own steps, Jacobian evaluations and factorisations, and the
// maximum deviation from a tight CVODE reference, so a speed-up is read together with its error
// (Crank-Nicolson's grows with n: the cable's stiffest modes, rate ~ n^2, ring undamped at fixed dt).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

namespace {

namespace sim = neurode::sim;

constexpr double t_end = 50.0;   // [ms]
constexpr double current = 0.2;  // [nA], constant, at compartment 0
constexpr double dt = 0.025;     // [ms], NEURON's default

std::vector<double> run(std::size_t n, const sim::SolverOptions& options, sim::RunSummary* summary)
{
    sim::problems::CableParameters p;
    p.compartments = n;
    sim::problems::Cable cable(p);
    sim::Simulation simulation(cable, options);
    simulation.set_input("i_inj", sim::InputSignal::constant(current));
    const sim::RunSummary s = simulation.advance(t_end);
    if (summary) *summary = s;
    return {simulation.state().begin(), simulation.state().end()};
}

sim::SolverOptions cvode_klu(double tolerance)
{
    sim::SolverOptions o;
    o.linear_solver = sim::LinearSolver::klu;
    o.rtol = tolerance;
    o.atol = tolerance;  // [mV]
    return o;
}

void BM_Cable(benchmark::State& state, sim::SolverOptions options)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> reference, got;
    sim::RunSummary last;
    try {
        reference = run(n, cvode_klu(1e-10), nullptr);
        for (auto _ : state) {
            got = run(n, options, &last);
            benchmark::DoNotOptimize(got.data());
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    double deviation = 0;
    for (std::size_t i = 0; i < n; ++i) deviation = std::max(deviation, std::abs(got[i] - reference[i]));
    state.counters["steps"] = static_cast<double>(last.steps);
    state.counters["jacobians"] = static_cast<double>(last.jacobian_evaluations);
    state.counters["factorisations"] = static_cast<double>(last.linear_solver_setups);
    state.counters["max_error_mV"] = deviation;
    state.SetComplexityN(state.range(0));
}

void sizes(benchmark::internal::Benchmark* b)
{
    for (long n : {250, 1000, 4000, 16000}) b->Arg(n);  // compartments
}

sim::SolverOptions fixed(sim::Method method, int reuse)
{
    sim::SolverOptions o;
    o.method = method;
    o.dt = dt;
    o.jacobian_reuse_steps = reuse;
    return o;
}

}  // namespace

BENCHMARK_CAPTURE(BM_Cable, cvode_bdf_klu, cvode_klu(1e-6))->Apply(sizes)->Complexity();
BENCHMARK_CAPTURE(BM_Cable, backward_euler, fixed(sim::Method::backward_euler, 1))
    ->Apply(sizes)->Complexity();
BENCHMARK_CAPTURE(BM_Cable, crank_nicolson, fixed(sim::Method::crank_nicolson, 1))
    ->Apply(sizes)->Complexity();
// The cable is linear: one Jacobian and one factorisation serve the whole run.
BENCHMARK_CAPTURE(BM_Cable, crank_nicolson_reused, fixed(sim::Method::crank_nicolson, 1 << 30))
    ->Apply(sizes)->Complexity();

BENCHMARK_MAIN();
