#pragma once
// The cognitive task interface. A task draws a batch of trials from a seed: inputs u(t), targets
// y*(t), a loss mask, named epochs per trial, trial conditions, and scores a model's outputs the
// way its reference implementation does. Every model in neurode (rate RNNs, gated cells,
// biophysical reservoirs) is trained and tested on these batches, and every analysis can cut them
// by epoch and condition.
//
// Layout: arrays are row-major [trial][step][channel]; step k covers time [k dt, (k+1) dt).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace neurode::rnn {

// One named interval of one trial, in steps: [start, stop).
struct Epoch {
    std::string name;  // "fixation", "stimulus", "delay", "decision", or task-specific ("stimulus2")
    std::size_t start = 0;
    std::size_t stop = 0;
    std::size_t length() const { return stop - start; }
};

struct TrialBatch {
    std::string task;                  // name of the task that made it
    std::size_t trials = 0, steps = 0;
    double dt = 0;                     // [ms] per step
    std::vector<std::string> input_names, output_names;
    std::vector<double> inputs;        // [trials][steps][inputs]
    std::vector<double> targets;       // [trials][steps][outputs]
    std::vector<double> mask;          // [trials][steps][outputs], loss weight (0: ignored)
    std::vector<std::vector<Epoch>> epochs;  // per trial, in time order
    std::vector<std::string> condition_names;
    std::vector<double> conditions;    // [trials][conditions]: what varies between trials

    // An empty batch with every array sized (zeros) and names set.
    TrialBatch(std::string task, std::size_t trials, std::size_t steps, double dt, std::vector<std::string> input_names,
               std::vector<std::string> output_names, std::vector<std::string> condition_names);
    TrialBatch() = default;

    std::size_t input_size() const { return input_names.size(); }
    std::size_t output_size() const { return output_names.size(); }

    double& input(std::size_t trial, std::size_t step, std::size_t k) { return inputs[(trial * steps + step) * input_size() + k]; }
    double input(std::size_t trial, std::size_t step, std::size_t k) const { return inputs[(trial * steps + step) * input_size() + k]; }
    double& target(std::size_t trial, std::size_t step, std::size_t k) { return targets[(trial * steps + step) * output_size() + k]; }
    double target(std::size_t trial, std::size_t step, std::size_t k) const { return targets[(trial * steps + step) * output_size() + k]; }
    double& weight(std::size_t trial, std::size_t step, std::size_t k) { return mask[(trial * steps + step) * output_size() + k]; }
    double weight(std::size_t trial, std::size_t step, std::size_t k) const { return mask[(trial * steps + step) * output_size() + k]; }
    double& condition(std::size_t trial, std::size_t c) { return conditions[trial * condition_names.size() + c]; }
    double condition(std::size_t trial, std::size_t c) const { return conditions[trial * condition_names.size() + c]; }
    // Index of a named condition; throws invalid_parameter if the task has none by that name.
    std::size_t condition_index(std::string_view name) const;

    // The named epoch of a trial; throws invalid_parameter if the trial has none.
    const Epoch& epoch(std::size_t trial, std::string_view name) const;
    bool has_epoch(std::size_t trial, std::string_view name) const;
    // Checks sizes and epochs (in range, ordered, non-overlapping); throws logic_error on a bug.
    void check_consistent() const;
};

// How a model did on a batch.
struct Score {
    std::string measure;              // what `value` is: "accuracy", "r2", ...
    double value = 0;                 // over the batch
    std::vector<double> per_trial;    // 1/0 for correct/incorrect, or the trial's own value
};

class Task {
public:
    virtual ~Task() = default;
    virtual std::string name() const = 0;
    virtual std::size_t input_size() const = 0;
    virtual std::size_t output_size() const = 0;
    virtual double dt() const = 0;  // [ms]
    // `trials` trials drawn from `seed`; the same seed gives the same batch.
    virtual TrialBatch generate(std::size_t trials, std::uint64_t seed) const = 0;
    // Score outputs ([trials][steps][outputs], same shape as batch.targets) as the reference does.
    virtual Score score(const TrialBatch& batch, std::span<const double> outputs) const = 0;
};

// The batch with its inputs replaced by i.i.d. Gaussian noise of the same dimension (the control
// of the input-versus-training analyses): each channel gets the mean and standard deviation
// that channel has over the batch, unless `sd` > 0 is given (then mean 0, that sd).
TrialBatch with_gaussian_inputs(TrialBatch batch, std::uint64_t seed, double sd = 0);

// Fraction of trials whose per_trial value is 1; helper for accuracy scores.
Score accuracy_score(std::vector<double> correct);

// Where per-trial R^2 measures its total variance from.
enum class R2Baseline {
    own_trial,  // the trial's own masked channel means
    batch,      // the batch's: for tasks whose target is constant within a trial
};
// "r2": the coefficient of determination over the masked entries, per output channel, averaged
// over the channels that have masked entries (scikit-learn's r2_score, uniform average; a channel
// with constant targets scores 1 if matched exactly, else 0). Also per trial.
Score r2_score(const TrialBatch& batch, std::span<const double> outputs, R2Baseline per_trial = R2Baseline::own_trial);

}  // namespace neurode::rnn
