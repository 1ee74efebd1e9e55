#pragma once
// Firing-rate nonlinearities r = f(x) of rate networks, with their derivatives.

#include <string_view>

namespace neurode::rnn {

enum class Activation {
    tanh,           // f(x) = tanh(x)
    one_plus_tanh,  // f(x) = 1 + tanh(x): non-negative rates around a baseline of 1
    relu,           // f(x) = max(x, 0)
    softplus,       // f(x) = log(1 + e^x)
};

double activate(Activation f, double x);
double activation_derivative(Activation f, double x);  // df/dx (ReLU: 0 at x = 0)

std::string_view to_string(Activation f);
// Parses the names to_string() prints; throws invalid_parameter(field, ...) on an unknown name.
Activation parse_activation(std::string_view name, std::string_view field = "activation");

}  // namespace neurode::rnn
