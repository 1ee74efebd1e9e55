#include <neurode/rnn/force.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

namespace {
void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

Eigen::MatrixXd apply(Activation f, const Eigen::MatrixXd& x)
{
    return x.unaryExpr([f](double v) { return activate(f, v); });
}

Eigen::MatrixXd uniform_matrix(Eigen::Index rows, Eigen::Index cols, double scale, sim::Rng& rng)
{
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index c = 0; c < cols; ++c)
        for (Eigen::Index r = 0; r < rows; ++r) m(r, c) = rng.uniform(-1.0, 1.0) * scale;
    return m;
}

void check_batch(const TrialBatch& batch, const RateNetwork& net)
{
    require(batch.input_size() == net.options().inputs, "inputs",
            "the batch has " + std::to_string(batch.input_size()) + " input channels, the network " +
                std::to_string(net.options().inputs));
    require(batch.output_size() == net.options().outputs, "outputs",
            "the batch has " + std::to_string(batch.output_size()) + " output channels, the network " +
                std::to_string(net.options().outputs));
}

// The Euler discretisation of one task step: how many steps of dt_ms, a = dt / tau per unit and
// the private-noise scale sqrt(2 a) sigma.
struct EulerPlan {
    std::size_t substeps;
    Eigen::VectorXd a, noise_scale;
    Eigen::Index free;  // units that are not clamped

    EulerPlan(const RateNetwork& net, double task_dt, double dt_ms)
    {
        const double ratio = task_dt / dt_ms;
        const double whole = std::round(ratio);
        require(whole >= 1 && std::abs(ratio - whole) <= 1e-9 * ratio, "dt_ms",
                "the task's dt (" + std::to_string(task_dt) + " ms) must be a whole multiple of dt_ms (" +
                    std::to_string(dt_ms) + " ms)");
        substeps = static_cast<std::size_t>(whole);
        a = (dt_ms / net.tau.array()).matrix();
        noise_scale = ((2.0 * a.array()).sqrt() * net.options().noise_sd).matrix();
        free = static_cast<Eigen::Index>(net.units() - net.options().clamped_units);
    }

    // x <- x + a (drive - x) (+ noise), clamped units held.
    void step(Eigen::MatrixXd& X, const Eigen::MatrixXd& drive, sim::Rng* noise) const
    {
        Eigen::MatrixXd dx = a.asDiagonal() * (drive - X);
        if (noise != nullptr && noise_scale.size() > 0 && noise_scale.maxCoeff() > 0)
            for (Eigen::Index c = 0; c < dx.cols(); ++c)
                for (Eigen::Index i = 0; i < dx.rows(); ++i) dx(i, c) += noise_scale(i) * noise->normal();
        X.topRows(free) += dx.topRows(free);
    }
};

// Inputs of trials [first, first + count) at step t, one column per trial.
Eigen::MatrixXd inputs_at(const TrialBatch& batch, std::size_t first, std::size_t count, std::size_t t)
{
    Eigen::MatrixXd U(static_cast<Eigen::Index>(batch.input_size()), static_cast<Eigen::Index>(count));
    for (std::size_t c = 0; c < count; ++c)
        for (std::size_t k = 0; k < batch.input_size(); ++k)
            U(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(c)) = batch.input(first + c, t, k);
    return U;
}

Eigen::VectorXd targets_at(const TrialBatch& batch, std::size_t trial, std::size_t t)
{
    Eigen::VectorXd y(static_cast<Eigen::Index>(batch.output_size()));
    for (std::size_t k = 0; k < batch.output_size(); ++k) y(static_cast<Eigen::Index>(k)) = batch.target(trial, t, k);
    return y;
}

// z - f on the outputs the mask covers at (trial, t), 0 elsewhere; false when it covers none.
bool masked_error(const TrialBatch& batch, std::size_t trial, std::size_t t, const Eigen::VectorXd& z,
                  Eigen::Ref<Eigen::VectorXd> e)
{
    bool any = false;
    for (std::size_t k = 0; k < batch.output_size(); ++k) {
        const auto i = static_cast<Eigen::Index>(k);
        const bool on = batch.weight(trial, t, k) > 0;
        e(i) = on ? z(i) - batch.target(trial, t, k) : 0.0;
        any = any || on;
    }
    return any;
}

void store(std::vector<double>& out, const TrialBatch& batch, std::size_t t, const Eigen::MatrixXd& Z)
{
    const std::size_t o = batch.output_size();
    for (Eigen::Index c = 0; c < Z.cols(); ++c)
        for (std::size_t k = 0; k < o; ++k)
            out[(static_cast<std::size_t>(c) * batch.steps + t) * o + k] = Z(static_cast<Eigen::Index>(k), c);
}

// Runs every trial of the batch through `run` (learning, one after another) and returns the
// outputs in the batch's layout.
template <class Run>
std::vector<double> learn_trials(const TrialBatch& batch, Run&& run)
{
    std::vector<double> out(batch.targets.size());
    const std::size_t per_trial = batch.steps * batch.output_size();
    for (std::size_t trial = 0; trial < batch.trials; ++trial) {
        const std::vector<double> y = run(trial);
        std::copy(y.begin(), y.end(), out.begin() + static_cast<std::ptrdiff_t>(trial * per_trial));
    }
    return out;
}
}  // namespace

RateNetworkOptions force_network(std::size_t inputs, std::size_t outputs, std::size_t units)
{
    RateNetworkOptions o;
    o.units = units;
    o.inputs = inputs;
    o.outputs = outputs;
    o.activation = Activation::tanh;
    o.readout = Readout::rates;
    o.tau_ms = 10.0;
    o.gain = 1.5;
    o.connection_probability = 0.1;
    o.input_scale = 1.0;
    o.output_scale = 0.0;
    o.bias = false;
    o.initial_state = InitialState::gaussian;
    o.initial_sd = 0.5;
    return o;
}

RateNetworkOptions full_force_network(std::size_t inputs, std::size_t outputs, std::size_t units)
{
    RateNetworkOptions o = force_network(inputs, outputs, units);
    o.connection_probability = 1.0;
    return o;
}

void ForceOptions::validate() const
{
    require(std::isfinite(dt_ms) && dt_ms > 0, "dt_ms", "must be finite and > 0");
    require(update_every > 0, "update_every", "must be > 0");
    require(std::isfinite(alpha) && alpha > 0, "alpha", "must be finite and > 0");
    require(std::isfinite(feedback_scale) && feedback_scale >= 0, "feedback_scale", "must be finite and >= 0");
    require(trials_per_iteration > 0, "trials_per_iteration", "must be > 0");
}

// --- FORCE ---------------------------------------------------------------------------------------

ForceLearner::ForceLearner(RateNetwork network, ForceOptions options)
    : options_((options.validate(), options)), network_(std::move(network)),
      rls_(network_.units(), network_.options().outputs, sim::RlsOptions{options_.alpha})
{
    network_.validate();
    require(network_.options().readout == Readout::rates, "readout", "FORCE reads out rates (Readout::rates)");
    network_.Wout.setZero();
    j_ = network_.effective_recurrent_weights();
    sim::Rng rng(options_.seed);
    feedback_ = uniform_matrix(static_cast<Eigen::Index>(network_.units()),
                               static_cast<Eigen::Index>(network_.options().outputs), options_.feedback_scale, rng);
    x0_ = network_.initial_states(1, rng.next_u64()).col(0);
}

std::vector<double> ForceLearner::run(const TrialBatch& batch, std::size_t first, std::size_t count,
                                      sim::RlsReadout* learn, sim::Rng* noise) const
{
    const EulerPlan plan(network_, batch.dt, options_.dt_ms);
    const Activation f = network_.options().activation;
    // While learning, w is the RLS weights, changed in place by every update.
    const Eigen::MatrixXd& w = learn != nullptr ? learn->weights() : network_.Wout;
    Eigen::MatrixXd X = x0_.replicate(1, static_cast<Eigen::Index>(count));
    Eigen::MatrixXd R = apply(f, X);
    Eigen::MatrixXd Z = (w * R).colwise() + network_.bout;
    Eigen::VectorXd e(Z.rows());
    std::vector<double> out(count * batch.steps * batch.output_size());
    std::size_t euler = 0;
    for (std::size_t t = 0; t < batch.steps; ++t) {
        const Eigen::MatrixXd drive = (network_.Win * inputs_at(batch, first, count, t)).colwise() + network_.b;
        for (std::size_t s = 0; s < plan.substeps; ++s) {
            plan.step(X, j_ * R + drive + feedback_ * Z, noise);
            R = apply(f, X);
            Z = (w * R).colwise() + network_.bout;
            if (learn != nullptr && ++euler % options_.update_every == 0 && masked_error(batch, first, t, Z.col(0), e))
                learn->update_with_error(R.col(0), e);
        }
        store(out, batch, t, Z);
    }
    return out;
}

IterationResult ForceLearner::iterate(const Task& task, std::uint64_t seed)
{
    sim::Rng root(seed);
    const TrialBatch batch = task.generate(options_.trials_per_iteration, root.next_u64());
    check_batch(batch, network_);
    sim::Rng noise = root.split();
    const auto out = learn_trials(batch, [&](std::size_t trial) { return run(batch, trial, 1, &rls_, &noise); });
    network_.Wout = rls_.weights();
    return {masked_mse(batch, out), batch.trials};
}

std::vector<double> ForceLearner::outputs(const TrialBatch& batch) const
{
    check_batch(batch, network_);
    return run(batch, 0, batch.trials, nullptr, nullptr);
}

void ForceLearner::save_state(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    rls_.save(out, group + "/rls");
}

void ForceLearner::load_state(const sim::h5::Reader& in, const std::string& group)
{
    rls_.load(in, group + "/rls");
    network_.Wout = rls_.weights();
}

// --- full-FORCE ----------------------------------------------------------------------------------

FullForceLearner::FullForceLearner(RateNetwork teacher, ForceOptions options)
    : options_((options.validate(), options)), teacher_(std::move(teacher)), network_(teacher_),
      rls_(teacher_.units(), teacher_.units() + teacher_.options().outputs, sim::RlsOptions{options_.alpha})
{
    teacher_.validate();
    require(!teacher_.options().dale, "dale", "full-FORCE trains the learner's W freely: Dale's law is not supported");
    require(teacher_.options().readout == Readout::rates, "readout", "full-FORCE reads out rates (Readout::rates)");
    j_teacher_ = teacher_.effective_recurrent_weights();
    network_.mask.setOnes();
    sim::Rng rng(options_.seed);
    feedback_ = uniform_matrix(static_cast<Eigen::Index>(teacher_.units()),
                               static_cast<Eigen::Index>(teacher_.options().outputs), options_.feedback_scale, rng);
    x0_ = teacher_.initial_states(1, rng.next_u64()).col(0);
    sync_network();
}

void FullForceLearner::sync_network()
{
    const auto n = static_cast<Eigen::Index>(network_.units());
    network_.W = rls_.weights().topRows(n);
    network_.Wout = rls_.weights().bottomRows(rls_.weights().rows() - n);
}

std::vector<double> FullForceLearner::run(const TrialBatch& batch, std::size_t first, std::size_t count,
                                          sim::RlsReadout* learn, sim::Rng* noise) const
{
    const EulerPlan plan(network_, batch.dt, options_.dt_ms);
    const Activation f = network_.options().activation;
    const auto n = static_cast<Eigen::Index>(network_.units());
    const auto o = static_cast<Eigen::Index>(batch.output_size());
    // [W; Wout], changed in place by every update while learning.
    const Eigen::MatrixXd& S = learn != nullptr ? learn->weights() : rls_.weights();
    Eigen::MatrixXd X = x0_.replicate(1, static_cast<Eigen::Index>(count));
    Eigen::MatrixXd R = apply(f, X);
    Eigen::MatrixXd XD = x0_, RD = apply(f, XD);  // the teacher, run only while learning
    Eigen::MatrixXd Z = (S.bottomRows(o) * R).colwise() + network_.bout;
    Eigen::VectorXd e(n + o);
    std::vector<double> out(count * batch.steps * batch.output_size());
    std::size_t euler = 0;
    for (std::size_t t = 0; t < batch.steps; ++t) {
        const Eigen::MatrixXd drive = (network_.Win * inputs_at(batch, first, count, t)).colwise() + network_.b;
        const Eigen::VectorXd target = learn != nullptr ? targets_at(batch, first, t) : Eigen::VectorXd();
        for (std::size_t s = 0; s < plan.substeps; ++s) {
            if (learn != nullptr) {
                plan.step(XD, j_teacher_ * RD + drive + feedback_ * target, noise);
                RD = apply(f, XD);
            }
            plan.step(X, S.topRows(n) * R + drive, noise);
            R = apply(f, X);
            Z = (S.bottomRows(o) * R).colwise() + network_.bout;
            if (learn != nullptr && ++euler % options_.update_every == 0) {
                e.head(n) = S.topRows(n) * R.col(0) - (j_teacher_ * RD + feedback_ * target);
                masked_error(batch, first, t, Z.col(0), e.tail(o));
                learn->update_with_error(R.col(0), e);
            }
        }
        store(out, batch, t, Z);
    }
    return out;
}

IterationResult FullForceLearner::iterate(const Task& task, std::uint64_t seed)
{
    sim::Rng root(seed);
    const TrialBatch batch = task.generate(options_.trials_per_iteration, root.next_u64());
    check_batch(batch, network_);
    sim::Rng noise = root.split();
    const auto out = learn_trials(batch, [&](std::size_t trial) { return run(batch, trial, 1, &rls_, &noise); });
    sync_network();
    return {masked_mse(batch, out), batch.trials};
}

std::vector<double> FullForceLearner::outputs(const TrialBatch& batch) const
{
    check_batch(batch, network_);
    return run(batch, 0, batch.trials, nullptr, nullptr);
}

void FullForceLearner::save_state(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    rls_.save(out, group + "/rls");
}

void FullForceLearner::load_state(const sim::h5::Reader& in, const std::string& group)
{
    rls_.load(in, group + "/rls");
    sync_network();
}

// --- reservoir readout ---------------------------------------------------------------------------

void ReservoirReadoutOptions::validate() const
{
    ridge.validate();
    require(trials_per_iteration > 0, "trials_per_iteration", "must be > 0");
}

ReservoirReadoutLearner::ReservoirReadoutLearner(RateNetwork network, ReservoirReadoutOptions options)
    : options_((options.validate(), options)), network_(std::move(network)),
      ridge_(network_.units(), network_.options().outputs, options_.ridge)
{
    network_.validate();
}

IterationResult ReservoirReadoutLearner::iterate(const Task& task, std::uint64_t seed)
{
    sim::Rng root(seed);
    const TrialBatch batch = task.generate(options_.trials_per_iteration, root.next_u64());
    check_batch(batch, network_);
    NetworkRun run = network_.run_euler(batch, root.next_u64());
    if (network_.options().readout == Readout::rates)
        for (double& v : run.states) v = activate(network_.options().activation, v);
    const sim::Sequences features{run.states, run.trials, run.steps, run.units};
    ridge_.add(features, {batch.targets, batch.trials, batch.steps, batch.output_size()}, batch.mask);
    const sim::LinearReadout readout = ridge_.solve();
    network_.Wout = readout.weights;
    network_.bout = readout.bias;
    return {masked_mse(batch, readout.predict(features)), batch.trials};
}

std::vector<double> ReservoirReadoutLearner::outputs(const TrialBatch& batch) const
{
    check_batch(batch, network_);
    return network_.run_euler(batch).outputs;
}

void ReservoirReadoutLearner::save_state(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    sim::LinearReadout{network_.Wout, network_.bout}.save(out, group + "/readout");
    ridge_.save(out, group + "/ridge");
}

void ReservoirReadoutLearner::load_state(const sim::h5::Reader& in, const std::string& group)
{
    const sim::LinearReadout readout = sim::LinearReadout::load(in, group + "/readout");
    require(readout.weights.rows() == network_.Wout.rows() && readout.weights.cols() == network_.Wout.cols(),
            "readout", "the checkpoint's readout does not fit the network");
    ridge_.load(in, group + "/ridge");
    network_.Wout = readout.weights;
    network_.bout = readout.bias;
}

}  // namespace neurode::rnn
