#include <neurode/rnn/adam.hpp>

#include <cmath>

#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

void AdamOptions::validate() const
{
    if (!(std::isfinite(learning_rate) && learning_rate > 0))
        throw invalid_parameter("learning_rate", "must be finite and > 0, got " + std::to_string(learning_rate));
    if (!(beta1 >= 0 && beta1 < 1)) throw invalid_parameter("beta1", "must be in [0, 1)");
    if (!(beta2 >= 0 && beta2 < 1)) throw invalid_parameter("beta2", "must be in [0, 1)");
    if (!(std::isfinite(epsilon) && epsilon > 0)) throw invalid_parameter("epsilon", "must be finite and > 0");
    if (!(std::isfinite(weight_decay) && weight_decay >= 0)) throw invalid_parameter("weight_decay", "must be finite and >= 0");
    if (!(std::isfinite(clip_norm) && clip_norm >= 0)) throw invalid_parameter("clip_norm", "must be finite and >= 0 (0: no clipping)");
}

Adam::Adam(AdamOptions options, const std::vector<Eigen::MatrixXd*>& parameters)
    : options_(options), parameters_(parameters)
{
    options_.validate();
    for (const Eigen::MatrixXd* p : parameters_) {
        m_.push_back(Eigen::MatrixXd::Zero(p->rows(), p->cols()));
        v_.push_back(Eigen::MatrixXd::Zero(p->rows(), p->cols()));
    }
}

void Adam::step(std::vector<Eigen::MatrixXd>& gradients)
{
    if (gradients.size() != parameters_.size())
        throw invalid_parameter("gradients", "must have one block per parameter (" + std::to_string(parameters_.size()) + ")");
    for (std::size_t i = 0; i < gradients.size(); ++i)
        if (gradients[i].rows() != parameters_[i]->rows() || gradients[i].cols() != parameters_[i]->cols())
            throw invalid_parameter("gradients[" + std::to_string(i) + "]", "must have its parameter's shape");
    if (options_.clip_norm > 0) {
        double squared = 0;
        for (const auto& g : gradients) squared += g.squaredNorm();
        const double norm = std::sqrt(squared);
        if (norm > options_.clip_norm)
            for (auto& g : gradients) g *= options_.clip_norm / (norm + 1e-6);  // torch's clip_grad_norm_
    }
    ++t_;
    const double c1 = 1 - std::pow(options_.beta1, static_cast<double>(t_));
    const double c2 = 1 - std::pow(options_.beta2, static_cast<double>(t_));
    for (std::size_t i = 0; i < gradients.size(); ++i) {
        Eigen::MatrixXd& p = *parameters_[i];
        Eigen::MatrixXd& g = gradients[i];
        if (options_.weight_decay > 0) g += options_.weight_decay * p;
        m_[i] = options_.beta1 * m_[i] + (1 - options_.beta1) * g;
        v_[i] = options_.beta2 * v_[i] + (1 - options_.beta2) * g.cwiseAbs2();
        p.array() -= options_.learning_rate * (m_[i].array() / c1) / ((v_[i].array() / c2).sqrt() + options_.epsilon);
    }
}

namespace {
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}

void Adam::save(sim::h5::Writer& out, const std::string& group) const
{
    out.create_group(group);
    out.set_attribute(group, "steps", static_cast<std::int64_t>(t_));
    for (std::size_t i = 0; i < m_.size(); ++i) {
        const RowMajor m = m_[i], v = v_[i];
        const std::vector<std::size_t> shape{static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols())};
        out.write(group + "/m" + std::to_string(i), std::span<const double>(m.data(), static_cast<std::size_t>(m.size())), shape);
        out.write(group + "/v" + std::to_string(i), std::span<const double>(v.data(), static_cast<std::size_t>(v.size())), shape);
    }
}

void Adam::load(const sim::h5::Reader& in, const std::string& group)
{
    t_ = static_cast<long>(in.int_attribute(group, "steps"));
    for (std::size_t i = 0; i < m_.size(); ++i) {
        const auto m = in.read_doubles(group + "/m" + std::to_string(i));
        const auto v = in.read_doubles(group + "/v" + std::to_string(i));
        if (m.size() != static_cast<std::size_t>(m_[i].size()) || v.size() != m.size())
            throw io_error(group, "Adam moment " + std::to_string(i) + " has the wrong size");
        m_[i] = Eigen::Map<const RowMajor>(m.data(), m_[i].rows(), m_[i].cols());
        v_[i] = Eigen::Map<const RowMajor>(v.data(), v_[i].rows(), v_[i].cols());
    }
}

}  // namespace neurode::rnn
