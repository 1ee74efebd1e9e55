// The working-memory study's pieces (app/wm/): the biophysical pipeline end to end on a tiny
// reservoir (cue in, readout fitted, R^2 computed), its determinism, the memory score against
// the analysis layer's decoding (itself checked against scikit-learn), and the configuration
// validator on bad input.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/expect_field.hpp"
#include <neurode/analysis/decoding.hpp>
#include <neurode/sim/random.hpp>

#include "wm/biophysical.hpp"
#include "wm/memory.hpp"
#include "wm/study.hpp"

namespace wm = neurode::app::wm;
namespace an = neurode::analysis;
namespace rnn = neurode::rnn;

namespace {
rnn::WorkingMemoryTask short_task()
{
    rnn::WorkingMemoryOptions o;
    o.cue_onset_ms = 50;
    o.cue_ms = 25;
    o.delay_ms = 100;
    o.dt = 1.0;
    return rnn::WorkingMemoryTask(o);
}

wm::BiophysicalOptions tiny_reservoir(std::size_t threads)
{
    wm::BiophysicalOptions o;
    o.reservoir.excitatory = 10;
    o.reservoir.cue.cells = 6;
    o.reservoir.cue.excitatory = {0.01, 0.5};
    o.reservoir.drive_weight = 0.005;
    o.threads = threads;
    o.noise_seed = 4;
    o.mechanism_trials = 1;
    return o;
}
}  // namespace

TEST(WmBiophysical, TinyReservoirEndToEnd)
{
    const auto task = short_task();
    const rnn::TrialBatch batch = task.generate(8, 1);  // 4 cues x 2 repeats
    const wm::BiophysicalRun run = wm::run_biophysical(batch, tiny_reservoir(2));
    ASSERT_EQ(run.trials.size(), 8u);
    EXPECT_EQ(run.readout.trials, 8u);
    EXPECT_EQ(run.readout.units, 5u);    // the odd E cells
    EXPECT_EQ(run.readout.steps, 175u);  // 175 ms at 1 ms
    EXPECT_EQ(run.readout.unit, "Hz");
    ASSERT_EQ(run.first_cell.size(), 3u);
    // Cue cells have no background drive: they fire only while their current is on (spikes
    // within a few ms of the 50-75 ms window), and some fire for every cue.
    for (const auto& trial : run.trials) {
        std::size_t cue_spikes = 0;
        for (std::size_t c = run.first_cell[2]; c < run.first_cell[2] + 6; ++c)
            for (double t : trial.spikes[c]) {
                ++cue_spikes;
                EXPECT_GE(t, 50.0);
                EXPECT_LE(t, 80.0);
            }
        EXPECT_GT(cue_spikes, 0u);
    }
    EXPECT_GT(run.rate_e, 0.0);
    // The mechanism probes of trial 0: voltages of the example cells and the cue synapses' conductance.
    ASSERT_EQ(run.trials[0].recordings.size(), 3u);
    EXPECT_EQ(run.trials[0].recordings[0].name, "soma_v");
    EXPECT_EQ(run.trials[0].recordings[2].width(), run.mechanism.cue_synapses.size());
    EXPECT_TRUE(run.trials[1].recordings.empty());

    const wm::MemoryScore score = wm::score_memory(run.readout, batch, 25.0);
    EXPECT_EQ(score.curve.r2.size(), 5u);  // 125 ms from cue onset
    EXPECT_DOUBLE_EQ(score.curve.time.front(), 12.0);  // points 0..24 after onset: centre 12 ms
    EXPECT_TRUE(std::isfinite(score.mse));
    EXPECT_TRUE(std::isfinite(score.delay_r2));
}

TEST(WmBiophysical, SameSeedSameResultOnAnyThreadCount)
{
    const auto task = short_task();
    const rnn::TrialBatch batch = task.generate(4, 1);
    const wm::BiophysicalRun one = wm::run_biophysical(batch, tiny_reservoir(1));
    const wm::BiophysicalRun two = wm::run_biophysical(batch, tiny_reservoir(2));
    EXPECT_EQ(one.readout.values, two.readout.values);
    for (std::size_t t = 0; t < 4; ++t) EXPECT_EQ(one.trials[t].spikes, two.trials[t].spikes);
    wm::BiophysicalOptions other = tiny_reservoir(2);
    other.noise_seed = 5;
    EXPECT_NE(wm::run_biophysical(batch, other).readout.values, one.readout.values);
}

TEST(WmMemory, ScoresTheReadoutFromCueOnsetOn)
{
    const auto task = short_task();
    const rnn::TrialBatch batch = task.generate(12, 1);  // 3 repeats
    // Activity that carries the cue (from cue onset on) in two units, plus noise, and a third
    // unit of pure noise: the readout recovers the cue.
    an::Activity a;
    a.trials = batch.trials, a.steps = batch.steps, a.units = 3, a.dt = 1.0, a.unit = "1";
    neurode::sim::Rng rng(7);
    for (std::size_t t = 0; t < a.trials; ++t)
        for (std::size_t k = 0; k < a.steps; ++k) {
            a.values.push_back(batch.target(t, k, 0) + rng.normal(0, 0.1));
            a.values.push_back(batch.target(t, k, 1) + rng.normal(0, 0.1));
            a.values.push_back(rng.normal());
        }
    const wm::MemoryScore good = wm::score_memory(a, batch, 25.0);
    EXPECT_GT(good.delay_r2, 0.95);
    EXPECT_LT(good.mse, 0.1);

    // The same numbers as the analysis layer's decoding of the window from cue onset, with one
    // fold per repeat.
    const std::size_t first = 50;
    an::Activity window = a;
    window.steps = a.steps - first;
    window.values.clear();
    std::vector<double> targets;
    for (std::size_t t = 0; t < a.trials; ++t)
        for (std::size_t k = first; k < a.steps; ++k) {
            for (std::size_t u = 0; u < 3; ++u) window.values.push_back(a.at(t, k, u));
            for (std::size_t o = 0; o < 2; ++o) targets.push_back(batch.target(t, k, o));
        }
    an::DecodingOptions d;
    d.bin = 25;
    const an::DecodingCurve direct = an::cross_validated_decoding(window, targets, 2, wm::repeat_folds(batch), d);
    EXPECT_EQ(direct.r2, good.curve.r2);
    EXPECT_EQ(direct.mse, good.mse);
    double delay = 0;
    for (std::size_t b = 1; b < direct.r2.size(); ++b) delay += direct.r2[b];  // bins 1.. start at cue offset
    EXPECT_DOUBLE_EQ(good.delay_r2, delay / static_cast<double>(direct.r2.size() - 1));

    // Noise alone: nothing to read out.
    for (std::size_t i = 0; i < a.values.size(); ++i) a.values[i] = rng.normal();
    EXPECT_LT(wm::score_memory(a, batch, 25.0).delay_r2, 0.2);
    expect_field([&] { wm::score_memory(a, batch, 2.5); }, "bin_ms");
}

TEST(WmConfig, EmbeddedConfigurationsAreValid)
{
    const wm::StudyConfig d = wm::parse_study_config(wm::study_default_config(), "default");
    EXPECT_EQ(d.conditions.size(), 4u);
    EXPECT_EQ(d.repeats, 3u);
    const wm::StudyConfig f = wm::parse_study_config(wm::study_full_config(), "full");
    EXPECT_EQ(f.network_seeds, 5u);
    EXPECT_EQ(f.repeats, 5u);
    EXPECT_GT(f.search_options.initial, 0u);
    EXPECT_EQ(f.search.size(), 10u);
}

TEST(WmConfig, BadConfigurationsNameTheKey)
{
    const auto with = [](const std::string& find, const std::string& replace) {
        std::string text = wm::study_full_config();
        const auto at = text.find(find);
        EXPECT_NE(at, std::string::npos) << find;
        text.replace(at, find.size(), replace);
        return text;
    };
    const auto expect_key = [](const std::string& text, const std::string& key) {
        expect_field([&] { wm::parse_study_config(text, "test"); }, key);
    };
    expect_key(with("\"cue_onset_ms\"", "\"cue_onset\""), "task.cue_onset");                 // unknown key
    expect_key(with("\"dt_ms\": 0.1", "\"dt_s\": 0.0001"), "reservoir.dt_s");               // wrong unit
    expect_key(with("\"repeats\": 5", "\"repeats\": 1"), "task.repeats");                    // out of range
    expect_key(with("\"cue_ms\": 25", "\"cue_ms\": -25"), "task.cue_ms");
    expect_key(with("\"receptor\": \"ampa\"", "\"receptor\": \"gaba_a\""), "conditions[1].cue.receptor");
    expect_key(with("\"site\": \"soma\"", "\"site\": \"axon\""), "conditions[2].site");
    expect_key(with("\"drive_rate_Hz\": 100", "\"drive_rate_Hz\": -1"), "conditions[0].drive_rate");
    expect_key(with("\"cue_to_inhibitory_uS\"", "\"cue_gain\""), "reservoir.parameters.cue_gain");
    expect_key(with("\"low\": 0.003, \"high\": 0.3", "\"low\": 1, \"high\": 0.0001"), "search.parameters[0].high");
    expect_key(with("\"network_seeds\": 5", "\"network_seeds\": 0"), "evaluation.network_seeds");
    expect_key(with("\"units\": 64", "\"units\": 1"), "abstract.units");
    expect_key(with("\"output\": \"neurode-wm-full.h5\"", "\"output\": \"/no/such/folder/x.h5\""), "output");
    expect_key("{\"conditions\": [] }", "conditions");
    expect_key("{ \"task\": ", "test");  // not JSON
}
