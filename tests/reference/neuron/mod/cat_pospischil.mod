COMMENT
Pospischil et al. 2008 low-threshold (T-type) calcium, sinf^2 u with sinf instantaneous, shift
vx, fixed reversal (no calcium dynamics), exponents clipped at 20 as the reference reservoir
(brc-model.md) does; tau_u as the reference implements it. Written for neurode's reference_cell test.
  sinf = 1 / (1 + exp(-(v+vx+57)/6.2))   uinf = 1 / (1 + exp((v+vx+81)/4))
  tauu = (30.8 + 211.4 + exp((v+vx+113.2)/5)) / (3.7 (1 + exp((v+vx+84)/3.2)))
1/tauu scales by q10^((celsius - tref)/10); q10 = 1 (default) is no scaling.
ENDCOMMENT

NEURON {
    SUFFIX cat_pospischil
    NONSPECIFIC_CURRENT i
    RANGE gbar, eca, vx, q10, tref
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 4e-4 (S/cm2)
    eca = 120 (mV)
    vx = 2 (mV)
    q10 = 1
    tref = 36 (degC)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    celsius (degC)
    phi
    sinf
    uinf
    tauu (ms)
}

STATE { u }

INCLUDE "pospischil_util.inc"

BREAKPOINT {
    SOLVE states METHOD cnexp
    rates(v)
    i = gbar * sinf * sinf * u * (v - eca)
}

INITIAL {
    rates(v)
    u = uinf
}

DERIVATIVE states {
    rates(v)
    u' = phi * (uinf - u) / tauu
}

PROCEDURE rates(v (mV)) {
    LOCAL w
    UNITSOFF
    phi = q10 ^ ((celsius - tref) / 10)
    w = v + vx
    sinf = 1 / (1 + cexp(-(w + 57) / 6.2))
    uinf = 1 / (1 + cexp((w + 81) / 4))
    tauu = (30.8 + 211.4 + cexp((w + 113.2) / 5)) / (3.7 * (1 + cexp((w + 84) / 3.2)))
    UNITSON
}
