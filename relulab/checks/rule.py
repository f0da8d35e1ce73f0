"""Checks for notebooks 00 (the warm-up) and 01 (write ``relu``)."""

import numpy as np

from .core import CORRECT, NOT_YET, WRONG, Advice, Feedback, as_array, call, exercise, fmt

# ---------------------------------------------------------------------------------------
# Notebook 01: write relu.

RELU_SOLUTION = """
def relu(x):
    return np.maximum(0, x)
"""


@exercise("relu", title="write relu", solution=RELU_SOLUTION)
def check_relu(relu) -> Feedback:
    """Check a learner's ``relu``: scalars and arrays of any shape, no in-place change."""
    name = "relu"
    if not callable(relu):
        return Feedback(name, WRONG, "`relu` should be a function: `def relu(x): ...`.")
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    before = x.copy()
    out = as_array(call(relu, x), name, x)
    if not np.array_equal(x, before):
        return Feedback(name, WRONG, "your function changed the array it was given (it wrote "
                        "into `x` in place), so the caller's data is lost. Return a new array "
                        "instead, e.g. `np.maximum(0, x)`.")
    expected = np.maximum(0, x)
    neg, pos, zero = x < 0, x > 0, x == 0
    if np.allclose(out, np.abs(x)):
        return Feedback(name, WRONG, "negative numbers came out positive (relu(-2) gave 2): that "
                        "is `abs`. ReLU turns negative numbers into 0.")
    if np.allclose(out[neg], x[neg]) and np.allclose(out[pos], x[pos]):
        return Feedback(name, WRONG, "negative numbers pass through unchanged (relu(-2) gave -2); "
                        "ReLU turns them into 0.")
    if not np.allclose(out[pos], x[pos]):
        got = ", ".join(fmt(v) for v in out[pos])
        return Feedback(name, WRONG, f"positive numbers should stay as they are: relu(0.5) is 0.5 and "
                        f"relu(3) is 3, but you returned {got}.")
    if not np.allclose(out[neg], 0):
        return Feedback(name, WRONG, f"negative numbers should become 0, but relu(-2) gave {fmt(out[0])}.")
    if not np.allclose(out[zero], 0):
        return Feedback(name, WRONG, f"relu(0) should be 0 (max(0, 0) = 0), but you returned {fmt(out[zero][0])}.")
    assert np.allclose(out, expected)  # the cases above cover every way to differ
    grid = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    not_every_shape = Feedback(name, WRONG, "it works on a 1-D array but not on a 2-D or 3-D one; "
                               "make it work entry by entry whatever the shape (`np.maximum(0, x)` does).")
    try:
        grid_out = as_array(call(relu, grid.copy()), name, grid)
    except (Advice, TypeError, ValueError, IndexError):
        return not_every_shape
    if not np.allclose(grid_out, np.maximum(0, grid)):
        return not_every_shape
    for value, want in [(3.0, 3.0), (-2.0, 0.0), (0.0, 0.0)]:
        got = call(relu, value)
        if got is None or np.ndim(got) != 0 or not np.isclose(float(got), want):
            return Feedback(name, WRONG, f"on a single number: relu({fmt(value)}) should be "
                            f"{fmt(want)}, but you returned {got!r}.")
    return Feedback(name, CORRECT, "correct! 3 → 3, −2 → 0, 0 → 0, on numbers and on arrays of any shape.")


# ---------------------------------------------------------------------------------------
# Notebook 00: a warm-up that shows how checks work.

@exercise("warm_up", title="what is max(0, −3)?", solution="answer = 0", answers="answer")
def check_warm_up(answer) -> Feedback:
    """The warm-up: the learner types the value of max(0, −3)."""
    name = "warm_up"
    if answer is None:
        return Feedback(name, NOT_YET, "not done yet: replace `None` with your answer, run that cell, "
                        "then run this check again.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Feedback(name, WRONG, f"the answer should be a number, not {answer!r}.")
    if value == 0:
        return Feedback(name, CORRECT, "correct! max(0, −3) picks the larger of 0 and −3, which is 0.")
    if value == 3:
        return Feedback(name, WRONG, "3 would mean the sign was flipped. max(0, −3) picks the larger of "
                        "the two numbers 0 and −3.")
    if value == -3:
        return Feedback(name, WRONG, "−3 is the smaller of the two numbers; max picks the larger one.")
    return Feedback(name, WRONG, f"{value:g} is neither 0 nor −3; max(0, −3) must be one of its two inputs.")
