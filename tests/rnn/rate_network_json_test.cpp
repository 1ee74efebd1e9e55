// Rate networks described in JSON (the C API's and Python module's text format): every key
// reaches its option, defaults fill the rest, and bad text names the key or the source.
#include <gtest/gtest.h>

#include <neurode/rnn/rate_network_json.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

TEST(RateNetworkJson, EveryKeyReachesItsOption)
{
    const rnn::RateNetworkOptions o = rnn::parse_rate_network_options(R"({
        "format": "neurode-rate-network", "format_version": 1, "units": 10, "inputs": 3, "outputs": 2,
        "activation": "relu", "readout": "state", "tau_ms": 20, "heterogeneity": 2, "tau_min_ms": 2,
        "tau_max_ms": 200, "gain": 0.9, "connection_probability": 0.5, "self_connections": false,
        "input_scale": 0.7, "output_scale": 0.3, "bias": false, "dale": true, "excitatory_fraction": 0.6,
        "clamped_units": 1, "clamp_value": 2, "noise_sd": 0.05, "initial_state": "gaussian",
        "initial_value": 0.1, "initial_sd": 0.2, "seed": 99})",
                                                                      "text");
    EXPECT_EQ(o.units, 10u);
    EXPECT_EQ(o.inputs, 3u);
    EXPECT_EQ(o.outputs, 2u);
    EXPECT_EQ(o.activation, rnn::Activation::relu);
    EXPECT_EQ(o.readout, rnn::Readout::state);
    EXPECT_EQ(o.tau_ms, 20);
    EXPECT_EQ(o.heterogeneity, 2);
    EXPECT_EQ(o.tau_min_ms, 2);
    EXPECT_EQ(o.tau_max_ms, 200);
    EXPECT_EQ(o.gain, 0.9);
    EXPECT_EQ(o.connection_probability, 0.5);
    EXPECT_FALSE(o.self_connections);
    EXPECT_EQ(o.input_scale, 0.7);
    EXPECT_EQ(o.output_scale, 0.3);
    EXPECT_FALSE(o.bias);
    EXPECT_TRUE(o.dale);
    EXPECT_EQ(o.excitatory_fraction, 0.6);
    EXPECT_EQ(o.clamped_units, 1u);
    EXPECT_EQ(o.clamp_value, 2);
    EXPECT_EQ(o.noise_sd, 0.05);
    EXPECT_EQ(o.initial_state, rnn::InitialState::gaussian);
    EXPECT_EQ(o.initial_value, 0.1);
    EXPECT_EQ(o.initial_sd, 0.2);
    EXPECT_EQ(o.seed, 99u);
}

TEST(RateNetworkJson, MissingKeysKeepTheDefaults)
{
    const rnn::RateNetworkOptions o =
        rnn::parse_rate_network_options(R"({"format": "neurode-rate-network", "format_version": 1})", "text");
    const rnn::RateNetworkOptions defaults;
    EXPECT_EQ(o.units, defaults.units);
    EXPECT_EQ(o.tau_ms, defaults.tau_ms);
    EXPECT_EQ(o.gain, defaults.gain);
    EXPECT_EQ(o.seed, defaults.seed);
}

TEST(RateNetworkJson, BadTextNamesTheKeyOrTheSource)
{
    auto message = [](const char* text) {
        try {
            rnn::parse_rate_network_options(text, "net.json");
        } catch (const neurode::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string head = R"({"format": "neurode-rate-network", "format_version": 1, )";
    EXPECT_EQ(message((head + R"("gian": 1})").c_str()), "gian: unknown key");
    EXPECT_NE(message((head + R"("units": "many"})").c_str()).find("units: has the wrong type"), std::string::npos);
    EXPECT_NE(message((head + R"("activation": "sigmoid"})").c_str()).find("activation"), std::string::npos);
    EXPECT_NE(message((head + R"("tau_ms": 0})").c_str()).find("tau_ms"), std::string::npos);
    EXPECT_NE(message("{").find("'net.json': is not valid JSON"), std::string::npos);
    EXPECT_NE(message(R"({"format": "neurode-network"})").find("not a neurode rate network description"), std::string::npos);
}
