#pragma once
// A sweep spread over the ranks of an MPI job (neurode::sim_mpi, built when NEURODE_WITH_MPI is
// on). Dynamic assignment, because points differ in cost by orders of magnitude: rank 0 finds
// the pending points and hands them out one at a time to whichever worker asks (a coordinator
// thread that polls without spinning a core; rank 0's own threads take points from the same
// queue in memory). Every rank writes its own records into the shared directory (sweep.hpp), so
// results land in one file set and nothing but point indices passes through rank 0.
//
// Without mpirun the same program runs the sweep in-process (run_sweep); launched_by_mpi()
// tells which, from the launcher's environment, so that MPI is initialised only under mpirun.

#include <neurode/sim/sweep.hpp>

namespace neurode::sim {

// True when this process was started by mpirun / mpiexec (Open MPI, PMI or PMIx environment).
bool launched_by_mpi();

// MPI_Init_thread (MPI_THREAD_SERIALIZED: threads take turns calling MPI) and MPI_Finalize.
class MpiSession {
public:
    MpiSession(int* argc, char*** argv);  // throws runtime_error if MPI cannot start
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    int rank() const { return rank_; }
    int size() const { return size_; }

private:
    int rank_ = 0, size_ = 1;
};

// Run by every rank of the job with the same plan and options (options.shard: the job's part of
// the sweep). `progress` is called on rank 0 only, with the job's counts. The summary is the
// job's on rank 0 (every rank's counts and failures) and the rank's own elsewhere.
SweepSummary run_sweep_mpi(const MpiSession& mpi, const SweepPlan& plan, const SweepOptions& options,
                           const PointBody& body, const SweepProgressCallback& progress = {});

}  // namespace neurode::sim
