// Building activity from rate-network runs, spike trains (against the kernels' closed forms) and
// recordings; epochs and conditions carried along; the HDF5 round trip; bad input named.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include <unistd.h>

#include "../support/expect_field.hpp"
#include <neurode/analysis/activity_io.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/random.hpp>

namespace an = neurode::analysis;
namespace rnn = neurode::rnn;
namespace fs = std::filesystem;

namespace {

// Three trials of ten 20-ms steps with two inputs, three epochs and a condition.
rnn::TrialBatch toy_batch()
{
    rnn::TrialBatch batch("toy", 3, 10, 20.0, {"u0", "u1"}, {"y"}, {"coherence"});
    neurode::sim::Rng rng(5);
    for (double& u : batch.inputs) u = rng.normal();
    batch.epochs.assign(3, {});
    for (std::size_t t = 0; t < 3; ++t) {
        batch.epochs[t] = {{"fixation", 0, 3}, {"stimulus", 3, 3 + 2 * t + 2}, {"decision", 3 + 2 * t + 2, 10}};
        batch.condition(t, 0) = 0.1 * static_cast<double>(t);
    }
    batch.check_consistent();
    return batch;
}

an::SpikeRateOptions rate_options(an::SpikeKernel kernel, an::TimeGrid grid)
{
    an::SpikeRateOptions o;
    o.kernel = kernel;
    o.grid = grid;
    return o;
}

fs::path temp_file(const std::string& name) { return fs::temp_directory_path() / ("neurode-" + name + "-" + std::to_string(::getpid()) + ".h5"); }

}  // namespace

// ---- Rate networks -------------------------------------------------------------------------------

TEST(ActivityFromRun, RatesStatesEpochsAndConditions)
{
    const rnn::TrialBatch batch = toy_batch();
    rnn::RateNetworkOptions options;
    options.units = 5;
    options.inputs = 2;
    options.activation = rnn::Activation::softplus;
    const rnn::RateNetwork network(options);
    const rnn::NetworkRun run = network.run_euler(batch);

    const an::Activity rates = an::activity_from_run(network, run, batch);
    rates.validate();
    EXPECT_EQ(rates.trials, 3u);
    EXPECT_EQ(rates.steps, 10u);
    EXPECT_EQ(rates.units, 5u);
    EXPECT_EQ(rates.dt, 20.0);
    EXPECT_DOUBLE_EQ(rates.at(2, 7, 4), std::log1p(std::exp(run.state(2, 7, 4))));
    EXPECT_EQ(rates.condition_names, batch.condition_names);
    EXPECT_EQ(rates.conditions, batch.conditions);
    // Per epoch: trial 2's stimulus is steps [3, 9), cut to the shortest (trial 0's two steps).
    const an::Activity stimulus = rates.epoch("stimulus");
    EXPECT_EQ(stimulus.steps, 2u);
    EXPECT_EQ(stimulus.at(2, 1, 0), rates.at(2, 4, 0));

    const an::Activity states = an::activity_from_run(run, batch, {.signal = an::RunSignal::states});
    EXPECT_EQ(states.at(1, 3, 2), run.state(1, 3, 2));

    rnn::TrialBatch other = batch;
    other.trials = 2;
    expect_field([&] { an::activity_from_run(run, other); }, "run");
}

// ---- Spike trains against the kernels' closed forms -------------------------------------------------

TEST(ActivityFromSpikes, CausalExponentialIsTheAnalyticRate)
{
    constexpr double tau = 20.0, spike = 10.25, early = -30.0;  // [ms]; one spike before the window
    const an::TimeGrid grid{.t0 = 0.0, .t1 = 100.0, .dt = 0.5};
    ASSERT_EQ(grid.steps(), 200u);
    const std::vector<double> r = an::filtered_rate(std::vector<double>{spike, early}, {an::KernelShape::causal_exponential, tau}, grid);
    for (std::size_t k = 0; k < r.size(); ++k) {
        const double t = grid.time(k);
        double want = 1000.0 / tau * std::exp(-(t - early) / tau);  // [Hz]
        if (t >= spike) want += 1000.0 / tau * std::exp(-(t - spike) / tau);
        EXPECT_NEAR(r[k], want, 1e-12 * 1000.0 / tau) << "t = " << t;
    }
    // A spike exactly on a sample counts from that sample on: K(0) = 1/tau.
    const std::vector<double> on = an::filtered_rate(std::vector<double>{5.0}, {an::KernelShape::causal_exponential, tau}, grid);
    EXPECT_EQ(on[9], 0.0);
    EXPECT_DOUBLE_EQ(on[10], 1000.0 / tau);
}

TEST(ActivityFromSpikes, GaussianIsTheAnalyticRateWithUnitArea)
{
    constexpr double sd = 7.0;
    const std::vector<double> spikes = {60.0, 20.3, 41.7};  // unsorted
    const an::TimeGrid grid{.t0 = -50.0, .t1 = 150.0, .dt = 0.25};
    const std::vector<double> r = an::filtered_rate(spikes, {an::KernelShape::gaussian, sd}, grid);
    double area = 0;
    for (std::size_t k = 0; k < r.size(); ++k) {
        const double t = grid.time(k);
        double want = 0;
        for (double s : spikes) want += 1000.0 / (sd * std::sqrt(2.0 * std::numbers::pi)) * std::exp(-0.5 * std::pow((t - s) / sd, 2));
        EXPECT_NEAR(r[k], want, 1e-12 * 1000.0 / sd) << "t = " << t;
        area += r[k] * grid.dt / 1000.0;
    }
    EXPECT_NEAR(area, 3.0, 1e-9);  // one per spike
}

TEST(ActivityFromSpikes, TrialsByCellsOnTheGridWithTheTaskEpochs)
{
    // Two trials of three cells; the task's steps are 20 ms, the activity's 5 ms from t0 = 0.
    std::vector<an::SpikeTrains> spikes = {{{12.0, 30.0}, {}, {55.5}}, {{1.0}, {2.0, 3.0}, {}}};
    const an::SpikeRateOptions options = rate_options({an::KernelShape::gaussian, 10.0}, {.t0 = 0.0, .t1 = 200.0, .dt = 5.0});
    an::Activity a = an::activity_from_spikes(spikes, options);
    a.validate();
    EXPECT_EQ(a.trials, 2u);
    EXPECT_EQ(a.steps, 40u);
    EXPECT_EQ(a.units, 3u);
    EXPECT_EQ(a.unit, "Hz");
    EXPECT_EQ(a.at(0, 1, 1), 0.0);
    EXPECT_EQ(a.at(1, 7, 2), 0.0);
    EXPECT_DOUBLE_EQ(a.at(0, 11, 2), an::filtered_rate(spikes[0][2], options.kernel, options.grid)[11]);

    rnn::TrialBatch batch("toy", 2, 10, 20.0, {"u"}, {"y"}, {"side"});
    batch.epochs.assign(2, {});
    batch.epochs[0] = {{"fixation", 0, 2}, {"stimulus", 2, 5}};
    batch.epochs[1] = {{"fixation", 0, 3}, {"stimulus", 3, 4}};
    batch.condition(1, 0) = -1.0;
    an::attach_trials(a, batch);
    ASSERT_EQ(a.epochs.size(), 2u);
    // Steps [2, 5) of 20 ms are [40, 100) ms: points 8..19 of 5 ms.
    EXPECT_EQ(a.epochs[0][1].start, 8u);
    EXPECT_EQ(a.epochs[0][1].stop, 20u);
    EXPECT_EQ(a.epochs[1][0].stop, 12u);
    EXPECT_EQ(a.conditions, batch.conditions);
    EXPECT_EQ(a.epoch("stimulus").steps, 4u);  // trial 1's [60, 80) ms
    // With the grid starting at 50 ms, trial 0's fixation [0, 40) ms has no point left.
    an::Activity late = an::activity_from_spikes(spikes, rate_options(options.kernel, {.t0 = 50.0, .t1 = 200.0, .dt = 5.0}));
    an::attach_trials(late, batch, 50.0);
    EXPECT_EQ(late.epochs[0][0].length(), 0u);
    EXPECT_EQ(late.epochs[0][1].start, 0u);
    EXPECT_EQ(late.epochs[0][1].stop, 10u);

    // From run_trials()' results.
    std::vector<neurode::neurons::TrialResult> results(2);
    results[0].spikes = spikes[0];
    results[1].spikes = spikes[1];
    EXPECT_EQ(an::activity_from_spikes(results, options).values, an::activity_from_spikes(spikes, options).values);
}

TEST(ActivityFromSpikes, BadInputNamesTheArgument)
{
    const std::vector<an::SpikeTrains> ok = {{{1.0}, {2.0}}};
    expect_field([&] { an::activity_from_spikes(ok, rate_options({an::KernelShape::gaussian, 0.0}, {})); }, "kernel.width");
    expect_field([&] { an::activity_from_spikes(ok, rate_options({}, {.t0 = 10.0, .t1 = 5.0, .dt = 1.0})); }, "grid.t1");
    expect_field([&] { an::activity_from_spikes(ok, rate_options({}, {.t0 = 0.0, .t1 = 5.0, .dt = -1.0})); }, "grid.dt");
    expect_field([&] { an::activity_from_spikes(std::vector<an::SpikeTrains>{{{1.0}, {2.0}}, {{1.0}}}, {}); }, "spikes");
    expect_field([&] { an::activity_from_spikes(std::vector<an::SpikeTrains>{{{1.0}, {std::nan("")}}}, {}); }, "spikes");
    expect_field([&] { an::activity_from_spikes(std::vector<an::SpikeTrains>{}, {}); }, "spikes");
    rnn::TrialBatch batch("toy", 3, 10, 20.0, {"u"}, {"y"}, {});
    an::Activity a = an::activity_from_spikes(ok, {});
    expect_field([&] { an::attach_trials(a, batch); }, "batch");
}

// ---- Recordings ------------------------------------------------------------------------------------

namespace {
// v(t) = a + b t in two columns, sampled every 0.1 ms on [0, 10].
neurode::sim::Recording linear_recording(double a, double b)
{
    neurode::sim::Recording r;
    r.name = "v";
    r.time_unit = "ms";
    r.columns = {"v[0]", "v[1]"};
    r.units = {"mV", "mV"};
    for (int i = 0; i <= 100; ++i) {
        const double t = 0.1 * i;
        r.times.push_back(t);
        r.values.push_back(a + b * t);
        r.values.push_back(-a + 2 * b * t);
    }
    return r;
}
}  // namespace

TEST(ActivityFromRecordings, OwnTimesAndResampledGrid)
{
    const std::vector<neurode::sim::Recording> recs = {linear_recording(-65.0, 1.0), linear_recording(-70.0, 0.5)};
    const an::Activity own = an::activity_from_recordings(recs);
    EXPECT_EQ(own.trials, 2u);
    EXPECT_EQ(own.steps, 101u);
    EXPECT_EQ(own.units, 2u);
    EXPECT_NEAR(own.dt, 0.1, 1e-15);
    EXPECT_EQ(own.unit, "mV");
    EXPECT_DOUBLE_EQ(own.at(1, 40, 1), recs[1].at(40, 1));

    // Linear interpolation is exact on a linear signal; columns picked and reordered.
    const an::Activity grid = an::activity_from_recordings(recs, {.columns = {1}, .grid = an::TimeGrid{.t0 = 0.05, .t1 = 9.0, .dt = 0.25}});
    EXPECT_EQ(grid.steps, 36u);
    EXPECT_EQ(grid.units, 1u);
    for (std::size_t k = 0; k < grid.steps; ++k) EXPECT_NEAR(grid.at(0, k, 0), 65.0 + 2.0 * (0.05 + 0.25 * k), 1e-11);

    std::vector<neurode::neurons::TrialResult> results(2);
    results[0].recordings = {recs[0]};
    results[1].recordings = {recs[1]};
    EXPECT_EQ(an::activity_from_recordings(results, "v").values, own.values);
    expect_field([&] { an::activity_from_recordings(results, "i"); }, "probe");
    expect_field([&] { an::activity_from_recordings(recs, {.columns = {2}, .grid = {}}); }, "columns");
    expect_field([&] { an::activity_from_recordings(recs, {.columns = {}, .grid = an::TimeGrid{.t0 = 0.0, .t1 = 12.0, .dt = 1.0}}); },
                 "recordings");
    std::vector<neurode::sim::Recording> uneven = recs;
    uneven[1].times[50] += 0.01;
    expect_field([&] { an::activity_from_recordings(uneven); }, "recordings");
}

// ---- HDF5 ---------------------------------------------------------------------------------------------

TEST(ActivityHdf5, RoundTripKeepsEverything)
{
    const rnn::TrialBatch batch = toy_batch();
    rnn::RateNetworkOptions options;
    options.units = 4;
    options.inputs = 2;
    const rnn::NetworkRun run = rnn::RateNetwork(options).run_euler(batch);
    an::Activity a = an::activity_from_run(run, batch);
    a.epochs[1].clear();  // a trial without epochs survives too
    const fs::path path = temp_file("activity");
    an::save_activity(path, a);
    const an::Activity b = an::load_activity(path);
    EXPECT_EQ(b.trials, a.trials);
    EXPECT_EQ(b.steps, a.steps);
    EXPECT_EQ(b.units, a.units);
    EXPECT_EQ(b.dt, a.dt);
    EXPECT_EQ(b.unit, a.unit);
    EXPECT_EQ(b.values, a.values);
    EXPECT_EQ(b.condition_names, a.condition_names);
    EXPECT_EQ(b.conditions, a.conditions);
    ASSERT_EQ(b.epochs.size(), a.epochs.size());
    for (std::size_t t = 0; t < a.trials; ++t) {
        ASSERT_EQ(b.epochs[t].size(), a.epochs[t].size());
        for (std::size_t e = 0; e < a.epochs[t].size(); ++e) {
            EXPECT_EQ(b.epochs[t][e].name, a.epochs[t][e].name);
            EXPECT_EQ(b.epochs[t][e].start, a.epochs[t][e].start);
            EXPECT_EQ(b.epochs[t][e].stop, a.epochs[t][e].stop);
        }
    }
    // Without epochs or conditions, inside a file with other things.
    an::Activity plain = an::activity_from_spikes(std::vector<an::SpikeTrains>{{{1.0, 4.0}}}, rate_options({}, {.t0 = 0, .t1 = 10, .dt = 1}));
    {
        neurode::sim::h5::Writer out(path);
        out.write("/other", std::vector<double>{1.0, 2.0});
        an::write_activity(out, "/networks/3/activity", plain);
        out.commit();
    }
    const an::Activity back = an::read_activity(neurode::sim::h5::Reader(path), "/networks/3/activity");
    EXPECT_TRUE(back.epochs.empty());
    EXPECT_EQ(back.values, plain.values);
    EXPECT_EQ(back.unit, "Hz");
    // That file is not an activity file.
    EXPECT_THROW(an::load_activity(path), neurode::io_error);
    fs::remove(path);
    // Nothing is written for invalid activity, and no file appears.
    an::Activity broken = plain;
    broken.values.pop_back();
    expect_field([&] { an::save_activity(path, broken); }, "activity.values");
    EXPECT_FALSE(fs::exists(path));
}
