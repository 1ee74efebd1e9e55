#pragma once
// A seeded search for the parameters that minimise a costly, noisy objective (a network
// simulated over many trials, scored by a cross-validated readout): a Latin hypercube over the
// box first, then NLopt's bounded Nelder-Mead from the best point found. Parameters are named,
// bounded and searched on a linear or logarithmic scale.
//
// Every evaluation is kept, in order, in an HDF5 log rewritten atomically after each one; a
// search started again with the same log resumes where it stopped: the sequence of candidates is
// a function of the seed and the scores alone, so the stored evaluations are replayed (checked
// candidate by candidate) and only the missing ones are simulated. The result equals an
// uninterrupted run's.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace neurode::sim {

struct SearchParameter {
    std::string name;       // unique; names the parameter in errors and in the log
    double low = 0, high = 1;
    bool log_scale = false;  // search log10 of the value (low > 0)
    void validate() const;   // names "<name>.low" / "<name>.high"
};

struct SearchOptions {
    std::size_t initial = 16;  // Latin-hypercube candidates, >= 1
    std::size_t local = 16;    // Nelder-Mead evaluations after them (0: none)
    double initial_step = 0.1; // Nelder-Mead's first simplex size, as a fraction of each range, in (0, 1]
    std::uint64_t seed = 1;
    std::filesystem::path log; // HDF5 log of every evaluation (empty: none, no resume)
    void validate() const;     // names the field
};

struct SearchEvaluation {
    std::vector<double> values;  // the parameters, in SearchParameter order and their units
    double score = 0;            // the objective (lower is better); +inf for a failed evaluation
    bool resumed = false;        // read from the log rather than evaluated in this run
};

struct SearchResult {
    std::vector<SearchEvaluation> evaluations;  // in order: the hypercube, then Nelder-Mead
    std::size_t best = 0;                       // index of the lowest score (the first of ties)
    const SearchEvaluation& best_evaluation() const { return evaluations.at(best); }
};

// The objective gets a candidate's values (in SearchParameter order); a non-finite score counts
// as failed (+inf). `on_evaluation` (optional) sees each evaluation as it is made or replayed,
// with its index. Throws invalid_parameter for bad parameters or options, io_error for a log that
// cannot be written or belongs to another search (other parameters, bounds or seed, or other
// candidates than this search makes); an exception from the objective stops the search (the log
// keeps every evaluation before it) and is rethrown.
using SearchObjective = std::function<double(std::span<const double> values)>;
using SearchCallback = std::function<void(std::size_t index, const SearchEvaluation& evaluation)>;
SearchResult minimise(const std::vector<SearchParameter>& parameters, const SearchObjective& objective,
                      const SearchOptions& options, const SearchCallback& on_evaluation = {});

// The log's evaluations (for reports): throws io_error if `log` is not a search log.
std::vector<SearchEvaluation> read_search_log(const std::filesystem::path& log);

}  // namespace neurode::sim
