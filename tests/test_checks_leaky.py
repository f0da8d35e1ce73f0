"""The Leaky ReLU exercise checks recognise the typical mistakes and accept every correct variant."""

import numpy as np
import pytest

from relulab.checks import EXERCISES, check
from relulab.checks.core import CORRECT, NOT_YET, WRONG
from relulab.checks.leaky import numerical_gradient


def run_solution(name):
    namespace = {"np": np}
    exec(EXERCISES[name].solution, namespace)
    return namespace[name.replace("_forward", "")]


@pytest.mark.parametrize("name", ["leaky_relu_forward", "leaky_relu_backward"])
def test_registered_solution_passes_its_own_check(name):
    assert getattr(check, name)(run_solution(name)).status == CORRECT


@pytest.mark.parametrize("answer", [
    lambda x, alpha=0.01: np.where(x > 0, x, alpha * x),
    lambda x, alpha=0.01: np.maximum(alpha * x, x),
    lambda x, alpha=0.01: np.maximum(0, x) + alpha * np.minimum(0, x),
    lambda x, alpha=0.01: x * np.where(x > 0, 1.0, alpha),
])
def test_forward_accepts_correct_variants(answer):
    assert check.leaky_relu_forward(answer).status == CORRECT


def _not_done(x, alpha=0.01):
    raise NotImplementedError


def _in_place(x, alpha=0.01):
    x[x < 0] *= alpha
    return x


def _python_max(x, alpha=0.01):
    return max(alpha * x, x)


@pytest.mark.parametrize("answer, phrase", [
    (lambda x, alpha=0.01: np.where(x > 0, alpha * x, x), "positive numbers were multiplied by alpha"),
    (lambda x, alpha=0.01: np.maximum(alpha, x), "max(alpha, x)"),
    (lambda x, alpha=0.01: np.maximum(0, x), "plain ReLU"),
    (lambda x, alpha=0.01: np.where(x > 0, x, 0.01 * x), "hard-coded"),
    (lambda x, alpha=0.01: x, "unchanged"),
    (_in_place, "in place"),
    (lambda x, alpha=0.01: np.where(x > 0, x, alpha * x).ravel()[:3], "shape"),
    (lambda x, alpha=0.01: None, "return"),
    (_python_max, "np.where"),
    ("not a function", "should be a function"),
])
def test_forward_explains_typical_mistakes(answer, phrase):
    feedback = check.leaky_relu_forward(answer)
    assert feedback.status == WRONG and phrase in feedback.message


def test_forward_blank_exercise_says_not_yet():
    assert check.leaky_relu_forward(_not_done).status == NOT_YET


@pytest.mark.parametrize("answer", [
    lambda dout, x, alpha=0.01: dout * np.where(x > 0, 1.0, alpha),
    lambda dout, x, alpha=0.01: np.where(x > 0, dout, alpha * dout),
    lambda dout, x, alpha=0.01: dout * ((x > 0) + alpha * (x <= 0)),
])
def test_backward_accepts_correct_variants(answer):
    assert check.leaky_relu_backward(answer).status == CORRECT


def _backward_in_place(dout, x, alpha=0.01):
    dout[x <= 0] *= alpha
    return dout


@pytest.mark.parametrize("answer, phrase", [
    (lambda dout, x, alpha=0.01: np.where(x > 0, 1.0, alpha), "forgot `dout`"),
    (lambda dout, x, alpha=0.01: np.where(x > 0, alpha * dout, dout), "positive inputs was multiplied by alpha"),
    (lambda dout, x, alpha=0.01: dout * (x > 0), "ReLU's backward"),
    (lambda dout, x, alpha=0.01: dout * np.where(x > 0, 1.0, 0.01), "hard-coded"),
    (lambda dout, x, alpha=0.01: dout, "unchanged everywhere"),
    (lambda dout, x, alpha=0.01: np.where(dout > 0, dout, alpha * dout), "sign of the input"),
    (lambda dout, x, alpha=0.01: x * np.where(dout > 0, 1.0, alpha), "swapped"),
    (_backward_in_place, "in place"),
    (lambda dout, x, alpha=0.01: (dout * np.where(x > 0, 1.0, alpha)).sum(axis=0), "shape"),
    (lambda dout, x, alpha=0.01: dout * np.where(x > 0, 2.0, alpha), "numerical gradient"),
])
def test_backward_explains_typical_mistakes(answer, phrase):
    feedback = check.leaky_relu_backward(answer)
    assert feedback.status == WRONG and phrase in feedback.message


def test_checks_never_raise_on_broken_code():
    assert check.leaky_relu_forward(lambda x, alpha=0.01: 1 / 0).status == WRONG
    assert check.leaky_relu_backward(lambda dout, x, alpha=0.01: undefined_name).status == WRONG  # noqa: F821


def test_numerical_gradient_matches_the_rule():
    x, dout = np.array([-2.0, -0.5, 1.5]), np.array([1.0, -3.0, 2.0])
    assert np.allclose(numerical_gradient(dout, x, 0.2), dout * np.where(x > 0, 1.0, 0.2), atol=1e-6)
