#include <neurode/sim/recording.hpp>
#include <neurode/sim/summary.hpp>

#include <sstream>

namespace neurode::sim {

Probe Probe::state(std::string name, std::vector<std::size_t> variables, double interval)
{
    Probe p;
    p.name = std::move(name);
    p.variables = std::move(variables);
    p.interval = interval;
    return p;
}

Probe Probe::derived(std::string name, Observable observable, std::size_t width, std::string unit, double interval)
{
    Probe p;
    p.name = std::move(name);
    p.observable = std::move(observable);
    p.observable_width = width;
    p.unit = std::move(unit);
    p.interval = interval;
    return p;
}

std::vector<double> Recording::column(std::size_t c) const
{
    std::vector<double> out(samples());
    for (std::size_t s = 0; s < out.size(); ++s) out[s] = at(s, c);
    return out;
}

namespace {
constexpr RunSummary::Counter counter_table[] = {
    {"steps", &RunSummary::steps},
    {"rhs_evaluations", &RunSummary::rhs_evaluations},
    {"jacobian_rhs_evaluations", &RunSummary::jacobian_rhs_evaluations},
    {"jacobian_evaluations", &RunSummary::jacobian_evaluations},
    {"linear_solver_setups", &RunSummary::linear_solver_setups},
    {"nonlinear_iterations", &RunSummary::nonlinear_iterations},
    {"nonlinear_convergence_failures", &RunSummary::nonlinear_convergence_failures},
    {"error_test_failures", &RunSummary::error_test_failures},
    {"linear_iterations", &RunSummary::linear_iterations},
    {"linear_convergence_failures", &RunSummary::linear_convergence_failures},
    {"preconditioner_setups", &RunSummary::preconditioner_setups},
    {"preconditioner_solves", &RunSummary::preconditioner_solves},
    {"root_evaluations", &RunSummary::root_evaluations},
    {"events", &RunSummary::events},
    {"restarts", &RunSummary::restarts},
    {"scheduled_events", &RunSummary::scheduled_events},
};
}  // namespace

std::span<const RunSummary::Counter> RunSummary::counters() { return counter_table; }

RunSummary& RunSummary::operator+=(const RunSummary& other)
{
    for (const auto& c : counter_table) this->*c.field += other.*c.field;
    if (other.steps > 0) {
        last_step = other.last_step;
        last_order = other.last_order;
    }
    wall_seconds += other.wall_seconds;
    return *this;
}

RunSummary operator-(RunSummary later, const RunSummary& earlier)
{
    for (const auto& c : counter_table) later.*c.field -= earlier.*c.field;
    later.wall_seconds -= earlier.wall_seconds;
    return later;
}

std::string RunSummary::brief() const
{
    std::ostringstream s;
    for (const auto& c : counter_table)
        if (this->*c.field != 0) s << c.name << "=" << this->*c.field << " ";
    s << "wall_seconds=" << wall_seconds;
    return s.str();
}

}  // namespace neurode::sim
