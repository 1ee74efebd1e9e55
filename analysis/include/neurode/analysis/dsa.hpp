#pragma once
// Dynamical Similarity Analysis (Ostrow, Eisen, Kozachkov & Fiete 2023): two systems are alike when
// their linear dynamics in delay-embedded coordinates agree up to an orthogonal change of basis.
//
// 1. Delay (Hankel) embedding. Per trial, row t holds [x_{t+(d-1)tau}, ..., x_{t+tau}, x_t] (d =
//    n_delays, tau = delay_interval, latest first); the trials' rows are stacked into H
//    ((trials * (steps - (d-1) tau)) x (units * d)).
// 2. Reduced-rank DMD (HAVOK-style, as the reference mitchellostrow/DSA computes it): H = V S W^T;
//    keep the first r columns V_r of V (r chosen by count, singular-value threshold or explained
//    variance); within each trial regress the next row of V_r on the current one with a ridge:
//        A = ((V_-^T V_- + lambda I)^-1 V_-^T V_+)^T      (r x r; v_{t+1} ~ A v_t).
//    A is defined up to the signs of the singular vectors, D A D (D diagonal +-1), which the
//    comparison below does not see. Everything is in double precision (the reference builds H in
//    float32, which moves the entries of its A by up to ~2e-5 on its stored case).
// 3. Comparison of two operators A, B (each scaled to unit Frobenius norm):
//        d(A, B) = min over orthogonal C (det +1 and det -1) of the angle
//                  arccos <A, C B C^T>_F  in [0, pi],
//    evaluated as 2 asin(|A - C B C^T|_F / 2), which is the same number but stays accurate near 0.
//    Equivalently minimise f(C) = -tr(A^T C B C^T) on the orthogonal group O(n).
//
// How the minimum is found (compare_operators). Points are written C exp(Omega), Omega skew, so the
// gradient and Hessian live in the Lie algebra: with A' = C^T A C,
//        grad f = -skew(A' B^T - B^T A'),
//        Hess f [Omega] = 1/2 skew(Omega S + S Omega - 2 B Omega A'^T - 2 A'^T Omega B),  S = B A'^T + A'^T B,
//    (skew(M) = (M - M^T)/2), and steps are taken with the Cayley retraction
//    C <- C (I - Omega/2)^-1 (I + Omega/2), which agrees with exp to second order and stays orthogonal.
//    From each start: Riemannian L-BFGS (left-trivialised; its initial inverse Hessian is the
//    Hessian's diagonal, floored and scaled; Armijo backtracking), and after every 100 of its steps a
//    Newton attempt with the exact Hessian: Newton takes over once the Hessian is positive definite
//    (or the lbfgs_iterations budget is spent), damped Levenberg-Marquardt style where needed (a
//    trust region in disguise: (H + mu I) eta = -g, mu adapted to the ratio of actual to predicted
//    decrease), solved by Cholesky while n(n-1)/2 <= dense_hessian_limit and by conjugate gradients
//    on Hessian-vector products above. Newton converges quadratically where L-BFGS would crawl (at
//    the minima for the reference's DMD operators the Hessian's condition number is 1e4 to 1e5).
//    Starts, in this order, best kept: (1) the eigenbases of the symmetric parts of A and B matched in
//    order, C0 = U_A D U_B^T, with the signs D chosen to maximise tr(A^T C0 B C0^T) (a +-1 quadratic
//    problem: leading eigenvector's signs, then single flips while they help); exact when B is an
//    orthogonal conjugate of A whose symmetric part has distinct eigenvalues; (2) the same with the
//    other determinant (the least harmful sign flipped); (3) the identity; (4) random_starts
//    Haar-random orthogonal matrices from the seed, alternating det +1 and det -1. A start that ends
//    below zero_angle has found the global minimum and ends the search.
//
// The reference implementation (Adam on a Cayley parameterisation of SO(n), 1500 iterations, twice)
// returns the last iterate of one start; on its own conjugacy test it stops at 0.07-0.2 rad where
// this search reaches 1e-15 to 1e-13 (and 1e-12 to 3e-10 from random starts alone).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <neurode/analysis/activity.hpp>

namespace neurode::analysis {

// How many singular components of the Hankel matrix the DMD keeps.
enum class RankRule {
    count,               // DmdOptions::rank
    threshold,           // those with singular value > DmdOptions::singular_value_threshold
    explained_variance,  // the fewest whose share of sum(s^2) reaches DmdOptions::explained_variance
                         // (the reference's argmax rule keeps one fewer)
};

struct DmdOptions {
    std::size_t n_delays = 1;                // copies of the activity in the embedding (1: none)
    std::size_t delay_interval = 1;          // [time points] between consecutive copies; >= 1
    RankRule rank_rule = RankRule::count;
    std::size_t rank = 10;                   // RankRule::count: >= 1, at most units * n_delays
    double singular_value_threshold = 0.0;   // RankRule::threshold: > 0 [activity unit]
    double explained_variance = 0.99;        // RankRule::explained_variance: in (0, 1]
    double ridge = 1e-8;                     // lambda of the regression; >= 0
    void validate() const;                   // throws invalid_parameter naming the field
};

// The stacked delay embedding H (see the top of this file). Throws invalid_parameter naming
// `argument` + ".steps" when a trial has fewer than (n_delays - 1) delay_interval + 1 time points.
Eigen::MatrixXd delay_embedding(const Activity& activity, std::size_t n_delays, std::size_t delay_interval,
                                std::string_view argument = "activity");

struct DmdModel {
    Eigen::MatrixXd A;                  // rank x rank: v_{t+1} ~ A v_t in the Hankel singular coordinates
    Eigen::VectorXd singular_values;    // of H, all, descending
    std::size_t rank = 0;
    std::size_t embedding_dimension = 0;  // units * n_delays
    std::size_t trials = 0;
    std::size_t embedded_steps = 0;     // rows of H per trial: steps - (n_delays - 1) delay_interval
    double wall_seconds = 0;            // [s]
};

// Validates the activity (errors name `argument`) and the options; the embedding needs at least two
// rows per trial and the rank at most min(embedding dimension, rows of H) with a nonzero singular
// value (invalid_parameter "rank" otherwise).
DmdModel fit_dmd(const Activity& activity, const DmdOptions& options = {}, std::string_view argument = "activity");

struct SimilarityOptions {
    bool structured_starts = true;        // starts (1)-(3) above; false: random starts only
    std::size_t random_starts = 4;        // Haar-random starts besides the structured ones
    std::uint64_t seed = 0;               // of the random starts
    bool reflections = true;              // search O(n) (det +1 and -1); false: SO(n) only
    std::size_t lbfgs_iterations = 400;   // per start, at most (Newton is tried every 100)
    std::size_t lbfgs_memory = 10;        // curvature pairs kept; >= 1
    std::size_t newton_iterations = 100;  // per start
    double gradient_tolerance = 1e-10;    // on |grad f|_F for the unit-norm operators; > 0
    double zero_angle = 1e-9;             // [rad] a start ending below this is optimal: stop; >= 0
    std::size_t dense_hessian_limit = 1275;  // Newton by Cholesky while n(n-1)/2 <= this, else CG
    void validate() const;                // throws invalid_parameter naming the field
};

struct SimilarityResult {
    double angle = 0;                // [rad] d(A, B), in [0, pi]
    Eigen::MatrixXd C;               // the best orthogonal transform: A/|A| ~ C (B/|B|) C^T
    int determinant = 1;             // of C
    double gradient_norm = 0;        // |grad f|_F at C
    std::vector<double> start_angles;  // [rad] where each start ended, in start order
    std::size_t lbfgs_iterations = 0;  // summed over starts
    std::size_t newton_iterations = 0; // Newton attempts (one Hessian and one solve each: accepted,
                                       // rejected or deferred to L-BFGS), summed over starts
    double wall_seconds = 0;           // [s]
};

// Square operators of the same size, finite and nonzero (errors name "a" or "b").
SimilarityResult compare_operators(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const SimilarityOptions& options = {});

// The angle of a given orthogonal C: 2 asin(|A/|A| - C (B/|B|) C^T|_F / 2) [rad].
double transform_angle(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const Eigen::MatrixXd& c);

struct DsaOptions {
    DmdOptions dmd;
    SimilarityOptions similarity;  // pair k (DsaResult::pairs order) seeds its starts with draw k of Rng(similarity.seed)
    std::size_t threads = 1;       // 0: one per hardware thread; results do not depend on it
    void validate() const;         // throws invalid_parameter naming the field ("dmd.rank", ...)
};

struct DsaResult {
    Eigen::MatrixXd distances;     // [rad] symmetric, zero diagonal
    std::vector<DmdModel> models;  // one per input, fitted once
    std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (i, j), i < j, row-major
    std::vector<SimilarityResult> comparisons;                // per pair
    std::size_t lbfgs_iterations = 0, newton_iterations = 0;  // summed over pairs
    double fit_seconds = 0;        // [s] wall time of all DMD fits
    double compare_seconds = 0;    // [s] wall time of all comparisons
};

// Every pair of the activities, in parallel over threads; each DMD is fitted once. Errors name the
// activity ("activities[3].steps", ...); all operators must have the same size (with
// RankRule::count they do; otherwise invalid_parameter "activities[k]"). Activities may differ in
// unit count, trial count and length.
DsaResult dsa_pairwise(std::span<const Activity> activities, const DsaOptions& options = {});
// The same on fitted models (their A); errors name "models[k]".
DsaResult dsa_pairwise(std::span<const DmdModel> models, const DsaOptions& options = {});
// One pair: fits both models and compares them (errors name "a" or "b").
SimilarityResult dsa_distance(const Activity& a, const Activity& b, const DsaOptions& options = {});

}  // namespace neurode::analysis
