#include <neurode/rnn/rate_network_json.hpp>

#include <functional>
#include <map>

#include <nlohmann/json.hpp>

#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

namespace {
using nlohmann::json;
using Setter = std::function<void(RateNetworkOptions&, const json&)>;

template <class T, class Field>
Setter set(Field field)
{
    return [field](RateNetworkOptions& o, const json& v) { o.*field = v.get<T>(); };
}

InitialState parse_initial_state(const std::string& name)
{
    if (name == "zeros") return InitialState::zeros;
    if (name == "constant") return InitialState::constant;
    if (name == "gaussian") return InitialState::gaussian;
    throw invalid_parameter("initial_state", "unknown initial state '" + name + "' (zeros, constant, gaussian)");
}

Readout parse_readout(const std::string& name)
{
    if (name == "rates") return Readout::rates;
    if (name == "state") return Readout::state;
    throw invalid_parameter("readout", "unknown readout '" + name + "' (rates, state)");
}

const std::map<std::string, Setter>& setters()
{
    using O = RateNetworkOptions;
    static const std::map<std::string, Setter> table = {
        {"units", set<std::size_t>(&O::units)},
        {"inputs", set<std::size_t>(&O::inputs)},
        {"outputs", set<std::size_t>(&O::outputs)},
        {"activation", [](O& o, const json& v) { o.activation = parse_activation(v.get<std::string>()); }},
        {"readout", [](O& o, const json& v) { o.readout = parse_readout(v.get<std::string>()); }},
        {"tau_ms", set<double>(&O::tau_ms)},
        {"heterogeneity", set<int>(&O::heterogeneity)},
        {"tau_min_ms", set<double>(&O::tau_min_ms)},
        {"tau_max_ms", set<double>(&O::tau_max_ms)},
        {"gain", set<double>(&O::gain)},
        {"connection_probability", set<double>(&O::connection_probability)},
        {"self_connections", set<bool>(&O::self_connections)},
        {"input_scale", set<double>(&O::input_scale)},
        {"output_scale", set<double>(&O::output_scale)},
        {"bias", set<bool>(&O::bias)},
        {"dale", set<bool>(&O::dale)},
        {"excitatory_fraction", set<double>(&O::excitatory_fraction)},
        {"clamped_units", set<std::size_t>(&O::clamped_units)},
        {"clamp_value", set<double>(&O::clamp_value)},
        {"noise_sd", set<double>(&O::noise_sd)},
        {"initial_state", [](O& o, const json& v) { o.initial_state = parse_initial_state(v.get<std::string>()); }},
        {"initial_value", set<double>(&O::initial_value)},
        {"initial_sd", set<double>(&O::initial_sd)},
        {"seed", set<std::uint64_t>(&O::seed)},
    };
    return table;
}
}  // namespace

RateNetworkOptions parse_rate_network_options(std::string_view text, const std::string& source)
{
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        throw io_error(source, std::string("is not valid JSON: ") + e.what());
    }
    if (!doc.is_object() || doc.value("format", "") != "neurode-rate-network" || doc.value("format_version", 0) != 1)
        throw io_error(source, "not a neurode rate network description (format 'neurode-rate-network', version 1)");
    RateNetworkOptions options;
    for (const auto& [key, value] : doc.items()) {
        if (key == "format" || key == "format_version") continue;
        const auto setter = setters().find(key);
        if (setter == setters().end()) throw invalid_parameter(key, "unknown key");
        try {
            setter->second(options, value);
        } catch (const json::exception& e) {
            throw invalid_parameter(key, std::string("has the wrong type: ") + e.what());
        }
    }
    options.validate();
    return options;
}

}  // namespace neurode::rnn
