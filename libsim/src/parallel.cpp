#include <neurode/sim/parallel.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace neurode::sim {

void parallel_for(std::size_t count, std::size_t threads, const std::function<void(std::size_t)>& body)
{
    parallel_for(count, threads, [&](std::size_t item, std::size_t) { body(item); });
}

void parallel_for(std::size_t count, std::size_t threads, const std::function<void(std::size_t, std::size_t)>& body)
{
    std::vector<std::exception_ptr> failures(count);
    std::atomic<std::size_t> next{0};
    auto worker = [&](std::size_t w) {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                body(i, w);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t used = std::min(count, threads == 0 ? hardware : threads);
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < used; ++w) pool.emplace_back(worker, w);
    worker(0);
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& f : failures)
        if (f) std::rethrow_exception(f);
}

}  // namespace neurode::sim
