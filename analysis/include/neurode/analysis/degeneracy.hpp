#pragma once
// Solution degeneracy (Huang, Singh, Martinelli & Rajan) at the levels below dynamics (DSA is in
// dsa.hpp): weights (recurrent matrices compared after aligning units), feature learning
// (relative weight change, kernel alignment), and behaviour (spread of outputs); plus a generic
// pairwise distance matrix over many networks for any metric, in parallel.

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include <Eigen/Core>

#include <neurode/analysis/activity.hpp>

namespace neurode::analysis {

// |W_T - W_0|_F / |W_0|_F.
double relative_weight_change(const Eigen::MatrixXd& initial, const Eigen::MatrixXd& trained);

// Centred kernel alignment of the Gram matrices K = X X^T of two representations of the same
// samples (rows): <H K1 H, H K2 H>_F / (|H K1 H|_F |H K2 H|_F), H the centring matrix; 1 when the
// kernels agree up to scale. Used between a network's activity before and after training. For
// these linear kernels it is linear CKA (geometry.hpp), and its errors name "x" and "y".
double kernel_alignment(const Eigen::MatrixXd& x1, const Eigen::MatrixXd& x2);

// |W1 - P W2 P^T|_F / sqrt(|W1|_F |W2|_F) with P the unit permutation y_unit (W2's unit y_unit[i]
// plays W1's unit i), e.g. the matching permutation_distance() finds on the activity.
double aligned_weight_distance(const Eigen::MatrixXd& w1, const Eigen::MatrixXd& w2, const std::vector<std::size_t>& y_unit);

// Mean over pairs of networks of the RMS difference of their outputs on the same trials
// ([trials][steps][outputs] each, equal sizes): 0 when every network behaves identically.
double behavioural_spread(std::span<const std::vector<double>> outputs);

// D(i, j) = metric(activities[i], activities[j]) for i < j (symmetric, zero diagonal), pairs
// shared out over `threads` (0: one per hardware thread); identical for any thread count.
using ActivityMetric = std::function<double(const Activity&, const Activity&)>;
Eigen::MatrixXd pairwise_distances(std::span<const Activity> activities, const ActivityMetric& metric, std::size_t threads = 0);

}  // namespace neurode::analysis
