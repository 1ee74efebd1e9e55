#pragma once
// neurode's one random number generator: a seeded 64-bit Mersenne Twister with distributions
// written out here (not std::*_distribution, whose output differs between standard libraries),
// so that a seed gives the same numbers on every platform and build. Independent streams for
// parallel work come from split(), never from reseeding with nearby integers.

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace neurode::sim {

class Rng {
public:
    explicit Rng(std::uint64_t seed);

    std::uint64_t next_u64() { return engine_(); }
    // Uniform on [0, 1) with 53 random bits.
    double uniform();
    // Uniform on [low, high).
    double uniform(double low, double high);
    // Standard normal (Marsaglia's polar method), times sd, plus mean.
    double normal(double mean = 0.0, double sd = 1.0);
    // Lognormal: exp(normal(mu, sigma)).
    double lognormal(double mu, double sigma);
    // Uniform integer in [0, n) without modulo bias; n > 0.
    std::uint64_t index(std::uint64_t n);
    // true with probability p.
    bool bernoulli(double p) { return uniform() < p; }
    // One of the values, uniformly.
    template <class T>
    const T& choice(std::span<const T> values) { return values[index(values.size())]; }
    // Fisher-Yates shuffle.
    template <class T>
    void shuffle(std::vector<T>& v)
    {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[index(i)]);
    }
    // A generator whose stream is independent of this one's (seeded from this one's output).
    Rng split();

private:
    std::mt19937_64 engine_;
    bool has_spare_normal_ = false;
    double spare_normal_ = 0;
};

}  // namespace neurode::sim
