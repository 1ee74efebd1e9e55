#include <neurode/neurons/synapse.hpp>

#include <cmath>
#include <string>

#include <neurode/sim/errors.hpp>

namespace neurode::neurons {

std::string_view to_string(Receptor r)
{
    switch (r) {
    case Receptor::ampa: return "ampa";
    case Receptor::nmda: return "nmda";
    case Receptor::gaba_a: return "gaba_a";
    case Receptor::gaba_b: return "gaba_b";
    }
    return "?";
}

Receptor parse_receptor(std::string_view name, std::string_view field)
{
    for (Receptor r : {Receptor::ampa, Receptor::nmda, Receptor::gaba_a, Receptor::gaba_b})
        if (to_string(r) == name) return r;
    throw invalid_parameter(std::string(field), "unknown receptor '" + std::string(name) + "' (known: ampa, nmda, gaba_a, gaba_b)");
}

KineticSynapseParameters KineticSynapseParameters::defaults(Receptor r)
{
    KineticSynapseParameters p;
    switch (r) {
    case Receptor::ampa: p.alpha = 1.1; p.beta = 0.19; p.reversal = 0.0; break;
    case Receptor::nmda: p.alpha = 0.072; p.beta = 0.0066; p.reversal = 0.0; break;
    case Receptor::gaba_a: p.alpha = 5.0; p.beta = 0.18; p.reversal = -80.0; break;
    case Receptor::gaba_b: p.alpha = 0.09; p.beta = 1.2e-3; p.reversal = -95.0; break;
    }
    return p;
}

void KineticSynapseParameters::validate(const std::string& field) const
{
    auto positive = [&](double v, const char* name) {
        if (!(std::isfinite(v) && v > 0)) throw invalid_parameter(field + "." + name, "must be finite and > 0");
    };
    positive(alpha, "alpha");
    positive(beta, "beta");
    positive(t_max, "t_max");
    positive(v_slope, "v_slope");
    positive(k3, "k3");
    positive(k4, "k4");
    positive(kd, "kd");
    if (!std::isfinite(reversal)) throw invalid_parameter(field + ".reversal", "must be finite");
    if (!std::isfinite(v_half)) throw invalid_parameter(field + ".v_half", "must be finite");
    if (!(std::isfinite(magnesium) && magnesium >= 0)) throw invalid_parameter(field + ".magnesium", "must be finite and >= 0");
}

}  // namespace neurode::neurons
