#include <neurode/sim/search.hpp>

#include <nlopt.h>

#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <set>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/hdf5.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::sim {

namespace {
// Nelder-Mead only compares scores; a failed candidate gets a finite worst value so that NLopt's
// arithmetic on the simplex stays defined.
constexpr double failed_score_for_nlopt = 1e300;

double to_value(const SearchParameter& p, double unit)
{
    if (!p.log_scale) return p.low + unit * (p.high - p.low);
    const double a = std::log10(p.low), b = std::log10(p.high);
    return std::pow(10.0, a + unit * (b - a));
}

// One candidate per stratum of each axis, strata in a random order per axis, a uniform draw
// within each stratum.
std::vector<std::vector<double>> latin_hypercube(std::size_t count, std::size_t dimensions, Rng& rng)
{
    std::vector<std::vector<double>> unit(count, std::vector<double>(dimensions));
    std::vector<std::size_t> strata(count);
    for (std::size_t d = 0; d < dimensions; ++d) {
        std::iota(strata.begin(), strata.end(), 0);
        for (std::size_t i = count; i > 1; --i) std::swap(strata[i - 1], strata[rng.index(i)]);
        for (std::size_t i = 0; i < count; ++i)
            unit[i][d] = (static_cast<double>(strata[i]) + rng.uniform()) / static_cast<double>(count);
    }
    return unit;
}

// The search's state: the log's evaluations to replay, the ones made, and the log's writer.
class Search {
public:
    Search(const std::vector<SearchParameter>& parameters, const SearchObjective& objective, const SearchOptions& options,
           const SearchCallback& callback)
        : parameters_(parameters), objective_(objective), options_(options), callback_(callback)
    {
        if (!options.log.empty() && std::filesystem::exists(options.log)) load_log();
    }

    // The score of the next candidate (unit-cube coordinates): replayed from the log or evaluated.
    double evaluate(const std::vector<double>& unit)
    {
        const std::size_t index = result_.evaluations.size();
        SearchEvaluation e;
        for (std::size_t d = 0; d < parameters_.size(); ++d) e.values.push_back(to_value(parameters_[d], unit[d]));
        if (index < logged_units_.size()) {
            if (logged_units_[index] != unit)
                throw io_error(options_.log.string(), "evaluation " + std::to_string(index) +
                                                          " differs from this search's candidate: the log belongs to another search");
            e.score = logged_scores_[index];
            e.resumed = true;
        } else {
            const double score = objective_(e.values);
            e.score = std::isfinite(score) ? score : std::numeric_limits<double>::infinity();
        }
        units_.push_back(unit);
        result_.evaluations.push_back(std::move(e));
        if (!result_.evaluations.back().resumed) write_log();
        if (callback_) callback_(index, result_.evaluations.back());
        return result_.evaluations.back().score;
    }

    SearchResult finish()
    {
        auto& ev = result_.evaluations;
        for (std::size_t i = 1; i < ev.size(); ++i)
            if (ev[i].score < ev[result_.best].score) result_.best = i;
        return std::move(result_);
    }

    const std::vector<double>& best_unit() const
    {
        std::size_t best = 0;
        for (std::size_t i = 1; i < units_.size(); ++i)
            if (result_.evaluations[i].score < result_.evaluations[best].score) best = i;
        return units_.at(best);
    }

private:
    void write_log() const
    {
        if (options_.log.empty()) return;
        const std::size_t n = units_.size(), d = parameters_.size();
        std::vector<double> unit, values, scores, low, high;
        std::vector<std::int64_t> log_scale;
        std::vector<std::string> names;
        for (std::size_t i = 0; i < n; ++i) {
            unit.insert(unit.end(), units_[i].begin(), units_[i].end());
            values.insert(values.end(), result_.evaluations[i].values.begin(), result_.evaluations[i].values.end());
            scores.push_back(result_.evaluations[i].score);
        }
        for (const SearchParameter& p : parameters_) {
            names.push_back(p.name);
            low.push_back(p.low);
            high.push_back(p.high);
            log_scale.push_back(p.log_scale ? 1 : 0);
        }
        h5::Writer w(options_.log);
        w.write("/parameters/name", names);
        w.write("/parameters/low", low);
        w.write("/parameters/high", high);
        w.write("/parameters/log_scale", log_scale);
        w.write("/evaluations/unit", unit, {n, d});
        w.write("/evaluations/values", values, {n, d});
        w.write("/evaluations/score", scores);
        w.set_attribute("/", "format", "neurode-search");
        w.set_attribute("/", "seed", static_cast<std::int64_t>(options_.seed));
        w.set_attribute("/", "initial", static_cast<std::int64_t>(options_.initial));
        w.set_attribute("/", "initial_step", options_.initial_step);
        w.commit();
    }

    void load_log()
    {
        const std::string path = options_.log.string();
        h5::Reader r(options_.log);
        if (!r.exists("/evaluations/score") || r.string_attribute("/", "format") != "neurode-search")
            throw io_error(path, "is not a neurode search log");
        const auto names = r.read_strings("/parameters/name");
        const auto low = r.read_doubles("/parameters/low"), high = r.read_doubles("/parameters/high");
        const auto log_scale = r.read_ints("/parameters/log_scale");
        bool same = names.size() == parameters_.size() && r.int_attribute("/", "seed") == static_cast<std::int64_t>(options_.seed) &&
                    r.int_attribute("/", "initial") == static_cast<std::int64_t>(options_.initial) &&
                    r.double_attribute("/", "initial_step") == options_.initial_step;
        for (std::size_t d = 0; same && d < names.size(); ++d)
            same = names[d] == parameters_[d].name && low[d] == parameters_[d].low && high[d] == parameters_[d].high &&
                   (log_scale[d] != 0) == parameters_[d].log_scale;
        if (!same)
            throw io_error(path, "belongs to another search (its parameters, bounds, seed, initial count or step differ); "
                                 "remove it or choose another log to start afresh");
        const auto unit = r.read_doubles("/evaluations/unit");
        logged_scores_ = r.read_doubles("/evaluations/score");
        const std::size_t d = parameters_.size();
        for (std::size_t i = 0; i < logged_scores_.size(); ++i)
            logged_units_.emplace_back(unit.begin() + static_cast<std::ptrdiff_t>(i * d),
                                       unit.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    }

    const std::vector<SearchParameter>& parameters_;
    const SearchObjective& objective_;
    const SearchOptions& options_;
    const SearchCallback& callback_;
    std::vector<std::vector<double>> logged_units_, units_;
    std::vector<double> logged_scores_;
    SearchResult result_;
};

struct NloptContext {
    Search* search;
    nlopt_opt opt;
    std::exception_ptr error;
};

double nlopt_objective(unsigned n, const double* x, double* /*gradient*/, void* data)
{
    auto* context = static_cast<NloptContext*>(data);
    if (context->error) return failed_score_for_nlopt;  // stopping: evaluate nothing more
    try {
        const double score = context->search->evaluate(std::vector<double>(x, x + n));
        return std::isfinite(score) ? score : failed_score_for_nlopt;
    } catch (...) {
        context->error = std::current_exception();
        nlopt_force_stop(context->opt);
        return failed_score_for_nlopt;
    }
}

void check_nlopt(nlopt_result code, const char* call)
{
    if (code < 0 && code != NLOPT_FORCED_STOP && code != NLOPT_ROUNDOFF_LIMITED)
        throw runtime_error(std::string("parameter search: NLopt's ") + call + " failed (code " + std::to_string(code) + ")");
}

void nelder_mead(Search& search, std::size_t dimensions, const SearchOptions& options)
{
    nlopt_opt opt = nlopt_create(NLOPT_LN_NELDERMEAD, static_cast<unsigned>(dimensions));
    if (!opt) throw runtime_error("parameter search: NLopt could not create its Nelder-Mead optimiser");
    NloptContext context{&search, opt, nullptr};
    try {
        const std::vector<double> lower(dimensions, 0.0), upper(dimensions, 1.0), step(dimensions, options.initial_step);
        check_nlopt(nlopt_set_lower_bounds(opt, lower.data()), "set_lower_bounds");
        check_nlopt(nlopt_set_upper_bounds(opt, upper.data()), "set_upper_bounds");
        check_nlopt(nlopt_set_initial_step(opt, step.data()), "set_initial_step");
        check_nlopt(nlopt_set_maxeval(opt, static_cast<int>(options.local)), "set_maxeval");
        check_nlopt(nlopt_set_xtol_abs1(opt, 1e-6), "set_xtol_abs");
        check_nlopt(nlopt_set_min_objective(opt, nlopt_objective, &context), "set_min_objective");
        std::vector<double> x = search.best_unit();
        double score = 0;
        const nlopt_result result = nlopt_optimize(opt, x.data(), &score);
        if (context.error) std::rethrow_exception(context.error);
        check_nlopt(result, "optimize");
    } catch (...) {
        nlopt_destroy(opt);
        throw;
    }
    nlopt_destroy(opt);
}
}  // namespace

void SearchParameter::validate() const
{
    if (!(std::isfinite(low) && std::isfinite(high) && low < high))
        throw invalid_parameter(name + ".high", "must be finite and > low");
    if (log_scale && !(low > 0)) throw invalid_parameter(name + ".low", "must be > 0 on a log scale");
}

void SearchOptions::validate() const
{
    if (initial == 0) throw invalid_parameter("initial", "must be >= 1 (the local search starts from the best of them)");
    if (!(initial_step > 0 && initial_step <= 1)) throw invalid_parameter("initial_step", "must be in (0, 1]");
}

SearchResult minimise(const std::vector<SearchParameter>& parameters, const SearchObjective& objective,
                      const SearchOptions& options, const SearchCallback& on_evaluation)
{
    if (parameters.empty()) throw invalid_parameter("parameters", "the search has no parameters");
    std::set<std::string> names;
    for (const SearchParameter& p : parameters) {
        p.validate();
        if (!names.insert(p.name).second) throw invalid_parameter(p.name, "is named twice");
    }
    options.validate();
    if (!objective) throw invalid_parameter("objective", "is empty");
    Search search(parameters, objective, options, on_evaluation);
    Rng rng(options.seed);
    for (const auto& unit : latin_hypercube(options.initial, parameters.size(), rng)) search.evaluate(unit);
    if (options.local > 0) nelder_mead(search, parameters.size(), options);
    return search.finish();
}

std::vector<SearchEvaluation> read_search_log(const std::filesystem::path& log)
{
    h5::Reader r(log);
    if (!r.exists("/evaluations/score") || r.string_attribute("/", "format") != "neurode-search")
        throw io_error(log.string(), "is not a neurode search log");
    const auto values = r.read_doubles("/evaluations/values");
    const auto scores = r.read_doubles("/evaluations/score");
    const std::size_t d = r.read_strings("/parameters/name").size();
    std::vector<SearchEvaluation> out;
    for (std::size_t i = 0; i < scores.size(); ++i)
        out.push_back({{values.begin() + static_cast<std::ptrdiff_t>(i * d), values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d)},
                       scores[i], true});
    return out;
}

}  // namespace neurode::sim
