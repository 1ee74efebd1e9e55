#include <neurode/sim/sweep_mpi.hpp>

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <neurode/sim/errors.hpp>

namespace neurode::sim {

namespace {
constexpr int tag_request = 1;  // worker -> rank 0: {finished point or -1, its outcome}
constexpr int tag_assign = 2;   // rank 0 -> worker: the next point, or -1: nothing left
// Waits poll this often instead of blocking in MPI calls, which in Open MPI spin a core that the
// workers need (rank 0's coordinator; a rank done before the others).
constexpr auto poll_interval = std::chrono::milliseconds(1);

void check(int code, const char* call)
{
    if (code == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, text, &length);
    throw runtime_error(std::string("sweep: ") + call + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

// Completes a request without spinning.
void wait(MPI_Request& request, const char* call)
{
    for (;;) {
        int done = 0;
        check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), call);
        if (done) return;
        std::this_thread::sleep_for(poll_interval);
    }
}

// A worker on another rank: one request and its reply per call, under the rank's MPI mutex so
// that the reply reaches the thread that asked.
class RemoteSource final : public WorkSource {
public:
    std::optional<std::size_t> next(std::optional<std::size_t> finished, PointOutcome outcome) override
    {
        std::lock_guard lock(mutex_);
        const std::int64_t request[2] = {finished ? static_cast<std::int64_t>(*finished) : -1, static_cast<std::int64_t>(outcome)};
        check(MPI_Send(request, 2, MPI_INT64_T, 0, tag_request, MPI_COMM_WORLD), "MPI_Send");
        std::int64_t point = -1;
        MPI_Request reply;
        check(MPI_Irecv(&point, 1, MPI_INT64_T, 0, tag_assign, MPI_COMM_WORLD, &reply), "MPI_Irecv");
        wait(reply, "MPI_Test");
        if (point < 0) return std::nullopt;
        return static_cast<std::size_t>(point);
    }

private:
    std::mutex mutex_;
};

// Serves requests until every remote worker has been told that nothing is left.
void coordinate(PointQueue& queue, std::size_t remote_workers)
{
    while (remote_workers > 0) {
        int flag = 0;
        MPI_Status status;
        check(MPI_Iprobe(MPI_ANY_SOURCE, tag_request, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
        if (!flag) {
            std::this_thread::sleep_for(poll_interval);
            continue;
        }
        std::int64_t request[2];
        check(MPI_Recv(request, 2, MPI_INT64_T, status.MPI_SOURCE, tag_request, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
        const auto finished = request[0] < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(request[0]));
        const auto point = queue.next(finished, static_cast<PointOutcome>(request[1]));
        const std::int64_t reply = point ? static_cast<std::int64_t>(*point) : -1;
        check(MPI_Send(&reply, 1, MPI_INT64_T, status.MPI_SOURCE, tag_assign, MPI_COMM_WORLD), "MPI_Send");
        if (!point) --remote_workers;
    }
}

// Every rank's failures, to rank 0, as "point<TAB>message" lines.
std::vector<SweepFailure> gather_failures(const std::vector<SweepFailure>& mine, int rank, int size)
{
    std::string text;
    for (const SweepFailure& f : mine) text += std::to_string(f.point) + '\t' + f.message + '\n';
    int length = static_cast<int>(text.size());
    std::vector<int> lengths(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
    check(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
    std::string all;
    if (rank == 0) {
        int total = 0;
        for (int r = 0; r < size; ++r) {
            offsets[static_cast<std::size_t>(r)] = total;
            total += lengths[static_cast<std::size_t>(r)];
        }
        all.resize(static_cast<std::size_t>(total));
    }
    check(MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD),
          "MPI_Gatherv");
    if (rank != 0) return mine;
    std::vector<SweepFailure> failures;
    std::size_t start = 0;
    while (start < all.size()) {
        const std::size_t tab = all.find('\t', start), end = all.find('\n', tab);
        failures.push_back({std::stoul(all.substr(start, tab - start)), all.substr(tab + 1, end - tab - 1)});
        start = end + 1;
    }
    std::sort(failures.begin(), failures.end(), [](const SweepFailure& a, const SweepFailure& b) { return a.point < b.point; });
    return failures;
}
}  // namespace

bool launched_by_mpi()
{
    return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
           std::getenv("PMIX_RANK") != nullptr;
}

MpiSession::MpiSession(int* argc, char*** argv)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
        throw runtime_error("sweep: MPI_Init_thread failed");
    // Errors come back as codes (thrown as runtime_error) rather than aborting the job.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw runtime_error("sweep: this MPI library does not support MPI_THREAD_SERIALIZED");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

SweepSummary run_sweep_mpi(const MpiSession& mpi, const SweepPlan& plan, const SweepOptions& options,
                           const PointBody& body, const SweepProgressCallback& progress)
{
    options.validate();
    const int rank = mpi.rank(), size = mpi.size();
    const auto workers = static_cast<std::int64_t>(options.workers());
    std::int64_t remote_workers = 0;
    check(MPI_Reduce(&workers, &remote_workers, 1, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD), "MPI_Reduce");
    remote_workers -= workers;

    SweepSummary mine, job;
    if (rank == 0) {
        open_sweep_directory(plan, options);
        PointQueue queue(pending_points(plan, options), owned_points(plan, options.shard), progress);
        std::exception_ptr coordinator_error;
        std::thread coordinator([&] {
            try {
                coordinate(queue, static_cast<std::size_t>(remote_workers));
            } catch (...) {
                coordinator_error = std::current_exception();
            }
        });
        mine = run_points(plan, options, body, queue);
        coordinator.join();
        if (coordinator_error) std::rethrow_exception(coordinator_error);
        job = queue.summary();
    } else {
        RemoteSource source;
        mine = run_points(plan, options, body, source);
    }
    // Ranks that finish early wait here without spinning; the collectives below then find
    // every rank present.
    MPI_Request everyone;
    check(MPI_Ibarrier(MPI_COMM_WORLD, &everyone), "MPI_Ibarrier");
    wait(everyone, "MPI_Test");
    const auto corrupt = static_cast<std::int64_t>(mine.rerun_corrupt);
    std::int64_t corrupt_total = 0;
    check(MPI_Reduce(&corrupt, &corrupt_total, 1, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD), "MPI_Reduce");
    auto failures = gather_failures(mine.failures, rank, size);
    if (rank != 0) return mine;
    job.rerun_corrupt = static_cast<std::size_t>(corrupt_total);
    job.failures = std::move(failures);
    return job;
}

}  // namespace neurode::sim
