"""Notebook 03: the slopes of ReLU and sigmoid and the fewest hinges reject typical mistakes, accept right answers."""

import math

import numpy as np
import pytest

from relulab.activations import sigmoid
from relulab.checks import check
from relulab.checks.core import CORRECT, NOT_YET, WRONG
from relulab.checks.why import HINGE_X, hinge_errors
from relulab.experiments.nonlinearity import bumpy, fit_hinges
from tests.test_checks_contract import mine


def status_and_message(fn, name):
    feedback = getattr(check, name)(mine(fn))
    return feedback.status, feedback.message


def blank(x):
    raise NotImplementedError


def relu_derivative_inplace(x):
    x[...] = x > 0
    return x


def relu_derivative_if(x):
    return 1.0 if x > 0 else 0.0


@pytest.mark.parametrize("fn", [
    lambda x: (np.asarray(x) > 0).astype(float),
    lambda x: np.where(np.asarray(x) > 0, 1.0, 0.0),
    lambda x: np.heaviside(x, 0.0),
    lambda x: 1.0 * (np.asarray(x) > 0),
])
def test_relu_derivative_accepts_correct_variants(fn):
    status, message = status_and_message(fn, "relu_derivative")
    assert status == CORRECT and "subgradient" not in message


@pytest.mark.parametrize("fn, at_zero", [
    (lambda x: (np.asarray(x) >= 0).astype(float), "1"),
    (lambda x: np.heaviside(x, 0.5), "0.5"),
])
def test_relu_derivative_accepts_other_subgradients_at_zero_and_says_so(fn, at_zero):
    status, message = status_and_message(fn, "relu_derivative")
    assert status == CORRECT and f"you chose {at_zero}" in message and "PyTorch use 0" in message


def test_relu_derivative_accepts_booleans_and_explains_them():
    status, message = status_and_message(lambda x: np.asarray(x) > 0, "relu_derivative")
    assert status == CORRECT and "True/False" in message


@pytest.mark.parametrize("fn, phrase", [
    (lambda x: np.maximum(0, x), "ReLU itself"),
    (lambda x: np.sign(x), "np.sign"),
    (lambda x: (np.asarray(x) < 0).astype(float), "swapped"),
    (lambda x: np.ones_like(x), "flat at 0"),
    (lambda x: np.where(np.asarray(x) > 0, 2.0, 0.0), "relu_derivative(3) should be 1, but your function returned 2"),
    (lambda x: np.where(np.asarray(x) > 0, 1.0, np.where(np.asarray(x) < 0, 0.0, 2.0)),
     "relu_derivative(0) should be 0, but your function returned 2"),
    (lambda x: (np.asarray(x) > 0).astype(float) * (np.abs(x) < 1e4), "only large inputs"),
    (lambda x: None, "return"),
    (lambda x: [1.0], "list"),
    (lambda x: np.array([0.0, 1.0]), "shape"),
    (relu_derivative_inplace, "in place"),
    (relu_derivative_if, "if x > 0"),
    (lambda x: (np.ravel(x) > 0).astype(float) if np.ndim(x) > 1 else (np.asarray(x) > 0).astype(float), "shape"),
    (lambda x: (np.atleast_1d(x) > 0).astype(float), "for an input of shape ()"),
])
def test_relu_derivative_rejects_typical_mistakes_with_a_sentence(fn, phrase):
    status, message = status_and_message(fn, "relu_derivative")
    assert status == WRONG and phrase in message, message


def test_relu_derivative_blank_is_not_yet():
    assert check.relu_derivative(mine(blank)).status == NOT_YET


def test_unforeseen_errors_become_feedback():
    assert check.relu_derivative(mine(lambda x: {}["oops"])).status == WRONG


def sigmoid_derivative_inplace(x):
    s = sigmoid(x)
    x *= 0
    return s * (1 - s)


@pytest.mark.parametrize("fn", [
    lambda x: sigmoid(x) * (1 - sigmoid(x)),
    lambda x: sigmoid(x) * sigmoid(-np.asarray(x)),
    lambda x: 0.25 * (1 - np.tanh(np.asarray(x) / 2) ** 2),
    lambda x: np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))) ** 2,  # symmetric and overflow-free
])
def test_sigmoid_derivative_accepts_correct_variants(fn):
    assert check.sigmoid_derivative(mine(fn)).status == CORRECT


@pytest.mark.parametrize("fn, phrase", [
    (lambda x: sigmoid(x) * (1 + sigmoid(x)), "1 + sigmoid"),
    (lambda x: sigmoid(x), "sigmoid itself"),
    (lambda x: np.asarray(x) * (1 - np.asarray(x)), "x where sigmoid(x) belongs"),
    (lambda x: 1 - sigmoid(x) ** 2, "tanh"),
    (lambda x: 1 - np.tanh(x) ** 2, "slope of tanh"),
    (lambda x: -sigmoid(x) * (1 - sigmoid(x)), "sign is flipped"),
    (lambda x: sigmoid(x) * (1 - sigmoid(x)) ** 2, "one factor too many"),
    (lambda x: np.exp(-np.asarray(x)) / (1 + np.exp(-np.asarray(x))), "squared"),
    (lambda x: np.exp(-np.asarray(x, float)) / (1 + np.exp(-np.asarray(x, float))) ** 2, "overflows"),
    (lambda x: 0.2 * np.ones_like(x), "should be"),
    (lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, "np.exp"),
    (lambda x: None, "return"),
    (lambda x: sigmoid(x)[:2], "shape"),
    (sigmoid_derivative_inplace, "in place"),
])
def test_sigmoid_derivative_rejects_typical_mistakes_with_a_sentence(fn, phrase):
    status, message = status_and_message(fn, "sigmoid_derivative")
    assert status == WRONG and phrase in message, message


def test_sigmoid_derivative_blank_is_not_yet():
    assert check.sigmoid_derivative(mine(blank)).status == NOT_YET


# ---------------------------------------------------------------------------------------
# fewest_hinges

def right_answer():
    return next(n for n in range(100) if fit_hinges(HINGE_X, bumpy(HINGE_X), n)["error"] < 0.05)


def test_fewest_hinges_accepts_the_measured_answer_as_int_or_numpy_int():
    n = right_answer()
    assert check.fewest_hinges(n).status == CORRECT
    assert check.fewest_hinges(np.int64(n)).status == CORRECT
    assert check.fewest_hinges(float(n)).status == CORRECT


def test_fewest_hinges_rejects_too_many_too_few_and_the_wrong_measure():
    n = right_answer()
    assert "fewer are enough" in check.fewest_hinges(n + 1).message
    assert "far fewer" in check.fewest_hinges(500).message
    assert "not under 0.05" in check.fewest_hinges(n - 1).message
    assert "not under 0.05" in check.fewest_hinges(3).message
    by_max = next(k for k, e in enumerate(hinge_errors("max_error")) if e < 0.05)
    if by_max != n:
        assert "*largest* error" in check.fewest_hinges(by_max).message


@pytest.mark.parametrize("answer, status, words", [
    (None, NOT_YET, "replace `None`"), (0.04, WRONG, "looks like an error"), (-2, WRONG, "whole number"),
    (12.5, WRONG, "whole number"), ("15", WRONG, "whole number"), (True, WRONG, "whole number"),
])
def test_fewest_hinges_explains_answers_that_are_not_a_count(answer, status, words):
    feedback = check.fewest_hinges(answer)
    assert feedback.status == status and words in feedback.message


# ---------------------------------------------------------------------------------------
# sigmoid_shrink: a number read off the gradient explorer.

def test_sigmoid_shrink_accepts_the_number_the_explorer_shows():
    import re

    from relulab.experiments.gradients import signal_profiles
    from relulab.widgets import gradient_explorer

    ex = gradient_explorer(depth=10, profiles=signal_profiles(depths=[10, 20]))
    ex.controls["depth"].value = 20
    shown = re.search(r"sigmoid: gradient ÷([\d.]+) per layer", ex.readout.value)
    assert shown, ex.readout.value
    assert check.sigmoid_shrink(float(shown.group(1))).status == CORRECT
    assert check.sigmoid_shrink(np.float32(shown.group(1))).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    (0.23, "1 ÷"),  # the reciprocal
    (4.5, "10 hidden layers"),  # the slider left where it starts
    (3.3, "He's initialisation"),
    (1.1, "relu's factor"), (0.98, "tanh's factor"),
    (4.0, "not what the readout says"), (4.4, "not what the readout says"), (43, "not what the readout says"),
    ("÷4.3", "without quotes"), ([4.3], "not a list"), (float("nan"), "nan"), (False, "not False"),
])
def test_sigmoid_shrink_rejects_wrong_numbers_and_non_numbers_with_a_sentence(answer, words):
    feedback = check.sigmoid_shrink(answer)
    assert feedback.status == WRONG and words in feedback.message, feedback.message


def test_sigmoid_shrink_left_as_none_says_not_yet():
    assert check.sigmoid_shrink(None).status == NOT_YET
