// Every registered task builds, generates a consistent batch, and scores its own targets as a
// perfect policy would (where the target is the ideal output) or at least runs its scorer.
#include <gtest/gtest.h>

#include <set>

#include <neurode/rnn/task_registry.hpp>
#include <neurode/sim/errors.hpp>

namespace rnn = neurode::rnn;

TEST(TaskRegistry, EveryTaskBuildsGeneratesAndScores)
{
    const auto names = rnn::task_names();
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size()) << "names are unique";
    EXPECT_GE(names.size(), 23u);
    for (const std::string& name : names) {
        SCOPED_TRACE(name);
        const auto task = rnn::make_task(name);
        const rnn::TrialBatch batch = task->generate(4, 1);
        EXPECT_NO_THROW(batch.check_consistent());
        EXPECT_EQ(batch.input_size(), task->input_size());
        EXPECT_EQ(batch.output_size(), task->output_size());
        for (std::size_t i = 0; i < batch.trials; ++i)
            for (const char* epoch : {"fixation", "stimulus", "delay", "decision"})
                EXPECT_TRUE(batch.has_epoch(i, epoch)) << "every task has the four aligned epochs: " << epoch;
        const rnn::Score s = task->score(batch, batch.targets);
        EXPECT_EQ(s.per_trial.size(), batch.trials);
        EXPECT_FALSE(s.measure.empty());
    }
}

TEST(TaskRegistry, UnknownNameListsTheKnownOnes)
{
    try {
        rnn::make_task("dly_goo");
        FAIL();
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_EQ(e.field(), "task");
        EXPECT_NE(std::string(e.what()).find("dly_go"), std::string::npos);
    }
}
