#!/usr/bin/python3
"""Reference gradients and Adam steps of torch.nn.GRU and torch.nn.LSTM (float64, batch_first)
with a torch.nn.Linear readout under the masked mean squared error
    loss = sum(mask * (y - target)^2) / sum(mask),
for neurode's BPTT tests (tests/rnn/bptt_gated_test.cpp). Re-run with Debian's python3-torch:
    /usr/bin/python3 tests/reference/bptt_gated_torch.py > tests/reference/bptt_gated_torch.txt

Format as gated_torch.txt: '#' lines are comments; every other block is a header line
'name rows cols' followed by rows * cols numbers in row-major order. Sequences are
[trials * steps] x features, trial-major. Per cell: the initial weights, the loss and the gradient
of each weight from autograd, the Adam options (learning_rate beta1 beta2 epsilon weight_decay
clip_norm), and the weights after `ADAM_STEPS` steps of torch.optim.Adam on the same batch, each
after torch.nn.utils.clip_grad_norm_ when clip_norm > 0. The LSTM's clip_norm is half its first
gradient's norm, so that clipping is active."""
import torch

INPUTS, HIDDEN, OUTPUTS = 3, 5, 2
TRIALS, STEPS = 3, 6
ADAM_STEPS = 3
NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_out", "bias_out")

torch.manual_seed(20240612)
blocks = []


def put(name, tensor):  # vectors (biases) become columns, scalars 1 x 1
    t = tensor.detach().clone()  # parameters and gradients change in place later
    blocks.append((name, t.reshape(t.shape[0] if t.dim() > 0 else 1, -1)))


def sequence(tensor):  # [trials][steps][features] -> (trials*steps) x features
    return tensor.reshape(TRIALS * STEPS, -1)


x = torch.randn(TRIALS, STEPS, INPUTS, dtype=torch.float64)
target = torch.randn(TRIALS, STEPS, OUTPUTS, dtype=torch.float64)
mask = torch.randint(0, 3, (TRIALS, STEPS, OUTPUTS)).double() / 2  # weights 0, 0.5 and 1
put("inputs", sequence(x))
put("targets", sequence(target))
put("mask", sequence(mask))


def parameters(cell, readout):
    return [cell.weight_ih_l0, cell.weight_hh_l0, cell.bias_ih_l0, cell.bias_hh_l0, readout.weight, readout.bias]


def loss_of(cell, readout):
    out, _ = cell(x)
    return (mask * (readout(out) - target) ** 2).sum() / mask.sum()


for kind, cls, lr, weight_decay in (("gru", torch.nn.GRU, 0.02, 0.0), ("lstm", torch.nn.LSTM, 0.05, 0.01)):
    cell = cls(INPUTS, HIDDEN, batch_first=True).double()
    readout = torch.nn.Linear(HIDDEN, OUTPUTS).double()
    params = parameters(cell, readout)
    for name, p in zip(NAMES, params):
        put(f"{kind}.{name}", p)

    loss = loss_of(cell, readout)
    loss.backward()
    put(f"{kind}.loss", loss)
    for name, p in zip(NAMES, params):
        put(f"{kind}.grad.{name}", p.grad)
    norm = torch.sqrt(sum((p.grad ** 2).sum() for p in params)).item()
    clip_norm = norm / 2 if kind == "lstm" else 0.0

    betas, eps = (0.9, 0.999), 1e-8
    put(f"{kind}.adam.options", torch.tensor([lr, betas[0], betas[1], eps, weight_decay, clip_norm],
                                             dtype=torch.float64))
    optimiser = torch.optim.Adam(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    for _ in range(ADAM_STEPS):
        optimiser.zero_grad()
        loss_of(cell, readout).backward()
        if clip_norm > 0:
            torch.nn.utils.clip_grad_norm_(params, clip_norm)
        optimiser.step()
    for name, p in zip(NAMES, params):
        put(f"{kind}.adam.{name}", p)

print(f"# torch {torch.__version__}: nn.GRU / nn.LSTM({INPUTS}, {HIDDEN}, batch_first=True) + "
      f"nn.Linear({HIDDEN}, {OUTPUTS}), float64, {TRIALS} trials x {STEPS} steps, masked MSE, "
      f"{ADAM_STEPS} Adam steps")
for name, t in blocks:
    rows, cols = t.shape
    print(f"{name} {rows} {cols}")
    for row in t.tolist():
        print(" ".join(f"{v:.17g}" for v in row))
