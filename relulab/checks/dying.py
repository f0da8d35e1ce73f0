"""Checks for notebook 04: count dead units; Leaky ReLU forward and backward; PReLU's slope gradient; the dead
units after training at a large learning rate, read off the dying explorer.

The slope argument is ``negative_slope``, PyTorch's name. Gradients are compared with
``relulab.nn.numerical_gradient``, the course's one numerical gradient.
"""

import functools
import numbers

import numpy as np

from ..experiments.dying import dying_grid
from ..nn import numerical_gradient
from .contract import (
    Elementwise,
    Probe,
    call,
    check_elementwise,
    fmt,
    fmt_list,
    learners_function,
    read_off,
    standard_probes,
)
from .core import CORRECT, Advice, Feedback, exercise

SLOPES = ({}, {"negative_slope": 0.2}, {"negative_slope": 0.5}, {"negative_slope": 1.5})
"""The slopes every answer is tried with: the default, and others (catches a hard-coded 0.01; 1.5 catches
``np.maximum(negative_slope * x, x)``, right only for slopes below 1), always passed by name."""

FORWARD_SOLUTION = """
def leaky_relu(x, negative_slope=0.01):
    return np.where(x > 0, x, negative_slope * x)
"""

BACKWARD_SOLUTION = """
def leaky_relu_backward(dout, x, negative_slope=0.01):
    return dout * np.where(x > 0, 1.0, negative_slope)
"""


def _forward(x, negative_slope=0.01):
    x = np.asarray(x)
    return np.where(x > 0, x, negative_slope * x)


def _backward(dout, x, negative_slope=0.01):
    return np.asarray(dout) * np.where(np.asarray(x) > 0, 1.0, negative_slope)


def _dout_for(x):
    """A fixed upstream gradient shaped like ``x``: mixed signs and sizes, no zeros."""
    x = np.asarray(x)
    pattern = np.resize(np.array([2.0, -1.0, 3.0, -2.0, 0.5, 4.0, -0.25]), x.shape)
    return pattern.astype(x.dtype) if x.dtype.kind == "f" else pattern


def _numeric_backward(args, kwargs) -> float:
    """For one entry (dout, x): the gradient of ``dout * leaky_relu(x)`` with respect to x, by central differences."""
    dout, x = float(args[0]), np.array([float(args[1])])
    slope = kwargs.get("negative_slope", 0.01)
    return float(numerical_gradient(lambda: float(dout * _forward(x, slope)[0]), x)[0])


def _slope(kwargs):
    return kwargs.get("negative_slope", 0.01)


FORWARD = Elementwise(
    name="leaky_relu",
    signature="def leaky_relu(x, negative_slope=0.01): ...",
    expected=_forward,
    calls=SLOPES,
    mistakes=[
        (lambda x, **k: np.maximum(_slope(k) * np.asarray(x), x),
         "`np.maximum(negative_slope * x, x)` is right only for slopes below 1; with a slope above 1 (PReLU can "
         "learn one) it picks the wrong side. Use `np.where(x > 0, x, negative_slope * x)`."),
        (lambda x, **k: np.where(np.asarray(x) > 0, _slope(k) * np.asarray(x), x),
         "positive numbers were multiplied by negative_slope. The small slope belongs to the negative side; "
         "positives pass through unchanged."),
        (lambda x, **k: np.where(np.asarray(x) > 0, x, 0.01 * np.asarray(x)),
         "negatives were multiplied by 0.01 whatever slope was asked for: the slope is hard-coded. Use the "
         "`negative_slope` argument, so `leaky_relu(x, negative_slope=0.2)` uses 0.2."),
        (lambda x, **k: np.maximum(_slope(k), x),
         "every negative input became negative_slope itself: that is `max(negative_slope, x)`. Multiply first: "
         "`np.where(x > 0, x, negative_slope * x)`."),
        (lambda x, **k: np.maximum(0, x), "negatives became 0: that is plain ReLU. Leaky ReLU lets "
                                          "`negative_slope * x` through, e.g. leaky_relu(-3, 0.2) = -0.6."),
        (lambda x, **k: x, "negatives came out unchanged; they should be multiplied by negative_slope "
                           "(leaky_relu(-3, 0.2) = -0.6)."),
    ],
)

BACKWARD = Elementwise(
    name="leaky_relu_backward",
    signature="def leaky_relu_backward(dout, x, negative_slope=0.01): ...",
    expected=_backward,
    calls=SLOPES,
    extra=lambda x: (_dout_for(x), x),
    keep_dtype=False,  # np.where(x > 0, 1.0, slope) is float64: a float32 dout comes back as float64
    numeric=_numeric_backward,
    mistakes=[
        (lambda dout, x, **k: np.where(np.asarray(x) > 0, 1.0, _slope(k)) + 0 * np.asarray(dout),
         "you returned the local slope (1 or negative_slope) but forgot `dout`: the chain rule multiplies the "
         "slope by the gradient arriving from above, `dout * slope`."),
        (lambda dout, x, **k: _backward(x, dout, _slope(k)),
         "the arguments seem swapped: the function is called as `leaky_relu_backward(dout, x, negative_slope)`, "
         "gradient first, then the input."),
        (lambda dout, x, **k: _backward(dout, x, 0.01),
         "negative inputs passed 0.01 · dout whatever slope was asked for: the slope is hard-coded. Use the "
         "`negative_slope` argument."),
        (lambda dout, x, **k: np.where(np.asarray(x) > 0, _slope(k) * np.asarray(dout), dout),
         "the gradient at positive inputs was multiplied by negative_slope. There Leaky ReLU is the identity, "
         "slope 1: pass `dout` unchanged."),
        (lambda dout, x, **k: np.asarray(dout) * (np.asarray(x) > 0),
         "no gradient passed at negative inputs: that is ReLU's backward, `dout * (x > 0)`, the very line that "
         "lets units die. Leaky ReLU passes `negative_slope * dout` there."),
        (lambda dout, x, **k: dout, "you passed `dout` through unchanged everywhere; at negative inputs it must be "
                                    "multiplied by negative_slope."),
        (lambda dout, x, **k: np.where(np.asarray(dout) > 0, dout, _slope(k) * np.asarray(dout)),
         "you chose the slope from the sign of `dout`; it depends on the sign of the input `x` (the side of the "
         "bend the input was on)."),
    ],
)


@exercise("leaky_relu_forward", title="write Leaky ReLU (forward)", solution=FORWARD_SOLUTION, points=2,
          answers="leaky_relu")
def check_leaky_relu_forward(leaky_relu) -> Feedback:
    """Check ``leaky_relu(x, negative_slope=0.01)``: several slopes, any shape, numbers, ±1e6, no in-place change."""
    check_elementwise(leaky_relu, FORWARD)
    return Feedback("leaky_relu_forward", CORRECT, "correct! positives pass, negatives are scaled by "
                    "negative_slope (−3 → −0.6 with negative_slope = 0.2), for any slope, shape or single number.")


@exercise("leaky_relu_backward", title="write Leaky ReLU (backward)", solution=BACKWARD_SOLUTION, points=2)
def check_leaky_relu_backward(leaky_relu_backward) -> Feedback:
    """Check ``leaky_relu_backward(dout, x, negative_slope=0.01)`` against the rule and a numerical gradient."""
    check_elementwise(leaky_relu_backward, BACKWARD)
    return Feedback("leaky_relu_backward", CORRECT, "correct! dout passes where x > 0 and is scaled by "
                    "negative_slope where x ≤ 0, matching a numerical gradient, for every slope tried.")


# ---------------------------------------------------------------------------------------
# count_dead: how many units output 0 for every example.

COUNT_DEAD_SOLUTION = """
def count_dead(activations):
    return int((activations == 0).all(axis=0).sum())
"""


def _dead_cases() -> list[np.ndarray]:
    """ReLU activations (N examples, units) with planted dead units, a tiny-but-alive one, -0.0 zeros."""
    rng = np.random.default_rng(4)
    a = np.maximum(0, rng.normal(size=(12, 9)))
    a[:, [1, 5]] = 0.0  # two dead units
    a[:, 7] = np.where(np.arange(12) == 3, 1e-9, 0.0)  # alive, but only just, on one example
    a[0, :] = 0.0  # one example that switches every unit off
    a[2, 2] = -0.0  # a negative zero is still zero
    b = np.maximum(0, rng.normal(size=(200, 6)) * 1e6)
    b[:, 3] = 0.0
    b[:, 0] = np.where(np.arange(200) == 199, 5e5, 0.0)  # wakes up on the very last example
    return [a, a.astype(np.float32), b, np.zeros((5, 4)), a[:1], np.maximum(0, rng.normal(size=(7, 1)) + 3)]


def _count_dead(a):
    return int((np.asarray(a) == 0).all(axis=0).sum())


WRONG_COUNTS = [
    (lambda a: int((a == 0).sum()), "you counted every zero in the array. A unit is dead only if it is 0 for "
                                    "*every* example: count the columns that are all zero, "
                                    "`(activations == 0).all(axis=0)`."),
    (lambda a: int((a == 0).any(axis=0).sum()), "you counted units that are 0 for *some* example. That is "
                                                "sparsity; a dead unit is 0 for every example (`.all`, not `.any`)."),
    (lambda a: int((a == 0).all(axis=1).sum()), "you counted examples (rows) that switch every unit off. Units are "
                                                "the columns: use `axis=0`, which runs over the examples."),
    (lambda a: int((np.abs(a) < 1e-6).all(axis=0).sum()), "a unit with a tiny positive output is still alive: it "
                                                           "still gets a gradient. Compare with `== 0`, not with "
                                                           "a tolerance."),
]


@exercise("count_dead", title="count the dead units", solution=COUNT_DEAD_SOLUTION, points=2)
def check_count_dead(count_dead) -> Feedback:
    """Check ``count_dead(activations)`` on (N, units) arrays: the number of units that are 0 for every example."""
    name = "count_dead"
    learners_function(count_dead, name, "def count_dead(activations): ...")
    for a in _dead_cases():
        on = f"for activations of shape {a.shape} ({a.dtype})"
        result = call(count_dead, name, (a,), on=on)
        if result is None:
            raise Advice("`count_dead` returned None: did you forget the `return`?")
        if isinstance(result, np.ndarray) and result.shape == (a.shape[1],):
            raise Advice(f"{on} you returned one value per unit; return how many units are dead, a single "
                         "number (e.g. `mask.sum()`).")
        if isinstance(result, (bool, np.bool_)) or not isinstance(result, (numbers.Integral, np.integer)):
            if isinstance(result, (numbers.Real, np.floating)) and 0 < float(result) < 1:
                raise Advice(f"{on} you returned {fmt(result)}, a fraction. The question is how many units are "
                             "dead: a whole number.")
            raise Advice(f"`count_dead` should return a whole number of units, but {on} it returned "
                         f"{result!r:.60}. Wrap the count in `int(...)` if needed.")
        want = _count_dead(a)
        if int(result) != want:
            quote = f"{on} the answer is {want} dead unit(s), but you returned {int(result)}."
            for mistake, advice in WRONG_COUNTS:
                if mistake(a) == int(result) and mistake(a) != want:
                    raise Advice(f"{advice} For example, {quote}")
            raise Advice(quote[0].upper() + quote[1:])
    return Feedback(name, CORRECT, "correct! a unit is dead when it outputs 0 for every example; a tiny positive "
                    "output, even on one example, keeps it alive.")


# ---------------------------------------------------------------------------------------
# PReLU: the gradient of the loss with respect to its slope, checked numerically.

PRELU_SOLUTION = """
def prelu_slope_grad(dout, x):
    return float(np.sum(dout * np.where(x > 0, 0.0, x)))
"""


def _prelu_slope_grad(dout, x):
    return float(np.sum(np.asarray(dout, dtype=np.float64) * np.where(np.asarray(x) > 0, 0.0, np.asarray(x))))


def prelu_numeric_slope_grad(dout, x, a: float = 0.25) -> float:
    """d/da of ``sum(dout * prelu(x, a))``, by central differences on the slope a."""
    dout, x = np.asarray(dout, dtype=np.float64), np.asarray(x, dtype=np.float64)
    slope = np.array([a])
    return float(numerical_gradient(lambda: float(np.sum(dout * np.where(x > 0, x, slope[0] * x))), slope)[0])


WRONG_SLOPE_GRADS = [
    (lambda d, x: float(np.sum(np.where(x > 0, 0.0, x))), "you left out `dout`: the chain rule multiplies the "
                                                          "local derivative (x, where x ≤ 0) by the gradient "
                                                          "arriving from above, then sums."),
    (lambda d, x: float(np.sum(d * np.where(x > 0, x, 0.0))), "you summed over the positive inputs; the slope "
                                                              "only acts where x ≤ 0, so only those count."),
    (lambda d, x: float(np.sum(d * x)), "you summed over every input; the slope only acts where x ≤ 0 (for "
                                        "x > 0 PReLU is x, whatever the slope)."),
    (lambda d, x: float(np.sum(d * (x <= 0))), "you summed dout where x ≤ 0, but the output there is slope · x, "
                                               "so its derivative with respect to the slope is x: multiply by x."),
    (lambda d, x: float(np.mean(d * np.where(x > 0, 0.0, x))), "you took the mean; the slope is shared by every "
                                                               "entry, so the gradients add up: use the sum."),
    (lambda d, x: float(np.sum(np.abs(d * np.where(x > 0, 0.0, x)))), "signs matter: sum dout · x as it is, "
                                                                      "not its size."),
]


@exercise("prelu_slope_grad", title="PReLU: the gradient of the slope", solution=PRELU_SOLUTION, points=3)
def check_prelu_slope_grad(prelu_slope_grad) -> Feedback:
    """Check ``prelu_slope_grad(dout, x)``: the gradient of ``sum(dout * prelu(x, a))`` with respect to a (a number)."""
    name = "prelu_slope_grad"
    learners_function(prelu_slope_grad, name, "def prelu_slope_grad(dout, x): ...")
    small = np.array([-2.0, 3.0, -0.5, 0.0, 1.5, -1.0])
    for probe in [Probe("on a small array", (_dout_for(small), small))] + standard_probes(lambda x: (_dout_for(x), x)):
        dout, x = probe.args
        result = call(prelu_slope_grad, name, (dout, x), on=probe.on)
        if result is None:
            raise Advice("`prelu_slope_grad` returned None: did you forget the `return`?")
        if np.ndim(result) != 0 or isinstance(result, (list, tuple)):
            raise Advice(f"{probe.on} you returned an array of shape {np.shape(result)}; one slope is shared by "
                         "every entry, so its gradient is a single number: add up the contributions (`np.sum`).")
        got, want = float(result), _prelu_slope_grad(dout, x)
        rtol = 1e-4 if np.asarray(x).dtype == np.float32 else 1e-7  # float32 sums of 1e6-sized terms round
        if not np.isclose(got, want, rtol=rtol, atol=1e-6):
            shown = (f"dout = {fmt(dout)} and x = {fmt(x)}" if np.ndim(x) == 0 else
                     f"dout = {fmt_list(dout)} and x = {fmt_list(x)}" if np.size(x) <= 8 else
                     f"x of shape {np.shape(x)} (from {fmt(np.min(x))} to {fmt(np.max(x))})")
            quote = f"{probe.on}, for {shown} the gradient should be {fmt(round(want, 6))}"
            if np.size(x) < 50:
                numeric = prelu_numeric_slope_grad(dout, x)
                quote += f" (a numerical gradient, nudging the slope by 1e-6, gives {numeric:.6g})"
            quote += f", but you returned {fmt(got)}."
            for mistake, advice in WRONG_SLOPE_GRADS:
                if np.isclose(got, mistake(dout, np.asarray(x)), rtol=rtol, atol=1e-6):
                    raise Advice(f"{advice} For example, {quote[0].lower()}{quote[1:]}")
            raise Advice(quote[0].upper() + quote[1:])
    return Feedback(name, CORRECT, "correct! the slope's gradient is the sum of dout · x over the entries where "
                    "x ≤ 0, and it agrees with a numerical gradient.")


# ---------------------------------------------------------------------------------------
# Read off the explorer: how many ReLU units a too-large learning rate kills.

DEAD_AT = {"lr": 1.5, "bias_init": 0.0}
"""Where the learner moves the dying explorer: learning rate 1.5, starting bias 0."""

DEAD_UNITS_SOLUTION = """
dead_units = 48  # the readout at lr 1.5, starting bias 0: "ReLU: 1 → 48 dead"
"""


@functools.cache
def dead_runs(lr: float = DEAD_AT["lr"], bias_init: float = DEAD_AT["bias_init"]) -> dict:
    """The runs the dying explorer shows for one (lr, starting bias): ``dying_grid`` for that cell alone."""
    return dying_grid(lrs=(lr,), biases=(bias_init,))


@exercise("dead_units", title="read off the explorer: the units a large learning rate kills",
          solution=DEAD_UNITS_SOLUTION, points=1)
def check_dead_units(dead_units) -> Feedback:
    """Check the number of dead ReLU units after training at lr 1.5 from bias 0, read off the dying explorer."""
    name = "dead_units"
    value = read_off(dead_units, name, "20")
    runs = dead_runs()
    relu_run, leaky_run = runs[("relu", *DEAD_AT.values())], runs[("leaky_relu", *DEAD_AT.values())]
    want, total = int(relu_run["dead"][-1]), int(relu_run["total_units"])
    if value == want:
        return Feedback(name, CORRECT, f"correct! {want} of ReLU's {total} units are dead after training at lr 1.5, "
                        f"against {int(relu_run['dead'][0])} before it: the large steps pushed them below 0 for "
                        "every image.")
    if value != int(value) or not 0 <= value <= total:
        raise Advice(f"a number of dead units is a whole number from 0 to {total}, not {fmt(value)}.")
    if value == int(relu_run["dead"][0]):
        raise Advice(f"{fmt(value)} is the count *before* training, the first number of 'ReLU: … → … dead'. The "
                     "question asks for the count at the end, after the arrow.")
    if value == total - want:
        raise Advice(f"{fmt(value)} units are still alive; the question asks how many are dead.")
    if value == int(leaky_run["dead"][-1]):
        raise Advice(f"{fmt(value)} is Leaky ReLU's count. The question asks about ReLU, the first of the two.")
    if value == int(dead_runs(lr=0.3)[("relu", 0.3, DEAD_AT["bias_init"])]["dead"][-1]):
        raise Advice(f"{fmt(value)} is the count at lr 0.3. Move the learning-rate slider to 1.5.")
    raise Advice(f"{fmt(value)} is not what the readout says for ReLU at learning rate 1.5 and starting bias 0. Set "
                 "those two sliders and copy the number after the arrow in 'ReLU: … → … dead'.")
