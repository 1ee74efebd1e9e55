#!/bin/bash
# Engine overhead of neurode against a plain C program calling SUNDIALS directly, on the passive
# cable (KLU) with N = 1,000 and 100,000 compartments. Both run in one process, interleaved at
# random, repeated; the ratio of median times is neurode / raw (target: <= 1.10).
#   usage: benchmarks/engine_overhead.sh [build-dir] [repetitions]
set -euo pipefail
build=${1:-build}
repetitions=${2:-7}
out="$build/engine_overhead.json"
"$build/benchmarks/engine_overhead" \
    --benchmark_filter='^BM_(RawCvode|Neurode)Cable/' \
    --benchmark_repetitions="$repetitions" \
    --benchmark_enable_random_interleaving=true \
    --benchmark_report_aggregates_only=true \
    --benchmark_out="$out" --benchmark_out_format=json >/dev/null
/usr/bin/python3 - "$out" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
median = {r["run_name"]: r for r in runs if r.get("aggregate_name") == "median"}
worst = 0.0
print(f"{'N':>8} {'raw C + SUNDIALS [ms]':>22} {'neurode [ms]':>13} {'ratio':>6} {'steps':>6} {'neurode RHS/s':>14}")
for n in (1000, 100000):
    raw, ours = median[f"BM_RawCvodeCable/{n}"], median[f"BM_NeurodeCable/{n}"]
    if raw["steps"] != ours["steps"]:
        sys.exit(f"N = {n}: the two programs took different steps ({raw['steps']} vs {ours['steps']})")
    ratio = ours["real_time"] / raw["real_time"]
    worst = max(worst, ratio)
    print(f"{n:>8} {raw['real_time']:>22.2f} {ours['real_time']:>13.2f} {ratio:>6.3f} {int(ours['steps']):>6} "
          f"{ours['rhs_per_second']:>14.0f}")
print(f"worst ratio {worst:.3f} (target <= 1.10)")
sys.exit(0 if worst <= 1.10 else 1)
PY
