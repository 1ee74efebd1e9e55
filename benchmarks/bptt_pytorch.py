#!/usr/bin/python3
"""PyTorch side of benchmarks/bptt_vs_pytorch.sh: BPTT + Adam training throughput of the CTRNN
    x_{t+1} = (1 - a) x_t + a (W f(x_t) + Win u_t + b),  f = 1 + tanh,  a = 0.1,  y = Wout f(x) + bout,
MSE loss over all T = 75 steps, 4 inputs, 1 output, written the way the papers' users write it
(NeuroGym's CTRNN: nn.Linear layers, a Python loop over time, autograd, torch.optim.Adam), on
the CPU with torch.set_num_threads(2). One iteration: zero_grad, forward, loss, backward, step.
Prints one JSON object per case: units, batch, dtype, seconds per iteration (median of repeats).
    usage: bptt_pytorch.py [min seconds per case]"""
import json
import statistics
import sys
import time

import torch

INPUTS, OUTPUTS, STEPS, ALPHA = 4, 1, 75, 0.1
CASES = [(256, 64), (50, 64), (50, 500)]


class CTRNN(torch.nn.Module):
    def __init__(self, units):
        super().__init__()
        self.units = units
        self.input2h = torch.nn.Linear(INPUTS, units)              # Win, b
        self.h2h = torch.nn.Linear(units, units, bias=False)       # W
        self.fc = torch.nn.Linear(units, OUTPUTS)                  # Wout, bout

    def forward(self, u):  # u: steps x batch x inputs
        x = torch.zeros(u.shape[1], self.units, dtype=u.dtype)
        drive = self.input2h(u)
        states = []
        for t in range(u.shape[0]):
            x = (1 - ALPHA) * x + ALPHA * (self.h2h(1 + torch.tanh(x)) + drive[t])
            states.append(x)
        return self.fc(1 + torch.tanh(torch.stack(states)))


def measure(units, batch, dtype, min_seconds):
    torch.manual_seed(1)
    model = CTRNN(units).to(dtype)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    u = torch.randn(STEPS, batch, INPUTS, dtype=dtype)
    target = torch.randn(STEPS, batch, OUTPUTS, dtype=dtype)
    loss_fn = torch.nn.MSELoss()

    def iteration():
        optimiser.zero_grad()
        loss = loss_fn(model(u), target)
        loss.backward()
        optimiser.step()

    for _ in range(2):  # warm-up
        iteration()
    times = []
    started = time.perf_counter()
    while time.perf_counter() - started < min_seconds or len(times) < 3:
        t0 = time.perf_counter()
        iteration()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times)


def main():
    min_seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    torch.set_num_threads(2)
    for units, batch in CASES:
        for dtype in (torch.float32, torch.float64):
            seconds, count = measure(units, batch, dtype, min_seconds)
            print(json.dumps({"units": units, "batch": batch, "dtype": str(dtype).replace("torch.", ""),
                              "seconds": seconds, "iterations": count, "torch": torch.__version__,
                              "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()
