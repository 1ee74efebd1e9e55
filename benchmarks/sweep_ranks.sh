#!/bin/bash
# Sweep throughput over MPI ranks: the throughput benchmark's 8 points (BPTT, 64 units, 2,048
# trials each; benchmarks/sweep_throughput.json) run by `neurode sweep` on 1 rank and on 2 ranks of
# one thread each; prints networks per hour and the parallel efficiency. Run on an idle machine.
# usage: bash benchmarks/sweep_ranks.sh BUILD_DIR [WORK_DIR]
set -euo pipefail
build=$1 work=${2:-$(mktemp -d)}
file="$(dirname "$0")/sweep_throughput.json"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
seconds() {  # seconds taken by the command
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
rm -rf "$work/one" "$work/two"
one=$(seconds mpirun -n 1 "$build/app/neurode" sweep "$file" -o "$work/one" -t 1 --no-figures)
two=$(seconds mpirun -n 2 --oversubscribe "$build/app/neurode" sweep "$file" -o "$work/two" -t 1 --no-figures)
points=8
awk -v n="$points" -v one="$one" -v two="$two" 'BEGIN {
    printf "1 rank:  %.1f s, %.0f networks per hour\n", one, n * 3600 / one
    printf "2 ranks: %.1f s, %.0f networks per hour\n", two, n * 3600 / two
    printf "parallel efficiency: %.3f\n", one / (2 * two) }'
