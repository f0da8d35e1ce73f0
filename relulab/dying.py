"""Notebook 04: sparsity, dying ReLU, and the leaky fixes, as small experiments.

Everything here trains a tiny multilayer perceptron on scikit-learn's digits (8×8 images, shipped
with scikit-learn, no download) with :mod:`relulab.nn`, then looks inside it:

- ``sparsity``: how many activations are exactly 0, per layer and per image (claim: sparse activation).
- ``dying_run`` / ``dying_grid``: training runs that kill units with a large learning rate or a
  negative starting bias, recording the number of dead units after every step (claim: dying ReLU).
- ``frozen_unit_demo``: why a dead unit never comes back: its gradient is exactly 0.
- ``dying_explorer`` and ``leaky_explorer``: the notebook's widgets, each a pure function of plain
  values (``dying_view``, ``leaky_view``) wired to sliders.

A unit counts as *dead* when its output is never positive on any training image. For ReLU that is
exactly ``nn.dead_units`` (the output is 0 everywhere); for Leaky ReLU and PReLU the output is then a
small negative number, never 0, so we use the same "never positive" rule to compare them fairly.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import nn
from .activations import leaky_relu, leaky_relu_grad, relu
from .environment import require
from .figures import PALETTE, LiveFigure, tidy
from .widgets import Explorer, format_number

ACTIVATIONS = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "prelu": "PReLU"}
"""The activations the dying experiment compares: key -> label."""

LEARNING_RATES = (0.1, 0.3, 0.6, 1.0)
"""The learning rates of the precomputed grid behind the dying-ReLU explorer."""

BIASES = (0.0, -0.5, -1.0, -1.5)
"""The starting biases of the hidden layers in that grid."""


# ---------------------------------------------------------------------------------------
# Data and model.

def load_digits_split(num_train: int = 1200, seed: int = 0) -> dict:
    """scikit-learn's 1797 digit images, scaled to [0, 1] and split at random.

    -> dict with ``X_train`` (num_train, 64) float32, ``y_train`` (num_train,) int,
    ``X_test`` (1797 - num_train, 64), ``y_test``, and ``images_test`` (N_test, 8, 8).
    """
    load_digits = require("scikit-learn", "sklearn.datasets").load_digits

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    order = np.random.default_rng(seed).permutation(len(X))
    train, test = order[:num_train], order[num_train:]
    return {"X_train": X[train], "y_train": digits.target[train],
            "X_test": X[test], "y_test": digits.target[test],
            "images_test": X[test].reshape(-1, 8, 8)}


def make_activation(activation: str = "relu", negative_slope: float = 0.1):
    """A fresh activation layer: "relu", "leaky_relu" (with ``negative_slope``) or "prelu" (starts at 0.25)."""
    if activation == "relu":
        return nn.ReLU()
    if activation == "leaky_relu":
        return nn.LeakyReLU(negative_slope)
    if activation == "prelu":
        return nn.PReLU(init=0.25)
    raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not {activation!r}")


def make_mlp(activation: str = "relu", hidden: int = 32, bias_init: float = 0.0, seed: int = 0,
             negative_slope: float = 0.1):
    """64 pixels -> ``hidden`` units -> ``hidden`` units -> 10 digit scores.

    Both hidden layers use ``activation`` and start with every bias equal to ``bias_init``
    (0 is the usual start; a negative value pushes every unit towards "off"). He-initialised
    weights drawn after ``nn.manual_seed(seed)``, so the same seed gives the same network.
    """
    nn.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, hidden), make_activation(activation, negative_slope),
                          nn.Linear(hidden, hidden), make_activation(activation, negative_slope),
                          nn.Linear(hidden, 10))
    model[0].bias.data[:] = bias_init
    model[2].bias.data[:] = bias_init
    return model


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


def train_digits_mlp(data: dict, activation: str = "relu", lr: float = 0.3, num_epochs: int = 10,
                     seed: int = 0) -> tuple:
    """Train ``make_mlp(activation)`` on the digits with plain SGD (batch 64).

    -> (model, dict with ``train_acc`` and ``test_acc``). Deterministic for a given seed.
    """
    model = make_mlp(activation, seed=seed)
    nn.fit(model, data["X_train"], data["y_train"], nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=lr),
           num_epochs=num_epochs, batch_size=64, progress=False, rng=np.random.default_rng(seed + 1))
    return model, {"train_acc": nn.accuracy(model, data["X_train"], data["y_train"]),
                   "test_acc": nn.accuracy(model, data["X_test"], data["y_test"])}


# ---------------------------------------------------------------------------------------
# Dying ReLU (claim: a unit that only sees negative inputs outputs 0, gets no gradient, stops learning).

def dying_run(lr: float, bias_init: float, activation: str = "relu", data: dict | None = None,
              num_epochs: int = 6, seed: int = 0, keep_model: bool = False) -> dict:
    """Train the digits MLP once and count dead (never-positive) hidden units after every step.

    -> dict with ``dead`` (S + 1,) int (index 0 = before training, then after each step),
    ``total_units`` int, ``test_acc`` float (nan if training blew up), ``diverged`` bool,
    ``alpha`` (PReLU: the learned slope of each hidden layer, (2,); else None) and, with ``keep_model``, ``model``.
    Uses ``nn.fit`` with a callback; a run whose weights overflow stops and is marked diverged.
    """
    data = load_digits_split() if data is None else data
    X, y = data["X_train"], data["y_train"]
    model = make_mlp(activation, bias_init=bias_init, seed=seed)
    dead = [sum(never_positive_units(model, X).values())]
    state = {"diverged": False}

    def count_dead(event):
        if event.kind != "step":
            return None
        try:
            dead.append(sum(never_positive_units(event.model, X).values()))
        except nn.InputError:  # the weights overflowed: the forward pass produced inf
            state["diverged"] = True
            return "stop"
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow at huge learning rates is expected
        history = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=lr),
                         num_epochs=num_epochs, batch_size=64, callbacks=[count_dead], progress=False,
                         rng=np.random.default_rng(seed + 1))
    diverged = state["diverged"] or history.stop_reason == "nan"
    result = {"lr": lr, "bias_init": bias_init, "activation": activation, "dead": np.array(dead),
              "total_units": sum(a.shape[1] for _, a in activation_outputs(make_mlp(), X[:1])),
              "diverged": diverged,
              "test_acc": float("nan") if diverged else nn.accuracy(model, data["X_test"], data["y_test"]),
              "alpha": np.array([model[1].alpha[0], model[3].alpha[0]]) if activation == "prelu" else None}
    if keep_model:
        result["model"] = model
    return result


def dying_grid(lrs=LEARNING_RATES, biases=BIASES, activations=("relu", "leaky_relu"),
               data: dict | None = None, num_epochs: int = 6, progress: bool = False) -> dict:
    """Run ``dying_run`` for every (activation, lr, bias) and return them keyed that way.

    -> dict ``(activation, lr, bias_init) -> run dict``. About 0.1 s per run on 2 cores.
    progress: show a progress bar over the runs.
    """
    from threadpoolctl import threadpool_limits
    from tqdm.auto import tqdm

    data = load_digits_split() if data is None else data
    keys = [(act, lr, b) for act in activations for lr in lrs for b in biases]
    # The matrices are tiny: one BLAS thread is as fast, and far faster when the CPU is shared.
    with threadpool_limits(1):
        return {(act, lr, b): dying_run(lr, b, act, data=data, num_epochs=num_epochs)
                for act, lr, b in tqdm(keys, desc="training runs", disable=not progress)}


def grid_table(grid: dict, activation: str, lrs=LEARNING_RATES, biases=BIASES, key: str = "dead") -> np.ndarray:
    """A (len(lrs), len(biases)) table from a grid: final dead units (``key="dead"``) or ``"test_acc"``."""
    table = np.zeros((len(lrs), len(biases)))
    for i, lr in enumerate(lrs):
        for j, b in enumerate(biases):
            run = grid[(activation, lr, b)]
            table[i, j] = run["dead"][-1] if key == "dead" else run[key]
    return table


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
    nn.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 3), make_activation(activation, 0.1), nn.Linear(3, 2))
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


# ---------------------------------------------------------------------------------------
# Widget 1: the dying-ReLU explorer (a precomputed grid; the sliders pick a run).

def dying_view(grid: dict, lr: float, bias_init: float) -> dict:
    """What the dying explorer shows for one (lr, bias) of a precomputed ``grid``.

    -> dict with ``curves`` (activation -> (S + 1,) dead units per step), ``accs``
    (activation -> test accuracy, nan if it blew up), ``total_units`` and a sentence ``text``.
    """
    runs = {act: grid[(act, lr, bias_init)] for act in ACTIVATIONS if (act, lr, bias_init) in grid}
    if not runs:
        raise KeyError(f"no precomputed run for lr={lr}, bias={bias_init}")
    parts = []
    for act, run in runs.items():
        acc = "blew up (loss became infinite)" if run["diverged"] else f"test accuracy {run['test_acc']:.0%}"
        parts.append(f"{ACTIVATIONS[act]}: {run['dead'][0]} → {run['dead'][-1]} dead, {acc}")
    total = next(iter(runs.values()))["total_units"]
    text = (f"lr {format_number(lr)}, starting bias {format_number(bias_init)} · of {total} hidden units · "
            + " · ".join(parts))
    return {"curves": {act: run["dead"] for act, run in runs.items()},
            "accs": {act: run["test_acc"] for act, run in runs.items()}, "total_units": total, "text": text}


def dying_explorer(grid: dict | None = None, lr: float = 0.3, bias_init: float = -1.0) -> Explorer:
    """Sliders for the learning rate and the starting bias; dead units per step and the final accuracy.

    The runs are computed once, when the explorer is made (``dying_grid()``, a few seconds), and the
    ``SelectionSlider`` s only choose among them, so moving a slider redraws in well under 0.15 s.
    Pass ``grid`` to reuse runs already computed.
    """
    widgets = require("ipywidgets")

    grid = dying_grid() if grid is None else grid
    lrs = sorted({k[1] for k in grid})
    biases = sorted({k[2] for k in grid}, reverse=True)
    acts = [a for a in ACTIVATIONS if any(k[0] == a for k in grid)]
    live = LiveFigure(ncols=2, figsize=(7.5, 2.8))
    left, right = live.axes
    colours = {"relu": PALETTE["vermillion"], "leaky_relu": PALETTE["blue"], "prelu": PALETTE["green"]}
    longest = max(len(run["dead"]) for run in grid.values())
    total = next(iter(grid.values()))["total_units"]
    lines = {a: live.animate(*left.plot([], [], color=colours[a], lw=2, label=ACTIVATIONS[a]))[0] for a in acts}
    left.set_xlim(0, longest - 1)
    left.set_ylim(-1, total + 1)
    left.legend(frameon=False, loc="center right")
    tidy(left, "training step", "dead hidden units", "Dead units while training")
    bars = live.animate(*right.bar([ACTIVATIONS[a] for a in acts], [0] * len(acts), color=[colours[a] for a in acts]))
    right.set_ylim(0, 1)
    tidy(right, ylabel="test accuracy", title="Final accuracy (empty bar: blew up)")

    def update(lr, bias_init):
        shown = dying_view(grid, lr, bias_init)
        for act, line in lines.items():
            curve = shown["curves"][act]
            line.set_data(np.arange(len(curve)), curve)
        for act, bar in zip(acts, bars, strict=True):
            acc = shown["accs"][act]
            bar.set_height(0.0 if np.isnan(acc) else acc)
        return f"<b>{shown['text']}</b>"

    def choice(description, options, value):
        return widgets.SelectionSlider(options=[(format_number(v), v) for v in options], value=value,
                                       description=description, style={"description_width": "initial"})

    controls = {"lr": choice("learning rate", lrs, lr), "bias_init": choice("starting bias", biases, bias_init)}
    return Explorer(controls, update, live)


# ---------------------------------------------------------------------------------------
# Widget 2: Leaky ReLU and its slope for a chosen alpha.

def leaky_view(alpha: float, x: float = -2.0) -> dict:
    """Leaky ReLU with slope ``alpha`` at one sample input ``x``: output, slope, and a sentence."""
    y, slope = float(leaky_relu(x, alpha)), float(leaky_relu_grad(x, alpha))
    text = (f"α = {alpha:.2f}: leaky_relu({format_number(x)}) = {format_number(round(y, 4))} (ReLU gives 0) · "
            f"slope left of 0 = {format_number(round(slope, 4))}, right of 0 = 1")
    return {"alpha": float(alpha), "x": float(x), "y": y, "slope": slope, "text": text}


def leaky_explorer(alpha: float = 0.1) -> Explorer:
    """An alpha slider: Leaky ReLU against ReLU (left) and its slope, alpha then 1 (right)."""
    widgets = require("ipywidgets")

    live = LiveFigure(ncols=2, figsize=(7.5, 3.0))
    grid = np.linspace(-4, 4, 401)
    left, right = live.axes
    left.plot(grid, relu(grid), ":", color=PALETTE["grey"], lw=2, label="relu(x)")
    curve, point = live.animate(*left.plot([], [], color=PALETTE["blue"], lw=2, label="leaky_relu(x, α)"),
                                *left.plot([], [], "o", ms=9, color=PALETTE["vermillion"]))
    left.set_ylim(-4.2, 4.2)
    left.legend(frameon=False, loc="upper left")
    tidy(left, "input x", "output", "Leaky ReLU lets α·x through for negatives")
    (slope,) = live.animate(*right.plot([], [], color=PALETTE["orange"], lw=2.5, label="slope of leaky_relu"))
    right.plot(grid[grid < 0], 0 * grid[grid < 0], ":", color=PALETTE["grey"], label="slope of relu (0)")
    right.set_ylim(-0.1, 1.2)
    right.legend(frameon=False, loc="upper left")
    tidy(right, "input x", "slope", "Its slope is α, then 1: never 0")
    for ax in live.axes:
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)

    def update(alpha):
        shown = leaky_view(alpha)
        curve.set_data(grid, leaky_relu(grid, alpha))
        slope.set_data(grid, leaky_relu_grad(grid, alpha))
        point.set_data([shown["x"]], [shown["y"]])
        return f"<b>{shown['text']}</b>"

    control = widgets.FloatSlider(value=alpha, min=0.0, max=1.0, step=0.01, description="alpha α",
                                  readout_format=".2f", style={"description_width": "initial"})
    return Explorer({"alpha": control}, update, live)
