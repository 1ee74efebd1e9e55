COMMENT
Pospischil et al. 2008 high-threshold (L-type) calcium, q^2 r, fixed reversal (no calcium
dynamics), exponents clipped at 20 as the reference reservoir (brc-model.md) does. Written for
neurode's reference_cell test.
  aq = 0.055 (-27-v) / (exp((-27-v)/3.8) - 1)   bq = 0.94 exp((-75-v)/17)
  ar = 4.57e-4 exp((-13-v)/50)                  br = 0.0065 / (exp((-15-v)/28) + 1)
Rates scale by q10^((celsius - tref)/10); q10 = 1 (default) is no scaling.
ENDCOMMENT

NEURON {
    SUFFIX cal_pospischil
    NONSPECIFIC_CURRENT i
    RANGE gbar, eca, q10, tref
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 1e-4 (S/cm2)
    eca = 120 (mV)
    q10 = 1
    tref = 36 (degC)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    celsius (degC)
    phi
    aq (/ms) bq (/ms) ar (/ms) br (/ms)
}

STATE { q r }

INCLUDE "pospischil_util.inc"

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gbar * q * q * r * (v - eca)
}

INITIAL {
    rates(v)
    q = aq / (aq + bq)
    r = ar / (ar + br)
}

DERIVATIVE states {
    rates(v)
    q' = phi * (aq * (1 - q) - bq * q)
    r' = phi * (ar * (1 - r) - br * r)
}

PROCEDURE rates(v (mV)) {
    UNITSOFF
    phi = q10 ^ ((celsius - tref) / 10)
    aq = 0.055 * lin(v + 27, 3.8)
    bq = 0.94 * cexp((-75 - v) / 17)
    ar = 4.57e-4 * cexp((-13 - v) / 50)
    br = 0.0065 / (cexp((-15 - v) / 28) + 1)
    UNITSON
}
