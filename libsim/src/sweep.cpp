#include <neurode/sim/sweep.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include <neurode/sim/errors.hpp>
#include <neurode/sim/parallel.hpp>
#include <neurode/sim/random.hpp>

namespace neurode::sim {

namespace {
constexpr const char* record_format = "neurode-sweep-point";
constexpr const char* manifest_format = "neurode-sweep";

double now_seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// FNV-1a: a stable hash of text (std::hash may differ between standard libraries).
std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 0xcbf29ce484222325ULL)
{
    for (const unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void count(SweepSummary& s, PointOutcome outcome)
{
    ++(outcome == PointOutcome::computed ? s.computed
       : outcome == PointOutcome::resumed ? s.resumed
       : outcome == PointOutcome::busy    ? s.busy
                                          : s.failed);
}

// An exclusive, non-blocking flock on a point's lock file. The kernel drops it when the process
// ends however it ends, so a killed run leaves no stale claim.
class PointLock {
public:
    explicit PointLock(std::filesystem::path path) : path_(std::move(path))
    {
        fd_ = ::open(path_.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
        if (fd_ < 0) throw io_error(path_.string(), "cannot create the point's lock file");
        held_ = ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
    }
    ~PointLock()
    {
        // Unlinking while still holding the lock: a process that opened the old file before the
        // unlink and locks it afterwards finds the record complete and skips the point.
        if (held_ && done_) ::unlink(path_.c_str());
        ::close(fd_);
    }
    PointLock(const PointLock&) = delete;
    PointLock& operator=(const PointLock&) = delete;
    bool held() const { return held_; }
    void mark_done() { done_ = true; }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    bool held_ = false, done_ = false;
};

}  // namespace

SweepPlan::SweepPlan(std::vector<SweepFactor> factors, std::string fingerprint)
    : factors_(std::move(factors)), fingerprint_(std::move(fingerprint))
{
    if (factors_.empty()) throw invalid_parameter("factors", "a sweep needs at least one factor");
    if (fingerprint_.empty()) throw invalid_parameter("fingerprint", "must not be empty");
    for (std::size_t f = 0; f < factors_.size(); ++f) {
        const SweepFactor& factor = factors_[f];
        if (factor.name.empty()) throw invalid_parameter("factors", "a factor has no name");
        for (std::size_t g = 0; g < f; ++g)
            if (factors_[g].name == factor.name) throw invalid_parameter("factors." + factor.name, "is named twice");
        if (factor.levels.empty()) throw invalid_parameter("factors." + factor.name, "has no levels (empty list)");
        size_ *= factor.levels.size();
    }
}

std::vector<std::size_t> SweepPlan::level_indices(std::size_t point) const
{
    if (point >= size_) throw invalid_parameter("point", "index " + std::to_string(point) + " >= " + std::to_string(size_));
    std::vector<std::size_t> idx(factors_.size());
    for (std::size_t f = factors_.size(); f-- > 0;) {
        idx[f] = point % factors_[f].levels.size();
        point /= factors_[f].levels.size();
    }
    return idx;
}

const std::string& SweepPlan::level(std::size_t point, std::string_view factor) const
{
    const auto idx = level_indices(point);
    for (std::size_t f = 0; f < factors_.size(); ++f)
        if (factors_[f].name == factor) return factors_[f].levels[idx[f]];
    throw invalid_parameter(std::string(factor), "is not a factor of this sweep");
}

std::uint64_t SweepPlan::seed(std::size_t point, std::uint64_t base) const
{
    const auto idx = level_indices(point);
    std::vector<std::string> pairs;
    for (std::size_t f = 0; f < factors_.size(); ++f) pairs.push_back(factors_[f].name + "=" + factors_[f].levels[idx[f]]);
    std::sort(pairs.begin(), pairs.end());
    std::uint64_t h = fnv1a(std::to_string(base));
    for (const std::string& p : pairs) h = fnv1a(p + '\x1f', h);
    return Rng(h).next_u64();  // mixes the hash's low-entropy bits
}

void Shard::validate() const
{
    if (count == 0 || index >= count)
        throw invalid_parameter("shard", "must be i/K with K >= 1 and 0 <= i < K, got " + std::to_string(index) + "/" +
                                             std::to_string(count));
}

void SweepOptions::validate() const
{
    if (directory.empty()) throw invalid_parameter("directory", "must name the directory of the records");
    shard.validate();
}

std::size_t SweepOptions::workers() const
{
    return threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;
}

std::filesystem::path record_path(const std::filesystem::path& directory, std::size_t point)
{
    char name[32];
    std::snprintf(name, sizeof name, "%06zu.h5", point);
    return directory / "points" / name;
}

RecordState record_state(const SweepPlan& plan, const std::filesystem::path& directory, std::size_t point)
{
    const auto path = record_path(directory, point);
    if (!std::filesystem::exists(path)) return RecordState::missing;
    try {
        const h5::Reader r(path);
        const bool ours = r.string_attribute("/", "format") == record_format &&
                          r.string_attribute("/", "fingerprint") == plan.fingerprint() &&
                          r.int_attribute("/", "index") == static_cast<std::int64_t>(point);
        return ours ? RecordState::complete : RecordState::corrupt;
    } catch (const std::exception&) {
        return RecordState::corrupt;  // truncated, overwritten, not HDF5
    }
}

PointQueue::PointQueue(std::vector<std::size_t> pending, std::size_t owned, SweepProgressCallback progress)
    : pending_(std::move(pending)), start_(now_seconds()), callback_(std::move(progress))
{
    counts_.owned = owned;
}

std::optional<std::size_t> PointQueue::next(std::optional<std::size_t> finished, PointOutcome outcome)
{
    std::lock_guard lock(mutex_);
    if (finished) {
        count(counts_, outcome);
        if (callback_) callback_(progress_locked());
    }
    if (next_ == pending_.size()) return std::nullopt;
    return pending_[next_++];
}

SweepProgress PointQueue::progress_locked() const
{
    SweepProgress p;
    p.owned = counts_.owned;
    p.computed = counts_.computed;
    p.resumed = counts_.owned - pending_.size() + counts_.resumed;
    p.failed = counts_.failed;
    p.done = p.computed + p.resumed;
    p.elapsed_seconds = now_seconds() - start_;
    return p;
}

SweepSummary PointQueue::summary() const
{
    std::lock_guard lock(mutex_);
    const SweepProgress p = progress_locked();
    SweepSummary s = counts_;
    s.resumed = p.resumed;
    s.wall_seconds = p.elapsed_seconds;
    return s;
}

std::string SweepProgress::status() const
{
    std::string s = std::to_string(done) + "/" + std::to_string(owned) + " points done";
    if (resumed > 0) s += " (" + std::to_string(resumed) + " resumed)";
    return s + ", " + std::to_string(failed) + " failed";
}

void open_sweep_directory(const SweepPlan& plan, const SweepOptions& options)
{
    options.validate();
    std::error_code error;
    std::filesystem::create_directories(options.directory / "points", error);
    if (error) throw io_error((options.directory / "points").string(), "cannot create the directory: " + error.message());
    const auto manifest = options.directory / "sweep.h5";
    if (std::filesystem::exists(manifest)) {
        std::string fingerprint;
        try {
            const h5::Reader r(manifest);
            fingerprint = r.string_attribute("/", "fingerprint");
        } catch (const std::exception&) {
            fingerprint.clear();  // unreadable: written again below
        }
        if (!fingerprint.empty() && fingerprint != plan.fingerprint())
            throw io_error(manifest.string(), "belongs to another sweep (its description differs); choose another "
                                              "directory, or remove this one to start afresh");
        if (!fingerprint.empty()) return;
    }
    h5::Writer w(manifest);
    w.set_attribute("/", "format", manifest_format);
    w.set_attribute("/", "fingerprint", plan.fingerprint());
    w.set_attribute("/", "points", static_cast<std::int64_t>(plan.size()));
    std::vector<std::string> names;
    for (const SweepFactor& f : plan.factors()) {
        names.push_back(f.name);
        w.write("/factors/" + f.name, f.levels);
    }
    w.write("/factor_order", names);
    w.commit();
}

std::vector<std::size_t> pending_points(const SweepPlan& plan, const SweepOptions& options)
{
    options.validate();
    std::vector<std::size_t> pending;
    for (std::size_t p = 0; p < plan.size(); ++p)
        if (options.shard.owns(p) && record_state(plan, options.directory, p) != RecordState::complete) pending.push_back(p);
    return pending;
}

std::size_t owned_points(const SweepPlan& plan, const Shard& shard)
{
    shard.validate();
    std::size_t owned = 0;
    for (std::size_t p = 0; p < plan.size(); ++p) owned += shard.owns(p) ? 1 : 0;
    return owned;
}

SweepSummary run_points(const SweepPlan& plan, const SweepOptions& options, const PointBody& body, WorkSource& source)
{
    options.validate();
    std::mutex mutex;
    SweepSummary summary;
    auto run_one = [&](std::size_t point) {
        const auto path = record_path(options.directory, point);
        PointLock lock(path.parent_path() / (path.stem().string() + ".lock"));
        if (!lock.held()) return PointOutcome::busy;
        const RecordState state = record_state(plan, options.directory, point);
        if (state == RecordState::complete) return PointOutcome::resumed;
        const double start = now_seconds();
        try {
            h5::Writer record(path);
            body(point, record);
            record.set_attribute("/", "format", record_format);
            record.set_attribute("/", "fingerprint", plan.fingerprint());
            record.set_attribute("/", "index", static_cast<std::int64_t>(point));
            record.set_attribute("/", "seconds", now_seconds() - start);
            record.create_group("/point");
            const auto idx = plan.level_indices(point);
            for (std::size_t f = 0; f < idx.size(); ++f)
                record.set_attribute("/point", plan.factors()[f].name, plan.factors()[f].levels[idx[f]]);
            record.commit();
        } catch (const std::exception& e) {
            std::lock_guard guard(mutex);
            summary.failures.push_back({point, e.what()});
            return PointOutcome::failed;
        }
        lock.mark_done();
        if (state == RecordState::corrupt) {
            std::lock_guard guard(mutex);
            ++summary.rerun_corrupt;
        }
        return PointOutcome::computed;
    };
    const std::size_t workers = options.workers();
    parallel_for(workers, workers, [&](std::size_t) {
        std::optional<std::size_t> finished;
        PointOutcome outcome = PointOutcome::computed;
        while (const auto point = source.next(finished, outcome)) {
            outcome = run_one(*point);
            finished = point;
            std::lock_guard guard(mutex);
            ++summary.owned;
            count(summary, outcome);
        }
    });
    std::sort(summary.failures.begin(), summary.failures.end(),
              [](const SweepFailure& a, const SweepFailure& b) { return a.point < b.point; });
    return summary;
}

SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options, const PointBody& body,
                       const SweepProgressCallback& progress)
{
    open_sweep_directory(plan, options);
    PointQueue queue(pending_points(plan, options), owned_points(plan, options.shard), progress);
    const SweepSummary run = run_points(plan, options, body, queue);
    SweepSummary summary = queue.summary();
    summary.failures = run.failures;
    summary.rerun_corrupt = run.rerun_corrupt;
    return summary;
}

}  // namespace neurode::sim
