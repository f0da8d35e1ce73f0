"""Sparsity, dying ReLU and the leaky fixes, as small experiments (notebook 04).

Everything here trains a tiny multilayer perceptron on the digits (:func:`relulab.data.digits`)
with :mod:`relulab.nn`, then looks inside it:

- ``sparsity``, ``zero_shares``, ``sparsity_baselines``: how many activations are exactly 0 (and near 0),
  per layer and per image, against an untrained and a tanh network (claim: sparse activation).
- ``matmul_seconds``: a dense matrix product takes as long with 50% zeros as with none.
- ``dying_run`` / ``seed_runs`` / ``dying_grid`` / ``compare_variants``: training runs that kill units with a
  large learning rate or a negative starting bias, recording the dead units of each layer after every
  step (claim: dying ReLU), and the same runs with Leaky ReLU (two slopes) and PReLU.
- ``frozen_unit_demo``, ``silent_unit_gradient``: why a dead unit never comes back: its gradient is exactly 0.

The settings the notebook prints (lr 0.3 with bias −1, lr 0.3 or 1.5 with bias 0) were chosen away from
the edge of divergence: their results came out the same under several OpenBLAS kernels (Haswell,
Prescott, SandyBridge, SkylakeX). At lr 1.0 with bias 0 they do not: there, the order in which a BLAS
kernel adds numbers decides how many units die.

A unit counts as *dead* when its output is never positive on any training image. For ReLU that is
exactly ``nn.dead_units`` (the output is 0 everywhere); for Leaky ReLU and PReLU the output is then a
small negative number, never 0, so we use the same "never positive" rule to compare them fairly.

Data is ``(X_train, y_train, X_test, y_test)``, as :func:`relulab.data.digits` returns it.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import nn
from ..data import digits
from . import track
from .models import mlp

COMPARED = ("relu", "leaky_relu", "prelu")
"""The activations the dying experiment compares (names of :data:`relulab.experiments.models.ACTIVATIONS`)."""

NEGATIVE_SLOPE = 0.1
"""Leaky ReLU's slope for negative inputs in these experiments (PyTorch's default is 0.01)."""

VARIANTS = {"ReLU": ("relu", NEGATIVE_SLOPE), "Leaky ReLU 0.01": ("leaky_relu", 0.01),
            "Leaky ReLU 0.1": ("leaky_relu", 0.1), "PReLU": ("prelu", NEGATIVE_SLOPE)}
"""The activations of the fair comparison: label -> (activation name, Leaky ReLU's negative_slope).
0.01 is PyTorch's default slope; 0.1 is ten times leakier."""

LEARNING_RATES = (0.1, 0.3, 0.6, 1.5)
"""The learning rates of the precomputed grid behind the dying-ReLU explorer."""

BIASES = (0.0, -0.5, -1.0, -1.5)
"""The starting biases of the hidden layers in that grid."""


# ---------------------------------------------------------------------------------------
# The model.

def digits_mlp(activation: str = "relu", hidden: int = 32, bias_init: float = 0.0, seed: int = 0,
               negative_slope: float = NEGATIVE_SLOPE):
    """64 pixels -> ``hidden`` units -> ``hidden`` units -> 10 digit scores.

    ``mlp([64, hidden, hidden, 10], activation)``: both hidden layers start with every bias equal to
    ``bias_init`` (0 is the usual start; a negative value pushes every unit towards "off"). He-initialised
    weights drawn from ``numpy.random.default_rng(seed)``, so the same seed gives the same network.
    """
    return mlp([64, hidden, hidden, 10], activation, bias_init=bias_init, rng=np.random.default_rng(seed),
               negative_slope=negative_slope)


def activation_outputs(model, X) -> list:
    """The output of every activation layer on ``X``: list of ``(name, (N, units) array)``."""
    layers = dict(nn.named_layers(model))
    return [(name, a) for name, a in nn.layer_outputs(model, X) if isinstance(layers[name], nn.Activation)]


def never_positive_units(model, X) -> dict:
    """For each activation layer, how many units are never positive on any row of ``X``.

    X: (N, 64) -> dict layer name -> int. For ReLU layers this equals ``nn.dead_units``.
    """
    return {name: int(np.count_nonzero(~(a > 0).any(axis=0))) for name, a in activation_outputs(model, X)}


# ---------------------------------------------------------------------------------------
# Sparsity (claim: only a subset of the units is active at once).

def sparsity(model, X) -> dict:
    """How sparse the hidden activations are on ``X``.

    X: (N, 64) -> dict with ``per_layer`` (layer name -> fraction of outputs exactly 0),
    ``per_input`` (N,) fraction of all hidden outputs that are exactly 0 for each input,
    ``active`` (N, total hidden units) bool, True where a unit's output is positive.
    """
    outputs = activation_outputs(model, X)
    per_layer = {name: float(np.mean(a == 0)) for name, a in outputs}
    stacked = np.concatenate([a for _, a in outputs], axis=1)
    return {"per_layer": per_layer, "per_input": np.mean(stacked == 0, axis=1), "active": stacked > 0}


def train_digits_mlp(data, activation: str = "relu", lr: float = 0.3, num_epochs: int = 10,
                     seed: int = 0) -> tuple:
    """Train ``digits_mlp(activation)`` on the digits with plain SGD (batch 64).

    data: (X_train, y_train, X_test, y_test). -> (model, dict with ``train_acc`` and ``test_acc``).
    Deterministic for a given seed.
    """
    X_train, y_train, X_test, y_test = data
    model = digits_mlp(activation, seed=seed)
    nn.fit(model, X_train, y_train, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=lr),
           num_epochs=num_epochs, batch_size=64, progress=False, rng=np.random.default_rng(seed + 1))
    return model, {"train_acc": nn.accuracy(model, X_train, y_train),
                   "test_acc": nn.accuracy(model, X_test, y_test)}


# ---------------------------------------------------------------------------------------
# Dying ReLU (claim: a unit that only sees negative inputs outputs 0, gets no gradient, stops learning).

def dying_run(lr: float, bias_init: float, activation: str = "relu", data=None,
              num_epochs: int = 6, seed: int = 0, keep_model: bool = False,
              negative_slope: float = NEGATIVE_SLOPE) -> dict:
    """Train the digits MLP once and count dead (never-positive) hidden units after every step.

    -> dict with ``dead`` (S + 1,) int (index 0 = before training, then after each step),
    ``dead_per_layer`` (S + 1, 2) int (the same, for hidden layer 1 and hidden layer 2),
    ``total_units`` int, ``test_acc`` float (nan if training blew up), ``diverged`` bool,
    ``test_acc_per_epoch`` (E,) float (nan after a blow-up), ``alpha`` (PReLU: the learned slope of each
    hidden layer, (2,); else None), ``alpha_per_epoch`` (PReLU: (E, 2); else None) and, with
    ``keep_model``, ``model``. Uses ``nn.fit`` with a callback; a run whose weights overflow stops
    and is marked diverged. ``negative_slope`` is Leaky ReLU's slope (ignored by the others).
    """
    X, y, X_test, y_test = digits() if data is None else data
    model = digits_mlp(activation, bias_init=bias_init, seed=seed, negative_slope=negative_slope)
    total_units = sum(a.shape[1] for _, a in activation_outputs(model, X[:1]))
    per_layer = [list(never_positive_units(model, X).values())]
    epoch_accs, alphas = [], []
    state = {"diverged": False}

    def record(event):
        if event.kind == "epoch":
            epoch_accs.append(float("nan") if state["diverged"] else nn.accuracy(event.model, X_test, y_test))
            if activation == "prelu":
                alphas.append([model[1].alpha[0], model[3].alpha[0]])
            return None
        try:
            per_layer.append(list(never_positive_units(event.model, X).values()))
        except nn.InputError:  # the weights overflowed: the forward pass produced inf
            state["diverged"] = True
            return "stop"
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow at huge learning rates is expected
        history = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=lr),
                         num_epochs=num_epochs, batch_size=64, callbacks=[record], progress=False,
                         rng=np.random.default_rng(seed + 1))
    diverged = state["diverged"] or history.stop_reason == "nan"
    per_layer = np.array(per_layer)
    result = {"lr": lr, "bias_init": bias_init, "activation": activation, "dead": per_layer.sum(axis=1),
              "dead_per_layer": per_layer, "total_units": total_units, "diverged": diverged,
              "test_acc": float("nan") if diverged else nn.accuracy(model, X_test, y_test),
              "test_acc_per_epoch": np.array(epoch_accs),
              "alpha": np.array([model[1].alpha[0], model[3].alpha[0]]) if activation == "prelu" else None,
              "alpha_per_epoch": np.array(alphas) if activation == "prelu" else None}
    if keep_model:
        result["model"] = model
    return result


def seed_runs(lr: float, bias_init: float, activation: str = "relu", seeds=range(5), data=None,
              num_epochs: int = 6, negative_slope: float = NEGATIVE_SLOPE) -> list:
    """``dying_run`` once per seed (a different starting network and batch order each time).

    -> list of run dicts, in the order of ``seeds``. Use it where one run would be luck: a single
    run near the edge of blowing up can end very differently after a change in the last bit of a sum.
    """
    from threadpoolctl import threadpool_limits
    data = digits() if data is None else data
    with threadpool_limits(1):
        return [dying_run(lr, bias_init, activation, data=data, num_epochs=num_epochs, seed=s,
                          negative_slope=negative_slope) for s in seeds]


def compare_variants(lr: float = 0.3, bias_init: float = -1.0, data=None, num_epochs: int = 20,
                     variants=VARIANTS) -> dict:
    """The same ``dying_run`` (same seed, lr and starting bias) for every activation in ``variants``.

    -> dict label -> run dict (see :func:`dying_run`).
    """
    from threadpoolctl import threadpool_limits
    data = digits() if data is None else data
    with threadpool_limits(1):
        return {label: dying_run(lr, bias_init, act, data=data, num_epochs=num_epochs, negative_slope=slope)
                for label, (act, slope) in variants.items()}


def dying_grid(lrs=LEARNING_RATES, biases=BIASES, activations=("relu", "leaky_relu"),
               data=None, num_epochs: int = 6, progress=None) -> dict:
    """Run ``dying_run`` for every (activation, lr, bias) and return them keyed that way.

    -> dict ``(activation, lr, bias_init) -> run dict``. About 0.1 s per run on 2 cores.
    progress: None, or a function that wraps an iterable to show progress, such as ``tqdm.auto.tqdm``.
    """
    from threadpoolctl import threadpool_limits
    data = digits() if data is None else data
    keys = [(act, lr, b) for act in activations for lr in lrs for b in biases]
    # The matrices are tiny: one BLAS thread is as fast, and far faster when the CPU is shared.
    with threadpool_limits(1):
        return {(act, lr, b): dying_run(lr, b, act, data=data, num_epochs=num_epochs)
                for act, lr, b in track(keys, progress, "training runs")}


def grid_table(grid: dict, activation: str, lrs=LEARNING_RATES, biases=BIASES, key: str = "dead") -> np.ndarray:
    """A (len(lrs), len(biases)) table from a grid: final dead units (``key="dead"``) or ``"test_acc"``."""
    table = np.zeros((len(lrs), len(biases)))
    for i, lr in enumerate(lrs):
        for j, b in enumerate(biases):
            run = grid[(activation, lr, b)]
            table[i, j] = run["dead"][-1] if key == "dead" else run[key]
    return table


NEAR_ZERO = 0.05
"""An output smaller than this in size counts as "near 0" in :func:`sparsity_baselines`."""


def zero_shares(model, X, near: float = NEAR_ZERO) -> dict:
    """The share of all hidden outputs on ``X`` that are exactly 0, and that are within ``near`` of 0.

    X: (N, 64) -> dict with ``exactly_zero`` and ``near_zero`` (fractions in [0, 1]).
    """
    stacked = np.concatenate([a for _, a in activation_outputs(model, X)], axis=1)
    return {"exactly_zero": float(np.mean(stacked == 0)), "near_zero": float(np.mean(np.abs(stacked) < near))}


def sparsity_baselines(data, lr: float = 0.3, num_epochs: int = 10, seed: int = 0) -> dict:
    """Zeros in the hidden outputs of three networks on the test images, to read a sparsity number against.

    -> dict label -> ``zero_shares`` dict, for "ReLU, untrained" (He-initialised, bias 0), "ReLU, trained"
    and "tanh, trained" (both ``train_digits_mlp`` with ``lr`` and ``num_epochs``).
    """
    X_test = data[2]
    trained_relu, _ = train_digits_mlp(data, "relu", lr=lr, num_epochs=num_epochs, seed=seed)
    trained_tanh, _ = train_digits_mlp(data, "tanh", lr=lr, num_epochs=num_epochs, seed=seed)
    return {"ReLU, untrained": zero_shares(digits_mlp("relu", seed=seed), X_test),
            "ReLU, trained": zero_shares(trained_relu, X_test),
            "tanh, trained": zero_shares(trained_tanh, X_test)}


def matmul_seconds(zero_fractions=(0.0, 0.5), size: int = 256, repeats: int = 41, seed: int = 0) -> dict:
    """Median time of one dense (size × size) @ (size × size) float32 product whose left factor has a
    share ``zero_fraction`` of exactly-0 entries (at random places), for each share, on one BLAS thread.

    -> dict zero_fraction -> seconds. The products are timed in turn (one of each per round), so a
    busy moment of the computer slows them all alike. A dense product multiplies every entry, zero or not.
    """
    import time

    from threadpoolctl import threadpool_limits
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((size, size)).astype(np.float32)
    lefts = {}
    for z in zero_fractions:
        if not 0.0 <= z <= 1.0:
            raise ValueError(f"a zero fraction is a share between 0 and 1, not {z}")
        A = rng.standard_normal((size, size)).astype(np.float32)
        A[rng.random((size, size)) < z] = 0.0
        lefts[z] = A
    times = {z: [] for z in lefts}
    with threadpool_limits(1):
        for A in lefts.values():
            A @ B  # warm up
        for _ in range(repeats):
            for z, A in lefts.items():
                start = time.perf_counter()
                A @ B
                times[z].append(time.perf_counter() - start)
    return {z: float(np.median(t)) for z, t in times.items()}


def silent_unit_gradient(model, X, y) -> dict:
    """One forward/backward pass; the gradient that reaches units that are never positive on ``X``.

    -> dict with ``silent`` (number of such units in the first hidden layer) and ``grad_norm``
    (L2 norm of their incoming weights' gradient): exactly 0.0 for ReLU, positive for Leaky/PReLU.
    """
    silent = ~(activation_outputs(model, X)[0][1] > 0).any(axis=0)
    for p in model.parameters():
        p.grad[...] = 0
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(model(X), y)
    model.backward(loss_fn.backward())
    grad = model[0].weight.grad[silent]
    return {"silent": int(silent.sum()), "grad_norm": float(np.sqrt(np.sum(grad.astype(np.float64) ** 2)))}


def frozen_unit_demo(activation: str = "relu", num_steps: int = 5, seed: int = 0) -> dict:
    """A tiny network whose first hidden unit is negative on every input; train it a few SGD steps.

    Network: 4 inputs in [0, 1] -> 3 units -> ``activation`` -> 2 scores. Unit 0 has bias −5 and
    small weights, so its pre-activation is below 0 for every input. -> dict with ``pre_max``
    (largest pre-activation of unit 0), ``before``/``after`` (unit 0's weights and bias, (5,)),
    ``identical`` (bit-for-bit equal), ``grad`` (its last gradient, (5,)), ``others_changed`` (bool).
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(32, 4)).astype(np.float32)
    y = rng.integers(0, 2, size=32)
    model = mlp([4, 3, 2], activation, rng=np.random.default_rng(seed), negative_slope=NEGATIVE_SLOPE)
    first = model[0]
    first.weight.data[0] = [0.5, -0.3, 0.2, 0.4]
    first.bias.data[0] = -5.0

    def unit0():
        return np.concatenate([first.weight.data[0], first.bias.data[:1]]).copy()

    before, others_before = unit0(), first.weight.data[1:].copy()
    pre_max = float((X @ first.weight.data[0] + first.bias.data[0]).max())
    nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.5), num_epochs=num_steps,
           batch_size=32, progress=False, rng=np.random.default_rng(seed))
    after = unit0()
    grad = np.concatenate([first.weight.grad[0], first.bias.grad[:1]]).copy()
    return {"pre_max": pre_max, "before": before, "after": after, "grad": grad,
            "identical": bool(np.array_equal(before, after)),
            "others_changed": bool(not np.array_equal(others_before, first.weight.data[1:]))}
