#!/bin/bash
# `neurode bench --model FILE`: a user's network description (neurode's JSON, as
# neurons::save_json writes it) measured like a built-in problem, the file checked by h5py.
# Usage: bench_model_test.sh NEURODE SOURCE_DIR WORK_DIR
set -euo pipefail
neurode=$1 source_dir=$2 work=$3
mkdir -p "$work"
# Two hh somas, each driven by its own 200 Hz Poisson train through an AMPA synapse.
cat > "$work/two-cells.json" <<'JSON'
{
  "format": "neurode-network", "format_version": 1, "seed": 3,
  "populations": [{
    "name": "E", "size": 2, "bias_nA": 0.0, "bias_site": {"section": "soma", "position": 0.5},
    "cell": {
      "sections": [{"name": "soma", "region": "soma", "parent": -1, "parent_position": 1.0, "length_um": 20.0,
                    "diameter_um": 20.0, "axial_resistivity_ohm_cm": 35.4, "membrane_capacitance_uF_per_cm2": 1.0,
                    "compartments": 1}],
      "channels": [{"channel": "hh", "region": "", "parameters": {}}],
      "clamps": [], "spike_detectors": [{"section": "soma", "position": 0.5}],
      "spike_threshold_mV": 0.0, "celsius": 6.3, "initial_voltage_mV": -65.0}}],
  "connections": [],
  "drives": [{"name": "noise", "size": 2, "rate_Hz": 200.0, "start_ms": 0.0, "stop_ms": 50.0}],
  "drive_connections": [{"source": "noise", "target": "E", "receptor": "ampa",
                         "post": {"section": "soma", "position": 0.5}, "weight_uS": 0.05, "delay_ms": 1.0,
                         "rule": "one_to_one", "probability": 0.1,
                         "ring": {"source_spacing": 1, "target_spacing": 1, "distances": [1], "periodic": false,
                                  "ring_nodes": 0},
                         "keep_probability": 1.0}]
}
JSON
"$neurode" bench --model "$work/two-cells.json" --duration 50 --measure spike_time --quick --no-figures \
    -o "$work/model-bench.h5"
test -s "$work/model-bench.md"
grep -q "^### two-cells" "$work/model-bench.md"
/usr/bin/python3 "$source_dir/tests/bench_check_h5.py" "$work/model-bench.h5" two-cells
