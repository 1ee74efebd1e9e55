#include "config.hpp"

#include <cmath>

#include <neurode/sim/errors.hpp>

namespace neurode::app {

ConfigSection::ConfigSection(const nlohmann::json& node, std::string path) : node_(node), path_(std::move(path))
{
    if (!node_.is_object())
        throw invalid_parameter(path_.empty() ? "configuration" : path_, "must be a JSON object");
}

const nlohmann::json* ConfigSection::find(const std::string& key)
{
    used_.insert(key);
    const auto it = node_.find(key);
    return it == node_.end() ? nullptr : &*it;
}

double ConfigSection::number(const std::string& key, double fallback)
{
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_number()) throw invalid_parameter(field(key), "must be a number, got " + v->dump());
    const double x = v->get<double>();
    if (!std::isfinite(x)) throw invalid_parameter(field(key), "must be finite");
    return x;
}

double ConfigSection::positive(const std::string& key, double fallback)
{
    const double x = number(key, fallback);
    if (!(x > 0)) throw invalid_parameter(field(key), "must be > 0, got " + std::to_string(x));
    return x;
}

std::size_t ConfigSection::count(const std::string& key, std::size_t fallback)
{
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_number_integer() || v->get<long long>() < 0)
        throw invalid_parameter(field(key), "must be a non-negative integer, got " + v->dump());
    return v->get<std::size_t>();
}

std::string ConfigSection::text(const std::string& key, const std::string& fallback)
{
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_string()) throw invalid_parameter(field(key), "must be a string, got " + v->dump());
    return v->get<std::string>();
}

bool ConfigSection::flag(const std::string& key, bool fallback)
{
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) throw invalid_parameter(field(key), "must be true or false, got " + v->dump());
    return v->get<bool>();
}

std::vector<ConfigSection> ConfigSection::list(const std::string& key)
{
    const auto* v = find(key);
    std::vector<ConfigSection> sections;
    if (!v) return sections;
    if (!v->is_array()) throw invalid_parameter(field(key), "must be a list of objects, got " + v->dump());
    for (std::size_t i = 0; i < v->size(); ++i) sections.emplace_back((*v)[i], field(key) + "[" + std::to_string(i) + "]");
    return sections;
}

std::vector<std::string> ConfigSection::keys()
{
    std::vector<std::string> names;
    for (const auto& [key, value] : node_.items()) {
        used_.insert(key);
        names.push_back(key);
    }
    return names;
}

ConfigSection ConfigSection::section(const std::string& key)
{
    static const nlohmann::json empty = nlohmann::json::object();
    const auto* v = find(key);
    return ConfigSection(v ? *v : empty, field(key));
}

void ConfigSection::finish() const
{
    for (const auto& [key, value] : node_.items())
        if (!used_.count(key)) throw invalid_parameter(field(key), "unknown key");
}

nlohmann::json parse_json(const std::string& text, const std::string& source)
{
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw invalid_parameter(source, std::string("is not valid JSON: ") + e.what());
    }
}

}  // namespace neurode::app
