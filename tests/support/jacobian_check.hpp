#pragma once
// A model's analytic sparse Jacobian against central differences of its right-hand side at one
// state: every entry, inside and outside the pattern (outside it must be zero).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <neurode/sim/ode_system.hpp>

inline void expect_sparse_jacobian_matches_differences(neurode::sim::OdeSystem& system, const std::vector<double>& y,
                                                       const std::vector<double>& u, double relative_tolerance)
{
    const std::size_t n = system.size();
    std::vector<double> f0(n), f1(n);
    const auto& pattern = system.sparsity();
    std::vector<double> values(pattern.nonzeros());
    system.sparse_jacobian(0, y, u, values);
    for (std::size_t j = 0; j < n; ++j) {
        const double h = 1e-6 * std::max(1.0, std::abs(y[j]));
        auto yp = y, ym = y;
        yp[j] += h;
        ym[j] -= h;
        system.rhs(0, yp, u, f1);
        system.rhs(0, ym, u, f0);
        for (std::size_t i = 0; i < n; ++i) {
            const double fd = (f1[i] - f0[i]) / (2 * h);
            const auto p = pattern.find(static_cast<std::int64_t>(i), static_cast<std::int64_t>(j));
            const double analytic = p < 0 ? 0.0 : values[static_cast<std::size_t>(p)];
            EXPECT_NEAR(analytic, fd, relative_tolerance * std::max(1.0, std::abs(fd)))
                << system.variable_name(i) << " / " << system.variable_name(j);
        }
    }
}
