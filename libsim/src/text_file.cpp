#include <neurode/sim/text_file.hpp>

#include <fstream>
#include <sstream>

#include <neurode/sim/errors.hpp>

namespace neurode::sim {

std::string read_text_file(const std::filesystem::path& path, std::string_view what)
{
    std::ifstream in(path, std::ios::binary);  // the bytes as they are: parsers count lines themselves
    if (!in) throw io_error(path.string(), "cannot open " + std::string(what));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw io_error(path.string(), "reading failed");
    return text.str();
}

void write_text_file_atomically(const std::filesystem::path& path, std::string_view text, std::string_view what)
{
    const std::filesystem::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary);
        if (!(out << text)) throw io_error(temporary.string(), "cannot write " + std::string(what));
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) throw io_error(path.string(), "cannot move " + std::string(what) + " into place: " + error.message());
}

}  // namespace neurode::sim
