#!/bin/bash
# Resume after kill -9 at random moments, two processes on one directory, and sharding, on the
# synthetic sweep (sweep_runner.cpp), every result checked by check_sweep_records.py (h5py).
# usage: resume_test.sh RUNNER WORKDIR
set -euo pipefail
runner=$1 work=$2
check="/usr/bin/python3 $(dirname "$0")/check_sweep_records.py"
rm -rf "$work" && mkdir -p "$work"

"$runner" "$work/full" "$work/full.log" --threads 2
$check values "$work/full"

# kill -9 at random moments (the delays are printed to reproduce a failure), then resume.
for k in 1 2 3 4 5 6; do
    "$runner" "$work/killed" "$work/killed.log" --threads 2 &
    pid=$!
    delay=$(printf '0.%02d' $((RANDOM % 60 + 5)))
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "run $k killed after $delay s"
    $check snapshot "$work/killed" >> "$work/snapshot.txt"
done
"$runner" "$work/killed" "$work/killed.log" --threads 2
$check values "$work/killed"
$check unchanged "$work/snapshot.txt" "$work/killed"
$check same "$work/full" "$work/killed"

# Two processes on one directory at once: each point computed by exactly one of them.
"$runner" "$work/shared" "$work/shared-1.log" --threads 1 &
first=$!
"$runner" "$work/shared" "$work/shared-2.log" --threads 1
wait "$first"
$check once "$work/shared-1.log" "$work/shared-2.log"
$check same "$work/full" "$work/shared"

# Array-job sharding: three shards, one after another, make up the whole sweep.
for i in 0 1 2; do "$runner" "$work/sharded" "$work/sharded-$i.log" --shard "$i/3"; done
$check once "$work"/sharded-*.log
$check same "$work/full" "$work/sharded"
echo "resume, exclusion and sharding: same records"
