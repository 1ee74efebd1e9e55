/* See raw_cvode_cable.h. Written the way a SUNDIALS user writes it by hand, without neurode. */
#include "raw_cvode_cable.h"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>
#include <neurode/sim/cable_kernel.h>

#include <stdlib.h>
#include <string.h>

typedef struct {
    const raw_cable_problem* p;
    int64_t* row_offsets;
    int64_t* columns;
} user_data;

static int rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* data)
{
    const user_data* u = (const user_data*)data;
    double* dvdt = N_VGetArrayPointer(ydot);
    (void)t;
    neurode_cable_rhs(u->p->compartments, u->p->inv_tau, u->p->coupling, u->p->e_leak, N_VGetArrayPointer(y), dvdt);
    dvdt[0] += u->p->injection;
    return 0;
}

static int jacobian(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void* data, N_Vector t1, N_Vector t2,
                    N_Vector t3)
{
    const user_data* u = (const user_data*)data;
    const size_t n = u->p->compartments;
    (void)t; (void)y; (void)fy; (void)t1; (void)t2; (void)t3;
    /* CVODE zeroes the whole matrix, index arrays included, before each evaluation. */
    memcpy(SM_INDEXPTRS_S(J), u->row_offsets, (n + 1) * sizeof(sunindextype));
    memcpy(SM_INDEXVALS_S(J), u->columns, (3 * n - 2) * sizeof(sunindextype));
    neurode_cable_jacobian(n, u->p->inv_tau, u->p->coupling, SM_DATA_S(J));
    return 0;
}

#define CHECK(call, name)          \
    do {                           \
        const int flag_ = (call);  \
        if (flag_ < 0) {           \
            *failed_call = (name); \
            status = flag_;        \
            goto done;             \
        }                          \
    } while (0)

#define CHECK_ALLOC(ptr, name)     \
    do {                           \
        if (!(ptr)) {              \
            *failed_call = (name); \
            status = -1;           \
            goto done;             \
        }                          \
    } while (0)

int raw_cable_run(const raw_cable_problem* p, raw_cable_result* result, const char** failed_call)
{
    const sunindextype n = (sunindextype)p->compartments;
    int status = 0;
    SUNContext ctx = NULL;
    N_Vector y = NULL;
    SUNMatrix A = NULL;
    SUNLinearSolver LS = NULL;
    void* mem = NULL;
    user_data data = {p, NULL, NULL};
    double t = 0;

    *failed_call = NULL;
    CHECK(SUNContext_Create(NULL, &ctx), "SUNContext_Create");
    y = N_VNew_Serial(n, ctx);
    CHECK_ALLOC(y, "N_VNew_Serial");
    N_VConst(p->v_initial, y);

    data.row_offsets = (int64_t*)malloc((size_t)(n + 1) * sizeof(int64_t));
    data.columns = (int64_t*)malloc((size_t)(3 * n - 2) * sizeof(int64_t));
    CHECK_ALLOC(data.row_offsets && data.columns, "malloc");
    neurode_cable_pattern(p->compartments, data.row_offsets, data.columns);

    mem = CVodeCreate(CV_BDF, ctx);
    CHECK_ALLOC(mem, "CVodeCreate");
    CHECK(CVodeInit(mem, rhs, 0.0, y), "CVodeInit");
    CHECK(CVodeSetUserData(mem, &data), "CVodeSetUserData");
    CHECK(CVodeSStolerances(mem, p->rtol, p->atol), "CVodeSStolerances");
    CHECK(CVodeSetMaxNumSteps(mem, p->max_steps), "CVodeSetMaxNumSteps");
    A = SUNSparseMatrix(n, n, 3 * n - 2, CSR_MAT, ctx);
    CHECK_ALLOC(A, "SUNSparseMatrix");
    LS = SUNLinSol_KLU(y, A, ctx);
    CHECK_ALLOC(LS, "SUNLinSol_KLU");
    CHECK(CVodeSetLinearSolver(mem, LS, A), "CVodeSetLinearSolver");
    CHECK(CVodeSetJacFn(mem, jacobian), "CVodeSetJacFn");

    CHECK(CVodeSetStopTime(mem, p->t_end), "CVodeSetStopTime");
    while (t < p->t_end) CHECK(CVode(mem, p->t_end, y, &t, CV_ONE_STEP), "CVode");

    CHECK(CVodeGetNumSteps(mem, &result->steps), "CVodeGetNumSteps");
    CHECK(CVodeGetNumRhsEvals(mem, &result->rhs_evaluations), "CVodeGetNumRhsEvals");
    CHECK(CVodeGetNumJacEvals(mem, &result->jacobian_evaluations), "CVodeGetNumJacEvals");
    result->v_first = N_VGetArrayPointer(y)[0];
    result->v_last = N_VGetArrayPointer(y)[n - 1];

done:
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    SUNMatDestroy(A);
    N_VDestroy(y);
    free(data.row_offsets);
    free(data.columns);
    SUNContext_Free(&ctx);
    return status;
}
