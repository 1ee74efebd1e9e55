#pragma once
// Whole text files in and out: configuration and description files read at once, and written
// atomically (a temporary file renamed into place), so that a file is complete or absent.

#include <filesystem>
#include <string>
#include <string_view>

namespace neurode::sim {

// The file's whole text. Throws io_error naming the file and saying what it is ("the sweep file").
std::string read_text_file(const std::filesystem::path& path, std::string_view what);

// Writes `text` to `path` through a temporary file beside it. Throws io_error naming the file.
void write_text_file_atomically(const std::filesystem::path& path, std::string_view text, std::string_view what);

}  // namespace neurode::sim
