#pragma once
// Linear readouts of any model's features (rate-network rates, reservoir membrane potentials,
// spike counts), fitted in closed form by ridge regression or online by recursive least squares.
// Nothing here knows what produced the features.
//
// Data are sequences laid out row-major as [trials][steps][channels]: features x_s (F channels)
// and targets y_s (O channels) at every sample s = (trial, step). Optional weights w_s >= 0 say
// how much each sample counts (a task's loss mask): either one per sample, [trials][steps], or
// one per sample and output, [trials][steps][outputs]. The first `warmup` steps of every trial
// (the initial transient of the dynamics) are dropped.
//
// Ridge (reservoirpy's Ridge node, with weights): minimise
//     sum_s w_s |y_s - W x_s - b|^2 + lambda |W|_F^2,
// whose solution with the bias unregularised is found by centring: with weighted means xbar,
// ybar and centred sums C_xx = sum_s w_s (x_s - xbar)(x_s - xbar)^T, C_yx likewise,
//     W = C_yx (C_xx + lambda I)^-1,   b = ybar - W xbar,
// i.e. W_out = Y X^T (X X^T + lambda I)^-1 on centred data; without a bias, the same on raw
// data. lambda acts on sums over samples, not means, as in reservoirpy: it is not rescaled by
// the number of samples. The solve is an LDL^T factorisation of the symmetric C_xx + lambda I.
//
// Recursive least squares (Haykin; Sussillo & Abbott 2009): with P_0 = I / alpha, W_0 = 0, for
// each sample r with target y and weight w,
//     e = W r - y,  k = P r,  c = 1 / (1/w + r.k),  P <- P - c k k^T,  W <- W - c e k^T,
// (w = 1 gives FORCE's c = 1 / (1 + r.P r)). After one pass W is exactly the ridge solution
// without bias for lambda = alpha (P_n = (alpha I + sum w r r^T)^-1).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/sim/hdf5.hpp>

namespace neurode::sim {

// A read-only view of [trials][steps][channels] data.
struct Sequences {
    std::span<const double> values;
    std::size_t trials = 0, steps = 0, channels = 0;

    std::size_t samples() const { return trials * steps; }
    // The channels of sample (trial, step).
    Eigen::Map<const Eigen::VectorXd> sample(std::size_t trial, std::size_t step) const
    {
        return {values.data() + (trial * steps + step) * channels, static_cast<Eigen::Index>(channels)};
    }
    // Throws invalid_parameter(field) when values.size() != trials * steps * channels.
    void check(const char* field) const;
};

struct RidgeOptions {
    double lambda = 1e-6;     // ridge penalty on W (not on b), >= 0; 0 needs a non-singular C_xx
    std::size_t warmup = 0;   // leading steps of every trial dropped, < steps
    bool bias = true;         // fit an unregularised intercept b (by centring); false: b = 0

    void validate() const;    // throws invalid_parameter naming the field
};

// y = W x + b.
struct LinearReadout {
    Eigen::MatrixXd weights;  // outputs x features
    Eigen::VectorXd bias;     // outputs

    std::size_t features() const { return static_cast<std::size_t>(weights.cols()); }
    std::size_t outputs() const { return static_cast<std::size_t>(weights.rows()); }
    // Outputs for features laid out [trials][steps][features] -> [trials][steps][outputs]
    // (warm-up steps included: prediction drops nothing).
    std::vector<double> predict(const Sequences& features) const;
    // Outputs for feature columns (features x samples).
    Eigen::MatrixXd predict(const Eigen::MatrixXd& X) const;

    // Under `group`: datasets weights [outputs, features] and bias [outputs].
    void save(h5::Writer& out, const std::string& group) const;
    static LinearReadout load(const h5::Reader& in, const std::string& group);
    // A file of its own (atomic), group "/readout", attribute format = "neurode-linear-readout".
    void save(const std::filesystem::path& path) const;
    static LinearReadout load(const std::filesystem::path& path);
};

// Weighted means and centred second moments of (x, y), accumulated batch by batch with Chan et
// al.'s pairwise update, so that a readout can be refitted on all the data seen so far without
// keeping the data, and without the cancellation of raw sums. With per-output weights each
// output keeps its own moments.
class RidgeAccumulator {
public:
    RidgeAccumulator(std::size_t features, std::size_t outputs, RidgeOptions options = {});

    // Adds the samples of a batch (after warm-up, weight > 0). weights: empty (all 1),
    // [trials][steps] or [trials][steps][outputs]; the kind must not change between calls.
    // Throws invalid_parameter: "features" (channels), "targets" (trials, steps or channels that
    // do not match the features), "weights" (size, negative or non-finite), "warmup" (>= steps).
    void add(const Sequences& features, const Sequences& targets, std::span<const double> weights = {});
    // The ridge solution for everything added so far; throws runtime_error when no sample has
    // weight, or when lambda = 0 and C_xx is singular.
    LinearReadout solve() const;

    const RidgeOptions& options() const { return options_; }
    std::size_t features() const { return features_; }
    std::size_t outputs() const { return outputs_; }
    std::size_t samples() const { return samples_; }  // samples added with weight > 0

    void save(h5::Writer& out, const std::string& group) const;
    void load(const h5::Reader& in, const std::string& group);  // sizes and options must match

private:
    struct Moments {
        double weight = 0;      // sum of w
        Eigen::VectorXd xbar;   // features
        Eigen::VectorXd ybar;   // the outputs this group covers
        Eigen::MatrixXd cxx;    // features x features
        Eigen::MatrixXd cyx;    // covered outputs x features
    };
    RidgeOptions options_;
    std::size_t features_, outputs_;
    std::size_t samples_ = 0;
    bool per_output_ = false;   // set by the first add() with per-output weights
    std::vector<Moments> groups_;  // one (all outputs), or one per output
};

// What fit_ridge() did, on the data it was fitted to.
struct RidgeSummary {
    std::size_t samples = 0;  // samples used (after warm-up, weight > 0)
    double mse = 0;           // weighted mean squared error per output entry
    double r2 = 0;            // r2() on the same samples
};

struct RidgeFit {
    LinearReadout readout;
    RidgeSummary summary;
};

// Ridge regression of targets on features in one call (see RidgeAccumulator::add for errors).
RidgeFit fit_ridge(const Sequences& features, const Sequences& targets, const RidgeOptions& options = {},
                   std::span<const double> weights = {});

// Coefficient of determination over the weighted samples after warm-up, per output channel
// 1 - SS_res / SS_tot around the channel's weighted mean, averaged over channels (scikit-learn's
// r2_score with sample weights, uniform average; a constant channel scores 1 if matched exactly,
// else 0). predictions and targets share one shape; weights as in RidgeAccumulator::add.
double r2(const Sequences& predictions, const Sequences& targets, std::span<const double> weights = {},
          std::size_t warmup = 0);
// Weighted fraction of samples (after warm-up, weight > 0) classified correctly: with one output,
// prediction and target have the same sign (0 is wrong unless the target is 0 too); with several,
// the largest prediction is at the target's largest channel. Per-output weights count a sample
// with the mean of its weights.
double accuracy(const Sequences& predictions, const Sequences& targets, std::span<const double> weights = {},
                std::size_t warmup = 0);

struct RlsOptions {
    double alpha = 1.0;  // P_0 = I / alpha, > 0: the equivalent ridge penalty; small alpha learns fast

    void validate() const;  // throws invalid_parameter naming the field
};

// Online least squares with one inverse-correlation matrix P shared by all outputs (FORCE's
// readout, full-FORCE's recurrent and output weights, a reservoir's online readout). No bias:
// append a constant feature for one (it is then regularised by alpha).
class RlsReadout {
public:
    RlsReadout(std::size_t features, std::size_t outputs, RlsOptions options = {});

    // One update towards target y for features r, weight w >= 0 (0: nothing changes).
    // Returns the error before the update, e = W r - y.
    Eigen::VectorXd update(const Eigen::VectorXd& r, const Eigen::VectorXd& y, double w = 1.0);
    // The same with the error already known (FORCE computes e from the output it fed back);
    // a zero entry of e leaves that output's weights unchanged while P still learns r.
    void update_with_error(const Eigen::VectorXd& r, const Eigen::VectorXd& e, double w = 1.0);
    // One pass over sequences in trial, then time order (warm-up dropped, per-sample weights
    // only: P is shared by all outputs). Returns the weighted mean squared a-priori error.
    double train(const Sequences& features, const Sequences& targets, std::span<const double> weights = {},
                 std::size_t warmup = 0);

    Eigen::VectorXd predict(const Eigen::VectorXd& r) const { return weights_ * r; }
    std::vector<double> predict(const Sequences& features) const;

    const Eigen::MatrixXd& weights() const { return weights_; }  // outputs x features
    Eigen::MatrixXd P() const;   // features x features, symmetric
    std::size_t updates() const { return updates_; }
    const RlsOptions& options() const { return options_; }
    std::size_t features() const { return static_cast<std::size_t>(weights_.cols()); }
    std::size_t outputs() const { return static_cast<std::size_t>(weights_.rows()); }

    // Under `group`: weights, P, attributes alpha and updates.
    void save(h5::Writer& out, const std::string& group) const;
    void load(const h5::Reader& in, const std::string& group);  // sizes must match

private:
    RlsOptions options_;
    Eigen::MatrixXd weights_;
    Eigen::MatrixXd p_;         // only the lower triangle is kept up to date
    Eigen::VectorXd k_;         // scratch P r
    std::size_t updates_ = 0;
};

}  // namespace neurode::sim
