"""Checks for notebook 03 (why ReLU): the slopes of ReLU and sigmoid, the fewest hinges for a curve, and
sigmoid's gradient shrink per layer read off the gradient explorer.

The rule at ReLU's corner: ReLU has no derivative at exactly 0. The course (like PyTorch) uses 0
there. Any value between 0 and 1 is a valid *subgradient*, so 1 (from ``x >= 0``) or 0.5 is accepted
too, with a sentence saying what the course uses. A boolean array with the right values is accepted
with a note (True/False act as 1/0 in arithmetic).
"""

import functools
import numbers

import numpy as np

from ..activations import sigmoid
from ..experiments.gradients import layer_signal_sizes, per_layer_factor
from ..experiments.nonlinearity import bumpy, fit_hinges
from .contract import Elementwise, check_elementwise, fmt, read_off
from .core import CORRECT, Advice, Feedback, NotYet, exercise

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


def _step(x):
    return (np.asarray(x) > 0).astype(float)


RELU_DERIVATIVE = Elementwise(
    name="relu_derivative",
    signature="def relu_derivative(x): ...",
    expected=_step,
    accept=lambda got, x: (np.asarray(x) == 0) & (got >= 0) & (got <= 1),  # any subgradient at the corner
    keep_dtype=False,
    allow_bool=True,
    mistakes=[
        (lambda x: np.maximum(0, x), "that is ReLU itself (3 → 3), not its slope. The slope says how much the "
                                     "output moves per unit of input: 1 where x > 0, 0 where x < 0."),
        (np.sign, "negative inputs got slope −1: that is `np.sign(x)`. ReLU is flat on the left, so its slope "
                  "there is 0."),
        (lambda x: (np.asarray(x) < 0).astype(float), "the two sides are swapped: the slope is 1 for positive "
                                                      "inputs (output = input) and 0 for negative ones."),
        (lambda x: np.ones(np.shape(x)), "the slope is not 1 everywhere: for negative inputs ReLU is flat at 0, "
                                         "so the slope there is 0."),
    ],
)

SIGMOID_DERIVATIVE = Elementwise(
    name="sigmoid_derivative",
    signature="def sigmoid_derivative(x): ...",
    expected=lambda x: sigmoid(x) * (1 - sigmoid(x)),
    keep_dtype=False,
    rtol=1e-5,
    atol=1e-9,
    mistakes=[
        (lambda x: sigmoid(x) * (1 + sigmoid(x)), "that is sigmoid(x)·(1 + sigmoid(x)): the sign inside the "
                                                  "bracket should be a minus, s·(1 − s)."),
        (sigmoid, "that is sigmoid itself, not its slope. The slope is s·(1 − s) with s = sigmoid(x)."),
        (lambda x: np.asarray(x) * (1 - np.asarray(x)), "you used x where sigmoid(x) belongs: the formula "
                                                       "s·(1 − s) is written in terms of s = sigmoid(x), so "
                                                       "compute s first."),
        (lambda x: 1 - sigmoid(x) ** 2, "1 − s² is the pattern of tanh's slope (1 − tanh²). Sigmoid's slope is "
                                        "s·(1 − s)."),
        (lambda x: 1 - np.tanh(x) ** 2, "that is the slope of tanh, not of sigmoid. Sigmoid's slope is s·(1 − s)."),
        (lambda x: -sigmoid(x) * (1 - sigmoid(x)), "the sign is flipped: sigmoid rises everywhere, so its slope "
                                                   "is positive, s·(1 − s)."),
        (lambda x: sigmoid(x) * (1 - sigmoid(x)) ** 2, "one factor too many: the slope is s·(1 − s), not s·(1 − s)²."),
        (lambda x: np.exp(-np.asarray(x, dtype=float)) / (1 + np.exp(-np.asarray(x, dtype=float))),
         "that is exp(−x)/(1 + exp(−x)) = 1 − s; the denominator should be squared: exp(−x)/(1 + exp(−x))², "
         "which equals s·(1 − s)."),
        (lambda x: np.exp(-np.asarray(x, dtype=float)) / (1 + np.exp(-np.asarray(x, dtype=float))) ** 2,
         "your formula is right on paper, but np.exp(1e6) overflows to inf and inf / inf is nan. Compute "
         "s = sigmoid(x) first (the course's sigmoid never overflows) and return s * (1 - s)."),
    ],
)


@exercise("relu_derivative", title="the slope of ReLU", solution=RELU_DERIVATIVE_SOLUTION)
def check_relu_derivative(relu_derivative) -> Feedback:
    """Check a learner's slope of ReLU: 0 for negatives, 1 for positives, a value in [0, 1] at 0."""
    check_elementwise(relu_derivative, RELU_DERIVATIVE)
    with np.errstate(all="ignore"):
        at_zero, as_bool = relu_derivative(np.array([0.0, 1.0])), relu_derivative(np.array([1.0]))
    notes = []
    if float(np.asarray(at_zero, dtype=float)[0]) != 0:
        notes.append(f"At exactly 0 you chose {fmt(np.asarray(at_zero, dtype=float)[0])}: a valid choice (a "
                     "subgradient), though the course and PyTorch use 0.")
    if np.asarray(as_bool).dtype == bool:
        notes.append("You return True/False; numpy treats them as 1/0 in arithmetic, and `.astype(float)` turns "
                     "them into numbers if you need floats.")
    return Feedback("relu_derivative", CORRECT, " ".join(["correct! slope 0 on the left, 1 on the right, for "
                                                          "every size of input."] + notes))


@exercise("sigmoid_derivative", title="the slope of sigmoid", solution=SIGMOID_DERIVATIVE_SOLUTION, points=2)
def check_sigmoid_derivative(sigmoid_derivative) -> Feedback:
    """Check a learner's slope of sigmoid, ``s * (1 - s)`` with ``s = sigmoid(x)``, on numbers and arrays."""
    check_elementwise(sigmoid_derivative, SIGMOID_DERIVATIVE)
    return Feedback("sigmoid_derivative", CORRECT, "correct! the slope s·(1 − s) peaks at 0.25 at x = 0 and fades "
                    "to almost 0 on both sides: that is saturation.")


# ---------------------------------------------------------------------------------------
# Measure: the fewest hinges for a root-mean-square error under 0.05.

HINGE_X = np.linspace(-np.pi, np.pi, 400)
HINGE_TARGET_ERROR = 0.05
MAX_HINGES = 30

FEWEST_HINGES_SOLUTION = """
fewest_hinges = next(n for n in range(100) if fit_hinges(x_grid, target, n)["error"] < 0.05)
"""


@functools.cache
def hinge_errors(key: str = "error") -> tuple[float, ...]:
    """The root-mean-square (``"error"``) or largest (``"max_error"``) error for 0..MAX_HINGES hinges."""
    return tuple(fit_hinges(HINGE_X, bumpy(HINGE_X), n)[key] for n in range(MAX_HINGES + 1))


@exercise("fewest_hinges", title="measure: the fewest hinges for an error under 0.05",
          solution=FEWEST_HINGES_SOLUTION, points=2)
def check_fewest_hinges(fewest_hinges) -> Feedback:
    """Check the smallest N whose N-hinge fit of ``bumpy`` on 400 points has a root-mean-square error below 0.05."""
    name = "fewest_hinges"
    if fewest_hinges is None:
        raise NotYet("not done yet: replace `None` with the number of hinges you measured, run that cell, then "
                     "run this check again.")
    if isinstance(fewest_hinges, bool) or not isinstance(fewest_hinges, numbers.Real):
        raise Advice(f"`fewest_hinges` should be a whole number of hinges, such as 12, not {fewest_hinges!r:.60}.")
    errors = hinge_errors()
    right = next(n for n, e in enumerate(errors) if e < HINGE_TARGET_ERROR)
    value = float(fewest_hinges)
    if value != int(value) or value < 0:
        if 0 < value < 1:
            raise Advice(f"{fmt(value)} looks like an error, not a number of hinges. The answer is the smallest N "
                         "(a whole number) for which `fit_hinges(x_grid, target, N)['error']` is below 0.05.")
        raise Advice(f"a number of hinges is a whole number, 0 or more, not {fmt(value)}.")
    n = int(value)
    if n == right:
        return Feedback(name, CORRECT, f"correct! {n} hinges bring the error to {errors[n]:.4f}, under 0.05; "
                        f"{n - 1} give {errors[n - 1]:.4f}.")
    if n > MAX_HINGES:
        raise Advice(f"{n} hinges would do, but far fewer are enough: with {right + 5} the error is already "
                     f"{errors[right + 5]:.4f}. Look for the smallest N.")
    max_errors = hinge_errors("max_error")
    if n == next((k for k, e in enumerate(max_errors) if e < HINGE_TARGET_ERROR), None):
        raise Advice(f"with {n} hinges the *largest* error drops under 0.05; the question asks for the "
                     f"root-mean-square error, `fit_hinges(...)['error']`, which is under 0.05 from fewer hinges.")
    if errors[n] < HINGE_TARGET_ERROR:
        raise Advice(f"with {n} hinges the error is {errors[n]:.4f}, under 0.05, but fewer are enough: with "
                     f"{n - 1} it is {errors[n - 1]:.4f}. Look for the smallest N, trying them in order.")
    raise Advice(f"with {n} hinges the root-mean-square error is {errors[n]:.4f}, not under 0.05. Measure it: "
                 "`fit_hinges(x_grid, target, n)['error']` for n = 0, 1, 2, ... and stop at the first under 0.05.")


# ---------------------------------------------------------------------------------------
# Read off the explorer: how much sigmoid's gradient shrinks per layer in a 20-layer network.

SHRINK_DEPTH = 20
SHRINK_TOLERANCE = 0.06
"""The readout shows two significant digits (÷4.3): a copied value is within 0.05 of the factor."""

SIGMOID_SHRINK_SOLUTION = """
sigmoid_shrink = 4.3  # the readout at 20 hidden layers: "sigmoid: gradient ÷4.3 per layer toward the input"
"""


@functools.cache
def shrink_per_layer(depth: int = SHRINK_DEPTH, activation: str = "sigmoid", init: str = "usual") -> float:
    """The factor the gradient explorer reads out: ``per_layer_factor`` of ``layer_signal_sizes``'s gradients."""
    return per_layer_factor(layer_signal_sizes(depth, activation, init)["grad"])


@exercise("sigmoid_shrink", title="read off the explorer: sigmoid's gradient shrink per layer",
          solution=SIGMOID_SHRINK_SOLUTION, points=1)
def check_sigmoid_shrink(sigmoid_shrink) -> Feedback:
    """Check the per-layer shrink of sigmoid's gradient read off the gradient explorer at 20 hidden layers."""
    name = "sigmoid_shrink"
    value = read_off(sigmoid_shrink, name, "2.5")
    want = shrink_per_layer()
    if abs(value - want) <= SHRINK_TOLERANCE:
        return Feedback(name, CORRECT, f"correct! at {SHRINK_DEPTH} hidden layers sigmoid's gradient shrinks by "
                        f"about {want:.2g} at every layer toward the input, so the first hidden layer gets roughly "
                        f"{want:.2g}^{SHRINK_DEPTH - 1} ≈ {want ** (SHRINK_DEPTH - 1):.0e} times less than the last.")
    if abs(value - 1 / want) <= 0.02:
        raise Advice(f"{fmt(value)} is 1 ÷ {want:.2g}: the readout writes ÷{want:.2g}, meaning the gradient is "
                     f"divided by {want:.2g} at each layer. Type the number after the ÷ sign.")
    if abs(value - shrink_per_layer(10)) <= SHRINK_TOLERANCE:
        raise Advice(f"{fmt(value)} is the factor at 10 hidden layers, where the explorer starts. Move the "
                     f"'hidden layers' slider to {SHRINK_DEPTH} and read it again.")
    if abs(value - shrink_per_layer(init="he")) <= SHRINK_TOLERANCE:
        raise Advice(f"{fmt(value)} is sigmoid's factor with He's initialisation. Set the initialisation back to "
                     "'usual' (Xavier for sigmoid) and read it again.")
    for other in ("relu", "tanh"):
        if abs(value - shrink_per_layer(activation=other)) <= SHRINK_TOLERANCE or (
                value == 1 and 1 / 1.05 <= shrink_per_layer(activation=other) <= 1.05):
            raise Advice(f"{fmt(value)} is {other}'s factor, not sigmoid's. The question asks about sigmoid, the "
                         "first phrase of the readout.")
    raise Advice(f"{fmt(value)} is not what the readout says for sigmoid at {SHRINK_DEPTH} hidden layers with the "
                 "usual initialisation. Set those two controls and copy the number after 'sigmoid: gradient ÷'.")
