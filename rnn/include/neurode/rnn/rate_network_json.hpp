#pragma once
// A rate network described in JSON: its RateNetworkOptions, every key optional (the default
// applies), unknown keys an error; time keys carry their unit (_ms). The network itself is
// drawn from the options' seed, so the same text always gives the same network:
//   {"format": "neurode-rate-network", "format_version": 1, "units": 64, "inputs": 2, "tau_ms": 20,
//    "gain": 1.2, "activation": "tanh", "seed": 3}
// The C API and the Python module build rate models from this text (the trained parameters of
// a network travel in HDF5 instead: RateNetwork::save/load).

#include <string>
#include <string_view>

#include <neurode/rnn/rate_network.hpp>

namespace neurode::rnn {

// Throws invalid_parameter naming the key (wrong type, unknown key, or what validate() rejects)
// and io_error naming `source` when the text is not JSON or not this format.
RateNetworkOptions parse_rate_network_options(std::string_view text, const std::string& source);

}  // namespace neurode::rnn
