#pragma once
// Progress of long work (training, sweeps, parameter searches) for people watching: on a
// terminal a bar redrawn in place with a status text and the estimated time left; elsewhere
// (logs, CI) plain lines, at most one per `line_interval`. The library never prints on its own:
// programs create a ProgressBar and feed it from a progress callback.

#include <chrono>
#include <cstdio>
#include <string>

namespace neurode::sim {

class ProgressBar {
public:
    // `total` units of work (trials, points, evaluations); interactive: redraw in place.
    ProgressBar(std::FILE* out, std::string label, double total, bool interactive,
                std::chrono::seconds line_interval = std::chrono::seconds(10));
    // interactive when `out` is a terminal.
    ProgressBar(std::FILE* out, std::string label, double total);

    void update(double done, const std::string& status);
    // The final line, always printed.
    void finish(const std::string& status);

private:
    void draw(double done, const std::string& status, bool final);

    std::FILE* out_;
    std::string label_;
    double total_;
    bool interactive_;
    std::chrono::seconds line_interval_;
    std::chrono::steady_clock::time_point start_, last_line_;
    bool printed_ = false;
};

}  // namespace neurode::sim
