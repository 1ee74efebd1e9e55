// The reference reservoir's channels (brc-model.md, Pospischil et al. 2008 forms) against the
// equations written out again here as an independent oracle, and its E cell against NEURON 8.2
// running the same model from .mod files written from the same equations
// (tests/reference/neuron/reference_cell.py, mod/*.mod): spike times and voltages for a somatic
// current step and for a step at the distal dendritic tip.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "../support/neuron_models.hpp"
#include "../support/expect_field.hpp"
#include "../support/reference_files.hpp"
#include <neurode/neurons/network.hpp>
#include <neurode/neurons/reference_cells.hpp>
#include <neurode/sim/problems.hpp>
#include <neurode/sim/simulation.hpp>

namespace nn = neurode::neurons;
namespace sim = neurode::sim;

namespace {
// ---- the oracle: brc-model.md's equations, vt = -60 mV, vx = 2 mV, unclipped -----------------
constexpr double vt = -60.0, vx = 2.0;  // [mV]

// A gate's forward and backward rates [/ms]: inf = a / (a + b), tau = 1 / (a + b).
struct Rates {
    double a, b;
};
Rates na_m(double v)
{
    const double u = v - vt;
    return {0.32 * (u - 13) / (1 - std::exp(-(u - 13) / 4)), 0.28 * (u - 40) / (std::exp((u - 40) / 5) - 1)};
}
Rates na_h(double v)
{
    const double u = v - vt;
    return {0.128 * std::exp(-(u - 17) / 18), 4 / (1 + std::exp(-(u - 40) / 5))};
}
Rates k_n(double v)
{
    const double u = v - vt;
    return {0.032 * (u - 15) / (1 - std::exp(-(u - 15) / 5)), 0.5 * std::exp(-(u - 10) / 40)};
}
Rates from_inf_tau(double inf, double tau) { return {inf / tau, (1 - inf) / tau}; }
Rates km_p(double v)
{
    return from_inf_tau(1 / (1 + std::exp(-(v + 35) / 10)), 4000 / (3.3 * std::exp((v + 35) / 20) + std::exp(-(v + 35) / 20)));
}
Rates cal_q(double v)
{
    return {0.055 * (-27 - v) / (std::exp((-27 - v) / 3.8) - 1), 0.94 * std::exp((-75 - v) / 17)};
}
Rates cal_r(double v) { return {4.57e-4 * std::exp((-13 - v) / 50), 0.0065 / (std::exp((-15 - v) / 28) + 1)}; }
double cat_sinf(double v) { return 1 / (1 + std::exp(-(v + vx + 57) / 6.2)); }
Rates cat_u(double v)
{
    return from_inf_tau(1 / (1 + std::exp((v + vx + 81) / 4)),
                        (30.8 + 211.4 + std::exp((v + vx + 113.2) / 5)) / (3.7 * (1 + std::exp((v + vx + 84) / 3.2))));
}

std::unique_ptr<nn::Channel> make(const std::string& name, const nn::ChannelParameters& values = {}, double celsius = 36.0)
{
    const nn::ChannelInfo& info = nn::channel_info(name);
    return info.make(nn::resolve_parameters(info, values, celsius));
}

// The channel's rates of gate k at v, read back through derivatives(): ds/dt = a at s = 0 and -b
// at s = 1 for every gate form (alpha-beta or inf-tau).
Rates channel_rates(const nn::Channel& c, double v, std::size_t k)
{
    const std::size_t n = c.state_names().size();
    std::vector<double> zero(n, 0.0), one(n, 1.0), ds(n);
    c.derivatives(v, zero, ds);
    const double a = ds[k];
    c.derivatives(v, one, ds);
    return {a, -ds[k]};
}

void expect_rates(const nn::Channel& c, double v, std::size_t k, Rates expected, const std::string& what)
{
    const Rates got = channel_rates(c, v, k);
    EXPECT_NEAR(got.a, expected.a, 1e-12 * std::max(1.0, std::abs(expected.a))) << what << " alpha at " << v << " mV";
    EXPECT_NEAR(got.b, expected.b, 1e-12 * std::max(1.0, std::abs(expected.b))) << what << " beta at " << v << " mV";
    std::vector<double> s(c.state_names().size());
    c.steady_state(v, s);
    EXPECT_NEAR(s[k], expected.a / (expected.a + expected.b), 1e-12) << what << " steady state at " << v << " mV";
}

// Voltages away from the removable singularities and from the clipping [mV].
constexpr double test_voltages[] = {-80.0, -65.0, -52.5, -40.0, -30.0};
}  // namespace

TEST(ReferenceChannels, RatesAndSteadyStatesMatchTheEquations)
{
    const auto na = make("na_pospischil"), k = make("k_pospischil"), km = make("km_pospischil"),
               cal = make("cal_pospischil"), cat = make("cat_pospischil");
    EXPECT_EQ(na->state_names(), (std::vector<std::string>{"m", "h"}));
    EXPECT_EQ(cal->state_names(), (std::vector<std::string>{"q", "r"}));
    EXPECT_EQ(cat->state_names(), (std::vector<std::string>{"u"}));
    for (double v : test_voltages) {
        expect_rates(*na, v, 0, na_m(v), "Na m");
        expect_rates(*na, v, 1, na_h(v), "Na h");
        expect_rates(*k, v, 0, k_n(v), "K n");
        expect_rates(*km, v, 0, km_p(v), "Km p");
        expect_rates(*cal, v, 0, cal_q(v), "CaL q");
        expect_rates(*cal, v, 1, cal_r(v), "CaL r");
        expect_rates(*cat, v, 0, cat_u(v), "CaT u");
    }
    // Depolarised, where none of these exponents is clipped yet.
    for (double v : {0.0, 20.0}) {
        expect_rates(*na, v, 0, na_m(v), "Na m");
        expect_rates(*na, v, 1, na_h(v), "Na h");
        expect_rates(*k, v, 0, k_n(v), "K n");
        expect_rates(*cal, v, 0, cal_q(v), "CaL q");
    }
}

TEST(ReferenceChannels, CurrentsMatchTheEquations)
{
    const double v = -35.0;  // [mV]
    const std::vector<double> mh{0.3, 0.6}, n{0.4}, p{0.2}, qr{0.5, 0.7}, u{0.25};
    EXPECT_NEAR(make("na_pospischil")->current(v, mh), 0.05 * 0.027 * 0.6 * (v - 50), 1e-15);
    EXPECT_NEAR(make("k_pospischil")->current(v, n), 0.005 * 0.0256 * (v + 90), 1e-15);
    EXPECT_NEAR(make("km_pospischil")->current(v, p), 7e-5 * 0.2 * (v + 90), 1e-15);
    EXPECT_NEAR(make("cal_pospischil")->current(v, qr), 1e-4 * 0.25 * 0.7 * (v - 120), 1e-15);
    EXPECT_NEAR(make("cat_pospischil")->current(v, u), 4e-4 * std::pow(cat_sinf(v), 2) * 0.25 * (v - 120), 1e-15);
    EXPECT_NEAR(make("leak")->current(v, {}), 1e-4 * (v + 70), 1e-15);
    // Parameters reach the equations.
    EXPECT_NEAR(make("na_pospischil", {{"gbar", 0.1}, {"ena", 55.0}})->current(v, mh), 0.1 * 0.027 * 0.6 * (v - 55), 1e-15);
    EXPECT_NEAR(make("leak", {{"gbar", 2e-5}, {"e", -65.0}})->current(v, {}), 2e-5 * (v + 65), 1e-15);
}

TEST(ReferenceChannels, ShiftsAndTaumaxEnterTheEquations)
{
    // vt shifts Na and K along the voltage axis; vx shifts CaT; taumax scales Km's tau.
    const auto na = make("na_pospischil", {{"vt", -55.0}});
    const Rates shifted = channel_rates(*na, -40.0, 0), reference = na_m(-45.0);
    EXPECT_NEAR(shifted.a, reference.a, 1e-12);
    EXPECT_NEAR(shifted.b, reference.b, 1e-12);
    const auto cat = make("cat_pospischil", {{"vx", 5.0}});
    EXPECT_NEAR(channel_rates(*cat, -73.0, 0).a, cat_u(-70.0).a, 1e-14);
    const auto km = make("km_pospischil", {{"taumax", 1000.0}});
    EXPECT_NEAR(channel_rates(*km, -50.0, 0).a, 4 * km_p(-50.0).a, 1e-14);
}

TEST(ReferenceChannels, SingularitiesAndClipping)
{
    // am at u = 13 (v = -47 mV) is 0/0; its limit is 0.32 * 4 /ms, and the rate is continuous.
    const auto na = make("na_pospischil");
    EXPECT_NEAR(channel_rates(*na, -47.0, 0).a, 1.28, 1e-12);
    EXPECT_NEAR(channel_rates(*na, -47.0 + 1e-5, 0).a, na_m(-47.0 + 1e-5).a, 1e-9);
    EXPECT_NEAR(channel_rates(*na, 40 + vt, 0).b, 0.28 * 5, 1e-12);  // bm at u = 40
    EXPECT_NEAR(channel_rates(*make("cal_pospischil"), -27.0, 0).a, 0.055 * 3.8, 1e-12);
    // Exponents are clipped at 20: CaT's tau_u above v + vx = -15 mV is (242.2 + e^20) / (3.7 (1 + e^20)) ms.
    const double e20 = std::exp(20.0), tau_clipped = (242.2 + e20) / (3.7 * (1 + e20));  // [ms]
    const Rates u = channel_rates(*make("cat_pospischil"), 20.0, 0);
    EXPECT_NEAR(1 / (u.a + u.b), tau_clipped, 1e-12);
    // Far outside the physiological range every rate stays finite.
    for (const char* name : {"na_pospischil", "k_pospischil", "km_pospischil", "cal_pospischil", "cat_pospischil"}) {
        const auto c = make(name);
        for (double v : {-1000.0, 1000.0}) {
            std::vector<double> s(c->state_names().size()), ds(s.size());
            c->steady_state(v, s);
            c->derivatives(v, s, ds);
            for (std::size_t k = 0; k < s.size(); ++k) {
                EXPECT_TRUE(std::isfinite(s[k]) && std::isfinite(ds[k])) << name << " at " << v << " mV";
            }
            EXPECT_TRUE(std::isfinite(c->current(v, s))) << name << " at " << v << " mV";
        }
    }
}

TEST(ReferenceChannels, Q10ScalesTheRates)
{
    // Default q10 1: no scaling at any temperature, as the reference.
    for (double celsius : {6.3, 36.0}) {
        const auto k = make("k_pospischil", {}, celsius);
        EXPECT_NEAR(channel_rates(*k, -50.0, 0).a, k_n(-50.0).a, 1e-14);
    }
    // q10 3, 10 degC above tref: rates x3, steady states unchanged.
    for (const char* name : {"na_pospischil", "k_pospischil", "km_pospischil", "cal_pospischil", "cat_pospischil"}) {
        const auto base = make(name), hot = make(name, {{"q10", 3.0}, {"tref", 30.0}}, 40.0);
        const Rates b = channel_rates(*base, -50.0, 0), h = channel_rates(*hot, -50.0, 0);
        EXPECT_NEAR(h.a, 3 * b.a, 1e-12 * std::abs(b.a) + 1e-15) << name;
        EXPECT_NEAR(h.b, 3 * b.b, 1e-12 * std::abs(b.b) + 1e-15) << name;
    }
}

TEST(ReferenceChannels, UnknownParameterNamesTheChannelAndKey)
{
    for (const char* name : {"na_pospischil", "k_pospischil", "km_pospischil", "cal_pospischil", "cat_pospischil", "leak"}) {
        const nn::ChannelInfo& info = nn::channel_info(name);
        expect_field([&] { nn::resolve_parameters(info, {{"gnabar", 0.1}}, 36.0); }, std::string(name) + ".gnabar");
        expect_field([&] { nn::resolve_parameters(info, {{"gbar", std::nan("")}}, 36.0); }, std::string(name) + ".gbar");
    }
    nn::CellModel cell = nn::reference_excitatory_cell();
    cell.channels.push_back({"cat_pospischil", "dendrite", {{"vt", -60.0}}});
    expect_field([&] { cell.validate(); }, "cat_pospischil.vt");
}

// ---- cells ------------------------------------------------------------------------------------
namespace {
struct Trace {
    std::vector<double> spikes, soma, tip;  // [ms], [mV], [mV]
};

Trace read_reference(const std::string& label, const std::string& path = "neuron/reference_cell.txt")
{
    const KeyedReference file(path);
    return {file.values("spikes_" + label), file.column("v_" + label, 1), file.column("v_" + label, 2)};
}

sim::SolverOptions fixed_step(sim::Method method, double dt)
{
    sim::SolverOptions o;
    o.method = method;
    o.dt = dt;
    return o;
}

// The E cell with default densities, a step of `amplitude` [nA] from 20 to 170 ms at `where`,
// 200 ms (CVODE + KLU unless told otherwise); voltages every 1 ms at the soma's compartment 0
// and the tip's last.
Trace simulate_e_cell(const nn::Location& where, double amplitude, const sim::SolverOptions& o = klu_cvode(1e-8))
{
    nn::CellModel model = nn::reference_excitatory_cell();
    model.clamps = {where};
    nn::CellSystem cell(model);
    sim::Simulation s(cell, o);
    s.set_input("iclamp[0]", nn::clamp_step(amplitude, 20.0, 170.0));
    s.add_probe(sim::Probe::state("v", {cell.voltage_index({"soma", 0.0}), cell.voltage_index({"dend3", 1.0})}, 1.0));
    s.advance(200.0);
    Trace r;
    for (const sim::Event& e : s.events())
        if (e.direction > 0) r.spikes.push_back(e.time);
    const auto& v = s.recording("v");
    for (std::size_t k = 0; k < v.samples(); ++k) {
        r.soma.push_back(v.at(k, 0));
        r.tip.push_back(v.at(k, 1));
    }
    return r;
}

double rms_difference(const std::vector<double>& a, const std::vector<double>& b)
{
    double sum = 0;
    for (std::size_t k = 0; k < a.size(); ++k) sum += (a[k] - b[k]) * (a[k] - b[k]);
    return std::sqrt(sum / static_cast<double>(a.size()));
}

void expect_matches_neuron(const std::string& label, const nn::Location& where, double amplitude)
{
    const Trace ref = read_reference(label);
    ASSERT_GE(ref.spikes.size(), 10u) << "missing tests/reference/neuron/reference_cell.txt";
    const Trace got = simulate_e_cell(where, amplitude);
    ASSERT_EQ(got.spikes.size(), ref.spikes.size()) << label;
    double worst = 0;
    for (std::size_t k = 0; k < got.spikes.size(); ++k) {
        EXPECT_NEAR(got.spikes[k], ref.spikes[k], 0.1) << label << " spike " << k;
        worst = std::max(worst, std::abs(got.spikes[k] - ref.spikes[k]));
    }
    ASSERT_EQ(got.soma.size(), ref.soma.size()) << label;
    const double rms_soma = rms_difference(got.soma, ref.soma), rms_tip = rms_difference(got.tip, ref.tip);
    // On a spike's upstroke a small timing error is worth tens of mV, so compare the RMS.
    EXPECT_LT(rms_soma, 0.5) << label;
    EXPECT_LT(rms_tip, 0.5) << label;
    std::cout << label << " step: " << got.spikes.size() << " spikes, max |dt| " << worst << " ms, voltage RMS soma "
              << rms_soma << " mV, tip " << rms_tip << " mV\n";
}
}  // namespace

TEST(ReferenceCell, SomaticStepMatchesNeuron) { expect_matches_neuron("soma", {"soma", 0.0}, 0.3); }

TEST(ReferenceCell, DendriticTipStepMatchesNeuron) { expect_matches_neuron("tip", {"dend3", 1.0}, 0.01); }

TEST(ReferenceCell, ExcitatoryCellRestsNearMinus70)
{
    const Trace r = simulate_e_cell({"soma", 0.0}, 0.0);
    EXPECT_TRUE(r.spikes.empty());
    EXPECT_NEAR(r.soma.back(), -70.0, 1.0);
    EXPECT_NEAR(r.tip.back(), -70.0, 1.0);
}

TEST(ReferenceCell, InhibitoryCellSpikes)
{
    nn::CellModel model = nn::reference_inhibitory_cell();
    EXPECT_EQ(model.morphology.sections().size(), 1u);
    model.clamps = {{"soma", 0.0}};
    nn::CellSystem cell(model);
    sim::Simulation s(cell, klu_cvode(1e-8));
    s.set_input("iclamp[0]", nn::clamp_step(0.01, 20.0, 170.0));
    s.advance(200.0);
    std::size_t spikes = 0;
    for (const sim::Event& e : s.events()) {
        if (e.direction > 0) {
            ++spikes;
            EXPECT_GT(e.time, 20.0);
            EXPECT_LT(e.time, 175.0);
        }
    }
    EXPECT_GE(spikes, 5u);
}

TEST(ReferenceCell, RegionsGetTheirOwnDensities)
{
    nn::ReferenceDensities d;
    d.dendrite.cat = 1e-3;
    const nn::CellModel cell = nn::reference_excitatory_cell(d);
    EXPECT_EQ(cell.initial_voltage, -70.0);
    int found = 0;
    for (const nn::ChannelPlacement& p : cell.channels) {
        if (p.channel == "cat_pospischil") {
            EXPECT_EQ(p.parameters.at("gbar"), p.region == "soma" ? d.soma.cat : 1e-3) << p.region;
            ++found;
        }
    }
    EXPECT_EQ(found, 2);
}

TEST(ReferenceCell, BadDensitiesNameTheField)
{
    nn::ReferenceDensities d;
    d.dendrite.cat = -1e-3;
    expect_field([&] { nn::reference_excitatory_cell(d); }, "dendrite.cat");
    d = {};
    d.soma.leak = std::nan("");
    expect_field([&] { nn::reference_excitatory_cell(d); }, "soma.leak");
    nn::RegionDensities i;
    i.km = -1.0;
    expect_field([&] { nn::reference_inhibitory_cell(i); }, "km");
}

// ---- NEURON's fixed step ---------------------------------------------------------------------
// staggered_euler and staggered_crank_nicolson are NEURON's own scheme (secondorder 0 and 2), so
// at NEURON's dt they must reproduce NEURON's fixed-step traces far more closely than either
// reproduces the exact solution (reference_cell_fixed.py); as dt halves, their error against the
// exact solution (NEURON's CVODE at 1e-9, reference_cell.txt) falls at order 1 and 2.
namespace {
struct StaggeredCase {
    const char* label;
    nn::Location where;
    double amplitude;
    sim::Method method;
    int neuron_order;
};

// NEURON records a fixed-step spike at the end of the step that crossed; neurode interpolates
// inside the step, so the two differ by up to one step.
void expect_follows_neuron_fixed_step(const StaggeredCase& c)
{
    const std::string key = std::string(c.label) + "_order" + std::to_string(c.neuron_order);
    const Trace neuron = read_reference(key, "neuron/reference_cell_fixed.txt");
    const Trace exact = read_reference(c.label);
    ASSERT_GE(neuron.spikes.size(), 10u) << "missing tests/reference/neuron/reference_cell_fixed.txt";
    const Trace got = simulate_e_cell(c.where, c.amplitude, fixed_step(c.method, 0.025));
    ASSERT_EQ(got.spikes.size(), neuron.spikes.size()) << key;
    double worst = 0;
    for (std::size_t k = 0; k < got.spikes.size(); ++k) worst = std::max(worst, neuron.spikes[k] - got.spikes[k]);
    EXPECT_GE(worst, 0.0) << key << ": neurode's interpolated spikes should not come after NEURON's step ends";
    EXPECT_LT(worst, 0.025 + 1e-6) << key;
    const double to_neuron = rms_difference(got.soma, neuron.soma), scheme_error = rms_difference(neuron.soma, exact.soma);
    EXPECT_LT(to_neuron, 0.1 * scheme_error) << key;
    std::cout << key << ": spikes within " << worst << " ms of NEURON's fixed step; somatic voltage RMS to NEURON's "
              << "fixed step " << to_neuron << " mV, NEURON's fixed step to the exact solution " << scheme_error << " mV\n";
}

// Largest |spike time error| [ms] over the first `count` spikes against the exact solution.
double spike_error(const Trace& got, const Trace& exact, std::size_t count)
{
    EXPECT_GE(got.spikes.size(), count);
    double worst = 0;
    for (std::size_t k = 0; k < std::min(count, got.spikes.size()); ++k)
        worst = std::max(worst, std::abs(got.spikes[k] - exact.spikes[k]));
    return worst;
}
}  // namespace

TEST(StaggeredStep, EulerFollowsNeuronsFixedStep)
{
    expect_follows_neuron_fixed_step({"soma", {"soma", 0.0}, 0.3, sim::Method::staggered_euler, 0});
    expect_follows_neuron_fixed_step({"tip", {"dend3", 1.0}, 0.01, sim::Method::staggered_euler, 0});
}

TEST(StaggeredStep, CrankNicolsonFollowsNeuronsFixedStep)
{
    expect_follows_neuron_fixed_step({"soma", {"soma", 0.0}, 0.3, sim::Method::staggered_crank_nicolson, 2});
    expect_follows_neuron_fixed_step({"tip", {"dend3", 1.0}, 0.01, sim::Method::staggered_crank_nicolson, 2});
}

TEST(StaggeredStep, HalvingDtConvergesAtTheMethodsOrder)
{
    const Trace exact = read_reference("soma");
    for (const auto& [method, order] : {std::pair{sim::Method::staggered_euler, 1}, std::pair{sim::Method::staggered_crank_nicolson, 2}}) {
        std::vector<double> errors;
        const std::vector<double> dts{0.05, 0.025, 0.0125, 0.00625};
        for (const double dt : dts)
            errors.push_back(spike_error(simulate_e_cell({"soma", 0.0}, 0.3, fixed_step(method, dt)), exact, 5));
        std::cout << sim::to_string(method) << ": first-5-spike errors at dt 0.05 ... 0.00625 ms:";
        for (std::size_t k = 0; k < errors.size(); ++k) {
            std::cout << " " << errors[k];
            if (k > 0) {
                EXPECT_NEAR(std::log2(errors[k - 1] / errors[k]), order, 0.3) << sim::to_string(method) << " dt " << dts[k];
            }
        }
        std::cout << " ms\n";
    }
}

TEST(StaggeredStep, ModelsWithoutItAreRefusedNamingTheMethod)
{
    sim::problems::LinearDecay decay(1.0);
    expect_field([&] { sim::Simulation(decay, fixed_step(sim::Method::staggered_euler, 0.1)); }, "method");
}
