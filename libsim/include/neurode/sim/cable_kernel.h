/* The passive cable's right-hand side and Jacobian as plain C, so that neurode's Cable model and
 * the raw-SUNDIALS benchmark program evaluate exactly the same arithmetic.
 *
 *   dV_i/dt = -(V_i - e_leak) / tau + k (V_{i-1} - 2 V_i + V_{i+1})      (sealed ends: a missing
 *                                                                      neighbour contributes 0)
 * Jacobian: tridiagonal, -1/tau - k * (number of neighbours) on the diagonal, k off it.
 */
#ifndef NEURODE_SIM_CABLE_KERNEL_H
#define NEURODE_SIM_CABLE_KERNEL_H

#include <stddef.h>
#include <stdint.h>

static inline void neurode_cable_rhs(size_t n, double inv_tau, double k, double e_leak,
                                     const double* v, double* dvdt)
{
    if (n == 1) {
        dvdt[0] = -(v[0] - e_leak) * inv_tau;
        return;
    }
    dvdt[0] = -(v[0] - e_leak) * inv_tau + k * (v[1] - v[0]);
    for (size_t i = 1; i + 1 < n; ++i)
        dvdt[i] = -(v[i] - e_leak) * inv_tau + k * (v[i - 1] - 2.0 * v[i] + v[i + 1]);
    dvdt[n - 1] = -(v[n - 1] - e_leak) * inv_tau + k * (v[n - 2] - v[n - 1]);
}

/* CSR pattern of the tridiagonal Jacobian: row_offsets has n + 1 entries, columns 3n - 2. */
static inline void neurode_cable_pattern(size_t n, int64_t* row_offsets, int64_t* columns)
{
    int64_t nz = 0;
    for (size_t i = 0; i < n; ++i) {
        row_offsets[i] = nz;
        if (i > 0) columns[nz++] = (int64_t)i - 1;
        columns[nz++] = (int64_t)i;
        if (i + 1 < n) columns[nz++] = (int64_t)i + 1;
    }
    row_offsets[n] = nz;
}

/* Values of the Jacobian in the order of neurode_cable_pattern(). */
static inline void neurode_cable_jacobian(size_t n, double inv_tau, double k, double* values)
{
    size_t nz = 0;
    for (size_t i = 0; i < n; ++i) {
        const double neighbours = (double)(i > 0) + (double)(i + 1 < n);
        if (i > 0) values[nz++] = k;
        values[nz++] = -inv_tau - k * neighbours;
        if (i + 1 < n) values[nz++] = k;
    }
}

#endif
