"""The checks of notebook 03 recognise each typical mistake, never raise, and accept every correct variant."""

import math

import numpy as np
import pytest

from relulab.activations import sigmoid
from relulab.checks import EXERCISES, check
from relulab.checks.core import CORRECT, NOT_YET, WRONG


def status_and_message(fn, name):
    feedback = getattr(check, name)(fn)
    return feedback.status, feedback.message


# ---------------------------------------------------------------------------------------
# relu_derivative


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
    (np.sign, "np.sign"),
    (lambda x: (np.asarray(x) < 0).astype(float), "swapped"),
    (lambda x: np.ones_like(x), "flat at 0"),
    (lambda x: np.where(np.asarray(x) > 0, 2.0, 0.0), "slope is 1"),
    (lambda x: np.where(np.asarray(x) > 0, 1.0, np.where(np.asarray(x) < 0, 0.0, 2.0)), "not between"),
    (lambda x: None, "return"),
    (lambda x: [1.0], "list"),
    (lambda x: np.array([0.0, 1.0]), "shape"),
    (relu_derivative_inplace, "in place"),
    (relu_derivative_if, "if x > 0"),
    (lambda x: (np.ravel(x) > 0).astype(float) if np.ndim(x) > 1 else (np.asarray(x) > 0).astype(float),
     "shape"),
    ("not a function", "should be a function"),
])
def test_relu_derivative_rejects_typical_mistakes_with_a_sentence(fn, phrase):
    status, message = status_and_message(fn, "relu_derivative")
    assert status == WRONG and phrase in message


def test_relu_derivative_blank_is_not_yet():
    assert check.relu_derivative(blank).status == NOT_YET


def test_relu_derivative_scalar_must_be_a_number():
    status, message = status_and_message(lambda x: (np.atleast_1d(x) > 0).astype(float), "relu_derivative")
    assert status == WRONG and "single number" in message


def test_relu_derivative_unforeseen_errors_become_feedback():
    def broken(x):
        return {}["oops"]

    assert check.relu_derivative(broken).status == WRONG


# ---------------------------------------------------------------------------------------
# sigmoid_derivative


def sigmoid_derivative_inplace(x):
    s = sigmoid(x)
    x *= 0
    return s * (1 - s)


@pytest.mark.parametrize("fn", [
    lambda x: sigmoid(x) * (1 - sigmoid(x)),
    lambda x: np.exp(-np.asarray(x)) / (1 + np.exp(-np.asarray(x))) ** 2,
    lambda x: sigmoid(x) * sigmoid(-np.asarray(x)),
    lambda x: 0.25 * (1 - np.tanh(np.asarray(x) / 2) ** 2),
])
def test_sigmoid_derivative_accepts_correct_variants(fn):
    assert check.sigmoid_derivative(fn).status == CORRECT


@pytest.mark.parametrize("fn, phrase", [
    (lambda x: sigmoid(x) * (1 + sigmoid(x)), "1 + sigmoid"),
    (sigmoid, "sigmoid itself"),
    (lambda x: np.asarray(x) * (1 - np.asarray(x)), "x where sigmoid(x) belongs"),
    (lambda x: 1 - sigmoid(x) ** 2, "tanh"),
    (lambda x: 1 - np.tanh(x) ** 2, "slope of tanh"),
    (lambda x: -sigmoid(x) * (1 - sigmoid(x)), "sign is flipped"),
    (lambda x: sigmoid(x) * (1 - sigmoid(x)) ** 2, "one factor too many"),
    (lambda x: np.exp(-np.asarray(x)) / (1 + np.exp(-np.asarray(x))), "squared"),
    (lambda x: np.ones_like(x), "never larger than 0.25"),
    (lambda x: 0.2 * np.ones_like(x), "should be"),
    (lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, "np.exp"),
    (lambda x: None, "return"),
    (lambda x: sigmoid(x)[:2], "shape"),
    (sigmoid_derivative_inplace, "in place"),
    (42, "should be a function"),
])
def test_sigmoid_derivative_rejects_typical_mistakes_with_a_sentence(fn, phrase):
    status, message = status_and_message(fn, "sigmoid_derivative")
    assert status == WRONG and phrase in message


def test_sigmoid_derivative_blank_is_not_yet():
    assert check.sigmoid_derivative(blank).status == NOT_YET


@pytest.mark.parametrize("name", ["relu_derivative", "sigmoid_derivative"])
def test_registered_solution_passes_its_own_check(name):
    namespace = {"np": np, "sigmoid": sigmoid}
    exec(EXERCISES[name].solution, namespace)
    assert getattr(check, name)(namespace[name]).status == CORRECT
