#include "cpp_reference.h"

#include <cmath>
#include <limits>

#include <neurode/analysis/geometry.hpp>
#include <neurode/neurons/populations.hpp>
#include <neurode/rnn/bptt.hpp>
#include <neurode/rnn/rate_network_json.hpp>
#include <neurode/rnn/task_registry.hpp>
#include <neurode/sim/readout.hpp>

namespace sim = neurode::sim;

namespace {
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}

extern "C" size_t ref_network_cosim(const char* path, double t_stop, double host_spike_ms, double* spike_times,
                                    size_t* spike_cells, size_t capacity, double* v_end)
{
    try {
        namespace neurons = neurode::neurons;
        const neurons::NetworkDescription description = neurons::load_json(path);
        const neurons::BuiltNetwork network = neurons::build(description);
        neurons::NetworkSystem system(network.model);
        system.set_spike_source(1, {host_spike_ms});
        sim::SolverOptions options;
        options.linear_solver = sim::LinearSolver::klu;
        options.rtol = options.atol = 1e-8;
        sim::Simulation simulation(system, options);
        neurons::bind_bias(network, simulation);
        // Cell 0's clamp: 0.15 nA on [5, 50) ms, set at the 1 ms exchanges as the C host does.
        for (double t = 1; t <= t_stop; t += 1) {
            const double now = simulation.time();
            simulation.set_input("cell[0].iclamp[0]", sim::InputSignal::constant(now >= 5 && now < 50 ? 0.15 : 0.0));
            simulation.advance(t);
        }
        size_t count = 0;
        for (const sim::Event& e : simulation.events())
            if (e.direction > 0 && count < capacity) {
                spike_times[count] = e.time;
                spike_cells[count++] = system.detector_cell(e.root);
            }
        for (std::size_t c = 0; c < 2; ++c) v_end[c] = simulation.state()[system.voltage_index(c, {"soma", 0.5})];
        return count;
    } catch (...) {
        return static_cast<size_t>(-1);
    }
}

extern "C" double ref_rate_batch(const char* json, const char* task, size_t trials, uint64_t seed, double* states)
{
    try {
        const neurode::rnn::RateNetwork network(neurode::rnn::parse_rate_network_options(json, "json"));
        const auto t = neurode::rnn::make_task(task);
        const neurode::rnn::TrialBatch batch = t->generate(trials, seed);
        const neurode::rnn::NetworkRun run = network.run_euler(batch);
        std::copy(run.states.begin(), run.states.end(), states);
        return t->score(batch, run.outputs).value;
    } catch (...) {
        return std::numeric_limits<double>::quiet_NaN();
    }
}

extern "C" int ref_save_rate_network(const char* json, const char* path)
{
    try {
        neurode::rnn::RateNetwork(neurode::rnn::parse_rate_network_options(json, "json")).save(path);
        return 0;
    } catch (...) {
        return 1;
    }
}

extern "C" double ref_ridge(const double* features, const double* targets, size_t trials, size_t steps,
                            size_t feature_count, size_t output_count, double lambda, double* weights, double* bias)
{
    try {
        const std::size_t samples = trials * steps;
        sim::RidgeOptions options;
        options.lambda = lambda;
        const sim::RidgeFit fit = sim::fit_ridge({{features, samples * feature_count}, trials, steps, feature_count},
                                                 {{targets, samples * output_count}, trials, steps, output_count}, options);
        Eigen::Map<RowMajor>(weights, static_cast<Eigen::Index>(output_count), static_cast<Eigen::Index>(feature_count)) =
            fit.readout.weights;
        Eigen::Map<Eigen::VectorXd>(bias, static_cast<Eigen::Index>(output_count)) = fit.readout.bias;
        return fit.summary.r2;
    } catch (...) {
        return std::numeric_limits<double>::quiet_NaN();
    }
}

extern "C" double ref_cka_distance(const double* x, size_t x_columns, const double* y, size_t y_columns, size_t samples)
{
    try {
        const auto rows = static_cast<Eigen::Index>(samples);
        return neurode::analysis::cka_angular_distance(
            Eigen::Map<const RowMajor>(x, rows, static_cast<Eigen::Index>(x_columns)),
            Eigen::Map<const RowMajor>(y, rows, static_cast<Eigen::Index>(y_columns)));
    } catch (...) {
        return std::numeric_limits<double>::quiet_NaN();
    }
}

extern "C" int ref_train_bptt(const char* json, const char* task, double learning_rate, size_t batch_size, uint64_t seed,
                              size_t iterations, double* losses, size_t trials, uint64_t batch_seed, double* states)
{
    try {
        namespace rnn = neurode::rnn;
        rnn::BpttOptions options;
        options.adam.learning_rate = learning_rate;
        options.batch_size = batch_size;
        rnn::BpttLearner learner(rnn::RateNetwork(rnn::parse_rate_network_options(json, "json")), options);
        const auto t = rnn::make_task(task);
        rnn::TrainingOptions training;
        training.seed = seed;
        training.max_iterations = iterations;
        training.max_trials = 0;
        training.validation_trials = 8;            // validation does not change the learner;
        training.validate_every = iterations + 1;  // only iteration 0 is validated
        const rnn::TrainingHistory history = rnn::train(learner, *t, training);
        if (history.entries.size() != iterations) return 1;
        for (std::size_t i = 0; i < iterations; ++i) losses[i] = history.entries[i].loss;
        const rnn::NetworkRun run = learner.network().run_euler(t->generate(trials, batch_seed));
        std::copy(run.states.begin(), run.states.end(), states);
        return 0;
    } catch (...) {
        return 1;
    }
}
