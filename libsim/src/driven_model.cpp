#include "stepper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace neurode::sim::detail {

DrivenModel::DrivenModel(OdeSystem& system)
    : system_(system), n_(system.size()), signals_(system.input_count()), u_(system.input_count(), 0.0),
      segment_end_(std::numeric_limits<double>::infinity())
{}

void DrivenModel::bind(std::size_t index, InputSignal signal)
{
    signals_.at(index) = std::make_unique<InputSignal>(std::move(signal));
}

std::span<const double> DrivenModel::inputs_at(double t)
{
    const double at = t < segment_end_ ? t : std::nextafter(segment_end_, -std::numeric_limits<double>::infinity());
    for (std::size_t k = 0; k < signals_.size(); ++k)
        if (signals_[k]) u_[k] = (*signals_[k])(at);
    return u_;
}

std::vector<double> DrivenModel::discontinuities() const
{
    std::vector<double> times = system_.discontinuities();
    for (const auto& s : signals_)
        if (s) times.insert(times.end(), s->breakpoints().begin(), s->breakpoints().end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
}

std::ptrdiff_t DrivenModel::rhs(double t, std::span<const double> y, std::span<double> ydot)
{
    system_.rhs(t, y, inputs_at(t), ydot);
    // One vectorisable sum finds a NaN or infinity anywhere; only then look for which entry.
    double sum = 0;
    for (double v : ydot) sum += v;
    if (std::isfinite(sum)) return -1;
    for (std::size_t i = 0; i < ydot.size(); ++i)
        if (!std::isfinite(ydot[i])) return static_cast<std::ptrdiff_t>(i);
    return -1;  // the sum overflowed, every entry is finite
}

std::string describe_failure(const OdeSystem& system, double t, double h)
{
    std::ostringstream s;
    s.precision(10);
    s << "at t = " << t << " " << system.time_unit() << " (last step size " << h << " " << system.time_unit()
      << ")";
    return s.str();
}

}  // namespace neurode::sim::detail
