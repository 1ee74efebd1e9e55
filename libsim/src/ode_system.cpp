#include <neurode/sim/ode_system.hpp>

#include <algorithm>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::sim {

namespace {
[[noreturn]] void not_provided(const char* what)
{
    throw logic_error(std::string("OdeSystem::") + what +
                      " called, but the model does not provide it (check jacobian_kind(), "
                      "has_preconditioner() or root_count())");
}
}  // namespace

std::string OdeSystem::variable_name(std::size_t i) const { return "y[" + std::to_string(i) + "]"; }
std::string OdeSystem::input_name(std::size_t k) const { return "u[" + std::to_string(k) + "]"; }
void OdeSystem::dense_jacobian(double, ConstVector, ConstVector, DenseMatrixRef) { not_provided("dense_jacobian"); }
const SparsityPattern& OdeSystem::sparsity() const { not_provided("sparsity"); }
void OdeSystem::sparse_jacobian(double, ConstVector, ConstVector, Vector) { not_provided("sparse_jacobian"); }
bool OdeSystem::preconditioner_setup(double, ConstVector, ConstVector, bool, double)
{
    not_provided("preconditioner_setup");
}
void OdeSystem::preconditioner_solve(double, ConstVector, ConstVector, ConstVector, Vector, double)
{
    not_provided("preconditioner_solve");
}
void OdeSystem::roots(double, ConstVector, ConstVector, Vector) { not_provided("roots"); }
void OdeSystem::staggered_step(double, double, double, ConstVector, Vector) { not_provided("staggered_step"); }

void SparsityPattern::validate(std::size_t n) const
{
    const auto nn = static_cast<std::int64_t>(n);
    if (row_offsets.size() != n + 1)
        throw invalid_parameter("sparsity.row_offsets", "must have n + 1 = " + std::to_string(n + 1) +
                                                            " entries for a " + std::to_string(n) + " x " +
                                                            std::to_string(n) + " Jacobian, has " +
                                                            std::to_string(row_offsets.size()));
    if (row_offsets.front() != 0)
        throw invalid_parameter("sparsity.row_offsets[0]", "must be 0");
    if (row_offsets.back() != static_cast<std::int64_t>(columns.size()))
        throw invalid_parameter("sparsity.row_offsets[n]",
                                "must equal the number of column entries (" + std::to_string(columns.size()) + ")");
    for (std::size_t i = 0; i < n; ++i) {
        if (row_offsets[i + 1] < row_offsets[i])
            throw invalid_parameter("sparsity.row_offsets[" + std::to_string(i + 1) + "]", "must not decrease");
        for (auto p = row_offsets[i]; p < row_offsets[i + 1]; ++p) {
            const auto c = columns[static_cast<std::size_t>(p)];
            if (c < 0 || c >= nn)
                throw invalid_parameter("sparsity.columns[" + std::to_string(p) + "]",
                                        "column " + std::to_string(c) + " is outside [0, " + std::to_string(n) + ")");
            if (p > row_offsets[i] && c <= columns[static_cast<std::size_t>(p - 1)])
                throw invalid_parameter("sparsity.columns[" + std::to_string(p) + "]",
                                        "columns of row " + std::to_string(i) + " must be strictly increasing");
        }
    }
}

std::int64_t SparsityPattern::find(std::int64_t row, std::int64_t column) const
{
    const auto begin = columns.begin() + row_offsets[static_cast<std::size_t>(row)];
    const auto end = columns.begin() + row_offsets[static_cast<std::size_t>(row) + 1];
    const auto it = std::lower_bound(begin, end, column);
    return (it != end && *it == column) ? (it - columns.begin()) : -1;
}

SparsityPattern make_sparsity_pattern(std::size_t n,
                                      const std::vector<std::pair<std::int64_t, std::int64_t>>& entries)
{
    auto sorted = entries;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    SparsityPattern p;
    p.row_offsets.assign(n + 1, 0);
    for (const auto& [row, column] : sorted) {
        if (row < 0 || row >= static_cast<std::int64_t>(n))
            throw invalid_parameter("sparsity.entries", "row " + std::to_string(row) + " is outside [0, " +
                                                            std::to_string(n) + ")");
        ++p.row_offsets[static_cast<std::size_t>(row) + 1];
        p.columns.push_back(column);
    }
    for (std::size_t i = 0; i < n; ++i) p.row_offsets[i + 1] += p.row_offsets[i];
    p.validate(n);
    return p;
}

}  // namespace neurode::sim
