: Double-exponential synapse with a Jahr-Stevens magnesium block, the model neurode's NMDA
: EventSynapse implements, written for NEURON (whose Exp2Syn has no block) to serve as the
: oracle of neurode's tests. A spike adds weight * factor to A and B; factor makes the peak of
: B - A equal to the weight:
:   A' = -A / tau1,  B' = -B / tau2,  g = B - A,  i = g B(v) (v - e),
:   B(v) = 1 / (1 + exp(-0.062 v) mg / 3.57),
:   factor = 1 / (exp(-tp / tau2) - exp(-tp / tau1)),  tp = tau1 tau2 / (tau2 - tau1) ln(tau2 / tau1).
NEURON {
    POINT_PROCESS Exp2NMDA
    RANGE tau1, tau2, e, mg, i, g
    NONSPECIFIC_CURRENT i
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
    (mM) = (milli/liter)
}
PARAMETER {
    tau1 = 1 (ms)
    tau2 = 20 (ms)
    e = 0 (mV)
    mg = 1 (mM)
}
ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor
}
STATE {
    A (uS)
    B (uS)
}
INITIAL {
    LOCAL tp
    A = 0
    B = 0
    tp = (tau1 * tau2) / (tau2 - tau1) * log(tau2 / tau1)
    factor = 1 / (exp(-tp / tau2) - exp(-tp / tau1))
}
BREAKPOINT {
    SOLVE states METHOD cnexp
    g = B - A
    i = g * block(v) * (v - e)
}
DERIVATIVE states {
    A' = -A / tau1
    B' = -B / tau2
}
FUNCTION block(vv (mV)) {
    UNITSOFF
    block = 1 / (1 + exp(-0.062 * vv) * mg / 3.57)
    UNITSON
}
NET_RECEIVE(weight (uS)) {
    A = A + weight * factor
    B = B + weight * factor
}
