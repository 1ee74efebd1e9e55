#pragma once
// One parallel loop for the whole library: independent work items (trials, network pairs,
// fixed-point starts) shared out over threads. Each item writes only its own results, so the
// outcome never depends on the thread count or the order in which items finish.
#include <cstddef>
#include <functional>

namespace neurode::sim {

// Calls body(i) for i in [0, count) on up to `threads` threads (0: one per hardware thread; the
// calling thread is one of them). After all threads stop, rethrows the failure of the lowest
// failing index, if any.
void parallel_for(std::size_t count, std::size_t threads, const std::function<void(std::size_t)>& body);
// The same, also passing the worker running the item (0 .. threads-1), for per-thread workspaces.
void parallel_for(std::size_t count, std::size_t threads, const std::function<void(std::size_t item, std::size_t worker)>& body);

}  // namespace neurode::sim
