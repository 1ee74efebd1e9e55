// The McMahan, Kleinman & Kao decision tasks (RDM, N-CDI) against the definitions of
// bmcmahan2016/RNN_Learning_Rules. Oracles are written here from the trial conditions or from the
// inputs alone: a policy that knows the true mean must score 1, one that integrates the noisy
// evidence must follow the analytic ideal-observer curve Phi(|mu| sqrt(T) / sigma), and constant
// or wrong-context policies must sit at chance.
#include <gtest/gtest.h>

#include "../support/expect_field.hpp"

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <neurode/rnn/tasks/mcmahan.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

namespace {

double sign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Outputs that are 0 everywhere except `last[i]` at each trial's last step.
std::vector<double> last_step_outputs(const rnn::TrialBatch& b, const std::function<double(std::size_t)>& last)
{
    std::vector<double> y(b.targets.size(), 0.0);
    for (std::size_t i = 0; i < b.trials; ++i) y[i * b.steps + b.steps - 1] = last(i);
    return y;
}

void expect_decision_epochs(const rnn::TrialBatch& b)
{
    b.check_consistent();
    const std::size_t last = b.steps - 1;
    for (std::size_t i = 0; i < b.trials; ++i) {
        ASSERT_EQ(b.epochs[i].size(), 4u);
        EXPECT_EQ(b.epochs[i][0].name, "fixation");
        EXPECT_EQ(b.epochs[i][1].name, "stimulus");
        EXPECT_EQ(b.epochs[i][2].name, "delay");
        EXPECT_EQ(b.epochs[i][3].name, "decision");
        EXPECT_EQ(b.epoch(i, "fixation").length(), 0u);
        EXPECT_EQ(b.epoch(i, "stimulus").start, 0u);
        EXPECT_EQ(b.epoch(i, "stimulus").stop, last);
        EXPECT_EQ(b.epoch(i, "delay").length(), 0u);
        EXPECT_EQ(b.epoch(i, "decision").start, last);
        EXPECT_EQ(b.epoch(i, "decision").stop, b.steps);
    }
}

// The reference's loss: 0 at step 0, `answer` at the last step, nothing weighted in between.
void expect_reference_targets(const rnn::TrialBatch& b, std::size_t i, double answer)
{
    const std::size_t last = b.steps - 1;
    EXPECT_EQ(b.target(i, 0, 0), 0.0);
    EXPECT_EQ(b.weight(i, 0, 0), 1.0);
    EXPECT_EQ(b.target(i, last, 0), answer);
    EXPECT_EQ(b.weight(i, last, 0), 1.0);
    for (std::size_t t = 1; t < last; ++t) ASSERT_EQ(b.weight(i, t, 0), 0.0) << "step " << t;
}

// Accuracy of the ideal observer per validation level, checked against Phi(|mu| sqrt(T) / sd)
// (level 0: `chance`), then checked to rise with |mu|.
void expect_ideal_observer_curve(const rnn::TrialBatch& b, const std::vector<double>& correct, double sd,
                                 double chance)
{
    const std::vector<double> levels = rnn::mcmahan_validation_means();
    std::vector<double> right(levels.size(), 0.0), count(levels.size(), 0.0);
    for (std::size_t i = 0; i < b.trials; ++i) {
        right[i % levels.size()] += correct[i];
        count[i % levels.size()] += 1;
    }
    std::vector<double> accuracy(levels.size());
    for (std::size_t k = 0; k < levels.size(); ++k) {
        accuracy[k] = right[k] / count[k];
        const double p = k == 0 ? chance : normal_cdf(levels[k] * std::sqrt(static_cast<double>(b.steps)) / sd);
        EXPECT_NEAR(accuracy[k], p, 4 * std::sqrt(p * (1 - p) / count[k]) + 0.01) << "level " << k;
    }
    auto mean_of = [&](std::size_t from, std::size_t to) {
        double s = 0;
        for (std::size_t k = from; k < to; ++k) s += accuracy[k];
        return s / static_cast<double>(to - from);
    };
    EXPECT_LT(mean_of(1, 3), mean_of(3, 6));
    EXPECT_LT(mean_of(3, 6), mean_of(16, 20));
    EXPECT_GT(mean_of(16, 20), 0.99);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST(McMahanValidation, MeansAreTheReferenceLinspace)
{
    const auto means = rnn::mcmahan_validation_means();
    ASSERT_EQ(means.size(), 20u);
    for (std::size_t k = 0; k < 20; ++k) EXPECT_NEAR(means[k], 0.1875 / 19.0 * static_cast<double>(k), 1e-15);
    EXPECT_EQ(means.front(), 0.0);
    EXPECT_DOUBLE_EQ(means.back(), 0.1875);
}

TEST(McMahanRdm, ShapesTargetsAndEpochs)
{
    const rnn::RandomDotsTask task;
    EXPECT_EQ(task.name(), "mcmahan_rdm");
    EXPECT_EQ(task.dt(), 10.0);
    const auto b = task.generate(16, 3);
    EXPECT_EQ(b.steps, 750u);
    EXPECT_EQ(b.input_size(), 1u);
    EXPECT_EQ(b.output_size(), 1u);
    EXPECT_EQ(b.input_names[0], "evidence");
    EXPECT_EQ(b.output_names[0], "choice");
    expect_decision_epochs(b);
    const std::size_t mu = b.condition_index("mu"), coh = b.condition_index("coherence"),
                      dir = b.condition_index("direction");
    for (std::size_t i = 0; i < b.trials; ++i) {
        EXPECT_GE(b.condition(i, coh), 0.0);
        EXPECT_LT(b.condition(i, coh), 0.1857);
        EXPECT_EQ(std::abs(b.condition(i, dir)), 1.0);
        EXPECT_EQ(b.condition(i, mu), b.condition(i, dir) * b.condition(i, coh));
        expect_reference_targets(b, i, b.condition(i, dir));
    }
}

TEST(McMahanRdm, SeedsAndMeanRange)
{
    const rnn::RandomDotsTask task;
    const auto a = task.generate(2000, 7);
    const auto same = task.generate(2000, 7);
    const auto other = task.generate(2000, 8);
    EXPECT_EQ(a.inputs, same.inputs);
    EXPECT_EQ(a.conditions, same.conditions);
    EXPECT_NE(a.inputs, other.inputs);
    EXPECT_NE(a.conditions, other.conditions);
    // mu ~ U(-0.1857, 0.1857): mean 0, variance 0.1857^2 / 3, both signs.
    const std::size_t mu = a.condition_index("mu");
    double sum = 0, sq = 0, positive = 0;
    for (std::size_t i = 0; i < a.trials; ++i) {
        sum += a.condition(i, mu);
        sq += a.condition(i, mu) * a.condition(i, mu);
        positive += a.condition(i, mu) > 0 ? 1 : 0;
    }
    const double n = static_cast<double>(a.trials);
    EXPECT_NEAR(sum / n, 0.0, 4 * 0.1857 / std::sqrt(3 * n));
    EXPECT_NEAR(sq / n, 0.1857 * 0.1857 / 3, 0.1 * 0.1857 * 0.1857 / 3);
    EXPECT_NEAR(positive / n, 0.5, 0.05);
}

TEST(McMahanRdm, NoiseVarianceMatchesTheParameter)
{
    for (double variance : {0.1, 0.5, 1.0}) {
        rnn::RandomDotsOptions o;
        o.noise_variance = variance;
        const auto b = rnn::RandomDotsTask(o).generate(200, 11);
        const std::size_t mu = b.condition_index("mu");
        double sum = 0, sq = 0, n = 0;
        for (std::size_t i = 0; i < b.trials; ++i)
            for (std::size_t t = 0; t < b.steps; ++t) {
                const double e = b.input(i, t, 0) - b.condition(i, mu);
                sum += e;
                sq += e * e;
                n += 1;
            }
        // 150,000 samples: relative sd of the variance estimate sqrt(2 / n) ~ 0.4%.
        EXPECT_NEAR(sq / n, variance, 0.03 * variance) << variance;
        EXPECT_NEAR(sum / n, 0.0, 5 * std::sqrt(variance / n)) << variance;
    }
    rnn::RandomDotsOptions silent;
    silent.noise_variance = 0;
    const auto b = rnn::RandomDotsTask(silent).generate(3, 1);
    for (std::size_t i = 0; i < b.trials; ++i)
        for (std::size_t t = 0; t < b.steps; ++t) ASSERT_EQ(b.input(i, t, 0), b.condition(i, 0));
}

TEST(McMahanRdm, OracleConstantAndIdealObserver)
{
    const rnn::RandomDotsTask task;
    const auto b = task.generate(2000, 5);
    const std::size_t mu = b.condition_index("mu");
    const auto knows_mu = task.score(b, last_step_outputs(b, [&](std::size_t i) { return 3 * sign(b.condition(i, mu)); }));
    EXPECT_EQ(knows_mu.measure, "accuracy");
    EXPECT_EQ(knows_mu.value, 1.0);
    ASSERT_EQ(knows_mu.per_trial.size(), b.trials);

    EXPECT_NEAR(task.score(b, last_step_outputs(b, [](std::size_t) { return 1.0; })).value, 0.5, 0.05);
    EXPECT_NEAR(task.score(b, last_step_outputs(b, [](std::size_t) { return -0.2; })).value, 0.5, 0.05);
    // An output of exactly 0 is never right on a non-zero target.
    EXPECT_EQ(task.score(b, std::vector<double>(b.targets.size(), 0.0)).value, 0.0);
    // Only the last step counts.
    auto late = last_step_outputs(b, [&](std::size_t i) { return sign(b.condition(i, mu)); });
    for (std::size_t i = 0; i < b.trials; ++i) late[i * b.steps + b.steps / 2] = -sign(b.condition(i, mu));
    EXPECT_EQ(task.score(b, late).value, 1.0);

    // The ideal observer sums the evidence; on the validation levels it follows
    // Phi(|mu| sqrt(T) / sigma) and is at chance for mu = 0 (whose target is a coin flip).
    const auto v = task.validation_batch(21);
    const auto sum_sign = [&](std::size_t i) {
        double s = 0;
        for (std::size_t t = 0; t < v.steps; ++t) s += v.input(i, t, 0);
        return sign(s);
    };
    const auto ideal = task.score(v, last_step_outputs(v, sum_sign));
    EXPECT_GT(ideal.value, 0.6);
    EXPECT_LT(ideal.value, 1.0);
    expect_ideal_observer_curve(v, ideal.per_trial, 1.0, 0.5);
}

TEST(McMahanRdm, ValidationBatch)
{
    const rnn::RandomDotsTask task;
    const auto v = task.validation_batch(4);
    EXPECT_EQ(v.trials, 2000u);
    EXPECT_EQ(v.task, task.name());
    expect_decision_epochs(v);
    const std::size_t coh = v.condition_index("coherence"), dir = v.condition_index("direction");
    std::vector<double> positive(20, 0.0);
    for (std::size_t i = 0; i < v.trials; ++i) {
        EXPECT_NEAR(v.condition(i, coh), 0.1875 * static_cast<double>(i % 20) / 19.0, 1e-15);
        positive[i % 20] += v.condition(i, dir) > 0 ? 1 : 0;
        expect_reference_targets(v, i, v.condition(i, dir));
    }
    for (double p : positive) {  // 100 trials per level, both signs
        EXPECT_GT(p, 25.0);
        EXPECT_LT(p, 75.0);
    }
    EXPECT_EQ(task.validation_batch(4, 40).trials, 40u);
}

TEST(McMahanRdm, BadParametersNameTheField)
{
    expect_field([] { rnn::RandomDotsTask({.steps = 1}); }, "steps");
    expect_field([] { rnn::RandomDotsTask({.max_mean = -0.1}); }, "max_mean");
    expect_field([] { rnn::RandomDotsTask({.noise_variance = -0.5}); }, "noise_variance");
    expect_field([] { rnn::RandomDotsTask({.dt = 0}); }, "dt");
    const rnn::RandomDotsTask task;
    const auto b = task.generate(2, 1);
    expect_field([&] { task.score(b, std::vector<double>(3, 0.0)); }, "outputs");
    const auto cdi = rnn::ContextIntegrationTask().generate(2, 1);
    expect_field([&] { task.score(cdi, std::vector<double>(cdi.targets.size(), 0.0)); }, "batch");
}

// ---------------------------------------------------------------------------------------------

TEST(McMahanCdi, ShapesInputsTargetsAndEpochs)
{
    for (std::size_t n : {2u, 3u, 6u}) {
        rnn::ContextIntegrationOptions o;
        o.contexts = n;
        o.noise_variance = 0.1;
        const rnn::ContextIntegrationTask task(o);
        EXPECT_EQ(task.input_size(), 2 * n);
        const auto b = task.generate(40, 2);
        EXPECT_EQ(b.steps, 750u);
        ASSERT_EQ(b.input_size(), 2 * n);
        EXPECT_EQ(b.output_size(), 1u);
        EXPECT_EQ(b.input_names[0], "evidence_0");
        EXPECT_EQ(b.input_names[n], "context_0");
        EXPECT_EQ(b.input_names[2 * n - 1], "context_" + std::to_string(n - 1));
        expect_decision_epochs(b);
        const std::size_t ctx = b.condition_index("context"), coh = b.condition_index("coherence"),
                          tgt = b.condition_index("target"), mu0 = b.condition_index("mu_0");
        std::vector<double> cued(n, 0.0);
        for (std::size_t i = 0; i < b.trials; ++i) {
            const auto c = static_cast<std::size_t>(b.condition(i, ctx));
            ASSERT_LT(c, n);
            cued[c] += 1;
            for (std::size_t t = 0; t < b.steps; ++t)
                for (std::size_t k = 0; k < n; ++k) ASSERT_EQ(b.input(i, t, n + k), k == c ? 1.0 : 0.0);
            const double m = b.condition(i, coh);
            EXPECT_GT(m, 0.0);
            EXPECT_LT(m, 0.1857);
            const double sd_of_mean = std::sqrt(0.1 / static_cast<double>(b.steps));
            for (std::size_t k = 0; k < n; ++k) {
                const double mu_k = b.condition(i, mu0 + k);
                EXPECT_EQ(std::abs(mu_k), m);
                double s = 0;
                for (std::size_t t = 0; t < b.steps; ++t) s += b.input(i, t, k);
                EXPECT_NEAR(s / static_cast<double>(b.steps), mu_k, 5 * sd_of_mean);
            }
            EXPECT_EQ(b.condition(i, tgt), sign(b.condition(i, mu0 + c)));
            expect_reference_targets(b, i, sign(b.condition(i, mu0 + c)));
        }
        for (double count : cued) EXPECT_GT(count, 0.0) << "every context is cued in 40 trials";
    }
}

TEST(McMahanCdi, Seeds)
{
    const rnn::ContextIntegrationTask task({.contexts = 4});
    const auto a = task.generate(50, 9);
    EXPECT_EQ(a.inputs, task.generate(50, 9).inputs);
    EXPECT_EQ(a.conditions, task.generate(50, 9).conditions);
    const auto other = task.generate(50, 10);
    EXPECT_NE(a.inputs, other.inputs);
    EXPECT_NE(a.conditions, other.conditions);
}

TEST(McMahanCdi, NoiseVarianceMatchesTheParameter)
{
    for (double variance : {0.1, 0.5, 1.0}) {
        const rnn::ContextIntegrationTask task({.contexts = 3, .noise_variance = variance});
        const auto b = task.generate(100, 13);
        const std::size_t mu0 = b.condition_index("mu_0");
        for (std::size_t k = 0; k < 3; ++k) {
            double sq = 0, n = 0;
            for (std::size_t i = 0; i < b.trials; ++i)
                for (std::size_t t = 0; t < b.steps; ++t) {
                    const double e = b.input(i, t, k) - b.condition(i, mu0 + k);
                    sq += e * e;
                    n += 1;
                }
            EXPECT_NEAR(sq / n, variance, 0.03 * variance) << "variance " << variance << " channel " << k;
        }
    }
}

TEST(McMahanCdi, OracleWrongContextConstantAndIdealObserver)
{
    const std::size_t n = 3;
    const rnn::ContextIntegrationTask task({.contexts = n});
    const auto b = task.generate(2000, 17);
    const std::size_t ctx = b.condition_index("context"), mu0 = b.condition_index("mu_0");
    auto cued_sign = [&](std::size_t i, std::size_t shift) {
        const auto c = (static_cast<std::size_t>(b.condition(i, ctx)) + shift) % n;
        return sign(b.condition(i, mu0 + c));
    };
    EXPECT_EQ(task.score(b, last_step_outputs(b, [&](std::size_t i) { return cued_sign(i, 0); })).value, 1.0);
    // Signs are independent across channels, so following another channel is a coin flip.
    EXPECT_NEAR(task.score(b, last_step_outputs(b, [&](std::size_t i) { return cued_sign(i, 1); })).value, 0.5, 0.05);
    EXPECT_NEAR(task.score(b, last_step_outputs(b, [](std::size_t) { return 1.0; })).value, 0.5, 0.05);

    // The ideal observer reads the context from the inputs and sums that channel's evidence. On
    // the validation levels, m = 0 trials have target 0 and count as correct, as in the reference.
    const auto v = task.validation_batch(23);
    const auto observe = [&](std::size_t i) {
        std::size_t c = 0;
        for (std::size_t k = 1; k < n; ++k)
            if (v.input(i, 0, n + k) > v.input(i, 0, n + c)) c = k;
        double s = 0;
        for (std::size_t t = 0; t < v.steps; ++t) s += v.input(i, t, c);
        return sign(s);
    };
    const auto ideal = task.score(v, last_step_outputs(v, observe));
    EXPECT_GT(ideal.value, 0.6);
    EXPECT_LT(ideal.value, 1.0);
    expect_ideal_observer_curve(v, ideal.per_trial, 1.0, 1.0);
}

TEST(McMahanCdi, ValidationBatch)
{
    const rnn::ContextIntegrationTask task({.contexts = 2, .noise_variance = 0.5});
    const auto v = task.validation_batch(6);
    EXPECT_EQ(v.trials, 2000u);
    expect_decision_epochs(v);
    const std::size_t coh = v.condition_index("coherence"), tgt = v.condition_index("target"),
                      mu0 = v.condition_index("mu_0");
    std::vector<double> positive(20, 0.0);
    for (std::size_t i = 0; i < v.trials; ++i) {
        const double m = 0.1875 * static_cast<double>(i % 20) / 19.0;
        EXPECT_NEAR(v.condition(i, coh), m, 1e-15);
        EXPECT_NEAR(std::abs(v.condition(i, mu0)), m, 1e-15);
        EXPECT_NEAR(std::abs(v.condition(i, mu0 + 1)), m, 1e-15);
        positive[i % 20] += v.condition(i, mu0) > 0 ? 1 : 0;
        EXPECT_EQ(std::abs(v.condition(i, tgt)), i % 20 == 0 ? 0.0 : 1.0);
    }
    for (std::size_t k = 1; k < 20; ++k) {
        EXPECT_GT(positive[k], 25.0);
        EXPECT_LT(positive[k], 75.0);
    }
    // Zero-target trials are right whatever the output, so a constant scores chance on the rest.
    const double constant = task.score(v, std::vector<double>(v.targets.size(), 1.0)).value;
    EXPECT_NEAR(constant, 0.05 + 0.95 * 0.5, 0.05);
}

TEST(McMahanCdi, BadParametersNameTheField)
{
    expect_field([] { rnn::ContextIntegrationTask({.contexts = 0}); }, "contexts");
    expect_field([] { rnn::ContextIntegrationTask({.contexts = 7}); }, "contexts");
    expect_field([] { rnn::ContextIntegrationTask({.noise_variance = -0.1}); }, "noise_variance");
    expect_field([] { rnn::ContextIntegrationTask({.steps = 0}); }, "steps");
    expect_field([] { rnn::ContextIntegrationTask({.max_mean = std::nan("")}); }, "max_mean");
    expect_field([] { rnn::ContextIntegrationTask({.dt = -1}); }, "dt");
    rnn::ContextIntegrationOptions o;
    o.contexts = 9;
    expect_field([&] { o.validate(); }, "contexts");
}
