#include <neurode/sim/simulation.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/version.hpp>

#include "stepper.hpp"

namespace neurode::sim {

namespace {
struct ActiveProbe {
    Probe probe;
    double t_first = 0;       // time of sample 0
    long next_sample = 0;     // index of the next interval sample
    double next_time() const { return t_first + static_cast<double>(next_sample) * probe.interval; }
};

// Two times closer than this (relative to the step scale) are the same instant.
bool same_time(double a, double b, double scale)
{
    return std::abs(a - b) <= 1e-12 * std::max({1.0, std::abs(a), std::abs(scale)});
}
}  // namespace

struct Simulation::Impl {
    OdeSystem& system;
    SolverOptions options;
    detail::DrivenModel model;
    std::unique_ptr<detail::Stepper> stepper;
    std::vector<double> discontinuities;
    bool restart_pending = false;  // reached a discontinuity; restart before stepping on
    std::vector<ActiveProbe> probes;
    std::vector<Recording> recordings;
    std::vector<Event> events;
    RunSummary summary;
    RunSummary extra;               // events and restarts, which the stepper does not count
    std::vector<double> scratch;

    Impl(OdeSystem& s, SolverOptions o, double t0) : system(s), options(std::move(o)), model(s)
    {
        options.validate(system);
        if (!std::isfinite(t0)) throw invalid_parameter("t0", "must be finite");
        std::vector<double> y0(system.size());
        system.initial_state(y0);
        stepper = is_cvode(options.method) ? detail::make_cvode_stepper(model, options, t0, y0)
                                           : detail::make_fixed_stepper(model, options, t0, y0);
        discontinuities = model.discontinuities();
        scratch.resize(system.size());
    }

    void sample(ActiveProbe& active, Recording& rec, double t, std::span<const double> y)
    {
        rec.times.push_back(t);
        const Probe& p = active.probe;
        if (p.observable) {
            const std::size_t start = rec.values.size();
            rec.values.resize(start + p.observable_width);
            p.observable(t, y, std::span<double>(rec.values.data() + start, p.observable_width));
        } else {
            for (std::size_t i : p.variables) rec.values.push_back(y[i]);
        }
    }

    // Record every interval sample in (t_before, t_after], and every-step probes at t_after.
    void record_step(double t_before, double t_after)
    {
        const auto y_now = stepper->state();
        for (std::size_t k = 0; k < probes.size(); ++k) {
            ActiveProbe& active = probes[k];
            if (active.probe.interval == 0) {
                sample(active, recordings[k], t_after, y_now);
                continue;
            }
            for (double ts = active.next_time(); ts <= t_after || same_time(ts, t_after, active.probe.interval);
                 ts = active.next_time()) {
                if (ts > t_before || active.next_sample == 0) {
                    if (same_time(ts, t_after, active.probe.interval)) {
                        sample(active, recordings[k], ts, y_now);
                    } else {
                        stepper->interpolate(ts, scratch);
                        sample(active, recordings[k], ts, scratch);
                    }
                }
                ++active.next_sample;
            }
        }
    }

    double next_discontinuity(double t) const
    {
        const double guard = 1e-12 * std::max(1.0, std::abs(t));
        const auto it = std::upper_bound(discontinuities.begin(), discontinuities.end(), t + guard);
        return it == discontinuities.end() ? std::numeric_limits<double>::infinity() : *it;
    }

    void restart_here()
    {
        stepper->restart(stepper->time(), stepper->state());  // restarts take their own state
        ++extra.restarts;
    }
};

Simulation::Simulation(OdeSystem& system, SolverOptions options, double t0)
    : impl_(std::make_unique<Impl>(system, std::move(options), t0))
{}
Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

void Simulation::set_input(std::size_t index, InputSignal signal)
{
    const std::size_t count = impl_->system.input_count();
    if (index >= count)
        throw invalid_parameter("input", "index " + std::to_string(index) + " is out of range: the model has " +
                                             std::to_string(count) + " input(s)");
    impl_->model.bind(index, std::move(signal));
    impl_->discontinuities = impl_->model.discontinuities();
    // The integrator's history assumed the old input.
    impl_->restart_pending = true;
}

void Simulation::set_input(std::string_view name, InputSignal signal)
{
    std::string known;
    for (std::size_t k = 0; k < impl_->system.input_count(); ++k) {
        const std::string input = impl_->system.input_name(k);
        if (input == name) return set_input(k, std::move(signal));
        known += (known.empty() ? "" : ", ") + input;
    }
    throw invalid_parameter("input", "the model has no input named '" + std::string(name) + "' (its inputs: " +
                                         (known.empty() ? "none" : known) + ")");
}

std::size_t Simulation::add_probe(Probe probe)
{
    Impl& s = *impl_;
    const std::string field = "probe '" + probe.name + "'";
    if (probe.name.empty()) throw invalid_parameter("probe.name", "must not be empty");
    for (const auto& r : s.recordings)
        if (r.name == probe.name) throw invalid_parameter(field, "a probe with this name already exists");
    if (!(std::isfinite(probe.interval) && probe.interval >= 0))
        throw invalid_parameter(field + ".interval", "must be finite and >= 0 (0: every step)");
    Recording rec;
    rec.name = probe.name;
    rec.time_unit = s.system.time_unit();
    if (probe.observable) {
        if (probe.observable_width == 0) throw invalid_parameter(field + ".observable_width", "must be > 0");
        rec.columns = probe.column_names;
        if (rec.columns.empty())
            for (std::size_t c = 0; c < probe.observable_width; ++c) rec.columns.push_back(probe.name + "[" + std::to_string(c) + "]");
        if (rec.columns.size() != probe.observable_width)
            throw invalid_parameter(field + ".column_names", "must have observable_width entries");
        rec.units.assign(probe.observable_width, probe.unit);
    } else {
        if (probe.variables.empty()) throw invalid_parameter(field + ".variables", "must name at least one variable");
        for (std::size_t i : probe.variables) {
            if (i >= s.system.size())
                throw invalid_parameter(field + ".variables", "index " + std::to_string(i) + " is out of range: the model has " +
                                                                  std::to_string(s.system.size()) + " state variables");
            rec.columns.push_back(s.system.variable_name(i));
            rec.units.push_back(s.system.variable_unit(i));
        }
    }
    ActiveProbe active{std::move(probe), s.stepper->time(), 0};
    s.probes.push_back(std::move(active));
    s.recordings.push_back(std::move(rec));
    // The first sample is the current state.
    ActiveProbe& added = s.probes.back();
    s.sample(added, s.recordings.back(), s.stepper->time(), s.stepper->state());
    if (added.probe.interval > 0) added.next_sample = 1;
    return s.recordings.size() - 1;
}

RunSummary Simulation::advance(double t_stop) { return advance(t_stop, false); }

RunSummary Simulation::advance_to_event(double t_stop) { return advance(t_stop, true); }

RunSummary Simulation::advance(double t_stop, bool stop_at_event)
{
    Impl& s = *impl_;
    const double t_start = s.stepper->time();
    if (!std::isfinite(t_stop) || t_stop < t_start)
        throw invalid_parameter("t_stop", "must be finite and not before the current time " + std::to_string(t_start) +
                                              ", got " + std::to_string(t_stop));
    const auto wall_start = std::chrono::steady_clock::now();
    const RunSummary before = s.stepper->counters();
    const RunSummary extra_before = s.extra;
    s.stepper->begin_advance();

    while (s.stepper->time() < t_stop && !same_time(s.stepper->time(), t_stop, t_stop - t_start)) {
        if (s.restart_pending) {
            s.restart_here();
            s.restart_pending = false;
        }
        const double t_before = s.stepper->time();
        // Events the model scheduled itself (spikes arriving after a delay): CVODE stops exactly at
        // their time; the fixed-step methods keep their grid and, as NEURON's fixed step does,
        // deliver each event at the step boundary nearest to it (at most dt/2 early or late).
        // The integrator restarts from the changed state.
        const double due = s.system.next_scheduled_event(t_before);
        const double early = is_cvode(s.options.method) ? 0.0 : 0.5 * s.options.dt;
        if (std::isfinite(due) && (due < t_before + early || same_time(due, t_before, t_stop - t_start))) {
            if (s.system.on_scheduled_event(due, s.stepper->state())) s.restart_here();
            ++s.extra.scheduled_events;
            if (s.system.next_scheduled_event(t_before) == due)
                throw logic_error("the model's on_scheduled_event(" + std::to_string(due) +
                                  ") left that event pending; it must drop the events it delivers");
            continue;
        }
        const double discontinuity = s.options.stop_at_discontinuities ? s.next_discontinuity(t_before)
                                                                       : std::numeric_limits<double>::infinity();
        const double limit = std::min({discontinuity, is_cvode(s.options.method) ? due : t_stop, t_stop});
        s.model.set_segment_end(discontinuity);
        const detail::StepOutcome outcome = s.stepper->step(limit);
        s.record_step(t_before, outcome.t);
        if (!outcome.events.empty()) {
            s.events.insert(s.events.end(), outcome.events.begin(), outcome.events.end());
            s.extra.events += static_cast<long>(outcome.events.size());
            std::vector<int> directions(s.system.root_count(), 0);
            for (const Event& e : outcome.events) directions[e.root] = e.direction;
            if (s.system.on_roots(outcome.t, s.stepper->state(), directions)) s.restart_here();
        }
        if (outcome.t == discontinuity) s.restart_pending = true;
        if (stop_at_event && !outcome.events.empty()) break;
    }

    RunSummary delta = s.stepper->counters() - before;
    delta.events = s.extra.events - extra_before.events;
    delta.restarts = s.extra.restarts - extra_before.restarts;
    delta.scheduled_events = s.extra.scheduled_events - extra_before.scheduled_events;
    delta.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    s.summary += delta;
    return delta;
}

void Simulation::set_state(std::span<const double> y)
{
    Impl& s = *impl_;
    if (y.size() != s.system.size())
        throw invalid_parameter("state", "must have " + std::to_string(s.system.size()) + " values, has " +
                                             std::to_string(y.size()));
    for (std::size_t i = 0; i < y.size(); ++i)
        if (!std::isfinite(y[i])) throw invalid_parameter("state[" + std::to_string(i) + "]", "must be finite");
    s.stepper->restart(s.stepper->time(), y);
    ++s.extra.restarts;
    s.summary.restarts += 1;
    s.restart_pending = false;
}

double Simulation::time() const { return impl_->stepper->time(); }
std::span<const double> Simulation::state() const { return impl_->stepper->state(); }
const OdeSystem& Simulation::system() const { return impl_->system; }
const SolverOptions& Simulation::options() const { return impl_->options; }
const std::vector<Recording>& Simulation::recordings() const { return impl_->recordings; }
const std::vector<Event>& Simulation::events() const { return impl_->events; }
const RunSummary& Simulation::summary() const { return impl_->summary; }

const Recording& Simulation::recording(std::string_view name) const
{
    for (const auto& r : impl_->recordings)
        if (r.name == name) return r;
    throw invalid_parameter("probe", "no probe named '" + std::string(name) + "'");
}

void Simulation::write_hdf5(const std::filesystem::path& path) const
{
    const Impl& s = *impl_;
    h5::Writer out(path);
    out.set_attribute("/", "format", "neurode-simulation");
    out.set_attribute("/", "format_version", std::int64_t{1});
    out.set_attribute("/", "neurode_version", neurode::version());
    out.set_attribute("/", "time_unit", s.system.time_unit());
    out.create_group("/recordings");
    for (const Recording& r : s.recordings) {
        const std::string group = "/recordings/" + r.name;
        out.write(group + "/time", r.times);
        out.set_attribute(group + "/time", "unit", r.time_unit);
        out.write(group + "/values", r.values, {r.samples(), r.width()});
        if (std::all_of(r.units.begin(), r.units.end(), [&](const std::string& u) { return u == r.units.front(); }))
            out.set_attribute(group + "/values", "unit", r.units.front());
        out.write(group + "/columns", r.columns);
        out.write(group + "/units", r.units);
    }
    std::vector<double> event_times;
    std::vector<std::int64_t> event_roots, event_directions;
    for (const Event& e : s.events) {
        event_times.push_back(e.time);
        event_roots.push_back(static_cast<std::int64_t>(e.root));
        event_directions.push_back(e.direction);
    }
    out.write("/events/time", event_times);
    out.set_attribute("/events/time", "unit", s.system.time_unit());
    out.write("/events/root", event_roots);
    out.write("/events/direction", event_directions);
    out.create_group("/solver");
    out.set_attribute("/solver", "method", to_string(s.options.method));
    out.set_attribute("/solver", "linear_solver", to_string(s.options.linear_solver));
    out.set_attribute("/solver", "rtol", s.options.rtol);
    out.set_attribute("/solver", "atol", s.options.atol);
    out.set_attribute("/solver", "dt", s.options.dt);
    for (const auto& c : RunSummary::counters())
        out.set_attribute("/solver", c.name, std::int64_t{s.summary.*c.field});
    out.set_attribute("/solver", "wall_seconds", s.summary.wall_seconds);
    out.commit();
}

}  // namespace neurode::sim
