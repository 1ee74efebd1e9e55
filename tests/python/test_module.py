"""The Python module against independent oracles: NumPy closed forms for the analyses and the
readout, the C++ API's behaviour through the module's views, and exceptions with the C++ messages."""
import threading

import numpy as np
import pytest

import neurode
from conftest import hh_soma_json


def rate_json(inputs, outputs, units=16, seed=3):
    return ('{"format": "neurode-rate-network", "format_version": 1, "units": %d, "inputs": %d, '
            '"outputs": %d, "tau_ms": 100.0, "gain": 1.2, "seed": %d}' % (units, inputs, outputs, seed))


def test_version_and_abi():
    assert neurode.__version__.count(".") == 2
    assert neurode.abi_version >= 1


def test_exceptions_carry_the_cpp_messages():
    with pytest.raises(neurode.InvalidParameter, match=r"^unit: unknown key$"):
        neurode.Model.parse('{"format": "neurode-rate-network", "format_version": 1, "unit": 3}')
    with pytest.raises(ValueError):  # InvalidParameter is a ValueError too
        neurode.Task("dly_goo")
    with pytest.raises(neurode.InvalidParameter, match="task: unknown task 'dly_goo'"):
        neurode.Task("dly_goo")
    with pytest.raises(neurode.IoError, match="/nonexistent.json"):
        neurode.Model.load("/nonexistent.json")
    sim = neurode.Simulation(neurode.Model.parse(hh_soma_json()))
    sim.advance(1.0)
    with pytest.raises(neurode.InvalidParameter, match="^t_stop: must be finite and not before"):
        sim.advance(0.5)
    with pytest.raises(neurode.WrongModelKind):
        sim.rates()
    with pytest.raises(neurode.OutOfRange, match="no input 'cell\\[3\\].iclamp\\[0\\]'"):
        sim.set_input("cell[3].iclamp[0]", 1.0)


def test_batch_views_and_rate_run():
    task = neurode.Task("perceptual_decision_making")
    inputs, outputs, dt = task.shape
    batch = task.generate(6, seed=4)
    u = batch.inputs
    assert u.shape[0] == 6 and u.shape[2] == inputs and not u.flags.writeable
    assert batch.targets.shape == batch.mask.shape == (6, u.shape[1], outputs)
    assert batch.inputs.__array_interface__["data"][0] == u.__array_interface__["data"][0]  # a view, no copy
    again = task.generate(6, seed=4)
    assert np.array_equal(again.inputs, u)  # determinism by seed
    model = neurode.Model.parse(rate_json(inputs, outputs))
    assert model.kind == "rate" and model.size == 16
    run = model.run_batch(batch)
    x = run.states
    assert x.shape == (6, u.shape[1], 16)
    # The Euler map of the first step from x = 0 with zero bias: x1 = (dt / tau) Win u0; so x1 lies
    # in the column space of the inputs, and the tanh network keeps |x| bounded.
    assert np.all(np.isfinite(x)) and np.all(np.abs(run.outputs) < 100)
    assert 0.0 <= task.score(batch, run) <= 1.0


def test_ridge_recovers_an_affine_map():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(5, 20, 4))
    w_true = np.array([[1.0, -2.0, 0.5, 0.0], [0.0, 3.0, 0.0, -1.0]])
    b_true = np.array([0.25, -0.75])
    targets = features @ w_true.T + b_true
    readout = neurode.RidgeReadout(features, targets, lam=0.0)
    np.testing.assert_allclose(readout.weights, w_true, atol=1e-10)
    np.testing.assert_allclose(readout.bias, b_true, atol=1e-10)
    assert readout.r2 == pytest.approx(1.0)
    np.testing.assert_allclose(readout.predict(features), targets, atol=1e-10)
    # With a penalty, the closed form on centred data: W = C_yx (C_xx + lambda I)^-1.
    lam = 5.0
    x = features.reshape(-1, 4) - features.reshape(-1, 4).mean(axis=0)
    y = targets.reshape(-1, 2) - targets.reshape(-1, 2).mean(axis=0)
    w = np.linalg.solve(x.T @ x + lam * np.eye(4), x.T @ y).T
    np.testing.assert_allclose(neurode.RidgeReadout(features, targets, lam=lam).weights, w, atol=1e-10)


def test_distances_against_numpy():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50, 6))
    y = x @ rng.normal(size=(6, 4)) + 0.3 * rng.normal(size=(50, 4))
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    cka = np.linalg.norm(yc.T @ xc) ** 2 / (np.linalg.norm(xc.T @ xc) * np.linalg.norm(yc.T @ yc))
    assert neurode.distance("cka", x, y) == pytest.approx(np.arccos(cka), abs=1e-10)
    # Procrustes (Williams et al. 2021): the angle after the best rotation; netrep zero-pads y.
    ypad = np.hstack([yc, np.zeros((50, 2))])
    cosine = np.linalg.svd(xc.T @ ypad, compute_uv=False).sum() / (np.linalg.norm(xc) * np.linalg.norm(yc))
    assert neurode.distance("procrustes", x, y) == pytest.approx(np.arccos(cosine), abs=1e-10)
    q, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    assert neurode.distance("shape", x, 2.0 * x @ q + 1.0, alpha=0.0) == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(neurode.InvalidParameter, match="alpha"):
        neurode.distance("shape", x, y, alpha=2.0)


def test_advance_releases_the_gil():
    # While one thread is inside a long advance, another thread keeps running Python code: it
    # could not if the advance held the GIL.
    sim = neurode.Simulation(neurode.Model.parse(hh_soma_json(cells=8)), rtol=1e-8, atol=1e-8)
    for cell in range(8):
        sim.set_input(cell, 0.15)
    started = threading.Event()

    def advance():
        started.set()
        sim.advance(1000.0)

    worker = threading.Thread(target=advance)
    worker.start()
    started.wait()
    ticks = 0
    while worker.is_alive():
        ticks += 1
    worker.join()
    assert sim.time == 1000.0
    assert ticks > 1000


def test_state_is_a_live_view():
    sim = neurode.Simulation(neurode.Model.parse(hh_soma_json()))
    state = sim.state
    assert not state.flags.writeable
    v0 = state[0]
    assert v0 == pytest.approx(-65.0)
    sim.set_input(0, 0.5)
    sim.advance(2.0)
    assert state[0] != v0 and state[0] == sim.voltages()[0]  # the view follows the simulation


def test_array_arguments_are_checked_before_the_c_api():
    features = np.zeros((2, 5, 3))
    with pytest.raises(neurode.InvalidParameter, match="targets: must have the features' trials and steps"):
        neurode.RidgeReadout(features, np.zeros((2, 4, 1)))
    with pytest.raises(neurode.InvalidParameter, match="weights: must have the targets' shape"):
        neurode.RidgeReadout(features, np.zeros((2, 5, 1)), weights=np.ones((2, 5, 2)))
    with pytest.raises(neurode.InvalidParameter, match="y: must have as many samples"):
        neurode.distance("cka", np.zeros((4, 2)), np.zeros((5, 2)))


def test_rate_model_rates_are_the_activation_of_the_state():
    model = neurode.Model.parse(rate_json(2, 1))
    sim = neurode.Simulation(model)
    recorder = sim.record("r", "rates", interval=5.0)
    sim.set_input("u[1]", 0.5)
    sim.advance(50.0)
    np.testing.assert_allclose(sim.rates(), np.tanh(sim.state), rtol=0, atol=1e-15)
    times, rates = recorder.data()
    np.testing.assert_allclose(times, np.arange(0.0, 50.1, 5.0))
    assert rates.shape == (11, 16)
    np.testing.assert_allclose(rates[-1], sim.rates(), atol=1e-12)
