"""The check of notebook 02's exercise recognises each typical mistake and accepts every right answer."""

import numpy as np
import pytest

from relulab.checks import EXERCISES, check
from relulab.checks.core import CORRECT, NOT_YET, WRONG


def verdict(fn):
    return check.filter_and_decide(fn)


def test_registered_solution_passes_its_own_check():
    namespace = {"np": np}
    exec(EXERCISES["filter_and_decide"].solution, namespace)
    assert verdict(namespace["filter_and_decide"]).status == CORRECT


@pytest.mark.parametrize("fn", [
    lambda s, t: (np.maximum(0, s), np.maximum(0, s).sum() > t),
    lambda s, t: ([max(0.0, v) for v in s], sum(max(0.0, v) for v in s) > t),  # a list and a Python bool
    lambda s, t: (np.where(s > 0, s, 0), bool(np.where(s > 0, s, 0).sum() > t)),
    lambda s, t: (s * (s > 0), (s * (s > 0)).sum() > t),  # -0.0 entries are fine
    lambda s, t: [np.clip(s, 0, None), not np.clip(s, 0, None).sum() <= t],  # a list of two
])
def test_every_correct_variant_is_accepted(fn):
    assert verdict(fn).status == CORRECT


def test_blank_exercise_says_not_yet():
    def blank(scores, threshold):
        raise NotImplementedError

    assert verdict(blank).status == NOT_YET


def _in_place(s, t):
    s[s < 0] = 0
    return s, s.sum() > t


@pytest.mark.parametrize("fn, words", [
    (lambda s, t: (s, np.maximum(0, s).sum() > t), "negative scores are still there"),
    (lambda s, t: (np.minimum(0, s), np.maximum(0, s).sum() > t), "opposite of ReLU"),
    (lambda s, t: (np.abs(s), np.abs(s).sum() > t), "abs"),
    (lambda s, t: (s[s > 0], s[s > 0].sum() > t), "replaces"),
    (lambda s, t: (s > 0, s[s > 0].sum() > t), "True/False"),
    (lambda s, t: (np.maximum(0, s), s.sum() > t), "before"),
    (lambda s, t: (np.maximum(0, s), np.maximum(0, s).sum() >= t), "`>=`"),
    (lambda s, t: (np.maximum(0, s), np.maximum(0, s).sum() < t), "wrong way round"),
    (lambda s, t: (np.maximum(0, s), np.maximum(0, s).max() > t), "largest kept score"),
    (lambda s, t: np.maximum(0, s), "return two things"),
    (lambda s, t: None, "forget the `return"),
    (lambda s, t: (np.maximum(0, s), None), "None"),
    (lambda s, t: (np.maximum(0, s), "yes"), "True or False"),
    (lambda s, t: (np.maximum(0, s), True), "should be False"),
    (_in_place, "in place"),
    (lambda s, t: (max(0, s), True), "fails on an array"),
    (lambda s, t: 1 / 0, "ZeroDivisionError"),
    ("not a function", "should be a function"),
])
def test_each_typical_mistake_gets_its_own_friendly_message(fn, words):
    feedback = verdict(fn)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


def test_check_never_raises_and_assert_passed_carries_the_message():
    feedback = verdict(lambda s, t: (s, False))
    with pytest.raises(AssertionError, match="negative scores"):
        feedback.assert_passed()
