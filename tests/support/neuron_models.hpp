#pragma once
// Small biophysical models and solver settings that several neurons tests share.
#include <neurode/neurons/cell.hpp>
#include <neurode/sim/options.hpp>

// A 20 x 20 um soma with NEURON's hh, a current clamp and a spike detector at its centre.
inline neurode::neurons::CellModel hh_soma_cell()
{
    neurode::neurons::CellModel c;
    c.morphology = neurode::neurons::Morphology::soma(20.0, 20.0);
    c.channels = {{"hh", "", {}}};
    c.clamps = {{"soma", 0.5}};
    c.spike_detectors = {{"soma", 0.5}};
    return c;
}

// CVODE BDF with KLU at rtol = atol = tolerance.
inline neurode::sim::SolverOptions klu_cvode(double tolerance)
{
    neurode::sim::SolverOptions o;
    o.linear_solver = neurode::sim::LinearSolver::klu;
    o.rtol = o.atol = tolerance;
    return o;
}
