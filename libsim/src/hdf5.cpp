#include <neurode/sim/hdf5.hpp>

#include <hdf5.h>
#include <unistd.h>

#include <atomic>
#include <numeric>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::sim::h5 {

namespace {

// HDF5 prints its error stack to stderr by default; a library linked into a host must not. This
// turns the printing off for the duration of one neurode call and restores the host's setting.
class QuietErrors {
public:
    QuietErrors()
    {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
    QuietErrors(const QuietErrors&) = delete;
    QuietErrors& operator=(const QuietErrors&) = delete;

private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

// Owns one HDF5 identifier and closes it with the matching H5*close.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle() = default;
    Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = H5I_INVALID_HID; }
    Handle& operator=(Handle&& o) noexcept
    {
        std::swap(id_, o.id_);
        std::swap(closer_, o.closer_);
        return *this;
    }
    ~Handle()
    {
        if (id_ >= 0) closer_(id_);
    }
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

Handle checked(hid_t id, Handle::Closer closer, const std::string& path, const std::string& what)
{
    if (id < 0) throw io_error(path, "HDF5 could not " + what);
    return Handle(id, closer);
}

void check(herr_t status, const std::string& path, const std::string& what)
{
    if (status < 0) throw io_error(path, "HDF5 could not " + what);
}

Handle string_type()
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return Handle(t, H5Tclose);
}

// Link creation property list that creates missing parent groups.
Handle parents_created()
{
    hid_t p = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(p, 1);
    return Handle(p, H5Pclose);
}

Handle dataspace(const std::vector<std::size_t>& shape)
{
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
}

std::vector<std::size_t> shape_or_flat(std::vector<std::size_t> shape, std::size_t size, const std::string& path,
                                       std::string_view dataset)
{
    if (shape.empty()) return {size};
    const std::size_t product = std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
    if (product != size)
        throw invalid_parameter(std::string(dataset) + ".shape", "holds " + std::to_string(product) +
                                                                   " elements but the data has " +
                                                                   std::to_string(size) + " (writing " + path + ")");
    return shape;
}

std::atomic<unsigned> temporary_counter{0};

}  // namespace

// ------------------------------------------------------------------------------------------------
struct Writer::Impl {
    std::filesystem::path target;
    std::filesystem::path temporary;
    Handle file;
    bool committed = false;

    Handle open_object(std::string_view object) const
    {
        const std::string name(object);
        return checked(H5Oopen(file.get(), name.c_str(), H5P_DEFAULT), H5Oclose, target.string(),
                       "open '" + name + "' to set an attribute");
    }

    template <class T>
    void write_numeric(std::string_view dataset, std::span<const T> data, std::vector<std::size_t> shape,
                       hid_t mem_type, hid_t file_type)
    {
        QuietErrors quiet;
        const std::string name(dataset);
        const auto dims = shape_or_flat(std::move(shape), data.size(), target.string(), dataset);
        const Handle space = dataspace(dims);
        const Handle lcpl = parents_created();
        const Handle set = checked(H5Dcreate2(file.get(), name.c_str(), file_type, space.get(), lcpl.get(),
                                              H5P_DEFAULT, H5P_DEFAULT),
                                   H5Dclose, target.string(), "create dataset '" + name + "'");
        if (!data.empty())
            check(H5Dwrite(set.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), target.string(),
                  "write dataset '" + name + "'");
    }

    void write_attribute(std::string_view object, std::string_view name, hid_t type, const void* value)
    {
        QuietErrors quiet;
        const Handle obj = open_object(object);
        const std::string attr(name);
        if (H5Aexists(obj.get(), attr.c_str()) > 0) H5Adelete(obj.get(), attr.c_str());
        const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        const Handle a = checked(H5Acreate2(obj.get(), attr.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                 H5Aclose, target.string(), "create attribute '" + attr + "'");
        check(H5Awrite(a.get(), type, value), target.string(), "write attribute '" + attr + "'");
    }
};

Writer::Writer(std::filesystem::path path) : impl_(std::make_unique<Impl>())
{
    QuietErrors quiet;
    impl_->target = std::move(path);
    auto name = impl_->target.filename().string();
    impl_->temporary = impl_->target;
    impl_->temporary.replace_filename("." + name + ".tmp-" + std::to_string(::getpid()) + "-" +
                                      std::to_string(temporary_counter++));
    impl_->file = checked(H5Fcreate(impl_->temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                          impl_->target.string(), "create the file (is its directory writable?)");
}

Writer::~Writer()
{
    if (!impl_ || impl_->committed) return;
    QuietErrors quiet;
    impl_->file = Handle();
    std::error_code ignored;
    std::filesystem::remove(impl_->temporary, ignored);
}

void Writer::create_group(std::string_view group)
{
    QuietErrors quiet;
    const std::string name(group);
    if (H5Lexists(impl_->file.get(), name.c_str(), H5P_DEFAULT) > 0) return;
    const Handle lcpl = parents_created();
    checked(H5Gcreate2(impl_->file.get(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
            impl_->target.string(), "create group '" + name + "'");
}

void Writer::write(std::string_view dataset, std::span<const double> data, std::vector<std::size_t> shape)
{
    impl_->write_numeric(dataset, data, std::move(shape), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE);
}

void Writer::write(std::string_view dataset, std::span<const std::int64_t> data, std::vector<std::size_t> shape)
{
    impl_->write_numeric(dataset, data, std::move(shape), H5T_NATIVE_INT64, H5T_STD_I64LE);
}

void Writer::write(std::string_view dataset, const std::vector<std::string>& strings)
{
    QuietErrors quiet;
    const std::string name(dataset);
    std::vector<const char*> pointers;
    for (const auto& s : strings) pointers.push_back(s.c_str());
    const Handle type = string_type();
    const Handle space = dataspace({strings.size()});
    const Handle lcpl = parents_created();
    const Handle set = checked(
        H5Dcreate2(impl_->file.get(), name.c_str(), type.get(), space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose, impl_->target.string(), "create dataset '" + name + "'");
    if (!strings.empty())
        check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
              impl_->target.string(), "write dataset '" + name + "'");
}

void Writer::set_attribute(std::string_view object, std::string_view name, std::string_view value)
{
    const std::string text(value);
    const char* pointer = text.c_str();
    const Handle type = string_type();
    impl_->write_attribute(object, name, type.get(), &pointer);
}

void Writer::set_attribute(std::string_view object, std::string_view name, const char* value)
{
    set_attribute(object, name, std::string_view(value));
}

void Writer::set_attribute(std::string_view object, std::string_view name, double value)
{
    impl_->write_attribute(object, name, H5T_NATIVE_DOUBLE, &value);
}

void Writer::set_attribute(std::string_view object, std::string_view name, std::int64_t value)
{
    impl_->write_attribute(object, name, H5T_NATIVE_INT64, &value);
}

void Writer::commit()
{
    QuietErrors quiet;
    check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), impl_->target.string(), "flush the file");
    impl_->file = Handle();
    std::error_code error;
    std::filesystem::rename(impl_->temporary, impl_->target, error);
    if (error) {
        std::filesystem::remove(impl_->temporary, error);
        throw io_error(impl_->target.string(), "could not move the finished file into place: " + error.message());
    }
    impl_->committed = true;
}

// ------------------------------------------------------------------------------------------------
struct Reader::Impl {
    std::string path;
    Handle file;

    Handle open_dataset(std::string_view dataset) const
    {
        const std::string name(dataset);
        return checked(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), H5Dclose, path,
                       "open dataset '" + name + "' (is it there?)");
    }

    Handle open_attribute(std::string_view object, std::string_view name) const
    {
        const std::string obj(object), attr(name);
        return checked(H5Aopen_by_name(file.get(), obj.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                       path, "open attribute '" + attr + "' of '" + obj + "'");
    }

    template <class T>
    std::vector<T> read(std::string_view dataset, hid_t mem_type) const
    {
        QuietErrors quiet;
        const Handle set = open_dataset(dataset);
        const Handle space(H5Dget_space(set.get()), H5Sclose);
        const auto count = H5Sget_simple_extent_npoints(space.get());
        std::vector<T> out(static_cast<std::size_t>(std::max<hssize_t>(count, 0)));
        if (!out.empty())
            check(H5Dread(set.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), path,
                  "read dataset '" + std::string(dataset) + "' as numbers");
        return out;
    }
};

Reader::Reader(const std::filesystem::path& path) : impl_(std::make_unique<Impl>())
{
    QuietErrors quiet;
    impl_->path = path.string();
    if (!std::filesystem::exists(path)) throw io_error(impl_->path, "no such file");
    impl_->file = checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, impl_->path,
                          "open the file (is it an HDF5 file?)");
}

Reader::~Reader() = default;

bool Reader::exists(std::string_view object) const
{
    QuietErrors quiet;
    // Check each level: H5Lexists fails rather than answering when a parent is missing.
    std::string prefix;
    std::string_view rest = object;
    while (!rest.empty()) {
        const auto slash = rest.find('/', 1);
        prefix += std::string(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
        if (prefix == "/") continue;
        if (H5Lexists(impl_->file.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    return true;
}

std::vector<std::string> Reader::children(std::string_view group) const
{
    QuietErrors quiet;
    const std::string name(group);
    const Handle g = checked(H5Gopen2(impl_->file.get(), name.c_str(), H5P_DEFAULT), H5Gclose, impl_->path,
                             "open group '" + name + "'");
    H5G_info_t info;
    check(H5Gget_info(g.get(), &info), impl_->path, "list group '" + name + "'");
    std::vector<std::string> out;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const auto length = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        std::string child(static_cast<std::size_t>(length), '\0');
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, child.data(), child.size() + 1, H5P_DEFAULT);
        out.push_back(std::move(child));
    }
    return out;
}

std::vector<std::size_t> Reader::shape(std::string_view dataset) const
{
    QuietErrors quiet;
    const Handle set = impl_->open_dataset(dataset);
    const Handle space(H5Dget_space(set.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return {dims.begin(), dims.end()};
}

std::vector<double> Reader::read_doubles(std::string_view dataset) const
{
    return impl_->read<double>(dataset, H5T_NATIVE_DOUBLE);
}

std::vector<std::int64_t> Reader::read_ints(std::string_view dataset) const
{
    return impl_->read<std::int64_t>(dataset, H5T_NATIVE_INT64);
}

std::vector<std::string> Reader::read_strings(std::string_view dataset) const
{
    QuietErrors quiet;
    const Handle set = impl_->open_dataset(dataset);
    const Handle space(H5Dget_space(set.get()), H5Sclose);
    const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
    const Handle type = string_type();
    std::vector<char*> raw(count, nullptr);
    if (count > 0)
        check(H5Dread(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), impl_->path,
              "read dataset '" + std::string(dataset) + "' as strings");
    std::vector<std::string> out(raw.begin(), raw.end());
    if (count > 0) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, raw.data());
    return out;
}

std::string Reader::string_attribute(std::string_view object, std::string_view name) const
{
    QuietErrors quiet;
    const Handle a = impl_->open_attribute(object, name);
    const Handle type = string_type();
    char* raw = nullptr;
    check(H5Aread(a.get(), type.get(), &raw), impl_->path, "read attribute '" + std::string(name) + "' as text");
    std::string out = raw ? raw : "";
    H5free_memory(raw);
    return out;
}

double Reader::double_attribute(std::string_view object, std::string_view name) const
{
    QuietErrors quiet;
    const Handle a = impl_->open_attribute(object, name);
    double value = 0;
    check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &value), impl_->path, "read attribute '" + std::string(name) + "'");
    return value;
}

std::int64_t Reader::int_attribute(std::string_view object, std::string_view name) const
{
    QuietErrors quiet;
    const Handle a = impl_->open_attribute(object, name);
    std::int64_t value = 0;
    check(H5Aread(a.get(), H5T_NATIVE_INT64, &value), impl_->path, "read attribute '" + std::string(name) + "'");
    return value;
}

}  // namespace neurode::sim::h5
