"""Notebook 08's checks reject typical wrong answers: epochs counted from 0, a strict <, errors read as accuracies,
the last epoch instead of the first; and a number read off the replay explorer for the wrong setting."""

import numpy as np
import pytest

from relulab.checks import EXERCISES, check
from relulab.checks import showdown as checks
from relulab.experiments import showdown as sd

__name__ = "__main__"  # noqa: A001 - the checks accept only functions written "in the notebook"


def _solution(name):
    namespace = {"__name__": "__main__", "np": np, "showdown": sd}
    exec(EXERCISES[name].solution, namespace)  # noqa: S102 - the course's own reference solution
    return namespace


def right(train_error, threshold):
    for epoch, error in enumerate(train_error, start=1):
        if error <= threshold:
            return epoch
    return None


def from_zero(train_error, threshold):
    for epoch, error in enumerate(train_error):
        if error <= threshold:
            return epoch
    return None


def strict(train_error, threshold):
    for epoch, error in enumerate(train_error, start=1):
        if error < threshold:
            return epoch
    return None


def as_accuracy(train_error, threshold):
    for epoch, error in enumerate(train_error, start=1):
        if error >= 1 - threshold:
            return epoch
    return None


def last(train_error, threshold):
    found = None
    for epoch, error in enumerate(train_error, start=1):
        if error <= threshold:
            found = epoch
    return found


def counted(train_error, threshold):
    return sum(1 for error in train_error if error <= threshold)


def nan_as_reached(train_error, threshold):
    for epoch, error in enumerate(train_error, start=1):
        if not error > threshold:
            return epoch
    return None


def returns_a_float(train_error, threshold):
    return 2.5


def returns_zero_when_never(train_error, threshold):
    return right(train_error, threshold) or 0


def test_the_reference_solution_and_a_plain_loop_pass():
    assert check.epochs_to_error(_solution("epochs_to_error")["epochs_to_error"]).passed
    assert check.epochs_to_error(right).passed


@pytest.mark.parametrize("wrong, words", [
    (from_zero, "counted epochs from 0"),
    (strict, "compare with `<=`, not `<`"),
    (as_accuracy, "not accuracies"),
    (last, "the last epoch"),
    (counted, "counted the epochs"),
    (nan_as_reached, "never reaches the threshold"),
    (returns_a_float, "return a whole number"),
    (returns_zero_when_never, "should be None"),
])
def test_typical_wrong_epochs_to_error_are_rejected_with_their_reason(wrong, words):
    feedback = check.epochs_to_error(wrong)
    assert feedback.status == "wrong" and words in feedback.message, feedback.message


def test_the_courses_own_function_is_not_the_learners():
    assert check.epochs_to_error(sd.epochs_to_error).status == "not yet"


def test_a_blank_exercise_is_not_yet():
    def blank(train_error, threshold):
        raise NotImplementedError

    assert "not done yet" in check.epochs_to_error(blank).message


@pytest.fixture(scope="module")
def answer():
    return checks._median_epochs(**checks.QUESTION)


def test_the_replay_answer_is_the_median_the_explorer_shows(answer):
    grid = sd.run_grid(sd.digits_data(), activations=("tanh",), depths=(3,), lrs=(0.03,))
    assert answer == sd.median_epochs(grid, "tanh", 3, 0.03, sd.THRESHOLD) and np.isfinite(answer)
    assert check.replay_epochs(answer).passed and check.replay_epochs(int(answer)).passed


def test_the_replay_solution_passes(answer):
    namespace = {"__name__": "__main__"}
    exec(EXERCISES["replay_epochs"].solution, namespace)  # noqa: S102
    assert check.replay_epochs(namespace["replay_epochs"]).passed


def test_wrong_replay_answers_are_rejected(answer):
    relu = checks._median_epochs("relu", 3, 0.03)
    assert check.replay_epochs(None).status == "not yet"
    assert "a number of epochs" in check.replay_epochs("four").message
    assert "training error or an accuracy" in check.replay_epochs(0.25).message
    assert "one epoch short" in check.replay_epochs(answer - 1).message
    assert check.replay_epochs(answer + 3).status == "wrong"
    if relu != answer:
        assert "ReLU needed" in check.replay_epochs(relu).message
    assert check.replay_epochs(True).status == "wrong"
