#include "learners.hpp"

#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include <neurode/rnn/bptt.hpp>
#include <neurode/rnn/force.hpp>
#include <neurode/rnn/genetic.hpp>
#include <neurode/rnn/hebbian.hpp>
#include <neurode/sim/errors.hpp>

namespace neurode::capi {

namespace {
using nlohmann::json;

template <class O>
using Setters = std::map<std::string, std::function<void(O&, const json&)>>;

// A setter that assigns the JSON value to a member (of O, or of a struct inside it).
template <class T, class O, class... Path>
std::function<void(O&, const json&)> set(Path... path)
{
    return [=](O& o, const json& v) { (o .* ... .* path) = v.get<T>(); };
}

// An enum field from its name, as the C++ enum spells it.
template <class O, class E, class Field>
std::function<void(O&, const json&)> set_enum(Field field, std::string key, std::map<std::string, E> names)
{
    return [=](O& o, const json& v) {
        const auto name = v.get<std::string>();
        const auto found = names.find(name);
        if (found == names.end()) {
            std::string known;
            for (const auto& [n, e] : names) known += (known.empty() ? "" : ", ") + n;
            throw invalid_parameter(key, "unknown value '" + name + "' (" + known + ")");
        }
        o.*field = found->second;
    };
}

template <class O>
O parse(std::string_view text, const std::string& learner, const Setters<O>& setters)
{
    O options;
    if (text.empty()) return options;
    const json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) throw invalid_parameter("options", "must be a JSON object");
    for (const auto& [key, value] : doc.items()) {
        const auto setter = setters.find(key);
        if (setter == setters.end()) {
            std::string known;
            for (const auto& [k, s] : setters) known += (known.empty() ? "" : ", ") + k;
            throw invalid_parameter(key, "unknown option of learner '" + learner + "' (" + known + ")");
        }
        try {
            setter->second(options, value);
        } catch (const json::exception& e) {
            throw invalid_parameter(key, std::string("has the wrong type: ") + e.what());
        }
    }
    options.validate();
    return options;
}

const Setters<rnn::BpttOptions>& bptt_setters()
{
    using O = rnn::BpttOptions;
    using A = rnn::AdamOptions;
    static const Setters<O> table = {
        {"learning_rate", set<double, O>(&O::adam, &A::learning_rate)},
        {"beta1", set<double, O>(&O::adam, &A::beta1)},
        {"beta2", set<double, O>(&O::adam, &A::beta2)},
        {"epsilon", set<double, O>(&O::adam, &A::epsilon)},
        {"weight_decay", set<double, O>(&O::adam, &A::weight_decay)},
        {"clip_norm", set<double, O>(&O::adam, &A::clip_norm)},
        {"batch_size", set<std::size_t, O>(&O::batch_size)},
        {"l2_weight", set<double, O>(&O::l2_weight)},
        {"rate_regularisation", set<double, O>(&O::rate_regularisation)},
        {"train_recurrent", set<bool, O>(&O::train_recurrent)},
        {"train_input", set<bool, O>(&O::train_input)},
        {"train_bias", set<bool, O>(&O::train_bias)},
        {"train_readout", set<bool, O>(&O::train_readout)},
        {"precision", set_enum<O, rnn::Precision>(&O::precision, "precision",
                                                  {{"float64", rnn::Precision::float64},
                                                   {"float32", rnn::Precision::float32}})},
        {"threads", set<std::size_t, O>(&O::threads)},
    };
    return table;
}

const Setters<rnn::ForceOptions>& force_setters()
{
    using O = rnn::ForceOptions;
    static const Setters<O> table = {
        {"dt_ms", set<double, O>(&O::dt_ms)},
        {"update_every", set<std::size_t, O>(&O::update_every)},
        {"alpha", set<double, O>(&O::alpha)},
        {"feedback_scale", set<double, O>(&O::feedback_scale)},
        {"trials_per_iteration", set<std::size_t, O>(&O::trials_per_iteration)},
        {"seed", set<std::uint64_t, O>(&O::seed)},
    };
    return table;
}

const Setters<rnn::ReservoirReadoutOptions>& reservoir_setters()
{
    using O = rnn::ReservoirReadoutOptions;
    using R = sim::RidgeOptions;
    static const Setters<O> table = {
        {"lambda", set<double, O>(&O::ridge, &R::lambda)},
        {"warmup_steps", set<std::size_t, O>(&O::ridge, &R::warmup)},
        {"bias", set<bool, O>(&O::ridge, &R::bias)},
        {"trials_per_iteration", set<std::size_t, O>(&O::trials_per_iteration)},
    };
    return table;
}

const Setters<rnn::NodePerturbationOptions>& hebbian_setters()
{
    using O = rnn::NodePerturbationOptions;
    static const Setters<O> table = {
        {"learning_rate", set<double, O>(&O::learning_rate)},
        {"perturbation_probability", set<double, O>(&O::perturbation_probability)},
        {"perturbation_amplitude", set<double, O>(&O::perturbation_amplitude)},
        {"trace_factor", set<double, O>(&O::trace_factor)},
        {"baseline_factor", set<double, O>(&O::baseline_factor)},
        {"max_dw", set<double, O>(&O::max_dw)},
        {"scale_by_baseline", set<bool, O>(&O::scale_by_baseline)},
        {"warmup_trials", set<std::size_t, O>(&O::warmup_trials)},
        {"settle_steps", set<std::size_t, O>(&O::settle_steps)},
        {"trials_per_iteration", set<std::size_t, O>(&O::trials_per_iteration)},
        {"trial_type", set<std::string, O>(&O::trial_type)},
        {"trial_type_resolution", set<double, O>(&O::trial_type_resolution)},
        {"readout", set_enum<O, rnn::NodePerturbationReadout>(&O::readout, "readout",
                                                              {{"units", rnn::NodePerturbationReadout::units},
                                                               {"network", rnn::NodePerturbationReadout::network}})},
    };
    return table;
}

const Setters<rnn::GeneticOptions>& genetic_setters()
{
    using O = rnn::GeneticOptions;
    static const Setters<O> table = {
        {"population", set<std::size_t, O>(&O::population)},
        {"elites", set<std::size_t, O>(&O::elites)},
        {"mutation_sd", set<double, O>(&O::mutation_sd)},
        {"mutate_biases", set<bool, O>(&O::mutate_biases)},
        {"batch_trials", set<std::size_t, O>(&O::batch_trials)},
        {"fitness", set_enum<O, rnn::Fitness>(&O::fitness, "fitness",
                                              {{"loss", rnn::Fitness::loss}, {"score", rnn::Fitness::score}})},
        {"seed", set<std::uint64_t, O>(&O::seed)},
    };
    return table;
}

// The learner and how to reach its trained network.
template <class L, class Network>
LearnerSetup setup(std::unique_ptr<L> learner, Network network)
{
    L* raw = learner.get();
    return {std::move(learner), [raw, network] { return network(*raw); }};
}
}  // namespace

LearnerSetup make_learner(const std::string& name, rnn::RateNetwork network, std::string_view options)
{
    if (name == "bptt")
        return setup(std::make_unique<rnn::BpttLearner>(std::move(network), parse(options, name, bptt_setters())),
                     [](const rnn::BpttLearner& l) { return &l.network(); });
    if (name == "force")
        return setup(std::make_unique<rnn::ForceLearner>(std::move(network), parse(options, name, force_setters())),
                     [](const rnn::ForceLearner&) { return static_cast<const rnn::RateNetwork*>(nullptr); });
    if (name == "full_force")
        return setup(std::make_unique<rnn::FullForceLearner>(std::move(network), parse(options, name, force_setters())),
                     [](const rnn::FullForceLearner& l) { return &l.network(); });
    if (name == "reservoir_readout")
        return setup(std::make_unique<rnn::ReservoirReadoutLearner>(std::move(network),
                                                                    parse(options, name, reservoir_setters())),
                     [](const rnn::ReservoirReadoutLearner& l) { return &l.network(); });
    if (name == "hebbian")
        return setup(std::make_unique<rnn::NodePerturbationLearner>(std::move(network),
                                                                    parse(options, name, hebbian_setters())),
                     [](const rnn::NodePerturbationLearner& l) { return &l.network(); });
    if (name == "genetic")
        return setup(std::make_unique<rnn::GeneticLearner>(std::move(network), parse(options, name, genetic_setters())),
                     [](const rnn::GeneticLearner& l) { return &l.best(); });
    throw invalid_parameter("learner", "unknown learner '" + name +
                                           "' (bptt, force, full_force, reservoir_readout, hebbian, genetic)");
}

}  // namespace neurode::capi
