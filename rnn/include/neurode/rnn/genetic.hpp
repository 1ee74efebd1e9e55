#pragma once
// The genetic algorithm of McMahan, Kleinman & Kao (bmcmahan2016/RNN_Learning_Rules, genetic.py):
// a population of rate networks evolves by truncation selection and Gaussian mutation.
//
// One iteration (a generation):
//   1. every member runs the Euler map on the same batch of `batch_trials` trials and gets a
//      fitness: the negative masked MSE of its outputs (the reference ranks by the task's loss on
//      the batch, which is the masked MSE; Fitness::score ranks by the task's score instead);
//   2. the `elites` fittest members (ties to the lower index) become the parents and the fittest
//      one becomes best(), the network outputs() runs;
//   3. the next population is the parents, unchanged, in rank order, followed by children: each
//      a uniformly drawn parent plus N(0, mutation_sd^2) noise on every entry of W, Win and Wout
//      (and of b and bout with mutate_biases).
// The reference keeps only the best parent unchanged; neurode keeps all `elites` of them, as
// the reference sheet and the paper describe it.
//
// Seeds: iteration `seed` gives root = sim::Rng(seed); the batch is
// task.generate(batch_trials, root.next_u64()), the private-noise seed of the evaluation runs is
// root.next_u64(), and the mutations come from root.split(). The initial population: member 0
// is the network given to the constructor, members 1.. are fresh draws of its options (their own
// W, Win, Wout seeded from GeneticOptions::seed) sharing its tau, mask and sign.
//
// Trials: an iteration reports batch_trials trials (every member sees the same trials).

#include <cstdint>
#include <string>
#include <vector>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/training.hpp>

namespace neurode::rnn {

enum class Fitness {
    loss,   // -masked MSE on the batch (the reference)
    score,  // the task's score on the batch; ties broken by the loss
};

struct GeneticOptions {
    std::size_t population = 50;     // members per generation (20 in the reference's CDI scripts)
    std::size_t elites = 5;          // parents kept unchanged, in [1, population]
    double mutation_sd = 0.005;      // sd of the noise added to every mutated weight, > 0
    bool mutate_biases = false;      // also mutate b and bout (the reference's networks have none)
    std::size_t batch_trials = 500;  // trials per generation, > 0
    Fitness fitness = Fitness::loss;
    std::uint64_t seed = 1;          // draws members 1.. of the initial population

    void validate() const;  // throws invalid_parameter naming the field
};

class GeneticLearner final : public Learner {
public:
    // Validates both; throws invalid_parameter.
    GeneticLearner(RateNetwork network, GeneticOptions options = {});

    std::string name() const override { return "genetic"; }
    IterationResult iterate(const Task& task, std::uint64_t seed) override;
    // The best network's Euler run (private-noise seed 0).
    std::vector<double> outputs(const TrialBatch& batch) const override;
    // The population's trainable parameters, best(), the last fitnesses and the generation count.
    void save_state(sim::h5::Writer& out, const std::string& group) const override;
    void load_state(const sim::h5::Reader& in, const std::string& group) override;

    const GeneticOptions& options() const { return options_; }
    // The population that the next iterate() evaluates.
    const std::vector<RateNetwork>& population() const { return population_; }
    // The fittest member of the last evaluated generation (the initial network before any).
    const RateNetwork& best() const { return best_; }
    // Fitness of each member of the last evaluated generation, in that generation's order.
    const std::vector<double>& last_fitness() const { return fitness_; }
    std::size_t generations() const { return generations_; }

private:
    GeneticOptions options_;
    std::vector<RateNetwork> population_;
    RateNetwork best_;
    std::vector<double> fitness_;
    std::size_t generations_ = 0;
};

}  // namespace neurode::rnn
