#pragma once
// Representational geometry: PCA, and the similarity measures that compare two populations'
// responses to the same samples (time points of the same trials), each on sample matrices (rows =
// samples, columns = units; the two matrices may have different widths) or on Activity (samples
// = trials x steps, trial-major; the two must have the same trials and steps).
//
//   PCA        centre; thin SVD X = U S V^T; components = columns of V, each signed so that its entry
//              of largest magnitude is positive; explained variance s^2 / (n - 1).
//   CCA        centre; orthonormal bases Qx, Qy of the column spaces (thin SVD, rank-revealing);
//              canonical correlations = singular values of Qx^T Qy (Bjorck & Golub 1973), so no
//              covariance matrix is ever inverted.
//   SVCCA      (Raghu et al. 2017) centre; keep each matrix's top singular directions explaining a
//              fraction of the variance (McMahan et al. 2021: 0.95); CCA between the kept
//              directions; similarity = mean canonical correlation, distance = 1 - similarity.
//   linear CKA (Kornblith et al. 2019) on centred data: |Y^T X|_F^2 / (|X^T X|_F |Y^T Y|_F) in [0, 1];
//              arccos(CKA) is a metric (Williams et al. 2021).
//   shape      (Williams et al. 2021; ahwillia/netrep LinearMetric) centre; partial whitening
//              X -> X Z(alpha), Z = V diag(alpha + (1 - alpha) lambda^-1/2) V^T from X^T X = V diag(lambda) V^T;
//              distance = arccos(|Xw^T Yw|_* / (|Xw|_F |Yw|_F)) in [0, pi/2], the angle between the
//              matrices after the best rotation (alpha = 1: Procrustes, rotations only; alpha = 0:
//              CCA-like, any invertible map; cos d = sum of canonical correlations / sqrt(px py)).
//              netrep zero-pads the narrower matrix to equal width first; padded columns add
//              nothing to |Xw^T Yw|_* or to the norms, so neurode whitens the unpadded matrices.
//              Invariant to rotations (either determinant) and translations for every alpha, to
//              isotropic scaling only at alpha = 0 and 1: in between, as in netrep, the whitening
//              mixes X with (X^T X)^-1/2 and so depends on the data's overall scale.
//   permutation (netrep PermutationMetric) centre; zero-pad; the one-to-one matching of units that
//              maximises tr(X^T Y P) (linear assignment); distance = arccos of the normalised
//              inner product after permuting, in [0, pi].
//
// Errors (invalid_parameter) name the argument: "x", "y" (or "x.values", "y.trials", ... for
// Activity): non-finite values, mismatched sample counts, too few samples, no variance.

#include <cstddef>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include <neurode/analysis/activity.hpp>

namespace neurode::analysis {

// ---- PCA ---------------------------------------------------------------------------------------

struct PcaOptions {
    std::size_t components = 0;  // number kept; 0: all, min(samples, units)
};

struct Pca {
    Eigen::VectorXd mean;                      // [units] subtracted before projecting
    Eigen::MatrixXd components;                // units x k, orthonormal columns by decreasing variance
    Eigen::VectorXd explained_variance;        // [k] variance along each component (denominator n - 1)
    Eigen::VectorXd explained_variance_ratio;  // [k] fraction of the total variance (of all components)
    Eigen::MatrixXd projections;               // samples x k: (x - mean) components

    // Projects other samples (rows, same units) onto the components.
    Eigen::MatrixXd transform(const Eigen::MatrixXd& x) const;
};

// Requires at least 2 samples.
Pca pca(const Eigen::MatrixXd& x, const PcaOptions& options = {});
Pca pca(const Activity& x, const PcaOptions& options = {});

// ---- CCA and SVCCA -----------------------------------------------------------------------------

struct CcaOptions {
    // Singular values of a centred matrix below rank_tolerance * (largest) are treated as zero
    // (collinear units); 0: max(samples, units) * machine epsilon, numpy's matrix_rank default.
    double rank_tolerance = 0;
    void validate() const;
};

struct Cca {
    Eigen::VectorXd correlations;  // [min(rank x, rank y)] canonical correlations, decreasing, in [0, 1]
    Eigen::VectorXd x_mean, y_mean;
    // units x k: the canonical variates (x - x_mean) x_weights have unit variance (denominator
    // n - 1), are uncorrelated, and variate i of x correlates with variate i of y by correlations[i].
    Eigen::MatrixXd x_weights, y_weights;
};

// Requires more samples than units in each.
Cca cca(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const CcaOptions& options = {});
Cca cca(const Activity& x, const Activity& y, const CcaOptions& options = {});

struct SvccaOptions {
    // Each side keeps its k top singular directions, k the smallest with
    // s_1^2 + ... + s_k^2 >= variance_fraction * sum s_i^2; in (0, 1].
    double variance_fraction = 0.95;
    CcaOptions cca;
    void validate() const;
};

struct Svcca {
    std::size_t x_dimensions = 0, y_dimensions = 0;  // singular directions kept
    Eigen::VectorXd correlations;                     // [min(x_dimensions, y_dimensions)]
    double similarity = 0;                            // mean canonical correlation
    double distance = 0;                              // 1 - similarity
};

// Requires more samples than units in each.
Svcca svcca(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const SvccaOptions& options = {});
Svcca svcca(const Activity& x, const Activity& y, const SvccaOptions& options = {});

// ---- CKA ---------------------------------------------------------------------------------------

// Linear CKA in [0, 1] (1: equal up to rotation and isotropic scaling).
double linear_cka(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);
double linear_cka(const Activity& x, const Activity& y);
// arccos(linear CKA) in [0, pi/2], a metric.
double cka_angular_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);
double cka_angular_distance(const Activity& x, const Activity& y);

// ---- Shape metrics -----------------------------------------------------------------------------

struct ShapeMetricOptions {
    double alpha = 1.0;  // in [0, 1]: 1 rotations only (Procrustes), 0 any invertible map (CCA-like)
    // Eigenvalues of X^T X are clipped from below at eigenvalue_floor * (largest eigenvalue)
    // before whitening (netrep clips at an absolute 1e-7, which is not scale invariant; the two
    // agree whenever every eigenvalue is above both). In (0, 1).
    double eigenvalue_floor = 1e-10;
    void validate() const;
};

// Angular shape distance in [0, pi/2].
double shape_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const ShapeMetricOptions& options = {});
double shape_distance(const Activity& x, const Activity& y, const ShapeMetricOptions& options = {});
// The Procrustes distance: shape_distance with alpha = 1.
double procrustes_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);
double procrustes_distance(const Activity& x, const Activity& y);

// ---- Permutation metric and linear assignment --------------------------------------------------

inline constexpr std::size_t unassigned = std::numeric_limits<std::size_t>::max();

enum class Objective { minimise, maximise };

struct Assignment {
    std::vector<std::size_t> column;  // per row: its column, or `unassigned` (more rows than columns)
    double total = 0;                 // sum of the chosen entries
};

// The one-to-one matching of rows to columns with the least (or greatest) total: the Hungarian
// method in its shortest-augmenting-path form (Kuhn 1955; Jonker & Volgenant 1987), O(r^2 c) for
// r = min(rows, columns), c = max. Rectangular matrices match every row (or every column, if there
// are fewer columns). Entries must be finite.
Assignment linear_assignment(const Eigen::MatrixXd& cost, Objective objective = Objective::minimise);

struct PermutationMatch {
    double distance = 0;                // angular, in [0, pi]
    std::vector<std::size_t> y_unit;    // per unit of x: the unit of y it is matched with, or `unassigned`
};

PermutationMatch permutation_distance(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);
PermutationMatch permutation_distance(const Activity& x, const Activity& y);

}  // namespace neurode::analysis
