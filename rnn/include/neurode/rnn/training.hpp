#pragma once
// One interface for every learning rule, and one training loop around it. A Learner owns the
// model it trains (a rate network, a gated network, a readout) and its own learning state
// (optimiser moments, RLS matrices, reward baselines, a population); train() draws batches from a
// task, calls the learner, validates on a held-out batch, stops at a criterion or a budget,
// records the history, reports progress through a callback and checkpoints to HDF5 so that an
// interrupted run resumes with identical results.
//
// Determinism: every random draw of iteration i comes from iteration_seed(seed, i) (the batch of
// that iteration, the learner's perturbations and mutations), never from a generator carried
// across iterations, so a resumed run needs only the learner's state and the iteration number.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <neurode/rnn/task.hpp>
#include <neurode/sim/hdf5.hpp>

namespace neurode::rnn {

// A seed for iteration i of a run seeded with `seed` (SplitMix64 of both, so neighbouring
// iterations get unrelated streams).
std::uint64_t iteration_seed(std::uint64_t seed, std::uint64_t iteration);

struct IterationResult {
    double loss = 0;            // training loss of this iteration (or negative reward)
    std::size_t trials = 0;     // trials consumed by this iteration
};

class Learner {
public:
    virtual ~Learner() = default;
    virtual std::string name() const = 0;
    // One learning iteration on trials drawn from `task` with `seed`.
    virtual IterationResult iterate(const Task& task, std::uint64_t seed) = 0;
    // The trained model's outputs ([trials][steps][outputs]) on a batch, without learning.
    virtual std::vector<double> outputs(const TrialBatch& batch) const = 0;
    // Everything iterate() changes (model and learning state), for checkpoints.
    virtual void save_state(sim::h5::Writer& out, const std::string& group) const = 0;
    virtual void load_state(const sim::h5::Reader& in, const std::string& group) = 0;
};

struct TrainingOptions {
    std::uint64_t seed = 1;
    // Criterion: stop when the minimum of the last `window` validation scores is >= `target`
    // (McMahan et al.: 10 validations, 90% accuracy).
    double target = 0.9;
    std::size_t window = 10;
    std::size_t validation_trials = 500;
    std::uint64_t validation_seed = 0x5eed;   // the held-out batch, fixed for the whole run
    std::size_t validate_every = 1;           // iterations between validations
    // Budget: stop after this many trials seen or iterations (0: no limit on that count).
    std::size_t max_trials = 1'000'000;
    std::size_t max_iterations = 0;
    // Checkpoint: written atomically every `checkpoint_every` iterations when the path is set;
    // train() resumes from it when it exists.
    std::filesystem::path checkpoint;
    std::size_t checkpoint_every = 50;

    void validate() const;  // throws invalid_parameter naming the field
};

struct HistoryEntry {
    std::size_t iteration = 0;
    std::size_t trials_seen = 0;
    double loss = 0;
    double validation_score = 0;  // NaN when this iteration was not validated
};

struct TrainingHistory {
    std::string learner, task, measure;  // measure: what validation_score is ("accuracy", "r2")
    std::vector<HistoryEntry> entries;
    bool reached_criterion = false;
    std::size_t trials_to_criterion = 0;  // trials seen when the criterion was met
    std::string stop_reason;              // "criterion", "max_trials", "max_iterations"
    double wall_seconds = 0;

    void write(sim::h5::Writer& out, const std::string& group) const;
    static TrainingHistory read(const sim::h5::Reader& in, const std::string& group);
};

// Called after every iteration with the history so far (for progress bars and logs).
using ProgressCallback = std::function<void(const TrainingHistory&, const TrainingOptions&)>;

TrainingHistory train(Learner& learner, const Task& task, const TrainingOptions& options,
                      const ProgressCallback& progress = {});

// Mean squared error over masked entries, weighted by the mask.
double masked_mse(const TrialBatch& batch, std::span<const double> outputs);

}  // namespace neurode::rnn
