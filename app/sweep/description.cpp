#include "sweep/description.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <neurode/rnn/task_registry.hpp>
#include <neurode/sim/errors.hpp>

#include "config.hpp"

namespace neurode::app::sweep {

namespace {

// How a factor's level is checked (throwing invalid_parameter(field, ...)), written as a level
// string, and read back into a point's settings.
struct FactorRule {
    std::string name;
    std::function<std::string(const nlohmann::json& level, const std::string& field)> check;
    std::function<void(PointSettings&, const std::string& level)> set;
};

std::string as_text(const nlohmann::json& v, const std::string& field, const std::vector<std::string>& allowed)
{
    if (!v.is_string()) throw invalid_parameter(field, "must be a string, got " + v.dump());
    const auto s = v.get<std::string>();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
        std::string known;
        for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
        throw invalid_parameter(field, "unknown value '" + s + "' (known: " + known + ")");
    }
    return s;
}

std::string as_integer(const nlohmann::json& v, const std::string& field, long long low, long long high)
{
    if (!v.is_number_integer() || v.get<long long>() < low || v.get<long long>() > high)
        throw invalid_parameter(field, "must be an integer in " + std::to_string(low) + ".." + std::to_string(high) +
                                           ", got " + v.dump());
    return v.dump();
}

std::string as_number(const nlohmann::json& v, const std::string& field, double low, bool inclusive)
{
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < low || (!inclusive && v.get<double>() == low))
        throw invalid_parameter(field, std::string("must be a finite number ") + (inclusive ? ">= " : "> ") +
                                           std::to_string(low) + ", got " + v.dump());
    return v.dump();
}

const std::vector<FactorRule>& factor_rules()
{
    constexpr long long max_int = 1LL << 53;  // exact in a double
    static const std::vector<FactorRule> rules{
        {"task",
         [](const nlohmann::json& v, const std::string& f) {
             const auto names = rnn::task_names();
             return as_text(v, f, names);
         },
         [](PointSettings& p, const std::string& s) { p.task = s; }},
        {"architecture", [](const nlohmann::json& v, const std::string& f) { return as_text(v, f, {"rate", "rate_dale"}); },
         [](PointSettings& p, const std::string& s) { p.architecture = s; }},
        {"learning_rule", [](const nlohmann::json& v, const std::string& f) { return as_text(v, f, {"hebbian", "bptt"}); },
         [](PointSettings& p, const std::string& s) { p.learning_rule = s; }},
        {"units", [](const nlohmann::json& v, const std::string& f) { return as_integer(v, f, 1, 100000); },
         [](PointSettings& p, const std::string& s) { p.units = std::stoull(s); }},
        {"heterogeneity",
         [](const nlohmann::json& v, const std::string& f) { return as_integer(v, f, 0, rnn::max_heterogeneity_level); },
         [](PointSettings& p, const std::string& s) { p.heterogeneity = std::stoi(s); }},
        {"input_noise", [](const nlohmann::json& v, const std::string& f) { return as_number(v, f, 0, true); },
         [](PointSettings& p, const std::string& s) { p.input_noise = std::stod(s); }},
        {"regularisation", [](const nlohmann::json& v, const std::string& f) { return as_number(v, f, 0, true); },
         [](PointSettings& p, const std::string& s) { p.regularisation = std::stod(s); }},
        {"seed", [](const nlohmann::json& v, const std::string& f) { return as_integer(v, f, 0, max_int); },
         [](PointSettings& p, const std::string& s) { p.seed = std::stoull(s); }},
        {"tau_ms", [](const nlohmann::json& v, const std::string& f) { return as_number(v, f, 0, false); },
         [](PointSettings& p, const std::string& s) { p.tau_ms = std::stod(s); }},
        {"gain", [](const nlohmann::json& v, const std::string& f) { return as_number(v, f, 0, true); },
         [](PointSettings& p, const std::string& s) { p.gain = std::stod(s); }},
        {"learning_rate", [](const nlohmann::json& v, const std::string& f) { return as_number(v, f, 0, false); },
         [](PointSettings& p, const std::string& s) { p.learning_rate = std::stod(s); }},
    };
    return rules;
}

const FactorRule* find_rule(const std::string& name)
{
    for (const FactorRule& r : factor_rules())
        if (r.name == name) return &r;
    return nullptr;
}

}  // namespace

std::vector<std::string> factor_names()
{
    std::vector<std::string> names;
    for (const FactorRule& r : factor_rules()) names.push_back(r.name);
    return names;
}

SweepDescription parse_sweep(const nlohmann::json& json)
{
    SweepDescription d;
    // The lists of names (actions, perturb.kinds) are read from `json`; everything else goes
    // through ConfigSection, which names unknown keys.
    nlohmann::json rest = json;
    if (rest.is_object()) {
        rest.erase("actions");
        if (rest.contains("perturb") && rest["perturb"].is_object()) rest["perturb"].erase("kinds");
    }
    ConfigSection root(rest, "");
    d.name = root.text("name", d.name);
    d.seed = root.count("seed", d.seed);

    ConfigSection factors = root.section("factors");
    for (const std::string& name : factors.keys()) {
        const std::string field = "factors." + name;
        const FactorRule* rule = find_rule(name);
        if (!rule) {
            std::string known;
            for (const auto& n : factor_names()) known += (known.empty() ? "" : ", ") + n;
            throw invalid_parameter(field, "unknown factor (known: " + known + ")");
        }
        const nlohmann::json& levels = json.at("factors").at(name);
        if (!levels.is_array()) throw invalid_parameter(field, "must be a list of levels, got " + levels.dump());
        if (levels.empty()) throw invalid_parameter(field, "has no levels (empty list)");
        sim::SweepFactor factor{name, {}};
        for (std::size_t i = 0; i < levels.size(); ++i) {
            const std::string level = rule->check(levels[i], field + "[" + std::to_string(i) + "]");
            if (std::find(factor.levels.begin(), factor.levels.end(), level) != factor.levels.end())
                throw invalid_parameter(field + "[" + std::to_string(i) + "]", "level " + level + " appears twice");
            factor.levels.push_back(level);
        }
        d.factors.push_back(std::move(factor));
    }
    factors.finish();
    if (d.factors.empty()) throw invalid_parameter("factors", "needs at least one factor with its levels");

    const auto actions = json.contains("actions") ? json.at("actions") : nlohmann::json::array({"train", "evaluate", "perturb", "analyse"});
    if (!actions.is_array()) throw invalid_parameter("actions", "must be a list of actions, got " + actions.dump());
    bool train = false;
    d.evaluate = d.perturb = d.analyse = false;
    for (std::size_t i = 0; i < actions.size(); ++i) {
        const std::string a = as_text(actions[i], "actions[" + std::to_string(i) + "]", {"train", "evaluate", "perturb", "analyse"});
        (a == "train" ? train : a == "evaluate" ? d.evaluate : a == "perturb" ? d.perturb : d.analyse) = true;
    }
    if (!train) throw invalid_parameter("actions", "must include \"train\": every other action works on the trained network");
    if (d.analyse && !d.perturb)
        throw invalid_parameter("actions", "\"analyse\" compares perturbed with unperturbed dynamics and needs \"perturb\"");

    ConfigSection t = root.section("train");
    d.train.max_trials = t.count("max_trials", d.train.max_trials);
    d.train.target = t.number("target", d.train.target);
    d.train.window = t.count("window", d.train.window);
    d.train.validation_trials = t.count("validation_trials", d.train.validation_trials);
    d.train.validate_every_trials = t.count("validate_every_trials", d.train.validate_every_trials);
    d.train.bptt_batch = t.count("bptt_batch", d.train.bptt_batch);
    t.finish();
    if (d.train.max_trials == 0) throw invalid_parameter("train.max_trials", "must be > 0");
    if (d.train.window == 0) throw invalid_parameter("train.window", "must be > 0");
    if (d.train.validation_trials == 0) throw invalid_parameter("train.validation_trials", "must be > 0");
    if (d.train.validate_every_trials == 0) throw invalid_parameter("train.validate_every_trials", "must be > 0");
    if (d.train.bptt_batch == 0) throw invalid_parameter("train.bptt_batch", "must be > 0");

    ConfigSection e = root.section("evaluate");
    d.evaluation_trials = e.count("trials", d.evaluation_trials);
    e.finish();
    if (d.evaluation_trials < 2) throw invalid_parameter("evaluate.trials", "must be >= 2");

    ConfigSection p = root.section("perturb");
    if (json.contains("perturb") && json.at("perturb").contains("kinds")) {
        const auto& kinds = json.at("perturb").at("kinds");
        if (!kinds.is_array() || kinds.empty()) throw invalid_parameter("perturb.kinds", "must be a non-empty list of perturbations");
        d.kinds.clear();
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            const std::string field = "perturb.kinds[" + std::to_string(i) + "]";
            d.kinds.push_back(rnn::perturbation_kind(as_text(kinds[i], field, {}), field));
        }
    }
    d.max_level = static_cast<int>(p.count("levels", static_cast<std::size_t>(d.max_level)));
    d.pulse_ms = p.positive("pulse_ms", d.pulse_ms);
    p.finish();
    if (d.max_level > rnn::max_perturbation_level) throw invalid_parameter("perturb.levels", "must be in 0..5 (up to P5)");

    ConfigSection s = root.section("store");
    d.store_network = s.flag("network", d.store_network);
    d.store_history = s.flag("history", d.store_history);
    s.finish();
    root.finish();
    d.canonical = json.dump();
    return d;
}

sim::SweepPlan SweepDescription::plan() const { return sim::SweepPlan(factors, canonical); }

PointSettings SweepDescription::point(const sim::SweepPlan& plan, std::size_t index) const
{
    PointSettings p;
    const auto idx = plan.level_indices(index);
    for (std::size_t f = 0; f < plan.factors().size(); ++f)
        find_rule(plan.factors()[f].name)->set(p, plan.factors()[f].levels[idx[f]]);
    return p;
}

std::string example_sweep()
{
    return R"({
  "name": "example",
  "seed": 1,
  "factors": {
    "task": ["go", "dly_go"],
    "heterogeneity": [0, 3],
    "seed": [1, 2]
  },
  "actions": ["train", "evaluate", "perturb", "analyse"],
  "train": {"max_trials": 600, "target": 0.9, "window": 3, "validation_trials": 32, "validate_every_trials": 200},
  "evaluate": {"trials": 32},
  "perturb": {"kinds": ["time_constants", "weight_jitter", "initial_state", "trial_duration", "activity", "task"],
              "levels": 5, "pulse_ms": 100},
  "store": {"network": true, "history": true}
}
)";
}

}  // namespace neurode::app::sweep
