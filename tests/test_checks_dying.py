"""Notebook 04: count_dead, Leaky ReLU forward and backward, and PReLU's slope gradient reject typical mistakes."""

import numpy as np
import pytest

from relulab import nn
from relulab.checks import check
from relulab.checks.core import CORRECT, NOT_YET, WRONG
from relulab.checks.dying import _numeric_backward, _prelu_slope_grad, prelu_numeric_slope_grad
from tests.test_checks_contract import mine


@pytest.mark.parametrize("answer", [
    lambda x, negative_slope=0.01: np.where(np.asarray(x) > 0, x, negative_slope * np.asarray(x)),
    lambda x, negative_slope=0.01: np.maximum(0, x) + negative_slope * np.minimum(0, x),
    lambda x, negative_slope=0.01: x * np.where(np.asarray(x) > 0, 1.0, negative_slope).astype(np.asarray(x).dtype),
])
def test_forward_accepts_correct_variants(answer):
    feedback = check.leaky_relu_forward(mine(answer))
    assert feedback.status == CORRECT, feedback.message


def _not_done(x, negative_slope=0.01):
    raise NotImplementedError


def _in_place(x, negative_slope=0.01):
    x[x < 0] *= negative_slope
    return x


def _python_max(x, negative_slope=0.01):
    return max(negative_slope * x, x)


@pytest.mark.parametrize("answer, phrase", [
    (lambda x, negative_slope=0.01: np.where(np.asarray(x) > 0, negative_slope * np.asarray(x), x),
     "positive numbers were multiplied by negative_slope"),
    (lambda x, negative_slope=0.01: np.maximum(negative_slope, x), "max(negative_slope, x)"),
    (lambda x, negative_slope=0.01: np.maximum(negative_slope * np.asarray(x), x), "only for slopes below 1"),
    (lambda x, negative_slope=0.01: np.maximum(0, x), "plain ReLU"),
    (lambda x, negative_slope=0.01: np.where(np.asarray(x) > 0, x, 0.01 * np.asarray(x)), "hard-coded"),
    (lambda x, negative_slope=0.01: x, "unchanged"),
    (lambda x, alpha=0.01: np.where(np.asarray(x) > 0, x, alpha * np.asarray(x)), "unexpected keyword argument"),
    (_in_place, "in place"),
    (lambda x, negative_slope=0.01: np.where(np.asarray(x) > 0, x, negative_slope * np.asarray(x)).ravel()[:3],
     "shape"),
    (lambda x, negative_slope=0.01: None, "return"),
    (_python_max, "np.where"),
    (lambda x, negative_slope=0.01: np.where(np.asarray(x) > 0, x, negative_slope * np.asarray(x)).astype(float),
     "float32 input into float64"),
])
def test_forward_explains_typical_mistakes(answer, phrase):
    feedback = check.leaky_relu_forward(mine(answer))
    assert feedback.status == WRONG and phrase in feedback.message, feedback.message


def test_forward_blank_exercise_says_not_yet():
    assert check.leaky_relu_forward(mine(_not_done)).status == NOT_YET


@pytest.mark.parametrize("answer", [
    lambda dout, x, negative_slope=0.01: dout * np.where(np.asarray(x) > 0, 1.0, negative_slope),
    lambda dout, x, negative_slope=0.01: np.where(np.asarray(x) > 0, dout, negative_slope * np.asarray(dout)),
    lambda dout, x, negative_slope=0.01: dout * ((np.asarray(x) > 0) + negative_slope * (np.asarray(x) <= 0)),
])
def test_backward_accepts_correct_variants(answer):
    feedback = check.leaky_relu_backward(mine(answer))
    assert feedback.status == CORRECT, feedback.message


def _backward_in_place(dout, x, negative_slope=0.01):
    dout[x <= 0] *= negative_slope
    return dout


@pytest.mark.parametrize("answer, phrase", [
    (lambda dout, x, negative_slope=0.01: np.where(np.asarray(x) > 0, 1.0, negative_slope), "forgot `dout`"),
    (lambda dout, x, negative_slope=0.01: np.where(np.asarray(x) > 0, negative_slope * np.asarray(dout), dout),
     "positive inputs was multiplied by negative_slope"),
    (lambda dout, x, negative_slope=0.01: dout * (np.asarray(x) > 0), "ReLU's backward"),
    (lambda dout, x, negative_slope=0.01: dout * np.where(np.asarray(x) > 0, 1.0, 0.01), "hard-coded"),
    (lambda dout, x, negative_slope=0.01: dout, "unchanged everywhere"),
    (lambda dout, x, negative_slope=0.01: np.where(np.asarray(dout) > 0, dout, negative_slope * np.asarray(dout)),
     "sign of the input"),
    (lambda dout, x, negative_slope=0.01: x * np.where(np.asarray(dout) > 0, 1.0, negative_slope), "swapped"),
    (_backward_in_place, "in place"),
    (lambda dout, x, negative_slope=0.01: (dout * np.where(np.asarray(x) > 0, 1.0, negative_slope)).sum(axis=0),
     "shape"),
    (lambda dout, x, negative_slope=0.01: dout * np.where(np.asarray(x) > 0, 2.0, negative_slope),
     "a numerical gradient, nudging the input by 1e-6, gives -1)"),
])
def test_backward_explains_typical_mistakes(answer, phrase):
    feedback = check.leaky_relu_backward(mine(answer))
    assert feedback.status == WRONG and phrase in feedback.message, feedback.message


def test_checks_never_raise_on_broken_code():
    assert check.leaky_relu_forward(mine(lambda x, negative_slope=0.01: 1 / 0)).status == WRONG
    assert check.leaky_relu_backward(mine(lambda dout, x, negative_slope=0.01: undefined_name)).status == WRONG  # noqa: F821


def test_the_numerical_gradient_is_the_courses_one_and_matches_the_rule():
    x, dout = np.array([-2.0, -0.5, 1.5]), np.array([1.0, -3.0, 2.0])
    for d, xi in zip(dout, x, strict=True):
        numeric = _numeric_backward((d, xi), {"negative_slope": 0.2})
        assert numeric == pytest.approx(d * (1.0 if xi > 0 else 0.2), abs=1e-6)
    assert prelu_numeric_slope_grad(dout, x) == pytest.approx(_prelu_slope_grad(dout, x), abs=1e-6)
    assert nn.numerical_gradient is not None


# ---------------------------------------------------------------------------------------
# count_dead

@pytest.mark.parametrize("answer", [
    lambda a: int((a == 0).all(axis=0).sum()),
    lambda a: int(np.sum(~(a > 0).any(axis=0))),
    lambda a: (a.max(axis=0) <= 0).sum(),  # a numpy integer is fine
    lambda a: sum(1 for j in range(a.shape[1]) if not np.any(a[:, j] != 0)),
])
def test_count_dead_accepts_correct_variants(answer):
    feedback = check.count_dead(mine(answer))
    assert feedback.status == CORRECT, feedback.message


def _count_dead_in_place(a):
    a[a < 1e-6] = 0
    return int((a == 0).all(axis=0).sum())


@pytest.mark.parametrize("answer, phrase", [
    (lambda a: int((a == 0).sum()), "every zero"),
    (lambda a: int((a == 0).any(axis=0).sum()), "*some* example"),
    (lambda a: int((a == 0).all(axis=1).sum()), "axis=0"),
    (lambda a: int(np.isclose(a, 0).all(axis=0).sum()), "tiny positive output"),
    (lambda a: int((a[:-1] == 0).all(axis=0).sum()), "the answer is 1 dead unit(s), but you returned 2"),
    (lambda a: (a == 0).all(axis=0), "one value per unit"),
    (lambda a: float((a == 0).all(axis=0).mean()), "a fraction"),
    (lambda a: "two", "whole number"),
    (lambda a: None, "return"),
    (_count_dead_in_place, "in place"),
])
def test_count_dead_rejects_typical_mistakes(answer, phrase):
    feedback = check.count_dead(mine(answer))
    assert feedback.status == WRONG and phrase in feedback.message, feedback.message


# ---------------------------------------------------------------------------------------
# prelu_slope_grad

@pytest.mark.parametrize("answer", [
    lambda dout, x: float(np.sum(dout * np.where(np.asarray(x) > 0, 0.0, x))),
    lambda dout, x: np.sum(dout * np.minimum(0, x)),
    lambda dout, x: (np.asarray(dout) * np.asarray(x) * (np.asarray(x) <= 0)).sum(),
])
def test_prelu_slope_grad_accepts_correct_variants(answer):
    feedback = check.prelu_slope_grad(mine(answer))
    assert feedback.status == CORRECT, feedback.message


def _prelu_in_place(dout, x):
    if np.ndim(x):
        dout[x > 0] = 0  # zeroes the caller's gradient
    return float(np.sum(dout * np.minimum(0, x)))


@pytest.mark.parametrize("answer, phrase", [
    (lambda dout, x: float(np.sum(np.where(np.asarray(x) > 0, 0.0, x))), "left out `dout`"),
    (lambda dout, x: float(np.sum(dout * np.where(np.asarray(x) > 0, x, 0.0))), "positive inputs"),
    (lambda dout, x: float(np.sum(dout * x)), "summed over every input"),
    (lambda dout, x: float(np.sum(dout * (np.asarray(x) <= 0))), "multiply by x"),
    (lambda dout, x: float(np.mean(dout * np.minimum(0, x))), "took the mean"),
    (lambda dout, x: float(np.sum(np.abs(dout * np.minimum(0, x)))), "signs matter"),
    (lambda dout, x: dout * np.minimum(0, x), "single number"),
    (lambda dout, x: float(np.sum(dout * np.minimum(0, x))) if np.size(x) < 20 else 0.0,
     "should be"),
    (lambda dout, x: None, "return"),
    (_prelu_in_place, "in place"),
])
def test_prelu_slope_grad_rejects_typical_mistakes(answer, phrase):
    feedback = check.prelu_slope_grad(mine(answer))
    assert feedback.status == WRONG and phrase in feedback.message, feedback.message


def test_prelu_message_quotes_the_inputs_the_expected_the_numerical_and_the_returned_value():
    feedback = check.prelu_slope_grad(mine(lambda dout, x: float(np.sum(dout * x))))
    message = feedback.message
    assert "dout = [" in message and "x = [-2, 3, -0.5, 0, 1.5, -1]" in message
    assert "a numerical gradient, nudging the slope by 1e-6, gives" in message and "but you returned" in message


# ---------------------------------------------------------------------------------------
# dead_units: a number read off the dying explorer.

def test_dead_units_accepts_the_number_the_explorer_shows():
    import re

    from relulab.experiments.dying import dying_grid
    from relulab.widgets import dying_explorer

    ex = dying_explorer(dying_grid(lrs=(0.3, 1.5), biases=(0.0, -1.0)))
    ex.controls["lr"].value = 1.5
    ex.controls["bias_init"].value = 0.0
    shown = re.search(r"ReLU: (\d+) → (\d+) dead", ex.readout.value)
    assert shown, ex.readout.value
    assert check.dead_units(int(shown.group(2))).status == CORRECT
    assert check.dead_units(np.int64(shown.group(2))).status == CORRECT
    assert check.dead_units(int(shown.group(1))).status == WRONG  # the count before training


def test_dead_units_rejects_wrong_numbers_and_non_numbers_with_a_sentence():
    from relulab.checks.dying import DEAD_AT, dead_runs

    runs = dead_runs()
    relu, leaky = runs[("relu", *DEAD_AT.values())], runs[("leaky_relu", *DEAD_AT.values())]
    dead, before, total = int(relu["dead"][-1]), int(relu["dead"][0]), int(relu["total_units"])
    at_lr_03 = int(dead_runs(lr=0.3)[("relu", 0.3, 0.0)]["dead"][-1])
    cases = [(before, "*before* training"), (total - dead, "still alive"), (int(leaky["dead"][-1]), "Leaky ReLU's"),
             (at_lr_03, "lr 0.3"), (dead + 1, "not what the readout says"), (dead - 1, "not what the readout says"),
             (dead + 0.5, "whole number"), (total + 1, "whole number"), (-1, "whole number"),
             (str(dead), "without quotes"), ([dead], "not a list"), (float("nan"), "nan"), (True, "not True")]
    for answer, words in cases:
        feedback = check.dead_units(answer)
        assert feedback.status == WRONG and words in feedback.message, (answer, feedback.message)


def test_dead_units_left_as_none_says_not_yet():
    assert check.dead_units(None).status == NOT_YET
