#include <neurode/rnn/bptt_gated.hpp>

#include <array>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <utility>

#include <neurode/rnn/task.hpp>
#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

namespace {
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The weights in gradient (and Adam block) order.
constexpr std::array<const char*, 6> weight_names{"weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_out", "bias_out"};

void require_dimensions(const GatedCellShape& shape, std::size_t inputs, std::size_t outputs, const std::string& source)
{
    if (inputs != shape.inputs)
        throw invalid_parameter("inputs", source + " has " + std::to_string(inputs) + " input channels, the network " +
                                              std::to_string(shape.inputs));
    if (outputs != shape.outputs)
        throw invalid_parameter("outputs", source + " has " + std::to_string(outputs) + " output channels, the network " +
                                               std::to_string(shape.outputs));
}

// [trials][steps][channels] -> channels x (steps * trials) with column t * trials + trial, so that
// step t of every trial is one contiguous block of columns.
Eigen::MatrixXd step_major(std::span<const double> values, Eigen::Index trials, Eigen::Index steps, Eigen::Index channels)
{
    Eigen::MatrixXd out(channels, steps * trials);
    for (Eigen::Index b = 0; b < trials; ++b)
        for (Eigen::Index t = 0; t < steps; ++t)
            out.col(t * trials + b) = Eigen::Map<const Eigen::VectorXd>(values.data() + (b * steps + t) * channels, channels);
    return out;
}

// sigma(x) = 1 / (1 + e^-x), as GatedNetwork::forward evaluates it.
template <class Expr>
auto logistic(const Expr& x)
{
    return ((-x).exp() + 1.0).inverse();
}

template <class Expr>
auto nonlinearity(bool relu, const Expr& x)
{
    return x.unaryExpr([relu](double v) { return relu ? (v > 0 ? v : 0.0) : std::tanh(v); });
}

// phi'(a) from y = phi(a): 1 - y^2 for tanh; for ReLU 1 where y > 0, else 0 (0 at the kink, as torch).
template <class Expr>
auto nonlinearity_slope(bool relu, const Expr& y)
{
    return y.unaryExpr([relu](double v) { return relu ? (v > 0 ? 1.0 : 0.0) : 1.0 - v * v; });
}

GatedBpttOptions validated(GatedBpttOptions options)
{
    options.validate();
    return options;
}

std::vector<Eigen::MatrixXd> weights_of(const GatedNetwork& net)
{
    return {net.weight_ih(), net.weight_hh(), net.bias_ih(), net.bias_hh(), net.weight_out(), net.bias_out()};
}

std::vector<Eigen::MatrixXd*> pointers(std::vector<Eigen::MatrixXd>& blocks)
{
    std::vector<Eigen::MatrixXd*> p;
    for (auto& b : blocks) p.push_back(&b);
    return p;
}
}  // namespace

void GatedBpttOptions::validate() const
{
    if (batch_size == 0) throw invalid_parameter("batch_size", "must be > 0");
    adam.validate();
}

struct GatedBpttLearner::State {
    GatedNetwork network;
    GatedBpttOptions options;
    std::vector<Eigen::MatrixXd> weights;    // Adam updates these, then they are copied into the network
    Adam adam;
    std::vector<Eigen::MatrixXd> gradients;  // reused across iterations

    State(GatedNetwork net, const GatedBpttOptions& o)
        : network(std::move(net)), options(validated(o)), weights(weights_of(network)),
          adam(options.adam, pointers(weights))
    {
    }

    void push_weights()
    {
        network.set_weight_ih(weights[0]);
        network.set_weight_hh(weights[1]);
        network.set_bias_ih(weights[2].col(0));
        network.set_bias_hh(weights[3].col(0));
        network.set_weight_out(weights[4]);
        network.set_bias_out(weights[5].col(0));
    }
};

GatedBpttLearner::GatedBpttLearner(GatedNetwork network, GatedBpttOptions options)
    : state_(std::make_unique<State>(std::move(network), options))
{
}

GatedBpttLearner::~GatedBpttLearner() = default;
GatedBpttLearner::GatedBpttLearner(GatedBpttLearner&&) noexcept = default;
GatedBpttLearner& GatedBpttLearner::operator=(GatedBpttLearner&&) noexcept = default;

const GatedNetwork& GatedBpttLearner::network() const { return state_->network; }
const GatedBpttOptions& GatedBpttLearner::options() const { return state_->options; }
long GatedBpttLearner::steps_taken() const { return state_->adam.steps_taken(); }

std::string GatedBpttLearner::name() const
{
    return state_->network.kind() == GatedKind::gru ? "bptt_gru" : "bptt_lstm";
}

IterationResult GatedBpttLearner::iterate(const Task& task, std::uint64_t seed)
{
    State& s = *state_;
    require_dimensions(s.network.shape(), task.input_size(), task.output_size(), "task '" + task.name() + "'");
    const TrialBatch batch = task.generate(s.options.batch_size, seed);
    const double loss = loss_and_gradient(batch, s.gradients);
    for (std::size_t i = 0; i < s.gradients.size(); ++i)
        if (!s.gradients[i].allFinite())
            throw runtime_error("bptt: the gradient of " + std::string(weight_names[i]) + " is not finite at Adam step " +
                                std::to_string(s.adam.steps_taken() + 1) + " (loss " + std::to_string(loss) + ")");
    s.adam.step(s.gradients);
    s.push_weights();
    return {loss, batch.trials};
}

std::vector<double> GatedBpttLearner::outputs(const TrialBatch& batch) const
{
    require_dimensions(state_->network.shape(), batch.input_size(), batch.output_size(), "the batch");
    return state_->network.forward(batch).outputs;
}

void GatedBpttLearner::save_state(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    for (std::size_t i = 0; i < weight_names.size(); ++i) {
        const RowMajor w = state_->weights[i];
        out.write(group + "/" + weight_names[i], std::span<const double>(w.data(), static_cast<std::size_t>(w.size())),
                  {static_cast<std::size_t>(w.rows()), static_cast<std::size_t>(w.cols())});
    }
    state_->adam.save(out, group + "/adam");
}

void GatedBpttLearner::load_state(const sim::h5::Reader& in, const std::string& group)
{
    State& s = *state_;
    std::vector<Eigen::MatrixXd> loaded;
    for (std::size_t i = 0; i < weight_names.size(); ++i) {
        const std::string dataset = group + "/" + weight_names[i];
        const Eigen::MatrixXd& current = s.weights[i];
        const std::vector<std::size_t> expected{static_cast<std::size_t>(current.rows()),
                                                static_cast<std::size_t>(current.cols())};
        if (in.shape(dataset) != expected)
            throw io_error(dataset, "stored weight does not have the network's shape " + std::to_string(expected[0]) +
                                        " x " + std::to_string(expected[1]));
        const auto values = in.read_doubles(dataset);
        loaded.emplace_back(Eigen::Map<const RowMajor>(values.data(), current.rows(), current.cols()));
    }
    s.adam.load(in, group + "/adam");
    // Assigned block by block, not by replacing the vector, so that Adam's pointers stay valid.
    for (std::size_t i = 0; i < loaded.size(); ++i) s.weights[i] = loaded[i];
    s.push_weights();
}

double GatedBpttLearner::loss_and_gradient(const TrialBatch& batch, std::vector<Eigen::MatrixXd>& gradients) const
{
    const GatedNetwork& net = state_->network;
    require_dimensions(net.shape(), batch.input_size(), batch.output_size(), "the batch");
    const bool lstm = net.kind() == GatedKind::lstm;
    const bool relu = net.options().nonlinearity == Activation::relu;
    const auto N = static_cast<Eigen::Index>(net.shape().hidden);
    const auto M = static_cast<Eigen::Index>(net.shape().inputs);
    const auto K = static_cast<Eigen::Index>(net.shape().outputs);
    const auto G = static_cast<Eigen::Index>(gate_count(net.kind())) * N;
    const auto B = static_cast<Eigen::Index>(batch.trials);
    const auto S = static_cast<Eigen::Index>(batch.steps);
    const Eigen::Index SB = S * B;
    const Eigen::MatrixXd& w_hh = net.weight_hh();
    const Eigen::MatrixXd& w_out = net.weight_out();

    gradients.resize(weight_names.size());
    const double mask_sum = std::accumulate(batch.mask.begin(), batch.mask.end(), 0.0);
    if (SB == 0 || mask_sum == 0) {
        const auto weights = weights_of(net);
        for (std::size_t i = 0; i < weights.size(); ++i) gradients[i].setZero(weights[i].rows(), weights[i].cols());
        return 0.0;
    }

    // Forward pass, keeping what the backward pass needs. Columns t B .. t B + B - 1 of every
    // matrix below hold step t of all trials; H and C also hold the zero initial state in front.
    const Eigen::MatrixXd x = step_major(batch.inputs, B, S, M);
    Eigen::MatrixXd pre = net.weight_ih() * x;  // input side of every gate's pre-activation
    pre.colwise() += net.bias_ih();
    Eigen::MatrixXd gates(G, SB);               // GRU (r, z, n), LSTM (i, f, g, o)
    Eigen::MatrixXd H = Eigen::MatrixXd::Zero(N, SB + B);
    Eigen::MatrixXd C = Eigen::MatrixXd::Zero(lstm ? N : 0, lstm ? SB + B : 0);
    Eigen::MatrixXd phi_c(lstm ? N : 0, lstm ? SB : 0);   // LSTM: phi(c')
    Eigen::MatrixXd hidden_n(lstm ? 0 : N, lstm ? 0 : SB);  // GRU: W_hn h + b_hn, which r gates
    Eigen::MatrixXd gh(G, B);
    for (Eigen::Index t = 0; t < S; ++t) {
        const Eigen::Index col = t * B;
        gh.noalias() = w_hh * H.middleCols(col, B);
        gh.colwise() += net.bias_hh();
        auto a = pre.middleCols(col, B).array();
        auto act = gates.middleCols(col, B).array();
        if (!lstm) {
            act.topRows(2 * N) = logistic(a.topRows(2 * N) + gh.topRows(2 * N).array());
            hidden_n.middleCols(col, B) = gh.bottomRows(N);
            act.bottomRows(N) = nonlinearity(relu, a.bottomRows(N) + act.topRows(N) * gh.bottomRows(N).array());
            const auto z = act.middleRows(N, N);
            const auto n = act.bottomRows(N);
            H.middleCols(col + B, B).array() = n + z * (H.middleCols(col, B).array() - n);
        } else {
            act = logistic(a + gh.array());
            act.middleRows(2 * N, N) = nonlinearity(relu, a.middleRows(2 * N, N) + gh.middleRows(2 * N, N).array());
            C.middleCols(col + B, B).array() =
                act.middleRows(N, N) * C.middleCols(col, B).array() + act.topRows(N) * act.middleRows(2 * N, N);
            phi_c.middleCols(col, B) = nonlinearity(relu, C.middleCols(col + B, B).array()).matrix();
            H.middleCols(col + B, B).array() = act.bottomRows(N) * phi_c.middleCols(col, B).array();
        }
    }

    const Eigen::MatrixXd targets = step_major(batch.targets, B, S, K);
    const Eigen::MatrixXd mask = step_major(batch.mask, B, S, K);
    const auto h_after = H.rightCols(SB);
    Eigen::MatrixXd error = w_out * h_after;
    error.colwise() += net.bias_out();
    error -= targets;
    Eigen::MatrixXd d_y = (mask.array() * error.array()).matrix();
    const double loss = (d_y.array() * error.array()).sum() / mask_sum;
    d_y *= 2.0 / mask_sum;
    gradients[4].noalias() = d_y * h_after.transpose();
    gradients[5] = d_y.rowwise().sum();
    const Eigen::MatrixXd d_readout = w_out.transpose() * d_y;  // dL/dh' through the readout

    // Backward pass. d_pre: gradient on each gate's input-side pre-activation; d_hidden: on its
    // hidden side, which differs only for the GRU's candidate (scaled by r).
    Eigen::MatrixXd d_pre(G, SB);
    Eigen::MatrixXd d_hidden_gru(lstm ? 0 : G, lstm ? 0 : SB);
    Eigen::MatrixXd& d_hidden = lstm ? d_pre : d_hidden_gru;
    Eigen::MatrixXd dh = Eigen::MatrixXd::Zero(N, B), dc = Eigen::MatrixXd::Zero(lstm ? N : 0, B);
    for (Eigen::Index t = S - 1; t >= 0; --t) {
        const Eigen::Index col = t * B;
        dh += d_readout.middleCols(col, B);
        const auto act = gates.middleCols(col, B).array();
        auto d = d_pre.middleCols(col, B).array();
        if (!lstm) {
            const auto r = act.topRows(N);
            const auto z = act.middleRows(N, N);
            const auto n = act.bottomRows(N);
            const auto h = H.middleCols(col, B).array();
            d.bottomRows(N) = dh.array() * (1.0 - z) * nonlinearity_slope(relu, n);
            d.middleRows(N, N) = dh.array() * (h - n) * z * (1.0 - z);
            d.topRows(N) = d.bottomRows(N) * hidden_n.middleCols(col, B).array() * r * (1.0 - r);
            auto dhid = d_hidden.middleCols(col, B);
            dhid.topRows(2 * N) = d_pre.middleCols(col, B).topRows(2 * N);
            dhid.bottomRows(N).array() = d.bottomRows(N) * r;
            dh.array() *= z;
            dh.noalias() += w_hh.transpose() * dhid;
        } else {
            const auto i = act.topRows(N);
            const auto f = act.middleRows(N, N);
            const auto g = act.middleRows(2 * N, N);
            const auto o = act.bottomRows(N);
            const auto pc = phi_c.middleCols(col, B).array();
            dc.array() += dh.array() * o * nonlinearity_slope(relu, pc);
            d.topRows(N) = dc.array() * g * i * (1.0 - i);
            d.middleRows(N, N) = dc.array() * C.middleCols(col, B).array() * f * (1.0 - f);
            d.middleRows(2 * N, N) = dc.array() * i * nonlinearity_slope(relu, g);
            d.bottomRows(N) = dh.array() * pc * o * (1.0 - o);
            dc.array() *= f;
            dh.noalias() = w_hh.transpose() * d_pre.middleCols(col, B);
        }
    }

    // Weight gradients: sums over steps and trials of (gradient on pre-activation) x (its input).
    gradients[0].noalias() = d_pre * x.transpose();
    gradients[1].noalias() = d_hidden * H.leftCols(SB).transpose();
    gradients[2] = d_pre.rowwise().sum();
    gradients[3] = d_hidden.rowwise().sum();
    return loss;
}

}  // namespace neurode::rnn
