// The study's embedded configurations. The default evaluates the parameters the full study's
// search found (docs/working-memory.md) on 2 networks per condition with 3 repeats per cue, in
// about 3 minutes on 2 cores; the full study searches each condition with the same budget and
// evaluates 5 fresh networks per condition with the reference's 5 repeats.

#include "wm/study.hpp"

namespace neurode::app::wm {

namespace {
// Keys common to both: the reference's task, reservoir and readout.
constexpr const char* task_and_reservoir = R"(
  "task": { "cue_onset_ms": 250, "cue_ms": 25, "delay_ms": 725, "dt_ms": 1, "memory_bin_ms": 25, "compare_bin_ms": 10 REPEATS },
  "reservoir": {
    "excitatory": 50, "cue_cells": 25, "cue_tuning_width": 0.3, "readout_tau_ms": 10,
    "method": "staggered_crank_nicolson", "dt_ms": 0.1,
    "parameters": { "cue_to_inhibitory_uS": 0.001, "cue_peak_nA": 0.1, "drive_rate_Hz": 100, "drive_weight_uS": 0.01 }
  },)";

std::string with_repeats(const char* repeats)
{
    std::string text = task_and_reservoir;
    text.replace(text.find("REPEATS"), 7, repeats);
    return text;
}

// The four cue conditions; the default fills in the parameters the full study's search found.
std::string conditions(bool searched_parameters)
{
    const auto found = [&](const char* parameters) { return std::string(searched_parameters ? parameters : ""); };
    return R"(
  "conditions": [
    { "name": "dendritic NMDA", "receptor": "nmda", "site": "dendrite", "parameters": {)" +
           found(R"("cue_pconn": 0.451898, "cue_uS": 0.00747632, "drive_weight_uS": 0.0011244, "e_dend_cal_S_cm2": 1.81437e-05, "ee_ampa_uS": 0.0702743, "ee_dend_ampa_uS": 4.01846e-05, "ei_ampa_uS": 0.00394801, "ie_dend_gaba_uS": 0.000745822, "ie_gaba_uS": 0.0667744, "ii_gaba_uS": 0.00880223)") + R"(} },
    { "name": "dendritic AMPA", "receptor": "ampa", "site": "dendrite", "parameters": {)" +
           found(R"("cue_pconn": 0.242663, "cue_uS": 0.0303905, "drive_weight_uS": 0.00109321, "e_dend_cal_S_cm2": 0.000429447, "ee_ampa_uS": 0.0421223, "ee_dend_ampa_uS": 1.11166e-05, "ei_ampa_uS": 0.00969433, "ie_dend_gaba_uS": 8.34418e-05, "ie_gaba_uS": 0.0939676, "ii_gaba_uS": 0.00104307)") + R"(} },
    { "name": "somatic NMDA", "receptor": "nmda", "site": "soma", "parameters": {)" +
           found(R"("cue_pconn": 0.133729, "cue_uS": 0.0444494, "drive_weight_uS": 0.00303559, "e_dend_cal_S_cm2": 0.000571999, "ee_ampa_uS": 0.050543, "ee_dend_ampa_uS": 0.000263574, "ei_ampa_uS": 0.0132092, "ie_dend_gaba_uS": 0.000597628, "ie_gaba_uS": 0.0250739, "ii_gaba_uS": 0.00153984)") + R"(} },
    { "name": "somatic AMPA", "receptor": "ampa", "site": "soma", "parameters": {)" +
           found(R"("cue_pconn": 0.242663, "cue_uS": 0.0481657, "drive_weight_uS": 0.00104557, "e_dend_cal_S_cm2": 0.000680628, "ee_ampa_uS": 0.0501945, "ee_dend_ampa_uS": 1.76186e-05, "ei_ampa_uS": 0.00969433, "ie_dend_gaba_uS": 0.000132246, "ie_gaba_uS": 0.0939676, "ii_gaba_uS": 0.00104307)") + R"(} }
  ],)";
}

constexpr const char* abstract = R"(
  "abstract": { "units": 64, "dt_ms": 5, "tau_ms": 20, "heterogeneity_level": 3, "reservoir_gain": 1.2,
                "noise_sd": 0.05, "bptt_trials": 6000, "bptt_batch_size": 32, "bptt_target_r2": 0.98,
                "learning_rate": 0.003, "fixed_point_starts": 64 })";
}  // namespace

const std::string& study_default_config()
{
    static const std::string text = std::string("{\n  \"output\": \"neurode-wm.h5\",\n  \"seed\": 1,\n  \"threads\": 0,\n  \"figures\": true,") +
                                    with_repeats(", \"repeats\": 3") + conditions(true) +
                                    R"(
  "evaluation": { "network_seeds": 2 },)" + abstract + "\n}";
    return text;
}

const std::string& study_full_config()
{
    static const std::string text = std::string("{\n  \"output\": \"neurode-wm-full.h5\",\n  \"seed\": 1,\n  \"threads\": 0,\n  \"figures\": true,") +
                                    with_repeats(", \"repeats\": 5") + conditions(false) + R"(
  "search": {
    "initial": 24, "local": 24, "repeats": 3, "initial_step": 0.1,
    "parameters": [
      { "name": "cue_uS", "low": 0.003, "high": 0.3, "scale": "log" },
      { "name": "cue_pconn", "low": 0.05, "high": 0.5, "scale": "linear" },
      { "name": "ee_ampa_uS", "low": 0.003, "high": 0.1, "scale": "log" },
      { "name": "ee_dend_ampa_uS", "low": 0.00001, "high": 0.001, "scale": "log" },
      { "name": "ei_ampa_uS", "low": 0.001, "high": 0.05, "scale": "log" },
      { "name": "ie_gaba_uS", "low": 0.01, "high": 0.3, "scale": "log" },
      { "name": "ie_dend_gaba_uS", "low": 0.00001, "high": 0.001, "scale": "log" },
      { "name": "ii_gaba_uS", "low": 0.001, "high": 0.05, "scale": "log" },
      { "name": "drive_weight_uS", "low": 0.001, "high": 0.01, "scale": "log" },
      { "name": "e_dend_cal_S_cm2", "low": 0.00001, "high": 0.001, "scale": "log" }
    ]
  },
  "evaluation": { "network_seeds": 5 },)" + abstract + "\n}";
    return text;
}

}  // namespace neurode::app::wm
