"""The rules every check shares: it cannot be fooled by accident, it never raises, and it says what to fix.

Section 3 of the second edition: a check recognises the course's own function and anything not written in
the notebook; a missing name gives "not yet", not a NameError; every function check tries magnitudes up to
1e6, negative zero, plain numbers, 0-d and n-d arrays, float32 and float64, and its message quotes an input,
the value expected and the value returned.
"""

import re
import sys
import types

import numpy as np
import pytest

from relulab import activations
from relulab.checks import EXERCISES, check, peek
from relulab.checks.contract import fmt
from relulab.checks.core import CORRECT, NOT_YET, WRONG
from relulab.experiments.nonlinearity import bumpy, fit_hinges


def mine(fn):
    """``fn`` as if the learner had typed it in a notebook cell (IPython runs cells in ``__main__``)."""
    fn.__module__ = "__main__"
    return fn


def notebook_namespace(**names):
    """What a notebook's namespace holds when a solution cell has run: numpy, the course imports, the answers."""
    x_grid = np.linspace(-np.pi, np.pi, 400)
    return {"__name__": "__main__", "np": np, "sigmoid": activations.sigmoid, "fit_hinges": fit_hinges,
            "x_grid": x_grid, "target": bumpy(x_grid), **names}


FUNCTION_EXERCISES = {  # exercise -> (answer name, a right answer, a call that shows the course's own)
    "relu": activations.relu,
    "relu_derivative": activations.relu_grad,
    "sigmoid_derivative": activations.sigmoid_grad,
    "leaky_relu_forward": activations.leaky_relu,
    "leaky_relu_backward": activations.leaky_relu_grad,
    "filter_and_decide": activations.relu,
    "count_dead": activations.relu,
    "prelu_slope_grad": activations.relu,
}


# ---------------------------------------------------------------------------------------
# Every registered solution passes its own check, found by name as a notebook would.

@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_registered_solution_passes_its_own_check(name):
    ex = EXERCISES[name]
    namespace = notebook_namespace()
    exec(ex.solution, namespace)
    feedback = ex.check(namespace=namespace)
    assert feedback.passed, f"{name}: {feedback.message}"
    assert feedback.status == CORRECT and ex.points >= 1 and ex.title
    assert ex.grading_call() == f"check.{name}().assert_passed()"
    # the same answers passed explicitly give the same verdict
    assert ex.check(*(namespace[a] for a in ex.answers)).passed


def test_every_notebook_has_a_predict_design_or_measure_exercise():
    for name in ["relu_predictions", "blue_car_detector", "fewest_hinges", "count_dead", "prelu_slope_grad"]:
        assert name in EXERCISES


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_a_missing_name_says_not_yet_instead_of_raising_name_error(name):
    feedback = EXERCISES[name].check(namespace={"__name__": "__main__", "np": np})
    assert feedback.status == NOT_YET and "Run your exercise cell first" in feedback.message
    assert EXERCISES[name].answers[0] in feedback.message
    with pytest.raises(AssertionError, match="not yet"):
        feedback.assert_passed()


def test_the_check_looks_the_name_up_in_the_callers_module_when_called_without_arguments(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))  # no shell
    module = types.ModuleType("notebook_like")
    module.__dict__["check"] = check
    exec("result = check.relu()", module.__dict__)
    assert module.result.status == NOT_YET and "`relu` is not defined" in module.result.message
    exec("def relu(x):\n    return abs(x)\nresult = check.relu()", module.__dict__)
    # defined in module "notebook_like", not in a notebook cell: graded as "not the learner's"
    assert module.result.status == NOT_YET and "notebook_like" in module.result.message
    module.__dict__["__name__"] = "__main__"
    exec("import numpy as np\ndef relu(x):\n    return np.maximum(0, x)\nresult = check.relu()", module.__dict__)
    assert module.result.status == CORRECT


def test_the_check_looks_the_name_up_in_ipythons_user_namespace(monkeypatch):
    user_ns = {"__name__": "__main__"}
    exec("import numpy as np\ndef relu(x):\n    return np.maximum(0, x)", user_ns)
    shell = types.SimpleNamespace(user_ns=user_ns)
    fake_ipython = types.SimpleNamespace(get_ipython=lambda: shell)
    monkeypatch.setitem(sys.modules, "IPython", fake_ipython)
    assert check.relu().status == CORRECT
    del user_ns["relu"]
    assert check.relu().status == NOT_YET


@pytest.mark.parametrize("name, reference", sorted(FUNCTION_EXERCISES.items()))
def test_the_courses_own_function_is_not_graded_as_the_learners(name, reference):
    feedback = EXERCISES[name].check(reference)
    assert feedback.status == NOT_YET, feedback
    assert "the course's own" in feedback.message and "Run your exercise cell" in feedback.message
    with pytest.raises(AssertionError):
        feedback.assert_passed()


@pytest.mark.parametrize("name", sorted(FUNCTION_EXERCISES))
def test_a_function_defined_in_another_module_is_not_graded_as_the_learners(name):
    namespace = notebook_namespace(__name__="someone_elses_module")
    exec(EXERCISES[name].solution, namespace)
    feedback = EXERCISES[name].check(namespace=namespace)  # right code, but not written in the notebook
    assert feedback.status == NOT_YET and "someone_elses_module" in feedback.message


@pytest.mark.parametrize("name", sorted(FUNCTION_EXERCISES))
def test_a_numpy_function_or_a_non_function_is_rejected_with_a_sentence(name):
    feedback = EXERCISES[name].check(np.abs)
    assert feedback.status == WRONG and "not a function written in this notebook" in feedback.message
    feedback = EXERCISES[name].check(42)
    assert feedback.status == WRONG and "should be a function" in feedback.message


def test_a_blank_exercise_and_a_foreign_answer_both_fail_assert_passed():
    for feedback in [check.relu(mine(lambda x: (_ for _ in ()).throw(NotImplementedError))),
                     check.relu(activations.relu), check.relu(namespace={})]:
        assert feedback.status == NOT_YET
        with pytest.raises(AssertionError):
            feedback.assert_passed()


# ---------------------------------------------------------------------------------------
# Wide inputs, and messages that quote an input, the expected value and the value returned.

QUOTE = re.compile(r"(\w+)\(([^()]*)\) should be (\S+), but your function returned (\S+?)(?=;|,| \(|\.\s|\.$)")

ELEMENTWISE_WRONG = {  # exercise -> wrong answers that are right on small numbers, or subtly off
    "relu": [lambda x: np.clip(x, 0, 1000), lambda x: np.where(np.asarray(x) < -1, 0, x),
             lambda x: np.maximum(0, np.asarray(x, dtype=np.float32)).astype(np.asarray(x).dtype) + 0 * x
             if np.asarray(x).dtype == np.float64 and np.max(np.abs(x)) > 1e5 else np.maximum(0, x) * 1.001],
    "relu_derivative": [lambda x: (np.asarray(x) > 0).astype(float) * (np.abs(x) < 1e4),
                        lambda x: np.where(np.asarray(x) > 0, 1.0, np.where(np.asarray(x) < 0, 0.0, 2.0))],
    "sigmoid_derivative": [lambda x: 0.25 * np.exp(-np.asarray(x, dtype=float) ** 2 / 7)],
    "leaky_relu_forward": [lambda x, negative_slope=0.01: np.where(np.asarray(x) > -1e3, np.where(
        np.asarray(x) > 0, x, negative_slope * np.asarray(x)), 0)],
    "leaky_relu_backward": [lambda dout, x, negative_slope=0.01: np.asarray(dout) * np.where(
        np.asarray(x) > 0, 1.0, negative_slope) * (np.abs(x) < 1e4)],
}


@pytest.mark.parametrize("name, wrong", [(n, w) for n, ws in ELEMENTWISE_WRONG.items() for w in ws])
def test_wrong_answers_are_caught_and_the_quoted_numbers_are_the_answers_own(name, wrong):
    feedback = EXERCISES[name].check(mine(wrong))
    assert feedback.status == WRONG, feedback
    quoted = QUOTE.search(feedback.message)
    assert quoted, feedback.message
    args = [float(a.split("=")[-1]) for a in quoted.group(2).split(", ")]
    should, returned = float(quoted.group(3)), float(quoted.group(4))
    assert should != returned
    kwargs = {}
    if "negative_slope=" in quoted.group(2):
        kwargs["negative_slope"] = args.pop()
    with np.errstate(all="ignore"):
        got = float(np.asarray(wrong(*[np.array(a) for a in args], **kwargs)))
    assert fmt(got) == quoted.group(4) or np.isclose(got, returned, rtol=1e-5), feedback.message


def test_a_relu_wrong_only_above_a_thousand_is_caught_at_a_large_input():
    feedback = check.relu(mine(lambda x: np.clip(x, 0, 1000)))
    assert feedback.status == WRONG
    assert "relu(1000000) should be 1000000, but your function returned 1000" in feedback.message
    assert "only large inputs" in feedback.message


def test_advice_never_contradicts_the_numbers_it_quotes():
    # The first edition said "negative numbers should become 0, but relu(-2) gave 0" to this answer.
    feedback = check.relu(mine(lambda x: np.where(np.asarray(x) < -1, 0.0, x)))
    assert feedback.status == WRONG and "relu(-0.5) should be 0, but your function returned -0.5" in feedback.message
    # and "leaky_relu(2) = 2, but you returned 2" to one wrong only on small positives
    feedback = check.leaky_relu_forward(mine(lambda x, negative_slope=0.01: np.where(
        np.asarray(x) > 1, x, np.where(np.asarray(x) > 0, 0.0, negative_slope * np.asarray(x)))))
    assert "leaky_relu(0.5) should be 0.5, but your function returned 0" in feedback.message


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_and_float64_inputs_are_tried_and_the_dtype_is_kept(dtype):
    other = np.float64 if dtype == np.float32 else np.float32
    wrong = mine(lambda x: np.maximum(0, x).astype(other) if np.asarray(x).dtype == dtype else np.maximum(0, x))
    feedback = check.relu(wrong)
    assert feedback.status == WRONG and f"turned a {np.dtype(dtype)} input into {np.dtype(other)}" in feedback.message


@pytest.mark.parametrize("breaks_on, words", [
    (lambda x: np.ndim(x) == 0, "0-d array"), (lambda x: np.ndim(x) == 2, "2-D array"),
    (lambda x: np.ndim(x) == 3, "3-D array"), (lambda x: isinstance(x, float) and x == 0 and np.signbit(x), "-0.0"),
    (lambda x: isinstance(x, float), "single number"),
])
def test_every_kind_of_input_is_tried(breaks_on, words):
    feedback = check.relu(mine(lambda x: np.maximum(0, x) - 1 if breaks_on(x) else np.maximum(0, x)))
    assert feedback.status == WRONG and words in feedback.message, feedback.message


def test_a_type_error_inside_the_learners_code_is_reported_as_such_not_as_a_wrong_signature():
    feedback = check.relu(mine(lambda x: np.maximum(x)))  # a call inside the answer is missing an argument
    assert feedback.status == WRONG and "your code raised TypeError" in feedback.message
    feedback = check.relu(mine(lambda: 0))  # the answer's own signature is wrong
    assert feedback.status == WRONG and "Keep the signature" in feedback.message


def test_negative_zero_counts_as_zero_in_answers():
    assert check.relu(mine(lambda x: np.asarray(x) * (np.asarray(x) > 0))).status == CORRECT
    assert check.relu(mine(lambda x: np.where(np.asarray(x) >= 0, x, 0.0))).status == CORRECT


def test_an_in_place_write_is_caught_even_when_it_only_flips_the_sign_of_zero():
    def sneaky(x):
        if isinstance(x, np.ndarray) and x.ndim:
            x[x == 0] = 0.0  # turns -0.0 into 0.0 in the caller's array
        return np.maximum(0, x)

    feedback = check.relu(mine(sneaky))
    assert feedback.status == WRONG and "in place" in feedback.message


def test_learner_warnings_do_not_leak_into_the_check(recwarn):
    check.sigmoid_derivative(mine(lambda x: np.exp(-np.asarray(x, float)) / (1 + np.exp(-np.asarray(x, float))) ** 2))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_feedback_shows_as_text_and_html_and_peek_folds_the_solution():
    feedback = check.relu(mine(lambda x: np.abs(x)))
    assert repr(feedback).startswith("❌ relu:") and "<div" in feedback._repr_html_()
    assert "<details>" in peek("relu")._repr_html_() and "np.maximum" in repr(peek("relu"))


def test_a_check_called_with_the_wrong_number_of_answers_explains_the_call():
    feedback = check.relu_predictions([0])
    assert feedback.status == WRONG and "check.relu_predictions()" in feedback.message


def test_unknown_exercise_names_list_the_known_ones():
    with pytest.raises(AttributeError, match="relu"):
        check.rleu  # noqa: B018


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_each_check_is_fast(name):
    import time

    namespace = notebook_namespace()
    exec(EXERCISES[name].solution, namespace)
    EXERCISES[name].check(namespace=namespace)  # warm caches (the streets, the hinge errors)
    started = time.perf_counter()
    EXERCISES[name].check(namespace=namespace)
    assert time.perf_counter() - started < 1.0


# ---------------------------------------------------------------------------------------
# Every function check tries every kind of input: an answer wrong on only that kind is caught.

def solution_function(name):
    namespace = notebook_namespace()
    exec(EXERCISES[name].solution, namespace)
    return namespace[EXERCISES[name].answers[0]]


def _large(x):
    return np.abs(np.asarray(x, dtype=float)) >= 1e5


KINDS = {  # a kind of input -> is this call's input of that kind?
    "float32": lambda x: np.asarray(x).dtype == np.float32,
    "0-d array": lambda x: isinstance(x, np.ndarray) and x.ndim == 0,
    "2-D array": lambda x: np.ndim(x) == 2,
    "3-D array": lambda x: np.ndim(x) == 3,
    "single number": lambda x: isinstance(x, float),
    "negative zero": lambda x: isinstance(x, float) and x == 0 and np.signbit(x),
}
ARRAY_CHECKS = ["relu", "relu_derivative", "sigmoid_derivative", "leaky_relu_forward", "leaky_relu_backward",
                "prelu_slope_grad"]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", ARRAY_CHECKS)
def test_an_answer_wrong_on_one_kind_of_input_only_is_caught(name, kind):
    right = solution_function(name)

    def wrong_there(*args, **kwargs):
        out = right(*args, **kwargs)
        return out * 1.01 + 7 if KINDS[kind](args[-1]) else out

    assert EXERCISES[name].check(mine(wrong_there)).status == WRONG


@pytest.mark.parametrize("name", ARRAY_CHECKS)
def test_an_answer_wrong_only_on_inputs_of_a_million_is_caught(name):
    right = solution_function(name)

    def wrong_when_large(*args, **kwargs):
        if name == "prelu_slope_grad":
            dout, x = args
            return right(dout, np.where(_large(x), 0.0, x))  # ignores the largest entries
        out = right(*args, **kwargs)
        return np.where(_large(args[-1]), out * 0.5 + 1, out)

    feedback = EXERCISES[name].check(mine(wrong_when_large))
    assert feedback.status == WRONG, feedback.message
