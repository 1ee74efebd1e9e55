#pragma once
#include <iosfwd>
#include <string>

namespace neurode::app {

// The demo's embedded default configuration (JSON).
const std::string& demo_default_config();

// Run the demo described by `config_text` (JSON); `output` overrides the configured file when
// non-empty. Prints a report to `out`. Returns the process exit status.
int run_demo(const std::string& config_text, const std::string& source, const std::string& output, std::ostream& out);

}  // namespace neurode::app
