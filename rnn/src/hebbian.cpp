#include <neurode/rnn/hebbian.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <neurode/rnn/task.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {
void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}
bool finite(double v) { return std::isfinite(v); }

std::vector<double> trial_type(const NodePerturbationOptions& o, const TrialBatch& batch, std::size_t trial)
{
    if (o.trial_type == "none") return {};
    const std::size_t outs = batch.output_size();
    if (o.trial_type == "target") {
        for (std::size_t t = batch.steps; t-- > 0;)
            for (std::size_t k = 0; k < outs; ++k)
                if (batch.weight(trial, t, k) != 0) {
                    std::vector<double> key(outs);
                    for (std::size_t c = 0; c < outs; ++c) key[c] = batch.target(trial, t, c);
                    return key;
                }
        return {};
    }
    const double v = batch.condition(trial, batch.condition_index(o.trial_type));
    return {o.trial_type_resolution > 0 ? std::floor(v / o.trial_type_resolution) : v};
}
}  // namespace

void NodePerturbationOptions::validate() const
{
    require(finite(learning_rate) && learning_rate >= 0, "learning_rate", "must be finite and >= 0");
    require(perturbation_probability >= 0 && perturbation_probability <= 1, "perturbation_probability",
            "must be in [0, 1]");
    require(finite(perturbation_amplitude) && perturbation_amplitude >= 0, "perturbation_amplitude",
            "must be finite and >= 0");
    require(trace_factor >= 0 && trace_factor < 1, "trace_factor", "must be in [0, 1)");
    require(baseline_factor >= 0 && baseline_factor < 1, "baseline_factor", "must be in [0, 1)");
    require(finite(max_dw) && max_dw > 0, "max_dw", "must be finite and > 0");
    require(trials_per_iteration > 0, "trials_per_iteration", "must be > 0");
    require(!trial_type.empty(), "trial_type", "must be \"target\", \"none\" or a condition name");
    require(finite(trial_type_resolution) && trial_type_resolution >= 0, "trial_type_resolution",
            "must be finite and >= 0");
}

NodePerturbationLearner::NodePerturbationLearner(RateNetwork network, NodePerturbationOptions options)
    : options_(std::move(options)), network_(std::move(network))
{
    options_.validate();
    network_.validate();
    const RateNetworkOptions& o = network_.options();
    if (options_.readout == NodePerturbationReadout::units) {
        require(o.readout == Readout::rates, "readout", "a units readout reads rates: the network must use Readout::rates");
        require(o.outputs <= o.units - o.clamped_units, "readout",
                "a units readout needs outputs (" + std::to_string(o.outputs) + ") <= free units (" +
                    std::to_string(o.units - o.clamped_units) + ")");
        network_.Wout.setZero();
        network_.Wout.leftCols(static_cast<Eigen::Index>(o.outputs)).setIdentity();
        network_.bout.setZero();
    }
    trace_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(o.units));
}

PerturbedTrial NodePerturbationLearner::run_trial(const TrialBatch& batch, std::size_t trial, std::uint64_t seed) const
{
    const RateNetworkOptions& o = network_.options();
    require(batch.input_size() == o.inputs, "inputs",
            "the batch has " + std::to_string(batch.input_size()) + " input channels, the network " + std::to_string(o.inputs));
    require(batch.output_size() == o.outputs, "outputs",
            "the batch has " + std::to_string(batch.output_size()) + " outputs, the network " + std::to_string(o.outputs));
    require(trial < batch.trials, "trial", "must be < the batch's trials");
    const auto n = static_cast<Eigen::Index>(o.units);
    const auto free = n - static_cast<Eigen::Index>(o.clamped_units);
    const auto m = static_cast<Eigen::Index>(o.inputs);
    const Eigen::MatrixXd w_eff = network_.effective_recurrent_weights();
    const Eigen::ArrayXd alpha = batch.dt / network_.tau.array();
    const Eigen::ArrayXd noise_scale = (2.0 * alpha).sqrt() * o.noise_sd;
    auto f = [&](const Eigen::VectorXd& x) { return x.unaryExpr([&](double v) { return activate(o.activation, v); }).eval(); };

    sim::Rng rng(seed);
    PerturbedTrial out;
    out.states.resize(n, static_cast<Eigen::Index>(batch.steps));
    out.outputs.resize(static_cast<Eigen::Index>(o.outputs), static_cast<Eigen::Index>(batch.steps));
    out.eligibility = Eigen::MatrixXd::Zero(n, n);
    out.trace = trace_;
    out.type = trial_type(options_, batch, trial);

    Eigen::VectorXd x = network_.initial_states(1, rng.next_u64()).col(0);
    Eigen::VectorXd r = f(x), r_prev(n), u(m), drive(n), dx(n);
    Eigen::MatrixXd increment(n, n);
    for (std::size_t t = 0; t < batch.steps; ++t) {
        for (Eigen::Index k = 0; k < m; ++k) u(k) = batch.input(trial, t, static_cast<std::size_t>(k));
        r_prev = r;
        drive.noalias() = w_eff * r + network_.Win * u;
        drive += network_.b;
        const bool learning_step = t >= options_.settle_steps;
        if (learning_step)
            for (Eigen::Index i = 0; i < free; ++i)
                if (rng.bernoulli(options_.perturbation_probability)) {
                    drive(i) += options_.perturbation_amplitude * rng.uniform(-1.0, 1.0);
                    ++out.kicks;
                }
        Eigen::VectorXd step = (alpha * (drive - x).array()).matrix();
        if (o.noise_sd > 0)
            for (Eigen::Index i = 0; i < n; ++i) step(i) += noise_scale(i) * rng.normal();
        x.head(free) += step.head(free);
        r = f(x);
        if (learning_step) {
            dx = x - out.trace;
            increment.noalias() = dx * r_prev.transpose();
            out.eligibility.array() += increment.array().cube();
        }
        out.trace = options_.trace_factor * out.trace + (1.0 - options_.trace_factor) * x;
        out.states.col(static_cast<Eigen::Index>(t)) = x;
        out.outputs.col(static_cast<Eigen::Index>(t)) = network_.readout(x);
    }

    double sum = 0, weight = 0;
    for (std::size_t t = 0; t < batch.steps; ++t)
        for (std::size_t k = 0; k < o.outputs; ++k) {
            const double w = batch.weight(trial, t, k);
            sum += w * std::abs(out.outputs(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(t)) - batch.target(trial, t, k));
            weight += w;
        }
    out.error = weight > 0 ? sum / weight : 0.0;
    return out;
}

void NodePerturbationLearner::learn(const PerturbedTrial& trial)
{
    const auto n = static_cast<Eigen::Index>(network_.units());
    require(trial.eligibility.rows() == n && trial.eligibility.cols() == n && trial.trace.size() == n, "trial",
            "was not run on this learner's network");
    double& b = baselines_[trial.type];
    if (trials_seen_ >= options_.warmup_trials) {
        const double scale = options_.learning_rate * (options_.scale_by_baseline ? b : 1.0) * (trial.error - b);
        const Eigen::MatrixXd dW = (-scale * trial.eligibility).cwiseMax(-options_.max_dw).cwiseMin(options_.max_dw);
        if (network_.options().dale) {
            const Eigen::MatrixXd direction = network_.W.unaryExpr([](double w) { return w < 0 ? -1.0 : 1.0; });
            network_.W += dW.cwiseProduct(network_.mask).cwiseProduct(direction) * network_.sign.asDiagonal();
        } else {
            network_.W += dW.cwiseProduct(network_.mask);
        }
    }
    b = options_.baseline_factor * b + (1.0 - options_.baseline_factor) * trial.error;
    trace_ = trial.trace;
    ++trials_seen_;
}

double NodePerturbationLearner::baseline(const std::vector<double>& type) const
{
    const auto it = baselines_.find(type);
    return it == baselines_.end() ? 0.0 : it->second;
}

IterationResult NodePerturbationLearner::iterate(const Task& task, std::uint64_t seed)
{
    sim::Rng root(seed);
    const TrialBatch batch = task.generate(options_.trials_per_iteration, root.next_u64());
    double error = 0;
    for (std::size_t k = 0; k < batch.trials; ++k) {
        const PerturbedTrial trial = run_trial(batch, k, root.next_u64());
        learn(trial);
        error += trial.error;
    }
    return {error / static_cast<double>(batch.trials), batch.trials};
}

std::vector<double> NodePerturbationLearner::outputs(const TrialBatch& batch) const { return network_.run_euler(batch).outputs; }

void NodePerturbationLearner::save_state(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    out.set_attribute(group, "trials_seen", static_cast<std::int64_t>(trials_seen_));
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w = network_.W;
    out.write(group + "/W", std::span<const double>(w.data(), static_cast<std::size_t>(w.size())),
              {static_cast<std::size_t>(w.rows()), static_cast<std::size_t>(w.cols())});
    out.write(group + "/trace", std::span<const double>(trace_.data(), static_cast<std::size_t>(trace_.size())));
    // Baselines as (key length, key..., value) records: key lengths differ only between options.
    std::vector<double> records;
    for (const auto& [key, value] : baselines_) {
        records.push_back(static_cast<double>(key.size()));
        records.insert(records.end(), key.begin(), key.end());
        records.push_back(value);
    }
    out.set_attribute(group, "baseline_count", static_cast<std::int64_t>(baselines_.size()));
    if (!records.empty()) out.write(group + "/baselines", std::span<const double>(records));
}

void NodePerturbationLearner::load_state(const sim::h5::Reader& in, const std::string& group)
{
    const auto w = in.read_doubles(group + "/W");
    const auto trace = in.read_doubles(group + "/trace");
    const auto n = static_cast<std::size_t>(network_.units());
    if (w.size() != n * n || trace.size() != n)
        throw io_error(group, "holds a state for another network size than this learner's " + std::to_string(n) + " units");
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) network_.W(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = w[i * n + j];
    trace_ = Eigen::Map<const Eigen::VectorXd>(trace.data(), static_cast<Eigen::Index>(n));
    trials_seen_ = static_cast<std::size_t>(in.int_attribute(group, "trials_seen"));
    baselines_.clear();
    const auto count = static_cast<std::size_t>(in.int_attribute(group, "baseline_count"));
    const auto records = count > 0 ? in.read_doubles(group + "/baselines") : std::vector<double>{};
    std::size_t pos = 0;
    for (std::size_t c = 0; c < count; ++c) {
        if (pos >= records.size()) throw io_error(group + "/baselines", "is truncated");
        const auto len = static_cast<std::size_t>(records[pos++]);
        if (pos + len >= records.size()) throw io_error(group + "/baselines", "is truncated");
        std::vector<double> key(records.begin() + static_cast<std::ptrdiff_t>(pos),
                                records.begin() + static_cast<std::ptrdiff_t>(pos + len));
        baselines_[std::move(key)] = records[pos + len];
        pos += len + 1;
    }
}

HeterogeneityStudySetup heterogeneity_study(const Task& task, int level, std::uint64_t seed, double tau_ms)
{
    constexpr double reference_kick = 16.0 / 30.0;  // Miconi: amplitude 16 at dt / tau = 1 / 30
    HeterogeneityStudySetup s;
    RateNetworkOptions& n = s.network;
    n.units = 200;
    n.inputs = task.input_size();
    n.outputs = task.output_size();
    n.activation = Activation::tanh;
    n.readout = Readout::rates;
    n.tau_ms = tau_ms;
    n.heterogeneity = level;
    n.tau_max_ms = std::max(n.tau_max_ms, tau_ms);
    // The network runs as the Euler map at the task's step, which diverges for tau < dt / 2 and
    // rings for tau < dt: the widest levels' draws are clipped at dt.
    n.tau_min_ms = std::min(std::max(n.tau_min_ms, task.dt()), tau_ms);
    n.gain = 1.5;
    n.clamped_units = 3;
    n.clamp_value = 1.0;
    n.initial_state = InitialState::gaussian;
    n.initial_sd = 0.1;
    n.seed = seed;
    n.validate();

    NodePerturbationOptions& l = s.learning;
    l.perturbation_amplitude = reference_kick * tau_ms / task.dt();
    const TrialBatch probe = task.generate(1, seed);
    if (std::find(probe.condition_names.begin(), probe.condition_names.end(), "target_angle") != probe.condition_names.end()) {
        l.trial_type = "target_angle";
        l.trial_type_resolution = std::numbers::pi / 4;
    }
    return s;
}

}  // namespace neurode::rnn
