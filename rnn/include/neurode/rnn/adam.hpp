#pragma once
// Adam (Kingma & Ba 2015) as PyTorch's torch.optim.Adam implements it (bias-corrected moments,
// eps added to the corrected second-moment root, L2 weight decay added to the gradient), over a
// list of parameter blocks, plus global-norm gradient clipping (torch.nn.utils.clip_grad_norm_).

#include <string>
#include <vector>

#include <Eigen/Core>

#include <neurode/sim/hdf5.hpp>

namespace neurode::rnn {

struct AdamOptions {
    double learning_rate = 1e-3;
    double beta1 = 0.9, beta2 = 0.999;
    double epsilon = 1e-8;
    double weight_decay = 0.0;   // L2 coefficient added to the gradient (torch's weight_decay)
    double clip_norm = 0.0;      // > 0: scale all gradients so their joint 2-norm is at most this

    void validate() const;  // throws invalid_parameter naming the field
};

class Adam {
public:
    // One moment pair per parameter block, shaped like the blocks.
    Adam(AdamOptions options, const std::vector<Eigen::MatrixXd*>& parameters);

    // parameters[i] -= step(gradients[i]); the gradients may be clipped in place.
    void step(std::vector<Eigen::MatrixXd>& gradients);
    long steps_taken() const { return t_; }

    void save(sim::h5::Writer& out, const std::string& group) const;
    void load(const sim::h5::Reader& in, const std::string& group);

private:
    AdamOptions options_;
    std::vector<Eigen::MatrixXd*> parameters_;
    std::vector<Eigen::MatrixXd> m_, v_;
    long t_ = 0;
};

}  // namespace neurode::rnn
