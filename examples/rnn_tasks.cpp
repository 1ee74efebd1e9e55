// A random (untrained) rate network on one task from each family: draw a batch of trials, run the
// network through the Euler map the papers train with, score it the way the task's reference
// does (an untrained network scores near chance), and write trials and activity to HDF5 for
// analysis. Usage: rnn_tasks [output.h5]
//
//   tau_i dx_i/dt = -x_i + sum_j W_ij tanh(x_j) + sum_k Win_ik u_k,   y = Wout tanh(x)

#include <cstdio>
#include <string>

#include <neurode/rnn/io.hpp>
#include <neurode/rnn/rate_network.hpp>
#include <neurode/rnn/task_registry.hpp>
#include <neurode/sim/hdf5.hpp>

int main(int argc, char** argv)
{
    namespace rnn = neurode::rnn;
    const std::string path = argc > 1 ? argv[1] : "neurode-rnn-tasks.h5";
    constexpr std::size_t trials = 16;
    constexpr std::uint64_t seed = 1;

    neurode::sim::h5::Writer out(path);
    std::printf("%-28s %6s %6s %6s %12s %8s\n", "task", "inputs", "steps", "dt_ms", "measure", "score");
    for (const rnn::TaskFamily& family : rnn::task_families()) {
        const std::string& name = family.tasks.front();
        const auto task = rnn::make_task(name);
        const rnn::TrialBatch batch = task->generate(trials, seed);

        rnn::RateNetworkOptions options;
        options.units = 128;
        options.inputs = task->input_size();
        options.outputs = task->output_size();
        options.tau_ms = 10.0 * task->dt();  // a = dt / tau = 0.1, as in the papers' Euler maps
        options.tau_min_ms = task->dt();
        options.heterogeneity = 2;
        options.seed = seed;
        const rnn::RateNetwork network(options);
        const rnn::NetworkRun run = network.run_euler(batch);
        const rnn::Score score = task->score(batch, run.outputs);

        std::printf("%-28s %6zu %6zu %6.2f %12s %8.3f\n", name.c_str(), batch.input_size(), batch.steps, batch.dt,
                    score.measure.c_str(), score.value);
        rnn::write_trials(out, "/" + name + "/trials", batch);
        rnn::write_run(out, "/" + name + "/activity", run);
    }
    out.commit();
    std::printf("wrote %s\n", path.c_str());
    return 0;
}
