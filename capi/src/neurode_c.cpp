// The C API: a thin boundary over the C++ API. Each entry point checks its pointers, runs the
// C++ call inside guarded(), which turns every exception into a status code and the context's
// last error message, and hands out views of memory the handles own.

#include <neurode/neurode.h>

#include <algorithm>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <neurode/analysis/geometry.hpp>
#include <neurode/neurons/populations.hpp>
#include <neurode/rnn/activation.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/rate_network_json.hpp>
#include <neurode/rnn/task_registry.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/text_file.hpp>
#include <neurode/sim/parallel.hpp>
#include <neurode/sim/random.hpp>
#include <neurode/sim/readout.hpp>
#include <neurode/sim/simulation.hpp>
#include <neurode/sim/version.hpp>

#include "learners.hpp"

namespace sim = neurode::sim;
namespace neurons = neurode::neurons;
namespace rnn = neurode::rnn;
namespace analysis = neurode::analysis;

struct neurode_context {
    neurode_logger logger = nullptr;
    void* logger_data = nullptr;
    std::uint64_t seed = 1;  // the last seed set: learners' runs start from it
    sim::Rng rng{1};
    std::size_t threads = 1;
    neurode_status last_status = NEURODE_OK;
    std::string last_message;

    void log(neurode_log_level level, const std::string& message) const
    {
        if (logger) logger(level, message.c_str(), logger_data);
    }
};

namespace {

// A failure the boundary itself detects (a NULL pointer, an index out of range).
struct Failure {
    neurode_status status;
    std::string message;
};

// Runs body; maps what it throws to a status and records the message, prefixed with the entry
// point's name, on the context.
template <class Body>
neurode_status guarded(neurode_context* context, const char* function, Body&& body) noexcept
{
    neurode_status status = NEURODE_OK;
    std::string message;
    try {
        body();
        return NEURODE_OK;
    } catch (const Failure& e) {
        status = e.status, message = e.message;
    } catch (const neurode::invalid_parameter& e) {
        status = NEURODE_INVALID_PARAMETER, message = e.what();
    } catch (const neurode::io_error& e) {
        status = NEURODE_IO_ERROR, message = e.what();
    } catch (const neurode::solver_error& e) {
        status = NEURODE_SOLVER_ERROR, message = e.what();
    } catch (const std::bad_alloc&) {
        status = NEURODE_OUT_OF_MEMORY, message = "out of memory";
    } catch (const neurode::runtime_error& e) {
        // Other runtime errors are bad input the C++ API could not classify further (a singular
        // ridge system, a file of the wrong kind).
        status = NEURODE_INVALID_PARAMETER, message = e.what();
    } catch (const std::exception& e) {
        status = NEURODE_INTERNAL_ERROR, message = e.what();
    } catch (...) {
        status = NEURODE_INTERNAL_ERROR, message = "unknown exception";
    }
    if (context) {
        try {
            context->last_status = status;
            context->last_message = std::string(function) + ": " + message;
            context->log(NEURODE_LOG_ERROR, context->last_message);
        } catch (...) {  // no memory left for the message: the status still says what happened
        }
    }
    return status;
}

void require(const void* pointer, const char* name)
{
    if (!pointer) throw Failure{NEURODE_NULL_ARGUMENT, std::string(name) + ": must not be NULL"};
}

neurode_context* context_of(neurode_context* context) { return context; }
template <class Handle>
neurode_context* context_of(const Handle* handle)
{
    return handle->context;
}

// guarded() for an entry point on a handle: failures go to the handle's context.
template <class Handle, class Body>
neurode_status guarded_on(Handle* handle, const char* name, const char* function, Body&& body) noexcept
{
    return guarded(handle ? context_of(handle) : nullptr, function, [&] {
        require(handle, name);
        body();
    });
}


// What a model handle owns; simulations share it, so a model may be freed before them.
struct ModelData {
    neurode_model_kind kind;
    neurons::NetworkDescription description;     // network
    neurons::BuiltNetwork network;               // network
    std::optional<rnn::RateNetwork> rate;        // rate model
};

std::shared_ptr<ModelData> model_from_json(const std::string& text, const std::string& source)
{
    // Both formats name themselves in "format"; the matching reader checks everything else.
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw neurode::io_error(source, "is not a JSON object");
    auto model = std::make_shared<ModelData>();
    if (doc.value("format", "") == "neurode-rate-network") {
        model->kind = NEURODE_MODEL_RATE;
        model->rate.emplace(rnn::parse_rate_network_options(text, source));
    } else {
        model->kind = NEURODE_MODEL_NETWORK;
        model->description = neurons::parse_json(text, source);
        model->network = neurons::build(model->description);
    }
    return model;
}

// A simulation's state; recorders share it, so a simulation may be freed before them.
struct SimulationData {
    std::shared_ptr<const ModelData> model;
    std::unique_ptr<sim::OdeSystem> system;
    neurons::NetworkSystem* network = nullptr;   // system, when the model is a network
    std::optional<sim::Simulation> simulation;
    std::vector<std::size_t> voltage_indices;    // per cell (network)
    std::size_t events_seen = 0;
    std::vector<double> spike_times;             // since the last advance
    std::vector<std::size_t> spike_cells;
    std::vector<double> values;                  // the last neurode_simulation_read() of voltages or rates
};

std::vector<std::size_t> cell_voltage_indices(const neurons::NetworkSystem& system, const neurons::NetworkModel& model)
{
    std::vector<std::size_t> indices;
    for (std::size_t c = 0; c < model.cells.size(); ++c) {
        const auto& detectors = model.cells[c].spike_detectors;
        indices.push_back(system.voltage_index(c, detectors.empty() ? neurons::Location{"soma", 0.5} : detectors.front()));
    }
    return indices;
}

sim::Probe quantity_probe(const SimulationData& s, const std::string& name, neurode_quantity quantity, double interval)
{
    switch (quantity) {
    case NEURODE_QUANTITY_STATE: {
        std::vector<std::size_t> all(s.system->size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        return sim::Probe::state(name, std::move(all), interval);
    }
    case NEURODE_QUANTITY_VOLTAGES:
        if (!s.network) throw Failure{NEURODE_WRONG_MODEL_KIND, "quantity: voltages need a network model"};
        return sim::Probe::state(name, s.voltage_indices, interval);
    case NEURODE_QUANTITY_RATES: {
        if (!s.model->rate) throw Failure{NEURODE_WRONG_MODEL_KIND, "quantity: rates need a rate model"};
        const rnn::Activation f = s.model->rate->options().activation;
        return sim::Probe::derived(
            name,
            [f](double, std::span<const double> y, std::span<double> out) {
                std::transform(y.begin(), y.end(), out.begin(), [f](double x) { return rnn::activate(f, x); });
            },
            s.system->size(), "", interval);
    }
    }
    throw Failure{NEURODE_OUT_OF_RANGE, "quantity: unknown quantity " + std::to_string(static_cast<int>(quantity))};
}

void collect_spikes(SimulationData& s)
{
    s.spike_times.clear();
    s.spike_cells.clear();
    const auto& events = s.simulation->events();
    for (; s.events_seen < events.size(); ++s.events_seen) {
        const sim::Event& e = events[s.events_seen];
        if (s.network && e.direction > 0) {
            s.spike_times.push_back(e.time);
            s.spike_cells.push_back(s.network->detector_cell(e.root));
        }
    }
}

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Eigen::MatrixXd samples_matrix(const double* values, std::size_t rows, std::size_t columns)
{
    return Eigen::Map<const RowMajor>(values, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));
}

}  // namespace

struct neurode_model {
    neurode_context* context;
    std::shared_ptr<const ModelData> data;
};

struct neurode_simulation {
    neurode_context* context;
    std::shared_ptr<SimulationData> data;
};

struct neurode_recorder {
    neurode_context* context;
    std::shared_ptr<const SimulationData> simulation;
    std::size_t index;  // of the recording in the simulation
};

struct neurode_task {
    neurode_context* context;
    std::shared_ptr<const rnn::Task> task;  // learners share it, so a task may be freed before them
};

struct neurode_batch {
    neurode_context* context;
    rnn::TrialBatch batch;
};

struct neurode_run {
    neurode_context* context;
    rnn::NetworkRun run;
};

struct neurode_readout {
    neurode_context* context;
    sim::RidgeFit fit;
    RowMajor weights;  // fit.readout.weights, row-major for the view
};

struct neurode_analysis {
    neurode_context* context;
    std::string metric;
    analysis::ShapeMetricOptions shape;
};

struct neurode_learner {
    neurode_context* context;
    std::shared_ptr<const rnn::Task> task;
    neurode::capi::LearnerSetup setup;
    std::uint64_t seed;           // the run's seed: iteration i draws from rnn::iteration_seed(seed, i)
    std::size_t iterations = 0;   // done so far
    std::vector<double> outputs;  // the last neurode_learner_outputs()
};

extern "C" {

unsigned neurode_abi_version(void) { return NEURODE_ABI_VERSION; }

const char* neurode_status_message(neurode_status status)
{
    switch (status) {
#define NEURODE_STATUS_CASE_(name, value, message) \
    case name:                                    \
        return message;
        NEURODE_STATUS_LIST(NEURODE_STATUS_CASE_)
#undef NEURODE_STATUS_CASE_
    }
    return "unknown status";
}

neurode_status neurode_version(const char** version)
{
    return guarded(nullptr, __func__, [&] {
        require(version, "version");
        *version = neurode::version().data();
    });
}

// ---- Context ----------------------------------------------------------------------------------

neurode_status neurode_context_create(neurode_context** context)
{
    return guarded(nullptr, __func__, [&] {
        require(context, "context");
        *context = new neurode_context;
    });
}

void neurode_context_free(neurode_context* context) { delete context; }

neurode_status neurode_context_set_logger(neurode_context* context, neurode_logger logger, void* user_data)
{
    return guarded_on(context, "context", __func__, [&] {
        context->logger = logger;
        context->logger_data = user_data;
    });
}

neurode_status neurode_context_set_seed(neurode_context* context, uint64_t seed)
{
    return guarded_on(context, "context", __func__, [&] {
        context->seed = seed;
        context->rng = sim::Rng(seed);
    });
}

neurode_status neurode_context_set_threads(neurode_context* context, size_t threads)
{
    return guarded_on(context, "context", __func__, [&] {
        context->threads = threads;
    });
}

neurode_status neurode_last_error(const neurode_context* context, neurode_status* status, const char** message)
{
    return guarded(nullptr, __func__, [&] {
        require(context, "context");
        require(status, "status");
        require(message, "message");
        *status = context->last_status;
        *message = context->last_message.c_str();
    });
}

// ---- Models -----------------------------------------------------------------------------------

neurode_status neurode_model_load(neurode_context* context, const char* path, neurode_model** model)
{
    return guarded_on(context, "context", __func__, [&] {
        require(path, "path");
        require(model, "model");
        const std::string file(path);
        std::shared_ptr<ModelData> data;
        if (file.ends_with(".h5")) {
            data = std::make_shared<ModelData>();
            data->kind = NEURODE_MODEL_RATE;
            data->rate.emplace(rnn::RateNetwork::load(file));
        } else {
            data = model_from_json(sim::read_text_file(file, "the model file"), file);
        }
        *model = new neurode_model{context, std::move(data)};
        context->log(NEURODE_LOG_INFO, "loaded model " + file);
    });
}

neurode_status neurode_model_parse(neurode_context* context, const char* json, neurode_model** model)
{
    return guarded_on(context, "context", __func__, [&] {
        require(json, "json");
        require(model, "model");
        *model = new neurode_model{context, model_from_json(json, "json")};
    });
}

void neurode_model_free(neurode_model* model) { delete model; }

neurode_status neurode_model_kind_of(const neurode_model* model, neurode_model_kind* kind)
{
    return guarded_on(model, "model", __func__, [&] {
        require(kind, "kind");
        *kind = model->data->kind;
    });
}

neurode_status neurode_model_size(const neurode_model* model, size_t* size)
{
    return guarded_on(model, "model", __func__, [&] {
        require(size, "size");
        *size = model->data->rate ? model->data->rate->units() : model->data->network.model.cells.size();
    });
}

// ---- Simulations ------------------------------------------------------------------------------

neurode_status neurode_simulation_create(const neurode_model* model, const char* method, double rtol, double atol,
                                         double dt, neurode_simulation** simulation)
{
    return guarded_on(model, "model", __func__, [&] {
        require(simulation, "simulation");
        auto data = std::make_shared<SimulationData>();
        data->model = model->data;
        sim::SolverOptions options;
        if (model->data->rate) {
            data->system = std::make_unique<rnn::RateOdeSystem>(*model->data->rate);
            options = rnn::RateNetwork::default_solver();
        } else {
            auto network = std::make_unique<neurons::NetworkSystem>(model->data->network.model);
            data->network = network.get();
            data->voltage_indices = cell_voltage_indices(*network, model->data->network.model);
            data->system = std::move(network);
            options.linear_solver = sim::LinearSolver::klu;
        }
        if (method) options.method = sim::parse_method(method);
        if (rtol > 0) options.rtol = rtol;
        if (atol > 0) options.atol = atol;
        if (dt > 0) options.dt = dt;
        data->simulation.emplace(*data->system, options);
        if (data->network) neurons::bind_bias(model->data->network, *data->simulation);
        *simulation = new neurode_simulation{model->context, std::move(data)};
    });
}

void neurode_simulation_free(neurode_simulation* simulation) { delete simulation; }

neurode_status neurode_simulation_time(const neurode_simulation* simulation, double* time)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        require(time, "time");
        *time = simulation->data->simulation->time();
    });
}

neurode_status neurode_simulation_input_count(const neurode_simulation* simulation, size_t* count)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        require(count, "count");
        *count = simulation->data->system->input_count();
    });
}

neurode_status neurode_simulation_input_index(const neurode_simulation* simulation, const char* name, size_t* index)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        require(name, "name");
        require(index, "index");
        const sim::OdeSystem& system = *simulation->data->system;
        for (std::size_t k = 0; k < system.input_count(); ++k)
            if (system.input_name(k) == name) {
                *index = k;
                return;
            }
        throw Failure{NEURODE_OUT_OF_RANGE, std::string("name: the model has no input '") + name + "'"};
    });
}

neurode_status neurode_simulation_set_input(neurode_simulation* simulation, size_t index, double value)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        const std::size_t inputs = simulation->data->system->input_count();
        if (index >= inputs)
            throw Failure{NEURODE_OUT_OF_RANGE, "index: " + std::to_string(index) + " is out of range (" +
                                                    std::to_string(inputs) + " inputs)"};
        simulation->data->simulation->set_input(index, sim::InputSignal::constant(value));
    });
}

neurode_status neurode_simulation_add_spikes(neurode_simulation* simulation, size_t source, const double* times,
                                             size_t count)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        if (count > 0) require(times, "times");
        SimulationData& s = *simulation->data;
        if (!s.network) throw Failure{NEURODE_WRONG_MODEL_KIND, "source: spikes need a network model"};
        s.network->append_source_spikes(source, std::span<const double>(times, count), s.simulation->time());
    });
}

namespace {
neurode_status advance(neurode_simulation* simulation, double t_stop, bool to_event, const char* function)
{
    return guarded_on(simulation, "simulation", function, [&] {
        SimulationData& s = *simulation->data;
        const sim::RunSummary summary = to_event ? s.simulation->advance_to_event(t_stop) : s.simulation->advance(t_stop);
        collect_spikes(s);
        if (simulation->context->logger)
            simulation->context->log(NEURODE_LOG_DEBUG, "advanced to " + std::to_string(s.simulation->time()) +
                                                            " ms: " + summary.brief());
    });
}
}  // namespace

neurode_status neurode_simulation_advance(neurode_simulation* simulation, double t_stop)
{
    return advance(simulation, t_stop, false, __func__);
}

neurode_status neurode_simulation_advance_to_event(neurode_simulation* simulation, double t_stop)
{
    return advance(simulation, t_stop, true, __func__);
}

neurode_status neurode_simulation_spikes(const neurode_simulation* simulation, const double** times,
                                         const size_t** cells, size_t* count)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        require(times, "times");
        require(cells, "cells");
        require(count, "count");
        const SimulationData& s = *simulation->data;
        *times = s.spike_times.data();
        *cells = s.spike_cells.data();
        *count = s.spike_times.size();
    });
}

neurode_status neurode_simulation_read(neurode_simulation* simulation, neurode_quantity quantity, const double** values,
                                       size_t* count)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        require(values, "values");
        require(count, "count");
        SimulationData& s = *simulation->data;
        const std::span<const double> y = s.simulation->state();
        if (quantity == NEURODE_QUANTITY_STATE) {
            *values = y.data();
            *count = y.size();
            return;
        }
        // Voltages and rates are not contiguous in (or not part of) the state: one copy each.
        const sim::Probe probe = quantity_probe(s, "read", quantity, 0);
        if (probe.observable) {
            s.values.resize(probe.observable_width);
            probe.observable(s.simulation->time(), y, s.values);
        } else {
            s.values.resize(probe.variables.size());
            for (std::size_t k = 0; k < probe.variables.size(); ++k) s.values[k] = y[probe.variables[k]];
        }
        *values = s.values.data();
        *count = s.values.size();
    });
}

neurode_status neurode_simulation_write_hdf5(const neurode_simulation* simulation, const char* path)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        require(path, "path");
        simulation->data->simulation->write_hdf5(path);
    });
}

// ---- Recorders --------------------------------------------------------------------------------

neurode_status neurode_recorder_create(neurode_simulation* simulation, const char* name, neurode_quantity quantity,
                                       double interval, neurode_recorder** recorder)
{
    return guarded_on(simulation, "simulation", __func__, [&] {
        require(name, "name");
        require(recorder, "recorder");
        SimulationData& s = *simulation->data;
        const std::size_t index = s.simulation->add_probe(quantity_probe(s, name, quantity, interval));
        *recorder = new neurode_recorder{simulation->context, simulation->data, index};
    });
}

void neurode_recorder_free(neurode_recorder* recorder) { delete recorder; }

neurode_status neurode_recorder_data(const neurode_recorder* recorder, const double** times, size_t* samples,
                                     const double** values, size_t* columns)
{
    return guarded_on(recorder, "recorder", __func__, [&] {
        require(times, "times");
        require(samples, "samples");
        require(values, "values");
        require(columns, "columns");
        const sim::Recording& r = recorder->simulation->simulation->recordings().at(recorder->index);
        *times = r.times.data();
        *samples = r.samples();
        *values = r.values.data();
        *columns = r.width();
    });
}

// ---- Tasks ------------------------------------------------------------------------------------

neurode_status neurode_task_create(neurode_context* context, const char* name, neurode_task** task)
{
    return guarded_on(context, "context", __func__, [&] {
        require(name, "name");
        require(task, "task");
        *task = new neurode_task{context, rnn::make_task(name)};
    });
}

void neurode_task_free(neurode_task* task) { delete task; }

neurode_status neurode_task_shape(const neurode_task* task, size_t* inputs, size_t* outputs, double* dt)
{
    return guarded_on(task, "task", __func__, [&] {
        require(inputs, "inputs");
        require(outputs, "outputs");
        require(dt, "dt");
        *inputs = task->task->input_size();
        *outputs = task->task->output_size();
        *dt = task->task->dt();
    });
}

neurode_status neurode_task_generate(const neurode_task* task, size_t trials, uint64_t seed, neurode_batch** batch)
{
    return guarded_on(task, "task", __func__, [&] {
        require(batch, "batch");
        *batch = new neurode_batch{task->context, task->task->generate(trials, seed)};
    });
}

neurode_status neurode_task_generate_next(const neurode_task* task, size_t trials, neurode_batch** batch)
{
    return guarded_on(task, "task", __func__, [&] {
        require(batch, "batch");
        *batch = new neurode_batch{task->context, task->task->generate(trials, task->context->rng.next_u64())};
    });
}

void neurode_batch_free(neurode_batch* batch) { delete batch; }

neurode_status neurode_batch_shape(const neurode_batch* batch, size_t* trials, size_t* steps, size_t* inputs,
                                   size_t* outputs)
{
    return guarded_on(batch, "batch", __func__, [&] {
        require(trials, "trials");
        require(steps, "steps");
        require(inputs, "inputs");
        require(outputs, "outputs");
        *trials = batch->batch.trials;
        *steps = batch->batch.steps;
        *inputs = batch->batch.input_size();
        *outputs = batch->batch.output_size();
    });
}

neurode_status neurode_batch_data(const neurode_batch* batch, const double** inputs, const double** targets,
                                  const double** mask)
{
    return guarded_on(batch, "batch", __func__, [&] {
        require(inputs, "inputs");
        require(targets, "targets");
        require(mask, "mask");
        *inputs = batch->batch.inputs.data();
        *targets = batch->batch.targets.data();
        *mask = batch->batch.mask.data();
    });
}

neurode_status neurode_model_run_batch(const neurode_model* model, const neurode_batch* batch, uint64_t noise_seed,
                                       neurode_run** run)
{
    return guarded_on(model, "model", __func__, [&] {
        require(batch, "batch");
        require(run, "run");
        if (!model->data->rate) throw Failure{NEURODE_WRONG_MODEL_KIND, "model: task batches run on rate models"};
        const rnn::RateNetwork& network = *model->data->rate;
        const rnn::TrialBatch& b = batch->batch;
        // One Euler run per trial, with noise seed noise_seed + trial, so that the result does
        // not depend on the number of threads.
        std::vector<rnn::NetworkRun> trials(b.trials);
        const std::size_t per_trial = b.steps * b.input_size();
        sim::parallel_for(b.trials, model->context->threads, [&](std::size_t trial) {
            trials[trial] = network.run_euler(std::span<const double>(b.inputs).subspan(trial * per_trial, per_trial), 1,
                                              b.steps, b.dt, noise_seed + trial);
        });
        auto handle = std::make_unique<neurode_run>(neurode_run{model->context, {}});
        rnn::NetworkRun& all = handle->run;
        all.trials = b.trials, all.steps = b.steps, all.units = network.units(), all.output_count = network.options().outputs;
        for (const rnn::NetworkRun& r : trials) {
            all.states.insert(all.states.end(), r.states.begin(), r.states.end());
            all.outputs.insert(all.outputs.end(), r.outputs.begin(), r.outputs.end());
        }
        *run = handle.release();
    });
}

void neurode_run_free(neurode_run* run) { delete run; }

neurode_status neurode_run_shape(const neurode_run* run, size_t* trials, size_t* steps, size_t* units, size_t* outputs)
{
    return guarded_on(run, "run", __func__, [&] {
        require(trials, "trials");
        require(steps, "steps");
        require(units, "units");
        require(outputs, "outputs");
        *trials = run->run.trials;
        *steps = run->run.steps;
        *units = run->run.units;
        *outputs = run->run.output_count;
    });
}

neurode_status neurode_run_data(const neurode_run* run, const double** states, const double** outputs)
{
    return guarded_on(run, "run", __func__, [&] {
        require(states, "states");
        require(outputs, "outputs");
        *states = run->run.states.data();
        *outputs = run->run.outputs.data();
    });
}

neurode_status neurode_task_score(const neurode_task* task, const neurode_batch* batch, const neurode_run* run,
                                  double* score)
{
    return guarded_on(task, "task", __func__, [&] {
        require(batch, "batch");
        require(run, "run");
        require(score, "score");
        *score = task->task->score(batch->batch, run->run.outputs).value;
    });
}

// ---- Readouts ---------------------------------------------------------------------------------

neurode_status neurode_readout_fit_ridge(neurode_context* context, const double* features, const double* targets,
                                         const double* weights, size_t trials, size_t steps, size_t feature_count,
                                         size_t output_count, double lambda, size_t warmup, neurode_readout** readout)
{
    return guarded_on(context, "context", __func__, [&] {
        require(features, "features");
        require(targets, "targets");
        require(readout, "readout");
        const std::size_t samples = trials * steps;
        const sim::Sequences x{{features, samples * feature_count}, trials, steps, feature_count};
        const sim::Sequences y{{targets, samples * output_count}, trials, steps, output_count};
        sim::RidgeOptions options;
        options.lambda = lambda;
        options.warmup = warmup;
        const std::span<const double> w = weights ? std::span<const double>(weights, samples * output_count)
                                                  : std::span<const double>();
        auto handle = std::make_unique<neurode_readout>(neurode_readout{context, sim::fit_ridge(x, y, options, w), {}});
        handle->weights = handle->fit.readout.weights;
        *readout = handle.release();
    });
}

void neurode_readout_free(neurode_readout* readout) { delete readout; }

neurode_status neurode_readout_r2(const neurode_readout* readout, double* r2)
{
    return guarded_on(readout, "readout", __func__, [&] {
        require(r2, "r2");
        *r2 = readout->fit.summary.r2;
    });
}

neurode_status neurode_readout_weights(const neurode_readout* readout, const double** weights, const double** bias,
                                       size_t* outputs, size_t* features)
{
    return guarded_on(readout, "readout", __func__, [&] {
        require(weights, "weights");
        require(bias, "bias");
        require(outputs, "outputs");
        require(features, "features");
        *weights = readout->weights.data();
        *bias = readout->fit.readout.bias.data();
        *outputs = readout->fit.readout.outputs();
        *features = readout->fit.readout.features();
    });
}

neurode_status neurode_readout_predict(const neurode_readout* readout, const double* features, size_t trials,
                                       size_t steps, double* out)
{
    return guarded_on(readout, "readout", __func__, [&] {
        require(features, "features");
        require(out, "out");
        const sim::LinearReadout& r = readout->fit.readout;
        const std::vector<double> y =
            r.predict(sim::Sequences{{features, trials * steps * r.features()}, trials, steps, r.features()});
        std::copy(y.begin(), y.end(), out);
    });
}

// ---- Learners ---------------------------------------------------------------------------------

neurode_status neurode_learner_create(neurode_context* context, const neurode_model* model, const neurode_task* task,
                                      const char* name, const char* options, neurode_learner** learner)
{
    return guarded_on(context, "context", __func__, [&] {
        require(model, "model");
        require(task, "task");
        require(name, "name");
        require(learner, "learner");
        if (!model->data->rate) throw Failure{NEURODE_WRONG_MODEL_KIND, "model: learners train rate models"};
        const rnn::RateNetwork& network = *model->data->rate;
        const rnn::Task& t = *task->task;
        if (network.options().inputs != t.input_size() || network.options().outputs != t.output_size())
            throw neurode::invalid_parameter(
                "model", "has " + std::to_string(network.options().inputs) + " inputs and " +
                             std::to_string(network.options().outputs) + " outputs, task '" + t.name() + "' " +
                             std::to_string(t.input_size()) + " and " + std::to_string(t.output_size()));
        *learner = new neurode_learner{context, task->task,
                                       neurode::capi::make_learner(name, network, options ? options : ""),
                                       context->seed, 0, {}};
    });
}

void neurode_learner_free(neurode_learner* learner) { delete learner; }

neurode_status neurode_learner_train(neurode_learner* learner, size_t iterations, double* loss)
{
    return guarded_on(learner, "learner", __func__, [&] {
        require(loss, "loss");
        if (iterations == 0) throw neurode::invalid_parameter("iterations", "must be > 0");
        // rnn::train's seeding, continued across calls; no validation, no stopping criterion.
        for (std::size_t i = 0; i < iterations; ++i, ++learner->iterations)
            *loss = learner->setup.learner->iterate(*learner->task, rnn::iteration_seed(learner->seed, learner->iterations)).loss;
        if (learner->context->logger)
            learner->context->log(NEURODE_LOG_DEBUG, learner->setup.learner->name() + ": iteration " +
                                                          std::to_string(learner->iterations) + ", loss " +
                                                          std::to_string(*loss));
    });
}

neurode_status neurode_learner_iterations(const neurode_learner* learner, size_t* iterations)
{
    return guarded_on(learner, "learner", __func__, [&] {
        require(iterations, "iterations");
        *iterations = learner->iterations;
    });
}

neurode_status neurode_learner_model(const neurode_learner* learner, neurode_model** model)
{
    return guarded_on(learner, "learner", __func__, [&] {
        require(model, "model");
        const rnn::RateNetwork* network = learner->setup.network();
        if (!network)
            throw Failure{NEURODE_WRONG_MODEL_KIND, "learner: " + learner->setup.learner->name() +
                                                        " runs its network with the output fed back; use "
                                                        "neurode_learner_outputs"};
        auto data = std::make_shared<ModelData>();
        data->kind = NEURODE_MODEL_RATE;
        data->rate.emplace(*network);
        *model = new neurode_model{learner->context, std::move(data)};
    });
}

neurode_status neurode_learner_outputs(neurode_learner* learner, const neurode_batch* batch, const double** outputs,
                                       size_t* count)
{
    return guarded_on(learner, "learner", __func__, [&] {
        require(batch, "batch");
        require(outputs, "outputs");
        require(count, "count");
        learner->outputs = learner->setup.learner->outputs(batch->batch);
        *outputs = learner->outputs.data();
        *count = learner->outputs.size();
    });
}

neurode_status neurode_learner_score(const neurode_learner* learner, const neurode_batch* batch, double* score)
{
    return guarded_on(learner, "learner", __func__, [&] {
        require(batch, "batch");
        require(score, "score");
        *score = learner->task->score(batch->batch, learner->setup.learner->outputs(batch->batch)).value;
    });
}

// ---- Analyses ---------------------------------------------------------------------------------

neurode_status neurode_analysis_create(neurode_context* context, const char* metric, neurode_analysis** analysis)
{
    return guarded_on(context, "context", __func__, [&] {
        require(metric, "metric");
        require(analysis, "analysis");
        const std::string name(metric);
        if (name != "cka" && name != "procrustes" && name != "shape")
            throw neurode::invalid_parameter("metric", "unknown metric '" + name + "' (cka, procrustes, shape)");
        *analysis = new neurode_analysis{context, name, {}};
    });
}

void neurode_analysis_free(neurode_analysis* analysis) { delete analysis; }

neurode_status neurode_analysis_set_option(neurode_analysis* analysis, const char* name, double value)
{
    return guarded_on(analysis, "analysis", __func__, [&] {
        require(name, "name");
        if (analysis->metric != "shape" || std::string(name) != "alpha")
            throw neurode::invalid_parameter(name, "is not an option of metric '" + analysis->metric + "'");
        analysis::ShapeMetricOptions options = analysis->shape;
        options.alpha = value;
        options.validate();
        analysis->shape = options;
    });
}

neurode_status neurode_analysis_distance(const neurode_analysis* analysis, const double* x, size_t x_columns,
                                         const double* y, size_t y_columns, size_t samples, double* distance)
{
    return guarded_on(analysis, "analysis", __func__, [&] {
        require(x, "x");
        require(y, "y");
        require(distance, "distance");
        const Eigen::MatrixXd a = samples_matrix(x, samples, x_columns), b = samples_matrix(y, samples, y_columns);
        if (analysis->metric == "cka") *distance = analysis::cka_angular_distance(a, b);
        else if (analysis->metric == "procrustes") *distance = analysis::procrustes_distance(a, b);
        else *distance = analysis::shape_distance(a, b, analysis->shape);
    });
}

}  // extern "C"
