#!/usr/bin/python3
"""Reference solution of the stiff Van der Pol oscillator (mu = 1000, y(0) = (2, 0)) for
neurode's engine tests, computed by SciPy's Radau IIA at tight tolerances. Re-run with
Debian's python3-scipy:  /usr/bin/python3 tests/reference/vanderpol_mu1000.py > tests/reference/vanderpol_mu1000.csv
Sample times lie on the slow branches of the relaxation cycle, away from the fast jumps."""
import numpy as np
import scipy
from scipy.integrate import solve_ivp

MU = 1000.0
TIMES = [100.0, 400.0, 700.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0]


def vdp(t, y):
    return [y[1], MU * (1 - y[0] ** 2) * y[1] - y[0]]


def jac(t, y):
    return [[0.0, 1.0], [-2 * MU * y[0] * y[1] - 1, MU * (1 - y[0] ** 2)]]


sol = solve_ivp(vdp, (0.0, TIMES[-1]), [2.0, 0.0], method="Radau", jac=jac,
                rtol=1e-12, atol=1e-12, t_eval=TIMES)
assert sol.success, sol.message
print(f"# scipy {scipy.__version__} Radau rtol=1e-12 atol=1e-12; columns: t, y1, y2")
for t, y1, y2 in zip(sol.t, sol.y[0], sol.y[1]):
    print(f"{t:.1f},{y1:.15e},{y2:.15e}")
