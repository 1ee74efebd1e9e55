#pragma once
// A sweep's results gathered from its point records: one row per point, the tables of
// docs/sweeps.md (training and performance per task and heterogeneity level, network-to-network
// variability per task, robustness per perturbation kind and level) and summary.h5, the file
// scripts/plot_sweep.py draws from.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sweep/description.hpp"

namespace neurode::app::sweep {

struct PointRow {
    std::size_t index = 0;
    PointSettings settings;
    bool reached = false;
    std::size_t trials_to_criterion = 0, trials_seen = 0;
    double final_validation = 0, accuracy = 0, seconds = 0;
    // Per perturbation kind, values over levels P0..max_level.
    std::map<std::string, std::vector<double>> perturbed_accuracy, cka_distance, shape_distance;
};

struct SweepResults {
    std::vector<PointRow> rows;  // complete records, in index order
    std::size_t points = 0;      // in the plan
};

SweepResults collect_results(const SweepDescription& description, const sim::SweepPlan& plan,
                             const std::filesystem::path& directory);
// The tables as Markdown, with the paper's two findings checked as found.
std::string report_markdown(const SweepDescription& description, const SweepResults& results);
// One row per point (datasets under /points and /perturb/<kind>/...), atomically.
void write_summary(const SweepDescription& description, const SweepResults& results, const std::filesystem::path& path);

}  // namespace neurode::app::sweep
