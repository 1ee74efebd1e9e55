#pragma once
// The problems `neurode bench` knows by name: rate RNNs, biophysical cells and networks, a cable
// and Robertson's kinetics, each a sim::bench::Problem with its reference setting, default
// methods, ladders and accuracy levels (docs/solver-benchmarks.md lists them). Problems are built
// lazily, when asked for, so that listing them costs nothing. A user adds a model with
// Registry::add (C++) or as a network description file (network_problem(), `--model FILE`).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/neurons/populations.hpp>
#include <neurode/sim/work_precision.hpp>

namespace neurode::app::bench {

// The full suite's problems, or --quick's smoke-test versions of them: short runs, two settings
// per ladder, three methods each (what CI runs; its times are not advice).
struct Mode {
    bool quick = false;
};

using ProblemFactory = std::function<sim::bench::Problem(const Mode& mode)>;

class Registry {
public:
    // Every built-in problem.
    static Registry builtin();

    // Registers a problem; the factory's Problem must carry the same name. Throws
    // invalid_parameter("name", ...) for a malformed or duplicate name.
    void add(std::string name, std::string summary, ProblemFactory factory);
    std::vector<std::string> names() const;
    const std::string& summary(std::string_view name) const;
    // Builds the named problem; throws invalid_parameter("problem", ...) listing the known names.
    sim::bench::Problem make(std::string_view name, const Mode& mode) const;

private:
    struct Entry {
        std::string name, summary;
        ProblemFactory factory;
    };
    const Entry& entry(std::string_view name) const;
    std::vector<Entry> entries_;
};

// A biophysical network as a problem: every cell's spike train (its first spike detector) and the
// voltage there, sampled every `sample_interval`, over `duration`. Tolerance ladder 1e-2..1e-5,
// step ladder 0.1..0.0125 ms, the reference is NEURON's second-order staggered step at
// `reference_dt` (CVODE would take hours on a busy network).
struct NetworkProblemOptions {
    double duration = 200.0;       // [ms]
    double sample_interval = 0.5;  // [ms] voltage samples
    double reference_dt = 0.0025;  // [ms] staggered Crank-Nicolson reference
    sim::bench::ErrorMeasure measure = sim::bench::ErrorMeasure::first_spike;
    void validate() const;  // names the field
};
sim::bench::Problem network_problem(std::string name, std::string description,
                                    std::shared_ptr<const neurons::NetworkDescription> network,
                                    const NetworkProblemOptions& options, const Mode& mode);

}  // namespace neurode::app::bench
