#include <neurode/rnn/rate_network.hpp>

#include <algorithm>
#include <bit>
#include <cmath>

#include <neurode/rnn/task.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/input.hpp>
#include <neurode/sim/random.hpp>
#include <neurode/sim/simulation.hpp>

namespace neurode::rnn {

namespace {
void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}
bool finite(double v) { return std::isfinite(v); }

Eigen::MatrixXd apply(Activation f, const Eigen::MatrixXd& x)
{
    return x.unaryExpr([f](double v) { return activate(f, v); });
}
}  // namespace

// --- heterogeneity ------------------------------------------------------------------------------

double heterogeneity_cv(int level)
{
    static constexpr double cv[] = {0.0, 0.1, 0.25, 0.5, 1.0, 2.0};
    if (level < 0 || level > max_heterogeneity_level)
        throw invalid_parameter("heterogeneity", "must be a level from 0 (H0) to 5 (H5), got " + std::to_string(level));
    return cv[level];
}

std::vector<double> draw_time_constants(std::size_t n, int level, double mean_ms, double min_ms, double max_ms,
                                        std::uint64_t seed)
{
    const double cv = heterogeneity_cv(level);
    require(finite(mean_ms) && mean_ms > 0, "tau_ms", "must be finite and > 0");
    require(finite(min_ms) && min_ms > 0 && min_ms <= mean_ms && max_ms >= mean_ms, "tau_min_ms",
            "the clip range [tau_min_ms, tau_max_ms] must be positive and contain tau_ms");
    std::vector<double> tau(n, mean_ms);
    if (cv == 0) return tau;
    const double s2 = std::log1p(cv * cv);
    const double mu = std::log(mean_ms) - 0.5 * s2;
    sim::Rng rng(seed);
    for (double& t : tau) t = std::clamp(rng.lognormal(mu, std::sqrt(s2)), min_ms, max_ms);
    return tau;
}

// --- options ------------------------------------------------------------------------------------

void RateNetworkOptions::validate() const
{
    require(units > 0, "units", "must be > 0");
    require(finite(tau_ms) && tau_ms > 0, "tau_ms", "must be finite and > 0, got " + std::to_string(tau_ms));
    heterogeneity_cv(heterogeneity);
    require(finite(tau_min_ms) && tau_min_ms > 0 && tau_min_ms <= tau_ms, "tau_min_ms", "must be in (0, tau_ms]");
    require(finite(tau_max_ms) && tau_max_ms >= tau_ms, "tau_max_ms", "must be finite and >= tau_ms");
    require(finite(gain) && gain >= 0, "gain", "must be finite and >= 0");
    require(connection_probability > 0 && connection_probability <= 1, "connection_probability", "must be in (0, 1]");
    require(finite(input_scale) && input_scale >= 0, "input_scale", "must be finite and >= 0");
    require(finite(output_scale) && output_scale >= 0, "output_scale", "must be finite and >= 0");
    require(!dale || (excitatory_fraction > 0 && excitatory_fraction < 1), "excitatory_fraction",
            "must be in (0, 1) under Dale's law");
    require(clamped_units < units, "clamped_units", "must be smaller than units");
    require(finite(clamp_value), "clamp_value", "must be finite");
    require(finite(noise_sd) && noise_sd >= 0, "noise_sd", "must be finite and >= 0");
    require(finite(initial_value), "initial_value", "must be finite");
    require(finite(initial_sd) && initial_sd >= 0, "initial_sd", "must be finite and >= 0");
}

// --- construction -------------------------------------------------------------------------------

RateNetwork::RateNetwork(const RateNetworkOptions& options) : options_(options)
{
    options_.validate();
    const auto n = static_cast<Eigen::Index>(options_.units);
    const auto m = static_cast<Eigen::Index>(options_.inputs);
    const auto o = static_cast<Eigen::Index>(options_.outputs);
    sim::Rng root(options_.seed);
    // One stream per parameter, so that changing e.g. the output count leaves W unchanged.
    sim::Rng tau_rng = root.split(), mask_rng = root.split(), w_rng = root.split(), in_rng = root.split(),
             out_rng = root.split();

    const auto taus = draw_time_constants(options_.units, options_.heterogeneity, options_.tau_ms, options_.tau_min_ms,
                                          options_.tau_max_ms, tau_rng.next_u64());
    tau = Eigen::Map<const Eigen::VectorXd>(taus.data(), n);

    mask.resize(n, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
            mask(i, j) = (i == j && !options_.self_connections) ? 0.0 : (mask_rng.bernoulli(options_.connection_probability) ? 1.0 : 0.0);

    sign = Eigen::VectorXd::Ones(n);
    const double sd = options_.gain / std::sqrt(options_.connection_probability * static_cast<double>(n));
    W.resize(n, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < n; ++i) W(i, j) = w_rng.normal(0.0, sd);
    if (options_.dale) {
        const auto excitatory = static_cast<Eigen::Index>(std::lround(options_.excitatory_fraction * static_cast<double>(n)));
        // Inhibitory weights are scaled by f_E / f_I so that each row's expected E and I drive cancel.
        const double balance = options_.excitatory_fraction / (1.0 - options_.excitatory_fraction);
        for (Eigen::Index j = excitatory; j < n; ++j) {
            sign(j) = -1.0;
            W.col(j) *= balance;
        }
        W = W.cwiseAbs();
    }

    Win.resize(n, m);
    const double in_sd = m > 0 ? options_.input_scale / std::sqrt(static_cast<double>(m)) : 0.0;
    for (Eigen::Index k = 0; k < m; ++k)
        for (Eigen::Index i = 0; i < n; ++i) Win(i, k) = in_rng.normal(0.0, in_sd);
    b = Eigen::VectorXd::Zero(n);
    Wout.resize(o, n);
    const double out_sd = options_.output_scale / std::sqrt(static_cast<double>(n));
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index k = 0; k < o; ++k) Wout(k, i) = out_rng.normal(0.0, out_sd);
    bout = Eigen::VectorXd::Zero(o);
}

Eigen::MatrixXd RateNetwork::effective_recurrent_weights() const
{
    if (!options_.dale) return W.cwiseProduct(mask);
    return W.cwiseAbs().cwiseProduct(mask) * sign.asDiagonal();
}

Eigen::MatrixXd RateNetwork::initial_states(std::size_t trials, std::uint64_t seed) const
{
    const auto n = static_cast<Eigen::Index>(units());
    Eigen::MatrixXd x(n, static_cast<Eigen::Index>(trials));
    switch (options_.initial_state) {
    case InitialState::zeros: x.setZero(); break;
    case InitialState::constant: x.setConstant(options_.initial_value); break;
    case InitialState::gaussian: {
        sim::Rng rng(seed);
        for (Eigen::Index c = 0; c < x.cols(); ++c)
            for (Eigen::Index i = 0; i < n; ++i) x(i, c) = rng.normal(options_.initial_value, options_.initial_sd);
        break;
    }
    }
    const auto k = static_cast<Eigen::Index>(options_.clamped_units);
    if (k > 0) x.bottomRows(k).setConstant(options_.clamp_value);
    return x;
}

Eigen::MatrixXd RateNetwork::readout(const Eigen::MatrixXd& X) const
{
    const Eigen::MatrixXd source = options_.readout == Readout::rates ? apply(options_.activation, X) : X;
    return (Wout * source).colwise() + bout;
}

void RateNetwork::validate() const
{
    const auto n = static_cast<Eigen::Index>(options_.units);
    const auto m = static_cast<Eigen::Index>(options_.inputs);
    const auto o = static_cast<Eigen::Index>(options_.outputs);
    options_.validate();
    auto shape = [](const Eigen::MatrixXd& a, Eigen::Index r, Eigen::Index c, const char* field) {
        require(a.rows() == r && a.cols() == c, field,
                "must be " + std::to_string(r) + " x " + std::to_string(c) + ", is " + std::to_string(a.rows()) +
                    " x " + std::to_string(a.cols()));
        require(a.allFinite(), field, "must be finite");
    };
    shape(W, n, n, "W");
    shape(Win, n, m, "Win");
    shape(b, n, 1, "b");
    shape(Wout, o, n, "Wout");
    shape(bout, o, 1, "bout");
    shape(tau, n, 1, "tau");
    shape(mask, n, n, "mask");
    shape(sign, n, 1, "sign");
    require(tau.minCoeff() > 0, "tau", "every time constant must be > 0 ms");
}

// --- the Euler map --------------------------------------------------------------------------------

namespace {
void check_inputs(std::span<const double> inputs, std::size_t trials, std::size_t steps, std::size_t width, double dt_ms)
{
    require(inputs.size() == trials * steps * width, "inputs",
            "must hold trials x steps x inputs = " + std::to_string(trials * steps * width) + " values, has " +
                std::to_string(inputs.size()));
    require(finite(dt_ms) && dt_ms > 0, "dt_ms", "must be finite and > 0");
}

void store(NetworkRun& run, std::size_t step, const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y)
{
    for (std::size_t trial = 0; trial < run.trials; ++trial) {
        const auto c = static_cast<Eigen::Index>(trial);
        std::copy(X.col(c).data(), X.col(c).data() + run.units, run.states.begin() + static_cast<std::ptrdiff_t>((trial * run.steps + step) * run.units));
        std::copy(Y.col(c).data(), Y.col(c).data() + run.output_count,
                  run.outputs.begin() + static_cast<std::ptrdiff_t>((trial * run.steps + step) * run.output_count));
    }
}

NetworkRun make_run(std::size_t trials, std::size_t steps, std::size_t units, std::size_t outputs)
{
    NetworkRun run;
    run.trials = trials;
    run.steps = steps;
    run.units = units;
    run.output_count = outputs;
    run.states.resize(trials * steps * units);
    run.outputs.resize(trials * steps * outputs);
    return run;
}
}  // namespace

NetworkRun RateNetwork::run_euler(std::span<const double> inputs, std::size_t trials, std::size_t steps, double dt_ms,
                                  std::uint64_t noise_seed, std::size_t substeps) const
{
    validate();
    const std::size_t m = options_.inputs;
    check_inputs(inputs, trials, steps, m, dt_ms);
    require(substeps > 0, "substeps", "must be > 0");
    const auto n = static_cast<Eigen::Index>(units());
    const auto free = n - static_cast<Eigen::Index>(options_.clamped_units);
    const Eigen::MatrixXd w_eff = effective_recurrent_weights();
    const double h = dt_ms / static_cast<double>(substeps);
    const Eigen::VectorXd alpha = (h / tau.array()).matrix();
    const Eigen::VectorXd noise_scale = ((2.0 * alpha.array()).sqrt() * options_.noise_sd).matrix();

    sim::Rng rng(noise_seed);
    Eigen::MatrixXd X = initial_states(trials, rng.next_u64());
    Eigen::MatrixXd U(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(trials));
    NetworkRun run = make_run(trials, steps, units(), options_.outputs);
    for (std::size_t t = 0; t < steps; ++t) {
        for (std::size_t trial = 0; trial < trials; ++trial)
            for (std::size_t k = 0; k < m; ++k)
                U(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(trial)) = inputs[(trial * steps + t) * m + k];
        const Eigen::MatrixXd drive = (Win * U).colwise() + b;
        for (std::size_t s = 0; s < substeps; ++s) {
            Eigen::MatrixXd dx = alpha.asDiagonal() * (w_eff * apply(options_.activation, X) + drive - X);
            if (options_.noise_sd > 0)
                for (Eigen::Index c = 0; c < dx.cols(); ++c)
                    for (Eigen::Index i = 0; i < n; ++i) dx(i, c) += noise_scale(i) * rng.normal();
            X.topRows(free) += dx.topRows(free);
        }
        store(run, t, X, readout(X));
    }
    return run;
}

NetworkRun RateNetwork::run_euler(const TrialBatch& batch, std::uint64_t noise_seed, std::size_t substeps) const
{
    require(batch.input_size() == options_.inputs, "inputs",
            "the batch has " + std::to_string(batch.input_size()) + " input channels, the network " +
                std::to_string(options_.inputs));
    return run_euler(batch.inputs, batch.trials, batch.steps, batch.dt, noise_seed, substeps);
}

// --- through the engine ---------------------------------------------------------------------------

sim::SolverOptions RateNetwork::default_solver()
{
    sim::SolverOptions s;
    s.method = sim::Method::cvode_bdf;
    s.linear_solver = sim::LinearSolver::gmres;
    return s;
}

NetworkRun RateNetwork::run_engine(std::span<const double> inputs, std::size_t trials, std::size_t steps,
                                   double dt_ms, const sim::SolverOptions& solver) const
{
    validate();
    require(options_.noise_sd == 0, "noise_sd", "must be 0 on the engine path (the ODE is deterministic); use run_euler");
    const std::size_t m = options_.inputs;
    check_inputs(inputs, trials, steps, m, dt_ms);
    const Eigen::MatrixXd x0 = initial_states(trials, 0);
    NetworkRun run = make_run(trials, steps, units(), options_.outputs);
    RateOdeSystem system(*this);
    Eigen::MatrixXd X(static_cast<Eigen::Index>(units()), 1);
    std::vector<double> channel(steps);
    for (std::size_t trial = 0; trial < trials; ++trial) {
        system.set_initial_state(std::span<const double>(x0.col(static_cast<Eigen::Index>(trial)).data(), units()));
        sim::Simulation simulation(system, solver);
        for (std::size_t k = 0; k < m; ++k) {
            for (std::size_t t = 0; t < steps; ++t) channel[t] = inputs[(trial * steps + t) * m + k];
            simulation.set_input(k, sim::InputSignal::sampled_uniform(0.0, dt_ms, channel, sim::Interpolation::hold));
        }
        for (std::size_t t = 0; t < steps; ++t) {
            simulation.advance(static_cast<double>(t + 1) * dt_ms);
            std::copy(simulation.state().begin(), simulation.state().end(), X.data());
            const Eigen::MatrixXd Y = readout(X);
            std::copy(X.data(), X.data() + units(), run.states.begin() + static_cast<std::ptrdiff_t>((trial * steps + t) * units()));
            std::copy(Y.data(), Y.data() + options_.outputs,
                      run.outputs.begin() + static_cast<std::ptrdiff_t>((trial * steps + t) * options_.outputs));
        }
    }
    return run;
}

NetworkRun RateNetwork::run_engine(const TrialBatch& batch, const sim::SolverOptions& solver) const
{
    require(batch.input_size() == options_.inputs, "inputs",
            "the batch has " + std::to_string(batch.input_size()) + " input channels, the network " +
                std::to_string(options_.inputs));
    return run_engine(batch.inputs, batch.trials, batch.steps, batch.dt, solver);
}

// --- the OdeSystem adapter -----------------------------------------------------------------------

RateOdeSystem::RateOdeSystem(const RateNetwork& network)
    : net_(network), n_(network.units()), m_(network.options().inputs),
      free_(network.units() - network.options().clamped_units), w_eff_(network.effective_recurrent_weights()),
      inv_tau_(network.tau.cwiseInverse()), x0_(network.initial_states(1, 0).col(0)),
      r_(static_cast<Eigen::Index>(network.units()))
{}

void RateOdeSystem::set_initial_state(std::span<const double> x0)
{
    require(x0.size() == n_, "x0", "must have one value per unit");
    x0_ = Eigen::Map<const Eigen::VectorXd>(x0.data(), static_cast<Eigen::Index>(n_));
}

void RateOdeSystem::initial_state(sim::Vector y0) const { std::copy(x0_.data(), x0_.data() + n_, y0.begin()); }

std::string RateOdeSystem::variable_name(std::size_t i) const
{
    std::string name = "x[";
    name += std::to_string(i);
    name += ']';
    return name;
}

std::string RateOdeSystem::input_name(std::size_t k) const
{
    std::string name = "u[";
    name += std::to_string(k);
    name += ']';
    return name;
}

void RateOdeSystem::rhs(double, sim::ConstVector y, sim::ConstVector u, sim::Vector ydot)
{
    const auto n = static_cast<Eigen::Index>(n_);
    const Eigen::Map<const Eigen::VectorXd> x(y.data(), n);
    const Eigen::Map<const Eigen::VectorXd> input(u.data(), static_cast<Eigen::Index>(m_));
    Eigen::Map<Eigen::VectorXd> dx(ydot.data(), n);
    const Activation f = net_.options().activation;
    for (Eigen::Index i = 0; i < n; ++i) r_(i) = activate(f, x(i));
    dx.noalias() = w_eff_ * r_;
    dx += net_.Win * input + net_.b - x;
    dx.array() *= inv_tau_.array();
    dx.tail(n - static_cast<Eigen::Index>(free_)).setZero();
}

void RateOdeSystem::dense_jacobian(double, sim::ConstVector y, sim::ConstVector, sim::DenseMatrixRef J)
{
    const auto n = static_cast<Eigen::Index>(n_);
    const Activation f = net_.options().activation;
    for (Eigen::Index j = 0; j < n; ++j) J.col(j) = w_eff_.col(j) * activation_derivative(f, y[static_cast<std::size_t>(j)]);
    J.diagonal().array() -= 1.0;
    J = inv_tau_.asDiagonal() * J;
    J.bottomRows(n - static_cast<Eigen::Index>(free_)).setZero();
}

// --- HDF5 -------------------------------------------------------------------------------------

namespace {
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void write_matrix(sim::h5::Writer& out, const std::string& name, const Eigen::MatrixXd& a)
{
    const RowMajor rows = a;
    out.write(name, std::span<const double>(rows.data(), static_cast<std::size_t>(rows.size())),
              {static_cast<std::size_t>(a.rows()), static_cast<std::size_t>(a.cols())});
}

Eigen::MatrixXd read_matrix(const sim::h5::Reader& in, const std::string& name, Eigen::Index rows, Eigen::Index cols)
{
    const auto values = in.read_doubles(name);
    require(values.size() == static_cast<std::size_t>(rows * cols), "network file",
            "dataset " + name + " has " + std::to_string(values.size()) + " values, expected " +
                std::to_string(rows * cols));
    return Eigen::Map<const RowMajor>(values.data(), rows, cols);
}
}  // namespace

void RateNetwork::save(const std::filesystem::path& path) const
{
    sim::h5::Writer out(path);
    out.set_attribute("/", "format", "neurode-rate-network");
    out.set_attribute("/", "format_version", std::int64_t{1});
    write(out, "/network");
    out.commit();
}

void RateNetwork::write(sim::h5::Writer& out, const std::string& g) const
{
    validate();
    out.create_group(g);
    const RateNetworkOptions& o = options_;
    out.set_attribute(g, "units", static_cast<std::int64_t>(o.units));
    out.set_attribute(g, "inputs", static_cast<std::int64_t>(o.inputs));
    out.set_attribute(g, "outputs", static_cast<std::int64_t>(o.outputs));
    out.set_attribute(g, "activation", to_string(o.activation));
    out.set_attribute(g, "readout", o.readout == Readout::rates ? "rates" : "state");
    out.set_attribute(g, "tau_ms", o.tau_ms);
    out.set_attribute(g, "heterogeneity", std::int64_t{o.heterogeneity});
    out.set_attribute(g, "tau_min_ms", o.tau_min_ms);
    out.set_attribute(g, "tau_max_ms", o.tau_max_ms);
    out.set_attribute(g, "gain", o.gain);
    out.set_attribute(g, "connection_probability", o.connection_probability);
    out.set_attribute(g, "self_connections", std::int64_t{o.self_connections});
    out.set_attribute(g, "input_scale", o.input_scale);
    out.set_attribute(g, "output_scale", o.output_scale);
    out.set_attribute(g, "bias", std::int64_t{o.bias});
    out.set_attribute(g, "dale", std::int64_t{o.dale});
    out.set_attribute(g, "excitatory_fraction", o.excitatory_fraction);
    out.set_attribute(g, "clamped_units", static_cast<std::int64_t>(o.clamped_units));
    out.set_attribute(g, "clamp_value", o.clamp_value);
    out.set_attribute(g, "noise_sd", o.noise_sd);
    out.set_attribute(g, "initial_state", std::int64_t{static_cast<int>(o.initial_state)});
    out.set_attribute(g, "initial_value", o.initial_value);
    out.set_attribute(g, "initial_sd", o.initial_sd);
    // The seed is a full 64-bit value; stored bit for bit.
    out.set_attribute(g, "seed", std::bit_cast<std::int64_t>(o.seed));
    write_matrix(out, g + "/W", W);
    write_matrix(out, g + "/Win", Win);
    write_matrix(out, g + "/b", b);
    write_matrix(out, g + "/Wout", Wout);
    write_matrix(out, g + "/bout", bout);
    write_matrix(out, g + "/tau", tau);
    write_matrix(out, g + "/mask", mask);
    write_matrix(out, g + "/sign", sign);
    out.set_attribute(g + "/tau", "unit", "ms");
}

RateNetwork RateNetwork::load(const std::filesystem::path& path)
{
    const sim::h5::Reader in(path);
    if (!in.exists("/network") || in.string_attribute("/", "format") != "neurode-rate-network")
        throw io_error(path.string(), "not a neurode rate-network file (format attribute 'neurode-rate-network')");
    return read(in, "/network");
}

RateNetwork RateNetwork::read(const sim::h5::Reader& in, const std::string& g)
{
    RateNetwork net;
    RateNetworkOptions& o = net.options_;
    o.units = static_cast<std::size_t>(in.int_attribute(g, "units"));
    o.inputs = static_cast<std::size_t>(in.int_attribute(g, "inputs"));
    o.outputs = static_cast<std::size_t>(in.int_attribute(g, "outputs"));
    o.activation = parse_activation(in.string_attribute(g, "activation"));
    o.readout = in.string_attribute(g, "readout") == "state" ? Readout::state : Readout::rates;
    o.tau_ms = in.double_attribute(g, "tau_ms");
    o.heterogeneity = static_cast<int>(in.int_attribute(g, "heterogeneity"));
    o.tau_min_ms = in.double_attribute(g, "tau_min_ms");
    o.tau_max_ms = in.double_attribute(g, "tau_max_ms");
    o.gain = in.double_attribute(g, "gain");
    o.connection_probability = in.double_attribute(g, "connection_probability");
    o.self_connections = in.int_attribute(g, "self_connections") != 0;
    o.input_scale = in.double_attribute(g, "input_scale");
    o.output_scale = in.double_attribute(g, "output_scale");
    o.bias = in.int_attribute(g, "bias") != 0;
    o.dale = in.int_attribute(g, "dale") != 0;
    o.excitatory_fraction = in.double_attribute(g, "excitatory_fraction");
    o.clamped_units = static_cast<std::size_t>(in.int_attribute(g, "clamped_units"));
    o.clamp_value = in.double_attribute(g, "clamp_value");
    o.noise_sd = in.double_attribute(g, "noise_sd");
    const auto initial = in.int_attribute(g, "initial_state");
    require(initial >= 0 && initial <= 2, "initial_state", "unknown initial-state kind in the file");
    o.initial_state = static_cast<InitialState>(initial);
    o.initial_value = in.double_attribute(g, "initial_value");
    o.initial_sd = in.double_attribute(g, "initial_sd");
    o.seed = std::bit_cast<std::uint64_t>(in.int_attribute(g, "seed"));
    o.validate();
    const auto n = static_cast<Eigen::Index>(o.units), m = static_cast<Eigen::Index>(o.inputs),
               k = static_cast<Eigen::Index>(o.outputs);
    net.W = read_matrix(in, g + "/W", n, n);
    net.Win = read_matrix(in, g + "/Win", n, m);
    net.b = read_matrix(in, g + "/b", n, 1);
    net.Wout = read_matrix(in, g + "/Wout", k, n);
    net.bout = read_matrix(in, g + "/bout", k, 1);
    net.tau = read_matrix(in, g + "/tau", n, 1);
    net.mask = read_matrix(in, g + "/mask", n, n);
    net.sign = read_matrix(in, g + "/sign", n, 1);
    net.validate();
    return net;
}

}  // namespace neurode::rnn
