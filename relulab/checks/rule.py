"""Checks for notebooks 00 (the warm-up) and 01 (write ``relu``; predict relu, its slope and a ramp)."""

import numpy as np

from .contract import Elementwise, check_elementwise, fmt, fmt_list
from .core import CORRECT, Advice, Feedback, NotYet, exercise

# ---------------------------------------------------------------------------------------
# Notebook 00: a warm-up that shows how checks work.


@exercise("warm_up", title="what is max(0, −3)?", solution="answer = 0", answers="answer")
def check_warm_up(answer) -> Feedback:
    """The warm-up: the learner types the value of max(0, −3)."""
    if answer is None:
        raise NotYet("not done yet: replace `None` with your answer, run that cell, then run this check again.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise Advice(f"the answer should be a number, not {answer!r}.") from None
    advice = {3: "3 would mean the sign was flipped. max(0, −3) picks the larger of the two numbers 0 and −3.",
              -3: "−3 is the smaller of the two numbers; max picks the larger one."}
    if value == 0:
        return Feedback("warm_up", CORRECT, "correct! max(0, −3) picks the larger of 0 and −3, which is 0.")
    raise Advice(advice.get(value, f"{fmt(value)} is neither 0 nor −3; max(0, −3) must be one of its two inputs."))


# ---------------------------------------------------------------------------------------
# Notebook 01: write relu.

RELU_SOLUTION = """
def relu(x):
    return np.maximum(0, x)
"""

RELU = Elementwise(
    name="relu",
    signature="def relu(x): ...",
    expected=lambda x: np.maximum(0, x),
    mistakes=[
        (np.abs, "negative numbers came out positive: that is `abs`. ReLU turns negative numbers into 0."),
        (lambda x: x, "negative numbers pass through unchanged; ReLU turns them into 0."),
        (lambda x: np.minimum(0, x), "you kept the negative numbers and zeroed the positive ones: the "
                                     "opposite of ReLU (that is `min(0, x)`)."),
        (lambda x: (np.asarray(x) > 0).astype(float), "positive numbers became 1: that is the slope of ReLU "
                                                      "(a step), not ReLU. Positive numbers stay as they are."),
        (lambda x: np.clip(x, 0, 1), "positive numbers are capped at 1; ReLU keeps them whole, however large."),
        (lambda x: np.where(np.asarray(x) >= 0, np.asarray(x) + (np.asarray(x) == 0), 0.0),
         "relu(0) should be 0: max(0, 0) = 0."),
    ],
)


@exercise("relu", title="write relu", solution=RELU_SOLUTION, points=2)
def check_relu(relu) -> Feedback:
    """Check a learner's ``relu`` on numbers, 0-d and n-d arrays, float32/float64, up to ±1e6."""
    check_elementwise(relu, RELU)
    return Feedback("relu", CORRECT, "correct! 3 → 3, −2 → 0, 0 → 0, from −1e6 to 1e6, on single numbers and "
                    "on arrays of any shape, keeping float32 as float32.")


# ---------------------------------------------------------------------------------------
# Notebook 01: predict, before running anything.

PREDICT_X = np.array([-1.5, 0.0, 0.25, 2.0, 7.0])
PREDICTIONS_SOLUTION = """
predicted_relu = [0, 0, 0.25, 2, 7]
predicted_slope = [0, 0, 1, 1, 1]
predicted_ramp = [0, 0, 0.25, 1, 1]
"""


def _prediction(value, label: str) -> np.ndarray:
    if value is None:
        raise NotYet(f"not done yet: replace `None` in `{label}` with your five predictions, run that cell, "
                     "then run this check again.")
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Advice(f"`{label}` should be five numbers, such as [0, 1, 2, 3, 4], not {value!r:.60}.") from None
    if out.shape != PREDICT_X.shape:
        raise Advice(f"`{label}` should hold five numbers, one per entry of x = {fmt_list(PREDICT_X)}; "
                     f"it has shape {out.shape}.")
    return out


def _first_miss(label: str, rule: str, got: np.ndarray, want: np.ndarray) -> str:
    i = int(np.flatnonzero(~np.isclose(got, want))[0])
    return f"{label}: at x = {fmt(PREDICT_X[i])}, {rule} is {fmt(want[i])}, but you predicted {fmt(got[i])}."


@exercise("relu_predictions", title="predict relu, its slope and a ramp", solution=PREDICTIONS_SOLUTION,
          points=2, answers="predicted_relu, predicted_slope, predicted_ramp")
def check_relu_predictions(predicted_relu, predicted_slope, predicted_ramp) -> Feedback:
    """Check three predictions for x = [-1.5, 0, 0.25, 2, 7]: relu(x), its slope (0 at 0), relu(x) - relu(x - 1)."""
    name, x = "relu_predictions", PREDICT_X
    got_relu = _prediction(predicted_relu, "predicted_relu")
    got_slope = _prediction(predicted_slope, "predicted_slope")
    got_ramp = _prediction(predicted_ramp, "predicted_ramp")
    want_relu, want_slope = np.maximum(0, x), (x > 0).astype(float)
    want_ramp = np.maximum(0, x) - np.maximum(0, x - 1)
    if not np.allclose(got_relu, want_relu):
        extra = (" That is the size of x (abs): ReLU turns negative numbers into 0, it does not flip their sign."
                 if np.allclose(got_relu, np.abs(x)) else "")
        raise Advice(_first_miss("predicted_relu", "relu(x)", got_relu, want_relu) + extra)
    notes = []
    slope_ok = np.allclose(got_slope[x != 0], want_slope[x != 0]) and 0 <= got_slope[x == 0][0] <= 1
    if not slope_ok:
        if np.allclose(got_slope, want_relu):
            raise Advice("predicted_slope repeats relu(x). The slope is how much the output moves per unit of "
                         "input: 1 wherever x > 0 (however large x is), 0 where x < 0. " +
                         _first_miss("predicted_slope", "the slope", got_slope, want_slope))
        raise Advice(_first_miss("predicted_slope", "the slope", got_slope, want_slope) +
                     " Left of 0 ReLU is flat (slope 0); right of 0 it is the line output = input (slope 1).")
    if got_slope[x == 0][0] != 0:
        notes.append(f"At the corner x = 0 you chose slope {fmt(got_slope[x == 0][0])}: a valid choice (a "
                     "subgradient); the course and PyTorch use 0.")
    if not np.allclose(got_ramp, want_ramp):
        advice = ""
        if np.allclose(got_ramp, want_relu):
            advice = (" You predicted relu(x) itself: the second hinge, −relu(x − 1), switches on at x = 1 and "
                      "cancels every rise after it, so the ramp levels off at 1.")
        raise Advice(_first_miss("predicted_ramp", "relu(x) − relu(x − 1)", got_ramp, want_ramp) + advice)
    return Feedback(name, CORRECT,
                    " ".join(["correct! relu keeps 0.25, 2 and 7 and zeros the rest; the slope is 1 on the right "
                              "and 0 elsewhere; the ramp rises to 1 and stays there."] + notes))
