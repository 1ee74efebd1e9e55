// Engine overhead: the passive cable (problems::Cable) integrated by neurode's Simulation and by
// a plain C program calling SUNDIALS directly (raw_cvode_cable.c), with the same RHS, the same
// CVODE settings and therefore the same steps. benchmarks/engine_overhead.sh turns the two
// timings into the ratio reported in the README. A size sweep shows how the cost grows with N.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

#include "raw_cvode_cable.h"

namespace {

namespace sim = neurode::sim;

constexpr double t_end = 50.0;          // [ms]
constexpr double current = 0.2;         // [nA], constant, at compartment 0
constexpr double rtol = 1e-6, atol = 1e-6;  // atol [mV]

sim::problems::CableParameters cable_parameters(std::size_t n)
{
    sim::problems::CableParameters p;
    p.compartments = n;
    return p;
}

sim::SolverOptions klu_options()
{
    sim::SolverOptions o;
    o.method = sim::Method::cvode_bdf;
    o.linear_solver = sim::LinearSolver::klu;
    o.rtol = rtol;
    o.atol = atol;
    return o;
}

void report(benchmark::State& state, long steps, long rhs, long jacobians)
{
    const auto iterations = static_cast<double>(state.iterations());
    state.counters["steps"] = static_cast<double>(steps);
    state.counters["jacobians"] = static_cast<double>(jacobians);
    state.counters["rhs_per_second"] = benchmark::Counter(static_cast<double>(rhs) * iterations, benchmark::Counter::kIsRate);
    state.SetComplexityN(state.range(0));
}

void BM_NeurodeCable(benchmark::State& state)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    sim::problems::Cable cable(cable_parameters(n));
    sim::RunSummary last;
    for (auto _ : state) {
        sim::Simulation simulation(cable, klu_options());
        simulation.set_input("i_inj", sim::InputSignal::constant(current));
        last = simulation.advance(t_end);
        benchmark::DoNotOptimize(simulation.state().data());
    }
    report(state, last.steps, last.rhs_evaluations, last.jacobian_evaluations);
}

void BM_RawCvodeCable(benchmark::State& state)
{
    const auto n = static_cast<std::size_t>(state.range(0));
    // The model's constants come from the same Cable object, so both programs solve one problem.
    const sim::problems::Cable cable(cable_parameters(n));
    const raw_cable_problem problem{n,
                                    1.0 / cable.membrane_time_constant(),
                                    cable.coupling(),
                                    cable.parameters().leak_reversal,
                                    cable.parameters().initial_voltage,
                                    current * cable.injection_scale(),
                                    rtol,
                                    atol,
                                    sim::SolverOptions{}.max_steps,
                                    t_end};
    raw_cable_result result{};
    for (auto _ : state) {
        const char* failed_call = nullptr;
        const int status = raw_cable_run(&problem, &result, &failed_call);
        if (status != 0) {
            state.SkipWithError((std::string(failed_call) + " returned " + std::to_string(status)).c_str());
            return;
        }
        benchmark::DoNotOptimize(result.v_first);
    }
    report(state, result.steps, result.rhs_evaluations, result.jacobian_evaluations);
}

}  // namespace

BENCHMARK(BM_RawCvodeCable)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NeurodeCable)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
// Size sweep: KLU on a tridiagonal Jacobian should make the cost close to linear in N.
BENCHMARK(BM_NeurodeCable)
    ->Name("BM_NeurodeCableSizeSweep")
    ->RangeMultiplier(4)
    ->Range(1 << 10, 1 << 18)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

BENCHMARK_MAIN();
