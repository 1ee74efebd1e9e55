/* neurode's C API: a stable C99 interface for simulators and scripts in other languages.
 *
 * Handles are opaque and come in create/free pairs; free functions accept NULL. The library owns
 * all memory it hands out: arrays come back as pointer + length views, valid until the next call
 * that changes the handle (advance, set_*, generate, free); copy what must live longer.
 * Every function that can fail returns a neurode_status; on failure the context the handle
 * belongs to keeps a message naming the field, cell or time at fault (neurode_last_error).
 * No function aborts, exits or prints: messages go to the context's logger, if one is set.
 * Threads: a context and the handles made with it are used by one thread at a time; give each
 * host thread its own context.
 *
 * Units are NEURON's: ms, mV, nA, uS. Arrays of sequences are row-major [trials][steps][channels];
 * sample matrices are row-major [samples][columns].
 *
 * Co-simulation: create a simulation, then repeatedly set inputs (clamp currents, rate inputs,
 * spikes into spike sources), neurode_simulation_advance() to the next exchange time, and read
 * the spikes since the last call, the voltages or rates, and the recordings.
 */
#ifndef NEURODE_NEURODE_H
#define NEURODE_NEURODE_H

#include <stddef.h>
#include <stdint.h>

#include <neurode/neurode_export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* NEURODE_ABI_VERSION (in neurode_export.h, generated from capi/CMakeLists.txt) is the ABI version
 * this header describes. A host checks neurode_abi_version() == NEURODE_ABI_VERSION when it loads
 * the library; the number grows whenever a signature or an enum changes incompatibly. */

/* Status codes and their messages: one list. */
#define NEURODE_STATUS_LIST(X)                                                                          \
    X(NEURODE_OK, 0, "success")                                                                         \
    X(NEURODE_NULL_ARGUMENT, 1, "a required pointer argument is NULL")                                  \
    X(NEURODE_OUT_OF_RANGE, 2, "an index or name does not exist")                                      \
    X(NEURODE_INVALID_PARAMETER, 3, "a parameter or description violates a constraint")                 \
    X(NEURODE_IO_ERROR, 4, "a file could not be read or written")                                       \
    X(NEURODE_SOLVER_ERROR, 5, "the integrator could not proceed")                                      \
    X(NEURODE_WRONG_MODEL_KIND, 6, "the operation does not apply to this kind of model")                \
    X(NEURODE_OUT_OF_MEMORY, 7, "out of memory")                                                        \
    X(NEURODE_INTERNAL_ERROR, 8, "internal error in neurode (please report it)")

typedef enum neurode_status {
#define NEURODE_STATUS_ENUM_(name, value, message) name = value,
    NEURODE_STATUS_LIST(NEURODE_STATUS_ENUM_)
#undef NEURODE_STATUS_ENUM_
} neurode_status;

typedef enum neurode_log_level { NEURODE_LOG_DEBUG = 0, NEURODE_LOG_INFO = 1, NEURODE_LOG_ERROR = 2 } neurode_log_level;

typedef enum neurode_model_kind {
    NEURODE_MODEL_NETWORK = 0, /* biophysical network (neurons/populations.hpp description) */
    NEURODE_MODEL_RATE = 1     /* rate RNN (rnn/rate_network.hpp) */
} neurode_model_kind;

typedef enum neurode_quantity {
    NEURODE_QUANTITY_STATE = 0,    /* every state variable */
    NEURODE_QUANTITY_VOLTAGES = 1, /* network: each cell's first spike-detector (else soma) voltage [mV] */
    NEURODE_QUANTITY_RATES = 2     /* rate model: r = f(x) per unit */
} neurode_quantity;

typedef struct neurode_context neurode_context;
typedef struct neurode_model neurode_model;
typedef struct neurode_simulation neurode_simulation;
typedef struct neurode_recorder neurode_recorder;
typedef struct neurode_task neurode_task;
typedef struct neurode_batch neurode_batch;
typedef struct neurode_run neurode_run;
typedef struct neurode_readout neurode_readout;
typedef struct neurode_analysis neurode_analysis;
typedef struct neurode_learner neurode_learner;

typedef void (*neurode_logger)(neurode_log_level level, const char* message, void* user_data);

/* ---- Versions and status --------------------------------------------------------------------- */

/* These two cannot fail and so return their value directly. */
NEURODE_EXPORT unsigned neurode_abi_version(void);
/* The message of a status code ("unknown status" for a value not in the list). */
NEURODE_EXPORT const char* neurode_status_message(neurode_status status);
/* The library version "MAJOR.MINOR.PATCH" (CMakeLists.txt's project version). */
NEURODE_EXPORT neurode_status neurode_version(const char** version);

/* ---- Context: logger, seed, threads, last error ---------------------------------------------- */

/* Seed 1, one thread, no logger. A context must outlive every handle made with it. */
NEURODE_EXPORT neurode_status neurode_context_create(neurode_context** context);
NEURODE_EXPORT void neurode_context_free(neurode_context* context);
NEURODE_EXPORT neurode_status neurode_context_set_logger(neurode_context* context, neurode_logger logger, void* user_data);
/* Seeds the context's generator: batches drawn without an explicit seed take the next seeds from
 * it; learners created from now on train with this seed. */
NEURODE_EXPORT neurode_status neurode_context_set_seed(neurode_context* context, uint64_t seed);
/* Threads for work over independent items (trials of a batch); 0: one per core. */
NEURODE_EXPORT neurode_status neurode_context_set_threads(neurode_context* context, size_t threads);
/* The last failure's status and message on this context (NEURODE_OK and "" when none). The
 * message stays valid until the next failing call on the context. */
NEURODE_EXPORT neurode_status neurode_last_error(const neurode_context* context, neurode_status* status, const char** message);

/* ---- Models ----------------------------------------------------------------------------------- */

/* A model from a file: a JSON description (format "neurode-network" or "neurode-rate-network")
 * or a rate network's HDF5 file (RateNetwork::save). */
NEURODE_EXPORT neurode_status neurode_model_load(neurode_context* context, const char* path, neurode_model** model);
/* A model from JSON text of either format. */
NEURODE_EXPORT neurode_status neurode_model_parse(neurode_context* context, const char* json, neurode_model** model);
NEURODE_EXPORT void neurode_model_free(neurode_model* model);
NEURODE_EXPORT neurode_status neurode_model_kind_of(const neurode_model* model, neurode_model_kind* kind);
/* Cells (network) or units (rate model). */
NEURODE_EXPORT neurode_status neurode_model_size(const neurode_model* model, size_t* size);

/* ---- Simulations ------------------------------------------------------------------------------ */

/* method: NULL for the model's default (CVODE BDF with KLU for networks, the rate network's
 * default solver), else a name of sim::parse_method ("cvode_bdf", "rk4", "staggered_euler", ...);
 * rtol/atol <= 0 keep the defaults; dt [ms] is the fixed-step methods' step (<= 0: default).
 * A network's population biases are bound at creation. */
NEURODE_EXPORT neurode_status neurode_simulation_create(const neurode_model* model, const char* method, double rtol,
                                                        double atol, double dt, neurode_simulation** simulation);
NEURODE_EXPORT void neurode_simulation_free(neurode_simulation* simulation);
NEURODE_EXPORT neurode_status neurode_simulation_time(const neurode_simulation* simulation, double* time);

/* Inputs, held constant from now on until set again. Networks: clamp currents [nA], inputs
 * named "cell[c].iclamp[k]" ("iclamp[k]" in a one-cell model); rate models: input "u[k]". */
NEURODE_EXPORT neurode_status neurode_simulation_input_count(const neurode_simulation* simulation, size_t* count);
NEURODE_EXPORT neurode_status neurode_simulation_input_index(const neurode_simulation* simulation, const char* name,
                                                             size_t* index);
NEURODE_EXPORT neurode_status neurode_simulation_set_input(neurode_simulation* simulation, size_t index, double value);
/* Synaptic drive from the host (network with Poisson drives): spikes [ms], sorted, not before the
 * current time, into spike source `source` (the drives' trains in description order); delivered
 * through the drive's synapses after their delay. */
NEURODE_EXPORT neurode_status neurode_simulation_add_spikes(neurode_simulation* simulation, size_t source,
                                                            const double* times, size_t count);

/* Integrate to t_stop [ms] (>= the current time). */
NEURODE_EXPORT neurode_status neurode_simulation_advance(neurode_simulation* simulation, double t_stop);
/* The same, but return at the first spike before t_stop, if any; neurode_simulation_time() says where. */
NEURODE_EXPORT neurode_status neurode_simulation_advance_to_event(neurode_simulation* simulation, double t_stop);

/* Spikes found by the last advance: times [ms] and cells, in time order (network models;
 * a rate model has none). Views valid until the next advance. */
NEURODE_EXPORT neurode_status neurode_simulation_spikes(const neurode_simulation* simulation, const double** times,
                                                        const size_t** cells, size_t* count);
/* The current value of a quantity; STATE is a view of the integrator's state itself (no copy).
 * Views valid until the next advance or set call. */
NEURODE_EXPORT neurode_status neurode_simulation_read(neurode_simulation* simulation, neurode_quantity quantity,
                                                      const double** values, size_t* count);
/* Every recording, the events and the summary to an HDF5 file (docs/hdf5-layout.md). */
NEURODE_EXPORT neurode_status neurode_simulation_write_hdf5(const neurode_simulation* simulation, const char* path);

/* ---- Recorders -------------------------------------------------------------------------------- */

/* Records a quantity every `interval` [ms] (0: after every step) from the current time on. */
NEURODE_EXPORT neurode_status neurode_recorder_create(neurode_simulation* simulation, const char* name,
                                                      neurode_quantity quantity, double interval,
                                                      neurode_recorder** recorder);
/* Frees the handle; the simulation keeps recording (its HDF5 file still holds the recording). */
NEURODE_EXPORT void neurode_recorder_free(neurode_recorder* recorder);
/* Everything recorded so far: times [samples] and values [samples][columns]. Views valid until
 * the next advance of the simulation. */
NEURODE_EXPORT neurode_status neurode_recorder_data(const neurode_recorder* recorder, const double** times,
                                                    size_t* samples, const double** values, size_t* columns);

/* ---- Tasks and trial batches ------------------------------------------------------------------ */

/* A task by name (rnn/task_registry.hpp; `neurode tasks` lists them). */
NEURODE_EXPORT neurode_status neurode_task_create(neurode_context* context, const char* name, neurode_task** task);
NEURODE_EXPORT void neurode_task_free(neurode_task* task);
NEURODE_EXPORT neurode_status neurode_task_shape(const neurode_task* task, size_t* inputs, size_t* outputs, double* dt);
/* `trials` trials drawn from `seed` (the same seed gives the same batch). */
NEURODE_EXPORT neurode_status neurode_task_generate(const neurode_task* task, size_t trials, uint64_t seed,
                                                    neurode_batch** batch);
/* The same with the next seed from the context's generator. */
NEURODE_EXPORT neurode_status neurode_task_generate_next(const neurode_task* task, size_t trials, neurode_batch** batch);
NEURODE_EXPORT void neurode_batch_free(neurode_batch* batch);
NEURODE_EXPORT neurode_status neurode_batch_shape(const neurode_batch* batch, size_t* trials, size_t* steps,
                                                  size_t* inputs, size_t* outputs);
/* Views [trials][steps][inputs], [trials][steps][outputs] (targets and mask); valid until the batch is freed. */
NEURODE_EXPORT neurode_status neurode_batch_data(const neurode_batch* batch, const double** inputs,
                                                 const double** targets, const double** mask);

/* A rate model on a batch (the Euler map the papers train, one step per batch step, private
 * noise from noise_seed), trials spread over the context's threads. */
NEURODE_EXPORT neurode_status neurode_model_run_batch(const neurode_model* model, const neurode_batch* batch,
                                                      uint64_t noise_seed, neurode_run** run);
NEURODE_EXPORT void neurode_run_free(neurode_run* run);
NEURODE_EXPORT neurode_status neurode_run_shape(const neurode_run* run, size_t* trials, size_t* steps, size_t* units,
                                                size_t* outputs);
/* Views [trials][steps][units] of states x and [trials][steps][outputs] of outputs y; valid until the run is freed. */
NEURODE_EXPORT neurode_status neurode_run_data(const neurode_run* run, const double** states, const double** outputs);
/* The task's score of the run's outputs on the batch (accuracy, r2, ...: the task's own measure). */
NEURODE_EXPORT neurode_status neurode_task_score(const neurode_task* task, const neurode_batch* batch,
                                                 const neurode_run* run, double* score);

/* ---- Trained readouts (ridge regression, libsim/readout.hpp) ---------------------------------- */

/* Fits y = W x + b to features [trials][steps][features] and targets [trials][steps][outputs];
 * weights: NULL or one per sample and output (a batch's mask); lambda >= 0 the ridge penalty,
 * the first `warmup` steps of each trial dropped. */
NEURODE_EXPORT neurode_status neurode_readout_fit_ridge(neurode_context* context, const double* features,
                                                        const double* targets, const double* weights, size_t trials,
                                                        size_t steps, size_t feature_count, size_t output_count,
                                                        double lambda, size_t warmup, neurode_readout** readout);
NEURODE_EXPORT void neurode_readout_free(neurode_readout* readout);
/* R^2 on the data it was fitted to. */
NEURODE_EXPORT neurode_status neurode_readout_r2(const neurode_readout* readout, double* r2);
/* Weights [outputs][features] (row-major) and bias [outputs]; views valid until freed. */
NEURODE_EXPORT neurode_status neurode_readout_weights(const neurode_readout* readout, const double** weights,
                                                      const double** bias, size_t* outputs, size_t* features);
/* Predictions [trials][steps][outputs] into `out` (the caller's array of that size). */
NEURODE_EXPORT neurode_status neurode_readout_predict(const neurode_readout* readout, const double* features,
                                                      size_t trials, size_t steps, double* out);

/* ---- Learners (rnn/training.hpp): a rate model trained on a task ------------------------------ */

/* A learner that trains a copy of a rate model on a task (the model and the task may be freed
 * first). name: "bptt" (BPTT with Adam, rnn/bptt.hpp), "force", "full_force" (the model is the
 * target-generating network), "reservoir_readout" (rnn/force.hpp), "hebbian" (reward-modulated
 * Hebbian node perturbation, rnn/hebbian.hpp), "genetic" (rnn/genetic.hpp). options: NULL (every
 * default) or a JSON object whose keys are the fields of the learner's options struct, times
 * with their unit ("dt_ms"), enums by name, e.g. {"learning_rate": 0.01, "batch_size": 16}
 * (bptt: the AdamOptions fields too; reservoir_readout: "lambda", "warmup_steps", "bias",
 * "trials_per_iteration"). An unknown key fails with NEURODE_INVALID_PARAMETER naming it; a
 * biophysical model with NEURODE_WRONG_MODEL_KIND. The run's seed is the context's seed now. */
NEURODE_EXPORT neurode_status neurode_learner_create(neurode_context* context, const neurode_model* model,
                                                     const neurode_task* task, const char* name,
                                                     const char* options, neurode_learner** learner);
NEURODE_EXPORT void neurode_learner_free(neurode_learner* learner);
/* `iterations` (> 0) more learning iterations. Iteration i draws its trials and noise from
 * rnn::iteration_seed(seed, i), numbering continued across calls, so that calls of 10 and 20
 * iterations equal one of 30 and rnn::train() with max_iterations 30 (no validation or stopping
 * criterion here). loss: the last iteration's training loss, the learner's own measure (masked
 * MSE; hebbian: the mean masked |error|; genetic: the fittest member's). */
NEURODE_EXPORT neurode_status neurode_learner_train(neurode_learner* learner, size_t iterations, double* loss);
NEURODE_EXPORT neurode_status neurode_learner_iterations(const neurode_learner* learner, size_t* iterations);
/* The trained network as a new rate model (run it, simulate it, learn from it again); genetic:
 * the fittest member. "force" fails with NEURODE_WRONG_MODEL_KIND: its network runs with the
 * output fed back, so use neurode_learner_outputs / _score. */
NEURODE_EXPORT neurode_status neurode_learner_model(const neurode_learner* learner, neurode_model** model);
/* The trained system's outputs on a batch without learning or noise (rnn::Learner::outputs),
 * [trials][steps][outputs]; a view valid until the next call on the learner. */
NEURODE_EXPORT neurode_status neurode_learner_outputs(neurode_learner* learner, const neurode_batch* batch,
                                                      const double** outputs, size_t* count);
/* The task's score of those outputs. */
NEURODE_EXPORT neurode_status neurode_learner_score(const neurode_learner* learner, const neurode_batch* batch,
                                                    double* score);

/* ---- Analyses: distances between two activity sets (analysis/geometry.hpp) -------------------- */

/* metric: "cka" (arccos of linear CKA), "procrustes", "shape" (option "alpha" in [0, 1]). */
NEURODE_EXPORT neurode_status neurode_analysis_create(neurode_context* context, const char* metric,
                                                      neurode_analysis** analysis);
NEURODE_EXPORT void neurode_analysis_free(neurode_analysis* analysis);
NEURODE_EXPORT neurode_status neurode_analysis_set_option(neurode_analysis* analysis, const char* name, double value);
/* Distance between x [samples][x_columns] and y [samples][y_columns], the same samples in the same order. */
NEURODE_EXPORT neurode_status neurode_analysis_distance(const neurode_analysis* analysis, const double* x,
                                                        size_t x_columns, const double* y, size_t y_columns,
                                                        size_t samples, double* distance);

#ifdef __cplusplus
}
#endif

#endif /* NEURODE_NEURODE_H */
