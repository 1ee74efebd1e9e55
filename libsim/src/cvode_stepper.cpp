// The CVODE integrator behind the Stepper seam. Every SUNDIALS object is owned by a unique_ptr
// with its destroy function; every return code is checked; exceptions thrown by the model inside
// a callback are caught there, carried across the C code and rethrown after CVode returns.

#include "stepper.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunlinsol/sunlinsol_spgmr.h>
#include <sunmatrix/sunmatrix_band.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::sim::detail {
namespace {

struct ContextDeleter {
    void operator()(SUNContext c) const { SUNContext_Free(&c); }
};
struct VectorDeleter {
    void operator()(N_Vector v) const { N_VDestroy(v); }
};
struct MatrixDeleter {
    void operator()(SUNMatrix m) const { SUNMatDestroy(m); }
};
struct SolverDeleter {
    void operator()(SUNLinearSolver s) const { SUNLinSolFree(s); }
};
struct CvodeDeleter {
    void operator()(void* mem) const { CVodeFree(&mem); }
};
using ContextPtr = std::unique_ptr<std::remove_pointer_t<SUNContext>, ContextDeleter>;
using VectorPtr = std::unique_ptr<std::remove_pointer_t<N_Vector>, VectorDeleter>;
using MatrixPtr = std::unique_ptr<std::remove_pointer_t<SUNMatrix>, MatrixDeleter>;
using SolverPtr = std::unique_ptr<std::remove_pointer_t<SUNLinearSolver>, SolverDeleter>;
using CvodePtr = std::unique_ptr<void, CvodeDeleter>;

std::span<const double> view(N_Vector v) { return {N_VGetArrayPointer(v), static_cast<std::size_t>(N_VGetLength(v))}; }
std::span<double> view_mut(N_Vector v) { return {N_VGetArrayPointer(v), static_cast<std::size_t>(N_VGetLength(v))}; }

// Return codes of the callbacks, as CVODE reads them.
constexpr int ok = 0, recoverable = 1, unrecoverable = -1;

class CvodeStepper final : public Stepper {
public:
    CvodeStepper(DrivenModel& model, const SolverOptions& options, double t0, std::span<const double> y0);

    void restart(double t, std::span<const double> y) override;
    void begin_advance() override;
    StepOutcome step(double t_limit) override;
    void interpolate(double t, std::span<double> out) override;
    double time() const override { return t_; }
    std::span<double> state() override { return view_mut(y_.get()); }
    RunSummary counters() const override;

private:
    void check(int flag, const char* function) const;
    RunSummary read_counters() const;
    [[noreturn]] void fail(int flag);
    void set_up_linear_solver();

    // C callbacks
    static int rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* self);
    static int jacobian(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void* self, N_Vector, N_Vector, N_Vector);
    static int roots(sunrealtype t, N_Vector y, sunrealtype* g, void* self);
    static int preconditioner_setup(sunrealtype t, N_Vector y, N_Vector fy, sunbooleantype jok,
                                    sunbooleantype* jcur, sunrealtype gamma, void* self);
    static int preconditioner_solve(sunrealtype t, N_Vector y, N_Vector fy, N_Vector r, N_Vector z,
                                    sunrealtype gamma, sunrealtype delta, int lr, void* self);
    static void error_handler(int code, const char* module, const char* function, char* message, void* self);

    template <class F>
    int guarded(F&& f)
    {
        try {
            return f();
        } catch (...) {
            pending_ = std::current_exception();
            return unrecoverable;
        }
    }

    DrivenModel& model_;
    const SolverOptions options_;
    const std::size_t n_;
    ContextPtr context_;
    VectorPtr y_;
    VectorPtr atol_;
    VectorPtr interpolation_;  // data-less vector pointed at the caller's buffer
    MatrixPtr matrix_;
    SolverPtr solver_;
    CvodePtr cvode_;
    double t_;
    RunSummary before_restarts_;  // CVodeReInit zeroes CVODE's counters; keep what they held
    std::exception_ptr pending_;
    std::string last_cvode_message_;
    // Since begin_advance(): CVODE's own step limit counts per CVode() call, which is one step
    // here, so the budget is enforced by this class.
    long steps_this_advance_ = 0;
    std::ptrdiff_t non_finite_variable_ = -1;
    double non_finite_time_ = 0;
    std::vector<int> root_directions_;

    // Sparse Jacobian: the model's pattern, with the diagonal added when missing (CVODE forms
    // I - gamma J in place and must find the diagonal), and where each model value goes.
    SparsityPattern pattern_;
    std::vector<std::int64_t> value_slot_;  // model value index -> pattern_ index; empty if identity
    std::vector<double> model_values_;
    Eigen::MatrixXd dense_scratch_;
};

CvodeStepper::CvodeStepper(DrivenModel& model, const SolverOptions& options, double t0, std::span<const double> y0)
    : model_(model), options_(options), n_(model.size()), t_(t0)
{
    SUNContext raw_context = nullptr;
    check(SUNContext_Create(nullptr, &raw_context), "SUNContext_Create");
    context_.reset(raw_context);

    y_.reset(N_VNew_Serial(static_cast<sunindextype>(n_), context_.get()));
    if (!y_) throw runtime_error("CVODE: could not allocate the state vector (N_VNew_Serial)");
    std::copy(y0.begin(), y0.end(), view_mut(y_.get()).begin());
    interpolation_.reset(N_VNewEmpty_Serial(static_cast<sunindextype>(n_), context_.get()));
    if (!interpolation_) throw runtime_error("CVODE: could not allocate a vector (N_VNewEmpty_Serial)");

    cvode_.reset(CVodeCreate(options.method == Method::cvode_adams ? CV_ADAMS : CV_BDF, context_.get()));
    if (!cvode_) throw runtime_error("CVODE: could not create the integrator (CVodeCreate)");
    void* mem = cvode_.get();
    check(CVodeSetErrHandlerFn(mem, &CvodeStepper::error_handler, this), "CVodeSetErrHandlerFn");
    check(CVodeInit(mem, &CvodeStepper::rhs, t0, y_.get()), "CVodeInit");
    check(CVodeSetUserData(mem, this), "CVodeSetUserData");

    if (options.atol_vector.empty()) {
        check(CVodeSStolerances(mem, options.rtol, options.atol), "CVodeSStolerances");
    } else {
        atol_.reset(N_VNew_Serial(static_cast<sunindextype>(n_), context_.get()));
        if (!atol_) throw runtime_error("CVODE: could not allocate the tolerance vector (N_VNew_Serial)");
        std::copy(options.atol_vector.begin(), options.atol_vector.end(), view_mut(atol_.get()).begin());
        check(CVodeSVtolerances(mem, options.rtol, atol_.get()), "CVodeSVtolerances");
    }
    check(CVodeSetMaxNumSteps(mem, options.max_steps), "CVodeSetMaxNumSteps");
    if (options.max_order > 0) check(CVodeSetMaxOrd(mem, options.max_order), "CVodeSetMaxOrd");
    if (options.initial_step > 0) check(CVodeSetInitStep(mem, options.initial_step), "CVodeSetInitStep");
    if (options.min_step > 0) check(CVodeSetMinStep(mem, options.min_step), "CVodeSetMinStep");
    if (options.max_step > 0) check(CVodeSetMaxStep(mem, options.max_step), "CVodeSetMaxStep");
    check(CVodeSetMaxErrTestFails(mem, options.max_error_test_failures), "CVodeSetMaxErrTestFails");
    check(CVodeSetMaxNonlinIters(mem, options.max_nonlinear_iterations), "CVodeSetMaxNonlinIters");
    check(CVodeSetMaxConvFails(mem, options.max_convergence_failures), "CVodeSetMaxConvFails");

    set_up_linear_solver();

    const std::size_t nroots = model.system().root_count();
    if (nroots > 0) {
        check(CVodeRootInit(mem, static_cast<int>(nroots), &CvodeStepper::roots), "CVodeRootInit");
        check(CVodeSetNoInactiveRootWarn(mem), "CVodeSetNoInactiveRootWarn");
        root_directions_.resize(nroots);
    }
}

void CvodeStepper::set_up_linear_solver()
{
    OdeSystem& system = model_.system();
    const auto n = static_cast<sunindextype>(n_);
    const JacobianKind kind = system.jacobian_kind();
    if (kind == JacobianKind::sparse) {
        const SparsityPattern& given = system.sparsity();
        std::vector<std::pair<std::int64_t, std::int64_t>> entries;
        entries.reserve(given.nonzeros() + n_);
        for (std::size_t i = 0; i < n_; ++i) {
            entries.emplace_back(i, i);
            for (auto p = given.row_offsets[i]; p < given.row_offsets[i + 1]; ++p)
                entries.emplace_back(i, given.columns[static_cast<std::size_t>(p)]);
        }
        pattern_ = make_sparsity_pattern(n_, entries);
        model_values_.resize(given.nonzeros());
        if (pattern_.nonzeros() != given.nonzeros()) {
            value_slot_.resize(given.nonzeros());
            for (std::size_t i = 0; i < n_; ++i)
                for (auto p = given.row_offsets[i]; p < given.row_offsets[i + 1]; ++p)
                    value_slot_[static_cast<std::size_t>(p)] =
                        pattern_.find(static_cast<std::int64_t>(i), given.columns[static_cast<std::size_t>(p)]);
        }
    }
    if (kind == JacobianKind::dense && options_.linear_solver == LinearSolver::banded)
        dense_scratch_.resize(static_cast<Eigen::Index>(n_), static_cast<Eigen::Index>(n_));

    void* mem = cvode_.get();
    switch (options_.linear_solver) {
    case LinearSolver::dense:
        matrix_.reset(SUNDenseMatrix(n, n, context_.get()));
        if (!matrix_) throw runtime_error("CVODE: could not allocate a dense " + std::to_string(n_) + " x " +
                                          std::to_string(n_) + " matrix");
        solver_.reset(SUNLinSol_Dense(y_.get(), matrix_.get(), context_.get()));
        break;
    case LinearSolver::banded: {
        long upper = options_.upper_bandwidth, lower = options_.lower_bandwidth;
        if (kind == JacobianKind::sparse) {
            long pattern_upper = 0, pattern_lower = 0;
            for (std::size_t i = 0; i < n_; ++i)
                for (auto p = pattern_.row_offsets[i]; p < pattern_.row_offsets[i + 1]; ++p) {
                    const long offset = static_cast<long>(pattern_.columns[static_cast<std::size_t>(p)]) - static_cast<long>(i);
                    pattern_upper = std::max(pattern_upper, offset);
                    pattern_lower = std::max(pattern_lower, -offset);
                }
            if (upper < 0) upper = pattern_upper;
            if (lower < 0) lower = pattern_lower;
            if (upper < pattern_upper || lower < pattern_lower)
                throw invalid_parameter("upper_bandwidth", "the bandwidths (" + std::to_string(upper) + ", " +
                                                               std::to_string(lower) +
                                                               ") are narrower than the model's Jacobian pattern (" +
                                                               std::to_string(pattern_upper) + ", " +
                                                               std::to_string(pattern_lower) + ")");
        }
        matrix_.reset(SUNBandMatrix(n, upper, lower, context_.get()));
        if (!matrix_) throw runtime_error("CVODE: could not allocate a band matrix");
        solver_.reset(SUNLinSol_Band(y_.get(), matrix_.get(), context_.get()));
        break;
    }
    case LinearSolver::klu:
        matrix_.reset(SUNSparseMatrix(n, n, static_cast<sunindextype>(pattern_.nonzeros()), CSR_MAT, context_.get()));
        if (!matrix_) throw runtime_error("CVODE: could not allocate a sparse matrix");
        solver_.reset(SUNLinSol_KLU(y_.get(), matrix_.get(), context_.get()));
        break;
    case LinearSolver::gmres:
        solver_.reset(SUNLinSol_SPGMR(y_.get(), options_.use_preconditioner ? SUN_PREC_LEFT : SUN_PREC_NONE,
                                      options_.krylov_dimension, context_.get()));
        break;
    }
    if (!solver_) throw runtime_error("CVODE: could not create the " + std::string(to_string(options_.linear_solver)) +
                                      " linear solver");
    check(CVodeSetLinearSolver(mem, solver_.get(), matrix_.get()), "CVodeSetLinearSolver");
    if (options_.linear_solver == LinearSolver::gmres) {
        if (options_.use_preconditioner)
            check(CVodeSetPreconditioner(mem, &CvodeStepper::preconditioner_setup, &CvodeStepper::preconditioner_solve),
                  "CVodeSetPreconditioner");
    } else if (kind != JacobianKind::none) {
        check(CVodeSetJacFn(mem, &CvodeStepper::jacobian), "CVodeSetJacFn");
    }
}

void CvodeStepper::check(int flag, const char* function) const
{
    if (flag >= 0) return;
    std::string what = std::string("CVODE: ") + function + " failed with " + CVodeGetReturnFlagName(flag);
    if (!last_cvode_message_.empty()) what += ": " + last_cvode_message_;
    throw runtime_error(what);
}

void CvodeStepper::restart(double t, std::span<const double> y)
{
    before_restarts_ += read_counters();
    const auto own = view_mut(y_.get());
    if (y.data() != own.data()) std::copy(y.begin(), y.end(), own.begin());
    check(CVodeReInit(cvode_.get(), t, y_.get()), "CVodeReInit");
    t_ = t;
}

void CvodeStepper::begin_advance()
{
    steps_this_advance_ = 0;
    non_finite_variable_ = -1;
}

StepOutcome CvodeStepper::step(double t_limit)
{
    void* mem = cvode_.get();
    check(CVodeSetStopTime(mem, t_limit), "CVodeSetStopTime");
    pending_ = nullptr;
    last_cvode_message_.clear();
    double t_reached = t_;
    const int flag = CVode(mem, t_limit, y_.get(), &t_reached, CV_ONE_STEP);
    if (pending_) std::rethrow_exception(pending_);
    if (flag < 0) fail(flag);
    t_ = t_reached;
    if (++steps_this_advance_ > options_.max_steps) {
        last_cvode_message_ = "more than max_steps = " + std::to_string(options_.max_steps) +
                              " steps in one advance; raise max_steps or check the model";
        fail(CV_TOO_MUCH_WORK);
    }
    StepOutcome outcome{t_, {}};
    if (flag == CV_ROOT_RETURN) {
        check(CVodeGetRootInfo(mem, root_directions_.data()), "CVodeGetRootInfo");
        for (std::size_t i = 0; i < root_directions_.size(); ++i)
            if (root_directions_[i] != 0) outcome.events.push_back({t_, i, root_directions_[i]});
    }
    return outcome;
}

void CvodeStepper::interpolate(double t, std::span<double> out)
{
    N_VSetArrayPointer(out.data(), interpolation_.get());
    check(CVodeGetDky(cvode_.get(), t, 0, interpolation_.get()), "CVodeGetDky");
}

[[noreturn]] void CvodeStepper::fail(int flag)
{
    void* mem = cvode_.get();
    double t = t_, h = 0;
    CVodeGetCurrentTime(mem, &t);
    CVodeGetLastStep(mem, &h);
    const OdeSystem& system = model_.system();
    std::string what = "CVODE (" + std::string(to_string(options_.method)) + ", " +
                       std::string(to_string(options_.linear_solver)) + ") failed " + describe_failure(system, t, h) +
                       ": " + CVodeGetReturnFlagName(flag);
    if (!last_cvode_message_.empty()) what += " (" + last_cvode_message_ + ")";
    std::string variable;
    if (non_finite_variable_ >= 0) {
        variable = system.variable_name(static_cast<std::size_t>(non_finite_variable_));
        what += ". The right-hand side was not finite (NaN or infinite) for '" + variable + "' at t = " +
                std::to_string(non_finite_time_);
    } else {
        // Point at the variable with the largest weighted local error estimate.
        VectorPtr errors(N_VNew_Serial(static_cast<sunindextype>(n_), context_.get()));
        VectorPtr weights(N_VNew_Serial(static_cast<sunindextype>(n_), context_.get()));
        if (errors && weights && CVodeGetEstLocalErrors(mem, errors.get()) >= 0 &&
            CVodeGetErrWeights(mem, weights.get()) >= 0) {
            const auto e = view(errors.get());
            const auto w = view(weights.get());
            std::size_t worst = 0;
            for (std::size_t i = 1; i < n_; ++i)
                if (std::abs(e[i] * w[i]) > std::abs(e[worst] * w[worst])) worst = i;
            variable = system.variable_name(worst);
            what += ". Largest weighted local error in '" + variable + "'";
        }
    }
    throw solver_error(what, t, h, variable);
}

RunSummary CvodeStepper::read_counters() const
{
    void* mem = cvode_.get();
    RunSummary s;
    check(CVodeGetNumSteps(mem, &s.steps), "CVodeGetNumSteps");
    check(CVodeGetNumRhsEvals(mem, &s.rhs_evaluations), "CVodeGetNumRhsEvals");
    check(CVodeGetNumLinSolvSetups(mem, &s.linear_solver_setups), "CVodeGetNumLinSolvSetups");
    check(CVodeGetNumErrTestFails(mem, &s.error_test_failures), "CVodeGetNumErrTestFails");
    check(CVodeGetNumNonlinSolvIters(mem, &s.nonlinear_iterations), "CVodeGetNumNonlinSolvIters");
    check(CVodeGetNumNonlinSolvConvFails(mem, &s.nonlinear_convergence_failures), "CVodeGetNumNonlinSolvConvFails");
    check(CVodeGetNumJacEvals(mem, &s.jacobian_evaluations), "CVodeGetNumJacEvals");
    check(CVodeGetNumLinRhsEvals(mem, &s.jacobian_rhs_evaluations), "CVodeGetNumLinRhsEvals");
    check(CVodeGetNumLinIters(mem, &s.linear_iterations), "CVodeGetNumLinIters");
    check(CVodeGetNumLinConvFails(mem, &s.linear_convergence_failures), "CVodeGetNumLinConvFails");
    check(CVodeGetNumPrecEvals(mem, &s.preconditioner_setups), "CVodeGetNumPrecEvals");
    check(CVodeGetNumPrecSolves(mem, &s.preconditioner_solves), "CVodeGetNumPrecSolves");
    if (!root_directions_.empty()) check(CVodeGetNumGEvals(mem, &s.root_evaluations), "CVodeGetNumGEvals");
    if (s.steps > 0) {
        check(CVodeGetLastStep(mem, &s.last_step), "CVodeGetLastStep");
        check(CVodeGetLastOrder(mem, &s.last_order), "CVodeGetLastOrder");
    }
    return s;
}

RunSummary CvodeStepper::counters() const
{
    RunSummary s = before_restarts_;
    s += read_counters();
    return s;
}

// --- callbacks ----------------------------------------------------------------------------------

int CvodeStepper::rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* data)
{
    auto& self = *static_cast<CvodeStepper*>(data);
    return self.guarded([&] {
        const auto bad = self.model_.rhs(t, view(y), view_mut(ydot));
        if (bad < 0) return ok;
        // Recoverable: CVODE retries with a smaller step, which is the cure when a too-large
        // trial step overflowed an exponential; if the NaN persists it gives up and we report it.
        self.non_finite_variable_ = bad;
        self.non_finite_time_ = t;
        return recoverable;
    });
}

int CvodeStepper::jacobian(sunrealtype t, N_Vector y, N_Vector, SUNMatrix J, void* data, N_Vector, N_Vector, N_Vector)
{
    auto& self = *static_cast<CvodeStepper*>(data);
    return self.guarded([&] {
        OdeSystem& system = self.model_.system();
        const auto u = self.model_.inputs_at(t);
        const auto n = static_cast<Eigen::Index>(self.n_);
        const SUNMatrix_ID id = SUNMatGetID(J);
        if (system.jacobian_kind() == JacobianKind::dense) {
            if (id == SUNMATRIX_DENSE) {
                system.dense_jacobian(t, view(y), u, DenseMatrixRef(SM_DATA_D(J), n, n));
                return ok;
            }
            // banded from dense: copy the band
            system.dense_jacobian(t, view(y), u, DenseMatrixRef(self.dense_scratch_.data(), n, n));
            const sunindextype mu = SM_UBAND_B(J), ml = SM_LBAND_B(J);
            for (sunindextype j = 0; j < n; ++j)
                for (sunindextype i = std::max<sunindextype>(0, j - mu); i <= std::min<sunindextype>(n - 1, j + ml); ++i)
                    SM_ELEMENT_B(J, i, j) = self.dense_scratch_(i, j);
            return ok;
        }
        // sparse model Jacobian
        const SparsityPattern& given = system.sparsity();
        if (id == SUNMATRIX_SPARSE) {
            // CVODE zeroes the whole matrix, index arrays included, before each evaluation.
            std::memcpy(SM_INDEXPTRS_S(J), self.pattern_.row_offsets.data(), self.pattern_.row_offsets.size() * sizeof(sunindextype));
            std::memcpy(SM_INDEXVALS_S(J), self.pattern_.columns.data(), self.pattern_.columns.size() * sizeof(sunindextype));
            if (self.value_slot_.empty()) {
                system.sparse_jacobian(t, view(y), u, std::span<double>(SM_DATA_S(J), self.pattern_.nonzeros()));
            } else {
                system.sparse_jacobian(t, view(y), u, self.model_values_);
                std::fill_n(SM_DATA_S(J), self.pattern_.nonzeros(), 0.0);
                for (std::size_t p = 0; p < self.model_values_.size(); ++p)
                    SM_DATA_S(J)[self.value_slot_[p]] = self.model_values_[p];
            }
            return ok;
        }
        system.sparse_jacobian(t, view(y), u, self.model_values_);
        SUNMatZero(J);
        for (std::size_t i = 0; i < self.n_; ++i)
            for (auto p = given.row_offsets[i]; p < given.row_offsets[i + 1]; ++p) {
                const auto row = static_cast<sunindextype>(i);
                const auto col = static_cast<sunindextype>(given.columns[static_cast<std::size_t>(p)]);
                const double v = self.model_values_[static_cast<std::size_t>(p)];
                if (id == SUNMATRIX_DENSE)
                    SM_ELEMENT_D(J, row, col) = v;
                else
                    SM_ELEMENT_B(J, row, col) = v;
            }
        return ok;
    });
}

int CvodeStepper::roots(sunrealtype t, N_Vector y, sunrealtype* g, void* data)
{
    auto& self = *static_cast<CvodeStepper*>(data);
    return self.guarded([&] {
        self.model_.system().roots(t, view(y), self.model_.inputs_at(t), std::span<double>(g, self.root_directions_.size()));
        return ok;
    });
}

int CvodeStepper::preconditioner_setup(sunrealtype t, N_Vector y, N_Vector, sunbooleantype jok, sunbooleantype* jcur,
                                       sunrealtype gamma, void* data)
{
    auto& self = *static_cast<CvodeStepper*>(data);
    return self.guarded([&] {
        *jcur = self.model_.system().preconditioner_setup(t, view(y), self.model_.inputs_at(t), jok != 0, gamma);
        return ok;
    });
}

int CvodeStepper::preconditioner_solve(sunrealtype t, N_Vector y, N_Vector, N_Vector r, N_Vector z, sunrealtype gamma,
                                       sunrealtype, int, void* data)
{
    auto& self = *static_cast<CvodeStepper*>(data);
    return self.guarded([&] {
        self.model_.system().preconditioner_solve(t, view(y), self.model_.inputs_at(t), view(r), view_mut(z), gamma);
        return ok;
    });
}

void CvodeStepper::error_handler(int, const char*, const char* function, char* message, void* data)
{
    auto& self = *static_cast<CvodeStepper*>(data);
    self.last_cvode_message_ = std::string(function) + ": " + message;
}

}  // namespace

std::unique_ptr<Stepper> make_cvode_stepper(DrivenModel& model, const SolverOptions& options, double t0,
                                            std::span<const double> y0)
{
    return std::make_unique<CvodeStepper>(model, options, t0, y0);
}

}  // namespace neurode::sim::detail
