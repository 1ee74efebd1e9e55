#pragma once
// Time-varying input signals that a simulation feeds to a model's inputs. A signal knows the times
// where it jumps (its breakpoints); the simulation hands them to the integrator as
// discontinuities so that no step straddles a jump.

#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace neurode::sim {

enum class Interpolation {
    hold,    // value of the latest sample (zero-order hold); every sample time is a breakpoint
    linear,  // linear between samples; continuous, so no interior breakpoints
};

class InputSignal {
public:
    // The same value at every time.
    static InputSignal constant(double value);
    // values[i] on [times[i], times[i+1]); 0 before times[0]; values.back() after the last time.
    static InputSignal piecewise_constant(std::vector<double> times, std::vector<double> values);
    // Samples at strictly increasing times, interpolated; the end values hold outside the range.
    static InputSignal sampled(std::vector<double> times, std::vector<double> values,
                               Interpolation interpolation);
    // Samples at t0, t0 + dt, ... (dt > 0).
    static InputSignal sampled_uniform(double t0, double dt, std::vector<double> values,
                                       Interpolation interpolation);
    // Any function of time; breakpoints are the times where it jumps (strictly increasing).
    static InputSignal function(std::function<double(double)> f, std::vector<double> breakpoints = {});

    double operator()(double t) const;
    std::span<const double> breakpoints() const;

    InputSignal(const InputSignal&);
    InputSignal& operator=(const InputSignal&);
    InputSignal(InputSignal&&) noexcept;
    InputSignal& operator=(InputSignal&&) noexcept;
    ~InputSignal();

private:
    struct Impl;
    explicit InputSignal(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace neurode::sim
