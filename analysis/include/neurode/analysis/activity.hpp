#pragma once
// The one input of every analysis: activity as trials x time x units, whatever produced it (a
// rate network's units, a biophysical network's filtered spike trains or voltages), with the
// task's epochs and trial conditions attached so that analyses can run per epoch and condition.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include <neurode/rnn/task.hpp>

namespace neurode::analysis {

struct Activity {
    std::size_t trials = 0, steps = 0, units = 0;
    double dt = 1.0;                                  // [ms] between time points
    std::string unit;                                 // of the values ("1" for rates, "mV", "Hz")
    std::vector<double> values;                       // [trials][steps][units]
    std::vector<std::vector<rnn::Epoch>> epochs;      // per trial (optional: empty or one per trial)
    std::vector<std::string> condition_names;         // what varies between trials (optional)
    std::vector<double> conditions;                   // [trials][conditions]

    double at(std::size_t trial, std::size_t step, std::size_t u) const { return values[(trial * steps + step) * units + u]; }
    double& at(std::size_t trial, std::size_t step, std::size_t u) { return values[(trial * steps + step) * units + u]; }

    // Throws invalid_parameter naming `argument` (and the field) for inconsistent sizes, no data,
    // an epoch outside [0, steps], or a non-finite value (with its trial, step and unit).
    void validate(std::string_view argument = "activity") const;
    // Samples as rows: (trials * steps) x units, trial-major.
    Eigen::MatrixXd samples() const;
    // The time points of epoch `name` of every trial, concatenated per trial (trials without the
    // epoch are dropped; trials whose epoch lengths differ are cut to the shortest).
    Activity epoch(const std::string& name) const;
};

}  // namespace neurode::analysis
