#include <neurode/rnn/io.hpp>

#include <algorithm>

#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

void write_trials(sim::h5::Writer& out, const std::string& group, const TrialBatch& batch)
{
    batch.check_consistent();
    out.create_group(group);
    out.set_attribute(group, "task", batch.task);
    out.set_attribute(group, "dt", batch.dt);
    out.set_attribute(group, "dt_unit", "ms");
    out.write(group + "/inputs", batch.inputs, {batch.trials, batch.steps, batch.input_size()});
    out.write(group + "/targets", batch.targets, {batch.trials, batch.steps, batch.output_size()});
    out.write(group + "/mask", batch.mask, {batch.trials, batch.steps, batch.output_size()});
    out.write(group + "/input_names", batch.input_names);
    out.write(group + "/output_names", batch.output_names);
    out.write(group + "/condition_names", batch.condition_names);
    out.write(group + "/conditions", batch.conditions, {batch.trials, batch.condition_names.size()});
    write_epochs(out, group, batch.epochs);
}

TrialBatch read_trials(const sim::h5::Reader& in, const std::string& group)
{
    const auto shape = in.shape(group + "/inputs");
    if (shape.size() != 3) throw io_error(group + "/inputs", "must be a [trials, steps, inputs] dataset");
    TrialBatch batch(in.string_attribute(group, "task"), shape[0], shape[1], in.double_attribute(group, "dt"),
                     in.read_strings(group + "/input_names"), in.read_strings(group + "/output_names"),
                     in.read_strings(group + "/condition_names"));
    batch.inputs = in.read_doubles(group + "/inputs");
    batch.targets = in.read_doubles(group + "/targets");
    batch.mask = in.read_doubles(group + "/mask");
    batch.conditions = in.read_doubles(group + "/conditions");
    batch.epochs = read_epochs(in, group, batch.trials, batch.steps);
    try {
        batch.check_consistent();
    } catch (const logic_error& e) {
        throw io_error(group, std::string("inconsistent trial batch in the file: ") + e.what());
    }
    return batch;
}

void write_epochs(sim::h5::Writer& out, const std::string& group, const std::vector<std::vector<Epoch>>& epochs)
{
    std::vector<std::string> names;
    std::vector<std::int64_t> trial, name, start, stop;
    for (std::size_t i = 0; i < epochs.size(); ++i)
        for (const Epoch& e : epochs[i]) {
            auto it = std::find(names.begin(), names.end(), e.name);
            if (it == names.end()) it = names.insert(names.end(), e.name);
            trial.push_back(static_cast<std::int64_t>(i));
            name.push_back(it - names.begin());
            start.push_back(static_cast<std::int64_t>(e.start));
            stop.push_back(static_cast<std::int64_t>(e.stop));
        }
    out.write(group + "/epochs/names", names);
    out.write(group + "/epochs/trial", trial);
    out.write(group + "/epochs/name", name);
    out.write(group + "/epochs/start", start);
    out.write(group + "/epochs/stop", stop);
}

std::vector<std::vector<Epoch>> read_epochs(const sim::h5::Reader& in, const std::string& group, std::size_t trials, std::size_t steps)
{
    const auto names = in.read_strings(group + "/epochs/names");
    const auto trial = in.read_ints(group + "/epochs/trial");
    const auto name = in.read_ints(group + "/epochs/name");
    const auto start = in.read_ints(group + "/epochs/start");
    const auto stop = in.read_ints(group + "/epochs/stop");
    if (name.size() != trial.size() || start.size() != trial.size() || stop.size() != trial.size())
        throw io_error(group + "/epochs", "trial, name, start and stop must have one row per epoch");
    std::vector<std::vector<Epoch>> epochs(trials);
    for (std::size_t r = 0; r < trial.size(); ++r) {
        if (trial[r] < 0 || static_cast<std::size_t>(trial[r]) >= trials || name[r] < 0 ||
            static_cast<std::size_t>(name[r]) >= names.size() || start[r] < 0 || stop[r] < start[r] ||
            static_cast<std::size_t>(stop[r]) > steps)
            throw io_error(group + "/epochs", "row " + std::to_string(r) + " is out of range");
        epochs[static_cast<std::size_t>(trial[r])].push_back(
            {names[static_cast<std::size_t>(name[r])], static_cast<std::size_t>(start[r]), static_cast<std::size_t>(stop[r])});
    }
    return epochs;
}

void write_run(sim::h5::Writer& out, const std::string& group, const NetworkRun& run)
{
    out.create_group(group);
    out.write(group + "/states", run.states, {run.trials, run.steps, run.units});
    out.write(group + "/outputs", run.outputs, {run.trials, run.steps, run.output_count});
}

}  // namespace neurode::rnn
