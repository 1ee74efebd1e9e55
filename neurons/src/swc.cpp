#include <neurode/neurons/swc.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <unordered_map>
#include <vector>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/text_file.hpp>

namespace neurode::neurons {

namespace {

struct Sample {
    long long id;
    int type;
    double x, y, z, radius;
    long long parent;  // -1 for the root
    std::size_t line;
};

struct Point {
    double x, y, z, radius;
};

double distance(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y, a.z - b.z); }

template <class T>
bool parse_number(std::string_view text, T& value)
{
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    return ec == std::errc() && ptr == end;
}

std::vector<Sample> parse_lines(std::string_view text, const std::string& source)
{
    static constexpr const char* columns[] = {"id", "type", "x", "y", "z", "radius", "parent"};
    std::vector<Sample> samples;
    std::size_t line_number = 0;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        ++line_number;
        line = line.substr(0, line.find('#'));

        std::vector<std::string_view> fields;
        std::size_t pos = 0;
        while (true) {
            pos = line.find_first_not_of(" \t\r", pos);
            if (pos == std::string_view::npos) break;
            const std::size_t end = std::min(line.find_first_of(" \t\r", pos), line.size());
            fields.push_back(line.substr(pos, end - pos));
            pos = end;
        }
        if (fields.empty()) continue;
        const std::string where = "line " + std::to_string(line_number) + ": ";
        if (fields.size() != 7)
            throw io_error(source, where + "expected 7 columns (id type x y z radius parent), got " +
                                       std::to_string(fields.size()));
        auto fail = [&](std::size_t c, const char* kind) {
            throw io_error(source, where + "column '" + columns[c] + "' is not " + kind + ": '" +
                                       std::string(fields[c]) + "'");
        };
        auto real = [&](std::size_t c, double& v) {
            if (!(parse_number(fields[c], v) && std::isfinite(v))) fail(c, "a finite number");
        };
        Sample s{};
        s.line = line_number;
        if (!parse_number(fields[0], s.id)) fail(0, "an integer");
        if (!parse_number(fields[1], s.type)) fail(1, "an integer");
        real(2, s.x);
        real(3, s.y);
        real(4, s.z);
        real(5, s.radius);
        if (!parse_number(fields[6], s.parent)) fail(6, "an integer");
        samples.push_back(s);
    }
    if (samples.empty()) throw io_error(source, "has no samples");
    return samples;
}

class Builder {
public:
    Builder(std::vector<Sample> samples, const std::string& source, const SwcOptions& options)
        : samples_(std::move(samples)), source_(source), options_(options)
    {}

    Morphology build()
    {
        index_and_check();
        const std::size_t root = find_root();
        check_connected(root);
        build_sections(root);
        return std::move(morphology_);
    }

private:
    invalid_parameter error(std::size_t i, const std::string& what) const
    {
        return invalid_parameter("sample " + std::to_string(samples_[i].id),
                                 what + " (" + source_ + " line " + std::to_string(samples_[i].line) + ")");
    }

    void index_and_check()
    {
        for (std::size_t i = 0; i < samples_.size(); ++i) {
            const Sample& s = samples_[i];
            if (auto [it, fresh] = index_.emplace(s.id, i); !fresh)
                throw error(i, "id is used twice (first on line " + std::to_string(samples_[it->second].line) + ")");
            if (s.radius < 0) throw error(i, "radius must be >= 0, got " + std::to_string(s.radius));
            if (s.type < 0) throw error(i, "type must be >= 0, got " + std::to_string(s.type));
            if (s.parent < 0 && s.parent != -1)
                throw error(i, "parent must be -1 (root) or a sample id, got " + std::to_string(s.parent));
        }
        parent_.assign(samples_.size(), -1);
        children_.assign(samples_.size(), {});
        for (std::size_t i = 0; i < samples_.size(); ++i) {
            const Sample& s = samples_[i];
            if (s.parent == -1) continue;
            const auto it = index_.find(s.parent);
            if (it == index_.end()) throw error(i, "parent " + std::to_string(s.parent) + " does not exist");
            parent_[i] = static_cast<long long>(it->second);
            children_[it->second].push_back(i);
        }
    }

    // With no root every sample lies on or hangs off a cycle; report_cycle finds one.
    std::size_t find_root() const
    {
        std::optional<std::size_t> root;
        for (std::size_t i = 0; i < samples_.size(); ++i) {
            if (parent_[i] != -1) continue;
            if (root)
                throw error(i, "is a second root (sample " + std::to_string(samples_[*root].id) +
                                   " is one already): the morphology is not connected");
            root = i;
        }
        if (!root) report_cycle(0);
        return *root;
    }

    void check_connected(std::size_t root) const
    {
        std::vector<bool> reached(samples_.size(), false);
        std::vector<std::size_t> stack{root};
        while (!stack.empty()) {
            const std::size_t i = stack.back();
            stack.pop_back();
            reached[i] = true;
            for (std::size_t c : children_[i]) stack.push_back(c);
        }
        // Every parent exists and there is one root, so an unreached sample's parent chain never
        // meets the root: it runs into a cycle.
        for (std::size_t i = 0; i < samples_.size(); ++i)
            if (!reached[i]) report_cycle(i);
    }

    [[noreturn]] void report_cycle(std::size_t start) const
    {
        std::vector<bool> seen(samples_.size(), false);
        std::size_t i = start;
        while (!seen[i]) {
            seen[i] = true;
            i = static_cast<std::size_t>(parent_[i]);
        }
        throw error(i, "lies on a cycle of parent links");
    }

    Point point(std::size_t i) const { return {samples_[i].x, samples_[i].y, samples_[i].z, samples_[i].radius}; }

    // Adds a section through `points`, whose own samples start at `first_own` (the branch point
    // before it, if any, is not the section's own); `first` names the section in errors.
    std::size_t add_section(std::vector<Point> points, std::size_t first_own, std::size_t first, int type,
                            int parent, double parent_position)
    {
        if (first_own > 0) points[0].radius = points[first_own].radius;
        double length = 0, area = 0, diameter_sum = 0;
        for (std::size_t k = 0; k + 1 < points.size(); ++k) {
            const double h = distance(points[k], points[k + 1]);
            const double r1 = points[k].radius, r2 = points[k + 1].radius;
            length += h;
            area += std::numbers::pi * (r1 + r2) * std::hypot(h, r1 - r2);
        }
        for (std::size_t k = first_own; k < points.size(); ++k) diameter_sum += 2.0 * points[k].radius;

        Section sec;
        std::string prefix = region_of(type);
        sec.region = prefix;
        if (type == 3) prefix = "dend";
        if (type == 4) prefix = "apic";
        sec.name = type == 1 ? prefix : prefix + "[" + std::to_string(counts_[prefix]++) + "]";
        if (type == 1 && points.size() == 1) {  // a single-point soma: the sphere-equivalent cylinder
            sec.length = sec.diameter = 2.0 * points[0].radius;
        } else {
            sec.length = length;
            sec.diameter = options_.diameter == SwcOptions::DiameterRule::mean
                               ? diameter_sum / static_cast<double>(points.size() - first_own)
                               : area / (std::numbers::pi * length);
        }
        if (!(sec.length > 0))
            throw error(first, "the section '" + sec.name + "' starting here has zero length");
        if (!(sec.diameter > 0))
            throw error(first, "the section '" + sec.name + "' starting here has zero diameter");
        sec.parent = parent;
        sec.parent_position = parent_position;
        sec.axial_resistivity = options_.axial_resistivity;
        sec.membrane_capacitance = options_.membrane_capacitance;
        sec.compartments = compartments(sec.length, sec.diameter);
        return morphology_.add(std::move(sec));
    }

    static std::string region_of(int type)
    {
        switch (type) {
        case 1: return "soma";
        case 2: return "axon";
        case 3: return "basal";
        case 4: return "apical";
        default: return "type" + std::to_string(type);
        }
    }

    std::size_t compartments(double length, double diameter) const
    {
        if (options_.compartments == SwcOptions::CompartmentRule::fixed_length)
            return std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(length / options_.compartment_length)));
        const double lambda_f = 1e5 * std::sqrt(diameter / (4.0 * std::numbers::pi * options_.frequency *
                                                              options_.axial_resistivity *
                                                              options_.membrane_capacitance));
        return 2 * static_cast<std::size_t>((length / (options_.d_lambda * lambda_f) + 0.9) / 2.0) + 1;
    }

    // A section still to be made: its first own sample, the branch point before it (if its
    // parent is a neurite section), and where it attaches.
    struct Pending {
        std::size_t start;
        std::optional<std::size_t> branch_point;
        int parent;
        double parent_position;
    };

    // The soma samples in path order, checked to be one unbranched line through the root.
    std::vector<std::size_t> soma_path(std::size_t root) const
    {
        auto soma_children = [&](std::size_t i) {
            std::vector<std::size_t> out;
            for (std::size_t c : children_[i])
                if (samples_[c].type == 1) out.push_back(c);
            return out;
        };
        auto chain = [&](std::size_t from) {
            std::vector<std::size_t> out{from};
            for (auto next = soma_children(from); !next.empty(); next = soma_children(out.back())) {
                if (next.size() > 1)
                    throw error(out.back(), "the soma branches here; only single-point, three-point and "
                                            "unbranched somata are supported");
                out.push_back(next[0]);
            }
            return out;
        };
        const auto first = soma_children(root);
        if (first.size() > 2)
            throw error(root, "the soma branches here; only single-point, three-point and unbranched somata are supported");
        std::vector<std::size_t> path;
        if (first.size() == 2) {
            path = chain(first[0]);
            std::reverse(path.begin(), path.end());
        }
        path.push_back(root);
        if (!first.empty()) {
            const auto tail = chain(first.back());
            path.insert(path.end(), tail.begin(), tail.end());
        }
        return path;
    }

    void build_sections(std::size_t root)
    {
        for (std::size_t i = 0; i < samples_.size(); ++i)
            if (samples_[i].type == 1 && i != root && samples_[static_cast<std::size_t>(parent_[i])].type != 1)
                throw error(i, "is a soma sample whose parent is not: the soma must be one piece containing the root");
        std::vector<Pending> pending;  // a stack: depth-first, children in file order
        if (samples_[root].type == 1) {
            const auto path = soma_path(root);
            std::vector<Point> points;
            std::vector<double> arc{0.0};
            for (std::size_t i : path) {
                if (!points.empty()) arc.push_back(arc.back() + distance(points.back(), point(i)));
                points.push_back(point(i));
            }
            add_section(points, 0, root, 1, -1, 1.0);
            for (std::size_t k = 0; k < path.size(); ++k) {
                const double position = path.size() == 1 ? 0.5 : arc[k] / arc.back();
                for (std::size_t c : children_[path[k]])
                    if (samples_[c].type != 1) pending.push_back({c, std::nullopt, 0, position});
            }
            std::sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) { return a.start > b.start; });
        } else {
            pending.push_back({root, std::nullopt, -1, 1.0});
        }

        while (!pending.empty()) {
            const Pending p = pending.back();
            pending.pop_back();
            std::vector<Point> points;
            if (p.branch_point) points.push_back(point(*p.branch_point));
            const std::size_t first_own = points.size();
            const int type = samples_[p.start].type;
            std::size_t last = p.start;
            points.push_back(point(last));
            while (children_[last].size() == 1 && samples_[children_[last][0]].type == type) {
                last = children_[last][0];
                points.push_back(point(last));
            }
            const auto section = static_cast<int>(add_section(points, first_own, p.start, type, p.parent, p.parent_position));
            const auto& kids = children_[last];
            for (auto c = kids.rbegin(); c != kids.rend(); ++c) pending.push_back({*c, last, section, 1.0});
        }
    }

    std::vector<Sample> samples_;
    const std::string& source_;
    const SwcOptions& options_;
    std::unordered_map<long long, std::size_t> index_;
    std::vector<long long> parent_;
    std::vector<std::vector<std::size_t>> children_;
    std::map<std::string, std::size_t> counts_;
    Morphology morphology_;
};

}  // namespace

void SwcOptions::validate() const
{
    auto positive = [](double v, const char* field) {
        if (!(std::isfinite(v) && v > 0))
            throw invalid_parameter(field, "must be finite and > 0, got " + std::to_string(v));
    };
    positive(d_lambda, "d_lambda");
    positive(frequency, "frequency");
    positive(compartment_length, "compartment_length");
    positive(axial_resistivity, "axial_resistivity");
    positive(membrane_capacitance, "membrane_capacitance");
}

Morphology parse_swc(std::string_view text, const std::string& source, const SwcOptions& options)
{
    options.validate();
    return Builder(parse_lines(text, source), source, options).build();
}

Morphology read_swc(const std::filesystem::path& path, const SwcOptions& options)
{
    return parse_swc(sim::read_text_file(path, "the SWC file"), path.string(), options);
}

}  // namespace neurode::neurons
