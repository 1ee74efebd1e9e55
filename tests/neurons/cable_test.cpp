// Passive cables against the analytic steady-state cable solution (Rall; Koch, Biophysics of
// Computation, ch. 2): a finite cylinder with a sealed far end and a steady current I injected at
// x = 0 settles to
//
//   V(x) - E = I R_in cosh((L - x) / lambda) / cosh(L / lambda),  R_in = r_a lambda coth(L / lambda)
//
// with lambda = sqrt(d R_m / (4 R_a)) the length constant and r_a = 4 R_a / (pi d^2) the axial
// resistance per unit length. The model is integrated by CVODE (BDF + KLU) for 20 membrane time
// constants, so that the remaining transient is far below the tolerances used here.
//
// neurode's compartments are segment centres (cell-centred finite volumes): compartment k of N
// holds V at x_k = (k + 1/2) h, h = L / N, and the current clamped into compartment 0 enters
// through the sealed end. Both the centre values and the end value extrapolated from the first
// two centres are second-order accurate in h; a check below confirms the order.
#include <gtest/gtest.h>

#include "../support/neuron_models.hpp"

#include <cmath>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include <neurode/neurons/network.hpp>
#include <neurode/sim/simulation.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
// The cable: a thin dendrite about 1.4 length constants long.
constexpr double diameter = 2.0;           // d [um]
constexpr double length = 1000.0;          // L [um]
constexpr double axial_resistivity = 100;  // R_a [ohm cm]
constexpr double g_leak = 1e-4;            // pas g [S/cm2]: R_m = 1 / g = 1e4 ohm cm2, tau_m = R_m c_m = 10 ms
constexpr double rest = -65.0;             // pas e and the initial voltage [mV]
constexpr double current = 0.1;            // I [nA]
constexpr double settle = 200.0;           // [ms] 20 membrane time constants

constexpr double um_per_cm = 1e4;

// lambda [um] of a cylinder of diameter d [um]: sqrt(d R_m / (4 R_a)) with d in cm, R_m in ohm cm2
// and R_a in ohm cm gives cm.
double length_constant(double d)
{
    const double d_cm = d / um_per_cm;
    return std::sqrt(d_cm * (1.0 / g_leak) / (4.0 * axial_resistivity)) * um_per_cm;
}

// Input resistance [MOhm] at the sealed-end-terminated cylinder's x = 0 end:
// r_a [ohm/cm] = 4 R_a / (pi d^2), d in cm; R_in [ohm] = r_a lambda coth(L / lambda), lambda in cm.
double sealed_cable_input_resistance(double d, double l)
{
    const double d_cm = d / um_per_cm;
    const double r_a = 4.0 * axial_resistivity / (std::numbers::pi * d_cm * d_cm);  // [ohm/cm]
    const double lambda = length_constant(d);                                      // [um]
    return r_a * (lambda / um_per_cm) / std::tanh(l / lambda) * 1e-6;              // [MOhm]
}

// V(x)/V(0) on the sealed cable, deflections from rest.
double attenuation(double x, double l, double lambda) { return std::cosh((l - x) / lambda) / std::cosh(l / lambda); }

nn::CellModel passive_cell(nn::Morphology morphology)
{
    nn::CellModel m;
    m.morphology = std::move(morphology);
    m.channels = {{"pas", "", {{"g", g_leak}, {"e", rest}}}};
    m.initial_voltage = rest;
    return m;
}

// One unbranched section "cable" of n compartments, clamped at its 0 end.
nn::CellModel cable_cell(std::size_t n)
{
    nn::Morphology morphology;
    morphology.add({"cable", "dendrite", -1, 1.0, length, diameter, axial_resistivity, 1.0, n});
    nn::CellModel m = passive_cell(std::move(morphology));
    m.clamps = {{"cable", 0.0}};
    return m;
}

// The steady state under a constant clamp current: voltage deflections from rest [mV] of every
// compartment of `section` (n of them), in order along it.
std::vector<double> steady_deflections(const nn::CellModel& model, const std::string& section, std::size_t n)
{
    nn::CellSystem cell(model);
    sim::Simulation s(cell, klu_cvode(1e-10));
    s.set_input("iclamp[0]", nn::clamp_step(current, 0.0, 2 * settle));
    std::vector<std::size_t> index(n);
    for (std::size_t k = 0; k < n; ++k)
        index[k] = cell.voltage_index({section, (static_cast<double>(k) + 0.5) / static_cast<double>(n)});
    s.advance(0.9 * settle);
    std::vector<double> before(n);
    for (std::size_t k = 0; k < n; ++k) before[k] = s.state()[index[k]] - rest;
    s.advance(settle);
    std::vector<double> v(n);
    for (std::size_t k = 0; k < n; ++k) {
        v[k] = s.state()[index[k]] - rest;
        // Settled: the slowest mode (tau_m) has decayed by e^-2 over the last 20 ms and by e^-20 in all.
        EXPECT_NEAR(v[k], before[k], 1e-6 * std::abs(v[0])) << "not at steady state, compartment " << k;
    }
    return v;
}

// V(0) from the first two centres, V(h/2) and V(3h/2), by linear extrapolation: O(h^2).
double end_value(const std::vector<double>& v) { return 1.5 * v[0] - 0.5 * v[1]; }
}  // namespace

TEST(Cable, InputResistanceMatchesTheSealedEndFormula)
{
    // N = 500, h = 2 um = lambda / 354. The extrapolated end value is second order: its relative
    // error is about 3e-6 here (0.45e-3 at N = 40, falling 4x per halving; see below). Relative
    // tolerance 1e-4. The value of the first centre itself, h/2 in from the end, is off by about
    // h / (2 lambda) tanh(L / lambda) ~ 1.3e-3, which the looser check below bounds.
    const std::size_t n = 500;
    const std::vector<double> v = steady_deflections(cable_cell(n), "cable", n);
    const double expected = sealed_cable_input_resistance(diameter, length);  // [MOhm]
    EXPECT_NEAR(length_constant(diameter), 707.10678, 1e-5);  // sqrt(2e-4 cm * 1e4 ohm cm2 / 400 ohm cm)
    EXPECT_NEAR(end_value(v) / current, expected, 1e-4 * expected);
    EXPECT_NEAR(v[0] / current, expected, 2e-3 * expected);
    std::cout << "R_in " << end_value(v) / current << " MOhm, sealed-end cable " << expected << " MOhm\n";
}

TEST(Cable, SteadyStateAttenuationMatchesCosh)
{
    // Relative error of the centre values about 2.5e-7 of V(0) at N = 500; tolerance 1e-4.
    const std::size_t n = 500;
    const std::vector<double> v = steady_deflections(cable_cell(n), "cable", n);
    const double lambda = length_constant(diameter), h = length / static_cast<double>(n);
    const double v0 = end_value(v);
    const nn::Morphology morphology = cable_cell(n).morphology;
    for (double position : {0.1, 0.25, 0.5, 0.75, 0.9, 1.0}) {
        const std::size_t k = morphology.compartment_at("cable", position);
        const double x = (static_cast<double>(k) + 0.5) * h;  // [um] the compartment's centre
        EXPECT_NEAR(v[k] / v0, attenuation(x, length, lambda), 1e-4) << "at x = " << x << " um";
    }
    // The far end is attenuated to 1 / cosh(L / lambda) = 0.46 of the injection site.
    EXPECT_NEAR(v[n - 1] / v0, attenuation(length, length, lambda), 2e-3);
}

TEST(Cable, DiscretisationErrorFallsAsHSquared)
{
    // Halving h divides the error of the extrapolated input resistance by 4 (second order).
    // At N = 20, 40, 80 the relative errors are about 1.7e-3, 4.4e-4, 1.1e-4: far above the
    // solver's, so the ratios show the spatial discretisation only.
    const double expected = sealed_cable_input_resistance(diameter, length);
    std::vector<double> errors;
    for (std::size_t n : {20u, 40u, 80u}) {
        const std::vector<double> v = steady_deflections(cable_cell(n), "cable", n);
        errors.push_back(std::abs(end_value(v) / current - expected) / expected);
        std::cout << "N " << n << ": relative error of R_in " << errors.back() << "\n";
    }
    for (std::size_t k = 1; k < errors.size(); ++k) {
        const double ratio = errors[k - 1] / errors[k];
        EXPECT_GT(ratio, 3.5) << "N " << (20u << k);
        EXPECT_LT(ratio, 4.5) << "N " << (20u << k);
    }
}

TEST(Cable, BallAndStickInputConductanceIsSomaPlusCable)
{
    // Rall's ball and stick, built with Morphology::ball_and_stick: an isopotential soma in
    // parallel with a sealed-end dendrite, G_in = G_soma + 1 / R_in(dendrite), with
    // G_soma [uS] = g [S/cm2] * pi d_s L_s [um2] * 1e-8 cm2/um2 * 1e6 uS/S (a cylinder, its ends
    // excluded, as the builder's soma). The formula neglects the one-compartment soma's internal
    // axial resistance (0.03 MOhm in series with the dendrite's 370); with the O(h^2) cable error
    // the model's input resistance is 6e-5 above it. Relative tolerance 3e-4.
    const double soma_diameter = 20.0, dendrite_length = 500.0;  // [um]
    const std::size_t n = 250;                                   // h = 2 um
    nn::CellModel model = passive_cell(
        nn::Morphology::ball_and_stick(soma_diameter, dendrite_length, diameter, n, axial_resistivity));
    model.clamps = {{"soma", 0.5}};
    const std::vector<double> v = steady_deflections(model, "soma", 1);
    const double g_soma = g_leak * std::numbers::pi * soma_diameter * soma_diameter * 1e-8 * 1e6;  // [uS]
    const double g_in = g_soma + 1.0 / sealed_cable_input_resistance(diameter, dendrite_length);   // [uS]
    EXPECT_NEAR(v[0] / current, 1.0 / g_in, 3e-4 / g_in);
}
