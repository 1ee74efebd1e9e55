#pragma once
// The four tasks of the solution-degeneracy study (Huang et al.): N-bit flip-flop, sine-wave
// generation, delayed discrimination and 2-D/3-D path integration. Task complexity is raised
// through the options (more bits, more dimensions, longer delays).
//
// Every trial carries the four aligned epochs "fixation", "stimulus", "delay", "decision" (in that
// order, zero length where a task has none) so that analyses can compare tasks phase by phase.
// Delayed discrimination adds "stimulus2" between "delay" and "decision". Tasks without phases
// (flip-flop, sine wave, path integration) map the whole trial to "stimulus": fixation is [0, 0),
// delay and decision are [steps, steps).

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <neurode/rnn/task.hpp>
#include <neurode/rnn/timing.hpp>

namespace neurode::rnn {

// ---------------------------------------------------------------------------------------------
// N-bit flip-flop (fixed-point-finder's FlipFlopData). Each of N input channels carries a pulse
// (+1 or -1, equally likely) at each step with probability pulse_probability, and always at
// step 0; output b holds the sign of the last pulse on channel b up to and including this step.
// The loss mask is 1 everywhere.
struct FlipFlopOptions {
    std::size_t bits = 3;              // N >= 1
    // Per step and channel, in [0, 1]. 0.5 as in fixed-point-finder's FlipFlopData; the other
    // reference of the study uses 0.3.
    double pulse_probability = 0.5;
    double trial_ms = 640.0;           // [ms] whole trial (64 steps at the default dt, as FlipFlopData)
    double dt = 10.0;                  // [ms]

    void validate() const;             // throws invalid_parameter naming the field
};

class FlipFlopTask final : public Task {
public:
    explicit FlipFlopTask(FlipFlopOptions options = {});
    std::string name() const override { return "flip_flop"; }
    std::size_t input_size() const override { return options_.bits; }
    std::size_t output_size() const override { return options_.bits; }
    double dt() const override { return options_.dt; }
    const FlipFlopOptions& options() const { return options_; }

    // Inputs "pulse_<b>", outputs "bit_<b>"; conditions "pulses" (total pulses in the trial,
    // forced ones included) and "initial_<b>" (sign of the forced pulse at step 0).
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // "bit_accuracy": fraction of masked (trial, step, bit) entries whose output has the target's
    // sign (an output of exactly 0 is wrong). per_trial: the trial's own fraction, so a trial is
    // all correct where per_trial == 1.
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;
    // "r2": coefficient of determination of outputs against targets (see SineWaveTask::score).
    Score r2_score(const TrialBatch& batch, std::span<const double> outputs) const;

private:
    FlipFlopOptions options_;
};

// ---------------------------------------------------------------------------------------------
// Sine-wave generation (Sussillo & Barak 2013). One static input sets the frequency f, drawn
// uniformly from `frequency_count` evenly spaced values in [min_frequency_hz, max_frequency_hz];
// input = f / max_frequency_hz + input_offset for the whole trial; output = sin(2 pi f t) with
// t = k dt the start of step k. The range spans a factor of 6 as Sussillo & Barak's 0.1-0.6 rad
// per time unit; the offset 0.25 and the 51 frequencies are theirs. The loss mask is 1 everywhere.
struct SineWaveOptions {
    double min_frequency_hz = 1.0;     // [Hz] > 0
    double max_frequency_hz = 6.0;     // [Hz] >= min_frequency_hz
    std::size_t frequency_count = 51;  // >= 1; with 1 every trial uses min_frequency_hz
    double input_offset = 0.25;        // added to f / max_frequency_hz, keeps the input away from 0
    double trial_ms = 2000.0;          // [ms]
    double dt = 10.0;                  // [ms]

    void validate() const;
};

class SineWaveTask final : public Task {
public:
    explicit SineWaveTask(SineWaveOptions options = {});
    std::string name() const override { return "sine_wave"; }
    std::size_t input_size() const override { return 1; }
    std::size_t output_size() const override { return 1; }
    double dt() const override { return options_.dt; }
    const SineWaveOptions& options() const { return options_; }

    // The frequency encoded by an input value (inverse of the input encoding).
    double frequency_from_input(double input) const;

    // Input "frequency", output "sine"; condition "frequency_hz".
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // "r2" over masked entries: per output channel 1 - SS_res / SS_tot around that channel's
    // masked mean, averaged over channels (scikit-learn's r2_score, uniform_average). A channel
    // with SS_tot = 0 counts 1 if matched exactly, else 0. per_trial: the same within each trial.
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    SineWaveOptions options_;
};

// ---------------------------------------------------------------------------------------------
// Delayed discrimination (PsychRNN's DelayedDiscrimination after Romo et al. 1999). A pair is
// drawn from frequency_pairs and presented in either order (equally likely) as f1, then f2 after
// a delay. Input 0 is 0.4 + 0.8 (f - 10) / 24 and input 1 its mirror 0.4 + 0.8 (34 - f) / 24
// during both stimuli; both channels carry Gaussian noise at every step with PsychRNN's scaling,
// sd = stimulus_noise * sqrt(0.02 sqrt(10 dt)) (dt in ms). Output 0 ("f1>f2") and 1 ("f1<f2"):
// 1.0 on the correct one and 0.2 on the other during the decision epoch, which alone is masked.
// Epochs: fixation, stimulus (f1), delay, stimulus2 (f2), decision; batches are as long as the
// longest possible trial, with unmasked padding after the decision. PsychRNN draws each epoch as a
// random fraction of the trial length; these defaults are fixed except for a variable delay.
struct DelayedDiscriminationOptions {
    std::vector<std::pair<double, double>> frequency_pairs{{18, 10}, {22, 14}, {26, 18}, {30, 22}, {34, 26}};  // [Hz]
    double high = 1.0;                  // target on the correct output
    double low = 0.2;                   // target on the other output
    double stimulus_noise = 0.1;        // PsychRNN's stim_noise; 0: noiseless inputs
    Duration fixation = Duration::fixed(100);          // [ms]
    Duration stimulus = Duration::fixed(250);          // [ms] f1
    Duration delay = Duration::uniform(250, 750);      // [ms]
    Duration stimulus2 = Duration::fixed(250);         // [ms] f2
    Duration decision = Duration::fixed(200);          // [ms]
    double dt = 10.0;                   // [ms]

    void validate() const;
};

class DelayedDiscriminationTask final : public Task {
public:
    explicit DelayedDiscriminationTask(DelayedDiscriminationOptions options = {});
    std::string name() const override { return "delayed_discrimination"; }
    std::size_t input_size() const override { return 2; }
    std::size_t output_size() const override { return 2; }
    double dt() const override { return options_.dt; }
    const DelayedDiscriminationOptions& options() const { return options_; }

    // Input 0 for a frequency [Hz] (input 1 is 1.6 minus it), and its inverse.
    static double encode(double frequency_hz);
    static double decode(double input0);

    // Inputs "f_positive", "f_negative"; outputs "f1>f2", "f1<f2"; conditions "f1", "f2" [Hz] and
    // "choice" (0: f1 > f2, 1: f1 < f2).
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // "accuracy": per trial, the output with the larger mean over the masked (decision) steps is
    // the choice (ties go to output 0), correct when it is the target's larger one.
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    DelayedDiscriminationOptions options_;
};

// ---------------------------------------------------------------------------------------------
// Path integration in a 2-D or 3-D box [-box_size/2, box_size/2]^dimension. Each velocity
// component is an Ornstein-Uhlenbeck process (stationary sd speed_sd, correlation time
// velocity_timescale), so the walk is smooth; a step that would cross a wall is folded back
// into the box (a reflection) and the OU velocity component changes sign. Input d at step k is
// the velocity actually travelled during the step, so position after step k is exactly
//     x_k = x_start + sum_{j <= k} v_j dt    (dt in s),
// which is output d at step k. The walk starts at the centre, or with random_start uniformly
// inside the box, given to the network on extra inputs "start_<axis>" at step 0 only.
// The loss mask is 1 everywhere.
struct PathIntegrationOptions {
    std::size_t dimension = 2;           // 2 or 3
    double box_size = 1.0;               // [m] side of the arena
    double speed_sd = 0.25;              // [m/s] stationary sd of each velocity component
    double velocity_timescale = 250.0;   // [ms] OU correlation time, > 0
    bool random_start = false;           // false: start at the centre, no start inputs
    double trial_ms = 4000.0;            // [ms]
    double dt = 20.0;                    // [ms]

    void validate() const;
};

class PathIntegrationTask final : public Task {
public:
    explicit PathIntegrationTask(PathIntegrationOptions options = {});
    std::string name() const override { return "path_integration"; }
    std::size_t input_size() const override;
    std::size_t output_size() const override { return options_.dimension; }
    double dt() const override { return options_.dt; }
    const PathIntegrationOptions& options() const { return options_; }

    // Inputs "velocity_<axis>" [m/s] (then "start_<axis>" [m] with random_start), outputs
    // "position_<axis>" [m], axes x, y(, z); conditions "start_<axis>" and "reflections" (walls hit).
    TrialBatch generate(std::size_t trials, std::uint64_t seed) const override;
    // "r2" of position, as SineWaveTask::score.
    Score score(const TrialBatch& batch, std::span<const double> outputs) const override;

private:
    PathIntegrationOptions options_;
};

}  // namespace neurode::rnn
