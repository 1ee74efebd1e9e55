/* An outside C program built with pkg-config against the installed neurode (see Makefile).
 *
 * One rate unit without recurrence (gain 0) and a constant input u: tau dx/dt = -x + w u, so
 *     x(t) = w u (1 - exp(-t / tau))   and   x(tau) / x(10 tau) = (1 - e^-1) / (1 - e^-10),
 * whatever the input weight w the network drew. The program advances neurode to tau and 10 tau
 * and prints the ratio next to the closed form. */
#include <math.h>
#include <stdio.h>

#include <neurode/neurode.h>

static const double TAU_MS = 100.0; /* [ms], as in the description below */
static const char* DESCRIPTION = "{\"format\": \"neurode-rate-network\", \"format_version\": 1, \"units\": 1, "
                                 "\"inputs\": 1, \"gain\": 0.0, \"tau_ms\": 100.0, \"seed\": 4}";

int main(void)
{
    neurode_context* context = NULL;
    neurode_model* model = NULL;
    neurode_simulation* simulation = NULL;
    const char *version = "", *message = "";
    const double* x;
    size_t n;
    double x_tau = 0, x_late = 0;
    neurode_status status, last;

    neurode_version(&version);
    status = neurode_context_create(&context);
    if (status == NEURODE_OK) status = neurode_model_parse(context, DESCRIPTION, &model);
    if (status == NEURODE_OK) status = neurode_simulation_create(model, NULL, 1e-10, 1e-12, 0, &simulation);
    if (status == NEURODE_OK) status = neurode_simulation_set_input(simulation, 0, 1.0);
    if (status == NEURODE_OK) status = neurode_simulation_advance(simulation, TAU_MS);
    if (status == NEURODE_OK) status = neurode_simulation_read(simulation, NEURODE_QUANTITY_STATE, &x, &n);
    if (status == NEURODE_OK) x_tau = x[0];
    if (status == NEURODE_OK) status = neurode_simulation_advance(simulation, 10 * TAU_MS);
    if (status == NEURODE_OK) x_late = x[0]; /* the state view follows the simulation */
    if (status != NEURODE_OK) {
        neurode_last_error(context, &last, &message);
        fprintf(stderr, "relaxation: %s\n", message);
    } else {
        printf("pkg-config consumer: neurode %s, x(tau) / x(10 tau) = %.6f (closed form %.6f)\n", version,
               x_tau / x_late, (1 - exp(-1.0)) / (1 - exp(-10.0)));
    }
    neurode_simulation_free(simulation);
    neurode_model_free(model);
    neurode_context_free(context);
    return status == NEURODE_OK ? 0 : 1;
}
