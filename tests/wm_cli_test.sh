#!/bin/bash
# The study from the command line on a tiny configuration: a fresh run, a run that resumes its
# searches from their logs, and a second fresh run must print the same tables; h5py then reads
# the results and regenerates the table (check_wm_h5.py). Usage: wm_cli_test.sh NEURODE SOURCE_DIR
set -euo pipefail
neurode=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
config="$source/tests/data/wm-tiny.json"
"$neurode" wm -c "$config" -o "$work/a.h5" > "$work/first.txt"
"$neurode" wm -c "$config" -o "$work/a.h5" > "$work/resumed.txt" 2> "$work/resumed.err"
grep -q "resumed" "$work/resumed.err" || { echo "the second run did not resume its searches"; exit 1; }
"$neurode" wm -c "$config" -o "$work/b.h5" > "$work/fresh.txt"
diff <(grep '^|' "$work/first.txt") <(grep '^|' "$work/resumed.txt")
diff <(grep '^|' "$work/first.txt") <(grep '^|' "$work/fresh.txt")
/usr/bin/python3 "$source/tests/check_wm_h5.py" "$work/a.h5"
echo "same tables from a fresh, a resumed and a second fresh run"
