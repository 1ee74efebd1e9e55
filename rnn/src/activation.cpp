#include <neurode/rnn/activation.hpp>

#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

double activate(Activation f, double x)
{
    switch (f) {
    case Activation::tanh: return std::tanh(x);
    case Activation::one_plus_tanh: return 1.0 + std::tanh(x);
    case Activation::relu: return x > 0 ? x : 0.0;
    // Past x = 37, log(1 + e^x) equals x in double precision; this also avoids overflow.
    case Activation::softplus: return x > 37 ? x : std::log1p(std::exp(x));
    }
    return 0;
}

double activation_derivative(Activation f, double x)
{
    switch (f) {
    case Activation::tanh:
    case Activation::one_plus_tanh: {
        const double t = std::tanh(x);
        return 1.0 - t * t;
    }
    case Activation::relu: return x > 0 ? 1.0 : 0.0;
    case Activation::softplus: return 1.0 / (1.0 + std::exp(-x));
    }
    return 0;
}

std::string_view to_string(Activation f)
{
    switch (f) {
    case Activation::tanh: return "tanh";
    case Activation::one_plus_tanh: return "one_plus_tanh";
    case Activation::relu: return "relu";
    case Activation::softplus: return "softplus";
    }
    return "?";
}

Activation parse_activation(std::string_view name, std::string_view field)
{
    for (Activation f : {Activation::tanh, Activation::one_plus_tanh, Activation::relu, Activation::softplus})
        if (to_string(f) == name) return f;
    throw invalid_parameter(std::string(field), "unknown activation '" + std::string(name) +
                                                    "' (known: tanh, one_plus_tanh, relu, softplus)");
}

}  // namespace neurode::rnn
