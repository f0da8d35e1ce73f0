"""The released notebooks as a student meets them: the student repository in JupyterLab, in a real browser.

`tools/make_coursework.py` (with the instructor's Python, as `make coursework` does) builds the student
repository into a temporary folder once; JupyterLab serves it, with the student repository's own `relulab`
first on the kernels' path (a student installs it with `pip install -r requirements.txt`: `-e .`), and for
every graded assignment (01–09): open it, clear outputs, Run All Cells (JupyterLab stops at the first cell
that raises), save, and read the saved notebook. No code cell may raise before the first check cell; that
check cell must have run and say "not yet" (⏳ ... not done yet); every widget must render as a widget.
A cell that raises after the first check (a later cell using an unanswered exercise) is allowed and printed.

Needs Debian's chromium and the `playwright` package (see tests/test_lab_in_browser.py). A release with an
error put before its first check must fail the same check (the test of the test, at the end).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from relulab.course import CHAPTERS

from .browser_lab import CHROMIUM, check_notebook, lab_server, open_browser

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTOR = ROOT / ".venv-instructor" / "bin" / "python"
RELEASED = [c.file.removesuffix(".ipynb") for c in CHAPTERS if c.ready and c.number > 0]  # graded work
NOT_YET = ("⏳", "not done yet")  # the verdict of a check on an unanswered exercise

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


def is_check(cell: dict) -> bool:
    """A graded check cell of a released notebook (nbgrader's autograded test cell)."""
    return cell["cell_type"] == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("grade", False)


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """The student repository, built once by `make_coursework.py` into a temporary folder."""
    if not INSTRUCTOR.exists():
        pytest.fail("the instructor's environment is missing: run `make instructor` (make test does it first).")
    out = tmp_path_factory.mktemp("coursework")
    env = {**os.environ, "PATH": f"{INSTRUCTOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    run = subprocess.run([str(INSTRUCTOR), str(ROOT / "tools" / "make_coursework.py"), "--out", str(out)],
                         capture_output=True, text=True, env=env, timeout=900)
    assert run.returncode == 0, f"make_coursework failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    print(f"make_coursework: {time.perf_counter() - started:.0f} s")
    return out / "student"


@pytest.fixture(scope="module")
def lab(student, tmp_path_factory):
    """One JupyterLab (kernels import the student repository's relulab) and one browser for the module."""
    home = tmp_path_factory.mktemp("jupyter")
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(student), os.environ.get("PYTHONPATH")]))}
    where = subprocess.run([sys.executable, "-c", "import relulab; print(relulab.__file__)"], cwd=student / "notebooks",
                           env={**os.environ, **env}, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(student), f"a kernel would import relulab from {where}, not the student's"
    with lab_server(student, home, env) as (base, token), playwright.sync_playwright() as p, \
            open_browser(p, home / "profile") as browser:
        yield browser.new_page(), base, token, student


def run_to_first_check(lab, relpath: str) -> tuple[dict, list[str]]:
    """Run the notebook in JupyterLab; return check_notebook's report and the first check cell's outputs as text."""
    page, base, token, student = lab
    report = check_notebook(page, base, token, student, relpath, timeout=900, until=is_check, move_explorers=False)
    saved = json.loads((student / relpath).read_text())
    first = next(c for c in saved["cells"] if is_check(c))
    return report, [json.dumps(o, ensure_ascii=False) for o in first["outputs"]]


def assert_says_not_yet(stem: str, shown: list[str]) -> None:
    assert shown, f"{stem}: the first check cell shows nothing"
    assert all(word in "".join(shown) for word in NOT_YET), f"{stem}: the first check does not say 'not yet': {shown}"


def test_every_graded_assignment_is_in_the_student_repository(student):
    assert sorted(p.stem for p in (student / "notebooks").glob("0[1-9]_*.ipynb")) == RELEASED


@pytest.mark.parametrize("stem", RELEASED)
def test_the_release_runs_in_jupyterlab_up_to_the_first_check_which_says_not_yet(lab, stem):
    report, shown = run_to_first_check(lab, f"notebooks/{stem}.ipynb")
    print(report)
    assert_says_not_yet(stem, shown)


# The tests of the test, on copies of the shortest release.

def shortest_release(student: Path) -> str:
    return min(RELEASED, key=lambda stem: (student / "notebooks" / f"{stem}.ipynb").stat().st_size)


def test_a_release_with_an_error_before_its_first_check_fails(lab):
    """A cell that raises just above the first check."""
    page, base, token, student = lab
    nb = nbformat.read(student / "notebooks" / f"{shortest_release(student)}.ipynb", as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if is_check(c))
    nb.cells.insert(first, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, student / "notebooks" / "broken.ipynb")
    with pytest.raises(AssertionError, match="raised ZeroDivisionError"):
        run_to_first_check(lab, "notebooks/broken.ipynb")


def test_a_release_whose_first_exercise_is_answered_does_not_say_not_yet(lab):
    """The first exercise's cell replaced by the solution version's (from the nbgrader course's source)."""
    page, base, token, student = lab
    stem = shortest_release(student)
    nb = nbformat.read(student / "notebooks" / f"{stem}.ipynb", as_version=4)
    source = nbformat.read(student.parent / "coursework" / "source" / stem / f"{stem}.ipynb", as_version=4)
    first_check = next(c for c in nb.cells if is_check(c)).metadata["nbgrader"]["grade_id"]
    answer = first_check.removesuffix("_check") + "_answer"
    solved = next(c for c in source.cells if c.metadata["nbgrader"]["grade_id"] == answer).source
    assert "### BEGIN SOLUTION" in solved
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == answer).source = solved
    nbformat.write(nb, student / "notebooks" / "answered.ipynb")
    _, shown = run_to_first_check(lab, "notebooks/answered.ipynb")
    with pytest.raises(AssertionError, match="does not say 'not yet'"):
        assert_says_not_yet("answered", shown)
