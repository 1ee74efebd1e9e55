#pragma once
#include <string_view>

namespace neurode {
// The library's version, "MAJOR.MINOR.PATCH", from the one place it is set (CMakeLists.txt).
std::string_view version();
}  // namespace neurode
