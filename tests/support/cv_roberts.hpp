#pragma once
// SUNDIALS' published output of its cvRoberts_dns example, the calibration every Robertson test
// is judged against, and the agreement rule for it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <span>

// cvRoberts_dns.out (SUNDIALS 6.4 examples/cvode/serial): y at t = 0.4 * 10^k, k = 0..10, computed
// with rtol = 1e-4, atol = (1e-8, 1e-14, 1e-6), dense solver, analytic Jacobian.
struct RobertsonRow {
    double t, y1, y2, y3;
};
inline constexpr RobertsonRow cv_roberts_dns_out[] = {
    {4.0e-01, 9.851641e-01, 3.386242e-05, 1.480205e-02}, {4.0e+00, 9.055097e-01, 2.240338e-05, 9.446793e-02},
    {4.0e+01, 7.158017e-01, 9.185037e-06, 2.841892e-01}, {4.0e+02, 4.505360e-01, 3.223271e-06, 5.494608e-01},
    {4.0e+03, 1.832066e-01, 8.942601e-07, 8.167925e-01}, {4.0e+04, 3.898824e-02, 1.621985e-07, 9.610116e-01},
    {4.0e+05, 4.937043e-03, 1.984465e-08, 9.950629e-01}, {4.0e+06, 5.169987e-04, 2.069052e-09, 9.994830e-01},
    {4.0e+07, 5.208146e-05, 2.083366e-10, 9.999479e-01}, {4.0e+08, 5.204550e-06, 2.081831e-11, 9.999948e-01},
    {4.0e+09, 5.318402e-07, 2.127362e-12, 9.999995e-01}, {4.0e+10, 3.630684e-08, 1.452274e-13, 1.000000e+00},
};

// The published run's tolerances. Its values carry that run's global error, which grows to a few
// tolerance units; a run that stops at each output time (where the example interpolates past it)
// takes other steps, so agreement is judged in those units.
inline constexpr double published_rtol = 1e-4;
inline constexpr double published_atol[] = {1e-8, 1e-14, 1e-6};
inline constexpr double allowed_tolerance_units = 20;

inline void expect_matches_published(std::span<const double> y, const RobertsonRow& row)
{
    const double published[] = {row.y1, row.y2, row.y3};
    for (std::size_t i = 0; i < 3; ++i) {
        const double unit = published_rtol * std::abs(published[i]) + published_atol[i];
        EXPECT_LE(std::abs(y[i] - published[i]) / unit, allowed_tolerance_units)
            << "y" << i + 1 << " at t = " << row.t << ": neurode " << y[i] << ", published " << published[i];
    }
}
