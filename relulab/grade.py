"""Grade one exercise of a notebook in a fresh process: ``python -m relulab.grade NOTEBOOK EXERCISE``.

What a GitHub Classroom autograding step (or any script) runs. It runs the notebook's code cells in
order, in an IPython shell as a Jupyter kernel would (cells live in ``__main__``, so the learner's
functions count as the learner's own), up to the check cell of ``EXERCISE``; then it asks
:func:`relulab.checks.grade` for the verdict. It prints the learner's message and exits with 0 if the
answer is right, 1 if not, 2 if the command itself was wrong (no such notebook or exercise).

An exercise graded by levels (the capstone) can earn part of its points: the command then prints the
message and ``points: 2 of 6``, and exits with 1, since the answer is not all right. With
``--min-points N`` it exits with 0 when the answer earns at least N points, so that an autograding step
per level (``--min-points 2``, ``4``, ``6``, each worth 2) gives partial credit where only pass or fail
exists.

A cell that fails (a SyntaxError in an answer, say) does not stop the run, as in a Jupyter kernel: the
check then says what is missing. The cells' own output is not shown; figures go to matplotlib's Agg
backend. The checks are imported, and so captured for grading, before the notebook's first cell runs.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
from pathlib import Path

USAGE = ("usage: python -m relulab.grade NOTEBOOK.ipynb EXERCISE [--min-points N]   (for example: "
         "01_the_relu_rule.ipynb relu)")
_CHECK_CALL = re.compile(r"^\s*check\.(\w+)\(\)\s*$", re.MULTILINE)


def code_cells(notebook: Path) -> list[dict]:
    """The notebook's code cells, as {"source": text, "tags": [...]}."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(_usage_error(f"cannot read the notebook {notebook}: {error}")) from None
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append({"source": "".join(source) if isinstance(source, list) else source,
                          "tags": cell.get("metadata", {}).get("tags", [])})
    return cells


def checked_exercise(cell: dict) -> str | None:
    """The exercise a check cell checks (``check.relu()`` -> ``"relu"``), or None for other cells."""
    found = _CHECK_CALL.search(cell["source"])
    return found.group(1) if found and ("check" in cell["tags"] or "grade" in cell["tags"]) else None


def run_until_check(notebook: Path, exercise: str, *, out=None) -> None:
    """Run the code cells of ``notebook`` in a fresh IPython shell up to the check cell of ``exercise``."""
    cells = code_cells(notebook)
    stop = next((i for i, c in enumerate(cells) if checked_exercise(c) == exercise), None)
    if stop is None:
        known = sorted({e for c in cells if (e := checked_exercise(c))})
        raise SystemExit(_usage_error(f"{notebook.name} has no check cell for {exercise!r}; its exercises are: "
                                      f"{', '.join(known) or 'none'}."))
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    log = out if out is not None else io.StringIO()
    with contextlib.chdir(notebook.resolve().parent), contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        for cell in cells[:stop]:
            shell.run_cell(cell["source"], store_history=True)


def main(argv: list[str] | None = None) -> int:
    """Grade ``EXERCISE`` of ``NOTEBOOK``; print the verdict; return 0 (right), 1 (not right) or 2 (bad call).

    ``--min-points N``: return 0 when the answer earns at least N points (partial credit counts).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    min_points = None
    if "--min-points" in args:
        at = args.index("--min-points")
        try:
            min_points = float(args[at + 1])
        except (IndexError, ValueError):
            print(_usage_error("--min-points takes a number, for example --min-points 2."), file=sys.stderr)
            return 2
        del args[at:at + 2]
    if len(args) != 2 or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    notebook, exercise = Path(args[0]), args[1]
    if not notebook.is_file():
        print(_usage_error(f"there is no notebook at {notebook}."), file=sys.stderr)
        return 2
    from relulab.checks import EXERCISES, grade  # before any cell of the notebook runs

    top = EXERCISES[exercise].points if exercise in EXERCISES else None
    try:
        run_until_check(notebook, exercise)
        verdict = grade(exercise)
    except SystemExit as stop:
        print(stop.code, file=sys.stderr)
        return 2
    except AssertionError as wrong:
        print(f"❌ {wrong}")
        return 1
    if isinstance(verdict, float):  # partial credit: grade printed the learner's message, here are the points
        print(f"points: {verdict:g} of {top}")
        return 0 if min_points is not None and verdict >= min_points else 1
    print(repr(verdict))
    return 0


def _usage_error(text: str) -> str:
    return f"relulab.grade: {text}\n{USAGE}"


if __name__ == "__main__":
    sys.exit(main())
