"""Make the coursework: an nbgrader course directory and a student repository, from notebooks/src.

    python tools/make_coursework.py              # build/coursework/ and build/student/
    python tools/make_coursework.py --out DIR    # DIR/coursework/ and DIR/student/
    python tools/make_coursework.py 01 03        # only the assignments of notebooks 01 and 03

Run it with the instructor's environment (``requirements-instructor.txt``: nbgrader), as ``make coursework``
does. One source makes both versions. In each notebook that has graded work (every one but the welcome
notebook, whose warm-up is practice):

- an ``exercise`` cell becomes an nbgrader solution cell: the learner's cell as it is, then the
  registered solution between ``### BEGIN SOLUTION`` and ``### END SOLUTION``. nbgrader's stubs are
  empty, so the released cell is the learner's cell, and in the solution the solution's definition,
  coming second, is the one that counts;
- a ``check`` cell becomes a locked autograded cell worth the exercise's registered points: its visible
  line still shows the learner's feedback, and a hidden test calls ``relulab.checks.grade``, which
  raises unless the answer is right (nbgrader gives full marks to a grade cell that does not raise);
- a markdown cell tagged ``written`` becomes a manually graded answer cell (nbgrader's "manually graded
  answer": ``solution`` and ``grade``, never a test, so it is not in the autograding of ``build/student``);
  its points come from its metadata (``points``) or a tag ``points-N``, and its id is ``written_NN_K``,
  the K-th written answer of notebook NN;
- ``peek`` cells (which show a solution) are dropped; every other cell is locked, with a unique id;
- pictures (``../assets/...``) are copied into the assignment folder, and links to other notebooks
  point at their assignment folders (or, for a notebook that is not an assignment, at the course's
  repository), so both work inside a released assignment.

``build/student/`` is what a learner gets: the released notebooks (no solutions, no outputs) side by
side in ``notebooks/``, the course package (with the ``*_SOLUTION`` texts blanked), the requirements,
``binder/``, the pictures, and a GitHub Classroom ``autograding.json`` that runs
``python -m relulab.grade NOTEBOOK EXERCISE`` for every exercise.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from build_notebooks import SOURCES, load_source  # noqa: E402

from relulab.checks import EXERCISES  # noqa: E402

PRACTICE = {"00_welcome"}
"""Notebooks that hold practice, not graded work: released to learners, never an assignment."""

SCHEMA = 3
_CHECK_CALL = re.compile(r"^check\.(\w+)\(\)$")
_POINTS_TAG = re.compile(r"^points-(\d+)$")
_NOTEBOOK_LINK = re.compile(r"\]\((\d\d_[a-z0-9_]+)\.ipynb(#[^)]*)?\)")
_ASSET_LINK = re.compile(r"\.\./assets/([\w.-]+)")

CONFIG = '''\
"""nbgrader's configuration for the course "ReLU, from max(0, x) to CNNs" (written by tools/make_coursework.py)."""
import os

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))  # this folder, wherever it is moved
c.CourseDirectory.course_id = "relu-course"
c.GenerateAssignment.create_assignment = True

# A learner's cell is kept as it is: the solution regions are replaced by nothing.
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = ""

# Training cells take a while on a laptop's 2 cores; the default limit is 30 s per cell.
c.Execute.timeout = 600
c.ExecutePreprocessor.timeout = 600

# A test cell that a learner deleted is put back before grading.
c.OverwriteCells.add_missing_cells = True
'''


class CourseworkError(ValueError):
    """A notebook source that cannot become an assignment, with what to fix."""


def is_assignment(stem: str) -> bool:
    return stem not in PRACTICE


def tags(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


def checked_exercise(cell) -> str | None:
    """``check.relu()`` -> ``"relu"`` for a check cell, else None."""
    if cell.cell_type != "code" or "check" not in tags(cell):
        return None
    lines = [line for line in cell.source.strip().splitlines() if line.strip() and not line.startswith("#")]
    found = _CHECK_CALL.match(lines[-1].strip()) if lines else None
    if not found:
        raise CourseworkError(f"a check cell should end with `check.NAME()`, but it reads: {cell.source!r:.80}")
    if found.group(1) not in EXERCISES:
        raise CourseworkError(f"the check cell calls check.{found.group(1)}(), which is not a registered exercise.")
    return found.group(1)


def written_points(cell) -> int:
    """The points of a ``written`` markdown cell: metadata ``points`` or a tag ``points-N``."""
    points = cell.metadata.get("points")
    for tag in tags(cell):
        if _POINTS_TAG.match(tag):
            points = int(_POINTS_TAG.match(tag).group(1))
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise CourseworkError("a `written` answer cell needs its points: a tag such as `points-2`, or "
                              f"`points=2` in its metadata. It begins: {cell.source[:60]!r}")
    return points


def written_id(stem: str, k: int) -> str:
    """The grade id of the ``k``-th written answer (from 1) of notebook ``stem``: ``written_03_2``."""
    return f"written_{stem[:2]}_{k}"


def is_written(grade_id: str) -> bool:
    """Is this grade id a manually graded written answer (rather than an autograded check)?"""
    return re.fullmatch(r"written_\d\d_\d+", grade_id) is not None


def point_totals(points: dict[str, int]) -> dict[str, int]:
    """One notebook's points: ``{"autograded": A, "written": W, "total": A + W}``."""
    written = sum(v for k, v in points.items() if is_written(k))
    autograded = sum(v for k, v in points.items() if k.endswith("_check"))
    return {"autograded": autograded, "written": written, "total": autograded + written}


def nbgrader(grade_id: str, *, solution=False, grade=False, locked=True, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA, "solution": solution}
    if points is not None:
        meta["points"] = points
    return meta


def source_notebook(path: Path, links: dict[str, str]) -> tuple[nbformat.NotebookNode, dict[str, int], set[str]]:
    """The nbgrader source version of one notebook: (notebook, {grade_id: points}, asset files it shows).

    ``links``: for each notebook stem, where a link to it should point from inside an assignment.
    """
    nb = load_source(path)
    cells, points, assets = [], {}, set()
    exercise_cell = None
    written = 0
    for number, cell in enumerate(nb.cells):
        cell = copy.deepcopy(cell)
        if "peek" in tags(cell):
            continue
        if cell.cell_type == "code" and re.search(r"^\s*peek\(", cell.source, re.MULTILINE):
            raise CourseworkError(f"{path.name}: a cell calls peek(...) but is not tagged `peek`, so the student "
                                  "version would show a solution. Tag it: `# %% tags=[\"peek\"]`.")
        if cell.cell_type == "markdown":
            assets |= set(_ASSET_LINK.findall(cell.source))
            cell.source = _ASSET_LINK.sub(r"assets/\1", cell.source)
            cell.source = _NOTEBOOK_LINK.sub(lambda m: f"]({links.get(m.group(1), m.group(1) + '.ipynb')}"
                                             f"{m.group(2) or ''})", cell.source)
        if "exercise" in tags(cell):
            exercise_cell = cell
            cells.append(cell)  # its metadata is set when its check cell names the exercise
            continue
        name = checked_exercise(cell)
        if name is not None:
            if exercise_cell is None:
                raise CourseworkError(f"{path.name}: the check of {name!r} has no `exercise` cell above it.")
            ex = EXERCISES[name]
            exercise_cell.source = (f"{exercise_cell.source.rstrip()}\n### BEGIN SOLUTION\n{ex.solution}\n"
                                    "### END SOLUTION")
            exercise_cell.metadata["nbgrader"] = nbgrader(f"{name}_answer", solution=True, locked=False)
            cell.source = (f"{cell.source.rstrip()}\n### BEGIN HIDDEN TESTS\nimport relulab.checks\n"
                           f"relulab.checks.grade({name!r})\n### END HIDDEN TESTS")
            cell.metadata["nbgrader"] = nbgrader(f"{name}_check", grade=True, points=ex.points)
            points[f"{name}_check"] = ex.points
            exercise_cell = None
        elif "written" in tags(cell):
            if cell.cell_type != "markdown":
                raise CourseworkError(f"{path.name}: a `written` answer cell should be a markdown cell.")
            written += 1
            grade_id = written_id(path.stem, written)
            cell.source = f"{cell.source.rstrip()}\n\n### BEGIN SOLUTION\n### END SOLUTION"
            cell.metadata["nbgrader"] = nbgrader(grade_id, solution=True, grade=True, locked=False,
                                                 points=written_points(cell))
            points[grade_id] = cell.metadata["nbgrader"]["points"]
        else:
            cell.metadata["nbgrader"] = nbgrader(f"cell_{number:02d}")
        cells.append(cell)
    unchecked = [c for c in cells if "exercise" in tags(c) and "nbgrader" not in c.metadata]
    if unchecked:
        raise CourseworkError(f"{path.name}: an `exercise` cell has no `check` cell after it: "
                              f"{unchecked[0].source[:60]!r}")
    nb.cells = cells
    return nb, points, assets


def notebook_links(assignments: list[str], sources: Path = SOURCES) -> dict[str, str]:
    """Where a link to each notebook points from inside an assignment folder."""
    repo = repository_url()
    links = {}
    for path in sources.glob("[0-9][0-9]_*.py"):
        stem = path.stem
        links[stem] = f"../{stem}/{stem}.ipynb" if stem in assignments else f"{repo}/blob/HEAD/notebooks/{stem}.ipynb"
    return links


def repository_url() -> str:
    """The course's public repository, read from the README's Binder badge."""
    found = re.search(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/", (ROOT / "README.md").read_text(encoding="utf-8"))
    if not found:
        raise CourseworkError("README.md has no Binder badge naming the course's GitHub repository.")
    return f"https://github.com/{found.group(1)}"


def write_course(out: Path, stems: list[str], sources: Path = SOURCES) -> dict[str, dict[str, int]]:
    """Write ``out/coursework``: the config and one source assignment per notebook; return the points."""
    course = out / "coursework"
    if course.exists():
        shutil.rmtree(course)
    (course / "source").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    links = notebook_links(stems, sources)
    all_points = {}
    for stem in stems:
        nb, points, assets = source_notebook(sources / f"{stem}.py", links)
        folder = course / "source" / stem
        folder.mkdir()
        nbformat.write(nb, folder / f"{stem}.ipynb")
        for asset in sorted(assets):
            (folder / "assets").mkdir(exist_ok=True)
            shutil.copy2(ROOT / "assets" / asset, folder / "assets" / asset)
        all_points[stem] = points
    (course / "points.json").write_text(json.dumps(all_points, indent=1) + "\n", encoding="utf-8")
    return all_points


def nbgrader_command(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``course`` with this environment's tools on PATH (nbgrader calls ``alembic``)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
                          env=env)


def generate(course: Path, stems: list[str]) -> None:
    """``nbgrader generate_assignment``: release/ gets the student versions (one nbgrader run for them all)."""
    every = sorted(p.name for p in (course / "source").iterdir()) == sorted(stems)
    for assignment in ["*"] if every else stems:
        run = nbgrader_command(course, "generate_assignment", assignment, "--force")
        if run.returncode != 0 or "ERROR" in run.stderr:
            raise SystemExit(f"nbgrader generate_assignment {assignment} failed:\n{run.stdout}\n{run.stderr}")


def blank_solutions(text: str) -> str:
    """A module's source with every ``*_SOLUTION = "..."`` text replaced by a note (for the student version)."""
    lines = text.splitlines(keepends=True)
    for node in reversed(ast.parse(text).body):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id.endswith("_SOLUTION") and isinstance(node.value, ast.Constant)):
            note = f'{node.targets[0].id} = "# (the solution is not part of the student version)"\n'
            lines[node.lineno - 1:node.end_lineno] = [note]
    return "".join(lines)


def write_student(out: Path, course: Path, stems: list[str], points: dict, sources: Path = SOURCES) -> None:
    """Write ``out/student``: what a learner clones (GitHub Classroom) or opens (JupyterHub, Binder)."""
    student = out / "student"
    if student.exists():
        shutil.rmtree(student)
    (student / "notebooks").mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "relulab", student / "relulab", ignore=ignore)
    for module in (student / "relulab" / "checks").glob("*.py"):
        module.write_text(blank_solutions(module.read_text(encoding="utf-8")), encoding="utf-8")
    for name in ("binder", "assets"):
        shutil.copytree(ROOT / name, student / name, ignore=ignore)
    for name in ("requirements.txt", "pyproject.toml", "LICENSE"):
        shutil.copy2(ROOT / name, student / name)
    for path in sorted(sources.glob("[0-9][0-9]_*.py")):
        stem = path.stem
        if stem in stems:
            nb = nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)
        elif is_assignment(stem):
            continue  # an assignment not built this time
        else:
            nb = load_source(path)
            nb.cells = [c for c in nb.cells if "peek" not in tags(c)]
        for cell in nb.cells:
            if cell.cell_type == "markdown":  # side by side again: the links of the learner's notebooks
                cell.source = re.sub(r"\]\(\.\./(\d\d_[a-z0-9_]+)/\1\.ipynb", r"](\1.ipynb", cell.source)
                cell.source = re.sub(r"\]\(https://github\.com/[^)]*/notebooks/(\d\d_[a-z0-9_]+\.ipynb)\)",
                                     r"](\1)", cell.source)
                cell.source = _ASSET_LINK.sub(r"../assets/\1", re.sub(r"\]\(assets/", "](../assets/", cell.source))
        nbformat.write(nb, student / "notebooks" / f"{stem}.ipynb")
    tests = []
    for stem in stems:
        for grade_id, value in points[stem].items():
            if grade_id.endswith("_check"):
                name = grade_id.removesuffix("_check")
                setup = "" if tests else "python -m pip install --quiet -r requirements.txt"  # once, first
                tests.append({"name": f"{stem[:2]} {name}", "setup": setup, "timeout": 10, "points": value,
                              "run": f"python -m relulab.grade notebooks/{stem}.ipynb {name}",
                              "input": "", "output": "", "comparison": "included"})
    classroom = student / ".github" / "classroom"
    classroom.mkdir(parents=True)
    (classroom / "autograding.json").write_text(json.dumps({"tests": tests}, indent=2) + "\n", encoding="utf-8")
    (student / "README.md").write_text(STUDENT_README, encoding="utf-8")


STUDENT_README = """\
# ReLU, from max(0, x) to CNNs: your coursework

Open the notebooks in `notebooks/` in JupyterLab, in order, and work top to bottom. Each exercise cell
has a check cell under it that tells you at once what is right and what to fix.

To work on your own computer (Python 3.11 or newer):

```bash
python -m venv .venv
.venv/bin/python -m pip install -r requirements.txt
.venv/bin/jupyter lab notebooks/
```

To see what the grader will say about one exercise, run, from this folder:

```bash
python -m relulab.grade notebooks/01_the_relu_rule.ipynb relu
```

It runs your notebook's cells in a fresh Python, up to that exercise's check, and prints the same
message as the check cell. Save your notebook first: it reads the file, not your open kernel.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="only notebooks whose name starts with these, e.g. 01 03")
    parser.add_argument("--out", type=Path, default=ROOT / "build", help="where coursework/ and student/ go")
    parser.add_argument("--sources", type=Path, default=SOURCES, help="the notebook sources (jupytext percent)")
    args = parser.parse_args(argv)
    stems = [p.stem for p in sorted(args.sources.glob("[0-9][0-9]_*.py"))
             if is_assignment(p.stem) and (not args.prefixes or p.stem.startswith(tuple(args.prefixes)))]
    if not stems:
        raise SystemExit(f"No assignment matches {args.prefixes} in {args.sources}.")
    try:
        points = write_course(args.out, stems, args.sources)
    except CourseworkError as error:
        raise SystemExit(f"make_coursework: {error}") from None
    generate(args.out / "coursework", stems)
    write_student(args.out, args.out / "coursework", stems, points, args.sources)
    for stem in stems:
        totals = point_totals(points[stem])
        print(f"{stem:<36} {totals['total']:>3} points: {totals['autograded']} autograded "
              f"({', '.join(k for k in points[stem] if not is_written(k))}), {totals['written']} written "
              f"({', '.join(k for k in points[stem] if is_written(k)) or 'none'})")
    print(f"wrote {args.out / 'coursework'} and {args.out / 'student'}")


if __name__ == "__main__":
    main()
