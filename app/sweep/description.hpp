#pragma once
// The sweep description file (docs/sweeps.md): strict JSON naming the factors and their levels,
// the actions run at every point, and what each record stores. Every point trains one rate
// network on one task, then (by its actions) evaluates it, perturbs it P0..P5 in every way asked
// (rnn/perturbation.hpp) and analyses how its dynamics changed.
//
//   {
//     "name": "heterogeneity",
//     "seed": 1,
//     "factors": {"task": ["go", "dly_go"], "heterogeneity": [0, 5], "seed": [1, 2, 3]},
//     "actions": ["train", "evaluate", "perturb", "analyse"],
//     "train": {"max_trials": 5000, "target": 0.9, "window": 3, "validation_trials": 64,
//               "validate_every_trials": 200, "bptt_batch": 32},
//     "evaluate": {"trials": 64},
//     "perturb": {"kinds": ["time_constants", "weight_jitter", "initial_state", "trial_duration",
//                           "activity", "task"], "levels": 5, "pulse_ms": 100},
//     "store": {"network": true, "history": true}
//   }
//
// Factors (any subset; the others keep their defaults, see PointSettings): task, architecture
// ("rate" or "rate_dale"), learning_rule ("hebbian" or "bptt"), units, heterogeneity (H0..H5),
// input_noise (the Yang tasks' sigma_x), regularisation (BPTT's L2 weight), seed (the network
// replicate: its initial weights and time constants), tau_ms, gain, learning_rate. Errors name
// the key path: "factors.heterogenity: unknown factor", "factors.task: has no levels".

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <neurode/rnn/perturbation.hpp>
#include <neurode/sim/sweep.hpp>

namespace neurode::app::sweep {

// One point's values of every factor.
struct PointSettings {
    std::string task = "go";
    std::string architecture = "rate";      // rate | rate_dale (Dale's law, 80% excitatory)
    std::string learning_rule = "hebbian";  // hebbian (node perturbation) | bptt
    std::size_t units = 200;
    int heterogeneity = 0;                  // H0..H5 of the time constants
    double input_noise = 0.01;              // Yang tasks' sigma_x
    double regularisation = 0;              // BPTT's L2 weight
    std::uint64_t seed = 1;                 // network replicate
    double tau_ms = 100;                    // [ms] mean time constant
    double gain = 1.5;
    double learning_rate = 0;               // 0: the rule's default (hebbian 0.1, bptt 1e-3)
};

struct TrainSettings {
    std::size_t max_trials = 5000;          // budget per network
    double target = 0.9;                    // criterion: min of the last `window` validations >= target
    std::size_t window = 3;
    std::size_t validation_trials = 64;
    std::size_t validate_every_trials = 200;
    std::size_t bptt_batch = 32;            // trials per BPTT iteration
};

struct SweepDescription {
    std::string name = "sweep";
    std::uint64_t seed = 1;
    std::vector<sim::SweepFactor> factors;
    bool evaluate = true, perturb = true, analyse = true;  // actions after training
    TrainSettings train;
    std::size_t evaluation_trials = 64;
    std::vector<rnn::PerturbationKind> kinds = rnn::perturbation_kinds();
    int max_level = rnn::max_perturbation_level;  // perturbation levels P0..max_level
    double pulse_ms = 100;                        // [ms]
    bool store_network = true, store_history = true;
    std::string canonical;  // the whole description as canonical JSON: the sweep's fingerprint

    sim::SweepPlan plan() const;
    // The settings of a point of plan().
    PointSettings point(const sim::SweepPlan& plan, std::size_t index) const;
};

// Parses and validates; throws invalid_parameter naming the key path.
SweepDescription parse_sweep(const nlohmann::json& json);
// The known factor names, in the order above.
std::vector<std::string> factor_names();
// A small description that runs in about a minute on 2 cores (for --print-example).
std::string example_sweep();

}  // namespace neurode::app::sweep
