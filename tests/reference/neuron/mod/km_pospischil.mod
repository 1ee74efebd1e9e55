COMMENT
Pospischil et al. 2008 slow (M-type) potassium, p, exponents clipped at 20 as the reference
reservoir (brc-model.md) does. Written for neurode's reference_cell test.
  pinf = 1 / (1 + exp(-(v+35)/10))   taup = taumax / (3.3 exp((v+35)/20) + exp(-(v+35)/20))
1/taup scales by q10^((celsius - tref)/10); q10 = 1 (default) is no scaling.
ENDCOMMENT

NEURON {
    SUFFIX km_pospischil
    NONSPECIFIC_CURRENT i
    RANGE gbar, ek, taumax, q10, tref
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 7e-5 (S/cm2)
    ek = -90 (mV)
    taumax = 4000 (ms)
    q10 = 1
    tref = 36 (degC)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    celsius (degC)
    phi
    pinf
    taup (ms)
}

STATE { p }

INCLUDE "pospischil_util.inc"

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gbar * p * (v - ek)
}

INITIAL {
    rates(v)
    p = pinf
}

DERIVATIVE states {
    rates(v)
    p' = phi * (pinf - p) / taup
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    phi = q10 ^ ((celsius - tref) / 10)
    pinf = 1 / (1 + cexp(-(v + 35) / 10))
    taup = taumax / (3.3 * cexp((v + 35) / 20) + cexp(-(v + 35) / 20))
    UNITSON
}
