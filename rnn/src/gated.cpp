#include <neurode/rnn/gated.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <neurode/rnn/task.hpp>
#include <neurode/sim/errors.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::rnn {

namespace {
void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

// A new value for a weight must have the current one's shape (fixed by the options) and be finite.
template <class New, class Current>
void require_shape(const Eigen::DenseBase<New>& value, const Eigen::DenseBase<Current>& current, const char* field,
                   const std::string& expected)
{
    require(value.rows() == current.rows() && value.cols() == current.cols(), field,
            "must be " + std::to_string(current.rows()) + " x " + std::to_string(current.cols()) + " (" + expected +
                "), got " + std::to_string(value.rows()) + " x " + std::to_string(value.cols()));
    require(value.allFinite(), field, "must be finite");
}

std::string stacked_rows(GatedKind kind) { return std::to_string(gate_count(kind)) + " hidden"; }

void require_finite(std::span<const double> values, const char* field)
{
    require(std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }), field,
            "must be finite");
}

// Row-major draws, so that the order of random numbers does not depend on Eigen's storage order.
Eigen::MatrixXd uniform_matrix(sim::Rng& rng, Eigen::Index rows, Eigen::Index cols, double bound)
{
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = rng.uniform(-bound, bound);
    return m;
}

// sigma(x) = 1 / (1 + e^-x), written into out.
template <class Expr>
void logistic(const Expr& x, Eigen::ArrayXXd& out)
{
    out = ((-x).exp() + 1.0).inverse();
}

// phi(x): ReLU, or tanh (validate() allows no other), written into out.
template <class Expr>
void nonlinearity(Activation phi, const Expr& x, Eigen::ArrayXXd& out)
{
    if (phi == Activation::relu)
        out = x.max(0.0);
    else
        out = x.unaryExpr([](double v) { return std::tanh(v); });
}
}  // namespace

std::size_t gate_count(GatedKind kind) { return kind == GatedKind::gru ? 3 : 4; }

void GatedNetworkOptions::validate() const
{
    require(shape.inputs > 0, "inputs", "must be > 0");
    require(shape.hidden > 0, "hidden", "must be > 0");
    require(shape.outputs > 0, "outputs", "must be > 0");
    require(kind == GatedKind::gru || kind == GatedKind::lstm, "kind", "must be gru or lstm");
    require(nonlinearity == Activation::tanh || nonlinearity == Activation::relu, "nonlinearity",
            "must be tanh or relu, got " + std::string(to_string(nonlinearity)));
}

GatedNetwork::GatedNetwork(const GatedNetworkOptions& options) : options_(options)
{
    options_.validate();
    const auto [m, n, k] = options_.shape;
    const auto rows = static_cast<Eigen::Index>(gate_count(options_.kind) * n);
    const double bound = 1.0 / std::sqrt(static_cast<double>(n));
    sim::Rng rng(options_.seed);
    weight_ih_ = uniform_matrix(rng, rows, static_cast<Eigen::Index>(m), bound);
    weight_hh_ = uniform_matrix(rng, rows, static_cast<Eigen::Index>(n), bound);
    bias_ih_ = uniform_matrix(rng, rows, 1, bound);
    bias_hh_ = uniform_matrix(rng, rows, 1, bound);
    weight_out_ = uniform_matrix(rng, static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(n), bound);
    bias_out_ = uniform_matrix(rng, static_cast<Eigen::Index>(k), 1, bound);
}

void GatedNetwork::set_weight_ih(const Eigen::Ref<const Eigen::MatrixXd>& w)
{
    require_shape(w, weight_ih_, "weight_ih", stacked_rows(kind()) + " x inputs");
    weight_ih_ = w;
}

void GatedNetwork::set_weight_hh(const Eigen::Ref<const Eigen::MatrixXd>& w)
{
    require_shape(w, weight_hh_, "weight_hh", stacked_rows(kind()) + " x hidden");
    weight_hh_ = w;
}

void GatedNetwork::set_bias_ih(const Eigen::Ref<const Eigen::VectorXd>& b)
{
    require_shape(b, bias_ih_, "bias_ih", stacked_rows(kind()));
    bias_ih_ = b;
}

void GatedNetwork::set_bias_hh(const Eigen::Ref<const Eigen::VectorXd>& b)
{
    require_shape(b, bias_hh_, "bias_hh", stacked_rows(kind()));
    bias_hh_ = b;
}

void GatedNetwork::set_weight_out(const Eigen::Ref<const Eigen::MatrixXd>& w)
{
    require_shape(w, weight_out_, "weight_out", "outputs x hidden");
    weight_out_ = w;
}

void GatedNetwork::set_bias_out(const Eigen::Ref<const Eigen::VectorXd>& b)
{
    require_shape(b, bias_out_, "bias_out", "outputs");
    bias_out_ = b;
}

GatedRun GatedNetwork::forward(std::span<const double> inputs, std::size_t trials, std::size_t steps,
                               std::span<const double> initial_hidden, std::span<const double> initial_cell) const
{
    const auto [m, n, k] = options_.shape;
    const bool lstm = kind() == GatedKind::lstm;
    require(inputs.size() == trials * steps * m, "inputs",
            "must hold trials * steps * inputs = " + std::to_string(trials * steps * m) + " values, got " +
                std::to_string(inputs.size()));
    require_finite(inputs, "inputs");
    require(initial_hidden.empty() || initial_hidden.size() == trials * n, "initial_hidden",
            "must be empty (zeros) or hold trials * hidden = " + std::to_string(trials * n) + " values, got " +
                std::to_string(initial_hidden.size()));
    require_finite(initial_hidden, "initial_hidden");
    require(lstm || initial_cell.empty(), "initial_cell", "must be empty for a GRU, which has no cell state");
    require(initial_cell.empty() || initial_cell.size() == trials * n, "initial_cell",
            "must be empty (zeros) or hold trials * hidden = " + std::to_string(trials * n) + " values, got " +
                std::to_string(initial_cell.size()));
    require_finite(initial_cell, "initial_cell");

    GatedRun run;
    run.trials = trials;
    run.steps = steps;
    run.hidden_size = n;
    run.output_count = k;
    run.hidden.resize(trials * steps * n);
    if (lstm) run.cells.resize(trials * steps * n);
    run.outputs.resize(trials * steps * k);
    if (trials * steps == 0) return run;

    // Units down the columns, trials across: the [trials][steps][units] arrays are column-major
    // units x (trials * steps) matrices, so step t of every trial is a strided block of columns.
    using ConstStrided = Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>>;
    using Strided = Eigen::Map<Eigen::MatrixXd, 0, Eigen::OuterStride<>>;
    const auto N = static_cast<Eigen::Index>(n), M = static_cast<Eigen::Index>(m), B = static_cast<Eigen::Index>(trials);
    const auto S = static_cast<Eigen::Index>(steps);
    const Activation phi = options_.nonlinearity;

    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(N, B), c = Eigen::MatrixXd::Zero(lstm ? N : 0, B);
    if (!initial_hidden.empty()) h = Eigen::Map<const Eigen::MatrixXd>(initial_hidden.data(), N, B);
    if (!initial_cell.empty()) c = Eigen::Map<const Eigen::MatrixXd>(initial_cell.data(), N, B);

    Eigen::MatrixXd gi(weight_ih_.rows(), B), gh(weight_hh_.rows(), B);
    // Gate activations: GRU (r, z, n, -), LSTM (i, f, g, o); g also holds phi(c') in the LSTM.
    Eigen::ArrayXXd a(N, B), b(N, B), g(N, B), o(N, B);
    for (Eigen::Index t = 0; t < S; ++t) {
        const ConstStrided x(inputs.data() + t * M, M, B, Eigen::OuterStride<>(S * M));
        gi.noalias() = weight_ih_ * x;
        gi.colwise() += bias_ih_;
        gh.noalias() = weight_hh_ * h;
        gh.colwise() += bias_hh_;
        if (!lstm) {
            logistic(gi.topRows(N).array() + gh.topRows(N).array(), a);              // r
            logistic(gi.middleRows(N, N).array() + gh.middleRows(N, N).array(), b);  // z
            nonlinearity(phi, gi.bottomRows(N).array() + a * gh.bottomRows(N).array(), g);  // n
            // h' = (1 - z) n + z h, written as PyTorch evaluates it.
            h.array() = g + b * (h.array() - g);
        } else {
            logistic(gi.topRows(N).array() + gh.topRows(N).array(), a);                      // i
            logistic(gi.middleRows(N, N).array() + gh.middleRows(N, N).array(), b);          // f
            nonlinearity(phi, gi.middleRows(2 * N, N).array() + gh.middleRows(2 * N, N).array(), g);
            logistic(gi.bottomRows(N).array() + gh.bottomRows(N).array(), o);                // o
            c.array() = b * c.array() + a * g;
            nonlinearity(phi, c.array(), g);
            h.array() = o * g;
            Strided(run.cells.data() + t * N, N, B, Eigen::OuterStride<>(S * N)) = c;
        }
        Strided(run.hidden.data() + t * N, N, B, Eigen::OuterStride<>(S * N)) = h;
    }

    // The readout of every step of every trial in one product.
    Eigen::Map<Eigen::MatrixXd> y(run.outputs.data(), static_cast<Eigen::Index>(k), B * S);
    y.noalias() = weight_out_ * Eigen::Map<const Eigen::MatrixXd>(run.hidden.data(), N, B * S);
    y.colwise() += bias_out_;
    return run;
}

GatedRun GatedNetwork::forward(const TrialBatch& batch) const
{
    require(batch.input_size() == options_.shape.inputs, "inputs",
            "the batch has " + std::to_string(batch.input_size()) + " input channels, the network " +
                std::to_string(options_.shape.inputs));
    return forward(batch.inputs, batch.trials, batch.steps);
}

}  // namespace neurode::rnn
