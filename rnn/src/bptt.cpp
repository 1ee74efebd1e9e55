#include <neurode/rnn/bptt.hpp>

#include <cmath>
#include <span>
#include <thread>

#include <neurode/rnn/task.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {
using Eigen::Index;

void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

template <class S>
using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S>
using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;

// What every trial group shares: the parameters in the working precision and the batch.
template <class S>
struct Params {
    Mat<S> w_eff, win, wout;
    Vec<S> b, bout, alpha, decay, noise_scale;  // decay = 1 - alpha
};

struct Shared {
    const TrialBatch* batch = nullptr;
    Index units = 0, inputs = 0, outputs = 0, steps = 0, trials = 0, free = 0;
    Activation activation = Activation::tanh;
    bool rate_readout = true;
    double output_scale = 0;  // d(mse)/dy = output_scale * mask * (y - y*)
    double rate_scale = 0;    // d(rate term)/dr = rate_scale * r
    Eigen::MatrixXd x0;       // units x trials
    Eigen::MatrixXd noise;    // units x (steps * trials), column t * trials + trial; empty without noise
};

// One group of trials: every buffer is allocated once per shape and reused, so a training
// iteration allocates nothing per step. Columns are time-major: step t, trial j is t * B + j.
template <class S>
struct Group {
    Mat<S> X, R;       // units x (T + 1) B: x_t and f(x_t), t = 0..T
    Mat<S> U;          // inputs x T B
    Mat<S> G;          // units x T B: the drive Win u + b forward; a .* dL/dx_{t+1} backward
    Mat<S> Y;          // outputs x T B: y, then dL/dy
    Mat<S> D, F, tmp;  // units x B: dL/dx_t, f'(x_t), scratch
    Mat<S> gW, gWin, gWout;
    Vec<S> gb, gbout;
    double squared_error = 0, squared_rates = 0;
};

template <class S, class In, class Out>
void activate_block(Activation f, const In& x, Out&& r)
{
    switch (f) {
    case Activation::tanh: r = x.array().tanh().matrix(); break;
    case Activation::one_plus_tanh: r = (x.array().tanh() + S(1)).matrix(); break;
    case Activation::relu: r = x.cwiseMax(S(0)); break;
    case Activation::softplus:
        r = x.unaryExpr([](S v) { return v > S(37) ? v : std::log1p(std::exp(v)); });
        break;
    }
}

// f'(x), from r = f(x) where that is cheaper (the tanh family).
template <class S, class In, class Out>
void derivative_block(Activation f, const In& x, const In& r, Out&& d)
{
    switch (f) {
    case Activation::tanh: d = (S(1) - r.array().square()).matrix(); break;
    case Activation::one_plus_tanh: d = (S(1) - (r.array() - S(1)).square()).matrix(); break;
    case Activation::relu: d = (x.array() > S(0)).template cast<S>().matrix(); break;
    case Activation::softplus: d = x.unaryExpr([](S v) { return S(1) / (S(1) + std::exp(-v)); }); break;
    }
}

template <class S>
void run_group(const Params<S>& p, const Shared& s, Index first, Index B, Group<S>& g)
{
    const Index n = s.units, m = s.inputs, o = s.outputs, T = s.steps, TB = T * B, free = s.free, clamped = n - free;
    const TrialBatch& batch = *s.batch;
    g.X.resize(n, (T + 1) * B);
    g.R.resize(n, (T + 1) * B);
    g.U.resize(m, TB);
    g.G.resize(n, TB);
    g.Y.resize(o, TB);
    g.D.resize(n, B);
    g.F.resize(n, B);
    g.tmp.resize(n, B);

    for (Index j = 0; j < B; ++j)
        for (Index t = 0; t < T; ++t)
            for (Index k = 0; k < m; ++k)
                g.U(k, t * B + j) = static_cast<S>(batch.input(static_cast<std::size_t>(first + j), static_cast<std::size_t>(t),
                                                               static_cast<std::size_t>(k)));

    // Forward.
    g.X.leftCols(B) = s.x0.middleCols(first, B).cast<S>();
    g.G.noalias() = p.win * g.U;
    g.G.colwise() += p.b;
    activate_block<S>(s.activation, g.X.leftCols(B), g.R.leftCols(B));
    for (Index t = 0; t < T; ++t) {
        const auto x = g.X.middleCols(t * B, B);
        auto next = g.X.middleCols((t + 1) * B, B);
        g.tmp.noalias() = p.w_eff * g.R.middleCols(t * B, B);
        g.tmp += g.G.middleCols(t * B, B) - x;
        if (s.noise.size() > 0)
            next.topRows(free) = x.topRows(free) + (p.alpha.head(free).asDiagonal() * g.tmp.topRows(free) +
                                                    p.noise_scale.head(free).asDiagonal() *
                                                        s.noise.block(0, t * s.trials + first, free, B).cast<S>());
        else
            next.topRows(free) = x.topRows(free) + p.alpha.head(free).asDiagonal() * g.tmp.topRows(free);
        next.bottomRows(clamped) = x.bottomRows(clamped);
        activate_block<S>(s.activation, next, g.R.middleCols((t + 1) * B, B));
    }
    const auto source = s.rate_readout ? g.R.rightCols(TB) : g.X.rightCols(TB);  // f(x_{t+1}) or x_{t+1}
    g.Y.noalias() = p.wout * source;
    g.Y.colwise() += p.bout;

    // Loss, and dL/dy in place of y.
    g.squared_error = 0;
    for (Index j = 0; j < B; ++j)
        for (Index t = 0; t < T; ++t)
            for (Index k = 0; k < o; ++k) {
                const auto trial = static_cast<std::size_t>(first + j), step = static_cast<std::size_t>(t),
                           channel = static_cast<std::size_t>(k);
                const double w = batch.weight(trial, step, channel);
                const double e = static_cast<double>(g.Y(k, t * B + j)) - batch.target(trial, step, channel);
                g.squared_error += w * e * e;
                g.Y(k, t * B + j) = static_cast<S>(s.output_scale * w * e);
            }
    g.squared_rates = s.rate_scale != 0 ? static_cast<double>(g.R.rightCols(TB).squaredNorm()) : 0.0;

    // Backward: D carries dL/dx_{t+1} from the later steps; G_t becomes a .* dL/dx_{t+1}, the
    // gradient of the pre-activation drive of step t (zero on clamped units, which never move).
    g.G.noalias() = p.wout.transpose() * g.Y;  // dL/d(readout source)
    g.D.setZero();
    const S rate_scale = static_cast<S>(s.rate_scale);
    for (Index t = T - 1; t >= 0; --t) {
        auto Gt = g.G.middleCols(t * B, B);
        const auto x = g.X.middleCols((t + 1) * B, B);
        const auto r = g.R.middleCols((t + 1) * B, B);
        derivative_block<S>(s.activation, x, r, g.F);
        if (s.rate_readout) {
            if (rate_scale != 0) Gt += rate_scale * r;
            g.D += g.F.cwiseProduct(Gt);
        } else {
            g.D += Gt;
            if (rate_scale != 0) g.D += rate_scale * g.F.cwiseProduct(r);
        }
        Gt = p.alpha.asDiagonal() * g.D;
        Gt.bottomRows(clamped).setZero();
        if (t == 0) break;  // x_0 depends on no parameter
        g.tmp.noalias() = p.w_eff.transpose() * Gt;
        derivative_block<S>(s.activation, g.X.middleCols(t * B, B), g.R.middleCols(t * B, B), g.F);
        g.D = p.decay.asDiagonal() * g.D + g.F.cwiseProduct(g.tmp);
    }
    g.gW.noalias() = g.G * g.R.leftCols(TB).transpose();
    g.gWin.noalias() = g.G * g.U.transpose();
    g.gb = g.G.rowwise().sum();
    g.gWout.noalias() = g.Y * source.transpose();
    g.gbout = g.Y.rowwise().sum();
}

template <class S>
struct Kernel {
    Params<S> params;
    std::vector<Group<S>> groups;

    void set(const RateNetwork& net, const Eigen::MatrixXd& w_eff, const Eigen::VectorXd& alpha)
    {
        params.w_eff = w_eff.cast<S>();
        params.win = net.Win.cast<S>();
        params.wout = net.Wout.cast<S>();
        params.b = net.b.cast<S>();
        params.bout = net.bout.cast<S>();
        params.alpha = alpha.cast<S>();
        params.decay = (1.0 - alpha.array()).matrix().cast<S>();
        params.noise_scale = ((2.0 * alpha.array()).sqrt() * net.options().noise_sd).matrix().cast<S>();
    }

    // Runs the groups (group 0 on this thread) and sums their results in group order.
    void run(const Shared& s, std::size_t threads, Eigen::MatrixXd& gW, std::vector<Eigen::MatrixXd>& grads,
             double& squared_error, double& squared_rates)
    {
        groups.resize(threads);
        const auto bounds = [&](std::size_t i) { return static_cast<Index>(i * static_cast<std::size_t>(s.trials) / threads); };
        std::vector<std::jthread> workers;
        for (std::size_t i = 1; i < threads; ++i)
            workers.emplace_back([&, i] { run_group(params, s, bounds(i), bounds(i + 1) - bounds(i), groups[i]); });
        run_group(params, s, bounds(0), bounds(1), groups[0]);
        workers.clear();  // joins
        gW.setZero(s.units, s.units);
        grads[1].setZero(s.units, s.inputs);
        grads[2].setZero(s.units, 1);
        grads[3].setZero(s.outputs, s.units);
        grads[4].setZero(s.outputs, 1);
        squared_error = squared_rates = 0;
        for (const Group<S>& g : groups) {
            gW += g.gW.template cast<double>();
            grads[1] += g.gWin.template cast<double>();
            grads[2] += g.gb.template cast<double>();
            grads[3] += g.gWout.template cast<double>();
            grads[4] += g.gbout.template cast<double>();
            squared_error += g.squared_error;
            squared_rates += g.squared_rates;
        }
    }
};

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr const char* block_names[bptt_block_count] = {"W", "Win", "b", "Wout", "bout"};

Eigen::MatrixXd value(const RateNetwork& net, BpttBlock block)
{
    switch (block) {
    case BpttBlock::W: return net.W;
    case BpttBlock::Win: return net.Win;
    case BpttBlock::b: return net.b;
    case BpttBlock::Wout: return net.Wout;
    case BpttBlock::bout: return net.bout;
    }
    return {};
}

void assign(RateNetwork& net, BpttBlock block, const Eigen::MatrixXd& v)
{
    switch (block) {
    case BpttBlock::W: net.W = v; break;
    case BpttBlock::Win: net.Win = v; break;
    case BpttBlock::b: net.b = v.col(0); break;
    case BpttBlock::Wout: net.Wout = v; break;
    case BpttBlock::bout: net.bout = v.col(0); break;
    }
}
}  // namespace

struct BpttLearner::Workspaces {
    Kernel<double> f64;
    Kernel<float> f32;
    Shared shared;
    Eigen::MatrixXd g_eff;  // dL/dW_eff
};

void BpttOptions::validate() const
{
    adam.validate();
    require(batch_size > 0, "batch_size", "must be > 0");
    require(std::isfinite(l2_weight) && l2_weight >= 0, "l2_weight", "must be finite and >= 0");
    require(std::isfinite(rate_regularisation) && rate_regularisation >= 0, "rate_regularisation", "must be finite and >= 0");
    require(threads > 0, "threads", "must be > 0");
    require(train_recurrent || train_input || train_bias || train_readout, "train_recurrent",
            "at least one parameter block must be trained");
}

BpttLearner::BpttLearner(RateNetwork network, BpttOptions options)
    : network_(std::move(network)), options_(options), workspaces_(std::make_unique<Workspaces>())
{
    options_.validate();
    network_.validate();
    if (options_.train_recurrent) trained_.push_back(BpttBlock::W);
    if (options_.train_input) trained_.push_back(BpttBlock::Win);
    if (options_.train_bias && network_.options().bias) trained_.push_back(BpttBlock::b);
    if (options_.train_readout) {
        trained_.push_back(BpttBlock::Wout);
        trained_.push_back(BpttBlock::bout);
    }
    for (BpttBlock b : trained_) parameters_.push_back(value(network_, b));
    std::vector<Eigen::MatrixXd*> pointers;
    for (auto& p : parameters_) pointers.push_back(&p);
    adam_ = std::make_unique<Adam>(options_.adam, pointers);
    trained_gradients_.resize(trained_.size());
    gradients_.resize(bptt_block_count);
}

BpttLearner::~BpttLearner() = default;

void BpttLearner::check_dimensions(std::size_t inputs, std::size_t outputs) const
{
    const RateNetworkOptions& o = network_.options();
    require(inputs == o.inputs, "inputs",
            "the task has " + std::to_string(inputs) + " input channels, the network " + std::to_string(o.inputs));
    require(outputs == o.outputs, "outputs",
            "the task has " + std::to_string(outputs) + " output channels, the network " + std::to_string(o.outputs));
}

double BpttLearner::loss_and_gradient(const TrialBatch& batch, std::uint64_t noise_seed,
                                      std::vector<Eigen::MatrixXd>& gradients) const
{
    check_dimensions(batch.input_size(), batch.output_size());
    require(batch.trials > 0 && batch.steps > 0, "batch", "must have at least one trial and one step");
    require(std::isfinite(batch.dt) && batch.dt > 0, "dt", "must be finite and > 0");
    const RateNetworkOptions& o = network_.options();
    Workspaces& ws = *workspaces_;
    Shared& s = ws.shared;
    s.batch = &batch;
    s.units = static_cast<Index>(o.units);
    s.inputs = static_cast<Index>(o.inputs);
    s.outputs = static_cast<Index>(o.outputs);
    s.steps = static_cast<Index>(batch.steps);
    s.trials = static_cast<Index>(batch.trials);
    s.free = s.units - static_cast<Index>(o.clamped_units);
    s.activation = o.activation;
    s.rate_readout = o.readout == Readout::rates;
    double mask_sum = 0;
    for (double w : batch.mask) mask_sum += w;
    s.output_scale = mask_sum > 0 ? 2.0 / mask_sum : 0.0;
    const double rate_count = static_cast<double>(s.units * s.steps * s.trials);
    s.rate_scale = 2.0 * options_.rate_regularisation / rate_count;

    // x_0 and the noise in run_euler's order: one draw for the initial state, then per step every
    // unit of every trial.
    sim::Rng rng(noise_seed);
    s.x0 = network_.initial_states(batch.trials, rng.next_u64());
    if (o.noise_sd > 0) {
        s.noise.resize(s.units, s.steps * s.trials);
        for (Index c = 0; c < s.noise.cols(); ++c)
            for (Index i = 0; i < s.units; ++i) s.noise(i, c) = rng.normal();
    } else {
        s.noise.resize(0, 0);
    }

    const Eigen::MatrixXd w_eff = network_.effective_recurrent_weights();
    const Eigen::VectorXd alpha = (batch.dt / network_.tau.array()).matrix();
    const std::size_t threads = std::min<std::size_t>(options_.threads, batch.trials);
    gradients.resize(bptt_block_count);
    double squared_error = 0, squared_rates = 0;
    if (options_.precision == Precision::float32) {
        ws.f32.set(network_, w_eff, alpha);
        ws.f32.run(s, threads, ws.g_eff, gradients, squared_error, squared_rates);
    } else {
        ws.f64.set(network_, w_eff, alpha);
        ws.f64.run(s, threads, ws.g_eff, gradients, squared_error, squared_rates);
    }

    double loss = (mask_sum > 0 ? squared_error / mask_sum : 0.0) + options_.rate_regularisation * squared_rates / rate_count;
    if (options_.l2_weight > 0) {
        const double l2 = options_.l2_weight;
        auto penalise = [&](const Eigen::MatrixXd& w, Eigen::MatrixXd& g) {
            if (w.size() == 0) return;
            const double count = static_cast<double>(w.size());
            loss += l2 * w.squaredNorm() / count;
            g += (2.0 * l2 / count) * w;
        };
        penalise(w_eff, ws.g_eff);
        penalise(network_.Win, gradients[1]);
        penalise(network_.Wout, gradients[3]);
    }
    // From W_eff = W .* mask (Dale: |W| .* mask * diag(sign)) back to the raw W.
    gradients[0] = ws.g_eff.cwiseProduct(network_.mask);
    if (o.dale) gradients[0] = (gradients[0] * network_.sign.asDiagonal()).cwiseProduct(network_.W.cwiseSign());
    s.batch = nullptr;
    return loss;
}

void BpttLearner::sync_network()
{
    for (std::size_t i = 0; i < trained_.size(); ++i) assign(network_, trained_[i], parameters_[i]);
}

double BpttLearner::step(const TrialBatch& batch, std::uint64_t noise_seed)
{
    const double loss = loss_and_gradient(batch, noise_seed, gradients_);
    for (std::size_t i = 0; i < trained_.size(); ++i) trained_gradients_[i] = gradients_[static_cast<std::size_t>(trained_[i])];
    adam_->step(trained_gradients_);
    sync_network();
    return loss;
}

IterationResult BpttLearner::iterate(const Task& task, std::uint64_t seed)
{
    check_dimensions(task.input_size(), task.output_size());
    sim::Rng rng(seed);
    const TrialBatch batch = task.generate(options_.batch_size, rng.next_u64());
    const double loss = step(batch, rng.next_u64());
    return {loss, batch.trials};
}

std::vector<double> BpttLearner::outputs(const TrialBatch& batch) const
{
    check_dimensions(batch.input_size(), batch.output_size());
    return network_.run_euler(batch, 0).outputs;
}

void BpttLearner::save_state(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    for (std::size_t i = 0; i < bptt_block_count; ++i) {
        const RowMajor rows = value(network_, static_cast<BpttBlock>(i));
        out.write(group + "/" + block_names[i], std::span<const double>(rows.data(), static_cast<std::size_t>(rows.size())),
                  {static_cast<std::size_t>(rows.rows()), static_cast<std::size_t>(rows.cols())});
    }
    adam_->save(out, group + "/adam");
}

void BpttLearner::load_state(const sim::h5::Reader& in, const std::string& group)
{
    auto read = [&](std::size_t i, Index rows, Index cols) {
        const auto values = in.read_doubles(group + "/" + block_names[i]);
        if (values.size() != static_cast<std::size_t>(rows * cols))
            throw io_error(group, std::string("dataset ") + block_names[i] + " does not match the network's shape");
        return Eigen::MatrixXd(Eigen::Map<const RowMajor>(values.data(), rows, cols));
    };
    for (std::size_t i = 0; i < bptt_block_count; ++i) {
        const auto block = static_cast<BpttBlock>(i);
        const Eigen::MatrixXd current = value(network_, block);
        assign(network_, block, read(i, current.rows(), current.cols()));
    }
    for (std::size_t i = 0; i < trained_.size(); ++i) parameters_[i] = value(network_, trained_[i]);
    adam_->load(in, group + "/adam");
}

}  // namespace neurode::rnn
