#include <neurode/sim/readout.hpp>

#include <cmath>
#include <limits>

#include <Eigen/Cholesky>

#include <neurode/sim/errors.hpp>

namespace neurode::sim {

namespace {
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void require(bool ok, const char* field, const std::string& constraint)
{
    if (!ok) throw invalid_parameter(field, constraint);
}

std::string count(std::size_t n) { return std::to_string(n); }

void write_matrix(h5::Writer& out, const std::string& name, const Eigen::MatrixXd& m)
{
    const RowMajor r = m;
    out.write(name, std::span<const double>(r.data(), static_cast<std::size_t>(r.size())),
              {static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols())});
}

Eigen::MatrixXd read_matrix(const h5::Reader& in, const std::string& name, Eigen::Index rows, Eigen::Index cols)
{
    const auto values = in.read_doubles(name);
    if (values.size() != static_cast<std::size_t>(rows * cols))
        throw invalid_parameter(name, "has " + count(values.size()) + " values, expected " +
                                          count(static_cast<std::size_t>(rows * cols)));
    return Eigen::Map<const RowMajor>(values.data(), rows, cols);
}

// How weights are laid out: none (all 1), one per sample, or one per sample and output.
enum class WeightKind { none, sample, output };

WeightKind check_weights(std::span<const double> weights, std::size_t samples, std::size_t outputs)
{
    if (weights.empty()) return WeightKind::none;
    for (double w : weights) require(std::isfinite(w) && w >= 0, "weights", "must be finite and >= 0");
    if (weights.size() == samples) return WeightKind::sample;
    require(weights.size() == samples * outputs, "weights",
            "must have one value per sample (" + count(samples) + ") or per sample and output (" +
                count(samples * outputs) + "), got " + count(weights.size()));
    return WeightKind::output;
}

double weight_of(std::span<const double> weights, WeightKind kind, std::size_t sample, std::size_t outputs,
                 std::size_t k)
{
    switch (kind) {
    case WeightKind::none: return 1.0;
    case WeightKind::sample: return weights[sample];
    case WeightKind::output: return weights[sample * outputs + k];
    }
    return 0;
}

void check_pair(const Sequences& a, const char* a_field, const Sequences& b, std::size_t warmup)
{
    a.check(a_field);
    b.check("targets");
    require(b.trials == a.trials && b.steps == a.steps, "targets",
            "must have the trials and steps of the " + std::string(a_field) + " (" + count(a.trials) + " x " +
                count(a.steps) + "), got " + count(b.trials) + " x " + count(b.steps));
    require(warmup < a.steps || a.steps == 0, "warmup",
            "must be smaller than the steps per trial (" + count(a.steps) + "), got " + count(warmup));
}
}  // namespace

void Sequences::check(const char* field) const
{
    require(values.size() == trials * steps * channels, field,
            "has " + count(values.size()) + " values, expected trials x steps x channels = " + count(trials) + " x " +
                count(steps) + " x " + count(channels));
}

// --- options -------------------------------------------------------------------------------------

void RidgeOptions::validate() const
{
    require(std::isfinite(lambda) && lambda >= 0, "lambda", "must be finite and >= 0, got " + std::to_string(lambda));
}

void RlsOptions::validate() const
{
    require(std::isfinite(alpha) && alpha > 0, "alpha", "must be finite and > 0, got " + std::to_string(alpha));
}

// --- linear readout ------------------------------------------------------------------------------

Eigen::MatrixXd LinearReadout::predict(const Eigen::MatrixXd& X) const
{
    require(static_cast<std::size_t>(X.rows()) == features(), "features",
            "must have " + count(features()) + " rows, got " + count(static_cast<std::size_t>(X.rows())));
    return (weights * X).colwise() + bias;
}

std::vector<double> LinearReadout::predict(const Sequences& features_in) const
{
    features_in.check("features");
    require(features_in.channels == features(), "features",
            "must have " + count(features()) + " channels, got " + count(features_in.channels));
    const auto n = static_cast<Eigen::Index>(features_in.samples());
    const Eigen::Map<const Eigen::MatrixXd> X(features_in.values.data(), static_cast<Eigen::Index>(features()), n);
    std::vector<double> y(features_in.samples() * outputs());
    Eigen::Map<Eigen::MatrixXd>(y.data(), static_cast<Eigen::Index>(outputs()), n) = predict(Eigen::MatrixXd(X));
    return y;
}

void LinearReadout::save(h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    write_matrix(out, group + "/weights", weights);
    write_matrix(out, group + "/bias", bias);
}

LinearReadout LinearReadout::load(const h5::Reader& in, const std::string& group)
{
    const auto shape = in.shape(group + "/weights");
    if (shape.size() != 2) throw invalid_parameter(group + "/weights", "must be a matrix [outputs, features]");
    const auto o = static_cast<Eigen::Index>(shape[0]), f = static_cast<Eigen::Index>(shape[1]);
    return {read_matrix(in, group + "/weights", o, f), read_matrix(in, group + "/bias", o, 1)};
}

void LinearReadout::save(const std::filesystem::path& path) const
{
    h5::Writer out(path);
    out.set_attribute("/", "format", "neurode-linear-readout");
    out.set_attribute("/", "format_version", std::int64_t{1});
    save(out, "/readout");
    out.commit();
}

LinearReadout LinearReadout::load(const std::filesystem::path& path)
{
    const h5::Reader in(path);
    if (!in.exists("/readout") || in.string_attribute("/", "format") != "neurode-linear-readout")
        throw io_error(path.string(), "not a neurode readout file (format attribute 'neurode-linear-readout')");
    return load(in, "/readout");
}

// --- ridge ---------------------------------------------------------------------------------------

RidgeAccumulator::RidgeAccumulator(std::size_t features, std::size_t outputs, RidgeOptions options)
    : options_(options), features_(features), outputs_(outputs)
{
    options_.validate();
    require(features > 0, "features", "must be > 0");
    require(outputs > 0, "outputs", "must be > 0");
}

void RidgeAccumulator::add(const Sequences& features, const Sequences& targets, std::span<const double> weights)
{
    check_pair(features, "features", targets, options_.warmup);
    require(features.channels == features_, "features",
            "must have " + count(features_) + " channels, got " + count(features.channels));
    require(targets.channels == outputs_, "targets",
            "must have " + count(outputs_) + " channels, got " + count(targets.channels));
    const WeightKind kind = check_weights(weights, features.samples(), outputs_);
    const bool per_output = kind == WeightKind::output && outputs_ > 1;
    if (groups_.empty()) {
        per_output_ = per_output;
        const std::size_t covered = per_output_ ? 1 : outputs_;
        const auto f = static_cast<Eigen::Index>(features_), c = static_cast<Eigen::Index>(covered);
        groups_.assign(per_output_ ? outputs_ : 1,
                       Moments{0, Eigen::VectorXd::Zero(f), Eigen::VectorXd::Zero(c), Eigen::MatrixXd::Zero(f, f),
                               Eigen::MatrixXd::Zero(c, f)});
    }
    require(per_output == per_output_, "weights",
            "must keep one layout across batches (per sample or per sample and output)");

    // The samples after warm-up as columns.
    const std::size_t kept_steps = features.steps - options_.warmup;
    const std::size_t n = features.trials * kept_steps;
    Eigen::MatrixXd X(static_cast<Eigen::Index>(features_), static_cast<Eigen::Index>(n));
    Eigen::MatrixXd Y(static_cast<Eigen::Index>(outputs_), static_cast<Eigen::Index>(n));
    std::vector<std::size_t> index(n);
    for (std::size_t trial = 0, col = 0; trial < features.trials; ++trial)
        for (std::size_t step = options_.warmup; step < features.steps; ++step, ++col) {
            X.col(static_cast<Eigen::Index>(col)) = features.sample(trial, step);
            Y.col(static_cast<Eigen::Index>(col)) = targets.sample(trial, step);
            index[col] = trial * features.steps + step;
        }

    std::vector<bool> used(n, false);
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        Eigen::VectorXd w(static_cast<Eigen::Index>(n));
        for (std::size_t col = 0; col < n; ++col) {
            w(static_cast<Eigen::Index>(col)) = weight_of(weights, kind, index[col], outputs_, per_output_ ? g : 0);
            if (w(static_cast<Eigen::Index>(col)) > 0) used[col] = true;
        }
        const double wb = w.sum();
        if (wb == 0) continue;
        const Eigen::MatrixXd Yg = per_output_ ? Eigen::MatrixXd(Y.row(static_cast<Eigen::Index>(g))) : Y;
        const Eigen::VectorXd xb = X * w / wb, yb = Yg * w / wb;
        const Eigen::RowVectorXd sw = w.cwiseSqrt().transpose();
        const Eigen::MatrixXd Xs = (X.colwise() - xb).array().rowwise() * sw.array();
        const Eigen::MatrixXd Ys = (Yg.colwise() - yb).array().rowwise() * sw.array();

        // Chan et al.: merge the batch's centred moments into the running ones.
        Moments& m = groups_[g];
        const double total = m.weight + wb;
        const double cross = m.weight * wb / total;
        const Eigen::VectorXd dx = xb - m.xbar, dy = yb - m.ybar;
        m.cxx.noalias() += Xs * Xs.transpose();
        m.cxx.noalias() += cross * dx * dx.transpose();
        m.cyx.noalias() += Ys * Xs.transpose();
        m.cyx.noalias() += cross * dy * dx.transpose();
        m.xbar += dx * (wb / total);
        m.ybar += dy * (wb / total);
        m.weight = total;
    }
    for (bool u : used) samples_ += u ? 1 : 0;
}

LinearReadout RidgeAccumulator::solve() const
{
    if (samples_ == 0) throw runtime_error("ridge readout: no samples with weight > 0 after warm-up");
    const auto f = static_cast<Eigen::Index>(features_), o = static_cast<Eigen::Index>(outputs_);
    LinearReadout r{Eigen::MatrixXd::Zero(o, f), Eigen::VectorXd::Zero(o)};
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        const Moments& m = groups_[g];
        if (m.weight == 0) continue;  // an output never weighted keeps W = 0, b = 0
        Eigen::MatrixXd A = m.cxx;
        Eigen::MatrixXd B = m.cyx;
        if (!options_.bias) {  // back to raw sums: the fit goes through the origin
            A.noalias() += m.weight * m.xbar * m.xbar.transpose();
            B.noalias() += m.weight * m.ybar * m.xbar.transpose();
        }
        A.diagonal().array() += options_.lambda;
        const Eigen::LDLT<Eigen::MatrixXd> ldlt(A);
        // LDLT's solve quietly skips zero pivots, so singularity is read off the pivots themselves.
        const Eigen::VectorXd d = ldlt.vectorD().cwiseAbs();
        if (ldlt.info() != Eigen::Success ||
            !(d.minCoeff() > d.maxCoeff() * static_cast<double>(f) * std::numeric_limits<double>::epsilon()))
            throw runtime_error("ridge readout: the feature covariance (plus lambda I) is singular or nearly so; "
                                "increase lambda");
        const Eigen::MatrixXd Wt = ldlt.solve(B.transpose());
        const Eigen::VectorXd b = options_.bias ? Eigen::VectorXd(m.ybar - Wt.transpose() * m.xbar)
                                                : Eigen::VectorXd::Zero(m.ybar.size());
        if (per_output_) {
            r.weights.row(static_cast<Eigen::Index>(g)) = Wt.transpose();
            r.bias(static_cast<Eigen::Index>(g)) = b(0);
        } else {
            r.weights = Wt.transpose();
            r.bias = b;
        }
    }
    return r;
}

void RidgeAccumulator::save(h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    out.set_attribute(group, "lambda", options_.lambda);
    out.set_attribute(group, "warmup", static_cast<std::int64_t>(options_.warmup));
    out.set_attribute(group, "bias", std::int64_t{options_.bias});
    out.set_attribute(group, "samples", static_cast<std::int64_t>(samples_));
    out.set_attribute(group, "per_output", std::int64_t{per_output_});
    out.set_attribute(group, "groups", static_cast<std::int64_t>(groups_.size()));
    for (std::size_t g = 0; g < groups_.size(); ++g) {
        const std::string p = group + "/" + count(g);
        out.create_group(p);
        out.set_attribute(p, "weight", groups_[g].weight);
        write_matrix(out, p + "/xbar", groups_[g].xbar);
        write_matrix(out, p + "/ybar", groups_[g].ybar);
        write_matrix(out, p + "/cxx", groups_[g].cxx);
        write_matrix(out, p + "/cyx", groups_[g].cyx);
    }
}

void RidgeAccumulator::load(const h5::Reader& in, const std::string& group)
{
    RidgeOptions o;
    o.lambda = in.double_attribute(group, "lambda");
    o.warmup = static_cast<std::size_t>(in.int_attribute(group, "warmup"));
    o.bias = in.int_attribute(group, "bias") != 0;
    o.validate();
    if (o.lambda != options_.lambda || o.warmup != options_.warmup || o.bias != options_.bias)
        throw invalid_parameter(group, "was saved with other ridge options");
    const bool per_output = in.int_attribute(group, "per_output") != 0;
    const auto count_groups = static_cast<std::size_t>(in.int_attribute(group, "groups"));
    const std::size_t covered = per_output ? 1 : outputs_;
    const auto f = static_cast<Eigen::Index>(features_), c = static_cast<Eigen::Index>(covered);
    std::vector<Moments> groups(count_groups);
    for (std::size_t g = 0; g < count_groups; ++g) {
        const std::string p = group + "/" + count(g);
        groups[g].weight = in.double_attribute(p, "weight");
        groups[g].xbar = read_matrix(in, p + "/xbar", f, 1);
        groups[g].ybar = read_matrix(in, p + "/ybar", c, 1);
        groups[g].cxx = read_matrix(in, p + "/cxx", f, f);
        groups[g].cyx = read_matrix(in, p + "/cyx", c, f);
    }
    samples_ = static_cast<std::size_t>(in.int_attribute(group, "samples"));
    per_output_ = per_output;
    groups_ = std::move(groups);
}

RidgeFit fit_ridge(const Sequences& features, const Sequences& targets, const RidgeOptions& options,
                   std::span<const double> weights)
{
    RidgeAccumulator acc(features.channels, targets.channels, options);
    acc.add(features, targets, weights);
    RidgeFit fit{acc.solve(), {}};
    const std::vector<double> y = fit.readout.predict(features);
    const Sequences predicted{y, targets.trials, targets.steps, targets.channels};
    fit.summary.samples = acc.samples();
    fit.summary.r2 = r2(predicted, targets, weights, options.warmup);
    const WeightKind kind = check_weights(weights, targets.samples(), targets.channels);
    double sum = 0, wsum = 0;
    for (std::size_t trial = 0; trial < targets.trials; ++trial)
        for (std::size_t step = options.warmup; step < targets.steps; ++step) {
            const std::size_t s = trial * targets.steps + step;
            for (std::size_t k = 0; k < targets.channels; ++k) {
                const double w = weight_of(weights, kind, s, targets.channels, k);
                const double d = y[s * targets.channels + k] - targets.values[s * targets.channels + k];
                sum += w * d * d;
                wsum += w;
            }
        }
    fit.summary.mse = sum / wsum;
    return fit;
}

// --- scores --------------------------------------------------------------------------------------

double r2(const Sequences& predictions, const Sequences& targets, std::span<const double> weights, std::size_t warmup)
{
    check_pair(predictions, "predictions", targets, warmup);
    require(predictions.channels == targets.channels, "targets", "must have the channels of the predictions");
    const std::size_t o = targets.channels;
    const WeightKind kind = check_weights(weights, targets.samples(), o);
    double total = 0;
    std::size_t channels = 0;
    for (std::size_t k = 0; k < o; ++k) {
        double wsum = 0, mean = 0;
        for (std::size_t trial = 0; trial < targets.trials; ++trial)
            for (std::size_t step = warmup; step < targets.steps; ++step) {
                const std::size_t s = trial * targets.steps + step;
                const double w = weight_of(weights, kind, s, o, k);
                wsum += w;
                mean += w * targets.values[s * o + k];
            }
        if (wsum == 0) continue;
        mean /= wsum;
        double ss_res = 0, ss_tot = 0;
        for (std::size_t trial = 0; trial < targets.trials; ++trial)
            for (std::size_t step = warmup; step < targets.steps; ++step) {
                const std::size_t s = trial * targets.steps + step;
                const double w = weight_of(weights, kind, s, o, k);
                const double y = targets.values[s * o + k];
                ss_res += w * (y - predictions.values[s * o + k]) * (y - predictions.values[s * o + k]);
                ss_tot += w * (y - mean) * (y - mean);
            }
        total += ss_tot > 0 ? 1.0 - ss_res / ss_tot : (ss_res == 0 ? 1.0 : 0.0);
        ++channels;
    }
    return channels > 0 ? total / static_cast<double>(channels) : std::numeric_limits<double>::quiet_NaN();
}

double accuracy(const Sequences& predictions, const Sequences& targets, std::span<const double> weights,
                std::size_t warmup)
{
    check_pair(predictions, "predictions", targets, warmup);
    require(predictions.channels == targets.channels, "targets", "must have the channels of the predictions");
    const std::size_t o = targets.channels;
    const WeightKind kind = check_weights(weights, targets.samples(), o);
    double correct = 0, wsum = 0;
    for (std::size_t trial = 0; trial < targets.trials; ++trial)
        for (std::size_t step = warmup; step < targets.steps; ++step) {
            const std::size_t s = trial * targets.steps + step;
            double w = 0;
            for (std::size_t k = 0; k < o; ++k) w += weight_of(weights, kind, s, o, k);
            w /= static_cast<double>(o);
            if (w == 0) continue;
            const auto p = predictions.sample(trial, step);
            const auto y = targets.sample(trial, step);
            bool right;
            if (o == 1) {
                const double sp = (p(0) > 0) - (p(0) < 0), sy = (y(0) > 0) - (y(0) < 0);
                right = sp == sy;
            } else {
                Eigen::Index ip, iy;
                p.maxCoeff(&ip);
                y.maxCoeff(&iy);
                right = ip == iy;
            }
            correct += right ? w : 0.0;
            wsum += w;
        }
    return wsum > 0 ? correct / wsum : std::numeric_limits<double>::quiet_NaN();
}

// --- recursive least squares ---------------------------------------------------------------------

RlsReadout::RlsReadout(std::size_t features, std::size_t outputs, RlsOptions options) : options_(options)
{
    options_.validate();
    require(features > 0, "features", "must be > 0");
    require(outputs > 0, "outputs", "must be > 0");
    const auto f = static_cast<Eigen::Index>(features);
    weights_ = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(outputs), f);
    p_ = Eigen::MatrixXd::Identity(f, f) / options_.alpha;
    k_.resize(f);
}

Eigen::VectorXd RlsReadout::update(const Eigen::VectorXd& r, const Eigen::VectorXd& y, double w)
{
    require(y.size() == weights_.rows(), "targets", "must have one value per output");
    require(r.size() == weights_.cols(), "features", "must have one value per feature");
    Eigen::VectorXd e = weights_ * r - y;
    update_with_error(r, e, w);
    return e;
}

void RlsReadout::update_with_error(const Eigen::VectorXd& r, const Eigen::VectorXd& e, double w)
{
    require(r.size() == weights_.cols(), "features", "must have one value per feature");
    require(e.size() == weights_.rows(), "error", "must have one value per output");
    require(std::isfinite(w) && w >= 0, "weight", "must be finite and >= 0");
    if (w == 0) return;
    // Only the lower triangle of P is stored and updated: symmetric by construction, half the work.
    k_.noalias() = p_.selfadjointView<Eigen::Lower>() * r;
    const double c = 1.0 / (1.0 / w + r.dot(k_));
    p_.selfadjointView<Eigen::Lower>().rankUpdate(k_, -c);
    weights_.noalias() -= (c * e) * k_.transpose();
    ++updates_;
}

double RlsReadout::train(const Sequences& features, const Sequences& targets, std::span<const double> weights,
                         std::size_t warmup)
{
    check_pair(features, "features", targets, warmup);
    require(features.channels == this->features(), "features", "must have " + count(this->features()) + " channels");
    require(targets.channels == outputs(), "targets", "must have " + count(outputs()) + " channels");
    const WeightKind kind = check_weights(weights, features.samples(), outputs());
    require(kind != WeightKind::output || outputs() == 1, "weights",
            "must have one value per sample: RLS shares P between outputs");
    double sum = 0, wsum = 0;
    for (std::size_t trial = 0; trial < features.trials; ++trial)
        for (std::size_t step = warmup; step < features.steps; ++step) {
            const double w = weight_of(weights, kind, trial * features.steps + step, 1, 0);
            if (w == 0) continue;
            const Eigen::VectorXd e = update(features.sample(trial, step), targets.sample(trial, step), w);
            sum += w * e.squaredNorm();
            wsum += w * static_cast<double>(outputs());
        }
    return wsum > 0 ? sum / wsum : 0.0;
}

std::vector<double> RlsReadout::predict(const Sequences& features_in) const
{
    return LinearReadout{weights_, Eigen::VectorXd::Zero(weights_.rows())}.predict(features_in);
}

Eigen::MatrixXd RlsReadout::P() const { return p_.selfadjointView<Eigen::Lower>(); }

void RlsReadout::save(h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    out.set_attribute(group, "alpha", options_.alpha);
    out.set_attribute(group, "updates", static_cast<std::int64_t>(updates_));
    write_matrix(out, group + "/weights", weights_);
    write_matrix(out, group + "/P", P());
}

void RlsReadout::load(const h5::Reader& in, const std::string& group)
{
    RlsOptions o;
    o.alpha = in.double_attribute(group, "alpha");
    o.validate();
    weights_ = read_matrix(in, group + "/weights", weights_.rows(), weights_.cols());
    p_ = read_matrix(in, group + "/P", p_.rows(), p_.cols());
    updates_ = static_cast<std::size_t>(in.int_attribute(group, "updates"));
    options_ = o;
}

}  // namespace neurode::sim
