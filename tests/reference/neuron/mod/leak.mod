COMMENT
The reference reservoir's leak, i = gbar (v - e). Written for neurode's reference_cell test.
ENDCOMMENT

NEURON {
    SUFFIX leak
    NONSPECIFIC_CURRENT i
    RANGE gbar, e
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 1e-4 (S/cm2)
    e = -70 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = gbar * (v - e)
}
