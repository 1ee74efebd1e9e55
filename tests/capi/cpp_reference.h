/* The C test's oracle: the same computations through neurode's C++ API directly, callable from C. */
#ifndef NEURODE_TESTS_CAPI_CPP_REFERENCE_H
#define NEURODE_TESTS_CAPI_CPP_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The co-simulation scenario of capi_test.c (cosim_current(), host spike at HOST_SPIKE_MS into
 * source 1) on sim::Simulation with the host spike given as the source's train before the run.
 * Writes up to `capacity` spikes; returns the count, or (size_t)-1 on an exception. v_end: both
 * cells' voltages at the end [mV]. */
size_t ref_network_cosim(const char* path, double t_stop, double host_spike_ms, double* spike_times,
                         size_t* spike_cells, size_t capacity, double* v_end);
/* A rate network (JSON text) on `trials` trials of `task` from `seed`: RateNetwork::run_euler
 * over the whole batch. states: [trials][steps][units]; returns the task's score, NaN on an exception. */
double ref_rate_batch(const char* json, const char* task, size_t trials, uint64_t seed, double* states);
/* Saves the rate network a JSON description draws to an HDF5 file (RateNetwork::save); 0 on success. */
int ref_save_rate_network(const char* json, const char* path);
/* fit_ridge(): weights [outputs][features] and bias [outputs]; returns R^2, NaN on an exception. */
double ref_ridge(const double* features, const double* targets, size_t trials, size_t steps, size_t feature_count,
                 size_t output_count, double lambda, double* weights, double* bias);
/* rnn::train() of a BpttLearner (Adam learning_rate, batch_size; other options default) on a rate
 * network (JSON text) and `task`, run seed `seed`, max_iterations `iterations`. losses: each
 * iteration's loss [iterations]; states: the trained network's run_euler on `trials` trials of
 * the task from batch_seed, [trials][steps][units]. Returns 0, 1 on an exception. */
int ref_train_bptt(const char* json, const char* task, double learning_rate, size_t batch_size, uint64_t seed,
                   size_t iterations, double* losses, size_t trials, uint64_t batch_seed, double* states);
/* cka_angular_distance() of row-major sample matrices; NaN on an exception. */
double ref_cka_distance(const double* x, size_t x_columns, const double* y, size_t y_columns, size_t samples);

#ifdef __cplusplus
}
#endif

#endif
