: Kinetic synapse (Destexhe, Mainen & Sejnowski 1998) with graded release from the presynaptic
: voltage and an optional Jahr-Stevens magnesium block: the model neurode's KineticSynapse
: implements, written for NEURON to serve as the oracle of neurode's tests.
:   T = tmax / (1 + exp(-(vpre - vp)/kp)),  r' = alpha T (1 - r) - beta r,
:   i = gmax r B(v) (v - e),  B = 1 / (1 + exp(-0.062 v) mg / 3.57) when nmda = 1, else 1.
NEURON {
    POINT_PROCESS KineticSyn
    POINTER vpre
    RANGE alpha, beta, e, gmax, tmax, vp, kp, mg, nmda, i
    NONSPECIFIC_CURRENT i
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}
PARAMETER {
    alpha = 1.1
    beta = 0.19 (/ms)
    e = 0 (mV)
    gmax = 0.001 (uS)
    tmax = 1
    vp = 2 (mV)
    kp = 5 (mV)
    mg = 1
    nmda = 0
}
ASSIGNED {
    v (mV)
    vpre (mV)
    i (nA)
}
STATE { r }
UNITSOFF
INITIAL {
    r = alpha * release(vpre) / (alpha * release(vpre) + beta)
}
BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gmax * r * block(v) * (v - e)
}
DERIVATIVE states {
    r' = alpha * release(vpre) * (1 - r) - beta * r
}
FUNCTION release(vp_ (mV)) {
    release = tmax / (1 + exp(-(vp_ - vp) / kp))
}
FUNCTION block(vv (mV)) {
    if (nmda > 0) {
        block = 1 / (1 + exp(-0.062 * vv) * mg / 3.57)
    } else {
        block = 1
    }
}
UNITSON
