/* A C host simulator coupled to neurode every 1 ms, through the C API only.
 *
 * The host has a model of its own: N leaky integrate-and-fire neurons,
 *     tau dv/dt = -v + tau * w * (spikes received from neurode cell i),   v >= 1: spike, v = 0,
 * integrated with its own clock. neurode simulates N hh somas (network.json). At every exchange
 * the host
 *   1. sets each neurode cell's clamp current (a slow drive the host computes: I(t) = I0 (1 + sin(2 pi t / T) / 2)),
 *   2. sends the spikes its LIF neurons fired in the last interval into neurode's spike sources
 *      (synaptic drive through AMPA synapses, 1 ms delay),
 *   3. advances neurode to the next exchange time,
 *   4. reads the spikes neurode's cells fired in that interval (a view, no copy) and feeds them
 *      to its LIF neurons.
 * Usage: c_host [network.json]. */
#include <math.h>
#include <stdio.h>

#include <neurode/neurode.h>

enum { N = 4, EXCHANGES = 300 };
static const double EXCHANGE_MS = 1.0;     /* [ms] the coupling interval */
static const double DRIVE_NA = 0.15;       /* [nA] I0 */
static const double DRIVE_PERIOD_MS = 150; /* [ms] T */
static const double LIF_TAU_MS = 20.0;     /* [ms] the host neurons' time constant */
static const double LIF_WEIGHT = 0.6;      /* jump of v per neurode spike received */
static const double PI = 3.14159265358979323846;

/* Prints the context's last error and returns 1 when status is not NEURODE_OK. */
static int failed(neurode_context* context, neurode_status status)
{
    const char* message = "";
    neurode_status last;
    if (status == NEURODE_OK) return 0;
    neurode_last_error(context, &last, &message);
    fprintf(stderr, "c_host: %s (%s)\n", message, neurode_status_message(status));
    return 1;
}

int main(int argc, char** argv)
{
    const char* path = argc > 1 ? argv[1] : "network.json";
    neurode_context* context = NULL;
    neurode_model* model = NULL;
    neurode_simulation* simulation = NULL;
    double lif_v[N] = {0};
    int lif_fired[N] = {0};
    size_t neurode_spikes = 0, host_spikes = 0, late = 0, k, i;
    int exchange, status = 1;

    if (neurode_abi_version() != NEURODE_ABI_VERSION) {
        fprintf(stderr, "c_host: built for ABI %d, the library has %u\n", NEURODE_ABI_VERSION, neurode_abi_version());
        return 1;
    }
    if (neurode_context_create(&context) != NEURODE_OK) return 1;
    if (failed(context, neurode_model_load(context, path, &model))) goto done;
    if (failed(context, neurode_simulation_create(model, NULL, 1e-6, 1e-6, 0, &simulation))) goto done;

    printf("%8s %16s %14s\n", "t [ms]", "neurode spikes", "host spikes");
    for (exchange = 0; exchange < EXCHANGES; ++exchange) {
        const double now = exchange * EXCHANGE_MS;
        const double current = DRIVE_NA * (1 + sin(2 * PI * now / DRIVE_PERIOD_MS) / 2);
        const double* times;
        const size_t* cells;
        size_t count;
        for (i = 0; i < N; ++i) {
            /* Inputs: input i is cell i's clamp ("cell[i].iclamp[0]"), spike source i drives cell i. */
            if (failed(context, neurode_simulation_set_input(simulation, i, current))) goto done;
            if (lif_fired[i] && failed(context, neurode_simulation_add_spikes(simulation, i, &now, 1))) goto done;
            lif_fired[i] = 0;
        }
        if (failed(context, neurode_simulation_advance(simulation, now + EXCHANGE_MS))) goto done;
        if (failed(context, neurode_simulation_spikes(simulation, &times, &cells, &count))) goto done;
        for (k = 0; k < count; ++k) {
            if (times[k] <= now || times[k] > now + EXCHANGE_MS) ++late;
            lif_v[cells[k]] += LIF_WEIGHT;
        }
        neurode_spikes += count;
        /* The host's own step: exact decay over the interval, then threshold. */
        for (i = 0; i < N; ++i) {
            lif_v[i] *= exp(-EXCHANGE_MS / LIF_TAU_MS);
            if (lif_v[i] >= 1.0) {
                lif_v[i] = 0.0;
                lif_fired[i] = 1;
                ++host_spikes;
            }
        }
        if ((exchange + 1) % 50 == 0) printf("%8.1f %16zu %14zu\n", now + EXCHANGE_MS, neurode_spikes, host_spikes);
    }
    printf("c_host: %d exchanges of %.1f ms; neurode fired %zu spikes, the host %zu; %zu spikes outside their interval\n",
           EXCHANGES, EXCHANGE_MS, neurode_spikes, host_spikes, late);
    status = late == 0 && neurode_spikes > 0 && host_spikes > 0 ? 0 : 1;
done:
    neurode_simulation_free(simulation);
    neurode_model_free(model);
    neurode_context_free(context);
    return status;
}
