"""The check of notebook 09, the capstone: the learner's trained ``model`` on the 400 held-out digits.

Points come by levels of held-out accuracy (:data:`LEVELS`): each level reached earns its points, so a
model that reaches some levels and not others gets partial credit (``Feedback.points``, which
``relulab.checks.grade`` hands to nbgrader as the cell's score). The held-out digits come from
:func:`relulab.experiments.capstone.held_out`; the notebook never gives them to the learner's cells.

The levels were set from measurements (the capstone's tests repeat them): a linear model trained well
reaches about 84 % (level 1), a ReLU CNN of two blocks about 97–98 % (all three levels), an untrained
network about 10 %.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import nn
from ..experiments.capstone import NUM_HELD_OUT, held_out
from .core import CORRECT, PARTIAL, Advice, Feedback, NotYet, describe_error, exercise

LEVELS = ((0.75, 2), (0.90, 2), (0.95, 2))
"""(held-out accuracy, points): each level reached adds its points; all three make the exercise's 6."""
POINTS = sum(points for _, points in LEVELS)
UNTRAINED = 0.2
"""Below this held-out accuracy (chance is 10 %) the check asks whether the model was trained at all."""

CAPSTONE_SOLUTION = """
import numpy as np
from relulab import nn
from relulab.experiments import capstone
X_train, y_train, X_val, y_val = capstone.shifted_digits()  # as at the top of the notebook

activation = "relu"    # "relu", "leaky_relu", "prelu", "tanh" or "sigmoid"
depth = 2              # blocks of Conv2d -> activation -> MaxPool2d: 1, 2 or 3
learning_rate = 0.05   # SGD's step size
model = capstone.make_cnn(depth, activation, seed=0)
history = nn.fit(model, X_train, y_train, nn.CrossEntropyLoss(),
                 nn.SGD(model.parameters(), lr=learning_rate, momentum=0.9), num_epochs=30,
                 X_val=X_val, y_val=y_val, rng=np.random.default_rng(0), progress=True)
print(f"validation accuracy after {len(history.val_acc)} epochs: {history.val_acc[-1]:.1%}")
"""


def _percent(value: float) -> str:
    return f"{value:.1%}"


def levels_reached(accuracy: float) -> tuple[int, float]:
    """How many levels ``accuracy`` reaches, and the points they earn."""
    reached = [points for threshold, points in LEVELS if accuracy >= threshold]
    return len(reached), float(sum(reached))


def held_out_scores(model) -> np.ndarray:
    """``model``'s scores for the held-out digits, shape (400, 10), or :class:`Advice` saying what to fix."""
    X, _ = held_out()
    blew_up = Advice("your model's scores contain NaN or infinity: its weights blew up during training, which "
                     "usually means the learning rate was too high. Lower it (try 10 times smaller), build the "
                     "model again (fresh weights) and train again.")
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):  # a grade cell must not write to stderr
            warnings.simplefilter("ignore")
            scores = nn.predict(model, X)
    except nn.NonFiniteError:  # a layer refused the NaN that the one before it made
        raise blew_up from None
    except Exception as error:
        raise Advice(f"your model could not read the held-out digits, a batch shaped (N, 1, 9, 9) like `X_train` "
                     f"(N digits, 1 channel, 9 × 9 pixels): it raised {describe_error(error)}. Its first layer "
                     "should take 1 input channel (`nn.Conv2d(1, ...)`), and the Linear layer after Flatten as many "
                     "inputs as the maps hold (the error names the sizes).") from None
    scores = np.asarray(scores)
    if scores.shape != (len(X), 10):
        raise Advice(f"your model should give 10 scores per digit, shape ({len(X)}, 10), one per class 0–9; for "
                     f"{len(X)} digits it gave shape {scores.shape}. End it with Flatten and `nn.Linear(..., 10)`.")
    if not np.all(np.isfinite(scores)):
        raise blew_up
    return scores


@exercise("capstone", title="design and train a CNN for the shifted digits", solution=CAPSTONE_SOLUTION,
          points=POINTS, answers="model")
def check_capstone(model) -> Feedback:
    """Check ``model``: held-out accuracy against :data:`LEVELS`, with a sentence for each way it can fail."""
    if model is None:
        raise NotYet("not done yet: `model` is still None. Make your three choices, build the model, train it "
                     "(all in the cell above), then run this check again.")
    if not isinstance(model, (nn.Module, nn.CompiledModel)):
        raise Advice(f"`model` should be a network of `relulab.nn` (for example an `nn.Sequential` or "
                     f"`capstone.make_cnn(...)`), trained in the cell above; it is a {type(model).__name__}.")
    _, y = held_out()
    accuracy = float(np.mean(held_out_scores(model).argmax(axis=1) == y))
    count, earned = levels_reached(accuracy)
    right = f"{_percent(accuracy)} of the {NUM_HELD_OUT} held-out digits right"
    if accuracy < UNTRAINED:
        raise Advice(f"{right}, about what guessing scores (10%): does your model look untrained? Train it with "
                     "`nn.fit` in the same cell that builds it, and watch the validation accuracy. If you did train "
                     "it, training failed: a learning rate so high that the loss blew up stops `fit` with a warning; "
                     "one too low barely moves the weights.")
    if count == 0:
        raise Advice(f"{right}: below the first level, {LEVELS[0][0]:.0%}. Look at the validation accuracy "
                     "while it trains: if it is still rising, train for more epochs; if it stalls low, try a "
                     "larger learning rate or another activation.")
    if count == len(LEVELS):
        return Feedback("capstone", CORRECT, f"{right}: all {count} levels "
                        f"({', '.join(f'{t:.0%}' for t, _ in LEVELS)}), {earned:g} of {POINTS} points. "
                        "Well designed!")
    following = LEVELS[count][0]
    hint = ("The next level takes more than one template per digit: convolution blocks, whose filters slide, "
            "forgive the shift." if count == 1 else
            "More epochs, another learning rate, or one more block may close the gap.")
    return Feedback("capstone", PARTIAL, f"{right}: level {count} of {len(LEVELS)} reached, {earned:g} of {POINTS} "
                    f"points. The next level is {following:.0%}. {hint}", earned)
