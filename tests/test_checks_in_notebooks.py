"""The notebooks' own check cells, run in a real IPython shell as a learner (or nbgrader's kernel) would.

IPython runs cells in the module ``__main__`` and keeps names in ``user_ns``; that is what the checks rely on
to find the learner's answer and to tell it from the course's own functions.
"""

import re
from pathlib import Path

import jupytext
import pytest
from IPython.core.interactiveshell import InteractiveShell

from relulab.checks import EXERCISES
from relulab.checks.core import CORRECT, NOT_YET

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py"))
CONTEXT = """
import numpy as np
from relulab.activations import sigmoid
from relulab.checks import check, peek
from relulab.experiments.nonlinearity import bumpy, fit_hinges
x_grid = np.linspace(-np.pi, np.pi, 400)
target = bumpy(x_grid)
"""


def check_cells():
    """(notebook, exercise cell source, check cell source, exercise name) for every check cell."""
    found = []
    for path in SOURCES:
        cells = jupytext.read(path).cells
        for i, cell in enumerate(cells):
            if "check" in cell.metadata.get("tags", []):
                exercise_cell = next(c for c in reversed(cells[:i]) if "exercise" in c.metadata.get("tags", []))
                name = re.fullmatch(r"check\.(\w+)\(\)", cell.source.strip().splitlines()[-1]).group(1)
                found.append((path.stem, exercise_cell.source, cell.source, name))
    return found


CELLS = check_cells()


@pytest.fixture()
def shell():
    ip = InteractiveShell.instance()
    ip.reset(new_session=False)
    yield ip
    ip.reset(new_session=False)
    InteractiveShell.clear_instance()  # later tests run outside IPython again


def run(shell, source):
    result = shell.run_cell(source, store_history=True)
    return result


def test_every_exercise_of_the_notebooks_has_a_check_cell_in_the_lookup_form():
    assert {name for *_, name in CELLS} == set(EXERCISES)
    for notebook in ["01", "02", "03", "04"]:
        assert sum(1 for nb, *_ in CELLS if nb.startswith(notebook)) >= 2, notebook


@pytest.mark.parametrize("notebook, exercise_cell, check_cell, name", CELLS, ids=[c[3] for c in CELLS])
def test_check_cell_says_not_yet_before_the_exercise_cell_and_while_it_is_blank(shell, notebook, exercise_cell,
                                                                             check_cell, name):
    run(shell, CONTEXT)
    before = run(shell, check_cell)
    assert before.error_in_exec is None and before.result.status == NOT_YET, before.result
    assert "Run your exercise cell first" in before.result.message
    assert run(shell, exercise_cell).error_in_exec is None
    blank = run(shell, check_cell)
    assert blank.error_in_exec is None and blank.result.status == NOT_YET
    assert "not done yet" in blank.result.message
    graded = run(shell, EXERCISES[name].grading_call())  # what an autograded cell runs: it must raise
    assert isinstance(graded.error_in_exec, AssertionError)


@pytest.mark.parametrize("notebook, exercise_cell, check_cell, name", CELLS, ids=[c[3] for c in CELLS])
def test_the_registered_solution_typed_into_a_cell_passes_the_notebooks_check_cell(shell, notebook, exercise_cell,
                                                                                  check_cell, name):
    run(shell, CONTEXT)
    assert run(shell, EXERCISES[name].solution).error_in_exec is None
    after = run(shell, check_cell)
    assert after.error_in_exec is None and after.result.status == CORRECT, after.result
    assert run(shell, EXERCISES[name].grading_call()).error_in_exec is None


@pytest.mark.parametrize("import_line, name", [
    ("from relulab.activations import relu", "relu"),
    ("from relulab.activations import leaky_relu", "leaky_relu_forward"),
    ("from relulab.activations import sigmoid_grad as sigmoid_derivative", "sigmoid_derivative"),
])
def test_the_courses_own_function_under_the_learners_name_says_run_your_exercise_cell_first(shell, import_line, name):
    run(shell, CONTEXT + import_line)
    result = run(shell, f"check.{name}()").result
    assert result.status == NOT_YET and "the course's own" in result.message


def test_a_cell_that_raised_a_syntax_error_leaves_the_check_at_not_yet(shell):
    run(shell, CONTEXT)
    assert run(shell, "def relu(x)\n    return np.maximum(0, x)").error_before_exec is not None
    assert run(shell, "check.relu()").result.status == NOT_YET


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_no_notebook_imports_a_name_the_learner_must_define(path):
    answers = {a for notebook, *_, name in CELLS if notebook == path.stem for a in EXERCISES[name].answers}
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code" or "exercise" in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            if "import" in line:
                imported = re.findall(r"(?:import|,)\s*(\w+)(?:\s+as\s+(\w+))?", line)
                names = {alias or name for name, alias in imported}
                assert not names & answers, f"{path.stem}: {line!r} imports a learner's name"


def test_in_a_real_kernel_cells_are_the_learners_and_the_courses_own_is_recognised():
    """What nbgrader and JupyterLab run: a Jupyter kernel, where cell-defined functions live in ``__main__``."""
    import nbformat
    from nbclient import NotebookClient

    cells = ["from relulab.checks import check",
             "check.relu()",
             "from relulab.activations import relu\ncheck.relu()",
             "import numpy as np\ndef relu(x):\n    return np.maximum(0, x)\ncheck.relu()",
             "check.relu().assert_passed()\nrelu.__module__"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    shown = ["".join(o.get("data", {}).get("text/plain", "")) for c in nb.cells for o in c.outputs]
    assert shown[0].startswith("⏳ relu: not done yet") and "is not defined" in shown[0]
    assert shown[1].startswith("⏳ relu: not done yet") and "the course's own" in shown[1]
    assert shown[2].startswith("✅ relu: correct")
    assert shown[3] == "'__main__'"
