#pragma once
// Sweeps: many independent points (a network trained, evaluated, perturbed, analysed), the
// Cartesian product of named factors and their levels, run in parallel and stored one HDF5
// record per point as soon as the point finishes.
//
//   records    <directory>/points/<index>.h5, written with h5::Writer (temporary file, then an
//              atomic rename), so a crash or kill -9 leaves either a complete record or none.
//              Each carries the sweep's fingerprint and its index; one that cannot be read, or
//              carries another fingerprint or index, is corrupt and its point runs again.
//   resume     a run skips the points whose records are complete; since every point's seed is
//              derived from its own levels (seed()), never from the order in which points run,
//              the records equal an uninterrupted run's.
//   exclusion  a point is computed only under an exclusive lock on <index>.lock (flock, which
//              the kernel drops when a process dies, even by kill -9); a process that cannot
//              take the lock skips the point, so two processes or ranks never write one record.
//   manifest   <directory>/sweep.h5 holds the fingerprint and the factors; a directory that
//              belongs to another sweep is refused.
//   sharding   Shard{i, K} runs the points with index mod K == i (array jobs without MPI).
//   sources    the points to run come from a WorkSource: in-process (a shared counter) or, in
//              neurode::sim_mpi, from rank 0 of an MPI job (sweep_mpi.hpp).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/sim/hdf5.hpp>

namespace neurode::sim {

struct SweepFactor {
    std::string name;                 // unique within the sweep
    std::vector<std::string> levels;  // at least one; as written in the sweep file
};

class SweepPlan {
public:
    // Throws invalid_parameter "factors" (none), "factors.<name>" (empty levels, a name twice).
    // `fingerprint` identifies the sweep's description (what is run and stored); non-empty.
    SweepPlan(std::vector<SweepFactor> factors, std::string fingerprint);

    const std::vector<SweepFactor>& factors() const { return factors_; }
    const std::string& fingerprint() const { return fingerprint_; }
    // Number of points: the product of the level counts.
    std::size_t size() const { return size_; }
    // The level index of every factor at a point; the last factor varies fastest.
    std::vector<std::size_t> level_indices(std::size_t point) const;
    // The level of one factor at a point; throws invalid_parameter for an unknown factor.
    const std::string& level(std::size_t point, std::string_view factor) const;
    // A seed from `base` and the point's factor names and levels (sorted by name, so neither the
    // order of the factors nor the order in which points run changes it).
    std::uint64_t seed(std::size_t point, std::uint64_t base) const;

private:
    std::vector<SweepFactor> factors_;
    std::string fingerprint_;
    std::size_t size_ = 1;
};

struct Shard {
    std::size_t index = 0, count = 1;  // this process runs the points with index mod count == index
    void validate() const;             // names "shard"
    bool owns(std::size_t point) const { return point % count == index; }
};

struct SweepOptions {
    std::filesystem::path directory;  // the records, the locks and the manifest
    std::size_t threads = 1;          // points run at once in this process (0: one per core)
    Shard shard;
    void validate() const;  // names "directory", "shard"
    std::size_t workers() const;  // threads, or the number of cores when threads == 0
};

enum class RecordState { missing, complete, corrupt };

std::filesystem::path record_path(const std::filesystem::path& directory, std::size_t point);
RecordState record_state(const SweepPlan& plan, const std::filesystem::path& directory, std::size_t point);

// What happened to a point handed to a worker.
enum class PointOutcome {
    computed,  // run and stored by this process
    resumed,   // its record was already complete
    busy,      // another process holds its lock
    failed,    // the body threw; nothing stored, a later run tries again
};

struct SweepFailure {
    std::size_t point = 0;
    std::string message;
};

struct SweepSummary {
    std::size_t owned = 0;     // points this process (or, under MPI, the job) is responsible for
    std::size_t computed = 0, resumed = 0, busy = 0, failed = 0;
    std::size_t rerun_corrupt = 0;  // of computed: points whose corrupt record was replaced
    std::vector<SweepFailure> failures;
    double wall_seconds = 0;
};

// Progress for people watching: done counts computed and resumed points.
struct SweepProgress {
    std::size_t owned = 0, done = 0, computed = 0, resumed = 0, failed = 0;
    double elapsed_seconds = 0;
    std::string status() const;  // "37/216 points done (12 resumed), 0 failed"
};
using SweepProgressCallback = std::function<void(const SweepProgress&)>;

// Where a worker gets its next point; reports the outcome of the previous one (none at first).
class WorkSource {
public:
    virtual ~WorkSource() = default;
    virtual std::optional<std::size_t> next(std::optional<std::size_t> finished, PointOutcome outcome) = 0;
};

// The pending points handed out in index order under a mutex, each outcome counted and progress
// reported as it arrives: the in-process source, and rank 0's queue under MPI.
class PointQueue final : public WorkSource {
public:
    // `owned`: the points the run is responsible for, of which those not in `pending` are done.
    PointQueue(std::vector<std::size_t> pending, std::size_t owned, SweepProgressCallback progress = {});
    std::optional<std::size_t> next(std::optional<std::size_t> finished, PointOutcome outcome) override;
    // The counts so far (failures are run_points' to list).
    SweepSummary summary() const;

private:
    SweepProgress progress_locked() const;
    std::vector<std::size_t> pending_;
    std::size_t next_ = 0;
    SweepSummary counts_;  // owned, and the outcomes reported so far
    double start_;  // [s] steady clock
    SweepProgressCallback callback_;
    mutable std::mutex mutex_;
};

// The body computes one point and writes its results into the open record (the runner adds the
// fingerprint, index, levels and wall time, then commits). An exception counts as a failure of
// that point, not of the sweep.
using PointBody = std::function<void(std::size_t point, h5::Writer& record)>;

// Writes the manifest, or checks it (io_error naming it if it belongs to another sweep).
void open_sweep_directory(const SweepPlan& plan, const SweepOptions& options);
// The points of this shard whose records are not complete, in index order.
std::vector<std::size_t> pending_points(const SweepPlan& plan, const SweepOptions& options);
// How many points the shard owns.
std::size_t owned_points(const SweepPlan& plan, const Shard& shard);
// Runs what `source` hands out on options.threads threads until it has nothing left; the summary
// counts the points handed to this process (owned) and what became of them.
SweepSummary run_points(const SweepPlan& plan, const SweepOptions& options, const PointBody& body, WorkSource& source);
// The whole sweep in this process: manifest, pending points, threads, progress after every point.
SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options, const PointBody& body,
                       const SweepProgressCallback& progress = {});

}  // namespace neurode::sim
