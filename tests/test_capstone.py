"""Notebook 09, the capstone: its data split, its models, and the check that grades by accuracy levels.

The numbers that set the levels are measured here: a well-trained linear model reaches level 1 only, the
reference solution all three with a margin, an untrained network none; each way a model can fail gets its
own sentence. ``grade`` hands partial credit to nbgrader as a number (tests/test_capstone_coursework.py
runs nbgrader itself).
"""

import time

import numpy as np
import pytest

import relulab.checks
from relulab import data, nn
from relulab.checks import EXERCISES
from relulab.checks import capstone as checks
from relulab.checks.core import CORRECT, NOT_YET, PARTIAL, WRONG
from relulab.experiments import capstone


@pytest.fixture(scope="module")
def linear():
    model = capstone.linear_model(seed=0)
    capstone.train(model, learning_rate=0.1, epochs=40, seed=0)
    return model


@pytest.fixture(scope="module")
def reference():
    """The registered solution, run as the notebook runs it; -> (namespace, training seconds)."""
    namespace = {"__name__": "__main__"}  # the solution imports what it needs, so it runs in any cell
    started = time.perf_counter()
    exec(EXERCISES["capstone"].solution.replace("progress=True", "progress=False"), namespace)
    return namespace, time.perf_counter() - started


# ---------------------------------------------------------------------------------------
# The data: the learner's split and the held-out one.

def test_the_split_sizes_shapes_and_values():
    X_train, y_train, X_val, y_val = capstone.shifted_digits()
    X_held, y_held = capstone.held_out()
    assert (X_train.shape, X_val.shape, X_held.shape) == ((1097, 1, 9, 9), (300, 1, 9, 9), (400, 1, 9, 9))
    assert len(X_train) + len(X_val) + len(X_held) == 1797
    for X, y in [(X_train, y_train), (X_val, y_val), (X_held, y_held)]:
        assert X.dtype == np.float32 and y.dtype == np.int64 and len(X) == len(y)
        assert X.min() == 0 and X.max() <= 1 and set(np.unique(y)) == set(range(10))


def test_held_out_digits_are_the_ones_the_learners_split_leaves_out():
    known_X, known_y, held_X, held_y = data.digits(num_train=1397, seed=0)
    X_train, y_train, X_val, y_val = capstone.shifted_digits()
    assert np.array_equal(np.concatenate([y_train, y_val]), known_y)
    assert np.array_equal(capstone.held_out()[1], held_y)
    assert _holds(capstone.held_out()[0], held_X)
    assert _holds(np.concatenate([X_train, X_val]), known_X)


def _holds(canvases, digits) -> bool:
    """Each 9×9 canvas holds its 8×8 digit at one of the four spots, and nothing else."""
    digits = digits.reshape(-1, 8, 8)
    return len(canvases) == len(digits) and all(
        any(np.array_equal(canvas[0, top:top + 8, left:left + 8], digit) for top in (0, 1) for left in (0, 1))
        and np.isclose(canvas.sum(), digit.sum()) for canvas, digit in zip(canvases, digits, strict=True))


def test_every_digit_lands_at_one_of_four_spots_and_all_four_occur():
    X = capstone.shift(np.arange(64, dtype=np.float32)[None].repeat(400, 0) + 1, seed=3)
    spots = {(int(np.argwhere(img)[0][0]), int(np.argwhere(img)[0][1])) for img in X[:, 0]}
    assert spots == {(0, 0), (0, 1), (1, 0), (1, 1)}


# ---------------------------------------------------------------------------------------
# The models.

@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_make_cnn_maps_a_batch_of_digits_to_ten_scores(depth, activation):
    model = capstone.make_cnn(depth, activation, seed=0)
    assert model(capstone.held_out()[0][:5]).shape == (5, 10)
    assert sum(isinstance(layer, nn.Conv2d) for layer in model) == depth
    weights = [p.data.copy() for p in capstone.make_cnn(depth, activation, seed=0).parameters()]
    assert all(np.array_equal(a.data, b) for a, b in zip(model.parameters(), weights, strict=True))


@pytest.mark.parametrize("depth, activation, words", [(0, "relu", "1 to 3"), (4, "relu", "1 to 3"),
                                                      (2.5, "relu", "1 to 3"), (2, "swish", "one of")])
def test_make_cnn_says_what_to_choose_instead(depth, activation, words):
    with pytest.raises(ValueError, match=words):
        capstone.make_cnn(depth, activation)


def test_compare_designs_trains_each_design_on_the_same_batches():
    designs = {"a": {"kind": "linear", "learning_rate": 0.05}, "b": {"kind": "relu", "learning_rate": 0.05}}
    first = capstone.compare_designs(designs, epochs=2, seed=0)
    again = capstone.compare_designs(designs, epochs=2, seed=0)
    assert list(first) == ["a", "b"] and all(len(run["val_acc"]) == 2 for run in first.values())
    assert [run["val_acc"] for run in first.values()] == [run["val_acc"] for run in again.values()]


# ---------------------------------------------------------------------------------------
# The levels, measured: where a linear model and the reference land.

def test_a_well_trained_linear_model_reaches_level_one_only_with_a_margin(linear):
    accuracy = capstone.held_out_accuracy(linear)
    print(f"linear model, held-out accuracy {accuracy:.1%}")
    assert checks.LEVELS[0][0] + 0.05 <= accuracy < checks.LEVELS[1][0] - 0.03
    feedback = relulab.checks.check.capstone(linear)
    assert feedback.status == PARTIAL and feedback.points == 2 and not feedback
    assert f"{accuracy:.1%} of the 400 held-out digits right: level 1 of 3 reached, 2 of 6 points" in feedback.message
    assert "The next level is 90%" in feedback.message


def test_the_reference_solution_reaches_every_level_with_a_margin(reference):
    namespace, seconds = reference
    accuracy = capstone.held_out_accuracy(namespace["model"])
    print(f"reference solution: held-out accuracy {accuracy:.1%}, trained and validated in {seconds:.1f} s")
    assert accuracy >= checks.LEVELS[-1][0] + 0.015
    feedback = relulab.checks.check.capstone(namespace["model"])
    assert feedback.status == CORRECT and feedback.points is None
    assert "all 3 levels (75%, 90%, 95%), 6 of 6 points" in feedback.message


def test_the_solution_makes_the_three_choices_the_notebook_asks_for(reference):
    namespace, _ = reference
    assert namespace["activation"] in capstone.ACTIVATIONS and namespace["depth"] in (1, 2, 3)
    assert namespace["learning_rate"] > 0


@pytest.mark.parametrize("accuracy, reached", [(0.0, (0, 0.0)), (0.7499, (0, 0.0)), (0.75, (1, 2.0)),
                                               (0.8999, (1, 2.0)), (0.90, (2, 4.0)), (0.95, (3, 6.0)),
                                               (1.0, (3, 6.0))])
def test_levels_reached_at_each_threshold(accuracy, reached):
    assert checks.levels_reached(accuracy) == reached


class Answers(nn.Module):
    """A stand-in with a chosen held-out accuracy: the right digit for the first ``right`` images, else wrong."""

    def __init__(self, right: int):
        X, y = capstone.held_out()
        self.labels = {x.tobytes(): (label if i < right else (label + 1) % 10) for i, (x, label) in
                       enumerate(zip(X, y, strict=True))}

    def forward(self, x):
        return np.eye(10, dtype=np.float32)[[self.labels[image.tobytes()] for image in x]]


@pytest.mark.parametrize("right, status, points, words", [
    (380, CORRECT, None, "95.0% of the 400 held-out digits right: all 3 levels"),
    (379, PARTIAL, 4, "94.8% of the 400 held-out digits right: level 2 of 3 reached, 4 of 6 points. The next level "
                      "is 95%. More epochs"),
    (360, PARTIAL, 4, "90.0%"),
    (359, PARTIAL, 2, "level 1 of 3 reached, 2 of 6 points. The next level is 90%. The next level takes more than"),
    (300, PARTIAL, 2, "75.0%"),
    (299, WRONG, None, "74.8% of the 400 held-out digits right: below the first level, 75%"),
    (79, WRONG, None, "19.8% of the 400 held-out digits right, about what guessing scores"),
])
def test_each_level_boundary_gives_its_points_and_says_the_next_level(right, status, points, words):
    feedback = relulab.checks.check.capstone(Answers(right))
    assert feedback.status == status and feedback.points == points and words in feedback.message, feedback


# ---------------------------------------------------------------------------------------
# A sentence for each way a model can fail.

def nan_model():
    model = capstone.make_cnn(2, "relu", seed=0)
    model[0].weight.data[0, 0, 1, 1] = np.nan
    return model


def wrong_input_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 10, rng=np.random.default_rng(0)))


def wrong_output_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(81, 2, rng=np.random.default_rng(0)))


@pytest.mark.parametrize("answer, status, words", [
    (None, NOT_YET, "not done yet: `model` is still None"),
    (3, WRONG, "should be a network of `relulab.nn`"),
    (lambda x: np.zeros((len(x), 10)), WRONG, "it is a function"),
    (wrong_input_model(), WRONG, "could not read the held-out digits, a batch shaped (N, 1, 9, 9)"),
    (wrong_output_model(), WRONG, "should give 10 scores per digit, shape (400, 10), one per class 0–9; for 400 digits "
                                  "it gave shape (400, 2)"),
    (nan_model(), WRONG, "NaN or infinity: its weights blew up during training"),
    (capstone.make_cnn(2, "relu", seed=0), WRONG, "does your model look untrained?"),
])
def test_each_way_a_model_fails_gets_its_own_sentence(answer, status, words):
    feedback = relulab.checks.check.capstone(answer)
    assert feedback.status == status and words in feedback.message, feedback


def test_the_check_finds_model_in_the_namespace_and_says_when_it_is_missing(linear):
    assert relulab.checks.check.capstone(namespace={}).status == NOT_YET
    assert "`model` is not defined" in relulab.checks.check.capstone(namespace={}).message
    assert relulab.checks.check.capstone(namespace={"model": linear}).points == 2


def test_a_model_whose_scores_overflow_gets_no_warning_on_stderr(capsys):
    model = capstone.make_cnn(1, "relu", seed=0)
    model[-1].weight.data[:] = 3e38  # float32 overflows to inf in the Linear layer
    feedback = relulab.checks.check.capstone(model)
    assert feedback.status == WRONG and "NaN or infinity" in feedback.message
    assert capsys.readouterr().err == ""  # nbgrader scores a grade cell that writes to stderr 0


# ---------------------------------------------------------------------------------------
# grade: partial credit as a number (tests/test_grade.py runs it on notebooks' cells, in fresh processes).

def test_grade_refuses_partial_credit_outside_zero_to_the_exercises_points():
    from relulab.checks import core

    @core.exercise("_overpaid", title="a test exercise", solution="x = 1", points=2, answers="x")
    def check_overpaid(x):
        return core.Feedback("_overpaid", PARTIAL, "half", x)

    try:
        grade = core.seal()
        assert grade("_overpaid", {"x": 1}) == 1.0
        for points in (0, 2, 3, -1, "1", True, float("nan")):
            with pytest.raises(AssertionError, match="not graded"):
                grade("_overpaid", {"x": points})
    finally:
        del core.EXERCISES["_overpaid"]
