"""Learners through the Python module: a rate network trained by BPTT gets a lower loss and a
better task score than the untrained one, scored independently with NumPy (masked MSE) and by
the task; the learner's outputs are its trained model's run; the other learners run; options
and errors carry the C++ messages."""
import threading

import numpy as np
import pytest

import neurode
from conftest import hh_soma_json

TASK = "perceptual_decision_making"


def rate_json(inputs, outputs, units=24, seed=5):
    return ('{"format": "neurode-rate-network", "format_version": 1, "units": %d, "inputs": %d, '
            '"outputs": %d, "tau_ms": 100.0, "gain": 1.2, "seed": %d}' % (units, inputs, outputs, seed))


def masked_mse(batch, outputs):
    return np.sum(batch.mask * (outputs - batch.targets) ** 2) / np.sum(batch.mask)


@pytest.fixture(scope="module")
def task():
    return neurode.Task(TASK)


def model_for(task, context=None, **kwargs):
    inputs, outputs, _ = task.shape
    return neurode.Model.parse(rate_json(inputs, outputs, **kwargs), context=context)


def test_bptt_lowers_the_loss_and_raises_the_score(task):
    context = neurode.Context(seed=7)
    untrained = model_for(task, context)
    learner = neurode.Learner(untrained, task, "bptt", learning_rate=0.02, batch_size=16)
    losses = [learner.train() for _ in range(30)] + [learner.train(120)]
    assert learner.iterations == 150
    assert losses[-1] < 0.3 * np.mean(losses[:3])

    held_out = task.generate(256, seed=1234)
    trained = learner.model
    assert trained.kind == "rate" and trained.size == 24
    before, after = untrained.run_batch(held_out), trained.run_batch(held_out)
    assert masked_mse(held_out, after.outputs) < 0.3 * masked_mse(held_out, before.outputs)
    assert task.score(held_out, after) > task.score(held_out, before) + 0.2
    np.testing.assert_allclose(learner.outputs(held_out), after.outputs, rtol=0, atol=1e-12)
    assert learner.score(held_out) == task.score(held_out, after)

    # Same context seed, same run: numbering continues across train() calls.
    again = neurode.Learner(untrained, task, "bptt", learning_rate=0.02, batch_size=16)
    assert again.train(150) == losses[-1]


@pytest.mark.parametrize("name, options", [
    ("hebbian", {"warmup_trials": 0, "trials_per_iteration": 2}),
    ("genetic", {"population": 4, "elites": 2, "batch_trials": 8}),
    ("full_force", {"trials_per_iteration": 1}),
    ("reservoir_readout", {"lambda": 1e-3, "trials_per_iteration": 4}),
    ("force", {"alpha": 10.0}),
])
def test_every_learner_trains(task, name, options):
    learner = neurode.Learner(model_for(task, units=16), task, name, **options)
    assert np.isfinite(learner.train(2))
    batch = task.generate(3, seed=2)
    y = learner.outputs(batch)
    assert y.shape == batch.targets.shape and np.all(np.isfinite(y))
    assert 0.0 <= learner.score(batch) <= 1.0
    if name == "force":  # its network runs with the output fed back: no stand-alone model
        with pytest.raises(neurode.WrongModelKind, match="use neurode_learner_outputs"):
            learner.model
    else:
        assert learner.model.size == 16


def test_learner_errors_carry_the_cpp_messages(task):
    model = model_for(task)
    with pytest.raises(neurode.InvalidParameter, match=r"^learning_rte: unknown option of learner 'bptt' \("):
        neurode.Learner(model, task, "bptt", learning_rte=0.1)
    with pytest.raises(neurode.InvalidParameter, match=r"^learner: unknown learner 'sgd'"):
        neurode.Learner(model, task, "sgd")
    with pytest.raises(neurode.InvalidParameter, match=r"^learning_rate"):
        neurode.Learner(model, task, "bptt", learning_rate=-1.0)
    with pytest.raises(neurode.InvalidParameter, match=r"^precision: unknown value 'half' \(float32, float64\)"):
        neurode.Learner(model, task, "bptt", precision="half")
    with pytest.raises(neurode.WrongModelKind, match=r"^model: learners train rate models"):
        neurode.Learner(neurode.Model.parse(hh_soma_json()), task, "bptt")
    with pytest.raises(neurode.InvalidParameter, match=r"^iterations: must be > 0"):
        neurode.Learner(model, task, "bptt").train(0)


def test_train_releases_the_gil(task):
    learner = neurode.Learner(model_for(task), task, "bptt", batch_size=64)
    worker = threading.Thread(target=learner.train, args=(100,))
    worker.start()
    ticks = 0
    while worker.is_alive():
        ticks += 1
    worker.join()
    assert learner.iterations == 100 and ticks > 1000
