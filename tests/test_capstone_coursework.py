"""The capstone as coursework, graded by nbgrader itself: partial credit by accuracy levels.

`make coursework` for notebook 09 alone, then one `nbgrader autograde` over a few students: the reference
solution (the whole notebook, run top to bottom), a blank release, a linear model (the deliberately weak
design), a SyntaxError, and a linear model with a written answer. What it proves: the solution gets all
6 points of the check, the blank and the SyntaxError 0, the linear model 2 of 6 (level 1 of 3), and the
written answer waits for a person. The grading command gives a level per autograding step with
``--min-points``. (tests/test_coursework.py grades 09 together with every other ready notebook.)
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import nbformat
import pytest

from relulab.checks import EXERCISES
from tests.test_coursework import GRADEBOOK_DUMP, ROOT, grading, instructor, load, submission

STEM = "09_capstone"
LINEAR = """\
model = capstone.linear_model(seed=0)
history = nn.fit(model, X_train, y_train, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1, momentum=0.9),
                 num_epochs=40, X_val=X_val, y_val=y_val, rng=np.random.default_rng(0), progress=False)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("capstone")
    instructor(ROOT / "tools" / "make_coursework.py", "--out", out, "09")
    return out


def written_id(built) -> str:
    return next(grading(c)["grade_id"] for c in load(built, "source", STEM).cells
                if "written" in c.metadata.get("tags", []))


@pytest.fixture(scope="module")
def graded(built):
    course = built / "coursework"
    written = written_id(built)
    solution = EXERCISES["capstone"].solution
    plan = {
        "solution": submission(built, STEM, {"capstone": solution}, slim=False),
        "blank": submission(built, STEM, {}),
        "linear": submission(built, STEM, {"capstone": LINEAR}),
        "syntax_error": submission(built, STEM, {"capstone": f"{solution}\ndef broken(:\n    pass"}),
        "linear_and_written": submission(built, STEM, {"capstone": LINEAR, written: "Sigmoid saturates."}),
    }
    for student, nb in plan.items():
        folder = course / "submitted" / student / STEM
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{STEM}.ipynb")
    started = time.perf_counter()
    instructor("-m", "nbgrader", "autograde", STEM, "--force", cwd=course, timeout=1500)
    print(f"autograde of {len(plan)} capstone submissions: {time.perf_counter() - started:.0f} s")
    scores = {}
    for student, _, grade_id, score, max_score, manual in json.loads(instructor("-c", GRADEBOOK_DUMP,
                                                                               cwd=course).stdout):
        scores.setdefault(student, {})[grade_id.replace(written, "written")] = (score, max_score, manual)
    return scores


def test_the_assignment_has_one_check_worth_6_points_and_a_written_answer_worth_3(built):
    points = json.loads((built / "coursework" / "points.json").read_text())[STEM]
    assert points == {"capstone_check": 6, written_id(built): 3}
    release = load(built, "release", STEM)
    exercise = next(c for c in release.cells if grading(c).get("solution") and c.cell_type == "code")
    assert "model = None" in exercise.source and "make_cnn" not in exercise.source  # no solution released


def test_the_solution_run_whole_gets_all_the_points_of_the_check(graded):
    assert graded["solution"]["capstone_check"] == (6.0, 6.0, False)


def test_the_blank_release_and_a_syntax_error_get_zero(graded):
    assert all(score == 0 for score, _, _ in graded["blank"].values())
    assert graded["syntax_error"]["capstone_check"][0] == 0


def test_a_linear_model_gets_partial_marks_level_1_of_3(graded):
    assert graded["linear"]["capstone_check"] == (2.0, 6.0, False)


def test_the_written_answer_is_left_for_a_person(graded):
    assert graded["linear"]["written"] == (0.0, 3.0, False)  # unanswered: 0 by itself
    assert graded["linear_and_written"]["written"] == (0.0, 3.0, True)  # answered: needs manual grading
    assert graded["linear_and_written"]["capstone_check"] == (2.0, 6.0, False)


@pytest.mark.parametrize("extra, code, words", [
    ([], 1, "points: 2 of 6"),
    (["--min-points", "2"], 0, "level 1 of 3 reached"),
    (["--min-points", "4"], 1, "points: 2 of 6"),
    (["--min-points", "two"], 2, "--min-points takes a number"),
])
def test_the_grading_command_reports_partial_credit_and_passes_a_level_with_min_points(built, tmp_path, extra,
                                                                                        code, words):
    path = tmp_path / f"{STEM}.ipynb"
    nbformat.write(submission(built, STEM, {"capstone": LINEAR}), path)
    run = subprocess.run([sys.executable, "-m", "relulab.grade", str(path), "capstone", *extra],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == code and words in run.stdout + run.stderr, (run.stdout, run.stderr)


def test_the_grading_command_passes_the_reference_solution(built, tmp_path):
    path = tmp_path / f"{STEM}.ipynb"
    nbformat.write(submission(built, STEM, {"capstone": EXERCISES["capstone"].solution}), path)
    run = subprocess.run([sys.executable, "-m", "relulab.grade", str(path), "capstone"], capture_output=True,
                         text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 0 and "✅ capstone: " in run.stdout and "all 3 levels" in run.stdout, run.stdout
