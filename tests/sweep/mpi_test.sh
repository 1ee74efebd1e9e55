#!/bin/bash
# The synthetic sweep over 2 MPI ranks (rank 0 hands out points): every point computed once,
# by both ranks between them, with the records of an in-process run.
# usage: mpi_test.sh RUNNER WORKDIR
set -euo pipefail
runner=$1 work=$2
check="/usr/bin/python3 $(dirname "$0")/check_sweep_records.py"
rm -rf "$work" && mkdir -p "$work"
# CI runs as root; Open MPI refuses that unless told (set here only, not globally).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$runner" "$work/serial" "$work/serial.log" --threads 1
mpirun -n 2 --oversubscribe "$runner" "$work/mpi" "$work/mpi.log" --mpi --threads 1
$check values "$work/mpi"
$check once "$work/mpi.log"
grep -q "rank 0" "$work/mpi.log" && grep -q "rank 1" "$work/mpi.log"
$check same "$work/serial" "$work/mpi"
# Resumed under MPI: nothing left to do, nothing redone.
mpirun -n 2 --oversubscribe "$runner" "$work/mpi" "$work/mpi-again.log" --mpi --threads 1
! grep -q "^computed" "$work/mpi-again.log"
echo "mpi: each point once, both ranks, same records"
