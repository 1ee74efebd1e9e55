#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>

namespace neurode::app {

// `neurode tasks`: every task name, by family.
int list_tasks(std::ostream& out);
// `neurode trials`: a batch of `trials` trials of `task` from `seed`, written to HDF5 (layout in
// rnn/include/neurode/rnn/io.hpp), with a one-line summary per epoch on `out`.
int write_trials(const std::string& task, std::size_t trials, std::uint64_t seed, const std::string& output,
                 std::ostream& out);

}  // namespace neurode::app
