#include <neurode/rnn/task_registry.hpp>

#include <neurode/rnn/tasks/huang.hpp>
#include <neurode/rnn/tasks/mcmahan.hpp>
#include <neurode/rnn/tasks/neurogym.hpp>
#include <neurode/rnn/tasks/working_memory.hpp>
#include <neurode/rnn/tasks/yang.hpp>
#include <neurode/sim/errors.hpp>

namespace neurode::rnn {

namespace {
constexpr std::size_t max_cdi_contexts = 6;
const std::string cdi_prefix = "mcmahan_cdi_";
}  // namespace

std::vector<TaskFamily> task_families()
{
    TaskFamily mcmahan{"mcmahan", {"mcmahan_rdm"}};
    for (std::size_t n = 2; n <= max_cdi_contexts; ++n) mcmahan.tasks.push_back(cdi_prefix + std::to_string(n));
    return {
        {"yang", {"go", "dly_go", "anti", "dly_anti", "msdm", "dly_msdm"}},
        {"neurogym", neurogym_task_names()},
        mcmahan,
        {"huang", {"flip_flop", "sine_wave", "delayed_discrimination", "path_integration_2d", "path_integration_3d"}},
        {"working_memory", {"working_memory_cue", "working_memory_identity"}},
    };
}

std::vector<std::string> task_names()
{
    std::vector<std::string> names;
    for (const TaskFamily& family : task_families()) names.insert(names.end(), family.tasks.begin(), family.tasks.end());
    return names;
}

std::unique_ptr<Task> make_task(std::string_view name)
{
    for (const TaskFamily& family : task_families()) {
        bool listed = false;
        for (const std::string& task : family.tasks) listed = listed || task == name;
        if (!listed) continue;
        if (family.name == "yang") return make_yang_task(name);
        if (family.name == "neurogym") return make_neurogym_task(name);
        if (name == "mcmahan_rdm") return std::make_unique<RandomDotsTask>();
        if (name.starts_with(cdi_prefix)) {
            ContextIntegrationOptions o;
            o.contexts = std::stoul(std::string(name.substr(cdi_prefix.size())));
            return std::make_unique<ContextIntegrationTask>(o);
        }
        if (name == "flip_flop") return std::make_unique<FlipFlopTask>();
        if (name == "sine_wave") return std::make_unique<SineWaveTask>();
        if (name == "delayed_discrimination") return std::make_unique<DelayedDiscriminationTask>();
        if (name.starts_with("path_integration_")) {
            PathIntegrationOptions o;
            o.dimension = name.ends_with("3d") ? 3 : 2;
            return std::make_unique<PathIntegrationTask>(o);
        }
        if (name == "working_memory_cue") return std::make_unique<WorkingMemoryTask>();
        WorkingMemoryOptions o;
        o.cue = CueKind::identity;
        return std::make_unique<WorkingMemoryTask>(o);
    }
    std::string known;
    for (const std::string& n : task_names()) known += (known.empty() ? "" : ", ") + n;
    throw invalid_parameter("task", "unknown task '" + std::string(name) + "'; known: " + known);
}

}  // namespace neurode::rnn
