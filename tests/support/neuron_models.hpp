#pragma once
// Small biophysical models and solver settings that several neurons tests share.
#include <neurode/neurons/reference_models.hpp>
#include <neurode/sim/options.hpp>

using neurode::neurons::hh_soma_cell;

// CVODE BDF with KLU at rtol = atol = tolerance.
inline neurode::sim::SolverOptions klu_cvode(double tolerance)
{
    neurode::sim::SolverOptions o;
    o.linear_solver = neurode::sim::LinearSolver::klu;
    o.rtol = o.atol = tolerance;
    return o;
}
