"""Notebooks 00 and 01: the warm-up, `relu`, and the predictions reject every typical mistake with its advice."""

import numpy as np
import pytest

from relulab.checks import check
from tests.test_checks_contract import mine


def _python_max(x):
    return max(0, x)


def _if_statement(x):
    if x > 0:
        return x
    return 0


def _in_place(x):
    x[x < 0] = 0
    return x


def _list(x):
    return [max(0.0, v) for v in np.ravel(x)]


def _forgot_return(x):
    np.maximum(0, x)


def _flat_only(x):
    return np.array([max(0.0, v) for v in x], dtype=x.dtype)


def _typo(x):
    return np.maximun(0, x)  # the learner's typo: numpy has no maximun


def _not_implemented(x):
    raise NotImplementedError


MISTAKES = [
    (lambda x: np.abs(x), "that is `abs`"),
    (_python_max, "np.maximum"),
    (_if_statement, "np.maximum"),
    (_in_place, "in place"),
    (_list, "list"),
    (lambda x: np.maximum(0, np.ravel(x))[:1], "shape"),
    (lambda x: np.where(np.asarray(x) >= 0, np.asarray(x) + (np.asarray(x) == 0), 0.0), "relu(0) should be 0"),
    (lambda x: x, "pass through unchanged"),
    (lambda x: (np.asarray(x) > 0).astype(float), "slope of ReLU"),
    (lambda x: np.clip(x, 0, 1), "capped at 1"),
    (lambda x: np.minimum(0, x), "opposite of ReLU"),
    (lambda x: np.clip(x, 0, 1000), "relu(1000000) should be 1000000"),
    (lambda x: np.maximum(0, np.asarray(x, dtype=np.float64)), "float32 input into float64"),
    (lambda x: np.asarray(x) > 0, "True/False"),
    (_forgot_return, "return"),
    (_flat_only, "2-D"),
    (_typo, "AttributeError"),
]


@pytest.mark.parametrize("wrong, advice", MISTAKES, ids=[m[1] for m in MISTAKES])
def test_relu_check_rejects_each_typical_mistake_with_its_advice(wrong, advice):
    feedback = check.relu(mine(wrong))
    assert not feedback and feedback.status == "wrong"
    assert advice in feedback.message, feedback.message
    with pytest.raises(AssertionError, match="relu"):
        feedback.assert_passed()


CORRECT = [
    lambda x: np.maximum(0, x),
    lambda x: np.where(np.asarray(x) > 0, x, 0),
    lambda x: x * (np.asarray(x) > 0),  # gives -0.0 for negatives, still right
    lambda x: np.clip(x, 0, None),
    lambda x: (x + np.abs(x)) / 2,
]


@pytest.mark.parametrize("right", CORRECT, ids=["maximum", "where", "mask", "clip", "abs-trick"])
def test_relu_check_accepts_every_correct_variant(right):
    feedback = check.relu(mine(right))
    assert feedback and feedback.status == "correct", feedback.message
    feedback.assert_passed()


def test_relu_check_says_not_yet_for_the_blank_exercise():
    feedback = check.relu(mine(_not_implemented))
    assert feedback.status == "not yet" and "NotImplementedError" in feedback.message


@pytest.mark.parametrize("answer, status, words", [
    (None, "not yet", "replace `None`"), (0, "correct", "correct"), (0.0, "correct", "correct"),
    (3, "wrong", "sign was flipped"), (-3, "wrong", "smaller"), (7, "wrong", "neither"),
    ("zero", "wrong", "number"),
])
def test_warm_up_check(answer, status, words):
    feedback = check.warm_up(answer)
    assert feedback.status == status and words in feedback.message


def test_warm_up_before_its_cell_ran_says_not_yet():
    feedback = check.warm_up(namespace={})
    assert feedback.status == "not yet" and "`answer` is not defined" in feedback.message


RIGHT = ([0, 0, 0.25, 2, 7], [0, 0, 1, 1, 1], [0, 0, 0.25, 1, 1])


def test_predictions_accept_the_right_numbers_as_lists_or_arrays():
    assert check.relu_predictions(*RIGHT).status == "correct"
    assert check.relu_predictions(*(np.array(p) for p in RIGHT)).status == "correct"


def test_predictions_accept_another_subgradient_at_the_corner_and_say_so():
    feedback = check.relu_predictions(RIGHT[0], [0, 1, 1, 1, 1], RIGHT[2])
    assert feedback.status == "correct" and "subgradient" in feedback.message


@pytest.mark.parametrize("answers, words", [
    ((None, None, None), "replace `None`"),
    (([1.5, 0, 0.25, 2, 7], RIGHT[1], RIGHT[2]), "relu(x) is 0, but you predicted 1.5"),
    (([0, 0, 0.25, 2], RIGHT[1], RIGHT[2]), "five numbers"),
    (("zero", RIGHT[1], RIGHT[2]), "five numbers"),
    ((RIGHT[0], RIGHT[0], RIGHT[2]), "repeats relu(x)"),
    ((RIGHT[0], [1, 0, 1, 1, 1], RIGHT[2]), "the slope is 0, but you predicted 1"),
    ((RIGHT[0], [0, 2, 1, 1, 1], RIGHT[2]), "at x = 0"),
    ((RIGHT[0], RIGHT[1], RIGHT[0]), "levels off at 1"),
    ((RIGHT[0], RIGHT[1], [0, 0, 0.25, 1, 6]), "at x = 7, relu(x) − relu(x − 1) is 1, but you predicted 6"),
])
def test_predictions_reject_typical_mistakes(answers, words):
    feedback = check.relu_predictions(*answers)
    assert feedback.status in ("wrong", "not yet") and not feedback.passed
    assert words in feedback.message, feedback.message
