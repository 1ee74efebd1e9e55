#pragma once
// Epoch durations, fixed or random, as the task references draw them, and their conversion to
// whole steps. Durations are in ms.

#include <string>
#include <vector>

#include <neurode/sim/random.hpp>

namespace neurode::rnn {

struct Duration {
    enum class Kind { fixed, uniform, choice, truncated_exponential };
    Kind kind = Kind::fixed;
    double value = 0;        // fixed: the duration; truncated_exponential: the mean   [ms]
    double low = 0, high = 0;  // uniform and truncated_exponential bounds           [ms]
    std::vector<double> choices;  // choice: one of these, uniformly                 [ms]

    static Duration fixed(double ms);
    static Duration uniform(double low_ms, double high_ms);
    static Duration choice(std::vector<double> ms);
    // Exponential with this mean, redrawn until inside [low, high] (NeuroGym's TruncExp).
    static Duration truncated_exponential(double mean_ms, double low_ms, double high_ms);

    double sample(sim::Rng& rng) const;  // [ms]
    double max() const;                  // longest possible duration [ms]
    // Throws invalid_parameter naming `field` unless the duration is finite and >= 0 (bounds ordered).
    void validate(const std::string& field) const;
};

// Number of whole steps of size dt in a duration (floored, as NeuroGym does; at least `minimum`).
std::size_t to_steps(double duration_ms, double dt_ms, std::size_t minimum = 0);

}  // namespace neurode::rnn
