#pragma once
// External drives for biophysical networks: Poisson spike trains for spike sources (NEURON's
// NetStim with noise 1, or a VecStim playing a precomputed train) and the bridge from a task's
// sampled inputs (rnn::TrialBatch::inputs, plain vectors here so that neurons does not depend on
// rnn) to a current clamp or a rate-coded spike train.
//
// Homogeneous trains draw exponential intervals; an inhomogeneous train given as a function is
// thinned (Lewis & Shedler 1979): candidates at the bound max_rate, each kept with probability
// rate(t) / max_rate; one given as samples is made by time rescaling (unit-rate exponential
// increments of the integrated rate, exact for a piecewise-constant rate). Every draw comes from
// sim::Rng, so a seed gives the same train on every platform.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include <neurode/sim/input.hpp>

namespace neurode::neurons {

// Spike times [ms] of a Poisson process of rate_hz [Hz] on [start_ms, stop_ms), sorted.
std::vector<double> poisson_spike_train(double rate_hz, double start_ms, double stop_ms, std::uint64_t seed);

// An inhomogeneous Poisson process with rate rate_hz(t) [Hz] (t [ms]) on [start_ms, stop_ms), by
// thinning candidates at max_rate_hz. A rate outside [0, max_rate_hz] at a candidate throws
// invalid_parameter ("rate_hz").
std::vector<double> inhomogeneous_poisson_spike_train(const std::function<double(double)>& rate_hz, double max_rate_hz,
                                                      double start_ms, double stop_ms, std::uint64_t seed);

// The same for a sampled rate: rate_hz[k] [Hz] on [t0_ms + k dt_ms, t0_ms + (k + 1) dt_ms).
std::vector<double> inhomogeneous_poisson_spike_train(std::span<const double> rate_hz, double dt_ms, double t0_ms,
                                                      std::uint64_t seed);

// --- Task inputs ---------------------------------------------------------------------------------
// A task input is sampled: value x[k] on [k dt, (k + 1) dt) (rnn's layout, trial start at 0).

// One channel of one trial of a row-major [trial][step][channel] array (rnn::TrialBatch::inputs
// with its steps and input_size()): `steps` values.
std::vector<double> task_input_channel(std::span<const double> inputs, std::size_t steps, std::size_t channels,
                                       std::size_t trial, std::size_t channel);

// A current clamp signal [nA]: bias_nA + gain_nA * x[k] on [k dt, (k + 1) dt), held (each step
// boundary is a breakpoint); after the last step the input counts as 0, leaving bias_nA.
sim::InputSignal task_input_current(std::span<const double> values, double dt_ms, double bias_nA, double gain_nA);

// A rate-coded spike train [ms] over the task's steps: rate max(0, baseline_hz + gain_hz * x[k])
// [Hz] on step k (negative rates are rectified), an inhomogeneous Poisson train from seed.
std::vector<double> task_input_spike_train(std::span<const double> values, double dt_ms, double baseline_hz,
                                           double gain_hz, std::uint64_t seed);

}  // namespace neurode::neurons
