#!/usr/bin/python3
"""Reference loss, gradients and Adam steps of the rate RNN's Euler map by PyTorch autograd
(float64), for neurode's BPTT tests (tests/rnn/bptt_test.cpp). Re-run with Debian's python3-torch:
    /usr/bin/python3 tests/reference/bptt_torch.py > tests/reference/bptt_torch.txt

The model is RateNetwork::run_euler's (no noise, one substep per step):
    x_{t+1} = x_t + a (W_eff f(x_t) + Win u_t + b - x_t)   (clamped units keep their value)
    y_t     = Wout s_{t+1} + bout,  s = f(x) (readout "rates") or x (readout "state")
    loss    = sum(m (y - y*)^2) / sum(m) + l2 (mean W_eff^2 + mean Win^2 + mean Wout^2)
              + rate_reg mean(f(x_{t+1})^2)
with W_eff = W * mask, or |W| * mask * sign_j under Dale's law, and a = dt / tau per unit.

Format: '#' lines are comments; every other block is a header line 'name rows cols' followed by
rows * cols numbers in row-major order. Sequences are [trials * steps] x channels, trial-major.
Per configuration: the parameters, the batch, the loss and gradient at the stored parameters,
then the parameters after ADAM_STEPS torch.optim.Adam steps on the same batch."""
import torch

UNITS, INPUTS, OUTPUTS, TRIALS, STEPS, DT = 7, 3, 2, 4, 6, 10.0
ADAM_STEPS = 3
# The settings each configuration's test reproduces (tests/rnn/bptt_test.cpp, TorchReference).
CONFIGS = {
    "a": dict(activation="one_plus_tanh", readout="rates", dale=False, connection=1.0, clamped=0,
              clamp_value=1.0, x0=0.0, l2=1e-3, rate_reg=1e-2, lr=1e-2, weight_decay=0.0, clip=0.0),
    "b": dict(activation="tanh", readout="state", dale=True, connection=0.7, clamped=1,
              clamp_value=1.0, x0=0.2, l2=0.0, rate_reg=5e-2, lr=5e-3, weight_decay=1e-3, clip=0.5),
}
ACTIVATIONS = {"tanh": torch.tanh, "one_plus_tanh": lambda x: 1 + torch.tanh(x)}

torch.manual_seed(20240612)
print(f"# torch {torch.__version__}: rate RNN Euler map, float64, {UNITS} units, {INPUTS} inputs, "
      f"{OUTPUTS} outputs, {TRIALS} trials x {STEPS} steps, dt {DT} ms, {ADAM_STEPS} Adam steps")


def put(name, tensor):  # vectors become columns
    t = tensor.detach()
    t = t.reshape(t.shape[0], -1) if t.dim() > 0 else t.reshape(1, 1)
    print(f"{name} {t.shape[0]} {t.shape[1]}")
    for row in t.tolist():
        print(" ".join(repr(v) for v in row))


def loss_of(p, c, u, target, weight, tau, mask, sign):
    f = ACTIVATIONS[c["activation"]]
    w_eff = (p["W"].abs() * mask) * sign[None, :] if c["dale"] else p["W"] * mask
    alpha = DT / tau
    free = UNITS - c["clamped"]
    x = torch.full((TRIALS, UNITS), c["x0"], dtype=torch.float64)
    x[:, free:] = c["clamp_value"]
    ys, rates = [], []
    for t in range(STEPS):
        new = x + alpha * (f(x) @ w_eff.T + u[:, t] @ p["Win"].T + p["b"] - x)
        x = torch.cat([new[:, :free], x[:, free:]], dim=1)
        rates.append(f(x))
        ys.append((rates[-1] if c["readout"] == "rates" else x) @ p["Wout"].T + p["bout"])
    y = torch.stack(ys, dim=1)
    loss = (weight * (y - target) ** 2).sum() / weight.sum()
    loss = loss + c["rate_reg"] * torch.stack(rates).pow(2).mean()
    loss = loss + c["l2"] * (w_eff.pow(2).mean() + p["Win"].pow(2).mean() + p["Wout"].pow(2).mean())
    return loss


def sequence(tensor):  # [trials][steps][channels] -> (trials*steps) x channels
    return tensor.reshape(TRIALS * STEPS, -1)


for name, c in CONFIGS.items():
    p = {
        "W": torch.randn(UNITS, UNITS, dtype=torch.float64) * 1.5 / UNITS ** 0.5,
        "Win": torch.randn(UNITS, INPUTS, dtype=torch.float64) / INPUTS ** 0.5,
        "b": 0.1 * torch.randn(UNITS, dtype=torch.float64),
        "Wout": torch.randn(OUTPUTS, UNITS, dtype=torch.float64) / UNITS ** 0.5,
        "bout": 0.1 * torch.randn(OUTPUTS, dtype=torch.float64),
    }
    for v in p.values():
        v.requires_grad_(True)
    tau = 20.0 + 80.0 * torch.rand(UNITS, dtype=torch.float64)  # [ms]
    mask = (torch.rand(UNITS, UNITS, dtype=torch.float64) < c["connection"]).double()
    sign = torch.ones(UNITS, dtype=torch.float64)
    if c["dale"]:
        sign[UNITS - 3:] = -1.0
    u = torch.randn(TRIALS, STEPS, INPUTS, dtype=torch.float64)
    target = torch.randn(TRIALS, STEPS, OUTPUTS, dtype=torch.float64)
    weight = (torch.rand(TRIALS, STEPS, OUTPUTS, dtype=torch.float64) < 0.6).double()
    for key in ("W", "Win", "b", "Wout", "bout"):
        put(f"{name}.{key}", p[key])
    put(f"{name}.tau", tau)
    put(f"{name}.mask", mask)
    put(f"{name}.sign", sign)
    put(f"{name}.inputs", sequence(u))
    put(f"{name}.targets", sequence(target))
    put(f"{name}.weights", sequence(weight))

    loss = loss_of(p, c, u, target, weight, tau, mask, sign)
    loss.backward()
    put(f"{name}.loss", loss)
    for key in ("W", "Win", "b", "Wout", "bout"):
        put(f"{name}.grad.{key}", p[key].grad)

    params = [p[k] for k in ("W", "Win", "b", "Wout", "bout")]
    optimiser = torch.optim.Adam(params, lr=c["lr"], weight_decay=c["weight_decay"])
    for _ in range(ADAM_STEPS):
        optimiser.zero_grad()
        loss_of(p, c, u, target, weight, tau, mask, sign).backward()
        if c["clip"] > 0:
            torch.nn.utils.clip_grad_norm_(params, c["clip"])
        optimiser.step()
    for key in ("W", "Win", "b", "Wout", "bout"):
        put(f"{name}.adam.{key}", p[key])
