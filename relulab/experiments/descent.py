"""Gradient descent on one weight: the learning rate, too small, about right, too large, diverging (notebook 03).

The model is a single weight ``w`` that predicts ``w * x``; its loss on a few points is the mean squared
error, a bowl-shaped curve (a parabola) in ``w``. Gradient descent starts at ``w0`` and repeats
``w = w - lr * slope_of_the_loss(w)``. How the steps behave depends only on the learning rate ``lr``:

- too small: every step goes downhill but so little that the weight is still far from the bottom;
- about right: the weight reaches the bottom in a few steps (a step a little too long overshoots the
  bottom and comes back from the other side, zig-zagging in);
- too large: every step jumps over the bottom, zig-zagging so widely that it has not settled;
- diverging: every jump lands higher up the other side than the last one, and the loss grows without end.

>>> path = descent_path(lr=0.3)
>>> path.verdict
'about right'
>>> descent_path(lr=0.95).verdict
'diverging'

Pure functions of plain values; nothing is random.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

X_POINTS = np.array([0.5, 1.0, 1.5])
"""The inputs of the one-weight problem."""

Y_POINTS = np.array([1.1, 1.9, 3.1])
"""The targets: about twice the inputs, so the best weight is close to 2."""

W0 = -1.0
"""Where gradient descent starts."""

NUM_STEPS = 12
"""How many steps the learner watches."""

SETTLED = 0.01
"""The weight has *reached the bottom* when its distance to the best weight is below this fraction of
the distance it started at."""

VERDICTS = ("too small", "about right", "too large", "diverging")
"""What :func:`descent_path` can say about a learning rate, from smallest to largest."""


def loss(w, x=X_POINTS, y=Y_POINTS):
    """The mean squared error of the prediction ``w * x``: ``mean((w * x - y) ** 2)``.

    w: a number or an array of weights (any shape) -> the loss of each, same shape.
    """
    w = np.asarray(w, dtype=float)
    return np.mean((w[..., None] * x - y) ** 2, axis=-1)


def loss_slope(w, x=X_POINTS, y=Y_POINTS):
    """The slope of :func:`loss` at ``w``: ``mean(2 * (w * x - y) * x)`` (same shape as ``w``)."""
    w = np.asarray(w, dtype=float)
    return np.mean(2 * (w[..., None] * x - y) * x, axis=-1)


def best_weight(x=X_POINTS, y=Y_POINTS) -> float:
    """The weight at the bottom of the bowl, where the slope is 0: ``mean(x * y) / mean(x ** 2)``."""
    return float(np.mean(x * y) / np.mean(x * x))


def largest_stable_lr(x=X_POINTS) -> float:
    """Above this learning rate every step lands further from the bottom than the last: ``1 / mean(x ** 2)``.

    A step multiplies the distance to the bottom by ``1 - 2 * lr * mean(x ** 2)``; beyond this rate
    that factor is below −1.
    """
    return float(1 / np.mean(np.asarray(x, dtype=float) ** 2))


@dataclass(frozen=True)
class DescentPath:
    """Where gradient descent went: ``weights`` (num_steps + 1,) from ``w0`` on, and their ``losses``.

    verdict: one of :data:`VERDICTS`; steps_to_bottom: the first step within :data:`SETTLED` of the
    best weight (None if never); overshoots: how many steps jumped over the bottom to the other side;
    best_w and best_loss: the bottom of the bowl.
    overshoots counts the jumps up to steps_to_bottom when the bottom is reached (later ones are
    rounding-sized wobbles at the bottom), and all of them otherwise.
    """

    lr: float
    weights: np.ndarray
    losses: np.ndarray
    best_w: float
    best_loss: float
    verdict: str
    steps_to_bottom: int | None
    overshoots: int

    def describe(self) -> str:
        """One sentence for a readout, e.g. "lr 0.30: about right: it reaches the bottom in 5 steps"."""
        n = len(self.weights) - 1
        head = f"lr {self.lr:.2f}: {self.verdict}"
        if self.verdict == "diverging":
            return (f"{head}: every step lands further up the other side; after {n} steps the loss is "
                    f"{self.losses[-1]:.3g} (it started at {self.losses[0]:.3g})")
        if self.verdict == "too small":
            return (f"{head}: every step goes downhill, but after {n} steps the weight is still at "
                    f"{self.weights[-1]:.2f}, short of the best {self.best_w:.2f}")
        if self.verdict == "too large":
            return (f"{head}: each step jumps over the bottom ({self.overshoots} of {n} did); after {n} steps "
                    f"the weight still swings around the best {self.best_w:.2f}")
        steps = f"{self.steps_to_bottom} step{'s' if self.steps_to_bottom != 1 else ''}"
        zigzag = ""
        if self.overshoots == 1:
            zigzag = ", jumping over it once on the way"
        elif self.overshoots > 1:
            zigzag = f", zig-zagging across it {self.overshoots} times on the way"
        return f"{head}: it reaches the bottom in {steps}{zigzag}"


def descent_path(lr: float, w0: float = W0, num_steps: int = NUM_STEPS, x=X_POINTS, y=Y_POINTS) -> DescentPath:
    """Run ``num_steps`` steps of ``w = w - lr * loss_slope(w)`` from ``w0`` and say how it went.

    lr: the learning rate (> 0). Verdict: "diverging" if the weight ends further from the best weight
    than it started; "about right" if it came within :data:`SETTLED` of the starting distance; otherwise
    "too large" if some step overshot the bottom, else "too small".
    """
    lr = float(lr)
    if not lr > 0:
        raise ValueError(f"the learning rate must be a positive number, like 0.1; got {lr}")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    weights = [float(w0)]
    for _ in range(int(num_steps)):
        w = weights[-1]
        weights.append(w - lr * float(loss_slope(w, x, y)))
    weights = np.array(weights)
    best = best_weight(x, y)
    distance = np.abs(weights - best)
    close = np.flatnonzero(distance <= SETTLED * distance[0])
    steps_to_bottom = int(close[0]) if close.size else None
    side = np.sign(weights[:None if steps_to_bottom is None else steps_to_bottom + 1] - best)
    overshoots = int(np.count_nonzero(side[1:] * side[:-1] < 0))
    if distance[-1] > distance[0]:
        verdict = "diverging"
    elif steps_to_bottom is not None:
        verdict = "about right"
    elif overshoots:
        verdict = "too large"
    else:
        verdict = "too small"
    return DescentPath(lr, weights, loss(weights, x, y), best, float(loss(best, x, y)), verdict,
                       steps_to_bottom, overshoots)
