#pragma once
// A small HDF5 layer shared by every neurode module that saves or loads data: an atomic writer
// (the file appears complete under its name or not at all) and a reader. Paths inside the file
// are HDF5 paths ("/recordings/v/time"); missing parent groups are created. HDF5's own error
// printing is silenced inside these calls; failures throw io_error naming the file and object.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace neurode::sim::h5 {

class Writer {
public:
    // Opens a temporary file next to `path`; nothing appears at `path` until commit().
    explicit Writer(std::filesystem::path path);
    // Removes the temporary file unless commit() succeeded.
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void create_group(std::string_view group);
    // Row-major data of the given shape (product of shape == data.size()).
    void write(std::string_view dataset, std::span<const double> data, std::vector<std::size_t> shape = {});
    void write(std::string_view dataset, std::span<const std::int64_t> data, std::vector<std::size_t> shape = {});
    void write(std::string_view dataset, const std::vector<std::string>& strings);
    void set_attribute(std::string_view object, std::string_view name, std::string_view value);
    void set_attribute(std::string_view object, std::string_view name, const char* value);
    void set_attribute(std::string_view object, std::string_view name, double value);
    void set_attribute(std::string_view object, std::string_view name, std::int64_t value);
    // Flushes, closes and atomically renames the file into place.
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class Reader {
public:
    explicit Reader(const std::filesystem::path& path);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    bool exists(std::string_view object) const;
    std::vector<std::string> children(std::string_view group) const;
    std::vector<std::size_t> shape(std::string_view dataset) const;
    std::vector<double> read_doubles(std::string_view dataset) const;
    std::vector<std::int64_t> read_ints(std::string_view dataset) const;
    std::vector<std::string> read_strings(std::string_view dataset) const;
    std::string string_attribute(std::string_view object, std::string_view name) const;
    double double_attribute(std::string_view object, std::string_view name) const;
    std::int64_t int_attribute(std::string_view object, std::string_view name) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace neurode::sim::h5
