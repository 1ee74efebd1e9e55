#include "output_files.hpp"

#include <cstdlib>
#include <ostream>

namespace neurode::app {

std::filesystem::path beside(const std::filesystem::path& output, const std::string& ending)
{
    return output.parent_path() / (output.stem().string() + ending);
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
