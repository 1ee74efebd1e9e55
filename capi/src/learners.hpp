#pragma once
// The C API's learners (private to libneurode): a learner of rnn/ by name over a copy of a rate
// network, its options struct filled from a small JSON object whose keys are the struct's fields
// (time fields carry their unit, "dt_ms"; enums are their names). No training logic lives here:
// rnn::Learner::iterate() does the learning.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/training.hpp>

namespace neurode::capi {

struct LearnerSetup {
    std::unique_ptr<rnn::Learner> learner;
    // The trained network as a stand-alone rate network; null when the learner's trained system
    // is more than one (FORCE runs its network with the output fed back through w_f).
    std::function<const rnn::RateNetwork*()> network;
};

// name: "bptt", "force", "full_force", "reservoir_readout", "hebbian", "genetic". options: a JSON
// object (empty text: every default). Throws invalid_parameter naming "learner", the option key
// (unknown key, wrong type) or the field validate() rejects.
LearnerSetup make_learner(const std::string& name, rnn::RateNetwork network, std::string_view options);

}  // namespace neurode::capi
