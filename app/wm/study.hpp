#pragma once
// The working-memory comparison, neurode's main job: the biophysical reservoir with its cue on
// dendritic or somatic AMPA or NMDA synapses (four conditions), each optionally searched for
// working parameters and then evaluated over several network seeds, beside rate RNNs on the same
// task (app/wm/abstract.hpp); one analysis layer scores and compares them. Output: a table on
// the terminal, one HDF5 results file, the configuration next to it, and PNG figures.
//
// The configuration is JSON, validated completely before anything runs (unknown keys, wrong
// units, out-of-range values are errors naming the key). The keys and their meaning are in
// docs/working-memory.md; study_default_config() is the embedded default.

#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include <neurode/rnn/tasks/working_memory.hpp>
#include <neurode/sim/search.hpp>

#include "wm/abstract.hpp"
#include "wm/biophysical.hpp"

namespace neurode::app::wm {

struct Condition {
    std::string name;                          // "dendritic NMDA", ...
    neurons::Receptor receptor = neurons::Receptor::nmda;
    neurons::CueSite site = neurons::CueSite::dendrite;
    std::map<std::string, double> parameters;  // named reservoir parameters (reservoir_parameter()) for this condition
};

struct StudyConfig {
    std::string output = "neurode-wm.h5";
    std::uint64_t seed = 1;
    std::size_t threads = 0;                   // 0: one per hardware thread
    rnn::WorkingMemoryOptions task;            // analog_set cues; dt is the readout's sampling interval
    std::size_t repeats = 5;                   // trials per cue value (folds of the readout's cross-validation)
    double memory_bin_ms = 25.0;               // [ms] memory-curve bins
    double compare_bin_ms = 10.0;              // [ms] bins of the abstract-vs-biophysical comparison
    BiophysicalOptions biophysical;            // the base reservoir, solver and readout of every condition
    std::vector<Condition> conditions;
    std::vector<sim::SearchParameter> search;  // searched parameters (empty: no search)
    sim::SearchOptions search_options;         // budget per condition (log: set per condition)
    std::size_t search_repeats = 3;            // repeats per cue while searching
    std::size_t network_seeds = 2;             // networks evaluated per condition with its best parameters
    AbstractOptions abstract;
    bool figures = true;                       // PNGs through scripts/plot_wm.py (Debian's python3-matplotlib)
};

// The embedded default (about 3 minutes on 2 cores) and the full study.
const std::string& study_default_config();
const std::string& study_full_config();

// Parses and validates; throws invalid_parameter naming the key ("conditions[1].receptor").
StudyConfig parse_study_config(const std::string& text, const std::string& source);

// A named reservoir parameter ("cue_uS", "ee_ampa_pconn", "e_soma_leak_S_cm2", ...); throws
// invalid_parameter naming `field` for an unknown name (with the list of known ones).
double& reservoir_parameter(neurons::ReservoirOptions& options, const std::string& name, const std::string& field);

// Runs the study; prints progress and the tables on `out`. Writes config.output, the
// configuration as JSON beside it (<stem>.config.json) and, with figures, <stem>-figures/*.png.
// Returns the process exit status.
int run_study(const StudyConfig& config, const std::string& config_text, std::ostream& out);

}  // namespace neurode::app::wm
