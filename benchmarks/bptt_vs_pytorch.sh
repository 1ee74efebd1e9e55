#!/bin/bash
# BPTT + Adam training throughput of neurode against PyTorch 1.13 (CPU, 2 threads) on the same
# CTRNN (f = 1 + tanh, a = 0.1, T = 75, 4 inputs, 1 output, MSE), in one run on one machine:
# N = 256 batch 64, N = 50 batch 64 and batch 500, each precision against the same precision.
# Prints neurode / PyTorch time ratios (targets: PyTorch time / neurode time >= 5 at N = 256 and
# >= 3 at N = 50) and the fraction of the measured peak GEMM throughput that N = 256 reaches.
#   usage: benchmarks/bptt_vs_pytorch.sh [build-dir] [threads]
set -euo pipefail
build=${1:-build}
threads=${2:-2}
out="$build/bptt_training.json"
"$build/benchmarks/bptt_training" --benchmark_filter="/threads:$threads/" \
    --benchmark_out="$out" --benchmark_out_format=json >/dev/null
torch_out="$build/bptt_pytorch.jsonl"
/usr/bin/python3 "$(dirname "$0")/bptt_pytorch.py" > "$torch_out"
/usr/bin/python3 - "$out" "$torch_out" "$threads" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["benchmarks"]
theirs = [json.loads(line) for line in open(sys.argv[2])]
threads = sys.argv[3]
def find(name):
    return next(r for r in ours if r["name"].startswith(name))
print(f"PyTorch {theirs[0]['torch']} ({theirs[0]['threads']} threads), neurode {threads} threads; "
      "seconds per iteration (forward + backward + Adam step on one batch)")
print(f"{'N':>4} {'batch':>5} {'precision':>9} {'neurode [ms]':>13} {'PyTorch [ms]':>13} {'neurode/PyTorch':>16} "
      f"{'speed-up':>9} {'trials/s':>10} {'GFLOP/s':>8}")
peak = {p: find(f"BM_PeakGemm/size:1024/float32:{int(p == 'float32')}/threads:{threads}/")["gemm_gflops"]
        for p in ("float64", "float32")}
fractions = {}
for t in theirs:
    flag = int(t["dtype"] == "float32")
    r = find(f"BM_BpttTraining/units:{t['units']}/batch:{t['batch']}/float32:{flag}/threads:{threads}/")
    mine = r["real_time"] * 1e-3  # ms -> s
    ratio = mine / t["seconds"]
    print(f"{t['units']:>4} {t['batch']:>5} {t['dtype']:>9} {mine * 1e3:>13.2f} {t['seconds'] * 1e3:>13.2f} "
          f"{ratio:>16.4f} {1 / ratio:>8.1f}x {r['trials_per_second']:>10.0f} {r['gemm_gflops']:>8.2f}")
    if t["units"] == 256:
        fractions[t["dtype"]] = r["gemm_gflops"] / peak[t["dtype"]]
for p, f in fractions.items():
    print(f"N = 256 {p}: {f:.0%} of this build's measured peak GEMM ({peak[p]:.1f} GFLOP/s, 1024^3 products, "
          f"{threads} at once)")
PY
