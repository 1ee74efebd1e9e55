#pragma once
// Readers for the reference data that committed scripts wrote into tests/reference/ (the
// directory is the compile definition NEURODE_TEST_REFERENCE_DIR of each test target).

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>

inline std::string reference_path(const std::string& file) { return std::string(NEURODE_TEST_REFERENCE_DIR) + "/" + file; }

// Lines "<key> v1 v2 ..." (NEURON outputs: "spikes 11.7 25.8 ...", "v 5.0 -64.9 -65.1"); other
// lines are comments. A key that never appears gives empty results.
class KeyedReference {
public:
    explicit KeyedReference(const std::string& file)
    {
        std::ifstream in(reference_path(file));
        EXPECT_TRUE(in) << "missing tests/reference/" << file;
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string key;
            fields >> key;
            std::vector<double> row;
            for (double v; fields >> v;) row.push_back(v);
            rows_[key].push_back(std::move(row));
        }
    }
    // Every value of the first line with this key (a spike list).
    std::vector<double> values(const std::string& key) const
    {
        const auto it = rows_.find(key);
        return it == rows_.end() ? std::vector<double>{} : it->second.front();
    }
    // Column c of every line with this key (a trace: column 0 is the time).
    std::vector<double> column(const std::string& key, std::size_t c) const
    {
        std::vector<double> out;
        if (const auto it = rows_.find(key); it != rows_.end())
            for (const auto& row : it->second)
                if (c < row.size()) out.push_back(row[c]);
        return out;
    }

private:
    std::map<std::string, std::vector<std::vector<double>>> rows_;
};

// Blocks "name rows cols" followed by rows * cols numbers (row-major), as the PyTorch and SciPy
// generators write them; '#' lines are comments.
inline std::map<std::string, Eigen::MatrixXd> read_blocks(const std::string& file)
{
    std::ifstream in(reference_path(file));
    EXPECT_TRUE(in) << "missing tests/reference/" << file;
    std::map<std::string, Eigen::MatrixXd> blocks;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream header(line);
        std::string name;
        Eigen::Index rows = 0, cols = 0;
        header >> name >> rows >> cols;
        Eigen::MatrixXd m(rows, cols);
        for (Eigen::Index i = 0; i < rows; ++i)
            for (Eigen::Index j = 0; j < cols; ++j) in >> m(i, j);
        EXPECT_TRUE(in) << "truncated block " << name;
        blocks[name] = m;
    }
    return blocks;
}

// A row-major matrix (rows trial-major) as the flat array neurode's APIs take.
inline std::vector<double> flatten(const Eigen::MatrixXd& m)
{
    std::vector<double> v(static_cast<std::size_t>(m.size()));
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(v.data(), m.rows(), m.cols()) = m;
    return v;
}
