#pragma once
// Low-dimensional embeddings of distance matrices (many networks compared pairwise) and how well
// labelled groups separate in them: classical MDS, SMACOF (metric, as scikit-learn's smacof, and
// non-metric with isotonic disparities), and the silhouette score.

#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace neurode::analysis {

// Classical (Torgerson) MDS: the top `dimensions` eigenvectors of -1/2 J D^2 J scaled by the
// square roots of their eigenvalues (negative eigenvalues clipped to 0). Rows: points.
Eigen::MatrixXd classical_mds(const Eigen::MatrixXd& distances, int dimensions = 2);

struct SmacofOptions {
    int dimensions = 2;
    bool metric = true;            // false: non-metric (disparities by isotonic regression)
    int starts = 4;                // random starts (scikit-learn's n_init), the best stress kept
    int max_iterations = 300;
    double tolerance = 1e-3;       // relative stress decrease, scikit-learn's eps
    std::uint64_t seed = 1;        // the random starts: U(0, 1) coordinates
    void validate() const;         // names the field
};

struct Embedding {
    Eigen::MatrixXd points;        // n x dimensions
    double stress = 0;             // sum over pairs i < j of (d_ij(X) - disparity_ij)^2
    int iterations = 0;            // of the start kept
};

// SMACOF (Borg & Groenen; de Leeuw's Guttman transform), scikit-learn's iteration and stopping
// rule; with `init` (n x dimensions) one start from there instead of random starts.
Embedding smacof(const Eigen::MatrixXd& distances, const SmacofOptions& options = {},
                 const Eigen::MatrixXd& init = Eigen::MatrixXd());

// Mean silhouette (Rousseeuw 1987) of labelled points: s = (b - a) / max(a, b) with a the mean
// distance to the own cluster, b to the nearest other; 0 for members of singleton clusters.
// From a distance matrix, or from points (rows) with Euclidean distances.
double silhouette_score(const Eigen::MatrixXd& distances, const std::vector<int>& labels);
double silhouette_score_points(const Eigen::MatrixXd& points, const std::vector<int>& labels);

// Euclidean distances between the rows of `points`.
Eigen::MatrixXd pairwise_euclidean(const Eigen::MatrixXd& points);

}  // namespace neurode::analysis
