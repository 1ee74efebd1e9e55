#!/bin/bash
# `neurode sweep` on a tiny sweep: run fresh; run again, killed with kill -9 part-way and
# resumed; run as two shards; the reports must be identical (also when regenerated with
# --report), and h5py must find the summary equal to the records (check_sweep_h5.py).
# usage: cli_sweep_test.sh NEURODE SOURCE_DIR WORKDIR
set -euo pipefail
neurode=$1 source=$2 work=$3
file="$source/tests/data/sweep-tiny.json"
rm -rf "$work" && mkdir -p "$work"
"$neurode" sweep "$file" -o "$work/fresh" -t 2 --no-figures > "$work/fresh.txt"
"$neurode" sweep "$file" -o "$work/resumed" -t 2 --no-figures > /dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
"$neurode" sweep "$file" -o "$work/resumed" -t 2 --no-figures > "$work/resumed.txt"
diff "$work/fresh/report.md" "$work/resumed/report.md"
"$neurode" sweep "$file" -o "$work/sharded" --shard 0/2 --no-figures > /dev/null
"$neurode" sweep "$file" -o "$work/sharded" --shard 1/2 --no-figures > /dev/null
diff "$work/fresh/report.md" "$work/sharded/report.md"
rm "$work/fresh/report.md"
"$neurode" sweep "$file" -o "$work/fresh" --report --no-figures > /dev/null
diff "$work/fresh/report.md" "$work/resumed/report.md"
/usr/bin/python3 "$source/tests/sweep/check_sweep_h5.py" "$work/resumed"
grep -q "8 of 8 points complete" "$work/resumed/report.md"
echo "sweep cli: same report fresh and resumed"
