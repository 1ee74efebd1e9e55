#pragma once
// Kinetic synapses (Destexhe, Mainen & Sejnowski 1998), driven by the presynaptic voltage with
// graded transmitter release and no delay, so that a whole network is one continuous ODE system:
//   T(V_pre) = T_max / (1 + exp(-(V_pre - V_p) / K_p))      [mM], T_max 1 mM, V_p 2 mV, K_p 5 mV
//   dr/dt = alpha T (1 - r) - beta r
//   I = g r B(V_post) (V_post - E)                           [nA] with g [uS]
// AMPA: alpha 1.1 /(mM ms), beta 0.19 /ms, E 0 mV; NMDA: alpha 0.072, beta 0.0066, E 0, with the
// Jahr-Stevens magnesium block B(V) = 1 / (1 + exp(-0.062 V) [Mg] / 3.57), [Mg] 1 mM; GABA-A:
// alpha 5, beta 0.18, E -80 mV. GABA-B, the G-protein cascade:
//   dr/dt = K1 T (1 - r) - K2 r,  ds/dt = K3 r - K4 s,  I = g s^4 / (s^4 + Kd) (V_post - E_K)
// with K1 0.09 /(mM ms), K2 1.2e-3 /ms, K3 0.18 /ms, K4 0.034 /ms, Kd 100, E_K -95 mV.
// (The reservoir reference instead releases a 1 ms, 1 mM pulse after each upward crossing of
// 0 mV; graded release keeps the system smooth for the variable-step engine.)

#include <string>
#include <string_view>

namespace neurode::neurons {

enum class Receptor { ampa, nmda, gaba_a, gaba_b };

std::string_view to_string(Receptor r);
Receptor parse_receptor(std::string_view name, std::string_view field = "receptor");

struct KineticSynapseParameters {
    double alpha = 1.1;        // [1/(mM ms)] binding (K1 for GABA-B)
    double beta = 0.19;        // [1/ms] unbinding (K2 for GABA-B)
    double reversal = 0.0;     // [mV]
    double t_max = 1.0;        // [mM] peak transmitter concentration
    double v_half = 2.0;       // [mV] V_p of the release sigmoid
    double v_slope = 5.0;      // [mV] K_p of the release sigmoid
    double magnesium = 1.0;    // [mM] NMDA only
    double k3 = 0.18, k4 = 0.034, kd = 100.0;  // GABA-B only: [1/ms], [1/ms], [dimensionless]

    // Destexhe 1998's values for a receptor.
    static KineticSynapseParameters defaults(Receptor r);
    void validate(const std::string& field) const;
};

}  // namespace neurode::neurons
