#pragma once
// Every task in neurode by name, with its default options: the names the command line, sweep
// files and examples use. Families: Yang et al. 2019 (go, dly_go, anti, dly_anti, msdm,
// dly_msdm), NeuroGym-style (perceptual_decision_making, context_decision_making, go_nogo,
// delay_comparison, probabilistic_reasoning), McMahan et al. (mcmahan_rdm, mcmahan_cdi_2 ..
// mcmahan_cdi_6), Huang et al. (flip_flop, sine_wave, delayed_discrimination,
// path_integration_2d, path_integration_3d) and the reservoir's working-memory cue task
// (working_memory_cue: 2-D analog cue; working_memory_identity: one of 4 identities).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <neurode/rnn/task.hpp>

namespace neurode::rnn {

struct TaskFamily {
    std::string name;                 // "yang", "neurogym", "mcmahan", "huang", "working_memory"
    std::vector<std::string> tasks;
};

std::vector<TaskFamily> task_families();
std::vector<std::string> task_names();
// Throws invalid_parameter("task", ...) listing the known names for an unknown one.
std::unique_ptr<Task> make_task(std::string_view name);

}  // namespace neurode::rnn
