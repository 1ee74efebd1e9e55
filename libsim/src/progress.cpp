#include <neurode/sim/progress.hpp>

#include <algorithm>
#include <cmath>
#include <unistd.h>

namespace neurode::sim {

ProgressBar::ProgressBar(std::FILE* out, std::string label, double total, bool interactive,
                         std::chrono::seconds line_interval)
    : out_(out), label_(std::move(label)), total_(total), interactive_(interactive), line_interval_(line_interval),
      start_(std::chrono::steady_clock::now()), last_line_(start_)
{}

ProgressBar::ProgressBar(std::FILE* out, std::string label, double total)
    : ProgressBar(out, std::move(label), total, isatty(fileno(out)) != 0)
{}

void ProgressBar::update(double done, const std::string& status)
{
    const auto now = std::chrono::steady_clock::now();
    if (!interactive_ && printed_ && now - last_line_ < line_interval_) return;
    last_line_ = now;
    draw(done, status, false);
}

void ProgressBar::finish(const std::string& status) { draw(total_, status, true); }

void ProgressBar::draw(double done, const std::string& status, bool final)
{
    const double fraction = total_ > 0 ? std::clamp(done / total_, 0.0, 1.0) : 1.0;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    char eta[32] = "";
    if (!final && fraction > 0 && fraction < 1)
        std::snprintf(eta, sizeof eta, ", ~%.0f s left", elapsed * (1 - fraction) / fraction);
    if (interactive_) {
        constexpr int width = 30;
        const int filled = static_cast<int>(std::lround(fraction * width));
        std::fprintf(out_, "\r%s [%.*s%*s] %3.0f%% %s (%.0f s%s)\033[K", label_.c_str(), filled,
                     "==============================", width - filled, "", 100 * fraction, status.c_str(), elapsed, eta);
        if (final) std::fputc('\n', out_);
    } else {
        std::fprintf(out_, "%s: %.0f%% %s (%.0f s%s)\n", label_.c_str(), 100 * fraction, status.c_str(), elapsed, eta);
    }
    std::fflush(out_);
    printed_ = true;
}

}  // namespace neurode::sim
