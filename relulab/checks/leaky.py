"""Checks for notebook 04: write Leaky ReLU, forward and backward."""

import numpy as np

from .core import CORRECT, WRONG, Feedback, as_array, call, exercise, fmt

ALPHAS = (0.01, 0.2, 0.5)
"""The slopes every answer is tried with: the default, and two others (catches a hard-coded 0.01)."""

FORWARD_SOLUTION = """
def leaky_relu(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x)
"""

BACKWARD_SOLUTION = """
def leaky_relu_backward(dout, x, alpha=0.01):
    return dout * np.where(x > 0, 1.0, alpha)
"""


def _reference(x, alpha):
    return np.where(x > 0, x, alpha * x)


def _reference_backward(dout, x, alpha):
    return dout * np.where(x > 0, 1.0, alpha)


def numerical_gradient(dout, x, alpha, h=1e-6):
    """Central differences of ``sum(dout * leaky_relu(x, alpha))`` with respect to each entry of ``x``.

    dout, x: arrays of the same shape (no entry of ``x`` within ``h`` of 0) -> array of that shape.
    """
    x = np.asarray(x, dtype=float)
    return dout * (_reference(x + h, alpha) - _reference(x - h, alpha)) / (2 * h)


def _call(fn, name, *args):
    """Call the learner's function, with a Leaky-specific hint for the classic array mistake."""
    return call(fn, *args, array_hint=(
        f"`{name}` works on one number but fails on an array: `max(...)` or `if x > 0:` look at the whole "
        "array at once. Use `np.where(x > 0, ..., ...)` or `np.maximum`, which work entry by entry."))


def _wrote_in_place(name, *pairs):
    for given, before in pairs:
        if not np.array_equal(given, before):
            return Feedback(name, WRONG, "your function changed an array it was given (it wrote into it in "
                            "place), so the caller's data is lost. Build and return a new array instead, "
                            "e.g. with `np.where`.")
    return None


@exercise("leaky_relu_forward", title="write Leaky ReLU (forward)", solution=FORWARD_SOLUTION,
          answers="leaky_relu")
def check_leaky_relu_forward(leaky_relu) -> Feedback:
    """Check ``leaky_relu(x, alpha=0.01)``: several alphas, arrays of any shape, numbers, no in-place change."""
    name = "leaky_relu_forward"
    if not callable(leaky_relu):
        return Feedback(name, WRONG, "`leaky_relu` should be a function: `def leaky_relu(x, alpha=0.01): ...`.")
    x = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 2.0])
    neg, pos = x < 0, x > 0
    for alpha in ALPHAS:
        given = x.copy()
        args = (given,) if alpha == 0.01 else (given, alpha)
        out = as_array(_call(leaky_relu, "leaky_relu", *args), "leaky_relu", x)
        problem = _wrote_in_place(name, (given, x))
        if problem is not None:
            return problem
        want = _reference(x, alpha)
        if np.allclose(out, want):
            continue
        said = f"with alpha={fmt(alpha)}" if alpha != 0.01 else "with the default alpha (0.01)"
        if alpha != 0.01 and np.allclose(out[neg], 0.01 * x[neg]):
            return Feedback(name, WRONG, f"{said} negatives were multiplied by 0.01: the slope is "
                            "hard-coded. Use the `alpha` argument, so `leaky_relu(x, 0.2)` uses 0.2.")
        if np.allclose(out[pos], alpha * x[pos]):
            return Feedback(name, WRONG, f"{said} positive numbers were multiplied by alpha "
                            f"(leaky_relu(2) gave {fmt(out[-1])}). The small slope belongs to the "
                            "negative side; positives pass through unchanged.")
        if np.allclose(out[neg], alpha):
            return Feedback(name, WRONG, f"{said} every negative input became {fmt(alpha)} itself: that "
                            "is `max(alpha, x)`. Multiply first: `max(alpha * x, x)`, i.e. "
                            "`np.maximum(alpha * x, x)`, or `np.where(x > 0, x, alpha * x)`.")
        if np.allclose(out[neg], 0):
            return Feedback(name, WRONG, f"{said} negatives became 0: that is plain ReLU. Leaky ReLU "
                            "lets `alpha * x` through, e.g. leaky_relu(-3, 0.2) = -0.6.")
        if np.allclose(out[neg], x[neg]):
            return Feedback(name, WRONG, f"{said} negatives came out unchanged; they should be "
                            "multiplied by alpha (leaky_relu(-3, 0.2) = -0.6).")
        if not np.allclose(out[pos], x[pos]):
            return Feedback(name, WRONG, f"{said} positive numbers should pass unchanged "
                            f"(leaky_relu(2) = 2), but you returned {fmt(out[-1])}.")
        bad = int(np.flatnonzero(~np.isclose(out, want))[0])
        return Feedback(name, WRONG, f"{said}, leaky_relu({fmt(x[bad])}) should be {fmt(want[bad])}, "
                        f"but you returned {fmt(out[bad])}.")
    grid = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    out = as_array(_call(leaky_relu, "leaky_relu", grid.copy(), 0.2), "leaky_relu", grid)
    if not np.allclose(out, _reference(grid, 0.2)):
        return Feedback(name, WRONG, "it works on a 1-D array but not on a 2-D or 3-D one; "
                        "make it work entry by entry, whatever the shape.")
    for value, want in [(3.0, 3.0), (-2.0, -0.2)]:
        got = _call(leaky_relu, "leaky_relu", value, 0.1)
        if got is None or np.ndim(got) != 0 or not np.isclose(float(got), want):
            return Feedback(name, WRONG, f"on a single number: leaky_relu({fmt(value)}, 0.1) should be "
                            f"{fmt(want)}, but you returned {got!r}.")
    return Feedback(name, CORRECT, "correct! positives pass, negatives are scaled by alpha (−3 → −0.6 with "
                    "alpha = 0.2), for any alpha, shape or single number.")


@exercise("leaky_relu_backward", title="write Leaky ReLU (backward)", solution=BACKWARD_SOLUTION)
def check_leaky_relu_backward(leaky_relu_backward) -> Feedback:
    """Check ``leaky_relu_backward(dout, x, alpha=0.01)`` against the rule and a numerical gradient."""
    name = "leaky_relu_backward"
    if not callable(leaky_relu_backward):
        return Feedback(name, WRONG, "`leaky_relu_backward` should be a function: "
                        "`def leaky_relu_backward(dout, x, alpha=0.01): ...`.")
    x = np.array([[-3.0, -1.0, -0.5], [0.5, 2.0, 4.0]])
    dout = np.array([[2.0, -1.0, 3.0], [-2.0, 0.5, 3.0]])
    neg, pos = x < 0, x > 0
    for alpha in ALPHAS:
        x_given, dout_given = x.copy(), dout.copy()
        args = (dout_given, x_given) if alpha == 0.01 else (dout_given, x_given, alpha)
        dx = as_array(_call(leaky_relu_backward, "leaky_relu_backward", *args), "leaky_relu_backward", x)
        problem = _wrote_in_place(name, (x_given, x), (dout_given, dout))
        if problem is not None:
            return problem
        want = _reference_backward(dout, x, alpha)
        numeric = numerical_gradient(dout, x, alpha)
        if np.allclose(dx, want) and np.allclose(dx, numeric, atol=1e-5):
            continue
        said = f"with alpha={fmt(alpha)}" if alpha != 0.01 else "with the default alpha (0.01)"
        if np.allclose(dx, np.where(x > 0, 1.0, alpha)):
            return Feedback(name, WRONG, f"{said} you returned the local slope (1 or alpha) but forgot "
                            "`dout`: the chain rule multiplies the slope by the gradient arriving from "
                            "above, `dout * slope`.")
        if np.allclose(dx, _reference_backward(x, dout, alpha)):
            return Feedback(name, WRONG, "the arguments seem swapped: the function is called as "
                            "`leaky_relu_backward(dout, x, alpha)`, gradient first, then the input.")
        if alpha != 0.01 and np.allclose(dx[neg], 0.01 * dout[neg]):
            return Feedback(name, WRONG, f"{said} negative inputs passed 0.01 · dout: the slope is "
                            "hard-coded. Use the `alpha` argument.")
        if np.allclose(dx[pos], alpha * dout[pos]):
            return Feedback(name, WRONG, f"{said} the gradient at positive inputs was multiplied by "
                            "alpha. There Leaky ReLU is the identity, slope 1: pass `dout` unchanged.")
        if np.allclose(dx[neg], 0):
            return Feedback(name, WRONG, f"{said} no gradient passed at negative inputs: that is ReLU's "
                            "backward, `dout * (x > 0)`, the very line that lets units die. Leaky ReLU "
                            "passes `alpha * dout` there.")
        if np.allclose(dx, dout):
            return Feedback(name, WRONG, f"{said} you passed `dout` through unchanged everywhere; at "
                            "negative inputs it must be multiplied by alpha.")
        if np.allclose(dx, np.where(dout > 0, dout, alpha * dout)):
            return Feedback(name, WRONG, f"{said} you chose the slope from the sign of `dout`; it depends "
                            "on the sign of the input `x` (the side of the bend the input was on).")
        bad = tuple(int(i) for i in np.argwhere(~np.isclose(dx, want))[0])
        return Feedback(name, WRONG, f"{said}, for x = {fmt(x[bad])} and dout = {fmt(dout[bad])} the gradient "
                        f"should be {fmt(want[bad])} (a numerical gradient gives {numeric[bad]:.4g}), "
                        f"but you returned {fmt(dx[bad])}.")
    return Feedback(name, CORRECT, "correct! dout passes where x > 0 and is scaled by alpha where x < 0, "
                    "and it matches a numerical gradient to 1e-5, for every alpha tried.")
