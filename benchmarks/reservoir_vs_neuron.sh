#!/bin/bash
# neurode against NEURON 8.2 on the reference reservoir network (neurons/reservoir.hpp: 75 cells,
# 900 compartments, kinetic AMPA/GABA-A synapses, one Poisson train per cell), both in one run on
# the same exported network: neurode's runs (benchmarks/reservoir_network.cpp), NEURON's fixed
# step at dt 0.025 ms and its CVODE (benchmarks/reservoir_neuron.py), then the table of wall
# times and spike-time accuracy against a fine reference (benchmarks/compare_reservoir.py), and
# neurode's cost at 1x, 4x and 16x the network.
# Usage: bash benchmarks/reservoir_vs_neuron.sh [BUILD_DIR] [OUT_DIR] [DURATION_MS]
# Needs Debian's python3-neuron, neuron-dev (nrnivmodl) and /usr/bin/nrnmech_makefile (see
# docs/ or tests/reference/neuron/reference_cell.py).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-build}
out=${2:-/tmp/neurode-reservoir-bench}
duration=${3:-1000}

# The fine reference (about 80 s) is kept from an earlier run into the same OUT_DIR: delete
# OUT_DIR/reference.json when the network or its solver changes.
reference=()
[ -f "$out/reference.json" ] && reference=(--no-reference)
"$build/benchmarks/reservoir_network" "$out" --duration "$duration" --repeats 3 "${reference[@]}"
/usr/bin/python3 "$here/reservoir_neuron.py" "$out/network.json" "$out/neuron_fixed.json" --method fixed --repeats 3
/usr/bin/python3 "$here/reservoir_neuron.py" "$out/network.json" "$out/neuron_cvode.json" --method cvode --repeats 1
/usr/bin/python3 "$here/compare_reservoir.py" "$out/reference.json" "$out/neuron_fixed.json" "$out/neuron_cvode.json" \
    "$out"/staggered_*.json "$out/cvode_bdf_klu_1e-3.json" "$out"/trials_*.json --json "$out/table.json"

echo "size sweep: staggered Crank-Nicolson, dt 0.1 ms, 100 ms simulated"
for k in 1 4 16; do
    "$build/benchmarks/reservoir_network" "$out/scale$k" --scale "$k" --duration 100 --repeats 1 --only staggered_cn_0.100 |
        sed "s/^/x$k: /"
done
