#include <neurode/analysis/activity_io.hpp>

#include <neurode/rnn/io.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/version.hpp>

namespace neurode::analysis {

namespace {

std::string num(double v)
{
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

constexpr double ms_per_s = 1000.0;
constexpr double gaussian_cutoff_sd = 8.0;  // exp(-32) = 1.3e-14 of the peak

// Fraction of dt within which a time counts as on the grid.
constexpr double grid_tolerance = 1e-9;

std::vector<double> sorted_spikes(std::span<const double> spikes)
{
    std::vector<double> s(spikes.begin(), spikes.end());
    std::sort(s.begin(), s.end());
    return s;
}

// Linear interpolation of column `c` of a recording at time t within its time range.
double interpolate(const sim::Recording& r, std::size_t c, double t)
{
    const auto& times = r.times;
    auto hi = std::upper_bound(times.begin(), times.end(), t);
    if (hi == times.begin()) return r.at(0, c);
    if (hi == times.end()) return r.at(times.size() - 1, c);
    const std::size_t j = static_cast<std::size_t>(hi - times.begin());
    const double ta = times[j - 1], tb = times[j];
    const double w = tb > ta ? (t - ta) / (tb - ta) : 0.0;
    return (1.0 - w) * r.at(j - 1, c) + w * r.at(j, c);
}

}  // namespace

// ---- Rate networks -----------------------------------------------------------------------------

Activity activity_from_run(const rnn::NetworkRun& run, const rnn::TrialBatch& batch, const RunActivityOptions& options)
{
    if (run.trials != batch.trials || run.steps != batch.steps)
        throw invalid_parameter("run", "has " + std::to_string(run.trials) + " trials x " + std::to_string(run.steps) +
                                           " steps, the batch " + std::to_string(batch.trials) + " x " +
                                           std::to_string(batch.steps) + ": pass the batch the network ran on");
    if (run.states.size() != run.trials * run.steps * run.units)
        throw invalid_parameter("run.states", "must hold trials x steps x units values");
    Activity a;
    a.trials = run.trials;
    a.steps = run.steps;
    a.units = run.units;
    a.dt = batch.dt;
    a.unit.assign(1, '1');  // dimensionless; assign() avoids GCC 12's false -Wrestrict on = "1"
    a.values = run.states;
    if (options.signal == RunSignal::rates)
        for (double& v : a.values) v = rnn::activate(options.activation, v);
    a.epochs = batch.epochs;
    a.condition_names = batch.condition_names;
    a.conditions = batch.conditions;
    a.validate("run");
    return a;
}

Activity activity_from_run(const rnn::RateNetwork& network, const rnn::NetworkRun& run, const rnn::TrialBatch& batch,
                           RunSignal signal)
{
    return activity_from_run(run, batch, {.signal = signal, .activation = network.options().activation});
}

// ---- Time grids, kernels, spike trains ----------------------------------------------------------

std::size_t TimeGrid::steps() const
{
    const double n = std::ceil((t1 - t0) / dt - grid_tolerance);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void TimeGrid::validate(std::string_view argument) const
{
    const std::string a(argument);
    if (!(std::isfinite(dt) && dt > 0)) throw invalid_parameter(a + ".dt", "must be finite and > 0 ms");
    if (!std::isfinite(t0)) throw invalid_parameter(a + ".t0", "must be finite");
    if (!(std::isfinite(t1) && t1 > t0)) throw invalid_parameter(a + ".t1", "must be finite and > t0 (" + num(t0) + " ms)");
    if (steps() == 0) throw invalid_parameter(a + ".t1", "leaves no sample between t0 and t1");
}

void SpikeKernel::validate(std::string_view argument) const
{
    if (!(std::isfinite(width) && width > 0)) throw invalid_parameter(std::string(argument) + ".width", "must be finite and > 0 ms");
}

void SpikeRateOptions::validate() const
{
    kernel.validate("kernel");
    grid.validate("grid");
}

std::vector<double> filtered_rate(std::span<const double> spikes, const SpikeKernel& kernel, const TimeGrid& grid)
{
    kernel.validate();
    grid.validate();
    for (std::size_t i = 0; i < spikes.size(); ++i)
        if (!std::isfinite(spikes[i])) throw invalid_parameter("spikes", "spike " + std::to_string(i) + " is not finite");
    const std::vector<double> s = sorted_spikes(spikes);
    const std::size_t n = grid.steps();
    std::vector<double> rate(n, 0.0);
    const double w = kernel.width;
    if (kernel.shape == KernelShape::causal_exponential) {
        // sum_{t_s <= t} exp(-(t - t_s) / tau), advanced from sample to sample by the decay.
        const double decay = std::exp(-grid.dt / w);
        double sum = 0.0;
        std::size_t next = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const double t = grid.time(k);
            if (k > 0) sum *= decay;
            for (; next < s.size() && s[next] <= t; ++next) sum += std::exp(-(t - s[next]) / w);
            rate[k] = ms_per_s * sum / w;
        }
    } else {
        const double norm = ms_per_s / (w * std::sqrt(2.0 * std::numbers::pi));
        const double reach = gaussian_cutoff_sd * w;
        for (std::size_t k = 0; k < n; ++k) {
            const double t = grid.time(k);
            double sum = 0.0;
            for (auto it = std::lower_bound(s.begin(), s.end(), t - reach); it != s.end() && *it <= t + reach; ++it) {
                const double z = (t - *it) / w;
                sum += std::exp(-0.5 * z * z);
            }
            rate[k] = norm * sum;
        }
    }
    return rate;
}

Activity activity_from_spikes(const std::vector<SpikeTrains>& spikes, const SpikeRateOptions& options)
{
    options.validate();
    if (spikes.empty()) throw invalid_parameter("spikes", "holds no trials");
    const std::size_t cells = spikes.front().size();
    if (cells == 0) throw invalid_parameter("spikes", "trial 0 has no cells");
    Activity a;
    a.trials = spikes.size();
    a.steps = options.grid.steps();
    a.units = cells;
    a.dt = options.grid.dt;
    a.unit = "Hz";
    a.values.assign(a.trials * a.steps * a.units, 0.0);
    for (std::size_t trial = 0; trial < spikes.size(); ++trial) {
        if (spikes[trial].size() != cells)
            throw invalid_parameter("spikes", "trial " + std::to_string(trial) + " has " + std::to_string(spikes[trial].size()) +
                                                  " cells, trial 0 has " + std::to_string(cells));
        for (std::size_t cell = 0; cell < cells; ++cell) {
            for (double t : spikes[trial][cell])
                if (!std::isfinite(t))
                    throw invalid_parameter("spikes", "trial " + std::to_string(trial) + ", cell " + std::to_string(cell) +
                                                          " has a non-finite spike time");
            const std::vector<double> r = filtered_rate(spikes[trial][cell], options.kernel, options.grid);
            for (std::size_t k = 0; k < a.steps; ++k) a.at(trial, k, cell) = r[k];
        }
    }
    return a;
}

Activity activity_from_spikes(const std::vector<neurons::TrialResult>& results, const SpikeRateOptions& options)
{
    std::vector<SpikeTrains> spikes;
    spikes.reserve(results.size());
    for (const neurons::TrialResult& r : results) spikes.push_back(r.spikes);
    return activity_from_spikes(spikes, options);
}

// ---- Sampled voltages and other recordings -------------------------------------------------------

Activity activity_from_recordings(const std::vector<sim::Recording>& recordings, const RecordingActivityOptions& options)
{
    if (recordings.empty()) throw invalid_parameter("recordings", "holds no trials");
    if (options.grid) options.grid->validate("grid");
    const sim::Recording& first = recordings.front();
    std::vector<std::size_t> columns = options.columns;
    if (columns.empty())
        for (std::size_t c = 0; c < first.width(); ++c) columns.push_back(c);
    if (columns.empty()) throw invalid_parameter("recordings", "trial 0 has no columns");
    for (std::size_t trial = 0; trial < recordings.size(); ++trial) {
        const sim::Recording& r = recordings[trial];
        const std::string which = "trial " + std::to_string(trial) + " ('" + r.name + "')";
        if (r.values.size() != r.samples() * r.width())
            throw invalid_parameter("recordings", which + " holds " + std::to_string(r.values.size()) +
                                                      " values for samples x columns = " + std::to_string(r.samples() * r.width()));
        if (r.samples() < 2) throw invalid_parameter("recordings", which + " has fewer than 2 samples");
        if (!r.time_unit.empty() && r.time_unit != "ms")
            throw invalid_parameter("recordings", which + " is in " + r.time_unit + ", not ms");
        if (r.width() != first.width())
            throw invalid_parameter("recordings", which + " has " + std::to_string(r.width()) + " columns, trial 0 has " +
                                                      std::to_string(first.width()));
        for (std::size_t c : columns)
            if (c >= r.width())
                throw invalid_parameter("columns", "names column " + std::to_string(c) + ", the recordings have " +
                                                       std::to_string(r.width()));
        for (std::size_t i = 0; i < r.samples(); ++i)
            if (!std::isfinite(r.times[i]) || (i > 0 && !(r.times[i] > r.times[i - 1])))
                throw invalid_parameter("recordings", which + " has non-increasing or non-finite times at sample " +
                                                          std::to_string(i));
    }
    // The grid: the one asked for, or the recordings' own.
    TimeGrid grid;
    if (options.grid) {
        grid = *options.grid;
    } else {
        const std::size_t n = first.samples();
        grid.t0 = first.times.front();
        grid.dt = (first.times.back() - first.times.front()) / static_cast<double>(n - 1);
        grid.t1 = grid.t0 + static_cast<double>(n) * grid.dt;
        for (std::size_t trial = 0; trial < recordings.size(); ++trial) {
            const sim::Recording& r = recordings[trial];
            bool same = r.samples() == n;
            for (std::size_t i = 0; same && i < n; ++i) same = std::abs(r.times[i] - grid.time(i)) <= 1e-6 * grid.dt;
            if (!same)
                throw invalid_parameter("recordings", "trial " + std::to_string(trial) +
                                                          "'s times are not evenly spaced or differ from trial 0's: "
                                                          "pass a grid to resample");
        }
    }
    Activity a;
    a.trials = recordings.size();
    a.steps = grid.steps();
    a.units = columns.size();
    a.dt = grid.dt;
    a.unit = first.units.size() == first.width() ? first.units[columns.front()] : "";
    for (std::size_t c : columns)
        if (first.units.size() != first.width() || first.units[c] != a.unit) a.unit.clear();
    a.values.assign(a.trials * a.steps * a.units, 0.0);
    const double slack = grid_tolerance * grid.dt;
    for (std::size_t trial = 0; trial < recordings.size(); ++trial) {
        const sim::Recording& r = recordings[trial];
        const double last = grid.time(a.steps - 1);
        if (grid.t0 < r.times.front() - slack || last > r.times.back() + slack)
            throw invalid_parameter("recordings", "trial " + std::to_string(trial) + " covers [" + num(r.times.front()) + ", " +
                                                      num(r.times.back()) + "] ms, the grid needs [" + num(grid.t0) + ", " +
                                                      num(last) + "] ms");
        for (std::size_t k = 0; k < a.steps; ++k)
            for (std::size_t u = 0; u < columns.size(); ++u) a.at(trial, k, u) = interpolate(r, columns[u], grid.time(k));
    }
    a.validate("recordings");
    return a;
}

Activity activity_from_recordings(const std::vector<neurons::TrialResult>& results, std::string_view probe,
                                  const RecordingActivityOptions& options)
{
    std::vector<sim::Recording> recordings;
    recordings.reserve(results.size());
    for (std::size_t trial = 0; trial < results.size(); ++trial) {
        const auto& rs = results[trial].recordings;
        const auto it = std::find_if(rs.begin(), rs.end(), [&](const sim::Recording& r) { return r.name == probe; });
        if (it == rs.end())
            throw invalid_parameter("probe", "trial " + std::to_string(trial) + " has no recording named '" + std::string(probe) + "'");
        recordings.push_back(*it);
    }
    return activity_from_recordings(recordings, options);
}

// ---- Epochs and conditions of a task batch ----------------------------------------------------------

void attach_trials(Activity& activity, const rnn::TrialBatch& batch, double t0)
{
    if (batch.trials != activity.trials)
        throw invalid_parameter("batch", "has " + std::to_string(batch.trials) + " trials, the activity " +
                                             std::to_string(activity.trials));
    if (!std::isfinite(t0)) throw invalid_parameter("t0", "must be finite");
    if (!(std::isfinite(batch.dt) && batch.dt > 0)) throw invalid_parameter("batch.dt", "must be finite and > 0 ms");
    // First time point at or after time t [ms] from the trial's start, clipped to [0, steps].
    auto point_at = [&](double t) {
        const double i = std::ceil((t - t0) / activity.dt - grid_tolerance);
        return i <= 0 ? std::size_t{0} : std::min(activity.steps, static_cast<std::size_t>(i));
    };
    activity.epochs.assign(activity.trials, {});
    for (std::size_t trial = 0; trial < batch.trials && trial < batch.epochs.size(); ++trial)
        for (const rnn::Epoch& e : batch.epochs[trial]) {
            const std::size_t start = point_at(static_cast<double>(e.start) * batch.dt);
            const std::size_t stop = point_at(static_cast<double>(e.stop) * batch.dt);
            activity.epochs[trial].push_back({e.name, start, std::max(start, stop)});
        }
    activity.condition_names = batch.condition_names;
    activity.conditions = batch.conditions;
}

// ---- HDF5 --------------------------------------------------------------------------------------

void write_activity(sim::h5::Writer& out, const std::string& group, const Activity& activity)
{
    activity.validate("activity");
    out.create_group(group);
    out.set_attribute(group, "dt", activity.dt);
    out.set_attribute(group, "dt_unit", "ms");
    out.set_attribute(group, "unit", activity.unit);
    out.write(group + "/values", activity.values, {activity.trials, activity.steps, activity.units});
    out.set_attribute(group + "/values", "unit", activity.unit);
    out.write(group + "/condition_names", activity.condition_names);
    out.write(group + "/conditions", activity.conditions, {activity.trials, activity.condition_names.size()});
    if (!activity.epochs.empty()) rnn::write_epochs(out, group, activity.epochs);
}

Activity read_activity(const sim::h5::Reader& in, const std::string& group)
{
    const auto shape = in.shape(group + "/values");
    if (shape.size() != 3) throw io_error(group + "/values", "must be a [trials, steps, units] dataset");
    Activity a;
    a.trials = shape[0];
    a.steps = shape[1];
    a.units = shape[2];
    a.dt = in.double_attribute(group, "dt");
    a.unit = in.string_attribute(group, "unit");
    a.values = in.read_doubles(group + "/values");
    a.condition_names = in.read_strings(group + "/condition_names");
    a.conditions = in.read_doubles(group + "/conditions");
    if (in.exists(group + "/epochs")) a.epochs = rnn::read_epochs(in, group, a.trials, a.steps);
    try {
        a.validate(group);
    } catch (const invalid_parameter& e) {
        throw io_error(group, std::string("inconsistent activity in the file: ") + e.what());
    }
    return a;
}

void save_activity(const std::filesystem::path& path, const Activity& activity)
{
    sim::h5::Writer out(path);
    out.set_attribute("/", "format", "neurode-activity");
    out.set_attribute("/", "format_version", std::int64_t{1});
    out.set_attribute("/", "neurode_version", neurode::version());
    write_activity(out, "/activity", activity);
    out.commit();
}

Activity load_activity(const std::filesystem::path& path)
{
    const sim::h5::Reader in(path);
    std::string format;
    try {
        format = in.string_attribute("/", "format");
    } catch (const io_error&) {
    }
    if (format != "neurode-activity")
        throw io_error(path.string(), "is not a neurode activity file (format '" + format + "', expected 'neurode-activity')");
    if (const auto version = in.int_attribute("/", "format_version"); version != 1)
        throw io_error(path.string(), "has activity format version " + std::to_string(version) + ", this neurode reads 1");
    return read_activity(in, "/activity");
}

}  // namespace neurode::analysis
