// M = I - c J for the linearly implicit fixed-step methods. The sparse path hands KLU the model's
// CSR pattern (with the diagonal added where missing) as the CSC pattern of M^T, and solves with
// klu_l_tsolve, which is M x = b: no transpose is ever formed (SUNDIALS' KLU wrapper does the same
// for CSR matrices). KLU objects are owned by unique_ptrs that free them through the common block.

#include "implicit_stepper.hpp"

#include <klu.h>

#include <Eigen/LU>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <neurode/sim/errors.hpp>

namespace neurode::sim::detail {
namespace {

// The pattern's index arrays go to KLU without copies.
static_assert(std::is_same_v<SuiteSparse_long, std::int64_t>, "KLU's long index type must be int64_t");

// Freeing only fails for a null common block, which these deleters never pass.
struct SymbolicDeleter {
    klu_l_common* common;
    void operator()(klu_l_symbolic* s) const { klu_l_free_symbolic(&s, common); }
};
struct NumericDeleter {
    klu_l_common* common;
    void operator()(klu_l_numeric* s) const { klu_l_free_numeric(&s, common); }
};

[[noreturn]] void klu_failure(const char* function, long status)
{
    const char* meaning = status == KLU_OUT_OF_MEMORY ? "out of memory"
                          : status == KLU_INVALID    ? "invalid matrix"
                          : status == KLU_TOO_LARGE  ? "integer overflow"
                          : status == KLU_SINGULAR   ? "singular matrix"
                                                     : "unknown status";
    throw runtime_error(std::string("KLU: ") + function + " failed with status " + std::to_string(status) + " (" +
                        meaning + ")");
}

}  // namespace

struct IterationMatrix::Sparse {
    klu_l_common common{};
    SparsityPattern pattern;                // the model's, plus the diagonal
    std::vector<std::int64_t> slot;         // model value index -> pattern index; empty if identical
    std::vector<std::int64_t> diagonal;     // pattern index of (i, i)
    std::vector<double> model_values, jacobian, matrix;
    std::unique_ptr<klu_l_symbolic, SymbolicDeleter> symbolic{nullptr, {&common}};
    std::unique_ptr<klu_l_numeric, NumericDeleter> numeric{nullptr, {&common}};

    explicit Sparse(const OdeSystem& system);
    bool factor(double c);
    void solve(std::span<double> x);
};

IterationMatrix::Sparse::Sparse(const OdeSystem& system)
{
    const std::size_t n = system.size();
    const SparsityPattern& given = system.sparsity();
    std::vector<std::pair<std::int64_t, std::int64_t>> entries;
    entries.reserve(given.nonzeros() + n);
    for (std::size_t i = 0; i < n; ++i) {
        entries.emplace_back(i, i);
        for (auto p = given.row_offsets[i]; p < given.row_offsets[i + 1]; ++p)
            entries.emplace_back(i, given.columns[static_cast<std::size_t>(p)]);
    }
    pattern = make_sparsity_pattern(n, entries);
    if (pattern.nonzeros() != given.nonzeros()) {
        slot.resize(given.nonzeros());
        model_values.resize(given.nonzeros());
        for (std::size_t i = 0; i < n; ++i)
            for (auto p = given.row_offsets[i]; p < given.row_offsets[i + 1]; ++p)
                slot[static_cast<std::size_t>(p)] =
                    pattern.find(static_cast<std::int64_t>(i), given.columns[static_cast<std::size_t>(p)]);
    }
    for (std::size_t i = 0; i < n; ++i)
        diagonal.push_back(pattern.find(static_cast<std::int64_t>(i), static_cast<std::int64_t>(i)));
    jacobian.assign(pattern.nonzeros(), 0.0);
    matrix.resize(pattern.nonzeros());

    if (!klu_l_defaults(&common)) klu_failure("klu_l_defaults", common.status);
    // The fill-reducing ordering (AMD) depends only on the pattern, so it is computed once.
    symbolic.reset(klu_l_analyze(static_cast<SuiteSparse_long>(n), pattern.row_offsets.data(), pattern.columns.data(),
                                 &common));
    if (!symbolic) klu_failure("klu_l_analyze", common.status);
}

bool IterationMatrix::Sparse::factor(double c)
{
    for (std::size_t p = 0; p < matrix.size(); ++p) matrix[p] = -c * jacobian[p];
    for (const auto d : diagonal) matrix[static_cast<std::size_t>(d)] += 1.0;
    auto* const offsets = pattern.row_offsets.data();
    auto* const columns = pattern.columns.data();
    if (numeric) {
        // Same pivot order as the last factorisation: no search, no reallocation. Pivot afresh
        // when that order has become poor for the new values (SUNDIALS' KLU wrapper's threshold).
        if (klu_l_refactor(offsets, columns, matrix.data(), symbolic.get(), numeric.get(), &common)) {
            if (!klu_l_rcond(symbolic.get(), numeric.get(), &common)) klu_failure("klu_l_rcond", common.status);
            if (common.rcond >= std::pow(std::numeric_limits<double>::epsilon(), 2.0 / 3.0)) return true;
        } else if (common.status != KLU_SINGULAR) {
            klu_failure("klu_l_refactor", common.status);
        }
    }
    numeric.reset(klu_l_factor(offsets, columns, matrix.data(), symbolic.get(), &common));
    if (numeric) return true;
    if (common.status == KLU_SINGULAR) return false;
    klu_failure("klu_l_factor", common.status);
}

void IterationMatrix::Sparse::solve(std::span<double> x)
{
    // KLU factored M^T (our CSR read as CSC); the transposed solve is M x = b.
    if (!klu_l_tsolve(symbolic.get(), numeric.get(), static_cast<SuiteSparse_long>(x.size()), 1, x.data(), &common))
        klu_failure("klu_l_tsolve", common.status);
}

struct IterationMatrix::Dense {
    Eigen::MatrixXd jacobian, matrix;
    Eigen::PartialPivLU<Eigen::MatrixXd> lu;
    Eigen::VectorXd solution;
};

IterationMatrix::IterationMatrix(OdeSystem& system) : system_(&system)
{
    const auto n = static_cast<Eigen::Index>(system.size());
    switch (system.jacobian_kind()) {
    case JacobianKind::sparse: sparse_ = std::make_unique<Sparse>(system); break;
    case JacobianKind::dense:
        dense_ = std::make_unique<Dense>();
        dense_->jacobian.resize(n, n);
        dense_->lu = Eigen::PartialPivLU<Eigen::MatrixXd>(n);
        dense_->solution.resize(n);
        break;
    case JacobianKind::none: throw logic_error("IterationMatrix: the model has no Jacobian (options not validated)");
    }
}

IterationMatrix::~IterationMatrix() = default;

void IterationMatrix::evaluate_jacobian(double t, std::span<const double> y, std::span<const double> u)
{
    if (sparse_) {
        Sparse& s = *sparse_;
        if (s.slot.empty()) {
            system_->sparse_jacobian(t, y, u, s.jacobian);
        } else {
            system_->sparse_jacobian(t, y, u, s.model_values);
            for (std::size_t p = 0; p < s.slot.size(); ++p) s.jacobian[static_cast<std::size_t>(s.slot[p])] = s.model_values[p];
        }
        return;
    }
    Eigen::MatrixXd& J = dense_->jacobian;
    J.setZero();  // models may fill only their nonzeros
    system_->dense_jacobian(t, y, u, DenseMatrixRef(J.data(), J.rows(), J.cols()));
}

bool IterationMatrix::factor(double c)
{
    if (sparse_) return sparse_->factor(c);
    Dense& d = *dense_;
    d.matrix = -c * d.jacobian;
    d.matrix.diagonal().array() += 1.0;
    d.lu.compute(d.matrix);
    // PartialPivLU does not report singularity; a zero or non-finite pivot is it.
    const auto pivots = d.lu.matrixLU().diagonal().array();
    return (pivots != 0.0).all() && pivots.isFinite().all();
}

void IterationMatrix::solve(std::span<double> x)
{
    if (sparse_) return sparse_->solve(x);
    Eigen::Map<Eigen::VectorXd> b(x.data(), static_cast<Eigen::Index>(x.size()));
    dense_->solution = dense_->lu.solve(b);
    b = dense_->solution;
}

}  // namespace neurode::sim::detail
