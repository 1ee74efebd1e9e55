// The rate-network side of the working-memory study: see abstract.hpp.
#include "wm/abstract.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <neurode/analysis/activity_io.hpp>
#include <neurode/analysis/dsa.hpp>
#include <neurode/analysis/fixed_points.hpp>
#include <neurode/analysis/geometry.hpp>
#include <neurode/rnn/bptt.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/training.hpp>
#include <neurode/sim/errors.hpp>

namespace neurode::app::wm {

namespace {

void require(bool ok, const std::string& field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

// Independent random streams of one run, each shared by the variants it concerns (common random
// numbers): homogeneous and heterogeneous networks get the same W and Win (rnn draws tau from a
// stream of its own), so they differ in their time constants alone; the BPTT networks start from
// the reservoirs, so they differ from them by training alone; every network sees the same noise.
enum class Stream : std::uint64_t { network, run_noise, training, fixed_point_starts };

std::uint64_t seed_of(const AbstractOptions& o, Stream s) { return rnn::iteration_seed(o.seed, static_cast<std::uint64_t>(s)); }

// The study's task at the rate networks' step, and its batch of the study's trials.
struct CoarseTask {
    rnn::WorkingMemoryTask task;
    rnn::TrialBatch batch;
};

CoarseTask coarse_task(const rnn::WorkingMemoryTask& task, const rnn::TrialBatch& batch, double dt_ms)
{
    require(batch.task == task.name(), "batch", "was made by task '" + batch.task + "', not '" + task.name() + "'");
    rnn::WorkingMemoryOptions o = task.options();
    o.dt = dt_ms;
    CoarseTask out{rnn::WorkingMemoryTask(o), {}};
    // The analog_set cues do not depend on the seed; random cues would have to be drawn with the
    // batch's own seed, which the batch does not record, hence the check.
    out.batch = out.task.generate(batch.trials, 0);
    require(out.batch.condition_names == batch.condition_names && out.batch.conditions == batch.conditions, "batch",
            "its trials' cues differ from those the task draws at dt_ms = " + std::to_string(dt_ms) +
                " ms: the rate networks need the seed-independent analog_set cues");
    return out;
}

rnn::RateNetworkOptions network_options(const AbstractOptions& o, const rnn::TrialBatch& batch, bool heterogeneous)
{
    rnn::RateNetworkOptions n;
    n.units = o.units;
    n.inputs = batch.input_size();
    n.outputs = batch.output_size();
    n.tau_ms = o.tau_ms;
    n.heterogeneity = heterogeneous ? static_cast<int>(o.heterogeneity_level) : 0;
    // The Euler map x += (dt / tau)(...) overshoots for tau < dt; heterogeneous draws are clipped there.
    n.tau_min_ms = o.dt_ms;
    n.gain = o.reservoir_gain;
    n.noise_sd = o.noise_sd;
    n.seed = seed_of(o, Stream::network);
    return n;
}

// R^2 of the network's own readout over the delay epoch alone (the cue is gone; only the memory
// is scored), as the task scores analog outputs.
double delay_r2(const rnn::TrialBatch& batch, const std::vector<double>& outputs)
{
    rnn::TrialBatch delay = batch;
    for (std::size_t t = 0; t < delay.trials; ++t) {
        const rnn::Epoch& e = delay.epoch(t, "delay");
        for (std::size_t s = 0; s < delay.steps; ++s)
            for (std::size_t k = 0; k < delay.output_size(); ++k) delay.weight(t, s, k) = s >= e.start && s < e.stop ? 1.0 : 0.0;
    }
    return rnn::r2_score(delay, outputs, rnn::R2Baseline::batch).value;
}

AbstractVariant variant(const std::string& prefix, const std::string& kind, bool heterogeneous)
{
    AbstractVariant v;
    v.name = prefix + (heterogeneous ? "heterogeneous tau" : "homogeneous tau");
    v.kind = kind;
    v.heterogeneous = heterogeneous;
    return v;
}

std::string plural(std::size_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

// Principal components needed for `fraction` of the variance.
std::size_t components_for(const analysis::Pca& p, double fraction)
{
    double sum = 0;
    std::size_t k = 0;
    while (k < static_cast<std::size_t>(p.explained_variance_ratio.size()) && sum < fraction - 1e-12)
        sum += p.explained_variance_ratio(static_cast<Eigen::Index>(k++));
    return k;
}

// "4 stable points, 3 unstable points; 12 slow points along a line": the slow points' layout by
// the principal components that hold 90% of their spread (Sussillo & Barak: slow points strung
// along a line are a line attractor's trace).
std::string describe(const analysis::FixedPointResult& found)
{
    const auto stable = static_cast<std::size_t>(
        std::count_if(found.fixed_points.begin(), found.fixed_points.end(), [](const analysis::FixedPoint& p) { return p.stable; }));
    std::string text = plural(stable, "stable point") + ", " + plural(found.fixed_points.size() - stable, "unstable point");
    const std::size_t slow = found.slow_points.size();
    if (slow == 0) return text;
    text += "; " + plural(slow, "slow point");
    if (slow < 3) return text;
    Eigen::MatrixXd positions(static_cast<Eigen::Index>(slow), found.slow_points.front().x.size());
    for (std::size_t k = 0; k < slow; ++k) positions.row(static_cast<Eigen::Index>(k)) = found.slow_points[k].x.transpose();
    const std::size_t dimensions = components_for(analysis::pca(positions), 0.9);
    if (dimensions == 1) return text + " along a line";
    if (dimensions == 2) return text + " on a plane";
    return text + " spread over " + std::to_string(dimensions) + " dimensions";
}

// Fixed and slow points of the trained Euler map (the dynamics the network was trained and run
// with) with the cue off, from states of its own delay periods: the points that hold the memory.
void find_memory_points(AbstractVariant& v, const rnn::RateNetwork& network, const rnn::NetworkRun& run,
                        const rnn::TrialBatch& batch, const AbstractOptions& o)
{
    // Starts a little off the visited states, so that the search also finds what attracts them.
    constexpr double start_jitter = 0.1;
    const std::vector<double> cue_off(network.options().inputs, 0.0);
    const auto model = analysis::RateNetworkModel::euler_map(network, cue_off, o.dt_ms);
    std::vector<std::pair<std::size_t, std::size_t>> visited;  // (trial, step) of every delay state
    for (std::size_t t = 0; t < run.trials; ++t) {
        const rnn::Epoch& e = batch.epoch(t, "delay");
        for (std::size_t s = e.start; s < e.stop; ++s) visited.emplace_back(t, s);
    }
    Eigen::MatrixXd states(static_cast<Eigen::Index>(run.units), static_cast<Eigen::Index>(visited.size()));
    for (std::size_t c = 0; c < visited.size(); ++c)
        for (std::size_t i = 0; i < run.units; ++i)
            states(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = run.state(visited[c].first, visited[c].second, i);
    const analysis::FixedPointResult found = analysis::find_fixed_points(
        model, analysis::sample_initial_states(states, o.fixed_point_starts, start_jitter, seed_of(o, Stream::fixed_point_starts)));
    v.fixed_points = found.fixed_points.size();
    v.stable_fixed_points = found.summary.stable;
    v.slowest_speed = std::numeric_limits<double>::infinity();
    for (const analysis::StartOutcome& s : found.starts) v.slowest_speed = std::min(v.slowest_speed, s.q);
    v.attractor = describe(found);
}

// Each trial's "cue_index" condition.
std::vector<double> cue_indices(const analysis::Activity& a, const std::string& argument)
{
    const auto found = std::find(a.condition_names.begin(), a.condition_names.end(), "cue_index");
    require(found != a.condition_names.end(), argument + ".condition_names", "has no 'cue_index' (the cue condition to average over)");
    const auto c = static_cast<std::size_t>(found - a.condition_names.begin());
    std::vector<double> out(a.trials);
    for (std::size_t t = 0; t < a.trials; ++t) out[t] = a.conditions[t * a.condition_names.size() + c];
    return out;
}

// The delay epoch of resampled activity, every trial kept.
analysis::Activity delay_of(const analysis::Activity& a, double bin_ms, const std::string& argument)
{
    analysis::Activity delay = resample(a, bin_ms).epoch("delay");
    require(delay.trials == a.trials, argument, "has trials without a delay epoch at bins of " + std::to_string(bin_ms) + " ms");
    return delay;
}

// DMD fits a linear map without a constant term, so a large mean (spiking features in Hz) would
// take a mode of its own: the dynamics are compared around each unit's mean delay activity.
analysis::Activity centred(analysis::Activity a)
{
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> x(
        a.values.data(), static_cast<Eigen::Index>(a.trials * a.steps), static_cast<Eigen::Index>(a.units));
    const Eigen::RowVectorXd mean = x.colwise().mean();
    x.rowwise() -= mean;
    return a;
}

}  // namespace

void AbstractOptions::validate() const
{
    require(units >= 2, "units", "must be >= 2, got " + std::to_string(units));
    require(std::isfinite(dt_ms) && dt_ms > 0, "dt_ms", "must be finite and > 0 ms, got " + std::to_string(dt_ms));
    require(std::isfinite(tau_ms) && tau_ms >= dt_ms, "tau_ms",
            "must be finite and >= dt_ms (the Euler map overshoots for dt / tau > 1), got " + std::to_string(tau_ms));
    require(heterogeneity_level >= 1 && heterogeneity_level <= static_cast<std::size_t>(rnn::max_heterogeneity_level),
            "heterogeneity_level",
            "must be in 1.." + std::to_string(rnn::max_heterogeneity_level) + ", got " + std::to_string(heterogeneity_level));
    require(std::isfinite(reservoir_gain) && reservoir_gain >= 0, "reservoir_gain", "must be finite and >= 0");
    require(std::isfinite(noise_sd) && noise_sd >= 0, "noise_sd", "must be finite and >= 0");
    require(bptt_trials >= 1, "bptt_trials", "must be >= 1");
    require(bptt_batch_size >= 1 && bptt_batch_size <= bptt_trials, "bptt_batch_size", "must be in 1..bptt_trials");
    require(std::isfinite(bptt_target_r2) && bptt_target_r2 <= 1, "bptt_target_r2", "must be finite and <= 1");
    require(std::isfinite(learning_rate) && learning_rate > 0, "learning_rate", "must be finite and > 0");
    require(fixed_point_starts >= 1, "fixed_point_starts", "must be >= 1");
}

std::vector<AbstractVariant> run_abstract(const rnn::WorkingMemoryTask& task, const rnn::TrialBatch& batch, double bin_ms,
                                          const AbstractOptions& options, const AbstractProgress& progress)
{
    options.validate();
    const CoarseTask coarse = coarse_task(task, batch, options.dt_ms);
    const auto report = [&](const AbstractVariant& v, const std::string& step) {
        if (progress) progress(v.name + ": " + step);
    };

    std::vector<AbstractVariant> variants;
    for (const bool heterogeneous : {false, true}) {
        AbstractVariant v = variant("reservoir, ", "reservoir", heterogeneous);
        report(v, "simulating and decoding");
        const rnn::RateNetwork network(network_options(options, coarse.batch, heterogeneous));
        const rnn::NetworkRun run = network.run_euler(coarse.batch, seed_of(options, Stream::run_noise));
        v.activity = analysis::activity_from_run(network, run, coarse.batch);
        v.memory = score_memory(v.activity, coarse.batch, bin_ms);
        v.trained_output_r2 = std::numeric_limits<double>::quiet_NaN();
        variants.push_back(std::move(v));
    }
    for (const bool heterogeneous : {false, true}) {
        AbstractVariant v = variant("BPTT, ", "bptt", heterogeneous);
        report(v, "training");
        rnn::BpttOptions b;
        b.adam.learning_rate = options.learning_rate;
        b.batch_size = options.bptt_batch_size;
        rnn::BpttLearner learner(rnn::RateNetwork(network_options(options, coarse.batch, heterogeneous)), b);
        rnn::TrainingOptions t;
        t.seed = seed_of(options, Stream::training);
        t.target = options.bptt_target_r2;
        t.window = 3;
        t.validation_trials = options.bptt_batch_size;
        t.validate_every = 5;
        // Whole batches within the budget (train() alone would finish the batch that crosses it).
        t.max_trials = 0;
        t.max_iterations = options.bptt_trials / options.bptt_batch_size;
        // Trained on the study's own cue set (the task's cues, here at the networks' step): the
        // networks are compared with a reservoir read out on those cues, so the memory asked of
        // both is the same; the fixed points then show how the trained dynamics store them.
        const rnn::TrainingHistory history = rnn::train(learner, coarse.task, t);
        v.trials_trained = history.entries.empty() ? 0 : history.entries.back().trials_seen;

        report(v, "decoding");
        const rnn::RateNetwork& network = learner.network();
        const rnn::NetworkRun run = network.run_euler(coarse.batch, seed_of(options, Stream::run_noise));
        v.activity = analysis::activity_from_run(network, run, coarse.batch);
        v.memory = score_memory(v.activity, coarse.batch, bin_ms);
        v.trained_output_r2 = delay_r2(coarse.batch, run.outputs);

        report(v, "fixed points");
        find_memory_points(v, network, run, coarse.batch, options);
        variants.push_back(std::move(v));
    }
    return variants;
}

analysis::Activity resample(const analysis::Activity& activity, double bin_ms)
{
    activity.validate();
    const double ratio = bin_ms / activity.dt;
    const auto per_bin = static_cast<std::size_t>(std::lround(ratio));
    require(std::isfinite(ratio) && per_bin >= 1 && std::abs(ratio - static_cast<double>(per_bin)) <= 1e-9 * ratio, "bin_ms",
            "must be a whole multiple of the activity's dt = " + std::to_string(activity.dt) + " ms, got " + std::to_string(bin_ms));
    const std::size_t bins = activity.steps / per_bin;
    require(bins >= 1, "bin_ms", "is longer than the activity (" + std::to_string(activity.steps) + " points)");

    analysis::Activity out;
    out.trials = activity.trials;
    out.steps = bins;
    out.units = activity.units;
    out.dt = static_cast<double>(per_bin) * activity.dt;
    out.unit = activity.unit;
    out.condition_names = activity.condition_names;
    out.conditions = activity.conditions;
    out.values.assign(out.trials * bins * out.units, 0.0);
    for (std::size_t t = 0; t < out.trials; ++t)
        for (std::size_t s = 0; s < bins * per_bin; ++s)
            for (std::size_t u = 0; u < out.units; ++u) out.at(t, s / per_bin, u) += activity.at(t, s, u) / static_cast<double>(per_bin);
    // Bounds to the nearest bin boundary (halves up), so that adjacent epochs stay adjacent.
    const auto to_bins = [&](std::size_t point) { return std::min(bins, (2 * point + per_bin) / (2 * per_bin)); };
    for (const auto& epochs : activity.epochs) {
        std::vector<rnn::Epoch> binned;
        for (const rnn::Epoch& e : epochs) binned.push_back({e.name, to_bins(e.start), to_bins(e.stop)});
        out.epochs.push_back(std::move(binned));
    }
    return out;
}

Eigen::MatrixXd cue_means(const analysis::Activity& a, const std::string& argument)
{
    std::map<double, std::vector<std::size_t>> groups;
    const std::vector<double> cues = cue_indices(a, argument);
    for (std::size_t t = 0; t < cues.size(); ++t) groups[cues[t]].push_back(t);
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(groups.size() * a.steps), static_cast<Eigen::Index>(a.units));
    Eigen::Index row = 0;
    for (const auto& [cue, trials] : groups)
        for (std::size_t s = 0; s < a.steps; ++s, ++row) {
            for (std::size_t t : trials)
                for (std::size_t u = 0; u < a.units; ++u) out(row, static_cast<Eigen::Index>(u)) += a.at(t, s, u);
            out.row(row) /= static_cast<double>(trials.size());
        }
    return out;
}

ActivityComparison compare_delay_activity(const analysis::Activity& a, const analysis::Activity& b, double bin_ms)
{
    a.validate("a");
    b.validate("b");
    require(b.trials == a.trials, "b.trials",
            "is " + std::to_string(b.trials) + ", a has " + std::to_string(a.trials) + ": both must hold the same trials");
    const std::vector<double> cues = cue_indices(a, "a");
    require(cue_indices(b, "b") == cues, "b.conditions",
            "its cue_index differs from a's: both must hold the same trials in the same order");
    analysis::Activity da = delay_of(a, bin_ms, "a"), db = delay_of(b, bin_ms, "b");
    const std::size_t steps = std::min(da.steps, db.steps);
    da = window(da, 0, steps);
    db = window(db, 0, steps);

    // SVCCA, CKA and Procrustes compare the samples' geometry whatever the unit counts (the
    // biophysical features against the rate units): CCA and CKA work on each side's own column
    // space, and the shape metric whitens each side alone and zero-pads the narrower (netrep).
    const Eigen::MatrixXd ma = cue_means(da, "a"), mb = cue_means(db, "b");
    const auto samples = static_cast<std::size_t>(ma.rows());
    require(samples > std::max(a.units, b.units), "bin_ms",
            "leaves " + std::to_string(samples) + " condition-averaged delay samples for " + std::to_string(std::max(a.units, b.units)) +
                " units: SVCCA needs more samples than units");
    ActivityComparison out;
    analysis::SvccaOptions svcca;
    svcca.variance_fraction = 0.99;
    out.svcca = analysis::svcca(ma, mb, svcca).similarity;
    out.cka = analysis::linear_cka(ma, mb);
    out.procrustes = analysis::procrustes_distance(ma, mb);
    out.pcs_90_a = components_for(analysis::pca(ma), 0.9);
    out.pcs_90_b = components_for(analysis::pca(mb), 0.9);

    // Single trials: the dynamics, noise included, in a delay embedding of dsa_delays bins.
    constexpr std::size_t dsa_delays = 4, dsa_rank = 10;
    analysis::DsaOptions dsa;
    dsa.dmd.n_delays = dsa_delays;
    dsa.dmd.rank = std::min(dsa_rank, std::min(a.units, b.units) * dsa_delays);
    out.dsa = analysis::dsa_distance(centred(std::move(da)), centred(std::move(db)), dsa).angle;
    return out;
}

}  // namespace neurode::app::wm
