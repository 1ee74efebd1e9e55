#pragma once
// Trial batches and network runs in HDF5, so that analyses (here or in h5py) can read what a
// task produced and what a model did. Layout (under a group G, all arrays row major):
//   G/inputs [trials, steps, inputs], G/targets and G/mask [trials, steps, outputs],
//   G/input_names, G/output_names, G/condition_names (strings), G/conditions [trials, conditions],
//   G/epochs/{trial, name, start, stop} (one row per epoch; name indexes G/epochs/names),
//   attributes task, dt (unit ms);
//   a run: G/states [trials, steps, units], G/outputs [trials, steps, outputs].

#include <string>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/task.hpp>
#include <neurode/sim/hdf5.hpp>

namespace neurode::rnn {

void write_trials(sim::h5::Writer& out, const std::string& group, const TrialBatch& batch);
TrialBatch read_trials(const sim::h5::Reader& in, const std::string& group);
void write_run(sim::h5::Writer& out, const std::string& group, const NetworkRun& run);
// Per-trial epochs as G/epochs/{names, trial, name, start, stop} (the layout above), shared with
// the analysis layer's activity files. read_epochs checks every row against trials and steps
// (io_error naming G/epochs).
void write_epochs(sim::h5::Writer& out, const std::string& group, const std::vector<std::vector<Epoch>>& epochs);
std::vector<std::vector<Epoch>> read_epochs(const sim::h5::Reader& in, const std::string& group, std::size_t trials,
                                            std::size_t steps);

}  // namespace neurode::rnn
