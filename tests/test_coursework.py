"""The coursework: `make coursework`'s nbgrader course and student repository, graded by nbgrader itself.

One build (tools/make_coursework.py, in the instructor's environment) and one `nbgrader autograde` over
every assignment and a few submitted students prove what the grading promises:

- the solution version gets full marks, run whole (training cells included, within the time limit);
- the blank release gets 0; a SyntaxError in an answer costs that exercise and nothing else;
- a typical wrong answer to every exercise scores 0 on it; and every typical wrong answer that a check
  knows (the mistakes registered in relulab.checks, the wrong designs and values of the checks' unit
  tests) makes the hidden test that nbgrader runs raise, each tried in a fresh IPython namespace;
- a notebook that reassigns `check` gets 0, and one that patches `Feedback` or the registry gets 0 even
  with right answers;
- a `written` markdown cell becomes a manually graded answer cell (two in one notebook get distinct ids
  and their own points), never an autograded test, and the points per notebook are INSTRUCTORS.md's.

Most submissions are *slim*: the cells that no answer, check or solution needs (explorers, training runs)
are deleted, as a learner may delete cells; a slim copy of the solution scoring full marks proves the
slimming changes no verdict.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from relulab.checks import EXERCISES, cnn, dying, rule, why
from relulab.checks import filter as filter_checks
from relulab.checks import showdown as showdown_checks
from relulab.checks import training as training_checks
from relulab.course import CHAPTERS
from relulab.experiments import detector

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTOR = ROOT / ".venv-instructor" / "bin" / "python"
sys.path.insert(0, str(ROOT / "tools"))
import make_coursework  # noqa: E402

SYNTHETIC = '''\
# %% [markdown]
# # 99 · A written question (a test notebook)

# %%
from relulab.checks import check

# %% [markdown]
# ![ReLU at a glance](../assets/relu_at_a_glance.png)
#
# **In one sentence:** why does ReLU turn −3 into 0? See [the rule](01_the_relu_rule.ipynb).

# %% [markdown] tags=["written", "points-3"]
# *Write your answer here.*

# %% [markdown]
# **And in another sentence:** why is max(0, 3) equal to 3?

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% tags=["exercise"]
answer = None  # replace None with the value of max(0, -3)

# %% tags=["check"]
check.warm_up()
'''


def instructor(*args, cwd=None, timeout=900):
    """Run a command with the instructor's Python (nbgrader lives there, not in the learner's environment)."""
    if not INSTRUCTOR.exists():
        pytest.fail("the instructor's environment is missing: run `make instructor` (make test does it first).")
    env = {**os.environ, "PATH": f"{INSTRUCTOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run([str(INSTRUCTOR), *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env,
                         timeout=timeout)
    assert run.returncode == 0, f"{args}\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """`make coursework` into a temporary folder, from the real sources plus a synthetic written question."""
    out = tmp_path_factory.mktemp("coursework")
    sources = out / "src"
    shutil.copytree(ROOT / "notebooks" / "src", sources)
    (sources / "99_written_question.py").write_text(SYNTHETIC, encoding="utf-8")
    started = time.perf_counter()
    instructor(ROOT / "tools" / "make_coursework.py", "--out", out, "--sources", sources)
    print(f"make_coursework: {time.perf_counter() - started:.0f} s")
    return out


def notebooks(built):
    return sorted(p.name for p in (built / "coursework" / "source").iterdir())


def load(built, kind, stem):
    return nbformat.read(built / "coursework" / kind / stem / f"{stem}.ipynb", as_version=4)


def grading(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


# Every ready notebook after the welcome has graded work (the registry says which notebooks are ready).
REAL = [c.file.removesuffix(".ipynb") for c in CHAPTERS if c.ready and c.number > 0]


# ---------------------------------------------------------------------------------------
# What `make coursework` writes.

def test_one_assignment_per_notebook_with_graded_work_and_the_welcome_stays_practice(built):
    assert notebooks(built) == REAL + ["99_written_question"]
    course = built / "coursework"
    config = (course / "nbgrader_config.py").read_text()
    assert "c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))" in config
    assert "c.OverwriteCells.add_missing_cells = True" in config and "c.Execute.timeout = 600" in config
    for stem in notebooks(built):
        assert (course / "source" / stem / f"{stem}.ipynb").is_file()
        assert (course / "release" / stem / f"{stem}.ipynb").is_file()


@pytest.mark.parametrize("stem", REAL)
def test_source_cells_carry_solutions_autograded_checks_and_locks(built, stem):
    learner = make_coursework.load_source(ROOT / "notebooks" / "src" / f"{stem}.py")
    source = load(built, "source", stem)
    ids = [grading(c)["grade_id"] for c in source.cells]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    assert len(source.cells) == len([c for c in learner.cells if "peek" not in c.metadata.get("tags", [])])
    checks = [c for c in source.cells if grading(c).get("grade")]
    assert checks, stem
    for cell in source.cells:
        meta = grading(cell)
        assert "peek(" not in cell.source
        if "written" in cell.metadata.get("tags", []):  # an answer in words, graded by hand
            assert cell.cell_type == "markdown" and meta["solution"] and meta["grade"] and not meta["locked"]
            assert meta["grade_id"].startswith(f"written_{stem[:2]}_") and meta["points"] > 0
        elif meta["solution"]:
            name = meta["grade_id"].removesuffix("_answer")
            solution = EXERCISES[name].solution
            assert f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION" in cell.source
            assert not meta["locked"] and not meta["grade"]
        elif meta["grade"]:
            name = meta["grade_id"].removesuffix("_check")
            assert meta["locked"] and meta["points"] == EXERCISES[name].points
            visible, hidden = cell.source.split("### BEGIN HIDDEN TESTS\n")
            assert visible.strip() == f"check.{name}()"
            assert f"relulab.checks.grade('{name}')" in hidden and hidden.rstrip().endswith("### END HIDDEN TESTS")
        else:
            assert meta["locked"]


@pytest.mark.parametrize("stem", REAL)
def test_released_cells_are_the_learners_cells_without_peeks_outputs_or_solutions(built, stem):
    learner = [c for c in make_coursework.load_source(ROOT / "notebooks" / "src" / f"{stem}.py").cells
               if "peek" not in c.metadata.get("tags", [])]
    release = load(built, "release", stem)
    assert [c.cell_type for c in release.cells] == [c.cell_type for c in learner]
    for mine, theirs in zip(release.cells, learner, strict=True):
        assert "BEGIN" not in mine.source and "peek(" not in mine.source
        assert not mine.get("outputs")
        if mine.cell_type == "code":
            assert mine.source.rstrip() == theirs.source.rstrip()
    text = json.dumps(release)
    for name, ex in EXERCISES.items():
        if f"check.{name}()" in text:
            assert ex.solution not in text, name


def test_a_written_markdown_cell_becomes_a_manually_graded_answer_with_its_points(built):
    source = load(built, "source", "99_written_question")
    written = [c for c in source.cells if "written" in c.metadata.get("tags", [])]
    manual = {"grade": True, "solution": True, "locked": False, "schema_version": 3}  # nbgrader: graded by hand
    assert [grading(c) for c in written] == [manual | {"points": 3, "grade_id": "written_99_1"},
                                             manual | {"points": 2, "grade_id": "written_99_2"}]
    assert all(c.cell_type == "markdown" and "task" not in grading(c) for c in written)  # an answer, not a task
    release = load(built, "release", "99_written_question")
    answers = [c for c in release.cells if "written" in c.metadata.get("tags", [])]
    assert [c.source.strip() for c in answers] == ["*Write your answer here.*"] * 2
    assert json.loads((built / "coursework" / "points.json").read_text())["99_written_question"] == {
        "written_99_1": 3, "written_99_2": 2, "warm_up_check": 1}


def test_two_written_cells_in_one_notebook_get_distinct_ids_and_their_own_points(tmp_path):
    source = tmp_path / "42_two_questions.py"
    source.write_text(SYNTHETIC, encoding="utf-8")
    nb, points, _ = make_coursework.source_notebook(source, {})
    written = [grading(c) for c in nb.cells if "written" in c.metadata.get("tags", [])]
    assert [(w["grade_id"], w["points"]) for w in written] == [("written_42_1", 3), ("written_42_2", 2)]
    assert all(w["solution"] and w["grade"] and not w["locked"] for w in written)  # nbgrader: manually graded
    assert points == {"written_42_1": 3, "written_42_2": 2, "warm_up_check": 1}
    assert make_coursework.point_totals(points) == {"autograded": 1, "written": 5, "total": 6}


def test_written_answers_are_not_autograded_tests_in_the_student_repository(built):
    tests = json.loads((built / "student" / ".github" / "classroom" / "autograding.json").read_text())["tests"]
    assert tests and not [t for t in tests if make_coursework.is_written(t["run"].split()[-1])]
    points = json.loads((built / "coursework" / "points.json").read_text())
    for stem in notebooks(built):
        checked = {k.removesuffix("_check"): v for k, v in points[stem].items() if k.endswith("_check")}
        mine = {t["run"].split()[-1]: t["points"] for t in tests if f"notebooks/{stem}.ipynb" in t["run"]}
        assert mine == checked, stem
        assert set(points[stem]) == set(f"{n}_check" for n in checked) | {
            k for k in points[stem] if make_coursework.is_written(k)}


def instructors_points() -> dict[str, tuple[int, int, int]]:
    """INSTRUCTORS.md's points table: notebook number -> (autograded, written, total)."""
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    row = r"^\| (\d\d) \| (\d+) \| (\d+) \| (\d+) \|$"
    found = make_coursework.re.findall(row, guide, make_coursework.re.MULTILINE)
    return {number: (int(a), int(w), int(t)) for number, a, w, t in found}


@pytest.mark.parametrize("stem", REAL)
def test_the_points_per_notebook_are_what_instructors_md_says(stem):
    _, points, _ = make_coursework.source_notebook(ROOT / "notebooks" / "src" / f"{stem}.py", {})
    totals = make_coursework.point_totals(points)
    assert instructors_points().get(stem[:2]) == (totals["autograded"], totals["written"], totals["total"]), stem
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    for grade_id, value in points.items():  # every question and exercise is listed with its points
        name = grade_id.removesuffix("_check")
        assert f"`{name}` ({value})" in guide, (stem, name, value)


def test_a_written_cell_without_points_is_refused_with_a_sentence(tmp_path):
    source = tmp_path / "98_bad.py"
    source.write_text(SYNTHETIC.replace(', "points-3"', ""), encoding="utf-8")
    with pytest.raises(make_coursework.CourseworkError, match="needs its points"):
        make_coursework.source_notebook(source, {})


def test_a_peek_cell_without_its_tag_is_refused_so_no_solution_leaks(tmp_path):
    source = tmp_path / "98_bad.py"
    source.write_text(SYNTHETIC + '\n# %%\npeek("warm_up")\n', encoding="utf-8")
    with pytest.raises(make_coursework.CourseworkError, match="not tagged `peek`"):
        make_coursework.source_notebook(source, {})


def test_links_and_pictures_work_inside_the_assignment_and_the_student_repository(built):
    course, student = built / "coursework" / "release", built / "student" / "notebooks"
    shown = load(built, "release", "99_written_question").cells[2].source
    assert "](assets/relu_at_a_glance.png)" in shown and "](../01_the_relu_rule/01_the_relu_rule.ipynb)" in shown
    for folder in [*course.iterdir(), student]:
        for path in folder.glob("*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type != "markdown":
                    continue
                for target in make_coursework.re.findall(r"\]\(([^)#\s]+)", cell.source):
                    if not target.startswith("http"):
                        assert (path.parent / target).exists(), (path.name, target)


def test_the_student_repository_has_notebooks_package_requirements_binder_and_no_solutions(built):
    student = built / "student"
    for name in ["requirements.txt", "pyproject.toml", "binder/requirements.txt", "relulab/checks/core.py",
                 "notebooks/00_welcome.ipynb", ".github/classroom/autograding.json"]:
        assert (student / name).exists(), name
    for path in (student / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert not any(c.get("outputs") for c in nb.cells), path.name
        assert "peek(" not in json.dumps(nb) and "BEGIN SOLUTION" not in json.dumps(nb), path.name
    package = "".join(p.read_text() for p in (student / "relulab" / "checks").glob("*.py"))
    for name, ex in EXERCISES.items():
        assert name == "warm_up" or ex.solution not in package, name  # the warm-up is practice
    tests = json.loads((student / ".github" / "classroom" / "autograding.json").read_text())["tests"]
    graded = sorted(name for stem in notebooks(built) for name in exercises_of(built, stem))
    assert sorted(t["run"].split()[-1] for t in tests) == graded
    assert all(t["run"].startswith("python -m relulab.grade notebooks/") for t in tests)
    assert "pip install" in tests[0]["setup"]  # once, before the first test


def test_the_release_runs_up_to_the_first_exercise_whose_check_says_not_yet(built):
    for stem in REAL:
        nb = load(built, "release", stem)
        first_check = next(i for i, c in enumerate(nb.cells) if grading(c).get("grade") and c.cell_type == "code")
        nb.cells = nb.cells[:first_check + 1]
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(built / "coursework" / "release" / stem)}}).execute()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, (stem, errors)
        shown = json.dumps(nb.cells[first_check].outputs, ensure_ascii=False)
        assert "⏳" in shown and "not done yet" in shown, (stem, shown[:300])  # the "not yet" verdict


# ---------------------------------------------------------------------------------------
# Submissions, graded by nbgrader.

def names_used(source: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)} | {"relulab", "check"}


def names_defined(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return found


def slim_ids(source_nb) -> set[str]:
    """The grade ids of the cells that the answers, checks and solutions need, by the names they use."""
    keep, needed = set(), set()
    for cell in reversed(source_nb.cells):
        meta = grading(cell)
        if cell.cell_type != "code":
            continue
        if meta.get("solution") or meta.get("grade") or names_defined(cell.source) & needed:
            keep.add(meta["grade_id"])
            needed |= names_used(cell.source)
    return keep


def predictions(**wrong) -> str:
    """The right predictions of notebook 01, with some replaced by a typical wrong one."""
    right = {"relu": [0, 0, 0.25, 2, 7], "slope": [0, 0, 1, 1, 1], "ramp": [0, 0, 0.25, 1, 1]} | wrong
    return "\n".join(f"predicted_{k} = {v}" for k, v in right.items())


def wrong_answers() -> dict[str, list[str]]:
    """For each exercise, sources of typical wrong answers (run after the learner's blank cell)."""
    def registered(module, name: str, answer: str) -> list[str]:
        """Each typical mistake a check module registers, called through a function defined in the notebook."""
        found = getattr(module, name)
        listed, path = (found.mistakes, "_m.mistakes") if hasattr(found, "mistakes") else (found, "_m")
        return [f"from {module.__name__} import {name} as _m\n{answer} = lambda *a, **k: {path}[{i}][0](*a, **k)"
                for i in range(len(listed))]

    right = next(n for n, e in enumerate(why.hinge_errors()) if e < why.HINGE_TARGET_ERROR)
    replay = showdown_checks._median_epochs(**showdown_checks.QUESTION)  # notebook 08's runs, trained again
    most = next(n for n, e in enumerate(why.hinge_errors("max_error")) if e < why.HINGE_TARGET_ERROR)
    designs = [(tuple(detector.DEFAULT_WEIGHTS), detector.DEFAULT_BIAS), ((-1, 1, -1), 0.0), ((-1, -1, 1), -0.1),
               ((0, 0, 1), -0.5), ((0, 0, 1), 0.0), ((-1, -1, 1), 0.6), ((1, 1, 1), -2.5)]  # tests/test_checks_filter
    return {
        "relu": registered(rule, "RELU", "relu"),
        "relu_predictions": [predictions(relu=[1.5, 0, 0.25, 2, 7]), predictions(slope=[0, 0, 0.25, 2, 7]),
                             predictions(ramp=[0, 0, 0.25, 2, 7])],
        "filter_and_decide": (
            [f"from relulab.checks.filter import WRONG_DECISIONS as _w\n"
             f"filter_and_decide = lambda s, t: (np.maximum(0, s), _w[{i}][0](s, t))"
             for i in range(len(filter_checks.WRONG_DECISIONS))] +
            [f"from relulab.checks.filter import WRONG_KEPT as _w\n"
             f"filter_and_decide = lambda s, t: (_w[{i}][0](s), bool(np.maximum(0, s).sum() > t))"
             for i in range(len(filter_checks.WRONG_KEPT))]),
        "blue_car_detector": [f"blue_weights = {w!r}\nblue_bias = {b!r}" for w, b in designs],
        "fewest_hinges": [f"fewest_hinges = {n}" for n in (right - 1, right + 1, most, 0.03)],
        "relu_derivative": registered(why, "RELU_DERIVATIVE", "relu_derivative"),
        "sigmoid_derivative": registered(why, "SIGMOID_DERIVATIVE", "sigmoid_derivative"),
        "count_dead": registered(dying, "WRONG_COUNTS", "count_dead"),
        "leaky_relu_forward": registered(dying, "FORWARD", "leaky_relu"),
        "leaky_relu_backward": registered(dying, "BACKWARD", "leaky_relu_backward"),
        "prelu_slope_grad": registered(dying, "WRONG_SLOPE_GRADS", "prelu_slope_grad"),
        "conv2d": [CONV2D_LOOPS.format(rows="h - k + 1", window="kernel[::-1, ::-1]"),  # a flipped kernel
                   CONV2D_LOOPS.format(rows="h - k", window="kernel"),  # one window short
                   CONV2D_LOOPS.format(rows="h - k + 1", window="1")],  # forgot the weights
        "stack_sizes": ["predicted_sizes = [30, 15, 15, 7, 3]", "predicted_sizes = [28, 14, 14, 7, 4]",
                        "predicted_sizes = [28, 14, 14, 7]"],
        "relu_backward": registered(cnn, "RELU_BACKWARD", "relu_backward"),
        "max_pool_backward": [  # the gradient sent to every cell of the window; no gradient at all
            "def max_pool_backward(dout, x):\n    return np.repeat(np.repeat(dout, 2, axis=2), 2, axis=3)\n",
            "def max_pool_backward(dout, x):\n    return np.zeros_like(x)\n"],
        "conv_weight_grad": [CONV_WEIGHT_GRAD.format(turn="[::-1, ::-1]"), CONV_WEIGHT_GRAD.format(turn=".T")],
        "conv_parameters": ["predicted_parameters = 32 * 16 * 3 * 3", "predicted_parameters = 16 * 3 * 3 + 32"],
        "design_network": [source for source, _ in training_checks.WRONG_DESIGNS],  # tests/test_checks_training
        "epochs_to_error": [EPOCHS_TO_ERROR.format(start="", compare="error <= threshold"),  # counted from 0
                            EPOCHS_TO_ERROR.format(start=", start=1", compare="error < threshold"),  # strict <
                            EPOCHS_TO_ERROR.format(start=", start=1", compare="error >= 1 - threshold")],  # accuracy
        "replay_epochs": [f"replay_epochs = {v}" for v in (replay - 1, replay + 3, 0.25)],
        "capstone": CAPSTONE_WRONG,
        # Numbers read off an explorer: read before moving a control, the wrong number of the readout, not a number.
        "false_alarm_evidence": ["false_alarm_evidence = 0.0", "false_alarm_evidence = -101.66",
                                 "false_alarm_evidence = 13.75", "false_alarm_evidence = '5.52'",
                                 "false_alarm_evidence = [5.52]", "false_alarm_evidence = float('nan')"],
        "sigmoid_shrink": ["sigmoid_shrink = 4.5", "sigmoid_shrink = 0.23", "sigmoid_shrink = 1.1",
                           "sigmoid_shrink = '4.3'", "sigmoid_shrink = (4.3,)"],
        "dead_units": ["dead_units = 1", "dead_units = 16", "dead_units = 48.5", "dead_units = '48'"],
        "window_count": ["window_count = 5", "window_count = 16", "window_count = 36", "window_count = [5, 5]",
                         "window_count = 25.5"],
        "gradient_share": ["gradient_share = 0.028", "gradient_share = 12.9", "gradient_share = 97.2",
                           "gradient_share = '2.8%'", "gradient_share = float('inf')"],
    }


EPOCHS_TO_ERROR = """\
def epochs_to_error(train_error, threshold):
    for epoch, error in enumerate(train_error{start}):
        if {compare}:
            return epoch
    return None
"""


CAPSTONE_WRONG = [  # 09: an untrained CNN; a model for 8 × 8 digits; 2 scores; NaN weights; not a network
    "from relulab.experiments import capstone as _c\nmodel = _c.make_cnn(2, 'relu', seed=0)",
    "from relulab import nn as _nn\nmodel = _nn.Sequential(_nn.Flatten(), _nn.Linear(64, 10))",
    "from relulab import nn as _nn\nmodel = _nn.Sequential(_nn.Flatten(), _nn.Linear(81, 2))",
    "from relulab.experiments import capstone as _c\nmodel = _c.make_cnn(1, 'relu', seed=0)\n"
    "model[0].weight.data[:] = float('nan')",
    "model = 'my network'",
]


CONV_WEIGHT_GRAD = """\
def conv_weight_grad(image, dout):
    k = image.shape[0] - dout.shape[0] + 1
    dweight = np.zeros((k, k))
    for a in range(k):
        for b in range(k):
            dweight[a, b] = np.sum(dout * image[a:a + dout.shape[0], b:b + dout.shape[1]])
    return dweight{turn}
"""


CONV2D_LOOPS = """\
def conv2d(image, kernel):
    h, w = image.shape
    k = kernel.shape[0]
    out = np.zeros(({rows}, w - k + 1))
    for i in range({rows}):
        for j in range(w - k + 1):
            out[i, j] = np.sum(image[i:i + k, j:j + k] * {window})
    return out
"""


TRICK_CHECK = """\
from relulab.checks import EXERCISES as _all, Feedback as _F
for _name in _all:
    setattr(check, _name, lambda *a, _n=_name, **k: _F(_n, "correct", "trust me"))
check = type("Checks", (), {"__getattr__": lambda self, n: lambda *a, **k: _F(n, "correct", "trust me")})()
"""
TRICK_FEEDBACK = """\
import relulab.checks.core as _core
_core.Feedback.assert_passed = lambda self: None
_core.Feedback.__bool__ = lambda self: True
for _e in list(_core.EXERCISES.values()):
    _core.EXERCISES[_e.name] = _core.Exercise(_e.name, _e.title, lambda *a, _n=_e.name, **k: _core.Feedback(
        _n, "correct", "trust me"), _e.solution, _e.points, _e.answers)
"""


def submission(built, stem, answers: dict[str, str | None], *, slim=True, extra: str | None = None):
    """The release of ``stem`` with ``answers[name]`` appended to each exercise cell (None: left blank)."""
    nb = load(built, "release", stem)
    keep = slim_ids(load(built, "source", stem)) if slim else None
    cells = []
    for cell in nb.cells:
        meta = grading(cell)
        if keep is not None and meta.get("grade_id") not in keep and not (
                meta.get("solution") and cell.cell_type == "markdown"):
            continue
        cell = copy.deepcopy(cell)
        name = meta.get("grade_id", "").removesuffix("_answer")
        if meta.get("solution") and answers.get(name) is not None:
            cell.source = f"{cell.source.rstrip()}\n{answers[name]}\n"
        cells.append(cell)
    if extra is not None:
        first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
        cells.insert(first_code + 1, nbformat.v4.new_code_cell(extra))
    nb.cells = cells
    return nb


def exercises_of(built, stem) -> list[str]:
    return [grading(c)["grade_id"].removesuffix("_check") for c in load(built, "source", stem).cells
            if grading(c).get("grade") and c.cell_type == "code"]


@pytest.fixture(scope="module")
def graded(built):
    """Submit every kind of student for every assignment, run one `nbgrader autograde`, read the gradebook."""
    course = built / "coursework"
    wrong = wrong_answers()
    plan = {}
    for stem in notebooks(built):
        names = exercises_of(built, stem)
        solutions = {n: EXERCISES[n].solution for n in names}
        plan[("solution", stem)] = submission(built, stem, solutions, slim=False)
        if stem not in REAL:
            continue
        plan[("slim_solution", stem)] = submission(built, stem, solutions)
        plan[("blank", stem)] = submission(built, stem, {})
        plan[("syntax_error", stem)] = submission(built, stem, {**solutions, names[0]: "def broken(:\n    pass"})
        plan[("wrong", stem)] = submission(built, stem, {n: wrong[n][0] for n in names})
    written = [grading(c)["grade_id"] for c in load(built, "source", "99_written_question").cells
               if "written" in c.metadata.get("tags", [])]
    reply = {written[0]: "Because max(0, −3) picks the larger of 0 and −3.", "warm_up": "answer = 0"}
    plan[("written_answer", "99_written_question")] = submission(built, "99_written_question", reply, slim=False)
    deleted = submission(built, REAL[0], {n: EXERCISES[n].solution for n in exercises_of(built, REAL[0])})
    deleted.cells = [c for c in deleted.cells if not (grading(c).get("grade") and c.cell_type == "code")]
    plan[("deleted_checks", REAL[0])] = deleted
    # The tricks act on the course's modules, the same in every notebook: one assignment shows it.
    plan[("trick_check", REAL[0])] = submission(built, REAL[0], {}, extra=TRICK_CHECK)
    plan[("trick_feedback", REAL[0])] = submission(built, REAL[0], {n: EXERCISES[n].solution
                                                                    for n in exercises_of(built, REAL[0])},
                                                   extra=TRICK_FEEDBACK)
    for (student, stem), nb in plan.items():
        folder = course / "submitted" / student / stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{stem}.ipynb")
    started = time.perf_counter()
    instructor("-m", "nbgrader", "autograde", "*", "--force", cwd=course, timeout=1500)
    print(f"autograde of {len(plan)} submissions: {time.perf_counter() - started:.0f} s")
    dump = instructor("-c", GRADEBOOK_DUMP, cwd=course)
    scores = {}
    for student, stem, grade_id, score, max_score, manual in json.loads(dump.stdout):
        scores.setdefault((student, stem), {})[grade_id] = (score, max_score, manual)
    return scores, wrong


GRADEBOOK_DUMP = """
import json
from nbgrader.api import Gradebook
rows = []
with Gradebook("sqlite:///gradebook.db") as gb:
    for assignment in gb.assignments:
        for sub in gb.assignment_submissions(assignment.name):
            for nb in sub.notebooks:
                for g in nb.grades:
                    rows.append([sub.student.id, assignment.name, g.name, g.score, g.max_score, g.needs_manual_grade])
print(json.dumps(rows))
"""


def autograded(scores, student, stem):
    return {k: v for k, v in scores[(student, stem)].items() if not k.startswith("written")}


@pytest.mark.parametrize("stem", REAL)
def test_the_solution_gets_full_marks_whole_and_slim(graded, stem):
    scores, _ = graded
    for student in ("solution", "slim_solution"):
        got = autograded(scores, student, stem)
        assert got and all(score == top for score, top, _ in got.values()), (student, got)


def test_deleted_test_cells_are_put_back_and_graded(graded, built):
    scores, _ = graded
    got = autograded(scores, "deleted_checks", REAL[0])
    assert sorted(got) == sorted(f"{n}_check" for n in exercises_of(built, REAL[0]))
    assert all(score == top > 0 for score, top, _ in got.values()), got


@pytest.mark.parametrize("stem", REAL)
def test_the_blank_release_gets_zero(graded, stem):
    scores, _ = graded
    assert all(score == 0 for score, _, _ in scores[("blank", stem)].values())


@pytest.mark.parametrize("stem", REAL)
def test_a_syntax_error_in_one_answer_costs_that_exercise_only(graded, stem, built):
    scores, _ = graded
    first, *others = exercises_of(built, stem)
    got = scores[("syntax_error", stem)]
    assert got[f"{first}_check"][0] == 0
    assert all(got[f"{n}_check"][0] == got[f"{n}_check"][1] for n in others)


def test_reassigning_check_scores_zero_and_patching_feedback_and_the_registry_voids_even_right_answers(graded):
    scores, _ = graded
    for student in ("trick_check", "trick_feedback"):
        got = autograded(scores, student, REAL[0])
        assert got and all(score == 0 for score, _, _ in got.values()), student


@pytest.mark.parametrize("stem", REAL)
def test_a_typical_wrong_answer_to_every_exercise_scores_zero(graded, stem, built):
    scores, _ = graded
    for name in exercises_of(built, stem):
        score, top, _ = scores[("wrong", stem)][f"{name}_check"]
        assert score == 0 < top, name


SHELL = r"""
import contextlib, io, json, sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
results = []
for cells in json.loads(sys.stdin.read()):
    shell.reset(new_session=False)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for cell in cells[:-1]:
            shell.run_cell(cell)
        error = shell.run_cell(cells[-1]).error_in_exec
    results.append(f"{type(error).__name__}: {error}" if error else None)
print(json.dumps(results))
"""


def test_every_typical_wrong_answer_fails_the_hidden_test_that_nbgrader_runs(built):
    """All the typical wrong answers, each in a fresh namespace: the hidden test (grade) raises on every one."""
    cases, labels = [], []
    for stem in REAL:
        release = load(built, "release", stem)
        for cell in release.cells:
            name = grading(cell).get("grade_id", "").removesuffix("_answer")
            if grading(cell).get("solution") and cell.cell_type == "code":  # not a written answer
                for answer in wrong_answers()[name]:
                    cases.append(["import numpy as np\nimport relulab.checks\nfrom relulab.checks import check",
                                  cell.source, answer, f"relulab.checks.grade({name!r})"])
                    labels.append((name, answer))
    run = subprocess.run([sys.executable, "-c", SHELL], input=json.dumps(cases), capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    verdicts = json.loads(run.stdout)
    assert len(verdicts) == len(labels) > 50
    for (name, answer), verdict in zip(labels, verdicts, strict=True):
        assert verdict and verdict.startswith(f"AssertionError: {name} (wrong)"), (name, answer, verdict)


def test_a_written_answer_is_left_for_the_instructor_and_a_blank_one_gets_zero(graded):
    scores, _ = graded
    written = {k: v for k, v in scores[("solution", "99_written_question")].items() if k.startswith("written")}
    assert written == {"written_99_1": (0.0, 3.0, False), "written_99_2": (0.0, 2.0, False)}  # blank: 0 by itself
    assert scores[("solution", "99_written_question")]["warm_up_check"][:2] == (1.0, 1.0)
    answered = scores[("written_answer", "99_written_question")]
    assert {k: v for k, v in answered.items() if k.startswith("written")} == {
        "written_99_1": (0.0, 3.0, True), "written_99_2": (0.0, 2.0, False)}  # the answered one needs a person


# ---------------------------------------------------------------------------------------
# The grading command of a student repository.

def grade_command(notebook: Path, exercise: str):
    return subprocess.run([sys.executable, "-m", "relulab.grade", str(notebook), exercise], capture_output=True,
                          text=True, cwd=notebook.parent, timeout=300)


def test_the_grading_command_exits_0_for_a_right_answer_and_1_with_the_message_for_a_wrong_one(built, tmp_path):
    for label, answer, code, words in [("right", "def relu(x):\n    return np.maximum(0, x)", 0, "correct"),
                                       ("wrong", "def relu(x):\n    return np.abs(x)", 1, "that is `abs`"),
                                       ("blank", None, 1, "not done yet")]:
        nb = submission(built, "01_the_relu_rule", {"relu": answer}, slim=False)
        path = tmp_path / f"{label}.ipynb"
        nbformat.write(nb, path)
        run = grade_command(path, "relu")
        assert run.returncode == code and words in run.stdout, (label, run.stdout, run.stderr)


def test_the_grading_command_says_how_to_call_it_when_the_exercise_is_unknown(built):
    run = grade_command(built / "student" / "notebooks" / "01_the_relu_rule.ipynb", "sigmoid")
    assert run.returncode == 2 and "its exercises are: relu, relu_predictions" in run.stderr


def test_instructors_guide_lists_every_ready_notebook_with_the_course_maps_title_and_time():
    from relulab.course import CHAPTERS

    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    for chapter in CHAPTERS:
        if chapter.ready:
            assert f"| {chapter.number:02d} | {chapter.title} | {chapter.minutes} min |" in guide, chapter.title
    for command in ["generate_assignment", "release_assignment", "collect", "autograde", "generate_feedback",
                    "export", "nbgitpuller", "python -m relulab.grade", "container"]:
        assert command in guide, command
