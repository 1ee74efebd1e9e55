#include "wm/study.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <numeric>
#include <ostream>
#include <sstream>

#include <neurode/analysis/activity_io.hpp>
#include <neurode/analysis/geometry.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/progress.hpp>
#include <neurode/sim/text_file.hpp>

#include "config.hpp"
#include "output_files.hpp"
#include "wm/memory.hpp"

namespace neurode::app::wm {

namespace {

// ---- Configuration ----------------------------------------------------------------------------

neurons::CueSite parse_site(const std::string& text, const std::string& field)
{
    if (text == "dendrite") return neurons::CueSite::dendrite;
    if (text == "soma") return neurons::CueSite::soma;
    throw invalid_parameter(field, "must be \"dendrite\" or \"soma\", got \"" + text + "\"");
}

const char* site_name(neurons::CueSite site) { return site == neurons::CueSite::dendrite ? "dendrite" : "soma"; }

void read_parameters(ConfigSection section, std::map<std::string, double>& into)
{
    neurons::ReservoirOptions probe;
    for (const std::string& name : section.keys()) {
        const std::string field = section.path() + "." + name;
        reservoir_parameter(probe, name, field);  // the name must exist
        into[name] = section.number(name, 0.0);
    }
}

neurons::ReservoirOptions condition_reservoir(const StudyConfig& config, const Condition& condition)
{
    neurons::ReservoirOptions r = config.biophysical.reservoir;
    r.cue.receptor = condition.receptor;
    r.cue.site = condition.site;
    for (const auto& [name, value] : condition.parameters) reservoir_parameter(r, name, name) = value;
    return r;
}

std::string slug(const std::string& name)
{
    std::string s;
    for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    return s;
}

// ---- Results ----------------------------------------------------------------------------------

struct Summary {
    double mean = 0, sd = 0;
};
Summary summarise(const std::vector<double>& x)
{
    Summary s;
    if (x.empty()) return s;
    s.mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
    for (double v : x) s.sd += (v - s.mean) * (v - s.mean);
    s.sd = x.size() > 1 ? std::sqrt(s.sd / static_cast<double>(x.size() - 1)) : 0.0;
    return s;
}

struct ModelResult {
    std::string name, kind;                  // kind: "biophysical" or the abstract variant's kind
    std::vector<double> mse, delay_r2, r2_end;  // one per network
    std::vector<std::vector<double>> curves;  // memory curve R^2 per network
    std::vector<double> curve_time;           // [ms] since cue onset
    analysis::Activity activity;              // the first network's readout activity (for comparisons)
    std::vector<double> rates;                // biophysical: E, I, cue [Hz] of the first network
};

// Trial-averaged activity per cue from cue onset on, on its top 3 principal components.
struct Trajectories {
    std::vector<double> values;  // [cues][steps][3]
    std::size_t cues = 0, steps = 0, components = 0;
    std::vector<double> explained;  // variance ratio of each kept component
    double dt = 0;
};
Trajectories pca_trajectories(const analysis::Activity& activity)
{
    if (activity.epochs.empty()) throw logic_error("pca_trajectories: the activity lacks the task's epochs");
    std::size_t first = 0;
    for (const rnn::Epoch& e : activity.epochs[0])
        if (e.name == "stimulus") first = e.start;
    const analysis::Activity from_cue = window(activity, first, activity.steps - first);
    const Eigen::MatrixXd mean = cue_means(from_cue, "activity");
    const analysis::Pca p = analysis::pca(mean, {3});
    Trajectories tr;
    tr.steps = from_cue.steps;
    tr.cues = static_cast<std::size_t>(mean.rows()) / tr.steps;
    tr.components = static_cast<std::size_t>(p.projections.cols());
    tr.dt = activity.dt;
    for (Eigen::Index i = 0; i < p.projections.rows(); ++i)
        for (Eigen::Index j = 0; j < p.projections.cols(); ++j) tr.values.push_back(p.projections(i, j));
    for (Eigen::Index j = 0; j < p.explained_variance_ratio.size(); ++j) tr.explained.push_back(p.explained_variance_ratio(j));
    return tr;
}

void write_model(sim::h5::Writer& w, const std::string& group, const ModelResult& m, const Trajectories& pcs)
{
    w.write(group + "/mse", m.mse);
    w.write(group + "/delay_r2", m.delay_r2);
    w.write(group + "/r2_end", m.r2_end);
    std::vector<double> curves;
    for (const auto& c : m.curves) curves.insert(curves.end(), c.begin(), c.end());
    w.write(group + "/memory/time_since_cue_onset_ms", m.curve_time);
    w.write(group + "/memory/r2", curves, {m.curves.size(), m.curve_time.size()});
    w.set_attribute(group, "kind", m.kind);
    w.set_attribute(group, "name", m.name);
    w.write(group + "/pca/projection", pcs.values, {pcs.cues, pcs.steps, pcs.components});
    w.write(group + "/pca/explained_variance_ratio", pcs.explained);
    w.set_attribute(group + "/pca/projection", "dt_ms", pcs.dt);
    analysis::write_activity(w, group + "/activity", m.activity);
}

void write_mechanisms(sim::h5::Writer& w, const std::string& group, const BiophysicalRun& run, const rnn::TrialBatch& batch,
                      std::size_t trials)
{
    const std::size_t x = batch.condition_index("cue_x"), y = batch.condition_index("cue_y");
    std::vector<std::int64_t> cells(run.mechanism.cells.begin(), run.mechanism.cells.end());
    std::vector<std::int64_t> first(run.first_cell.begin(), run.first_cell.end());
    w.write(group + "/example_cells", cells);
    w.write(group + "/population_first_cell", first);
    w.write(group + "/population_names", std::vector<std::string>{"E", "I", "cue"});
    for (std::size_t t = 0; t < trials; ++t) {
        const std::string g = group + "/trial" + std::to_string(t);
        const neurons::TrialResult& r = run.trials[t];
        std::vector<double> times;
        std::vector<std::int64_t> which;
        for (std::size_t c = 0; c < r.spikes.size(); ++c)
            for (double s : r.spikes[c]) {
                times.push_back(s);
                which.push_back(static_cast<std::int64_t>(c));
            }
        w.write(g + "/spikes/time_ms", times);
        w.write(g + "/spikes/cell", which);
        w.set_attribute(g, "cue_x", batch.condition(t, x));
        w.set_attribute(g, "cue_y", batch.condition(t, y));
        for (const sim::Recording& rec : r.recordings) {
            w.write(g + "/" + rec.name + "/time_ms", rec.times);
            w.write(g + "/" + rec.name + "/values", rec.values, {rec.samples(), rec.width()});
            w.set_attribute(g + "/" + rec.name, "unit", rec.units.empty() ? std::string() : rec.units.front());
        }
    }
}

std::string format(double x, int precision = 3)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(precision) << x;
    return s.str();
}

}  // namespace

// ---- Named parameters -------------------------------------------------------------------------

double& reservoir_parameter(neurons::ReservoirOptions& o, const std::string& name, const std::string& field)
{
    const std::pair<const char*, double*> table[] = {
        {"cue_uS", &o.cue.excitatory.conductance},
        {"cue_pconn", &o.cue.excitatory.probability},
        {"cue_to_inhibitory_uS", &o.cue.inhibitory_conductance},
        {"cue_peak_nA", &o.cue.peak_current},
        {"ee_ampa_uS", &o.ee_ampa.conductance},
        {"ee_ampa_pconn", &o.ee_ampa.probability},
        {"ee_dend_ampa_uS", &o.ee_dend_ampa.conductance},
        {"ee_dend_ampa_pconn", &o.ee_dend_ampa.probability},
        {"ei_ampa_uS", &o.ei_ampa.conductance},
        {"ei_ampa_pconn", &o.ei_ampa.probability},
        {"ie_gaba_uS", &o.ie_gaba.conductance},
        {"ie_gaba_pconn", &o.ie_gaba.probability},
        {"ie_dend_gaba_uS", &o.ie_dend_gaba.conductance},
        {"ie_dend_gaba_pconn", &o.ie_dend_gaba.probability},
        {"ii_gaba_uS", &o.ii_gaba.conductance},
        {"ii_gaba_pconn", &o.ii_gaba.probability},
        {"drive_rate_Hz", &o.drive_rate},
        {"drive_weight_uS", &o.drive_weight},
        {"e_soma_leak_S_cm2", &o.e_densities.soma.leak},
        {"e_soma_km_S_cm2", &o.e_densities.soma.km},
        {"e_soma_cal_S_cm2", &o.e_densities.soma.cal},
        {"e_soma_cat_S_cm2", &o.e_densities.soma.cat},
        {"e_dend_leak_S_cm2", &o.e_densities.dendrite.leak},
        {"e_dend_km_S_cm2", &o.e_densities.dendrite.km},
        {"e_dend_cal_S_cm2", &o.e_densities.dendrite.cal},
        {"e_dend_cat_S_cm2", &o.e_densities.dendrite.cat},
        {"i_leak_S_cm2", &o.i_densities.leak},
        {"i_km_S_cm2", &o.i_densities.km},
        {"i_cal_S_cm2", &o.i_densities.cal},
        {"i_cat_S_cm2", &o.i_densities.cat},
    };
    std::string known;
    for (const auto& [key, value] : table) {
        if (name == key) return *value;
        known += known.empty() ? key : std::string(", ") + key;
    }
    throw invalid_parameter(field, "unknown reservoir parameter '" + name + "' (known: " + known + ")");
}

// ---- Configuration ----------------------------------------------------------------------------

StudyConfig parse_study_config(const std::string& text, const std::string& source)
{
    const nlohmann::json json = parse_json(text, source);
    ConfigSection root(json, "");
    StudyConfig c;
    c.output = root.text("output", c.output);
    if (c.output.empty()) throw invalid_parameter("output", "must name a file");
    c.seed = root.count("seed", c.seed);
    c.threads = root.count("threads", c.threads);
    c.figures = root.flag("figures", c.figures);

    ConfigSection task = root.section("task");
    c.task.cue_onset_ms = task.number("cue_onset_ms", c.task.cue_onset_ms);
    c.task.cue_ms = task.positive("cue_ms", c.task.cue_ms);
    c.task.delay_ms = task.number("delay_ms", c.task.delay_ms);
    c.task.dt = task.positive("dt_ms", 1.0);
    c.repeats = task.count("repeats", c.repeats);
    if (c.repeats < 2) throw invalid_parameter("task.repeats", "must be >= 2 (the readout is cross-validated over repeats)");
    c.memory_bin_ms = task.positive("memory_bin_ms", c.memory_bin_ms);
    c.compare_bin_ms = task.positive("compare_bin_ms", c.compare_bin_ms);
    task.finish();
    try {
        c.task.validate();
    } catch (const invalid_parameter& e) {
        throw invalid_parameter("task." + e.field(), e.constraint());
    }
    for (const auto& [key, bin] : {std::pair{"task.memory_bin_ms", c.memory_bin_ms}, {"task.compare_bin_ms", c.compare_bin_ms}}) {
        const double ratio = bin / c.task.dt;
        if (!(ratio >= 1 && std::abs(ratio - std::round(ratio)) < 1e-9))
            throw invalid_parameter(key, "must be a multiple of task.dt_ms (" + format(c.task.dt) + " ms)");
    }

    ConfigSection res = root.section("reservoir");
    neurons::ReservoirOptions& r = c.biophysical.reservoir;
    r.excitatory = res.count("excitatory", r.excitatory);
    r.cue.cells = res.count("cue_cells", r.cue.cells);
    r.cue.tuning_width = res.positive("cue_tuning_width", r.cue.tuning_width);
    c.biophysical.readout_tau_ms = res.positive("readout_tau_ms", c.biophysical.readout_tau_ms);
    c.biophysical.solver.method = sim::parse_method(res.text("method", "staggered_crank_nicolson"), "reservoir.method");
    c.biophysical.solver.dt = res.positive("dt_ms", c.biophysical.solver.dt);
    std::map<std::string, double> base;
    read_parameters(res.section("parameters"), base);
    for (const auto& [name, value] : base) reservoir_parameter(r, name, name) = value;
    res.finish();

    for (ConfigSection cs : root.list("conditions")) {
        Condition cond;
        cond.name = cs.text("name", "");
        if (cond.name.empty()) throw invalid_parameter(cs.path() + ".name", "must be given");
        cond.receptor = neurons::parse_receptor(cs.text("receptor", "nmda"), cs.path() + ".receptor");
        cond.site = parse_site(cs.text("site", "dendrite"), cs.path() + ".site");
        read_parameters(cs.section("parameters"), cond.parameters);
        cs.finish();
        for (const Condition& other : c.conditions)
            if (other.name == cond.name) throw invalid_parameter(cs.path() + ".name", "'" + cond.name + "' is used twice");
        c.conditions.push_back(std::move(cond));
    }
    if (c.conditions.empty()) throw invalid_parameter("conditions", "must list at least one cue condition");

    ConfigSection search = root.section("search");
    c.search_options.initial = search.count("initial", 0);
    c.search_options.local = search.count("local", 0);
    c.search_options.initial_step = search.positive("initial_step", c.search_options.initial_step);
    c.search_repeats = search.count("repeats", c.search_repeats);
    if (c.search_repeats < 2) throw invalid_parameter("search.repeats", "must be >= 2");
    for (ConfigSection ps : search.list("parameters")) {
        sim::SearchParameter p;
        p.name = ps.text("name", "");
        neurons::ReservoirOptions probe;
        reservoir_parameter(probe, p.name, ps.path() + ".name");
        p.low = ps.number("low", 0.0);
        p.high = ps.number("high", 0.0);
        const std::string scale = ps.text("scale", "linear");
        if (scale != "linear" && scale != "log") throw invalid_parameter(ps.path() + ".scale", "must be \"linear\" or \"log\"");
        p.log_scale = scale == "log";
        ps.finish();
        try {
            p.validate();
        } catch (const invalid_parameter& e) {
            throw invalid_parameter(ps.path() + "." + (e.field() == p.name + ".low" ? "low" : "high"), e.constraint());
        }
        c.search.push_back(p);
    }
    search.finish();
    if (c.search_options.initial > 0 && c.search.empty())
        throw invalid_parameter("search.parameters", "must list the searched parameters when search.initial > 0");

    ConfigSection ev = root.section("evaluation");
    c.network_seeds = ev.count("network_seeds", c.network_seeds);
    if (c.network_seeds == 0) throw invalid_parameter("evaluation.network_seeds", "must be >= 1");
    ev.finish();

    ConfigSection ab = root.section("abstract");
    c.abstract.units = ab.count("units", c.abstract.units);
    c.abstract.dt_ms = ab.positive("dt_ms", c.abstract.dt_ms);
    c.abstract.tau_ms = ab.positive("tau_ms", c.abstract.tau_ms);
    c.abstract.heterogeneity_level = ab.count("heterogeneity_level", c.abstract.heterogeneity_level);
    c.abstract.reservoir_gain = ab.positive("reservoir_gain", c.abstract.reservoir_gain);
    c.abstract.noise_sd = ab.number("noise_sd", c.abstract.noise_sd);
    c.abstract.bptt_trials = ab.count("bptt_trials", c.abstract.bptt_trials);
    c.abstract.bptt_batch_size = ab.count("bptt_batch_size", c.abstract.bptt_batch_size);
    c.abstract.bptt_target_r2 = ab.number("bptt_target_r2", c.abstract.bptt_target_r2);
    c.abstract.fixed_point_starts = ab.count("fixed_point_starts", c.abstract.fixed_point_starts);
    c.abstract.learning_rate = ab.positive("learning_rate", c.abstract.learning_rate);
    ab.finish();
    c.abstract.seed = c.seed;
    try {
        c.abstract.validate();
    } catch (const invalid_parameter& e) {
        throw invalid_parameter("abstract." + e.field(), e.constraint());
    }
    root.finish();

    // Every condition's reservoir must be valid before anything runs.
    for (std::size_t i = 0; i < c.conditions.size(); ++i) {
        BiophysicalOptions b = c.biophysical;
        b.reservoir = condition_reservoir(c, c.conditions[i]);
        try {
            b.validate();
        } catch (const invalid_parameter& e) {
            throw invalid_parameter("conditions[" + std::to_string(i) + "]." + e.field(), e.constraint());
        }
    }
    const auto parent = std::filesystem::absolute(c.output).parent_path();
    if (!std::filesystem::is_directory(parent))
        throw invalid_parameter("output", "its folder " + parent.string() + " does not exist");
    return c;
}

// ---- The study --------------------------------------------------------------------------------

int run_study(const StudyConfig& config, const std::string& config_text, std::ostream& out)
{
    const std::filesystem::path output = config.output;
    rnn::WorkingMemoryOptions task_options = config.task;
    task_options.cue = rnn::CueKind::analog_set;
    const rnn::WorkingMemoryTask task(task_options);
    const std::size_t cue_values = task_options.analog_values.size();
    const rnn::TrialBatch batch = task.generate(cue_values * config.repeats, config.seed);
    const rnn::TrialBatch search_batch = task.generate(cue_values * config.search_repeats, config.seed);
    const std::size_t mechanism_trials = cue_values;  // repeat 0 of every cue

    out << "neurode working-memory study: " << config.conditions.size() << " cue conditions x " << config.network_seeds
        << " networks, " << batch.trials << " trials of " << format(task_options.trial_ms(), 0) << " ms ("
        << cue_values << " cues x " << config.repeats << " repeats); cue " << format(task_options.cue_onset_ms, 0) << "-"
        << format(task_options.cue_onset_ms + task_options.cue_ms, 0) << " ms\n";

    sim::h5::Writer h5(output);
    std::vector<ModelResult> models;
    std::vector<std::pair<std::string, std::map<std::string, double>>> chosen;  // parameters used per condition
    for (const Condition& condition : config.conditions) {
        BiophysicalOptions bio = config.biophysical;
        bio.threads = config.threads;
        bio.reservoir = condition_reservoir(config, condition);
        const std::string group = "/biophysical/" + slug(condition.name);
        std::map<std::string, double> parameters = condition.parameters;

        if (config.search_options.initial > 0) {
            sim::SearchOptions so = config.search_options;
            so.seed = config.seed;
            so.log = beside(output, "-search-" + slug(condition.name) + ".h5");
            std::size_t failures = 0;
            const auto objective = [&](std::span<const double> values) {
                BiophysicalOptions candidate = bio;
                for (std::size_t d = 0; d < values.size(); ++d)
                    reservoir_parameter(candidate.reservoir, config.search[d].name, config.search[d].name) = values[d];
                candidate.reservoir.seed = config.seed;
                candidate.noise_seed = config.seed;
                try {
                    candidate.validate();
                    return score_memory(run_biophysical(search_batch, candidate).readout, search_batch, config.memory_bin_ms).mse;
                } catch (const solver_error&) {
                    ++failures;
                    return std::numeric_limits<double>::infinity();
                }
            };
            sim::ProgressBar bar(stderr, condition.name + ": search", static_cast<double>(so.initial + so.local));
            double best = std::numeric_limits<double>::infinity();
            const auto result = sim::minimise(config.search, objective, so, [&](std::size_t i, const sim::SearchEvaluation& e) {
                best = std::min(best, e.score);
                bar.update(static_cast<double>(i + 1), "MSE " + format(e.score) + " (best " + format(best) + ")" +
                                                           (e.resumed ? " resumed" : ""));
            });
            bar.finish("best MSE " + format(result.best_evaluation().score) + " after " +
                       std::to_string(result.evaluations.size()) + " evaluations" +
                       (failures ? ", " + std::to_string(failures) + " failed" : ""));
            for (std::size_t d = 0; d < config.search.size(); ++d) {
                parameters[config.search[d].name] = result.best_evaluation().values[d];
                reservoir_parameter(bio.reservoir, config.search[d].name, config.search[d].name) = result.best_evaluation().values[d];
            }
            std::vector<double> values, scores;
            for (const auto& e : result.evaluations) {
                values.insert(values.end(), e.values.begin(), e.values.end());
                scores.push_back(e.score);
            }
            std::vector<std::string> names;
            for (const auto& p : config.search) names.push_back(p.name);
            h5.write(group + "/search/parameter_names", names);
            h5.write(group + "/search/values", values, {result.evaluations.size(), config.search.size()});
            h5.write(group + "/search/mse", scores);
        }
        chosen.emplace_back(condition.name, parameters);

        ModelResult m;
        m.name = condition.name;
        m.kind = "biophysical";
        sim::ProgressBar bar(stderr, condition.name + ": networks", static_cast<double>(config.network_seeds));
        for (std::size_t s = 0; s < config.network_seeds; ++s) {
            // Evaluation networks are fresh: the search used network seed `seed`.
            bio.reservoir.seed = config.seed + 1 + s;
            bio.noise_seed = config.seed + 1 + s;
            bio.mechanism_trials = s == 0 ? mechanism_trials : 0;
            const BiophysicalRun run = run_biophysical(batch, bio);
            const MemoryScore score = score_memory(run.readout, batch, config.memory_bin_ms);
            m.mse.push_back(score.mse);
            m.delay_r2.push_back(score.delay_r2);
            m.r2_end.push_back(score.curve.r2.back());
            m.curves.push_back(score.curve.r2);
            m.curve_time = score.curve.time;
            if (s == 0) {
                m.activity = run.readout;
                m.rates = {run.rate_e, run.rate_i, run.rate_cue};
                write_mechanisms(h5, group + "/mechanisms", run, batch, mechanism_trials);
            }
            bar.update(static_cast<double>(s + 1), "MSE " + format(score.mse) + ", delay R2 " + format(score.delay_r2) +
                                                       ", E " + format(run.rate_e, 1) + " Hz, I " + format(run.rate_i, 1) + " Hz");
        }
        bar.finish("MSE " + format(summarise(m.mse).mean) + " +- " + format(summarise(m.mse).sd));
        h5.write(group + "/rates_Hz", m.rates);
        std::vector<std::string> names;
        std::vector<double> values;
        for (const auto& [name, value] : parameters) {
            names.push_back(name);
            values.push_back(value);
        }
        h5.write(group + "/parameters/names", names);
        h5.write(group + "/parameters/values", values);
        h5.set_attribute(group, "receptor", std::string(neurons::to_string(condition.receptor)));
        h5.set_attribute(group, "site", site_name(condition.site));
        write_model(h5, group, m, pca_trajectories(m.activity));
        models.push_back(std::move(m));
    }
    const std::size_t biophysical_models = models.size();

    out << "abstract counterpart: rate RNNs on the same task\n";
    const auto variants = run_abstract(task, batch, config.memory_bin_ms, config.abstract,
                                       [&](const std::string& step) { out << "  " << step << "\n" << std::flush; });
    for (const AbstractVariant& v : variants) {
        ModelResult m;
        m.name = v.name;
        m.kind = v.kind;
        m.mse = {v.memory.mse};
        m.delay_r2 = {v.memory.delay_r2};
        m.r2_end = {v.memory.curve.r2.back()};
        m.curves = {v.memory.curve.r2};
        m.curve_time = v.memory.curve.time;
        m.activity = v.activity;
        const std::string group = "/abstract/" + slug(v.name);
        write_model(h5, group, m, pca_trajectories(v.activity));
        if (v.kind == "bptt") {
            h5.set_attribute(group, "trained_output_r2", v.trained_output_r2);
            h5.set_attribute(group, "trials_trained", static_cast<std::int64_t>(v.trials_trained));
            h5.set_attribute(group, "fixed_points", static_cast<std::int64_t>(v.fixed_points));
            h5.set_attribute(group, "stable_fixed_points", static_cast<std::int64_t>(v.stable_fixed_points));
            h5.set_attribute(group, "attractor", v.attractor);
        }
        models.push_back(std::move(m));
    }

    // ---- Tables ----
    std::ostringstream table;
    table << "\n| model | kind | networks | CV MSE (mean +- sd) | delay R^2 (mean +- sd) | R^2 at trial end |\n"
          << "|---|---|---:|---:|---:|---:|\n";
    for (const ModelResult& m : models) {
        const Summary mse = summarise(m.mse), r2 = summarise(m.delay_r2), end = summarise(m.r2_end);
        table << "| " << m.name << " | " << m.kind << " | " << m.mse.size() << " | " << format(mse.mean) << " +- " << format(mse.sd)
              << " | " << format(r2.mean) << " +- " << format(r2.sd) << " | " << format(end.mean) << " |\n";
    }
    table << "\nCV MSE: the reference's score (predicting 0 scores 4.0; lower is better). Delay R^2: the memory\n"
             "curve averaged from cue offset to the trial's end.\n";

    const std::vector<std::string> measures = {"CKA", "SVCCA", "Procrustes", "DSA"};
    std::vector<std::vector<double>> distances(measures.size());
    std::ostringstream compare;
    compare << "\nDelay-epoch similarity, biophysical (rows) against abstract (columns): CKA / SVCCA (1 = same) and\n"
               "Procrustes / DSA distances (0 = same)\n\n| |";
    for (std::size_t a = biophysical_models; a < models.size(); ++a) compare << " " << models[a].name << " |";
    compare << "\n|---|";
    for (std::size_t a = biophysical_models; a < models.size(); ++a) compare << "---|";
    compare << "\n";
    for (std::size_t b = 0; b < biophysical_models; ++b) {
        compare << "| " << models[b].name << " |";
        for (std::size_t a = biophysical_models; a < models.size(); ++a) {
            const ActivityComparison c = compare_delay_activity(models[b].activity, models[a].activity, config.compare_bin_ms);
            const double values[] = {c.cka, c.svcca, c.procrustes, c.dsa};
            for (std::size_t k = 0; k < measures.size(); ++k) distances[k].push_back(values[k]);
            compare << " " << format(c.cka, 2) << " / " << format(c.svcca, 2) << " / " << format(c.procrustes, 2) << " / "
                    << format(c.dsa, 2) << " |";
        }
        compare << "\n";
    }
    const std::size_t abstract_models = models.size() - biophysical_models;
    for (std::size_t k = 0; k < measures.size(); ++k)
        h5.write("/comparison/" + measures[k], distances[k], {biophysical_models, abstract_models});
    std::vector<std::string> rows, columns;
    for (std::size_t i = 0; i < models.size(); ++i) (i < biophysical_models ? rows : columns).push_back(models[i].name);
    h5.write("/comparison/rows", rows);
    h5.write("/comparison/columns", columns);
    h5.write("/table/performance", std::vector<std::string>{table.str()});
    h5.write("/table/similarity", std::vector<std::string>{compare.str()});
    h5.set_attribute("/", "format", "neurode-wm-study");
    h5.set_attribute("/", "format_version", static_cast<std::int64_t>(1));
    h5.write("/configuration", std::vector<std::string>{config_text});
    out << table.str() << compare.str();

    // ---- Files: the results, the configuration beside them, the figures ----
    const std::filesystem::path config_file = beside(output, ".config.json");
    sim::write_text_file_atomically(config_file, config_text + "\n", "the configuration");
    h5.commit();
    out << "\nwrote " << output.string() << " and " << config_file.string() << "\n";
    if (config.figures) draw_figures("plot_wm.py", output, out);
    return 0;
}

}  // namespace neurode::app::wm
