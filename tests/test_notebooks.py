"""Hygiene of the stored notebooks: built from their sources, executed in order, readable everywhere.

strict nbval (run by `make test` over notebooks/) checks that the outputs still come out the same;
these tests check what nbval does not look at.
"""

import json
import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py"))
WIDGET_CALL = re.compile(r"^[\w.]*(explorer|slider)\w*\(")  # a cell that ends by showing an explorer


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _text(cell):
    return _join(cell["source"])


def _join(value):
    """Notebook JSON stores text as a string or as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def _output_text(out):
    return _join(out.get("text", "")) + _join(out.get("data", {}).get("text/plain", ""))


def test_there_are_notebooks_and_each_has_exactly_one_source():
    assert len(NOTEBOOKS) >= 2
    assert [p.stem for p in NOTEBOOKS] == [p.stem for p in SOURCES]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_cells_are_exactly_the_source_cells(path):
    """Nobody edited the .ipynb by hand: its cells are what the build made of notebooks/src."""
    source = jupytext.read(ROOT / "notebooks" / "src" / f"{path.stem}.py")
    stored = _load(path)
    assert [(c.cell_type, c.source) for c in source.cells] == [(c["cell_type"], _text(c)) for c in stored["cells"]]
    assert [c.metadata.get("tags", []) for c in source.cells] == [c["metadata"].get("tags", [])
                                                                  for c in stored["cells"]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_in_order_without_errors(path):
    counts = [c["execution_count"] for c in _code_cells(_load(path))]
    assert counts == list(range(1, len(counts) + 1)), "re-run with `make notebooks`"
    for cell in _code_cells(_load(path)):
        assert all(o["output_type"] != "error" for o in cell["outputs"]), _text(cell)[:80]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_show_no_local_paths_no_figure_reprs_and_stay_small(path):
    for cell in _code_cells(_load(path)):
        for out in cell["outputs"]:
            text = _output_text(out)
            assert not re.search(r"<Figure size \d+x\d+", text), _text(cell)[:80]
            assert not re.search(r"/(home|root|tmp|work)/\S+", text), _text(cell)[:80]
            assert "stderr" != out.get("name") or "Warning" not in text, text[:200]
    assert path.stat().st_size < 2_000_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_the_course_sections(path):
    markdown = "\n".join(_text(c) for c in _load(path)["cells"] if c["cell_type"] == "markdown")
    assert re.match(rf"# {path.stem[:2]} · ", markdown)
    for needed in ["**In this notebook you will**", "**Time:** about", "**Builds on:**",
                   "**Explain it like I'm five.**", "## Summary"]:
        assert needed in markdown, f"{path.name} lacks {needed}"
    outcomes = markdown.split("**In this notebook you will**")[1].split("**Time:**")[0]
    assert 3 <= outcomes.count("\n- ") <= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_widget_cells_are_ignored_by_nbval_and_exercises_have_checks(path):
    cells = _load(path)["cells"]
    for i, cell in enumerate(cells):
        tags = cell["metadata"].get("tags", [])
        shows_widget = any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                           for o in cell.get("outputs", []))
        if cell["cell_type"] == "code" and (shows_widget or WIDGET_CALL.search(_text(cell).splitlines()[-1])):
            assert "nbval-ignore-output" in tags, _text(cell)
        if "exercise" in tags:
            following = [c for c in cells[i + 1:] if c["cell_type"] == "code"]
            assert following and "check" in following[0]["metadata"].get("tags", []), _text(cell)[:80]
            check_output = "".join(_output_text(o) for o in following[0]["outputs"])
            assert "not done yet" in check_output, "store exercises blank: the check should say 'not yet'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_links_between_notebooks_lead_somewhere(path):
    """No dead ends: every relative link in the text points at a file that exists."""
    markdown = "\n".join(_text(c) for c in _load(path)["cells"] if c["cell_type"] == "markdown")
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", markdown)
    assert targets, "a notebook links at least to its neighbours"
    for target in targets:
        assert (path.parent / target.split("#")[0]).exists(), f"{path.name} links to missing {target}"
