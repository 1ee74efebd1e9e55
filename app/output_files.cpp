#include "output_files.hpp"

#include <cstdlib>
#include <fstream>
#include <ostream>

#include <neurode/sim/errors.hpp>

namespace neurode::app {

std::filesystem::path beside(const std::filesystem::path& output, const std::string& ending)
{
    return output.parent_path() / (output.stem().string() + ending);
}

void write_text_atomically(const std::filesystem::path& path, const std::string& text)
{
    const std::filesystem::path temporary = path.string() + ".tmp";
    {
        std::ofstream f(temporary);
        if (!(f << text)) throw io_error(temporary.string(), "cannot write");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) throw io_error(path.string(), "cannot move the finished file into place: " + error.message());
}

void draw_figures(const std::string& script, const std::filesystem::path& results, std::ostream& out)
{
    const std::filesystem::path figures = beside(results, "-figures");
    const std::string command = "/usr/bin/python3 '" NEURODE_SCRIPTS_DIR "/" + script + "' '" + results.string() +
                                "' '" + figures.string() + "'";
    if (std::system(command.c_str()) == 0)
        out << "figures in " << figures.string() << "/\n";
    else
        out << "figures not drawn (needs Debian's python3-matplotlib and python3-h5py): " << command << "\n";
}

}  // namespace neurode::app
