"""`relulab.checks.grade`: the autograder's verdict, which a notebook cannot talk round with a one-line trick.

Each case runs in a fresh IPython shell in a child process (a trick patches the course's modules, and
must not leak into other tests): the course is imported, the cells run, then ``grade(NAME)``.
"""

import json
import subprocess
import sys

import pytest

from relulab.checks import grade

RUNNER = r"""
import contextlib, io, json, sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
results = []
for cells in json.loads(sys.stdin.read()):
    for name in [m for m in sys.modules if m.startswith("relulab")]:
        del sys.modules[name]
    shell.reset(new_session=False)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        shell.run_cell("import numpy as np\nimport relulab.checks\nfrom relulab.checks import check, Feedback")
        for cell in cells[:-1]:
            shell.run_cell(cell)
        outcome = shell.run_cell(cells[-1])
    error = outcome.error_in_exec
    results.append([type(error).__name__ if error else None, str(error) if error else repr(outcome.result)])
print(json.dumps(results))
"""

RIGHT = "def relu(x):\n    return np.maximum(0, x)"
WRONG = "def relu(x):\n    return np.abs(x)"
TRICKS = {
    "check.relu replaced": "check.relu = lambda *a, **k: Feedback('relu', 'correct', 'trust me')",
    "check reassigned": "check = None",
    "Feedback.assert_passed patched": "Feedback.assert_passed = lambda self: None",
    "Feedback.__bool__ patched": "Feedback.__bool__ = lambda self: True",
    "registry entry replaced": "import relulab.checks.core as c\nc.EXERCISES['relu'] = c.EXERCISES['warm_up']",
    "a check's helper patched": "import relulab.checks.rule as r\nr.check_elementwise = lambda *a: None",
    "numpy patched": "np.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: np.ones(np.shape(a), bool)",
    "a probe list emptied": "import relulab.checks.contract as c\nc.STORY.clear()",
    "the grader's own helper patched": "import relulab.checks.core as c\nc._fingerprint = lambda *a: 0",
}


def grade_in_fresh_shells(cases):
    run = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(cases), capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def verdicts():
    cases = {"right": [RIGHT, "relulab.checks.grade('relu')"],
             "wrong": [WRONG, "relulab.checks.grade('relu')"],
             "blank": ["relulab.checks.grade('relu')"],
             "the course's own": ["from relulab.activations import relu", "relulab.checks.grade('relu')"],
             "check says": [WRONG, "check.relu()"]}
    for label, trick in TRICKS.items():
        cases[f"wrong, {label}"] = [WRONG, trick, "relulab.checks.grade('relu')"]
        cases[f"right, {label}"] = [RIGHT, trick, "relulab.checks.grade('relu')"]
    return dict(zip(cases, grade_in_fresh_shells(list(cases.values())), strict=True))


def test_a_right_answer_passes_and_returns_the_learners_feedback(verdicts):
    error, shown = verdicts["right"]
    assert error is None and "✅ relu: correct!" in shown


def test_a_wrong_blank_or_foreign_answer_raises_with_the_message_the_learner_saw(verdicts):
    error, message = verdicts["wrong"]
    _, seen = verdicts["check says"]
    assert error == "AssertionError" and message.startswith("relu (wrong): ")
    assert message.removeprefix("relu (wrong): ") in seen
    assert verdicts["blank"][0] == "AssertionError" and "relu (not yet)" in verdicts["blank"][1]
    assert verdicts["the course's own"][0] == "AssertionError" and "course's own" in verdicts["the course's own"][1]


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_a_one_line_trick_gains_nothing(verdicts, trick):
    error, message = verdicts[f"wrong, {trick}"]
    assert error == "AssertionError", (trick, message)


@pytest.mark.parametrize("trick", sorted(set(TRICKS) - {"check reassigned"}))
def test_changing_the_courses_code_voids_even_a_right_answer_and_says_what_changed(verdicts, trick):
    error, message = verdicts[f"right, {trick}"]
    assert error == "AssertionError" and "(not graded): this notebook changed the course's own code" in message


def test_reassigning_the_name_check_in_the_notebook_changes_nothing_for_the_grader(verdicts):
    assert verdicts["right, check reassigned"][0] is None


def test_an_unknown_exercise_is_named_with_the_known_ones():
    with pytest.raises(AssertionError, match="there is no exercise called 'sigmoid'; the exercises are: "):
        grade("sigmoid")


# ---------------------------------------------------------------------------------------
# Partial credit (the capstone's levels), and a learner who seeds the engine.

CAPSTONE_SETUP = """\
from relulab import nn
from relulab.experiments import capstone
X_train, y_train, X_val, y_val = capstone.shifted_digits()
"""
LINEAR = """\
nn.manual_seed(0)
model = capstone.linear_model(seed=0)
history = nn.fit(model, X_train, y_train, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1, momentum=0.9),
                 num_epochs=40, progress=False)
"""


@pytest.fixture(scope="module")
def capstone_verdicts():
    from relulab.checks import EXERCISES

    solution = EXERCISES["capstone"].solution.replace("progress=True", "progress=False")
    cases = {"linear": [CAPSTONE_SETUP, LINEAR, "relulab.checks.grade('capstone')"],
             "linear, printed": [CAPSTONE_SETUP, LINEAR, "import contextlib, io\n_out = io.StringIO()\n"
                                 "with contextlib.redirect_stdout(_out):\n    relulab.checks.grade('capstone')\n"
                                 "_out.getvalue()"],
             "reference": [CAPSTONE_SETUP, solution, "relulab.checks.grade('capstone')"],
             "untrained": [CAPSTONE_SETUP, "model = capstone.make_cnn(2, 'relu')", "relulab.checks.grade('capstone')"],
             "blank": [CAPSTONE_SETUP, "model = None", "relulab.checks.grade('capstone')"],
             "right relu, engine seeded": [RIGHT, "from relulab import nn\nnn.manual_seed(3)",
                                           "relulab.checks.grade('relu')"]}
    return dict(zip(cases, grade_in_fresh_shells(list(cases.values())), strict=True))


def test_partial_credit_is_the_points_earned_as_a_number_after_the_learners_message(capstone_verdicts):
    assert capstone_verdicts["linear"] == [None, "2.0"]  # what nbgrader reads as the cell's score
    error, printed = capstone_verdicts["linear, printed"]
    assert error is None and "🟡 capstone: " in printed and "level 1 of 3 reached, 2 of 6 points" in printed


def test_full_marks_return_the_feedback_and_no_level_raises(capstone_verdicts):
    assert capstone_verdicts["reference"][0] is None and "✅ capstone: " in capstone_verdicts["reference"][1]
    error, message = capstone_verdicts["untrained"]
    assert error == "AssertionError" and message.startswith("capstone (wrong): ") and "untrained" in message
    assert capstone_verdicts["blank"][0] == "AssertionError" and "capstone (not yet)" in capstone_verdicts["blank"][1]


def test_seeding_the_engine_is_not_tampering(capstone_verdicts):
    assert capstone_verdicts["right relu, engine seeded"][0] is None
