#!/usr/bin/python3
"""Reference forward passes of torch.nn.GRU and torch.nn.LSTM (float64, batch_first) with a
torch.nn.Linear readout, for neurode's gated-cell tests (tests/rnn/gated_test.cpp). Re-run with
Debian's python3-torch:
    /usr/bin/python3 tests/reference/gated_torch.py > tests/reference/gated_torch.txt

Format: '#' lines are comments; every other block is a header line 'name rows cols' followed by
rows * cols numbers in row-major order. Sequences are [trials * steps] x features, trial-major,
i.e. the [trials][steps][features] layout neurode uses. Each cell runs twice: from a zero state,
and from the stored initial state (h0, and c0 for the LSTM)."""
import torch

INPUTS, HIDDEN, OUTPUTS = 3, 5, 2
TRIALS, STEPS = 2, 7

torch.manual_seed(20240611)
blocks = []


def put(name, tensor):  # vectors (biases) become columns
    blocks.append((name, tensor.detach().reshape(tensor.shape[0], -1)))


def sequence(tensor):  # [trials][steps][features] -> (trials*steps) x features
    return tensor.reshape(TRIALS * STEPS, -1)


x = torch.randn(TRIALS, STEPS, INPUTS, dtype=torch.float64)
put("inputs", sequence(x))

for kind, cls in (("gru", torch.nn.GRU), ("lstm", torch.nn.LSTM)):
    cell = cls(INPUTS, HIDDEN, batch_first=True).double()
    readout = torch.nn.Linear(HIDDEN, OUTPUTS).double()
    h0 = torch.randn(1, TRIALS, HIDDEN, dtype=torch.float64)
    c0 = torch.randn(1, TRIALS, HIDDEN, dtype=torch.float64)
    with torch.no_grad():
        for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            put(f"{kind}.{name[:-3]}", getattr(cell, name))
        put(f"{kind}.weight_out", readout.weight)
        put(f"{kind}.bias_out", readout.bias)
        put(f"{kind}.h0", h0[0])
        if kind == "lstm":
            put(f"{kind}.c0", c0[0])
        for suffix, state in (("zero", None), ("init", (h0, c0) if kind == "lstm" else h0)):
            out, last = cell(x, state) if state is not None else cell(x)
            put(f"{kind}.{suffix}.hidden", sequence(out))
            put(f"{kind}.{suffix}.outputs", sequence(readout(out)))
            if kind == "lstm":
                put(f"{kind}.{suffix}.c_n", last[1][0])

print(f"# torch {torch.__version__}: nn.GRU / nn.LSTM({INPUTS}, {HIDDEN}, batch_first=True) + "
      f"nn.Linear({HIDDEN}, {OUTPUTS}), float64, {TRIALS} trials x {STEPS} steps")
for name, t in blocks:
    rows, cols = t.shape
    print(f"{name} {rows} {cols}")
    for row in t.tolist():
        print(" ".join(f"{v:.17g}" for v in row))
