COMMENT
Pospischil et al. 2008 fast sodium, m^3 h, with u = v - vt, exponents clipped at 20 as the
reference reservoir (brc-model.md) does. Written for neurode's reference_cell test.
  am = 0.32 (u-13) / (1 - exp(-(u-13)/4))   bm = 0.28 (u-40) / (exp((u-40)/5) - 1)
  ah = 0.128 exp(-(u-17)/18)               bh = 4 / (1 + exp(-(u-40)/5))
Rates scale by q10^((celsius - tref)/10); q10 = 1 (default) is no scaling.
ENDCOMMENT

NEURON {
    SUFFIX na_pospischil
    NONSPECIFIC_CURRENT i
    RANGE gbar, ena, vt, q10, tref
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.05 (S/cm2)
    ena = 50 (mV)
    vt = -60 (mV)
    q10 = 1
    tref = 36 (degC)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    celsius (degC)
    phi
    am (/ms) bm (/ms) ah (/ms) bh (/ms)
}

STATE { m h }

INCLUDE "pospischil_util.inc"

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = gbar * m * m * m * h * (v - ena)
}

INITIAL {
    rates(v)
    m = am / (am + bm)
    h = ah / (ah + bh)
}

DERIVATIVE states {
    rates(v)
    m' = phi * (am * (1 - m) - bm * m)
    h' = phi * (ah * (1 - h) - bh * h)
}

PROCEDURE rates(v (mV)) {
    LOCAL u
    UNITSOFF
    phi = q10 ^ ((celsius - tref) / 10)
    u = v - vt
    am = 0.32 * lin(u - 13, 4)
    bm = 0.28 * lin(-(u - 40), 5)
    ah = 0.128 * cexp(-(u - 17) / 18)
    bh = 4 / (1 + cexp(-(u - 40) / 5))
    UNITSON
}
