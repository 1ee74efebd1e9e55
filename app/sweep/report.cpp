#include "sweep/report.hpp"

#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>

#include <neurode/sim/hdf5.hpp>

namespace neurode::app::sweep {

namespace {

double mean(const std::vector<double>& v)
{
    return v.empty() ? NAN : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Sample standard deviation (n - 1); NaN for fewer than two values.
double sd(const std::vector<double>& v)
{
    if (v.size() < 2) return NAN;
    const double m = mean(v);
    double s = 0;
    for (const double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
}

std::string fixed(double x, int digits = 3)
{
    if (!std::isfinite(x)) return "–";
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, x);
    return text;
}

// Appends " text |" (piecewise: GCC 12 warns falsely about `" " + std::string` temporaries).
void add_cell(std::string& md, const std::string& text)
{
    md += ' ';
    md += text;
    md += " |";
}

bool is_memory_task(const std::string& task) { return task.rfind("dly_", 0) == 0; }

// The rows that the robustness tables use: networks that reached criterion, or every network
// when none did (then the drops say little: an untrained network has little to lose).
std::vector<const PointRow*> robustness_rows(const SweepResults& r, bool& trained_only)
{
    std::vector<const PointRow*> rows;
    for (const PointRow& row : r.rows)
        if (row.reached) rows.push_back(&row);
    trained_only = !rows.empty();
    if (!trained_only)
        for (const PointRow& row : r.rows) rows.push_back(&row);
    return rows;
}

// Accuracy lost at each level, per network: P0's accuracy minus the level's.
std::vector<double> drops(const PointRow& row, const std::string& kind)
{
    const auto& a = row.perturbed_accuracy.at(kind);
    std::vector<double> d;
    for (const double x : a) d.push_back(a.front() - x);
    return d;
}

}  // namespace

SweepResults collect_results(const SweepDescription& description, const sim::SweepPlan& plan, const std::filesystem::path& directory)
{
    SweepResults r;
    r.points = plan.size();
    for (std::size_t p = 0; p < plan.size(); ++p) {
        if (sim::record_state(plan, directory, p) != sim::RecordState::complete) continue;
        const sim::h5::Reader in(sim::record_path(directory, p));
        PointRow row;
        row.index = p;
        row.settings = description.point(plan, p);
        row.reached = in.int_attribute("/train", "reached_criterion") != 0;
        row.trials_to_criterion = static_cast<std::size_t>(in.int_attribute("/train", "trials_to_criterion"));
        row.trials_seen = static_cast<std::size_t>(in.int_attribute("/train", "trials_seen"));
        row.final_validation = in.double_attribute("/train", "final_validation");
        row.seconds = in.double_attribute("/", "seconds");
        row.accuracy = in.exists("/evaluate") ? in.double_attribute("/evaluate", "accuracy") : NAN;
        if (in.exists("/perturb"))
            for (const std::string& kind : in.children("/perturb")) {
                row.perturbed_accuracy[kind] = in.read_doubles("/perturb/" + kind + "/accuracy");
                if (in.exists("/perturb/" + kind + "/cka_distance")) {
                    row.cka_distance[kind] = in.read_doubles("/perturb/" + kind + "/cka_distance");
                    row.shape_distance[kind] = in.read_doubles("/perturb/" + kind + "/shape_distance");
                }
            }
        r.rows.push_back(std::move(row));
    }
    return r;
}

std::string report_markdown(const SweepDescription& d, const SweepResults& r)
{
    std::string md = "# Sweep '" + d.name + "': " + std::to_string(r.rows.size()) + " of " + std::to_string(r.points) +
                     " points complete\n\n";
    std::set<std::string> tasks;
    std::set<int> levels;
    for (const PointRow& row : r.rows) {
        tasks.insert(row.settings.task);
        levels.insert(row.settings.heterogeneity);
    }
    auto cell_rows = [&](const std::string& task, int level) {
        std::vector<const PointRow*> rows;
        for (const PointRow& row : r.rows)
            if (row.settings.task == task && row.settings.heterogeneity == level) rows.push_back(&row);
        return rows;
    };

    // A table with a row per task and a column per heterogeneity level.
    const auto level_table = [&](const std::string& title, const std::string& caption) {
        std::string head = "## " + title + "\n\n" + caption + "\n\n| task |";
        for (const int h : levels) head += " H" + std::to_string(h) + " |";
        head += "\n|---|";
        for (std::size_t k = 0; k < levels.size(); ++k) head += "---:|";
        return head + "\n";
    };
    md += level_table("Test accuracy per task and heterogeneity level",
                      "mean ± sd over networks (networks that reached criterion / networks)");
    for (const std::string& task : tasks) {
        md += "| " + task + " |";
        for (const int h : levels) {
            std::vector<double> acc;
            std::size_t reached = 0;
            for (const PointRow* row : cell_rows(task, h)) {
                acc.push_back(row->accuracy);
                reached += row->reached ? 1 : 0;
            }
            add_cell(md, fixed(mean(acc), 2) + " ± " + fixed(sd(acc), 2) + " (" + std::to_string(reached) + "/" +
                             std::to_string(acc.size()) + ")");
        }
        md += "\n";
    }

    md += "\n" + level_table("Trials to criterion per task and heterogeneity level",
                             "mean ± sd over the networks that reached it (budget " + std::to_string(d.train.max_trials) +
                                 " trials)");
    for (const std::string& task : tasks) {
        md += "| " + task + " |";
        for (const int h : levels) {
            std::vector<double> trials;
            for (const PointRow* row : cell_rows(task, h))
                if (row->reached) trials.push_back(static_cast<double>(row->trials_to_criterion));
            add_cell(md, trials.empty() ? std::string("–") : fixed(mean(trials), 0) + " ± " + fixed(sd(trials), 0));
        }
        md += "\n";
    }

    bool trained_only = false;
    const std::vector<const PointRow*> robust = robustness_rows(r, trained_only);
    std::vector<std::string> kinds;
    if (!r.rows.empty())
        for (const auto& [kind, values] : r.rows.front().perturbed_accuracy) kinds.push_back(kind);

    md += "\n## Network-to-network variability per task\n\nsd over networks of the test accuracy, and of the accuracy "
          "lost under perturbation (P1..P" + std::to_string(d.max_level) + ", every kind), each taken within a "
          "heterogeneity level and then averaged over levels\n\n| task | memory | mean accuracy | sd of accuracy | "
          "sd of accuracy lost |\n|---|---|---:|---:|---:|\n";
    std::vector<double> memory_sd, memoryless_sd, memory_sd_lost, memoryless_sd_lost;
    for (const std::string& task : tasks) {
        std::vector<double> acc_all, sd_acc, sd_lost;
        for (const int h : levels) {
            std::vector<double> acc;
            for (const PointRow* row : cell_rows(task, h)) {
                acc.push_back(row->accuracy);
                acc_all.push_back(row->accuracy);
            }
            if (acc.size() >= 2) sd_acc.push_back(sd(acc));
            for (const std::string& kind : kinds)
                for (int level = 1; level <= d.max_level; ++level) {
                    std::vector<double> lost;
                    for (const PointRow* row : cell_rows(task, h)) lost.push_back(drops(*row, kind)[static_cast<std::size_t>(level)]);
                    if (lost.size() >= 2) sd_lost.push_back(sd(lost));
                }
        }
        const bool memory = is_memory_task(task);
        (memory ? memory_sd : memoryless_sd).push_back(mean(sd_acc));
        (memory ? memory_sd_lost : memoryless_sd_lost).push_back(mean(sd_lost));
        md += "| " + task + " | " + (memory ? "yes" : "no") + " | " + fixed(mean(acc_all)) + " | " + fixed(mean(sd_acc)) +
              " | " + fixed(mean(sd_lost)) + " |\n";
    }
    const double m_sd = mean(memory_sd), nm_sd = mean(memoryless_sd);
    const double m_lost = mean(memory_sd_lost), nm_lost = mean(memoryless_sd_lost);
    md += "\nMemory tasks vary more between networks (the paper's finding): ";
    if (std::isfinite(m_sd) && std::isfinite(nm_sd))
        md += std::string(m_sd > nm_sd ? "**holds**" : "**does not hold**") + " for test accuracy (mean sd " + fixed(m_sd) +
              " memory vs " + fixed(nm_sd) + " memoryless); " + (m_lost > nm_lost ? "**holds**" : "**does not hold**") +
              " for accuracy lost under perturbation (" + fixed(m_lost) + " vs " + fixed(nm_lost) + ").\n";
    else
        md += "not testable here (needs memory and memoryless tasks with at least two networks per level).\n";

    if (kinds.empty()) return md;
    md += "\n## Robustness per perturbation kind and level\n\nmean accuracy lost (P0 minus Pk) and mean angular CKA "
          "distance of the decision-epoch states from the unperturbed network's, over " +
          std::to_string(robust.size()) + (trained_only ? " networks that reached criterion" : " networks (none reached criterion)") +
          "\n\n| perturbation |";
    for (int level = 1; level <= d.max_level; ++level) md += " P" + std::to_string(level) + " lost |";
    for (int level = 1; level <= d.max_level; ++level) md += " P" + std::to_string(level) + " CKA dist |";
    md += "\n|---|";
    for (int k = 0; k < 2 * d.max_level; ++k) md += "---:|";
    md += "\n";
    std::map<std::string, double> harm;
    for (const std::string& kind : kinds) {
        md += "| " + kind + " |";
        std::vector<double> all_lost;
        std::string cka_cells;
        for (int level = 1; level <= d.max_level; ++level) {
            std::vector<double> lost, distance;
            for (const PointRow* row : robust) {
                lost.push_back(drops(*row, kind)[static_cast<std::size_t>(level)]);
                if (row->cka_distance.count(kind)) distance.push_back(row->cka_distance.at(kind)[static_cast<std::size_t>(level)]);
            }
            all_lost.insert(all_lost.end(), lost.begin(), lost.end());
            add_cell(md, fixed(mean(lost)));
            add_cell(cka_cells, fixed(mean(distance)));
        }
        harm[kind] = mean(all_lost);
        md += cka_cells + "\n";
    }
    auto most_harmful = [&](bool with_task) {
        std::string best;
        for (const auto& [kind, lost] : harm)
            if ((with_task || kind != "task") && (best.empty() || lost > harm[best])) best = kind;
        return best;
    };
    const std::string worst = most_harmful(false), worst_all = most_harmful(true);
    md += "\nMost harmful perturbation, by mean accuracy lost over P1..P" + std::to_string(d.max_level) + ": **" + worst +
          "** (" + fixed(harm[worst]) + ") among the perturbations of the network and the trial";
    if (harm.count("task")) md += "; **" + worst_all + "** (" + fixed(harm[worst_all]) + ") counting the change of task";
    md += ". Synaptic jitter most harmful (the paper's finding): " +
          std::string(harm.count("weight_jitter") == 0 ? "not tested"
                      : worst == "weight_jitter"       ? "**holds**"
                                                       : "**does not hold**") +
          ".\n";
    return md;
}

void write_summary(const SweepDescription& d, const SweepResults& r, const std::filesystem::path& path)
{
    sim::h5::Writer out(path);
    std::vector<std::int64_t> index, heterogeneity, seed, reached, trials_to_criterion, trials_seen;
    std::vector<std::string> task, rule;
    std::vector<double> accuracy, final_validation, seconds;
    for (const PointRow& row : r.rows) {
        index.push_back(static_cast<std::int64_t>(row.index));
        heterogeneity.push_back(row.settings.heterogeneity);
        seed.push_back(static_cast<std::int64_t>(row.settings.seed));
        reached.push_back(row.reached ? 1 : 0);
        trials_to_criterion.push_back(static_cast<std::int64_t>(row.trials_to_criterion));
        trials_seen.push_back(static_cast<std::int64_t>(row.trials_seen));
        task.push_back(row.settings.task);
        rule.push_back(row.settings.learning_rule);
        accuracy.push_back(row.accuracy);
        final_validation.push_back(row.final_validation);
        seconds.push_back(row.seconds);
    }
    out.set_attribute("/", "format", "neurode-sweep-summary");
    out.set_attribute("/", "name", d.name);
    out.set_attribute("/", "points", static_cast<std::int64_t>(r.points));
    out.set_attribute("/", "max_level", static_cast<std::int64_t>(d.max_level));
    out.write("/points/index", index);
    out.write("/points/task", task);
    out.write("/points/learning_rule", rule);
    out.write("/points/heterogeneity", heterogeneity);
    out.write("/points/seed", seed);
    out.write("/points/reached_criterion", reached);
    out.write("/points/trials_to_criterion", trials_to_criterion);
    out.write("/points/trials_seen", trials_seen);
    out.write("/points/accuracy", accuracy);
    out.write("/points/final_validation", final_validation);
    out.write("/points/seconds", seconds);
    const std::size_t levels = static_cast<std::size_t>(d.max_level) + 1;
    if (!r.rows.empty())
        for (const auto& [kind, values] : r.rows.front().perturbed_accuracy) {
            std::vector<double> acc, cka, shape;
            for (const PointRow& row : r.rows) {
                const auto& a = row.perturbed_accuracy.at(kind);
                acc.insert(acc.end(), a.begin(), a.end());
                if (row.cka_distance.count(kind)) {
                    cka.insert(cka.end(), row.cka_distance.at(kind).begin(), row.cka_distance.at(kind).end());
                    shape.insert(shape.end(), row.shape_distance.at(kind).begin(), row.shape_distance.at(kind).end());
                }
            }
            out.write("/perturb/" + kind + "/accuracy", acc, {r.rows.size(), levels});
            if (cka.size() == acc.size()) {
                out.write("/perturb/" + kind + "/cka_distance", cka, {r.rows.size(), levels});
                out.write("/perturb/" + kind + "/shape_distance", shape, {r.rows.size(), levels});
            }
        }
    out.commit();
}

}  // namespace neurode::app::sweep
