/* The C API from a plain C99 program: builds models, runs them, and checks every result against
 * the same computation through the C++ API (cpp_reference.h), or against a closed form; then the
 * error paths. Usage: capi_test DATA_DIR SCRATCH.h5 (a file it may write).
 * Prints "capi: all N checks passed" on success. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <neurode/neurode.h>

#include "cpp_reference.h"

static int checks = 0, failures = 0;

#define CHECK(condition)                                                                  \
    do {                                                                                  \
        ++checks;                                                                         \
        if (!(condition)) {                                                               \
            ++failures;                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
        }                                                                                 \
    } while (0)

#define CHECK_STATUS(call, expected)                                                                      \
    do {                                                                                                  \
        const neurode_status status_ = (call);                                                            \
        ++checks;                                                                                         \
        if (status_ != (expected)) {                                                                      \
            ++failures;                                                                                   \
            fprintf(stderr, "%s:%d: %s returned %d (%s), expected %s\n", __FILE__, __LINE__, #call,       \
                    (int)status_, neurode_status_message(status_), #expected);                             \
        }                                                                                                 \
    } while (0)

/* The host's side of the co-simulation, shared with cpp_reference.cpp's scenario. */
static const double T_STOP = 60.0;         /* [ms] */
static const double HOST_SPIKE_MS = 20.5;  /* [ms] a spike the host sends into source 1 */
enum { MAX_SPIKES = 64 };

static double cosim_current(double now) { return now >= 5 && now < 50 ? 0.15 : 0.0; } /* [nA] */

static const char* last_message(const neurode_context* context)
{
    neurode_status status;
    const char* message = "";
    neurode_last_error(context, &status, &message);
    return message;
}

static int log_calls = 0;
static void count_logs(neurode_log_level level, const char* message, void* user_data)
{
    (void)level, (void)message, (void)user_data;
    ++log_calls;
}

static void test_versions(void)
{
    const char* version = NULL;
    CHECK(neurode_abi_version() == NEURODE_ABI_VERSION);
    CHECK_STATUS(neurode_version(&version), NEURODE_OK);
    CHECK(version && strcmp(version, NEURODE_TEST_PROJECT_VERSION) == 0);
    CHECK(strcmp(neurode_status_message(NEURODE_OK), "success") == 0);
    CHECK(strcmp(neurode_status_message((neurode_status)999), "unknown status") == 0);
}

/* Two hh somas coupled by AMPA synapses, stepped every 1 ms: the clamp current of cell 0 set
 * between calls, a spike sent into spike source 1 during the run, spikes read after each call. */
static void test_network_cosimulation(neurode_context* context, const char* data_dir)
{
    char path[1024];
    neurode_model* model = NULL;
    neurode_simulation* simulation = NULL;
    neurode_recorder* recorder = NULL;
    neurode_model_kind kind;
    size_t cells = 0, input = 0, spike_count = 0, n = 0, k;
    double spike_times[MAX_SPIKES], ref_times[MAX_SPIKES], ref_v[2];
    size_t spike_cells[MAX_SPIKES], ref_cells[MAX_SPIKES], ref_count;
    const double* times;
    const size_t* which;
    const double* values;
    const double *rec_times, *rec_values;
    size_t samples = 0, columns = 0;
    double t;

    snprintf(path, sizeof path, "%s/two_cells.json", data_dir);
    CHECK_STATUS(neurode_model_load(context, path, &model), NEURODE_OK);
    CHECK_STATUS(neurode_model_kind_of(model, &kind), NEURODE_OK);
    CHECK(kind == NEURODE_MODEL_NETWORK);
    CHECK_STATUS(neurode_model_size(model, &cells), NEURODE_OK);
    CHECK(cells == 2);
    CHECK_STATUS(neurode_simulation_create(model, NULL, 1e-8, 1e-8, 0, &simulation), NEURODE_OK);
    neurode_model_free(model); /* the simulation keeps what it needs */
    CHECK_STATUS(neurode_simulation_input_index(simulation, "cell[0].iclamp[0]", &input), NEURODE_OK);
    CHECK_STATUS(neurode_recorder_create(simulation, "v", NEURODE_QUANTITY_VOLTAGES, 1.0, &recorder), NEURODE_OK);

    for (t = 1; t <= T_STOP; t += 1) {
        double now = 0;
        CHECK_STATUS(neurode_simulation_time(simulation, &now), NEURODE_OK);
        CHECK_STATUS(neurode_simulation_set_input(simulation, input, cosim_current(now)), NEURODE_OK);
        if (now == 20.0) CHECK_STATUS(neurode_simulation_add_spikes(simulation, 1, &HOST_SPIKE_MS, 1), NEURODE_OK);
        CHECK_STATUS(neurode_simulation_advance(simulation, t), NEURODE_OK);
        CHECK_STATUS(neurode_simulation_spikes(simulation, &times, &which, &n), NEURODE_OK);
        for (k = 0; k < n && spike_count < MAX_SPIKES; ++k, ++spike_count) {
            CHECK(times[k] > t - 1 && times[k] <= t); /* only the spikes of this call */
            spike_times[spike_count] = times[k];
            spike_cells[spike_count] = which[k];
        }
    }

    ref_count = ref_network_cosim(path, T_STOP, HOST_SPIKE_MS, ref_times, ref_cells, MAX_SPIKES, ref_v);
    CHECK(ref_count == spike_count);
    CHECK(spike_count >= 3); /* the clamp makes cell 0 fire repeatedly */
    for (k = 0; k < spike_count && k < ref_count; ++k) {
        CHECK(fabs(spike_times[k] - ref_times[k]) < 1e-9);
        CHECK(spike_cells[k] == ref_cells[k]);
    }
    CHECK_STATUS(neurode_simulation_read(simulation, NEURODE_QUANTITY_VOLTAGES, &values, &n), NEURODE_OK);
    CHECK(n == 2);
    CHECK(n == 2 && fabs(values[0] - ref_v[0]) < 1e-9 && fabs(values[1] - ref_v[1]) < 1e-9);
    CHECK_STATUS(neurode_recorder_data(recorder, &rec_times, &samples, &rec_values, &columns), NEURODE_OK);
    CHECK(samples == 61 && columns == 2);
    CHECK(samples == 61 && fabs(rec_times[60] - T_STOP) < 1e-12 && rec_values[120] == values[0]);
    CHECK_STATUS(neurode_simulation_read(simulation, NEURODE_QUANTITY_STATE, &values, &n), NEURODE_OK);
    CHECK(n > 2);

    /* Advancing to an event returns at the next spike, before t_stop. */
    CHECK_STATUS(neurode_simulation_set_input(simulation, input, 0.3), NEURODE_OK);
    CHECK_STATUS(neurode_simulation_advance_to_event(simulation, T_STOP + 100), NEURODE_OK);
    CHECK_STATUS(neurode_simulation_time(simulation, &t), NEURODE_OK);
    CHECK_STATUS(neurode_simulation_spikes(simulation, &times, &which, &n), NEURODE_OK);
    CHECK(n == 1 && t < T_STOP + 100 && times[0] == t);

    neurode_simulation_free(simulation);
    /* A recorder outlives its simulation. */
    CHECK_STATUS(neurode_recorder_data(recorder, &rec_times, &samples, &rec_values, &columns), NEURODE_OK);
    neurode_recorder_free(recorder);
}

/* A rate network on a task batch, its task score, a ridge readout of its states, and the CKA
 * distance between two activity sets. */
static void test_rate_task_readout_analysis(neurode_context* context, const char* h5_path)
{
    static const char* task_name = "perceptual_decision_making";
    enum { TRIALS = 8 };
    const uint64_t seed = 11;
    char json[512];
    neurode_task* task = NULL;
    neurode_batch* batch = NULL;
    neurode_model* model = NULL;
    neurode_run* run = NULL;
    neurode_readout* readout = NULL;
    neurode_analysis* analysis = NULL;
    size_t inputs, outputs, trials, steps, units, out_count, batch_inputs, batch_outputs, run_trials, run_steps, i, j;
    double dt, score = 0, ref_score, max_difference = 0, r2, distance, ref_distance;
    const double *x, *u, *targets, *mask, *y, *w, *b;
    double *ref_states, *ref_w, *ref_b, *linear_targets, *rotated;
    size_t w_outputs, w_features;

    CHECK_STATUS(neurode_task_create(context, task_name, &task), NEURODE_OK);
    CHECK_STATUS(neurode_task_shape(task, &inputs, &outputs, &dt), NEURODE_OK);
    snprintf(json, sizeof json,
             "{\"format\": \"neurode-rate-network\", \"format_version\": 1, \"units\": 24, \"inputs\": %zu, "
             "\"outputs\": %zu, \"tau_ms\": 100.0, \"gain\": 1.2, \"seed\": 5}",
             inputs, outputs);
    CHECK_STATUS(neurode_model_parse(context, json, &model), NEURODE_OK);
    CHECK_STATUS(neurode_task_generate(task, TRIALS, seed, &batch), NEURODE_OK);
    CHECK_STATUS(neurode_batch_shape(batch, &trials, &steps, &batch_inputs, &batch_outputs), NEURODE_OK);
    CHECK(trials == TRIALS && batch_inputs == inputs && batch_outputs == outputs);
    CHECK_STATUS(neurode_batch_data(batch, &u, &targets, &mask), NEURODE_OK);
    CHECK_STATUS(neurode_context_set_threads(context, 2), NEURODE_OK);
    CHECK_STATUS(neurode_model_run_batch(model, batch, 0, &run), NEURODE_OK);
    CHECK_STATUS(neurode_run_shape(run, &run_trials, &run_steps, &units, &out_count), NEURODE_OK);
    CHECK(run_trials == trials && run_steps == steps && units == 24 && out_count == outputs);
    CHECK_STATUS(neurode_run_data(run, &x, &y), NEURODE_OK);
    CHECK(isfinite(y[0]) && isfinite(y[trials * steps * outputs - 1]));
    CHECK_STATUS(neurode_task_score(task, batch, run, &score), NEURODE_OK);

    ref_states = malloc(trials * steps * units * sizeof(double));
    ref_score = ref_rate_batch(json, task_name, TRIALS, seed, ref_states);
    for (i = 0; i < trials * steps * units; ++i)
        if (fabs(x[i] - ref_states[i]) > max_difference) max_difference = fabs(x[i] - ref_states[i]);
    CHECK(max_difference < 1e-12);
    CHECK(score == ref_score);

    /* A rate model stepped like a network: its rates are tanh of its state (the activation). */
    {
        neurode_simulation* rate_simulation = NULL;
        const double *state, *rates;
        size_t n_state = 0, n_rates = 0;
        CHECK_STATUS(neurode_simulation_create(model, NULL, 0, 0, 0, &rate_simulation), NEURODE_OK);
        CHECK_STATUS(neurode_simulation_set_input(rate_simulation, 0, 1.0), NEURODE_OK);
        CHECK_STATUS(neurode_simulation_advance(rate_simulation, 50.0), NEURODE_OK);
        CHECK_STATUS(neurode_simulation_read(rate_simulation, NEURODE_QUANTITY_STATE, &state, &n_state), NEURODE_OK);
        CHECK_STATUS(neurode_simulation_read(rate_simulation, NEURODE_QUANTITY_RATES, &rates, &n_rates), NEURODE_OK);
        CHECK(n_state == 24 && n_rates == 24);
        for (i = 0; i < n_rates && i < n_state; ++i) CHECK(fabs(rates[i] - tanh(state[i])) < 1e-15);
        CHECK(fabs(state[0]) > 0); /* the input moved the state */
        neurode_simulation_free(rate_simulation);
    }

    /* The same network saved to HDF5 by the C++ API and loaded through the C API runs the same. */
    {
        neurode_model* loaded = NULL;
        neurode_run* loaded_run = NULL;
        const double *x2, *y2;
        CHECK(ref_save_rate_network(json, h5_path) == 0);
        CHECK_STATUS(neurode_model_load(context, h5_path, &loaded), NEURODE_OK);
        CHECK_STATUS(neurode_model_run_batch(loaded, batch, 0, &loaded_run), NEURODE_OK);
        CHECK_STATUS(neurode_run_data(loaded_run, &x2, &y2), NEURODE_OK);
        CHECK(loaded_run && memcmp(x, x2, trials * steps * units * sizeof(double)) == 0);
        neurode_run_free(loaded_run);
        neurode_model_free(loaded);
    }

    /* Ridge readout of the states onto the targets, against fit_ridge(). */
    CHECK_STATUS(neurode_readout_fit_ridge(context, x, targets, NULL, trials, steps, units, outputs, 1e-3, 0, &readout),
                 NEURODE_OK);
    CHECK_STATUS(neurode_readout_weights(readout, &w, &b, &w_outputs, &w_features), NEURODE_OK);
    CHECK(w_outputs == outputs && w_features == units);
    ref_w = malloc(outputs * units * sizeof(double));
    ref_b = malloc(outputs * sizeof(double));
    CHECK_STATUS(neurode_readout_r2(readout, &r2), NEURODE_OK);
    CHECK(fabs(ref_ridge(x, targets, trials, steps, units, outputs, 1e-3, ref_w, ref_b) - r2) < 1e-12);
    max_difference = 0;
    for (i = 0; i < outputs * units; ++i)
        if (fabs(w[i] - ref_w[i]) > max_difference) max_difference = fabs(w[i] - ref_w[i]);
    for (i = 0; i < outputs; ++i)
        if (fabs(b[i] - ref_b[i]) > max_difference) max_difference = fabs(b[i] - ref_b[i]);
    CHECK(max_difference < 1e-9);
    neurode_readout_free(readout);

    /* Closed form: targets that are an exact affine map of the features are recovered (lambda 0). */
    linear_targets = malloc(trials * steps * sizeof(double));
    for (i = 0; i < trials * steps; ++i) linear_targets[i] = 0.5 + 2.0 * x[i * units] - 3.0 * x[i * units + 1];
    CHECK_STATUS(neurode_readout_fit_ridge(context, x, linear_targets, NULL, trials, steps, units, 1, 0.0, 0, &readout),
                 NEURODE_OK);
    CHECK_STATUS(neurode_readout_weights(readout, &w, &b, &w_outputs, &w_features), NEURODE_OK);
    CHECK(fabs(w[0] - 2.0) < 1e-6 && fabs(w[1] + 3.0) < 1e-6 && fabs(b[0] - 0.5) < 1e-6);
    neurode_readout_free(readout);

    /* CKA distance: 0 (to rounding) for a rotated copy (a closed form), and the C++ value for two
     * different activity sets (the first and second half of the units). */
    rotated = malloc(trials * steps * 2 * sizeof(double));
    for (i = 0; i < trials * steps; ++i) {
        rotated[2 * i] = 0.6 * x[i * units] - 0.8 * x[i * units + 1];
        rotated[2 * i + 1] = 0.8 * x[i * units] + 0.6 * x[i * units + 1];
    }
    CHECK_STATUS(neurode_analysis_create(context, "cka", &analysis), NEURODE_OK);
    {
        const size_t half = units / 2;
        double* pair = malloc(trials * steps * 2 * sizeof(double));
        double* first = malloc(trials * steps * half * sizeof(double));
        double* second = malloc(trials * steps * half * sizeof(double));
        for (i = 0; i < trials * steps; ++i) {
            pair[2 * i] = x[i * units], pair[2 * i + 1] = x[i * units + 1];
            for (j = 0; j < half; ++j) {
                first[i * half + j] = x[i * units + j];
                second[i * half + j] = x[i * units + half + j];
            }
        }
        CHECK_STATUS(neurode_analysis_distance(analysis, pair, 2, rotated, 2, trials * steps, &distance), NEURODE_OK);
        CHECK(distance < 1e-6);
        ref_distance = ref_cka_distance(first, half, second, half, trials * steps);
        CHECK_STATUS(neurode_analysis_distance(analysis, first, half, second, half, trials * steps, &distance), NEURODE_OK);
        CHECK(fabs(distance - ref_distance) < 1e-12 && distance > 0.01);
        free(pair);
        free(first);
        free(second);
    }
    neurode_analysis_free(analysis);

    free(ref_states);
    free(ref_w);
    free(ref_b);
    free(linear_targets);
    free(rotated);
    neurode_run_free(run);
    neurode_batch_free(batch);
    neurode_model_free(model);
    neurode_task_free(task);
}

/* A rate network trained by BPTT through the C API, against rnn::train() of the same learner on the
 * same seed: every iteration's loss and the trained network's states on a fresh batch; the loss
 * falls. The run is split over several neurode_learner_train() calls. */
static void test_learner(neurode_context* context)
{
    static const char* task_name = "perceptual_decision_making";
    static const char* options = "{\"learning_rate\": 0.01, \"batch_size\": 16}";
    enum { ITERATIONS = 30, FIRST = 10, MIDDLE = 15, TRIALS = 4 };
    const uint64_t seed = 7, batch_seed = 99;
    char json[512];
    neurode_task* task = NULL;
    neurode_model* model = NULL;
    neurode_model* trained = NULL;
    neurode_learner* learner = NULL;
    neurode_batch* batch = NULL;
    neurode_run* run = NULL;
    size_t inputs, outputs, trials, steps, units, out_count, i, iterations = 0, count = 0;
    double dt, loss = 0, losses[ITERATIONS], ref_losses[ITERATIONS], max_difference = 0, early = 0, late = 0;
    double score = 0, learner_score = 0;
    const double *x, *y, *learner_y;
    double* ref_states;

    CHECK_STATUS(neurode_task_create(context, task_name, &task), NEURODE_OK);
    CHECK_STATUS(neurode_task_shape(task, &inputs, &outputs, &dt), NEURODE_OK);
    snprintf(json, sizeof json,
             "{\"format\": \"neurode-rate-network\", \"format_version\": 1, \"units\": 24, \"inputs\": %zu, "
             "\"outputs\": %zu, \"tau_ms\": 100.0, \"gain\": 1.2, \"seed\": 5}",
             inputs, outputs);
    CHECK_STATUS(neurode_model_parse(context, json, &model), NEURODE_OK);
    CHECK_STATUS(neurode_context_set_seed(context, seed), NEURODE_OK);
    CHECK_STATUS(neurode_learner_create(context, model, task, "bptt", options, &learner), NEURODE_OK);
    neurode_model_free(model); /* the learner trains its own copy */
    for (i = 0; i < FIRST; ++i) CHECK_STATUS(neurode_learner_train(learner, 1, &losses[i]), NEURODE_OK);
    CHECK_STATUS(neurode_learner_train(learner, MIDDLE, &loss), NEURODE_OK);
    losses[FIRST + MIDDLE - 1] = loss;
    for (i = FIRST + MIDDLE; i < ITERATIONS; ++i) CHECK_STATUS(neurode_learner_train(learner, 1, &losses[i]), NEURODE_OK);
    CHECK_STATUS(neurode_learner_iterations(learner, &iterations), NEURODE_OK);
    CHECK(iterations == ITERATIONS);

    CHECK_STATUS(neurode_task_generate(task, TRIALS, batch_seed, &batch), NEURODE_OK);
    CHECK_STATUS(neurode_learner_model(learner, &trained), NEURODE_OK);
    CHECK_STATUS(neurode_context_set_threads(context, 1), NEURODE_OK);
    CHECK_STATUS(neurode_model_run_batch(trained, batch, 0, &run), NEURODE_OK);
    CHECK_STATUS(neurode_run_shape(run, &trials, &steps, &units, &out_count), NEURODE_OK);
    CHECK_STATUS(neurode_run_data(run, &x, &y), NEURODE_OK);
    CHECK_STATUS(neurode_learner_outputs(learner, batch, &learner_y, &count), NEURODE_OK);
    CHECK(count == trials * steps * outputs);
    for (i = 0; i < count && i < trials * steps * outputs; ++i)
        if (fabs(learner_y[i] - y[i]) > max_difference) max_difference = fabs(learner_y[i] - y[i]);
    CHECK(max_difference < 1e-12); /* the learner's outputs are the trained model's run */
    max_difference = 0;
    CHECK_STATUS(neurode_task_score(task, batch, run, &score), NEURODE_OK);
    CHECK_STATUS(neurode_learner_score(learner, batch, &learner_score), NEURODE_OK);
    CHECK(score == learner_score);

    ref_states = malloc(trials * steps * units * sizeof(double));
    CHECK(ref_train_bptt(json, task_name, 0.01, 16, seed, ITERATIONS, ref_losses, TRIALS, batch_seed, ref_states) == 0);
    for (i = 0; i < ITERATIONS; ++i) {
        if (i >= FIRST && i < FIRST + MIDDLE - 1) continue; /* inside the one call of MIDDLE iterations */
        if (fabs(losses[i] - ref_losses[i]) > max_difference) max_difference = fabs(losses[i] - ref_losses[i]);
    }
    CHECK(max_difference < 1e-12);
    printf("capi: bptt losses vs rnn::train: max difference %g\n", max_difference);
    max_difference = 0;
    for (i = 0; i < trials * steps * units; ++i)
        if (fabs(x[i] - ref_states[i]) > max_difference) max_difference = fabs(x[i] - ref_states[i]);
    CHECK(max_difference < 1e-12);
    printf("capi: trained network's states vs rnn::train's: max difference %g\n", max_difference);
    for (i = 0; i < 5; ++i) {
        early += ref_losses[i] / 5;
        late += losses[ITERATIONS - 5 + i] / 5;
    }
    printf("capi: bptt loss %.4f -> %.4f over %d iterations\n", early, late, ITERATIONS);
    CHECK(late < 0.7 * early);

    free(ref_states);
    neurode_run_free(run);
    neurode_batch_free(batch);
    neurode_model_free(trained);
    neurode_learner_free(learner);
    neurode_task_free(task);
}

/* Every failure returns its code and leaves a message that names the field. */
static void test_errors(neurode_context* context, const char* data_dir)
{
    char path[1024];
    neurode_model* model = NULL;
    neurode_model* rate = NULL;
    neurode_simulation* simulation = NULL;
    neurode_task* task = NULL;
    neurode_analysis* analysis = NULL;
    neurode_recorder* recorder = NULL;
    const double* values;
    size_t n;
    const double past = 0.5;
    neurode_status status;
    const char* message;

    CHECK_STATUS(neurode_context_create(NULL), NEURODE_NULL_ARGUMENT);
    CHECK_STATUS(neurode_model_parse(context, NULL, &model), NEURODE_NULL_ARGUMENT);
    CHECK(strstr(last_message(context), "neurode_model_parse: json: must not be NULL") != NULL);
    CHECK_STATUS(neurode_model_parse(context, "{not json", &model), NEURODE_IO_ERROR);
    CHECK_STATUS(neurode_model_load(context, "/nonexistent/net.json", &model), NEURODE_IO_ERROR);
    CHECK(strstr(last_message(context), "/nonexistent/net.json") != NULL);
    CHECK_STATUS(neurode_model_parse(context, "{\"format\": \"neurode-rate-network\", \"format_version\": 1, \"unit\": 3}",
                                     &model),
                 NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "unit: unknown key") != NULL);
    CHECK_STATUS(neurode_model_parse(context, "{\"format\": \"neurode-rate-network\", \"format_version\": 1, \"tau_ms\": -1}",
                                     &model),
                 NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "tau_ms") != NULL);
    CHECK_STATUS(neurode_last_error(context, &status, &message), NEURODE_OK);
    CHECK(status == NEURODE_INVALID_PARAMETER);
    CHECK(log_calls > 0); /* errors go to the logger */

    snprintf(path, sizeof path, "%s/two_cells.json", data_dir);
    CHECK_STATUS(neurode_model_load(context, path, &model), NEURODE_OK);
    CHECK_STATUS(neurode_simulation_create(model, "rk5", 0, 0, 0, &simulation), NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "method") != NULL);
    CHECK_STATUS(neurode_simulation_create(model, NULL, 0, 0, 0, &simulation), NEURODE_OK);
    CHECK_STATUS(neurode_simulation_set_input(simulation, 99, 1.0), NEURODE_OUT_OF_RANGE);
    CHECK_STATUS(neurode_simulation_input_index(simulation, "cell[5].iclamp[0]", &n), NEURODE_OUT_OF_RANGE);
    CHECK_STATUS(neurode_simulation_read(simulation, NEURODE_QUANTITY_RATES, &values, &n), NEURODE_WRONG_MODEL_KIND);
    CHECK_STATUS(neurode_recorder_create(simulation, "r", NEURODE_QUANTITY_RATES, 1.0, &recorder), NEURODE_WRONG_MODEL_KIND);
    CHECK_STATUS(neurode_simulation_advance(simulation, 1.0), NEURODE_OK);
    CHECK_STATUS(neurode_simulation_advance(simulation, 0.5), NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "t_stop") != NULL);
    CHECK_STATUS(neurode_simulation_add_spikes(simulation, 0, &past, 1), NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "spike_source[0].times[0]") != NULL);
    CHECK_STATUS(neurode_simulation_add_spikes(simulation, 7, &past, 1), NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "source") != NULL);
    CHECK_STATUS(neurode_simulation_write_hdf5(simulation, "/nonexistent/out.h5"), NEURODE_IO_ERROR);

    CHECK_STATUS(neurode_task_create(context, "dly_goo", &task), NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "task: unknown task 'dly_goo'") != NULL);
    CHECK_STATUS(neurode_analysis_create(context, "cca", &analysis), NEURODE_INVALID_PARAMETER);
    CHECK_STATUS(neurode_analysis_create(context, "shape", &analysis), NEURODE_OK);
    CHECK_STATUS(neurode_analysis_set_option(analysis, "alpha", 2.0), NEURODE_INVALID_PARAMETER);
    CHECK(strstr(last_message(context), "alpha") != NULL);
    CHECK_STATUS(neurode_analysis_set_option(analysis, "beta", 0.5), NEURODE_INVALID_PARAMETER);
    {
        const double constant[4] = {1, 1, 1, 1};
        double distance;
        CHECK_STATUS(neurode_analysis_distance(analysis, constant, 1, constant, 1, 4, &distance), NEURODE_INVALID_PARAMETER);
    }
    CHECK_STATUS(neurode_model_parse(context, "{\"format\": \"neurode-rate-network\", \"format_version\": 1, \"units\": 4}",
                                     &rate),
                 NEURODE_OK);
    {
        neurode_task* go = NULL;
        neurode_batch* batch = NULL;
        neurode_run* run = NULL;
        CHECK_STATUS(neurode_task_create(context, "go", &go), NEURODE_OK);
        CHECK_STATUS(neurode_task_generate_next(go, 2, &batch), NEURODE_OK);
        CHECK_STATUS(neurode_model_run_batch(model, batch, 0, &run), NEURODE_WRONG_MODEL_KIND);
        CHECK_STATUS(neurode_model_run_batch(rate, batch, 0, &run), NEURODE_INVALID_PARAMETER); /* 1 input, not the task's */
        CHECK(strstr(last_message(context), "inputs") != NULL);
        neurode_batch_free(batch);
        neurode_task_free(go);
    }

    /* Learners: an unknown name or option, a biophysical model, FORCE's feedback loop. */
    {
        neurode_task* pdm = NULL;
        neurode_model* small = NULL;
        neurode_learner* learner = NULL;
        double loss;
        CHECK_STATUS(neurode_task_create(context, "perceptual_decision_making", &pdm), NEURODE_OK);
        CHECK_STATUS(neurode_model_parse(context,
                                         "{\"format\": \"neurode-rate-network\", \"format_version\": 1, \"units\": 8, "
                                         "\"inputs\": 3, \"outputs\": 3}",
                                         &small),
                     NEURODE_OK);
        CHECK_STATUS(neurode_learner_create(context, small, pdm, "sgd", NULL, &learner), NEURODE_INVALID_PARAMETER);
        CHECK(strstr(last_message(context), "neurode_learner_create: learner: unknown learner 'sgd'") != NULL);
        CHECK_STATUS(neurode_learner_create(context, small, pdm, "bptt", "{\"learning_rte\": 0.1}", &learner),
                     NEURODE_INVALID_PARAMETER);
        CHECK(strstr(last_message(context), "learning_rte: unknown option of learner 'bptt'") != NULL);
        CHECK_STATUS(neurode_learner_create(context, small, pdm, "bptt", "{\"learning_rate\": -1}", &learner),
                     NEURODE_INVALID_PARAMETER);
        CHECK(strstr(last_message(context), "learning_rate") != NULL);
        CHECK_STATUS(neurode_learner_create(context, small, pdm, "genetic", "{\"population\": \"many\"}", &learner),
                     NEURODE_INVALID_PARAMETER);
        CHECK(strstr(last_message(context), "population: has the wrong type") != NULL);
        CHECK_STATUS(neurode_learner_create(context, small, pdm, "hebbian", "[1]", &learner), NEURODE_INVALID_PARAMETER);
        CHECK(strstr(last_message(context), "options: must be a JSON object") != NULL);
        CHECK_STATUS(neurode_learner_create(context, model, pdm, "bptt", NULL, &learner), NEURODE_WRONG_MODEL_KIND);
        CHECK(strstr(last_message(context), "model: learners train rate models") != NULL);
        CHECK_STATUS(neurode_learner_create(context, rate, pdm, "bptt", NULL, &learner), NEURODE_INVALID_PARAMETER);
        CHECK(strstr(last_message(context), "model: has 1 inputs") != NULL);
        CHECK_STATUS(neurode_learner_create(context, small, NULL, "bptt", NULL, &learner), NEURODE_NULL_ARGUMENT);
        CHECK(learner == NULL);
        CHECK_STATUS(neurode_learner_create(context, small, pdm, "force", "{\"dt_ms\": 20}", &learner), NEURODE_OK);
        CHECK_STATUS(neurode_learner_train(learner, 0, &loss), NEURODE_INVALID_PARAMETER);
        CHECK(strstr(last_message(context), "iterations: must be > 0") != NULL);
        CHECK_STATUS(neurode_learner_model(learner, &model), NEURODE_WRONG_MODEL_KIND);
        CHECK(strstr(last_message(context), "use neurode_learner_outputs") != NULL);
        neurode_learner_free(learner);
        neurode_learner_free(NULL);
        neurode_model_free(small);
        neurode_task_free(pdm);
    }

    /* Free functions accept NULL. */
    neurode_model_free(NULL);
    neurode_simulation_free(NULL);
    neurode_analysis_free(analysis);
    neurode_simulation_free(simulation);
    neurode_model_free(rate);
    neurode_model_free(model);
}

int main(int argc, char** argv)
{
    neurode_context* context = NULL;
    if (argc != 3) {
        fprintf(stderr, "usage: capi_test DATA_DIR SCRATCH.h5\n");
        return 2;
    }
    test_versions();
    CHECK_STATUS(neurode_context_create(&context), NEURODE_OK);
    CHECK_STATUS(neurode_context_set_logger(context, count_logs, NULL), NEURODE_OK);
    test_network_cosimulation(context, argv[1]);
    test_rate_task_readout_analysis(context, argv[2]);
    test_learner(context);
    test_errors(context, argv[1]);
    neurode_context_free(context);
    if (failures) {
        fprintf(stderr, "capi: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("capi: all %d checks passed\n", checks);
    return 0;
}
