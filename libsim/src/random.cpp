#include <neurode/sim/random.hpp>

#include <cmath>

namespace neurode::sim {

Rng::Rng(std::uint64_t seed)
{
    // seed_seq spreads nearby seeds (0, 1, 2, ...) over the whole state.
    std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
    engine_.seed(sequence);
}

double Rng::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double Rng::uniform(double low, double high) { return low + (high - low) * uniform(); }

double Rng::normal(double mean, double sd)
{
    if (has_spare_normal_) {
        has_spare_normal_ = false;
        return mean + sd * spare_normal_;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_normal_ = v * factor;
    has_spare_normal_ = true;
    return mean + sd * u * factor;
}

double Rng::lognormal(double mu, double sigma) { return std::exp(normal(mu, sigma)); }

std::uint64_t Rng::index(std::uint64_t n)
{
    // Lemire's rejection: unbiased for every n.
    const std::uint64_t limit = -n % n;  // (2^64 - n) mod n
    std::uint64_t x;
    do x = engine_();
    while (x < limit);
    return x % n;
}

Rng Rng::split() { return Rng(engine_()); }

}  // namespace neurode::sim
