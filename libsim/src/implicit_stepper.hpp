#pragma once
// Private: the linear algebra of the linearly implicit fixed-step methods (backward_euler,
// crank_nicolson). Holds the model's Jacobian J, forms M = I - c J and factors it: a sparse J with
// KLU (the fixed pattern analysed once, then refactored with the same pivot order while that stays
// well conditioned), a dense one with partial-pivoting LU. FixedStepper owns one and decides when
// to re-evaluate and refactor.

#include <cstddef>
#include <memory>
#include <span>

#include <neurode/sim/ode_system.hpp>

namespace neurode::sim::detail {

class IterationMatrix {
public:
    explicit IterationMatrix(OdeSystem& system);
    ~IterationMatrix();
    IterationMatrix(const IterationMatrix&) = delete;
    IterationMatrix& operator=(const IterationMatrix&) = delete;

    // J = df/dy at (t, y) with inputs u.
    void evaluate_jacobian(double t, std::span<const double> y, std::span<const double> u);
    // Form M = I - c J from the last Jacobian and factor it. Returns false when M is singular;
    // throws runtime_error when the factorisation fails for any other reason.
    bool factor(double c);
    // x <- M^{-1} x with the last factorisation.
    void solve(std::span<double> x);

private:
    struct Sparse;
    struct Dense;
    OdeSystem* system_;
    std::unique_ptr<Sparse> sparse_;
    std::unique_ptr<Dense> dense_;
};

}  // namespace neurode::sim::detail
