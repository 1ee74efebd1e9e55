#pragma once
// Probes say what to record and how often; recordings hold what was recorded. A probe reads
// state variables (by index or name) or a derived observable, sampled at a fixed interval
// (interpolated by the integrator, so samples fall exactly on the grid) or after every step.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace neurode::sim {

// Computes `width` derived values from the state: out = h(t, y).
using Observable = std::function<void(double t, std::span<const double> y, std::span<double> out)>;

struct Probe {
    std::string name;                      // unique; becomes the HDF5 group name
    std::vector<std::size_t> variables;    // state variable indices (when no observable is set)
    Observable observable;                 // derived quantity (when set)
    std::size_t observable_width = 1;      // number of values the observable writes
    std::string unit;                      // of an observable; state variables use the model's units
    std::vector<std::string> column_names; // of an observable (optional)
    double interval = 0;                   // [time] sampling interval; 0: after every step

    static Probe state(std::string name, std::vector<std::size_t> variables, double interval);
    static Probe derived(std::string name, Observable observable, std::size_t width,
                         std::string unit, double interval);
};

// What one probe recorded: a time column and a samples x columns matrix (row major).
struct Recording {
    std::string name;
    std::string time_unit;
    std::vector<std::string> columns;  // one name per column (state variable names for state probes)
    std::vector<std::string> units;    // one unit per column
    std::vector<double> times;
    std::vector<double> values;        // times.size() rows x columns.size()

    std::size_t samples() const { return times.size(); }
    std::size_t width() const { return columns.size(); }
    double at(std::size_t sample, std::size_t column) const { return values[sample * width() + column]; }
    // One column as a vector over samples.
    std::vector<double> column(std::size_t column) const;
};

// A root crossing found during integration.
struct Event {
    double time;       // [time]
    std::size_t root;  // index of the root function
    int direction;     // +1 rising, -1 falling
};

}  // namespace neurode::sim
