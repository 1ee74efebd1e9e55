#pragma once
// The files a subcommand writes beside its HDF5 results: names derived from the output's, and
// figures drawn by the project's Python scripts (scripts/). Text files: sim::write_text_file_atomically.

#include <filesystem>
#include <iosfwd>
#include <string>

namespace neurode::app {

// The file next to `output`: the same stem with another ending ("out.h5", ".md" -> "out.md").
std::filesystem::path beside(const std::filesystem::path& output, const std::string& ending);

// Runs scripts/<script> on `results` with Debian's python3 to draw figures into
// `<results stem>-figures/`, and says on `out` where they went or how to draw them by hand.
// Figures are a convenience: a missing matplotlib is reported, not an error.
void draw_figures(const std::string& script, const std::filesystem::path& results, std::ostream& out);

}  // namespace neurode::app
