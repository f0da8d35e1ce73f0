"""Notebook 02: filter_and_decide and the blue-car design reject each typical mistake and accept right answers."""

import numpy as np
import pytest

from relulab.checks import check
from relulab.checks.core import CORRECT, NOT_YET, WRONG
from relulab.checks.filter import blue_evidence, streets
from relulab.experiments import detector
from tests.test_checks_contract import mine


def verdict(fn):
    return check.filter_and_decide(mine(fn))


@pytest.mark.parametrize("fn", [
    lambda s, t: (np.maximum(0, s), np.maximum(0, s).sum() > t),
    lambda s, t: (np.where(s > 0, s, 0), bool(np.where(s > 0, s, 0).sum() > t)),
    lambda s, t: (s * (s > 0), (s * (s > 0)).sum() > t),  # -0.0 entries are fine
    lambda s, t: [np.clip(s, 0, None), not np.clip(s, 0, None).sum() <= t],  # a list of two
])
def test_every_correct_variant_is_accepted(fn):
    assert verdict(fn).status == CORRECT, verdict(fn).message


def test_blank_exercise_says_not_yet():
    def blank(scores, threshold):
        raise NotImplementedError

    assert verdict(blank).status == NOT_YET


def _in_place(s, t):
    s[s < 0] = 0
    return s, s.sum() > t


@pytest.mark.parametrize("fn, words", [
    (lambda s, t: (s, np.maximum(0, s).sum() > t), "score -3 should be kept as 0, but you returned -3"),
    (lambda s, t: (np.minimum(0, s), np.maximum(0, s).sum() > t), "opposite of ReLU"),
    (lambda s, t: (np.abs(s), np.abs(s).sum() > t), "abs"),
    (lambda s, t: (s[s > 0], s[s > 0].sum() > t), "*replaces*"),
    (lambda s, t: (s > 0, s[s > 0].sum() > t), "True/False"),
    (lambda s, t: (np.maximum(0, s), s.sum() > t), "before"),
    (lambda s, t: (np.maximum(0, s), np.maximum(0, s).sum() >= t), "`>=`"),
    (lambda s, t: (np.maximum(0, s), np.maximum(0, s).sum() < t), "wrong way round"),
    (lambda s, t: (np.maximum(0, s), np.maximum(0, s).max() > t), "largest kept score"),
    (lambda s, t: (np.maximum(0, s), sum(np.maximum(0, s)) > t), "Python's `sum` adds up rows"),
    (lambda s, t: (np.maximum(0, s), np.maximum(0, s).sum() > t if s.max() < 1e5 else False),
     "threshold 1500000 the kept evidence adds up to 2001000, so the decision should be True"),
    (lambda s, t: (np.maximum(0.0, s.astype(float)), np.maximum(0, s).sum() > t), "keep the dtype"),
    (lambda s, t: (np.minimum(np.maximum(0, s), 100), np.maximum(0, s).sum() > t),
     "the score 2000000 should be kept as 2000000, but you returned 100"),
    (lambda s, t: np.maximum(0, s), "return two things"),
    (lambda s, t: None, "forget the `return"),
    (lambda s, t: (np.maximum(0, s), None), "None"),
    (lambda s, t: (np.maximum(0, s), "yes"), "True or False"),
    (lambda s, t: (np.maximum(0, s), True), "should be False"),
    (_in_place, "in place"),
    (lambda s, t: (max(0, s), True), "Python's `max(0, x)`"),
    (lambda s, t: 1 / 0, "ZeroDivisionError"),
])
def test_each_typical_mistake_gets_its_own_friendly_message(fn, words):
    feedback = verdict(fn)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


def test_kept_advice_quotes_the_scores_it_was_tried_on():
    # right on the red-car scores, wrong on a later street: the message names that street, not the first
    feedback = verdict(lambda s, t: (np.maximum(0, s) if s[0] == 10 else s, np.maximum(0, s).sum() > t))
    assert "[-2, -4, 1, -6]" in feedback.message and "score -2 should be kept as 0" in feedback.message


def test_check_never_raises_and_assert_passed_carries_the_message():
    feedback = verdict(lambda s, t: (s, False))
    with pytest.raises(AssertionError, match="negative scores"):
        feedback.assert_passed()


# ---------------------------------------------------------------------------------------
# The blue-car detector

@pytest.mark.parametrize("weights, bias", [((-1, -1, 1), 0.0), ((-2, -1, 2), -0.5), (np.array([-1.0, -1.0, 1.0]), 0)])
def test_blue_car_designs_that_work_are_accepted(weights, bias):
    assert check.blue_car_detector(weights, bias).status == CORRECT


@pytest.mark.parametrize("weights, bias, words", [
    (detector.DEFAULT_WEIGHTS, detector.DEFAULT_BIAS, "positive weight on blue"),  # the red detector
    ((-1, 1, -1), 0.0, "positive weight on blue"),
    ((-1, -1, 1), -0.1, "misses the blue car"),
    ((0, 0, 1), -0.5, "most of the evidence is not on the blue car"),  # the sky is blue too
    ((0, 0, 1), 0.0, "most of the evidence is not on the blue car"),
    ((-1, -1, 1), 0.6, "most of the evidence is not on the blue car"),
    ((1, 1, 1), -2.5, "misses the blue car"),
])
def test_blue_car_designs_that_fail_are_rejected_with_the_street_and_numbers(weights, bias, words):
    feedback = check.blue_car_detector(weights, bias)
    assert feedback.status == WRONG and words in feedback.message, feedback.message
    assert "seed" in feedback.message


def test_a_false_alarm_is_reported_on_a_street_without_a_blue_car():
    # finds every blue car, but with a positive bias the pale sky and the windows count as evidence too
    feedback = check.blue_car_detector((-1, -1, 1), 0.3)
    assert feedback.status == WRONG and "false alarm" in feedback.message
    assert "a street with a red car (seed 0)" in feedback.message and "more than the threshold 1" in feedback.message


@pytest.mark.parametrize("weights, bias, status, words", [
    (None, None, NOT_YET, "replace `None`"), ((1, 2), 0.0, WRONG, "three numbers"),
    ("blue", 0.0, WRONG, "three numbers"), ((1, 2, 3), (0, 1), WRONG, "single number"),
    ((np.inf, 0, 1), 0.0, WRONG, "inf"),
])
def test_blue_car_answers_of_the_wrong_kind_get_a_sentence(weights, bias, status, words):
    feedback = check.blue_car_detector(weights, bias)
    assert feedback.status == status and words in feedback.message


def test_the_streets_hold_blue_cars_and_streets_without_and_the_evidence_adds_up():
    with_blue = [cars for cars, _, _ in streets() if "blue" in cars]
    assert with_blue and len(with_blue) < len(streets())
    _, _, scene = streets()[0]
    e = blue_evidence(scene, (-1, -1, 1), 0.0)
    assert np.isclose(sum(e["parts"].values()), e["total"]) and e["on_blue"] > 0.5 * e["total"]


# ---------------------------------------------------------------------------------------
# false_alarm_evidence: a number read off the red-car explorer.

def explorer_reads_false_alarm() -> float:
    """Move the red-car explorer as the exercise says and read the kept evidence off its readout."""
    import re

    from relulab.widgets import red_car_explorer

    ex = red_car_explorer()
    ex.controls["scene"].value = "no red car"
    ex.controls["bias"].value = 0.2
    shown = re.search(r"kept evidence (\d+\.\d\d)", ex.readout.value)
    assert shown and "false alarm" in ex.readout.value, ex.readout.value
    return float(shown.group(1))


def test_false_alarm_evidence_accepts_the_number_the_explorer_shows():
    shown = explorer_reads_false_alarm()
    assert check.false_alarm_evidence(shown).status == CORRECT
    assert check.false_alarm_evidence(np.float64(shown)).status == CORRECT
    assert check.false_alarm_evidence(np.array(shown)).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    (0.0, "starting bias −0.1"),  # read before moving the bias
    (-101.66, "*without* ReLU"),  # the raw sum
    (13.75, "share of patches"), (0.1375, "share of patches"),  # the fraction kept
    (9.1, "'one red car'"),  # the wrong street
    (5.6, "not the kept evidence"), (5.4, "not the kept evidence"), (1.0, "not the kept evidence"),
    ("5.52", "without quotes"), ([5.52], "not a list"), ((5.52,), "not a tuple"), (np.array([5.52, 1.0]), "one number"),
    (True, "not True"), (float("nan"), "nan"), (float("inf"), "inf"), ({"a": 5.52}, "not a dict"),
])
def test_false_alarm_evidence_rejects_wrong_numbers_and_non_numbers_with_a_sentence(answer, words):
    feedback = check.false_alarm_evidence(answer)
    assert feedback.status == WRONG and words in feedback.message, feedback.message


def test_false_alarm_evidence_left_as_none_says_not_yet():
    feedback = check.false_alarm_evidence(None)
    assert feedback.status == NOT_YET and "replace `None`" in feedback.message
