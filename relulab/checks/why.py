"""Checks for notebook 03 (why ReLU): write the slope of ReLU and the slope of sigmoid.

The rule at ReLU's corner: ReLU has no derivative at exactly 0. The course (like PyTorch) uses 0
there. Any value between 0 and 1 is a valid *subgradient*, so 1 (from ``x >= 0``) or 0.5 is accepted
too, with a sentence saying what the course uses. A boolean array with the right values is accepted
with a note (True/False act as 1/0 in arithmetic).
"""

import numpy as np

from ..activations import sigmoid
from .core import CORRECT, WRONG, Advice, Feedback, as_array, exercise, fmt

RELU_DERIVATIVE_SOLUTION = """
def relu_derivative(x):
    return (np.asarray(x) > 0).astype(float)
"""

SIGMOID_DERIVATIVE_SOLUTION = """
from relulab.activations import sigmoid  # already imported at the top of the notebook


def sigmoid_derivative(x):
    s = sigmoid(x)
    return s * (1 - s)
"""


def _call(fn, x):
    """Call the learner's function; turn the usual "one number at a time" errors into advice."""
    try:
        return fn(x)
    except NotImplementedError:
        raise
    except ValueError as error:
        if "truth value of an array" in str(error):
            raise Advice("it works on one number but fails on an array: `if x > 0:` asks one question about "
                         "the whole array. Compare entry by entry instead, e.g. `x > 0` gives an array of "
                         "True/False, and `np.where(x > 0, 1.0, 0.0)` turns it into slopes.") from None
        raise
    except TypeError as error:
        if "arrays can be converted" in str(error):
            raise Advice("it fails on an array: functions from the `math` module (such as `math.exp`) take "
                         "one number at a time. Use numpy's versions (`np.exp`), which work entry by "
                         "entry.") from None
        raise


def _unchanged(fn, x, name):
    """Run ``fn`` on a copy-protected ``x``; return the output, or raise Advice on an in-place change."""
    before = x.copy()
    out = as_array(_call(fn, x), name, x)
    if not np.array_equal(x, before):
        raise Advice("your function changed the array it was given (it wrote into `x` in place), so the "
                     "caller's data is lost. Compute a new array instead of assigning into `x`.")
    return out


def _scalar(fn, value, want, name):
    got = _call(fn, value)
    if got is None or np.ndim(got) != 0 or not np.isclose(float(got), want, atol=1e-6):
        raise Advice(f"on a single number: {name}({fmt(value)}) should be {want:g}, but you returned {got!r}.")


@exercise("relu_derivative", title="the slope of ReLU", solution=RELU_DERIVATIVE_SOLUTION)
def check_relu_derivative(relu_derivative) -> Feedback:
    """Check a learner's slope of ReLU: 0 for negatives, 1 for positives, a value in [0, 1] at 0."""
    name = "relu_derivative"
    if not callable(relu_derivative):
        return Feedback(name, WRONG, "`relu_derivative` should be a function: `def relu_derivative(x): ...`.")
    x = np.array([-3.0, -0.5, 0.0, 0.5, 2.0, 3.0])
    neg, pos, zero = x < 0, x > 0, x == 0
    out = _unchanged(relu_derivative, x, name)
    is_bool = out.dtype == bool
    out = out.astype(float)
    if np.allclose(out, np.maximum(0, x)):
        return Feedback(name, WRONG, "that is ReLU itself (3 → 3), not its slope. The slope says how much "
                        "the output moves per unit of input: 1 where x > 0, 0 where x < 0.")
    if np.allclose(out[neg], -1) and np.allclose(out[pos], 1):
        return Feedback(name, WRONG, "negative inputs got slope −1: that is `np.sign(x)`. ReLU is flat on "
                        "the left, so its slope there is 0.")
    if np.allclose(out[pos], 0) and np.allclose(out[neg], 1):
        return Feedback(name, WRONG, "the two sides are swapped: the slope is 1 for positive inputs "
                        "(output = input) and 0 for negative ones (output stays 0).")
    if not np.allclose(out[pos], 1):
        got = ", ".join(fmt(v) for v in out[pos])
        return Feedback(name, WRONG, f"for positive inputs ReLU is the line output = input, so the slope "
                        f"is 1 everywhere there; at 0.5, 2 and 3 you returned {got}.")
    if not np.allclose(out[neg], 0):
        got = ", ".join(fmt(v) for v in out[neg])
        return Feedback(name, WRONG, f"for negative inputs ReLU is flat at 0, so the slope is 0; at −3 and "
                        f"−0.5 you returned {got}.")
    at_zero = float(out[zero][0])
    if not 0 <= at_zero <= 1:
        return Feedback(name, WRONG, f"at exactly 0 you returned {fmt(at_zero)}. ReLU has a corner there; any "
                        "value between 0 and 1 is a fair choice (the course and PyTorch use 0), but "
                        f"{fmt(at_zero)} is not between them.")
    grid = np.linspace(-2, 2, 24).reshape(2, 3, 4)
    grid_out = as_array(_call(relu_derivative, grid.copy()), name, grid).astype(float)
    if not np.allclose(grid_out, (grid > 0).astype(float)):
        return Feedback(name, WRONG, "it works on a 1-D array but not on a 2-D or 3-D one; make it work "
                        "entry by entry, whatever the shape.")
    for value, want in [(3.0, 1.0), (-2.0, 0.0)]:
        _scalar(relu_derivative, value, want, name)
    notes = []
    if at_zero != 0:
        notes.append(f"At exactly 0 you chose {fmt(at_zero)}: a valid choice (a subgradient), though the course "
                     "and PyTorch use 0.")
    if is_bool:
        notes.append("You return True/False; numpy treats them as 1/0 in arithmetic, and `.astype(float)` "
                     "turns them into numbers if you need floats.")
    return Feedback(name, CORRECT, " ".join(["correct! slope 0 on the left, 1 on the right."] + notes))


@exercise("sigmoid_derivative", title="the slope of sigmoid", solution=SIGMOID_DERIVATIVE_SOLUTION)
def check_sigmoid_derivative(sigmoid_derivative) -> Feedback:
    """Check a learner's slope of sigmoid, ``s * (1 - s)`` with ``s = sigmoid(x)``, on numbers and arrays."""
    name = "sigmoid_derivative"
    if not callable(sigmoid_derivative):
        return Feedback(name, WRONG, "`sigmoid_derivative` should be a function: `def sigmoid_derivative(x): ...`.")
    x = np.array([-6.0, -2.0, -0.5, 0.0, 0.5, 2.0, 6.0])
    s = sigmoid(x)
    expected = s * (1 - s)
    out = _unchanged(sigmoid_derivative, x, name).astype(float)
    if np.allclose(out, expected, rtol=1e-5, atol=1e-9):
        grid = np.linspace(-4, 4, 24).reshape(2, 3, 4)
        grid_out = as_array(_call(sigmoid_derivative, grid.copy()), name, grid).astype(float)
        sg = sigmoid(grid)
        if not np.allclose(grid_out, sg * (1 - sg), rtol=1e-5, atol=1e-9):
            return Feedback(name, WRONG, "it works on a 1-D array but not on a 2-D or 3-D one; make it "
                            "work entry by entry, whatever the shape.")
        _scalar(sigmoid_derivative, 0.0, 0.25, name)
        return Feedback(name, CORRECT, "correct! the slope s·(1 − s) peaks at 0.25 at x = 0 and fades to "
                        "almost 0 on both sides: that is saturation.")
    mistakes = [
        (s * (1 + s), "that is sigmoid(x)·(1 + sigmoid(x)): the sign inside the bracket should be a minus, "
                      "s·(1 − s)."),
        (s, "that is sigmoid itself, not its slope. The slope is s·(1 − s) with s = sigmoid(x)."),
        (x * (1 - x), "you used x where sigmoid(x) belongs: the formula s·(1 − s) is written in terms of "
                      "the sigmoid's output s = sigmoid(x), so compute s first."),
        (1 - s ** 2, "1 − s² is the pattern of tanh's slope (1 − tanh²). Sigmoid's slope is s·(1 − s)."),
        (1 - np.tanh(x) ** 2, "that is the slope of tanh, not of sigmoid. Sigmoid's slope is s·(1 − s)."),
        (-expected, "the sign is flipped: sigmoid rises everywhere, so its slope is positive, s·(1 − s)."),
        (s * (1 - s) ** 2, "one factor too many: the slope is s·(1 − s), not s·(1 − s)²."),
        (np.exp(-x) / (1 + np.exp(-x)), "that is exp(−x)/(1 + exp(−x)) = 1 − s; the denominator should be "
                                         "squared: exp(−x)/(1 + exp(−x))², which equals s·(1 − s)."),
    ]
    for wrong, message in mistakes:
        if np.allclose(out, wrong, rtol=1e-5, atol=1e-9):
            return Feedback(name, WRONG, message)
    if out.max() > 0.25 + 1e-6:
        return Feedback(name, WRONG, f"your slope reaches {out.max():.3g}, but sigmoid's slope is never "
                        "larger than 0.25 (its value at 0). Check the formula s·(1 − s) with s = sigmoid(x).")
    i = int(np.argmax(np.abs(out - expected)))
    return Feedback(name, WRONG, f"at x = {fmt(x[i])} the slope should be {expected[i]:.4f} but you returned "
                    f"{out[i]:.4f}. Use s = sigmoid(x) and return s * (1 - s).")
