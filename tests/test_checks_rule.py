"""The relu check must reject every typical mistake, with the right advice, and accept every correct variant."""

import numpy as np
import pytest

from relulab.checks import EXERCISES, check


def _abs(x):
    return np.abs(x)


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


def _wrong_shape(x):
    return np.maximum(0, np.ravel(x))[:1]


def _zero_wrong(x):
    return np.where(x >= 0, x + (x == 0), 0.0)


def _identity(x):
    return x


def _step(x):
    return (np.asarray(x) > 0).astype(float)


def _forgot_return(x):
    np.maximum(0, x)


def _flat_only(x):
    return np.array([max(0.0, v) for v in x])


def _clip_to_one(x):
    return np.clip(x, 0, 1)


def _not_implemented(x):
    raise NotImplementedError


def _typo(x):
    return np.maximun(0, x)  # the learner's typo: numpy has no maximun


MISTAKES = [
    (_abs, "abs"),
    (_python_max, "np.maximum"),
    (_if_statement, "np.maximum"),
    (_in_place, "in place"),
    (_list, "list"),
    (_wrong_shape, "shape"),
    (_zero_wrong, "relu(0) should be 0"),
    (_identity, "pass through unchanged"),
    (_step, "positive numbers should stay"),
    (_clip_to_one, "positive numbers should stay"),
    (_forgot_return, "return"),
    (_flat_only, "2-D"),
    (_typo, "AttributeError"),
    (42, "should be a function"),
]


@pytest.mark.parametrize("wrong, advice", MISTAKES, ids=[m[1] for m in MISTAKES])
def test_relu_check_rejects_each_typical_mistake_with_its_advice(wrong, advice):
    feedback = check.relu(wrong)
    assert not feedback and feedback.status == "wrong"
    assert advice in feedback.message
    with pytest.raises(AssertionError, match="relu"):
        feedback.assert_passed()


CORRECT = [
    lambda x: np.maximum(0, x),
    lambda x: np.where(x > 0, x, 0),
    lambda x: x * (x > 0),  # gives -0.0 for negatives, still right
    lambda x: np.clip(x, 0, None),
    lambda x: (x + np.abs(x)) / 2,
]


@pytest.mark.parametrize("right", CORRECT, ids=["maximum", "where", "mask", "clip", "abs-trick"])
def test_relu_check_accepts_every_correct_variant(right):
    feedback = check.relu(right)
    assert feedback and feedback.status == "correct"
    feedback.assert_passed()


def test_relu_check_says_not_yet_for_the_blank_exercise():
    feedback = check.relu(_not_implemented)
    assert feedback.status == "not yet" and "NotImplementedError" in feedback.message


def test_relu_check_shows_feedback_as_text_and_html():
    feedback = check.relu(_abs)
    assert repr(feedback).startswith("❌ relu:")
    assert "<div" in feedback._repr_html_() and "abs" in feedback._repr_html_()


@pytest.mark.parametrize("answer, status, words", [
    (None, "not yet", "replace `None`"), (0, "correct", "correct"), (0.0, "correct", "correct"),
    (3, "wrong", "sign was flipped"), (-3, "wrong", "smaller"), (7, "wrong", "neither"),
    ("zero", "wrong", "number"),
])
def test_warm_up_check(answer, status, words):
    feedback = check.warm_up(answer)
    assert feedback.status == status and words in feedback.message


def test_a_check_called_with_the_wrong_number_of_answers_explains_the_call():
    feedback = check.warm_up()
    assert feedback.status == "wrong" and "check.warm_up(answer)" in feedback.message


def test_every_registered_solution_passes_its_own_check():
    assert {"relu", "warm_up"} <= set(EXERCISES)
    for ex in EXERCISES.values():
        namespace = {"np": np}
        exec(ex.solution, namespace)
        feedback = ex.check(*(namespace[name] for name in ex.answers))
        assert feedback.passed, f"{ex.name}: {feedback.message}"
        assert ex.grading_call().startswith(f"check.{ex.name}(")


def test_unknown_exercise_names_list_the_known_ones():
    with pytest.raises(AttributeError, match="relu"):
        check.rleu  # noqa: B018
