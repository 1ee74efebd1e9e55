#pragma once
// Short, nearly noise-free random dots (20 steps, |mu| up to 1, noise variance 0.01): a decision
// small networks learn in seconds, for tests that a learning rule reaches its criterion.
#include <neurode/rnn/tasks/mcmahan.hpp>

inline neurode::rnn::RandomDotsTask easy_rdm()
{
    neurode::rnn::RandomDotsOptions o;
    o.steps = 20;
    o.max_mean = 1.0;
    o.noise_variance = 0.01;
    return neurode::rnn::RandomDotsTask(o);
}
