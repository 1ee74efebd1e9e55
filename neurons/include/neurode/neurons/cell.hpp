#pragma once
// A multicompartment cell as a description: morphology, channels per region, current clamps,
// spike detectors. network.hpp turns cells (one, or many with synapses) into an engine model.

#include <string>
#include <vector>

#include <neurode/neurons/channel.hpp>
#include <neurode/neurons/morphology.hpp>
#include <neurode/sim/input.hpp>

namespace neurode::neurons {

struct ChannelPlacement {
    std::string channel;             // a registered channel name
    std::string region;              // sections whose region matches; empty: every section
    ChannelParameters parameters;    // overrides of the channel's defaults
};

struct Location {
    std::string section = "soma";
    double position = 0.5;           // x in [0, 1] along the section
};

struct CellModel {
    Morphology morphology;
    std::vector<ChannelPlacement> channels;
    std::vector<Location> clamps;            // current clamps: engine inputs "iclamp[k]" [nA]
    std::vector<Location> spike_detectors;   // upward crossings of spike_threshold become events
    double spike_threshold = 0.0;            // [mV]
    double celsius = 6.3;                    // [degC] temperature for channels with q10 scaling
    double initial_voltage = -65.0;          // [mV]; gates start at their steady state there

    void validate() const;  // throws invalid_parameter naming the section, channel or field
};

// Input signals for current clamps [nA], times in ms.
sim::InputSignal clamp_step(double amplitude, double start, double stop);
sim::InputSignal clamp_ramp(double start, double stop, double from, double to);
// Gaussian noise, mean and sd [nA], a new value every dt [ms] over [0, duration), from seed.
sim::InputSignal clamp_noise(double mean, double sd, double dt, double duration, std::uint64_t seed);

}  // namespace neurode::neurons
