#include <neurode/sim/input.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::sim {

namespace {
enum class Kind { constant, piecewise_constant, sampled_hold, sampled_linear, function };

void check_times(const std::vector<double>& times, const char* field)
{
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (!std::isfinite(times[i]))
            throw invalid_parameter(std::string(field) + "[" + std::to_string(i) + "]", "must be finite");
        if (i > 0 && !(times[i] > times[i - 1]))
            throw invalid_parameter(std::string(field) + "[" + std::to_string(i) + "]",
                                    "times must be strictly increasing, but " + std::to_string(times[i]) +
                                        " follows " + std::to_string(times[i - 1]));
    }
}

void check_samples(const std::vector<double>& times, const std::vector<double>& values)
{
    if (times.empty()) throw invalid_parameter("times", "must not be empty");
    if (values.size() != times.size())
        throw invalid_parameter("values", "must have one value per time (" + std::to_string(times.size()) +
                                              "), has " + std::to_string(values.size()));
    check_times(times, "times");
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throw invalid_parameter("values[" + std::to_string(i) + "]", "must be finite");
}
}  // namespace

struct InputSignal::Impl {
    Kind kind = Kind::constant;
    std::vector<double> times;
    std::vector<double> values;
    std::vector<double> breakpoints;
    std::function<double(double)> f;

    // Index of the last sample with times[i] <= t, or -1 before the first.
    std::ptrdiff_t last_at_or_before(double t) const
    {
        return std::upper_bound(times.begin(), times.end(), t) - times.begin() - 1;
    }
};

InputSignal::InputSignal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
InputSignal::InputSignal(const InputSignal& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
InputSignal& InputSignal::operator=(const InputSignal& other)
{
    impl_ = std::make_unique<Impl>(*other.impl_);
    return *this;
}
InputSignal::InputSignal(InputSignal&&) noexcept = default;
InputSignal& InputSignal::operator=(InputSignal&&) noexcept = default;
InputSignal::~InputSignal() = default;

InputSignal InputSignal::constant(double value)
{
    if (!std::isfinite(value)) throw invalid_parameter("value", "must be finite");
    auto impl = std::make_unique<Impl>();
    impl->values = {value};
    return InputSignal(std::move(impl));
}

InputSignal InputSignal::piecewise_constant(std::vector<double> times, std::vector<double> values)
{
    check_samples(times, values);
    auto impl = std::make_unique<Impl>();
    impl->kind = Kind::piecewise_constant;
    impl->breakpoints = times;
    impl->times = std::move(times);
    impl->values = std::move(values);
    return InputSignal(std::move(impl));
}

InputSignal InputSignal::sampled(std::vector<double> times, std::vector<double> values, Interpolation interpolation)
{
    check_samples(times, values);
    auto impl = std::make_unique<Impl>();
    if (interpolation == Interpolation::hold) {
        impl->kind = Kind::sampled_hold;
        impl->breakpoints.assign(times.begin() + 1, times.end());
    } else {
        impl->kind = Kind::sampled_linear;
    }
    impl->times = std::move(times);
    impl->values = std::move(values);
    return InputSignal(std::move(impl));
}

InputSignal InputSignal::sampled_uniform(double t0, double dt, std::vector<double> values, Interpolation interpolation)
{
    if (!std::isfinite(t0)) throw invalid_parameter("t0", "must be finite");
    if (!(std::isfinite(dt) && dt > 0)) throw invalid_parameter("dt", "must be finite and > 0");
    std::vector<double> times(values.size());
    for (std::size_t i = 0; i < times.size(); ++i) times[i] = t0 + static_cast<double>(i) * dt;
    return sampled(std::move(times), std::move(values), interpolation);
}

InputSignal InputSignal::function(std::function<double(double)> f, std::vector<double> breakpoints)
{
    if (!f) throw invalid_parameter("f", "must be a callable function");
    check_times(breakpoints, "breakpoints");
    auto impl = std::make_unique<Impl>();
    impl->kind = Kind::function;
    impl->f = std::move(f);
    impl->breakpoints = std::move(breakpoints);
    return InputSignal(std::move(impl));
}

double InputSignal::operator()(double t) const
{
    const Impl& s = *impl_;
    switch (s.kind) {
    case Kind::constant: return s.values[0];
    case Kind::function: return s.f(t);
    case Kind::piecewise_constant: {
        const auto i = s.last_at_or_before(t);
        return i < 0 ? 0.0 : s.values[static_cast<std::size_t>(i)];
    }
    case Kind::sampled_hold: {
        const auto i = s.last_at_or_before(t);
        return s.values[static_cast<std::size_t>(std::max<std::ptrdiff_t>(i, 0))];
    }
    case Kind::sampled_linear: {
        const auto i = s.last_at_or_before(t);
        if (i < 0) return s.values.front();
        const auto k = static_cast<std::size_t>(i);
        if (k + 1 >= s.times.size()) return s.values.back();
        const double w = (t - s.times[k]) / (s.times[k + 1] - s.times[k]);
        return (1 - w) * s.values[k] + w * s.values[k + 1];
    }
    }
    throw logic_error("InputSignal: unknown kind");
}

std::span<const double> InputSignal::breakpoints() const { return impl_->breakpoints; }

}  // namespace neurode::sim
