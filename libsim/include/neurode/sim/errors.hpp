#pragma once
// neurode's exceptions. Two roots: logic_error means a bug in neurode itself; runtime_error means
// bad input or a solver that could not proceed. The typed subclasses carry what a user needs to
// find the problem (which field, which time, which state variable).

#include <stdexcept>
#include <string>

namespace neurode {

class logic_error : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

class runtime_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A value given by the user (an option, a model description, an input signal) violates a
// constraint. field() names it the way the user wrote it, e.g. "rtol" or "atol[3]".
class invalid_parameter : public runtime_error {
public:
    invalid_parameter(std::string field, std::string constraint);
    const std::string& field() const noexcept { return field_; }
    const std::string& constraint() const noexcept { return constraint_; }

private:
    std::string field_;
    std::string constraint_;
};

// The integrator could not proceed: too much work, repeated error-test or convergence failures,
// a non-finite right-hand side. Carries the time reached, the last step size and the state
// variable that the failure points at (largest weighted local error, or the non-finite one).
class solver_error : public runtime_error {
public:
    solver_error(std::string what, double time, double last_step, std::string variable);
    double time() const noexcept { return time_; }            // [model time unit, ms for neurode models]
    double last_step() const noexcept { return last_step_; }  // [model time unit]
    const std::string& variable() const noexcept { return variable_; }

private:
    double time_;
    double last_step_;
    std::string variable_;
};

// A file could not be read or written; path() names it.
class io_error : public runtime_error {
public:
    io_error(std::string path, const std::string& what);
    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

}  // namespace neurode
