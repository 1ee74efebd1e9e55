/* The passive cable integrated by a plain C program that calls SUNDIALS directly: the baseline
 * that neurode's engine overhead is measured against. Same RHS (cable_kernel.h), same CVODE
 * settings (BDF, KLU with the analytic tridiagonal Jacobian, one step at a time to a stop time)
 * as neurode::sim::Simulation uses for problems::Cable. */
#ifndef NEURODE_BENCH_RAW_CVODE_CABLE_H
#define NEURODE_BENCH_RAW_CVODE_CABLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    size_t compartments;
    double inv_tau;       /* [1/ms] */
    double coupling;      /* [1/ms] */
    double e_leak;        /* [mV] */
    double v_initial;     /* [mV] */
    double injection;     /* [mV/ms] added to compartment 0 (current times its scale) */
    double rtol, atol;    /* atol [mV] */
    long max_steps;
    double t_end;         /* [ms] */
} raw_cable_problem;

typedef struct {
    long steps, rhs_evaluations, jacobian_evaluations;
    double v_first, v_last; /* [mV] at t_end */
} raw_cable_result;

/* Returns 0 on success, otherwise the first failing SUNDIALS return code (or -1 for an
 * allocation failure); `failed_call` then names the function. */
int raw_cable_run(const raw_cable_problem* problem, raw_cable_result* result, const char** failed_call);

#ifdef __cplusplus
}
#endif

#endif
