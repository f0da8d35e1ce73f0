"""The activation showdown (notebook 08): the same small CNN with each activation, on digits and faces.

Arrays and numbers in, dicts of numbers out; nothing is drawn here and nothing is cached on disk.

- :func:`showdown_cnn` builds the one network of the notebook (its depth and activation chosen),
  :func:`train_run` trains it once and records, epoch by epoch, the loss, the training error, the
  test accuracy, the wall-clock seconds and the size of each layer's weight gradient; at the end, the
  dead units and the share of zeros after each activation.
- :func:`run_grid` repeats it over activations, depths, learning rates and seeds: the runs that the
  notebook's figures and its replay explorer read.
- :func:`epochs_to_error`, :func:`seconds_to_error`, :func:`best_lr` and :func:`speedup` measure
  "how many epochs (seconds) to a stated training error", as Krizhevsky, Sutskever & Hinton (2012,
  Figure 1) did with ReLU against tanh on CIFAR-10 (25% training error, six times fewer epochs).

A run is a dict (see :func:`train_run`); a grid is ``{(activation, depth, lr, seed): run}``.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import nn
from . import track
from .models import ACTIVATIONS, make_activation

ORDER = ("relu", "leaky_relu", "prelu", "tanh", "sigmoid")
"""The activations of the showdown, in the order the notebook lists them."""

CHANNELS = 8
"""Filters in every convolution of :func:`showdown_cnn`."""

MOMENTUM = 0.9
"""SGD's momentum in every run (as in Krizhevsky et al. 2012)."""

DIGITS_TRAIN, DIGITS_TEST = 600, 400
"""How many of scikit-learn's digits :func:`digits_data` keeps for training and for testing (small, so that
the notebook's 90 training runs on digits fit in its time budget)."""

THRESHOLD = 0.25
"""The training error the notebook races to: 25%, the threshold of Krizhevsky et al.'s Figure 1."""

DEPTHS = (1, 3)
"""The depths (convolutions) of the notebook's grid: a shallow net and a deeper one."""

LEARNING_RATES = (0.03, 0.1, 0.3)
"""The learning rates of the notebook's grid (SGD with momentum 0.9)."""

SEEDS = (0, 1, 2)
"""The seeds of every setting: three starting networks and batch orders."""

NUM_EPOCHS = 10
"""Epochs of every digits run."""

SHARED_LR = 0.03
"""The learning rate at which every activation of the notebook is compared "at a shared one"."""

PAPER_RATIO = 6.0
"""Krizhevsky, Sutskever & Hinton (2012, Figure 1): tanh needed about six times as many epochs as ReLU
to reach 25% training error on CIFAR-10 with a four-layer CNN."""


def digits_data(seed: int = 0) -> tuple:
    """The notebook's digits: :data:`DIGITS_TRAIN` training and :data:`DIGITS_TEST` test pictures of
    ``relulab.data.digits(seed=seed)`` (8 × 8, as rows), ``(X_train, y_train, X_test, y_test)``."""
    from ..data import digits

    X_train, y_train, X_test, y_test = digits(num_train=DIGITS_TRAIN, seed=seed)
    return X_train, y_train, X_test[:DIGITS_TEST], y_test[:DIGITS_TEST]


def showdown_cnn(activation: str = "relu", depth: int = 2, size: int = 8, num_classes: int = 10,
                 channels: int = CHANNELS, seed: int = 0) -> nn.Sequential:
    """The showdown's CNN for grey (N, 1, size, size) pictures: ``depth`` convolutions, each followed by
    ``activation``.

    Conv2d(1, channels, 3, padding=1) → activation → MaxPool2d(2) → [Conv2d(channels, channels, 3,
    padding=1) → activation] × (depth − 1) → MaxPool2d(2) → Flatten → Linear(channels · (size // 4)²,
    num_classes). He initialisation for the ReLU family, Xavier for sigmoid and tanh (see
    :data:`relulab.experiments.models.ACTIVATIONS`); weights drawn from ``np.random.default_rng(seed)``.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not {activation!r}")
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth is the number of convolutions, a whole number of at least 1, not {depth!r}")
    if size < 4:
        raise ValueError(f"pictures must be at least 4 × 4 pixels (two 2 × 2 poolings), not {size} × {size}")
    rng, init = np.random.default_rng(seed), ACTIVATIONS[activation].init
    layers = [nn.Conv2d(1, channels, 3, padding=1, rng=rng, init=init), make_activation(activation),
              nn.MaxPool2d(2)]
    for _ in range(int(depth) - 1):
        layers += [nn.Conv2d(channels, channels, 3, padding=1, rng=rng, init=init), make_activation(activation)]
    side = (size // 2) // 2
    layers += [nn.MaxPool2d(2), nn.Flatten(), nn.Linear(channels * side * side, num_classes, rng=rng)]
    return nn.Sequential(*layers)


def as_images(X) -> np.ndarray:
    """Rows of square grey pictures (N, side²) -> (N, 1, side, side) float32, as a CNN takes them."""
    X = np.asarray(X, dtype=np.float32)
    side = int(round(np.sqrt(X.shape[1])))
    if side * side != X.shape[1]:
        raise ValueError(f"each row should be a square picture, but {X.shape[1]} is not a square number")
    return X.reshape(len(X), 1, side, side)


def weight_layers(model) -> list[str]:
    """Names of the layers with weights (convolutions and the Linear), input side first: "0: Conv2d", ..."""
    return [name for name, layer in nn.named_layers(model) if any(p.name == "weight" for p in layer.parameters())
            and not isinstance(layer, nn.PReLU)]


def train_run(data, activation: str = "relu", depth: int = 1, lr: float = SHARED_LR, seed: int = 0,
              num_epochs: int = NUM_EPOCHS, batch_size: int = 32) -> dict:
    """Train :func:`showdown_cnn` once with SGD (momentum :data:`MOMENTUM`) and record what the notebook shows.

    data: ``(X_train, y_train, X_test, y_test)`` with square pictures as rows (``relulab.data.digits()``
    or ``faces()``). The network's weights and the batch order come from ``seed``.
    -> dict with, per epoch (arrays of length ``num_epochs``): ``train_error`` (share of training
    examples misclassified while the epoch ran, the measure of Krizhevsky et al.'s Figure 1),
    ``loss``, ``test_acc``, ``seconds`` (wall clock since the start, at the end of each epoch) and
    ``grad_norms`` (``{layer name: (num_epochs,)}``, the mean size of that layer's weight gradient over
    the epoch's steps); and at the end: ``dead`` and ``units`` (per activation layer: channels that are 0
    for every test picture, and how many channels there are), ``zeros`` (per activation layer: share of
    its outputs on the test pictures that are exactly 0), ``test_acc_final``, ``alpha`` (PReLU's learned
    slopes, else None), ``diverged`` (the loss became NaN or infinite; the epochs after it are NaN) and
    ``message`` (fit's sentence on how training ended).
    """
    X_train, y_train, X_test, y_test = data
    X_train, X_test = as_images(X_train), as_images(X_test)
    num_classes = int(max(y_train.max(), y_test.max())) + 1
    model = showdown_cnn(activation, depth, X_train.shape[-1], num_classes, seed=seed)
    names = weight_layers(model)
    layers = dict(nn.named_layers(model))
    sums, steps, grads = dict.fromkeys(names, 0.0), [0], {name: [] for name in names}
    test_acc = []
    evaluate = nn.compile(model, workers=1)  # the same parameters, measured with the fast path

    def record(event):
        if event.kind == "step":
            for name in names:
                sums[name] += float(np.sqrt(np.sum(layers[name].weight.grad.astype(np.float64) ** 2)))
            steps[0] += 1
            return None
        for name in names:
            grads[name].append(sums[name] / max(steps[0], 1))
            sums[name] = 0.0
        steps[0] = 0
        test_acc.append(nn.accuracy(evaluate, X_test, y_test))
        return None

    optimizer = nn.SGD(model.parameters(), lr=lr, momentum=MOMENTUM)
    # A run that blows up is an outcome here, not an accident: it is recorded (``diverged``, ``message``)
    # instead of warning, and the overflow on the way there is silenced.
    with warnings.catch_warnings(), np.errstate(over="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        history = nn.fit(model, X_train, y_train, nn.CrossEntropyLoss(), optimizer, num_epochs=num_epochs,
                         batch_size=batch_size, callbacks=[record], progress=False,
                         rng=np.random.default_rng(1000 + seed), workers=1)
    evaluate.close()
    done = len(history.train_acc)
    diverged = history.stop_reason == "nan"

    def padded(values):
        out = np.full(num_epochs, np.nan)
        out[:len(values)] = values
        return out

    result = {
        "activation": activation, "depth": int(depth), "lr": float(lr), "seed": int(seed),
        "train_error": padded(1.0 - np.array(history.train_acc)), "loss": padded(history.epoch_loss[:done]),
        "test_acc": padded(test_acc[:done]), "seconds": padded(history.seconds[:done]),
        "grad_norms": {name: padded(values[:done]) for name, values in grads.items()},
        "diverged": diverged, "message": history.message, "alpha": None,
    }
    if diverged:
        result.update(dead={}, units={}, zeros={}, test_acc_final=float("nan"))
        return result
    result["dead"] = nn.dead_units(model, X_test)
    result["units"] = {name: CHANNELS for name in result["dead"]}
    result["zeros"] = nn.fraction_zeros(model, X_test)
    result["test_acc_final"] = float(test_acc[-1])
    if activation == "prelu":
        result["alpha"] = np.array([layer.alpha[0] for _, layer in nn.named_layers(model)
                                    if isinstance(layer, nn.PReLU)])
    return result


def run_grid(data, activations=ORDER, depths=DEPTHS, lrs=LEARNING_RATES, seeds=SEEDS, num_epochs: int = NUM_EPOCHS,
             batch_size: int = 32, progress=None) -> dict:
    """:func:`train_run` for every (activation, depth, lr, seed): ``{(activation, depth, lr, seed): run}``.

    progress: None, or a function such as ``tqdm.auto.tqdm`` that wraps an iterable to show progress.
    Runs on one BLAS thread: the matrices are tiny, and a shared CPU is then not slowed down further.
    """
    from threadpoolctl import threadpool_limits

    keys = [(a, int(d), float(lr), int(s)) for a in activations for d in depths for lr in lrs for s in seeds]
    with threadpool_limits(1):
        return {key: train_run(data, *key, num_epochs=num_epochs, batch_size=batch_size)
                for key in track(keys, progress, "training runs")}


# ---------------------------------------------------------------------------------------
# Reading a grid: epochs and seconds to a training error, the best learning rate, the speed-up.

def epochs_to_error(train_error, threshold: float) -> int | None:
    """The first epoch (counting from 1) whose training error is at most ``threshold``; None if none is.

    >>> epochs_to_error([0.6, 0.3, 0.2, 0.25], 0.25)
    3
    """
    errors = np.asarray(train_error, dtype=float)
    reached = np.flatnonzero(errors <= threshold)  # NaN (a run that blew up) never counts
    return int(reached[0]) + 1 if len(reached) else None


def seconds_to_error(run: dict, threshold: float) -> float | None:
    """Wall-clock seconds of ``run`` until the end of the first epoch with training error ≤ ``threshold``."""
    epoch = epochs_to_error(run["train_error"], threshold)
    return None if epoch is None else float(run["seconds"][epoch - 1])


def keys_of(grid: dict) -> dict:
    """The values each part of a grid's keys takes: ``{"activation": [...], "depth": [...], "lr": [...],
    "seed": [...]}``, in the order they were run (activations) or sorted (the numbers)."""
    parts = list(zip(*grid.keys(), strict=True))
    return {"activation": list(dict.fromkeys(parts[0])), "depth": sorted(set(parts[1])),
            "lr": sorted(set(parts[2])), "seed": sorted(set(parts[3]))}


def runs_of(grid: dict, activation: str, depth: int, lr: float) -> list[dict]:
    """The runs of one (activation, depth, lr), one per seed, in seed order."""
    found = [grid[k] for k in sorted(grid) if k[:3] == (activation, depth, lr)]
    if not found:
        raise KeyError(f"the grid has no runs for {activation}, depth {depth}, lr {lr}")
    return found


def median_epochs(grid: dict, activation: str, depth: int, lr: float, threshold: float) -> float:
    """Median over seeds of :func:`epochs_to_error`; a seed that never gets there counts as infinitely many
    epochs (so the median is ``inf`` when most seeds never reach the threshold)."""
    epochs = [epochs_to_error(run["train_error"], threshold) for run in runs_of(grid, activation, depth, lr)]
    return float(np.median([np.inf if e is None else e for e in epochs]))


def median_seconds(grid: dict, activation: str, depth: int, lr: float, threshold: float) -> float:
    """Median over seeds of :func:`seconds_to_error` (``inf`` for a seed that never reaches it)."""
    seconds = [seconds_to_error(run, threshold) for run in runs_of(grid, activation, depth, lr)]
    return float(np.median([np.inf if s is None else s for s in seconds]))


def best_lr(grid: dict, activation: str, depth: int, threshold: float) -> float:
    """The learning rate of the grid with the fewest median epochs to ``threshold`` (ties: the smaller lr)."""
    lrs = keys_of(grid)["lr"]
    return min(lrs, key=lambda lr: (median_epochs(grid, activation, depth, lr, threshold), lr))


def speedup(grid: dict, depth: int, threshold: float, lr: float | None = None, slow: str = "tanh",
            fast: str = "relu") -> dict:
    """Krizhevsky et al.'s comparison in miniature: median epochs of ``slow`` over median epochs of ``fast``.

    lr: a learning rate shared by both, or None to give each its own best (:func:`best_lr`).
    -> dict with ``ratio`` (``inf`` if ``slow`` never reaches the threshold, ``nan`` if neither does),
    ``epochs`` (activation -> median epochs), ``lr`` (activation -> the lr used) and ``seconds``
    (activation -> median seconds to the threshold).
    """
    lrs = {a: (best_lr(grid, a, depth, threshold) if lr is None else lr) for a in (fast, slow)}
    epochs = {a: median_epochs(grid, a, depth, lrs[a], threshold) for a in (fast, slow)}
    seconds = {a: median_seconds(grid, a, depth, lrs[a], threshold) for a in (fast, slow)}
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = float(np.float64(epochs[slow]) / np.float64(epochs[fast]))
    return {"ratio": ratio, "epochs": epochs, "lr": lrs, "seconds": seconds}


def mean_curve(grid: dict, activation: str, depth: int, lr: float, key: str = "train_error") -> np.ndarray:
    """The mean over seeds of a per-epoch array of the runs (``"train_error"``, ``"test_acc"``, ``"loss"``)."""
    return np.mean([run[key] for run in runs_of(grid, activation, depth, lr)], axis=0)


def final_table(grid: dict, depth: int, lr: float | None = None, threshold: float = THRESHOLD) -> list[dict]:
    """One row per activation: final training error and test accuracy (mean over seeds), epochs to
    ``threshold`` (median), the seconds of the fastest epoch of any seed (``fastest_epoch``: the least
    disturbed by other programs), dead units and zeros (mean over seeds and layers).

    lr: the learning rate to read, or None for each activation's best (:func:`best_lr`).
    """
    rows = []
    for activation in keys_of(grid)["activation"]:
        use = best_lr(grid, activation, depth, threshold) if lr is None else lr
        runs = runs_of(grid, activation, depth, use)
        alive = [r for r in runs if not r["diverged"]]
        # The fastest epoch of any seed: other programs on the computer only ever make an epoch slower.
        per_epoch = [np.min(np.diff(r["seconds"], prepend=0.0)) for r in alive]
        rows.append({
            "activation": activation, "lr": use,
            "train_error": float(np.mean([r["train_error"][-1] for r in runs])),
            "test_acc": float(np.mean([r["test_acc_final"] for r in runs])),
            "epochs": median_epochs(grid, activation, depth, use, threshold),
            "fastest_epoch": float(np.min(per_epoch)) if per_epoch else float("nan"),
            "dead": float(np.mean([sum(r["dead"].values()) for r in alive])) if alive else float("nan"),
            "units": sum(alive[0]["units"].values()) if alive else 0,
            "zeros": float(np.mean([np.mean(list(r["zeros"].values())) for r in alive])) if alive else float("nan"),
            "diverged": sum(r["diverged"] for r in runs), "seeds": len(runs),
        })
    return rows
