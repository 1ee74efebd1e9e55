"""The block format the C++ tests read (tests/support/reference_files.hpp: read_blocks): a line
"name rows cols", then the rows of a matrix, every value to full double precision."""
import numpy as np


def block(name, m):
    m = np.atleast_2d(np.asarray(m, dtype=float))
    print(f"{name} {m.shape[0]} {m.shape[1]}")
    for row in m:
        print(" ".join(f"{v:.17g}" for v in row))
