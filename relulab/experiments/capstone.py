"""Notebook 09, the capstone: shifted digits, a linear baseline, CNNs by design, and the held-out split.

The task: scikit-learn's handwritten digits (:func:`relulab.data.digits`, 8×8), each placed on a 9×9
canvas at a random spot, so that it lands up to one pixel off in each direction. Handwriting on a form
lands wherever it lands; a model that weighs every pixel in its place (a linear one) loses a lot to that
shift, a CNN, whose filters slide and whose pooling forgives a pixel, hardly anything.

The 1797 digits are split once, at random, with fixed seeds:

- :func:`shifted_digits`: what the learner trains on, 1097 training and 300 validation digits;
- :func:`held_out`: 400 digits that the notebook never hands to the learner's cells. The capstone's
  check measures the learner's model on them (:mod:`relulab.checks.capstone`).

>>> X_train, y_train, X_val, y_val = shifted_digits()
>>> X_train.shape, X_val.shape, held_out()[0].shape
((1097, 1, 9, 9), (300, 1, 9, 9), (400, 1, 9, 9))
"""

from __future__ import annotations

import numpy as np

from .. import data, nn
from . import track
from .models import ACTIVATIONS, make_activation

CANVAS = 9
"""The side of the canvas each 8×8 digit is placed on (at an offset of 0 or 1 pixel in each direction)."""
NUM_TRAIN, NUM_VALIDATION, NUM_HELD_OUT = 1097, 300, 400
_SPLIT_SEED, _SHIFT_SEED, _HELD_OUT_SHIFT_SEED = 0, 1, 2
MAX_DEPTH = 3
"""9 → 4 → 2 → 1 pixels: three blocks of 2 × 2 pooling use the canvas up."""


def shift(X, seed: int, canvas: int = CANVAS) -> np.ndarray:
    """Place each 8×8 digit (a row of 64) at a random offset on a ``canvas`` × ``canvas`` square.

    -> (N, 1, canvas, canvas) float32, the background 0. The offsets are drawn from ``seed``.
    """
    X = np.asarray(X, dtype=np.float32).reshape(-1, 8, 8)
    rng = np.random.default_rng(seed)
    offsets = rng.integers(0, canvas - 8 + 1, size=(len(X), 2))
    out = np.zeros((len(X), 1, canvas, canvas), np.float32)
    for i, (top, left) in enumerate(offsets):
        out[i, 0, top:top + 8, left:left + 8] = X[i]
    return out


def _split():
    X_known, y_known, X_held, y_held = data.digits(num_train=NUM_TRAIN + NUM_VALIDATION, seed=_SPLIT_SEED)
    return shift(X_known, _SHIFT_SEED), y_known, shift(X_held, _HELD_OUT_SHIFT_SEED), y_held


def shifted_digits() -> tuple:
    """The learner's data: ``(X_train, y_train, X_val, y_val)``, X (N, 1, 9, 9) float32 in [0, 1], y (N,) int64.

    1097 digits to train on, 300 to validate on (to compare designs). The 400 held-out digits are not here.
    """
    X, y, _, _ = _split()
    return X[:NUM_TRAIN], y[:NUM_TRAIN], X[NUM_TRAIN:], y[NUM_TRAIN:]


def held_out() -> tuple:
    """The 400 held-out digits ``(X, y)`` that grade the capstone: never used for training or choosing a design."""
    _, _, X, y = _split()
    return X, y


def make_cnn(depth: int = 2, activation: str = "relu", channels: int = 16, seed: int = 0) -> nn.Sequential:
    """A small CNN for the 9×9 digits: ``depth`` blocks of Conv2d(3×3, padding 1) → activation → MaxPool2d(2),
    then Flatten and Linear to 10 scores.

    The first block has ``channels`` filters, each next one twice as many. depth: 1, 2 or 3 (9 → 4 → 2 → 1
    pixels). activation: a name from :data:`relulab.experiments.models.ACTIVATIONS`. Weights from ``seed``.
    """
    if not isinstance(depth, (int, np.integer)) or not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth is the number of conv blocks, 1 to {MAX_DEPTH} (a 9×9 digit is 1×1 after three "
                         f"poolings); got {depth!r}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not {activation!r}")
    rng = np.random.default_rng(seed)
    init = ACTIVATIONS[activation].init
    layers, width, size = [], 1, CANVAS
    for block in range(depth):
        out = channels * 2 ** block
        layers += [nn.Conv2d(width, out, 3, padding=1, init=init, rng=rng), make_activation(activation),
                   nn.MaxPool2d(2)]
        width, size = out, size // 2
    layers += [nn.Flatten(), nn.Linear(width * size * size, 10, rng=rng)]
    return nn.Sequential(*layers)


def linear_model(seed: int = 0) -> nn.Sequential:
    """The baseline: Flatten and one Linear layer, 81 pixels → 10 scores (a template per digit)."""
    return nn.Sequential(nn.Flatten(), nn.Linear(CANVAS * CANVAS, 10, rng=np.random.default_rng(seed)))


def train(model, learning_rate: float = 0.05, epochs: int = 20, seed: int = 0, momentum: float = 0.9,
          progress=False) -> nn.History:
    """Train ``model`` on the training digits (SGD with momentum, batches of 64), validating every epoch.

    The same call as the notebook's: ``nn.fit`` with shuffling from ``seed``. progress: a tqdm-like
    function or True shows fit's progress bar.
    """
    X_train, y_train, X_val, y_val = shifted_digits()
    return nn.fit(model, X_train, y_train, nn.CrossEntropyLoss(),
                  nn.SGD(model.parameters(), lr=learning_rate, momentum=momentum), num_epochs=epochs,
                  X_val=X_val, y_val=y_val, rng=np.random.default_rng(seed), progress=bool(progress))


DESIGNS = {
    "linear, lr 0.05": {"kind": "linear", "learning_rate": 0.05},
    "ReLU CNN, lr 0.05": {"kind": "relu", "learning_rate": 0.05},
    "sigmoid CNN, lr 0.05": {"kind": "sigmoid", "learning_rate": 0.05},
    "sigmoid CNN, lr 0.5": {"kind": "sigmoid", "learning_rate": 0.5},
}
"""The designs :func:`compare_designs` trains by default: a label and what to build (all CNNs of depth 2)."""


def compare_designs(designs=None, epochs: int = 12, depth: int = 2, seed: int = 0, progress=None) -> dict:
    """Train each design for ``epochs`` epochs; -> {label: {"kind", "learning_rate", "val_acc" per epoch,
    "seconds"}}.

    designs: {label: {"kind": "linear" or an activation name, "learning_rate": float}} (default
    :data:`DESIGNS`). Same seed for every design: the same first weights (per kind) and the same batches.
    """
    results = {}
    for label, design in track(list((designs or DESIGNS).items()), progress, desc="designs"):
        kind, lr = design["kind"], design["learning_rate"]
        model = linear_model(seed) if kind == "linear" else make_cnn(depth, kind, seed=seed)
        history = train(model, lr, epochs, seed=seed)
        results[label] = {"kind": kind, "learning_rate": lr, "val_acc": list(history.val_acc),
                          "seconds": history.seconds[-1]}
    return results


def held_out_accuracy(model) -> float:
    """The fraction of the 400 held-out digits that ``model`` classifies right (tests and the instructor's tools)."""
    X, y = held_out()
    return float(np.mean(nn.predict(model, X).argmax(axis=1) == y))
