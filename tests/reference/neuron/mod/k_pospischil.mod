COMMENT
Pospischil et al. 2008 delayed-rectifier potassium, n^4, with u = v - vt, exponents clipped at
20 as the reference reservoir (brc-model.md) does. Written for neurode's reference_cell test.
  an = 0.032 (u-15) / (1 - exp(-(u-15)/5))   bn = 0.5 exp(-(u-10)/40)
Rates scale by q10^((celsius - tref)/10); q10 = 1 (default) is no scaling.
ENDCOMMENT

NEURON {
    SUFFIX k_pospischil
    NONSPECIFIC_CURRENT i
    RANGE gbar, ek, vt, q10, tref
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.005 (S/cm2)
    ek = -90 (mV)
    vt = -60 (mV)
    q10 = 1
    tref = 36 (degC)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    celsius (degC)
    phi
    an (/ms) bn (/ms)
}

STATE { n }

INCLUDE "pospischil_util.inc"

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gbar * n * n * n * n * (v - ek)
}

INITIAL {
    rates(v)
    n = an / (an + bn)
}

DERIVATIVE states {
    rates(v)
    n' = phi * (an * (1 - n) - bn * n)
}

PROCEDURE rates(v (mV)) {
    LOCAL u
    UNITSOFF
    phi = q10 ^ ((celsius - tref) / 10)
    u = v - vt
    an = 0.032 * lin(u - 15, 5)
    bn = 0.5 * cexp(-(u - 10) / 40)
    UNITSON
}
