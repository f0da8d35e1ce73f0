"""Why a network needs a bend: stacked linear layers, the two moons, ReLU hinges (notebook 03).

- two linear layers in a row are one linear layer (:func:`collapse_linear`, :func:`stacked_vs_collapsed`);
- a linear model cannot separate two interleaved half-moons, a tiny ReLU network can
  (:func:`train_moons`, :func:`decision_grid`; the data is :func:`relulab.data.moons`);
- a sum of N shifted ReLUs ("hinges") can trace a curve, better as N grows (:func:`fit_hinges`);
- how many epochs each activation needs to reach an accuracy (:func:`race_to_accuracy`), and what a
  too-large step does to the hidden units: ReLU's die, tanh's saturate (:func:`hidden_health`,
  :func:`race_health`).

Every function takes plain values and returns plain values (arrays, dicts); randomness is seeded.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..activations import relu, softmax
from ..data import moons
from . import track
from .models import mlp

# ---------------------------------------------------------------------------------------
# Two linear layers are one linear layer.


def collapse_linear(W1, b1, W2, b2):
    """The single layer ``W x + b`` that equals ``W2 (W1 x + b1) + b2``.

    W1: (H, D), b1: (H,), W2: (K, H), b2: (K,) -> (W: (K, D), b: (K,)) with
    ``W = W2 @ W1`` and ``b = W2 @ b1 + b2``.
    """
    W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in (W1, b1, W2, b2))
    return W2 @ W1, W2 @ b1 + b2


def stacked_vs_collapsed(seed: int = 0, n_in: int = 3, n_hidden: int = 5, n_out: int = 2,
                         n_points: int = 100, activation=None) -> dict:
    """Push random points through two random layers, and through their collapsed single layer.

    activation: None (nothing between the layers) or a function such as ``relu`` put between them.
    Returns dict with W1 (n_hidden, n_in), b1, W2 (n_out, n_hidden), b2, W (n_out, n_in), b (n_out,),
    X (n_points, n_in), stacked and collapsed (n_points, n_out), max_diff (float) and same (bool,
    ``np.allclose``).
    """
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(n_hidden, n_in)), rng.normal(size=n_hidden)
    W2, b2 = rng.normal(size=(n_out, n_hidden)), rng.normal(size=n_out)
    X = rng.normal(size=(n_points, n_in))
    hidden = X @ W1.T + b1
    if activation is not None:
        hidden = activation(hidden)
    stacked = hidden @ W2.T + b2
    W, b = collapse_linear(W1, b1, W2, b2)
    collapsed = X @ W.T + b
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W": W, "b": b, "X": X,
            "stacked": stacked, "collapsed": collapsed,
            "max_diff": float(np.max(np.abs(stacked - collapsed))),
            "same": bool(np.allclose(stacked, collapsed))}


# ---------------------------------------------------------------------------------------
# Two half-moons: a linear model against a small ReLU network.

MOMENTUM = 0.9
"""The SGD momentum of every moons run: each step adds 0.9 of the previous step's motion."""

BATCH_SIZE = 32
"""The moons runs' batch size: 400 training points make 13 steps per epoch."""

NUM_EPOCHS = 60
"""How long :func:`train_moons` trains unless told otherwise."""


def train_moons(activation: str | None = "relu", seed: int = 0, num_epochs: int = NUM_EPOCHS, lr: float = 0.1,
                hidden: int = 16, data=None, callbacks=()) -> dict:
    """Train a classifier for 2-D points on the moons with SGD (momentum :data:`MOMENTUM`), batch :data:`BATCH_SIZE`.

    activation None: one Linear layer (a straight decision boundary); otherwise
    ``mlp([2, hidden, hidden, 2], activation)``. The weights and the shuffling come from
    ``numpy.random.default_rng(seed)``. data: (X_train, y_train, X_test, y_test), default 400
    training and 400 test points. -> dict model, history (nn.History), train_acc, test_acc (floats in [0, 1]).
    """
    if data is None:
        X, y = moons(400, seed=seed)
        X_test, y_test = moons(400, seed=seed + 1000)
    else:
        X, y, X_test, y_test = data
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed)
    model = mlp([2, 2] if activation is None else [2, hidden, hidden, 2], activation, rng=rng)
    with threadpool_limits(1):  # tiny matrices: one BLAS thread is as fast, and far faster on a shared CPU
        history = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=lr, momentum=MOMENTUM),
                         num_epochs=num_epochs, batch_size=BATCH_SIZE, X_val=X_test, y_val=y_test,
                         callbacks=callbacks, progress=False, rng=rng)
    return {"model": model, "history": history, "train_acc": nn.accuracy(model, X, y),
            "test_acc": nn.accuracy(model, X_test, y_test)}


def decision_grid(model, X, resolution: int = 120, margin: float = 0.5):
    """The model's probability of class 1 on a grid covering ``X``.

    X: (N, 2) -> (xs: (resolution,), ys: (resolution,), p1: (resolution, resolution)).
    """
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    logits = nn.predict(model, np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32))
    return xs, ys, softmax(logits, axis=1)[:, 1].reshape(gx.shape)


# ---------------------------------------------------------------------------------------
# A curve as a sum of ReLU hinges.


def bumpy(x):
    """The curve the hinges approximate: ``sin(2x) + 0.3 cos(5x)`` (any shape in, same shape out)."""
    x = np.asarray(x, dtype=float)
    return np.sin(2 * x) + 0.3 * np.cos(5 * x)


def hinge_features(x, knots):
    """The building blocks: a constant, a straight line, and one ReLU hinge per knot.

    x: (M,), knots: (n,) -> (M, n + 2) with columns ``1, x, relu(x - k1), ..., relu(x - kn)``.
    """
    x = np.asarray(x, dtype=float)
    hinges = relu(x[:, None] - np.asarray(knots, dtype=float)[None, :])
    return np.column_stack([np.ones_like(x), x, hinges])


def fit_hinges(x, y, n: int) -> dict:
    """Least-squares fit of ``a + b x + sum_i w_i relu(x - k_i)`` with n evenly spaced knots.

    The knots sit at the n inner points of ``linspace(min(x), max(x), n + 2)``; with n = 0 the fit
    is a straight line. x: (M,), y: (M,) -> dict pred (M,), error (root-mean-square, float),
    max_error (float), knots (n,), weights (n + 2,) as (a, b, w_1, ..., w_n).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = int(n)
    knots = np.linspace(x.min(), x.max(), n + 2)[1:-1]
    A = hinge_features(x, knots)
    weights, *_ = np.linalg.lstsq(A, y, rcond=None)
    pred = A @ weights
    return {"pred": pred, "error": float(np.sqrt(np.mean((pred - y) ** 2))),
            "max_error": float(np.max(np.abs(pred - y))), "knots": knots, "weights": weights}


def epochs_to_accuracy(activation: str, lr: float, seed: int = 0, target: float = 0.95,
                       max_epochs: int = 200, data=None) -> dict:
    """Train on the moons until the test accuracy reaches ``target``; how many epochs did it take?

    Same network and optimizer as :func:`train_moons`. -> dict epochs (int, or None if ``target``
    was never reached within ``max_epochs``), seconds (float, wall clock, varies between runs),
    test_acc (float, at the end), model (the trained network, as it was when training stopped).
    """

    def stop_at_target(event):
        if event.kind == "epoch" and event.val_acc is not None and event.val_acc >= target:
            return "stop"
        return None

    run = train_moons(activation, seed=seed, num_epochs=max_epochs, lr=lr, data=data,
                      callbacks=[stop_at_target])
    history = run["history"]
    reached = history.stop_reason == "callback"
    return {"epochs": len(history.val_acc) if reached else None,
            "seconds": history.seconds[-1] if history.seconds else 0.0, "test_acc": run["test_acc"],
            "model": run["model"]}


def race_to_accuracy(settings: dict, seeds=(0, 1, 2), target: float = 0.95, max_epochs: int = 200,
                     progress=None, desc: str = "training runs") -> dict:
    """:func:`epochs_to_accuracy` for several activations and seeds on the same data.

    settings: activation -> learning rate, e.g. ``{"relu": 0.1, "sigmoid": 0.5}``.
    progress: None, or a function that wraps an iterable to show progress, such as ``tqdm.auto.tqdm``
    (called as ``progress(runs, desc=desc)``).
    -> dict activation -> list of dicts (one per seed), as returned by epochs_to_accuracy.
    """
    out = {activation: [] for activation in settings}
    runs = [(activation, lr, seed) for activation, lr in settings.items() for seed in seeds]
    for activation, lr, seed in track(runs, progress, desc):
        data = (*moons(400, seed=seed), *moons(400, seed=seed + 1000))
        out[activation].append(epochs_to_accuracy(activation, lr, seed, target, max_epochs, data))
    return out



# ---------------------------------------------------------------------------------------
# What a too-large step does to the hidden units: ReLU's die, tanh's saturate.

SATURATED = 0.99
"""A tanh output counts as saturated when its size is above this: the slope ``1 - a**2`` is then below 0.02."""


def hidden_health(model, X) -> dict:
    """How many hidden units still respond to their input, for any activation.

    X: (N, 2) -> dict units (int, hidden units in all), dead (units whose output is exactly 0 on every
    row of X: a ReLU unit that gets no gradient), stuck (units whose output stays beyond
    ±:data:`SATURATED`, on the same side, on every row: a tanh unit pinned at +1 or −1, with a slope
    near 0), saturated (float, the fraction of all hidden outputs whose size is above SATURATED).
    """
    layers = dict(nn.named_layers(model))
    hidden = [a for name, a in nn.layer_outputs(model, X) if isinstance(layers[name], nn.Activation)]
    a = np.concatenate(hidden, axis=1)
    stuck = (a > SATURATED).all(axis=0) | (a < -SATURATED).all(axis=0)
    return {"units": int(a.shape[1]), "dead": int(np.count_nonzero(~(a != 0).any(axis=0))),
            "stuck": int(np.count_nonzero(stuck)), "saturated": float(np.mean(np.abs(a) > SATURATED))}


def race_health(race: dict, seeds=(0, 1, 2)) -> dict:
    """:func:`hidden_health` of every network a race trained, on its own training points.

    race: learning rate -> the dict :func:`race_to_accuracy` returned for it (run with these ``seeds``).
    -> dict learning rate -> activation -> list of hidden_health dicts, one per seed.
    """
    return {lr: {act: [hidden_health(run["model"], moons(400, seed=seed)[0])
                       for seed, run in zip(seeds, runs, strict=True)] for act, runs in by_act.items()}
            for lr, by_act in race.items()}


def best_runs(race: dict) -> dict:
    """For each activation, the learning rate at which every seed reached the target in the fewest epochs.

    race: learning rate -> the dict :func:`race_to_accuracy` returned for it. Only rates at which every
    seed got there count. -> dict activation -> dict lr, epochs (median over the seeds), seconds (median
    wall-clock seconds to the target, which vary between runs and machines); None for an activation that
    never got there in every seed.
    """
    activations = next(iter(race.values())).keys()
    out = {}
    for act in activations:
        complete = {lr: runs[act] for lr, runs in race.items() if all(r["epochs"] for r in runs[act])}
        if not complete:
            out[act] = None
            continue
        lr = min(complete, key=lambda rate: (np.median([r["epochs"] for r in complete[rate]]), rate))
        out[act] = {"lr": lr, "epochs": float(np.median([r["epochs"] for r in complete[lr]])),
                    "seconds": float(np.median([r["seconds"] for r in complete[lr]]))}
    return out
