#pragma once
// Reading a JSON configuration strictly: every key must be known, every value of the right type
// and range; errors name the full key path ("cable.diameter_um"). Keys carry their unit as a
// suffix (_ms, _um, _nA, ...) so that a value can never be read in the wrong unit.

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace neurode::app {

class ConfigSection {
public:
    ConfigSection(const nlohmann::json& node, std::string path);

    double number(const std::string& key, double fallback);
    double positive(const std::string& key, double fallback);
    std::size_t count(const std::string& key, std::size_t fallback);
    std::string text(const std::string& key, const std::string& fallback);
    bool flag(const std::string& key, bool fallback);
    ConfigSection section(const std::string& key);
    // The objects of an array (each one a section "key[i]"); a missing key gives none.
    std::vector<ConfigSection> list(const std::string& key);
    // Every key of this section, marked as read: for sections whose keys are names (a map).
    std::vector<std::string> keys();
    const std::string& path() const { return path_; }
    // Throws invalid_parameter for the first key that was never read.
    void finish() const;

private:
    const nlohmann::json* find(const std::string& key);
    std::string field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    const nlohmann::json& node_;
    std::string path_;
    std::set<std::string> used_;
};

// Parse text as JSON, or throw invalid_parameter naming `source` and the position.
nlohmann::json parse_json(const std::string& text, const std::string& source);

}  // namespace neurode::app
