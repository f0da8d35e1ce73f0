"""Checks for notebook 08: epochs to a training error (a function), and one number read off the replay explorer.

``epochs_to_error`` is compared with :func:`relulab.experiments.showdown.epochs_to_error` on training-error
curves chosen to catch the usual slips: counting epochs from 0, a strict ``<``, accuracy read as error,
the last epoch under the threshold instead of the first, and a run that never gets there or blew up.
``replay_epochs`` trains the three runs the question is about again (the same seeds, so the same numbers
the notebook's explorer shows) and compares the learner's number with their median.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from ..experiments import showdown as sd
from .contract import call, fmt, learners_function
from .core import CORRECT, Advice, Feedback, NotYet, exercise

# ---------------------------------------------------------------------------------------
# epochs_to_error

EPOCHS_TO_ERROR_SOLUTION = """
def epochs_to_error(train_error, threshold):
    for epoch, error in enumerate(train_error, start=1):
        if error <= threshold:
            return epoch
    return None
"""

CURVES = [
    # (training error per epoch, threshold, what it tests)
    ([0.8, 0.5, 0.3, 0.2, 0.1], 0.25, "a plain curve"),
    ([0.6, 0.4, 0.25, 0.2], 0.25, "an epoch exactly at the threshold"),
    ([0.2, 0.1, 0.05], 0.25, "a run under the threshold from its first epoch"),
    ([0.9, 0.5, 0.2, 0.4, 0.3, 0.1], 0.25, "a curve that goes back up"),
    ([0.9, 0.9, 0.88, 0.89], 0.25, "a run that never gets there"),
    ([0.7, 0.5, float("nan"), float("nan")], 0.25, "a run that blew up (NaN after it)"),
    (np.array([0.5, 0.3, 0.12, 0.08]), 0.1, "a numpy array and another threshold"),
]


def _describe(curve, threshold) -> str:
    return f"epochs_to_error({[fmt(e) for e in np.asarray(curve, dtype=float)]}, {fmt(threshold)})".replace("'", "")


def _first_at_or_below(curve, threshold):
    return sd.epochs_to_error(curve, threshold)


def _slip(curve, threshold, got):
    """The sentence for a recognised slip, or None."""
    errors = np.asarray(curve, dtype=float)
    right = _first_at_or_below(curve, threshold)
    if right is not None and got == right - 1:
        return ("you counted epochs from 0. The first epoch is epoch 1: after it, one pass over the data is done "
                "(`enumerate(train_error, start=1)`).")
    below = np.flatnonzero(errors < threshold)
    if below.size and got == below[0] + 1 and got != right:
        return ("an epoch whose error equals the threshold already counts: \"to 25%\" means at most 25%, "
                "so compare with `<=`, not `<`.")
    accuracy = np.flatnonzero(errors >= 1 - threshold)  # "error" read as an accuracy that must climb
    if accuracy.size and got == accuracy[0] + 1 and got != right:
        return ("these numbers are training *errors* (the share of examples the network got wrong), not "
                "accuracies: the error has to fall to the threshold, `error <= threshold`.")
    under = np.flatnonzero(errors <= threshold)
    if under.size > 1 and got == under[-1] + 1:
        return "you returned the last epoch at or below the threshold; the race ends at the first one."
    if under.size and got == under.size:
        return "you counted the epochs at or below the threshold; the question is *when* it was first reached."
    if right is None and got is not None:
        return ("this run never reaches the threshold (a NaN, from a run that blew up, is not below anything): "
                "return None.")
    return None


@exercise("epochs_to_error", title="write epochs_to_error: when a run first reaches a training error",
          solution=EPOCHS_TO_ERROR_SOLUTION, points=2)
def check_epochs_to_error(epochs_to_error) -> Feedback:
    """Check ``epochs_to_error(train_error, threshold)`` on curves that catch the usual slips."""
    name, signature = "epochs_to_error", "def epochs_to_error(train_error, threshold): ..."
    fn = learners_function(epochs_to_error, name, signature)
    for curve, threshold, what in CURVES:
        got = call(fn, name, (curve, threshold), on=f"on {what}")
        want = _first_at_or_below(curve, threshold)
        if got is not None and (isinstance(got, bool) or not isinstance(got, numbers.Integral | np.integer)):
            if isinstance(got, numbers.Real) and float(got) == int(float(got)) and not isinstance(got, bool):
                got = int(float(got))
            else:
                raise Advice(f"{_describe(curve, threshold)} returned {got!r:.60}; return a whole number of "
                             "epochs (or None if the run never gets there).")
        if got == want and (got is None) == (want is None):
            continue
        expected = "None" if want is None else str(want)
        slip = _slip(curve, threshold, got)
        raise Advice(f"{_describe(curve, threshold)} should be {expected} ({what}), but yours returned {got}. "
                     + (slip or "Walk through the errors in order and return the number of the first epoch "
                        "whose error is at most the threshold."))
    return Feedback(name, CORRECT, "correct! The first epoch (counting from 1) at or below the threshold, and None "
                    "for a run that never gets there.")


# ---------------------------------------------------------------------------------------
# A number read off the replay explorer.

QUESTION = {"activation": "tanh", "depth": 3, "lr": 0.03}
"""The setting the question asks about: tanh, three convolutions, learning rate 0.03."""

REPLAY_EPOCHS_SOLUTION = """
# The explorer's readout for tanh, depth 3, learning rate 0.03 says "median ... epochs". The same number,
# measured: train those three runs again (the same seeds give the same runs) and take the median.
from relulab.experiments import showdown

runs = showdown.run_grid(showdown.digits_data(), activations=["tanh"], depths=[3], lrs=[0.03])
replay_epochs = showdown.median_epochs(runs, "tanh", 3, 0.03, showdown.THRESHOLD)
"""


@functools.cache
def _median_epochs(activation: str, depth: int, lr: float) -> float:
    """Median epochs to :data:`~relulab.experiments.showdown.THRESHOLD` of the notebook's runs of this setting."""
    grid = sd.run_grid(sd.digits_data(), activations=(activation,), depths=(depth,), lrs=(lr,))
    return sd.median_epochs(grid, activation, depth, lr, sd.THRESHOLD)


@exercise("replay_epochs", title="read off the replay: epochs tanh needed at depth 3, lr 0.03",
          solution=REPLAY_EPOCHS_SOLUTION, points=1)
def check_replay_epochs(replay_epochs) -> Feedback:
    """Check the median number of epochs that tanh at depth 3 and lr 0.03 needed to reach 25% training error."""
    name = "replay_epochs"
    if replay_epochs is None:
        raise NotYet("not done yet: replace `None` with the number of epochs you read off the explorer, run that "
                     "cell, then run this check again.")
    if isinstance(replay_epochs, bool) or not isinstance(replay_epochs, numbers.Real):
        raise Advice(f"`replay_epochs` should be a number of epochs, such as 7, not {replay_epochs!r:.60}.")
    value = float(replay_epochs)
    right = _median_epochs(**QUESTION)
    if value == right:
        return Feedback(name, CORRECT, f"correct! Half of the three tanh runs were at or below 25% training error "
                        f"after {fmt(right)} epochs.")
    if 0 < value < 1:
        raise Advice(f"{fmt(value)} looks like a training error or an accuracy; the question asks for a number "
                     "of epochs (the readout's \"median ... epochs\").")
    relu = _median_epochs("relu", QUESTION["depth"], QUESTION["lr"])
    if value == relu:
        raise Advice(f"{fmt(value)} epochs is what ReLU needed at this setting (the grey dashed line). Choose tanh "
                     "in the activation menu.")
    if value == right - 1:
        raise Advice("one epoch short: epochs are counted from 1, and the readout lists the epoch at which each "
                     "seed first reached 25%. Take the middle of the three.")
    raise Advice(f"not {fmt(value)}. Set the explorer to tanh, depth 3 and learning rate 0.03, and read the median "
                 "of the three seeds in the readout (\"median ... epochs\").")
