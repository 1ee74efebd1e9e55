// Task subcommands: list the task library and write trial batches for use outside neurode
// (h5py, other simulators).
#include "tasks.hpp"

#include <ostream>

#include <neurode/rnn/io.hpp>
#include <neurode/rnn/task_registry.hpp>
#include <neurode/sim/hdf5.hpp>

namespace neurode::app {

int list_tasks(std::ostream& out)
{
    for (const rnn::TaskFamily& family : rnn::task_families()) {
        out << family.name << ":";
        for (const std::string& task : family.tasks) out << " " << task;
        out << "\n";
    }
    return 0;
}

int write_trials(const std::string& task_name, std::size_t trials, std::uint64_t seed, const std::string& output,
                 std::ostream& out)
{
    const auto task = rnn::make_task(task_name);
    const rnn::TrialBatch batch = task->generate(trials, seed);
    sim::h5::Writer file(output);
    rnn::write_trials(file, "/trials", batch);
    file.commit();
    out << task_name << ": " << batch.trials << " trials x " << batch.steps << " steps of " << batch.dt << " ms, "
        << batch.input_size() << " inputs, " << batch.output_size() << " outputs; trial 0 epochs:";
    for (const rnn::Epoch& e : batch.epochs.front()) out << " " << e.name << " [" << e.start << ", " << e.stop << ")";
    out << "\n  wrote " << output << " (group /trials)\n";
    return 0;
}

}  // namespace neurode::app
