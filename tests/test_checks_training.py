"""Notebook 07's check: a design is trained by the check and judged; typical wrong designs are refused with reasons."""

import numpy as np
import pytest

from relulab import nn
from relulab.checks import EXERCISES, check
from relulab.checks import training as checks
from relulab.checks.core import CORRECT, NOT_YET, WRONG


def _answer(source):
    namespace = {"nn": nn, "np": np, "__name__": "__main__"}  # as in a notebook cell
    exec(source, namespace)
    return namespace["build_network"], namespace["learning_rate"]


def test_the_registered_solution_reaches_the_target_within_the_budget():
    feedback = check.design_network(*_answer(EXERCISES["design_network"].solution))
    assert feedback.status == CORRECT, feedback.message
    assert "518,144 multiply-adds per scene" in feedback.message and "3,442 parameters" in feedback.message


def test_the_verdict_is_the_same_every_time():
    build, lr = _answer(checks.DESIGN_SOLUTION)
    checks._recall.forget()
    first = checks.train_design(build, lr)
    checks._recall.forget()  # train it again from scratch, not from the memory
    second = checks.train_design(build, lr)
    assert first is not second
    assert first["val_acc"] == second["val_acc"] and first["history"].loss == second["history"].loss


def test_a_design_checked_again_is_not_retrained_but_a_changed_one_is():
    build, lr = _answer(checks.DESIGN_SOLUTION)
    first = checks.train_design(build, lr)
    assert checks.train_design(build, lr) is first
    assert checks.train_design(build, lr * 2) is not first
    wider, _ = _answer(checks.DESIGN_SOLUTION.replace("(8, 16,", "(8, 12,").replace("16 * 8 * 8", "12 * 8 * 8"))
    keys = [checks.design_key(fn(np.random.default_rng(0)), lr) for fn in (wider, build)]
    assert keys[0] != keys[1]


@pytest.mark.parametrize("source, phrase", checks.WRONG_DESIGNS, ids=lambda v: v if len(v) < 20 else None)
def test_typical_wrong_designs_are_refused_with_the_reason(source, phrase):
    feedback = check.design_network(*_answer(source))
    assert feedback.status == WRONG and phrase in feedback.message, feedback.message


def test_a_learning_rate_that_blows_up_is_named():
    build, _ = _answer(checks.DESIGN_SOLUTION)
    feedback = check.design_network(build, 1e6)
    assert feedback.status == WRONG
    assert "too large" in feedback.message or "blew up" in feedback.message, feedback.message


@pytest.mark.parametrize("lr, words", [(None, "not done yet"), (-0.01, "positive number"), ("0.01", "positive number"),
                                       (float("nan"), "positive number")])
def test_a_missing_or_impossible_learning_rate_gets_a_sentence(lr, words):
    build, _ = _answer(checks.DESIGN_SOLUTION)
    feedback = check.design_network(build, lr)
    assert words in feedback.message and feedback.status in (NOT_YET, WRONG)


def test_a_network_not_returned_or_not_a_function_is_explained():
    source = ("def build_network(rng):\n    nn.Sequential(nn.Flatten(), nn.Linear(3072, 2, rng=rng))\n"
              "learning_rate = 0.01\n")
    assert "forget `return`" in check.design_network(*_answer(source)).message
    assert "should be a function" in check.design_network(42, 0.01).message
    assert check.design_network(namespace={}).status == NOT_YET


def test_the_check_finds_the_answers_in_the_notebook_by_name():
    build, lr = _answer(checks._design("nn.Flatten(), nn.Linear(3 * 32 * 32, 1, rng=rng)", 0.01))
    feedback = check.design_network(namespace={"build_network": build, "learning_rate": lr})
    assert feedback.status == WRONG and "2 scores" in feedback.message
