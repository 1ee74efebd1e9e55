// The analysis pipeline on a handful of networks: rate RNNs trained by BPTT on the 3-bit
// flip-flop, three with homogeneous time constants (H0) and three with heterogeneous ones (H3),
// compared on one held-out batch by DSA, CKA and the Procrustes shape metric, and by their
// attractor topology (McMahan et al.: where the fixed points found under static probe inputs
// sit relative to each other); each distance matrix embedded by MDS and scored by the
// silhouette of the two groups; each network's fixed points (Euler map, no input) found and
// classified. Everything goes to one HDF5 file, and
// examples/plot_comparison.py draws it.
// Usage: compare_networks [output.h5] [--quick]   (--quick: untrained, tiny; for the test suite)
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <neurode/analysis/activity_io.hpp>
#include <neurode/analysis/degeneracy.hpp>
#include <neurode/analysis/dsa.hpp>
#include <neurode/analysis/embedding.hpp>
#include <neurode/analysis/fixed_points.hpp>
#include <neurode/analysis/geometry.hpp>
#include <neurode/rnn/bptt.hpp>
#include <neurode/rnn/tasks/huang.hpp>
#include <neurode/rnn/training.hpp>
#include <neurode/sim/hdf5.hpp>

namespace an = neurode::analysis;
namespace rnn = neurode::rnn;

namespace {
struct Trained {
    rnn::RateNetwork network;
    int heterogeneity;
    double accuracy;
};

Trained train(const rnn::FlipFlopTask& task, int heterogeneity, std::uint64_t seed, bool quick)
{
    rnn::RateNetworkOptions o;
    o.units = 32;
    o.inputs = 3;
    o.outputs = 3;
    o.tau_ms = 20.0;  // half a time constant per 10 ms step: a one-step pulse can flip a bit
    o.heterogeneity = heterogeneity;
    o.seed = seed;
    rnn::BpttOptions b;
    b.adam.learning_rate = 2e-2;
    b.batch_size = 32;
    rnn::BpttLearner learner(rnn::RateNetwork(o), b);
    rnn::TrainingOptions t;
    t.target = 0.995;
    t.window = 5;
    t.validation_trials = 100;
    t.max_iterations = quick ? 5 : 1500;
    t.seed = seed;
    const auto history = rnn::train(learner, task, t);
    const double accuracy = history.entries.back().validation_score;
    std::printf("network H%d seed %llu: accuracy %.3f after %zu trials (%.1f s)\n", heterogeneity,
                static_cast<unsigned long long>(seed), accuracy, history.entries.back().trials_seen, history.wall_seconds);
    return {learner.network(), heterogeneity, accuracy};
}
}  // namespace

int main(int argc, char** argv)
try {
    std::string path = "neurode-compare-networks.h5";
    bool quick = false;
    for (int k = 1; k < argc; ++k) {
        if (std::strcmp(argv[k], "--quick") == 0) quick = true;
        else path = argv[k];
    }
    rnn::FlipFlopOptions f;
    f.bits = 3;
    f.pulse_probability = 0.1;
    const rnn::FlipFlopTask task(f);

    std::vector<Trained> networks;
    std::vector<int> groups;
    const std::size_t per_group = quick ? 2 : 3;
    for (const int level : {0, 3})
        for (std::uint64_t seed = 1; seed <= per_group; ++seed) {
            networks.push_back(train(task, level, 10 * seed + static_cast<std::uint64_t>(level), quick));
            groups.push_back(level);
        }

    // One held-out batch, the same for every network: activity as rates.
    const rnn::TrialBatch batch = task.generate(quick ? 8 : 20, 2024);
    std::vector<an::Activity> activities;
    for (const Trained& t : networks) activities.push_back(an::activity_from_run(t.network, t.network.run_euler(batch), batch));

    an::DsaOptions dsa;
    dsa.dmd.n_delays = 5;
    dsa.dmd.rank = quick ? 8 : 20;
    dsa.threads = 0;
    const an::DsaResult dynamics = an::dsa_pairwise(activities, dsa);
    const Eigen::MatrixXd cka = an::pairwise_distances(
        activities, [](const an::Activity& x, const an::Activity& y) { return an::cka_angular_distance(x, y); });
    const Eigen::MatrixXd shape = an::pairwise_distances(
        activities, [](const an::Activity& x, const an::Activity& y) { return an::procrustes_distance(x, y); });

    // Attractor topology: fixed points under a static input on bit 0 from -1 to 1; per network a
    // 10 x 3 descriptor (the probe values at which each point's 3 nearest neighbours were found),
    // compared by Euclidean distance (a missing point, NaN, counts as the out-of-range value -2).
    const std::vector<double> probe_values{-1.0, -0.5, 0.0, 0.5, 1.0};
    std::vector<std::vector<double>> probe_inputs;
    for (double v : probe_values) probe_inputs.push_back({v, 0.0, 0.0});
    std::vector<Eigen::MatrixXd> descriptors;
    for (std::size_t k = 0; k < networks.size(); ++k) {
        const auto model = an::RateNetworkModel::euler_map(networks[k].network, probe_inputs[2], task.dt());
        const Eigen::MatrixXd starts =
            an::sample_initial_states(model.states(networks[k].network.run_euler(batch)), quick ? 16 : 128, 0.5, 100 + k);
        const an::AttractorTopology topology =
            an::attractor_topology(networks[k].network, an::Dynamics::discrete, task.dt(), probe_inputs, probe_values, starts);
        descriptors.push_back(topology.descriptor.unaryExpr([](double v) { return std::isnan(v) ? -2.0 : v; }));
    }
    const auto count = static_cast<Eigen::Index>(networks.size());
    Eigen::MatrixXd topology = Eigen::MatrixXd::Zero(count, count);
    for (std::size_t i = 0; i < descriptors.size(); ++i)
        for (std::size_t j = 0; j < descriptors.size(); ++j)
            topology(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = (descriptors[i] - descriptors[j]).norm();

    neurode::sim::h5::Writer out(path);
    out.set_attribute("/", "format", "neurode-network-comparison");
    std::vector<double> accuracy, heterogeneity;
    for (const Trained& t : networks) accuracy.push_back(t.accuracy), heterogeneity.push_back(t.heterogeneity);
    out.write("/networks/accuracy", accuracy);
    out.write("/networks/heterogeneity", heterogeneity);
    std::printf("%-12s %10s %12s\n", "metric", "silhouette", "MDS stress");
    for (const auto& [name, d] : {std::pair<const char*, const Eigen::MatrixXd*>{"dsa", &dynamics.distances}, {"cka", &cka},
                                  {"procrustes", &shape}, {"topology", &topology}}) {
        const an::Embedding mds = an::smacof(*d);
        const double silhouette = an::silhouette_score(*d, groups);
        const std::string g = std::string("/") + name;
        std::vector<double> flat(d->data(), d->data() + d->size());  // symmetric: order does not matter
        out.write(g + "/distances", flat, {static_cast<std::size_t>(d->rows()), static_cast<std::size_t>(d->cols())});
        out.set_attribute(g + "/distances", "unit", std::strcmp(name, "topology") == 0 ? "probe value" : "rad");
        Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> points = mds.points;
        out.write(g + "/mds", std::vector<double>(points.data(), points.data() + points.size()),
                  {static_cast<std::size_t>(points.rows()), static_cast<std::size_t>(points.cols())});
        out.write(g + "/silhouette", std::vector<double>{silhouette});
        std::printf("%-12s %10.3f %12.4f\n", name, silhouette, mds.stress);
    }

    // Fixed points of each network's Euler map without input, started from its own states.
    const std::vector<double> no_input(3, 0.0);
    for (std::size_t k = 0; k < networks.size(); ++k) {
        const auto model = an::RateNetworkModel::euler_map(networks[k].network, no_input, task.dt());
        const Eigen::MatrixXd states = model.states(networks[k].network.run_euler(batch));
        an::FixedPointOptions o;
        const an::FixedPointResult found = an::find_fixed_points(model, an::sample_initial_states(states, quick ? 32 : 256, 0.5, k), o);
        std::vector<double> stable, stability;
        for (const an::FixedPoint& p : found.fixed_points) stable.push_back(p.stable ? 1.0 : 0.0), stability.push_back(p.stability);
        const std::string g = "/fixed_points/network_" + std::to_string(k);
        out.write(g + "/stable", stable);
        out.write(g + "/spectral_radius", stability);
        std::size_t stable_count = 0;
        for (double s : stable) stable_count += s > 0 ? 1 : 0;
        std::printf("network %zu (H%d): %zu fixed points, %zu stable\n", k, networks[k].heterogeneity, found.fixed_points.size(),
                    stable_count);
    }
    out.commit();
    std::printf("wrote %s (plot: /usr/bin/python3 examples/plot_comparison.py %s comparison.png)\n", path.c_str(), path.c_str());
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "compare_networks: %s\n", error.what());
    return 1;
}
