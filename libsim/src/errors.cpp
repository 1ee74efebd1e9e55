#include <neurode/sim/errors.hpp>

namespace neurode {

invalid_parameter::invalid_parameter(std::string field, std::string constraint)
    : runtime_error(field + ": " + constraint), field_(std::move(field)), constraint_(std::move(constraint))
{}

solver_error::solver_error(std::string what, double time, double last_step, std::string variable)
    : runtime_error(std::move(what)), time_(time), last_step_(last_step), variable_(std::move(variable))
{}

io_error::io_error(std::string path, const std::string& what)
    : runtime_error("'" + path + "': " + what), path_(std::move(path))
{}

}  // namespace neurode
