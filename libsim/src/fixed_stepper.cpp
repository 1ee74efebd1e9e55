// Fixed-step methods: forward Euler, classical RK4, exponential Euler and the linearly implicit
// backward Euler and Crank-Nicolson (one-stage Rosenbrock methods, see linearly_implicit()), and
// the model's own staggered step (NEURON's scheme, OdeSystem::staggered_step()).
// Steps are placed at t_restart + k dt (computed, not accumulated, so long runs do not drift); a
// step is shortened only to land on a discontinuity or the requested stop time. Between step ends
// the state is interpolated linearly, and root crossings are located by linear interpolation of g.

#include "implicit_stepper.hpp"
#include "stepper.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::sim::detail {
namespace {

class FixedStepper final : public Stepper {
public:
    FixedStepper(DrivenModel& model, const SolverOptions& options, double t0, std::span<const double> y0)
        : model_(model), options_(options), n_(model.size()), y_(y0.begin(), y0.end()), y_prev_(y_), k1_(n_),
          k2_(n_), k3_(n_), k4_(n_), scratch_(n_), g_(model.system().root_count()), g_prev_(g_.size())
    {
        if (options.method == Method::exponential_euler) {
            const OdeSystem& system = model.system();
            diagonal_.resize(n_);
            if (system.jacobian_kind() == JacobianKind::sparse) {
                const SparsityPattern& pattern = system.sparsity();
                sparse_values_.resize(pattern.nonzeros());
                for (std::size_t i = 0; i < n_; ++i)
                    diagonal_slot_.push_back(pattern.find(static_cast<std::int64_t>(i), static_cast<std::int64_t>(i)));
            } else {
                dense_.resize(static_cast<Eigen::Index>(n_), static_cast<Eigen::Index>(n_));
            }
        }
        if (options.method == Method::backward_euler || options.method == Method::crank_nicolson)
            iteration_matrix_ = std::make_unique<IterationMatrix>(model.system());
        restart(t0, y0);
    }

    void restart(double t, std::span<const double> y) override
    {
        if (y.data() != y_.data()) std::copy(y.begin(), y.end(), y_.begin());
        t_ = t_prev_ = t_restart_ = t;  // an empty last step: interpolate() gives y_, y_prev_ is unused
        steps_since_restart_ = 0;
        jacobian_current_ = false;  // the state or the inputs jumped
        if (!g_.empty()) evaluate_roots(t_, y_, g_);
    }

    StepOutcome step(double t_limit) override
    {
        double t_next = t_restart_ + static_cast<double>(steps_since_restart_ + 1) * options_.dt;
        // Land exactly on t_limit when the grid reaches it (within rounding) or would pass it.
        if (t_next >= t_limit - 1e-9 * options_.dt) t_next = t_limit;
        const double h = t_next - t_;
        y_prev_ = y_;
        t_prev_ = t_;
        switch (options_.method) {
        case Method::forward_euler: forward_euler(h); break;
        case Method::rk4: rk4(h); break;
        case Method::exponential_euler: exponential_euler(h); break;
        case Method::backward_euler: linearly_implicit(h, 1.0); break;
        case Method::crank_nicolson: linearly_implicit(h, 0.5); break;
        case Method::staggered_euler: staggered(h, 1.0); break;
        case Method::staggered_crank_nicolson: staggered(h, 0.5); break;
        default: throw logic_error("FixedStepper: not a fixed-step method");
        }
        if (t_next == t_limit) {
            t_restart_ = t_limit;  // a clipped step starts a new grid at the limit
            steps_since_restart_ = 0;
        } else {
            ++steps_since_restart_;
        }
        t_ = t_next;
        ++counters_.steps;
        last_h_ = h;
        StepOutcome outcome{t_, {}};
        if (!g_.empty()) find_roots(outcome);
        return outcome;
    }

    void interpolate(double t, std::span<double> out) override
    {
        const double span = t_ - t_prev_;
        const double w = span > 0 ? (t - t_prev_) / span : 1.0;
        for (std::size_t i = 0; i < n_; ++i) out[i] = (1 - w) * y_prev_[i] + w * y_[i];
    }

    double time() const override { return t_; }
    std::span<double> state() override { return y_; }
    RunSummary counters() const override
    {
        RunSummary s = counters_;
        s.last_step = last_h_;
        s.last_order = options_.method == Method::rk4                                                      ? 4
                       : options_.method == Method::crank_nicolson || options_.method == Method::staggered_crank_nicolson ? 2
                                                                                                                        : 1;
        return s;
    }

private:
    void f(double t, std::span<const double> y, std::vector<double>& out)
    {
        ++counters_.rhs_evaluations;
        const auto bad = model_.rhs(t, y, out);
        if (bad >= 0) {
            const std::string variable = model_.system().variable_name(static_cast<std::size_t>(bad));
            throw solver_error(std::string(to_string(options_.method)) + " failed " +
                                   describe_failure(model_.system(), t, last_h_) +
                                   ": the right-hand side was not finite (NaN or infinite) for '" + variable + "'",
                               t, last_h_, variable);
        }
    }

    void forward_euler(double h)
    {
        f(t_, y_prev_, k1_);
        for (std::size_t i = 0; i < n_; ++i) y_[i] = y_prev_[i] + h * k1_[i];
    }

    void rk4(double h)
    {
        const auto& y0 = y_prev_;
        f(t_, y0, k1_);
        for (std::size_t i = 0; i < n_; ++i) scratch_[i] = y0[i] + 0.5 * h * k1_[i];
        f(t_ + 0.5 * h, scratch_, k2_);
        for (std::size_t i = 0; i < n_; ++i) scratch_[i] = y0[i] + 0.5 * h * k2_[i];
        f(t_ + 0.5 * h, scratch_, k3_);
        for (std::size_t i = 0; i < n_; ++i) scratch_[i] = y0[i] + h * k3_[i];
        f(t_ + h, scratch_, k4_);
        for (std::size_t i = 0; i < n_; ++i) y_[i] = y0[i] + h / 6.0 * (k1_[i] + 2 * k2_[i] + 2 * k3_[i] + k4_[i]);
    }

    // y_i += (exp(a_i h) - 1) / a_i * f_i with a_i = df_i/dy_i: exact when f_i is linear in y_i
    // with the other variables frozen (gating variables, membrane potentials with fixed inputs).
    void exponential_euler(double h)
    {
        f(t_, y_prev_, k1_);
        OdeSystem& system = model_.system();
        const auto u = model_.inputs_at(t_);
        ++counters_.jacobian_evaluations;
        if (!diagonal_slot_.empty()) {
            system.sparse_jacobian(t_, y_prev_, u, sparse_values_);
            for (std::size_t i = 0; i < n_; ++i)
                diagonal_[i] = diagonal_slot_[i] < 0 ? 0.0 : sparse_values_[static_cast<std::size_t>(diagonal_slot_[i])];
        } else {
            const auto n = static_cast<Eigen::Index>(n_);
            system.dense_jacobian(t_, y_prev_, u, DenseMatrixRef(dense_.data(), n, n));
            for (std::size_t i = 0; i < n_; ++i) diagonal_[i] = dense_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i));
        }
        for (std::size_t i = 0; i < n_; ++i) {
            const double ah = diagonal_[i] * h;
            const double phi = std::abs(ah) < 1e-10 ? h : std::expm1(ah) / diagonal_[i];
            y_[i] = y_prev_[i] + phi * k1_[i];
        }
    }

    // y_{n+1} = y_n + dy with (I - gamma h J) dy = h f(t_n + gamma h, y_n), J = df/dy(t_n, y_n): the
    // one-stage Rosenbrock method, i.e. one Newton step of the implicit method from y_n. Taylor
    // expansion gives dy = h f + gamma h^2 (f_t + J f) + O(h^3) against the exact h f + h^2/2 (f_t + J f),
    // so gamma = 1/2 (Crank-Nicolson) is second order with the exact J, and gamma = 1 (backward
    // Euler) first order with any J. The stability function is R(z) = (1 + (1 - gamma) z) / (1 - gamma z):
    // 1/(1 - z) (L-stable) and (1 + z/2)/(1 - z/2) (A-stable, |R(-inf)| = 1). With f = A y + g(t)
    // and J = A this is implicit Euler and the implicit midpoint rule exactly.
    void linearly_implicit(double h, double gamma)
    {
        if (!jacobian_current_ || steps_on_jacobian_ >= options_.jacobian_reuse_steps) {
            iteration_matrix_->evaluate_jacobian(t_, y_prev_, model_.inputs_at(t_));
            ++counters_.jacobian_evaluations;
            jacobian_current_ = true;
            steps_on_jacobian_ = 0;
            factored_h_ = 0;
        }
        // A step size equal to rounding (a step clipped onto a grid point) keeps the factors.
        if (std::abs(h - factored_h_) > 1e-10 * h) {
            if (!iteration_matrix_->factor(gamma * h))
                throw solver_error(std::string(to_string(options_.method)) + " failed " +
                                       describe_failure(model_.system(), t_, h) +
                                       ": I - gamma dt J is singular; reduce dt",
                                   t_, h, "");
            ++counters_.linear_solver_setups;
            factored_h_ = h;
        }
        ++steps_on_jacobian_;
        f(t_ + gamma * h, y_prev_, k1_);
        for (auto& k : k1_) k *= h;
        iteration_matrix_->solve(k1_);
        for (std::size_t i = 0; i < n_; ++i) y_[i] = y_prev_[i] + k1_[i];
        require_finite_state(h);
    }

    void staggered(double h, double theta)
    {
        ++counters_.rhs_evaluations;  // one pass over the model, as one RHS evaluation
        model_.system().staggered_step(t_, h, theta, model_.inputs_at(t_ + theta * h), y_);
        require_finite_state(h);
    }

    void require_finite_state(double h)
    {
        for (std::size_t i = 0; i < n_; ++i)
            if (!std::isfinite(y_[i])) {
                const std::string variable = model_.system().variable_name(i);
                throw solver_error(std::string(to_string(options_.method)) + " failed " +
                                       describe_failure(model_.system(), t_, h) + ": the new state was not finite for '" +
                                       variable + "'",
                                   t_, h, variable);
            }
    }

    void evaluate_roots(double t, std::span<const double> y, std::vector<double>& g)
    {
        ++counters_.root_evaluations;
        model_.system().roots(t, y, model_.inputs_at(t), g);
    }

    void find_roots(StepOutcome& outcome)
    {
        g_prev_.swap(g_);
        evaluate_roots(t_, y_, g_);
        for (std::size_t r = 0; r < g_.size(); ++r) {
            const double a = g_prev_[r], b = g_[r];
            const bool rising = a < 0 && b >= 0, falling = a > 0 && b <= 0;
            if (!rising && !falling) continue;
            const double w = a / (a - b);
            outcome.events.push_back({t_prev_ + w * (t_ - t_prev_), r, rising ? 1 : -1});
        }
        std::sort(outcome.events.begin(), outcome.events.end(),
                  [](const Event& x, const Event& y) { return x.time < y.time; });
    }

    DrivenModel& model_;
    const SolverOptions options_;
    const std::size_t n_;
    double t_ = 0, t_prev_ = 0, t_restart_ = 0, last_h_ = 0;
    long steps_since_restart_ = 0;
    std::vector<double> y_, y_prev_, k1_, k2_, k3_, k4_, scratch_;
    std::vector<double> g_, g_prev_;
    std::vector<double> diagonal_, sparse_values_;
    std::vector<std::int64_t> diagonal_slot_;
    Eigen::MatrixXd dense_;
    std::unique_ptr<IterationMatrix> iteration_matrix_;
    bool jacobian_current_ = false;
    int steps_on_jacobian_ = 0;   // steps taken with the current Jacobian
    double factored_h_ = 0;       // the step size M = I - gamma h J was factored for; 0: none
    RunSummary counters_;
};

}  // namespace

std::unique_ptr<Stepper> make_fixed_stepper(DrivenModel& model, const SolverOptions& options, double t0,
                                            std::span<const double> y0)
{
    return std::make_unique<FixedStepper>(model, options, t0, y0);
}

}  // namespace neurode::sim::detail
