#pragma once
// Building Activity from what the models produce, and keeping it in HDF5.
//
//   rate networks   a run's states x or rates r = f(x) (rnn::NetworkRun), with the trial batch's
//                   dt, epochs and conditions: time point k is the state at the end of step k.
//   spike trains    per trial and cell, spike times [ms] filtered with a kernel K normalised to
//                   unit area, so that the activity is a rate [Hz]:
//                     causal exponential  K(s) = exp(-s / tau) / tau  for s >= 0 (0 before): a
//                                         spike at t_s counts from t_s on, with K(0) = 1/tau;
//                     Gaussian            K(s) = exp(-s^2 / (2 sd^2)) / (sd sqrt(2 pi)), cut at
//                                         |s| > 8 sd (below 1.3e-14 of its peak);
//                   r(t_k) = 1000 [ms/s] * sum_spikes K(t_k - t_s), sampled at t_k = t0 + k dt in
//                   [t0, t1). Spikes before t0 (and after t1, for the Gaussian) count.
//   voltages        sim::Recording per trial (sampled voltages or any probe), on their own
//                   evenly spaced times or linearly interpolated onto a grid.
//
// attach_trials() gives activity built on a time grid the epochs and conditions of the task
// batch that drove the trials. The HDF5 layout is in docs/hdf5-layout.md ("Activity").

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/analysis/activity.hpp>
#include <neurode/neurons/trials.hpp>
#include <neurode/rnn/activation.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/task.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/recording.hpp>

namespace neurode::analysis {

// ---- Rate networks -----------------------------------------------------------------------------

enum class RunSignal {
    rates,   // r = f(x), unit "1"
    states,  // x, unit "1"
};

struct RunActivityOptions {
    RunSignal signal = RunSignal::rates;
    rnn::Activation activation = rnn::Activation::tanh;  // f, for rates
};

// trials x steps x units from the run, dt, epochs and conditions from the batch it ran on.
// Throws invalid_parameter "run" when the run's trials or steps differ from the batch's.
Activity activity_from_run(const rnn::NetworkRun& run, const rnn::TrialBatch& batch, const RunActivityOptions& options = {});
// The same with the network's own activation.
Activity activity_from_run(const rnn::RateNetwork& network, const rnn::NetworkRun& run, const rnn::TrialBatch& batch,
                           RunSignal signal = RunSignal::rates);

// ---- Time grids, kernels, spike trains ----------------------------------------------------------

// Sample times t_k = t0 + k dt for every k >= 0 with t_k < t1 (up to 1e-9 dt: [0, 100) with dt 0.1
// has 1000 samples).
struct TimeGrid {
    double t0 = 0.0;     // [ms]
    double t1 = 1000.0;  // [ms] exclusive end
    double dt = 1.0;     // [ms]
    std::size_t steps() const;
    double time(std::size_t k) const { return t0 + static_cast<double>(k) * dt; }  // [ms]
    // Throws invalid_parameter naming "<argument>.dt" or "<argument>.t1".
    void validate(std::string_view argument = "grid") const;
};

enum class KernelShape { causal_exponential, gaussian };

struct SpikeKernel {
    KernelShape shape = KernelShape::causal_exponential;
    double width = 20.0;  // [ms] tau of the exponential, sd of the Gaussian; > 0
    void validate(std::string_view argument = "kernel") const;  // names "<argument>.width"
};

struct SpikeRateOptions {
    SpikeKernel kernel;
    TimeGrid grid;
    void validate() const;
};

// One train's rate [Hz] on the grid; spikes [ms] in any order, finite.
std::vector<double> filtered_rate(std::span<const double> spikes, const SpikeKernel& kernel, const TimeGrid& grid);

// Per trial, per cell: spike times [ms].
using SpikeTrains = std::vector<std::vector<double>>;

// trials x grid steps x cells, unit "Hz", dt = grid.dt. Every trial must have the same number of
// cells; throws invalid_parameter "spikes" (naming the trial and cell) otherwise or on a
// non-finite spike time.
Activity activity_from_spikes(const std::vector<SpikeTrains>& spikes, const SpikeRateOptions& options);
// From run_trials()' results (each trial's spikes).
Activity activity_from_spikes(const std::vector<neurons::TrialResult>& results, const SpikeRateOptions& options);

// ---- Sampled voltages and other recordings -------------------------------------------------------

struct RecordingActivityOptions {
    std::vector<std::size_t> columns;  // of each recording, in this order; empty: all
    // Resample onto this grid by linear interpolation (it must lie within every recording);
    // unset: the recordings' own times, which must be evenly spaced and the same in every trial.
    std::optional<TimeGrid> grid;
};

// trials x samples x columns; unit: the columns' common unit ("" if they differ). The time unit
// must be ms (or unset). Throws invalid_parameter "recordings" (naming the trial) or "columns".
Activity activity_from_recordings(const std::vector<sim::Recording>& recordings, const RecordingActivityOptions& options = {});
// The probe named `probe` of every trial of run_trials()' results.
Activity activity_from_recordings(const std::vector<neurons::TrialResult>& results, std::string_view probe,
                                  const RecordingActivityOptions& options = {});

// ---- Epochs and conditions of a task batch ----------------------------------------------------------

// Copies the batch's conditions and its epochs into `activity`, converting epochs from the batch's
// steps (step k covers [k, k + 1) batch.dt from the trial's start) to the activity's time points
// (point i at t0 + i activity.dt [ms] after the trial's start): point i belongs to an epoch when
// its time falls inside the epoch's interval. Throws invalid_parameter "batch" when the trial
// counts differ.
void attach_trials(Activity& activity, const rnn::TrialBatch& batch, double t0 = 0.0);

// ---- HDF5 --------------------------------------------------------------------------------------

// Under group G: G/values [trials, steps, units] (attribute unit), attributes dt [ms], unit;
// G/condition_names, G/conditions [trials, conditions]; G/epochs/{names, trial, name, start, stop}
// when the activity has epochs (one row per epoch, as rnn::write_trials).
void write_activity(sim::h5::Writer& out, const std::string& group, const Activity& activity);
// Throws io_error naming the group when the stored activity is inconsistent.
Activity read_activity(const sim::h5::Reader& in, const std::string& group);

// A file of its own (root attributes format "neurode-activity", format_version 1; the activity
// under /activity), written atomically: it appears complete or not at all.
void save_activity(const std::filesystem::path& path, const Activity& activity);
// Throws io_error when the file is not a neurode activity file.
Activity load_activity(const std::filesystem::path& path);

}  // namespace neurode::analysis
