#include <neurode/sim/jacobi_preconditioner.hpp>

#include <neurode/sim/errors.hpp>

namespace neurode::sim {

JacobiPreconditioned::JacobiPreconditioned(OdeSystem& model) : model_(model)
{
    const std::size_t n = model.size();
    switch (model.jacobian_kind()) {
        case JacobianKind::none:
            throw invalid_parameter("model",
                                    "a Jacobi preconditioner needs the model's Jacobian, and the model provides none");
        case JacobianKind::dense: jacobian_.resize(n * n); break;
        case JacobianKind::sparse: {
            const SparsityPattern& pattern = model.sparsity();
            pattern.validate(n);
            jacobian_.resize(pattern.nonzeros());
            diagonal_at_.resize(n);
            for (std::size_t i = 0; i < n; ++i)
                diagonal_at_[i] = pattern.find(static_cast<std::int64_t>(i), static_cast<std::int64_t>(i));
            break;
        }
    }
    diagonal_.assign(n, 0.0);
}

bool JacobiPreconditioned::preconditioner_setup(double t, ConstVector y, ConstVector u, bool jacobian_ok, double)
{
    if (jacobian_ok && have_diagonal_) return false;
    const std::size_t n = model_.size();
    if (model_.jacobian_kind() == JacobianKind::dense) {
        DenseMatrixRef J(jacobian_.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
        model_.dense_jacobian(t, y, u, J);
        for (std::size_t i = 0; i < n; ++i)
            diagonal_[i] = J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(i));
    } else {
        model_.sparse_jacobian(t, y, u, jacobian_);
        for (std::size_t i = 0; i < n; ++i)
            diagonal_[i] = diagonal_at_[i] < 0 ? 0.0 : jacobian_[static_cast<std::size_t>(diagonal_at_[i])];
    }
    have_diagonal_ = true;
    return true;
}

void JacobiPreconditioned::preconditioner_solve(double, ConstVector, ConstVector, ConstVector r, Vector z, double gamma)
{
    for (std::size_t i = 0; i < r.size(); ++i) {
        const double factor = 1.0 - gamma * diagonal_[i];
        z[i] = factor != 0.0 ? r[i] / factor : r[i];
    }
}

}  // namespace neurode::sim
