"""Every notebook as a learner meets it: JupyterLab in a real (headless) browser.

For each `notebooks/*.ipynb` (found at run time, so a new notebook is covered without changes): open a copy
in a temporary folder, run all cells, and check that no cell raised, every widget is rendered as a widget,
and every explorer's first control, moved with the keyboard, changes the figure or the readout under it
(see `browser_lab.check_notebook`). One screenshot per notebook goes to `build/screenshots/`. The
repository's notebooks are never written: the test compares their bytes before and after.

Needs Debian's chromium (`apt-get install chromium`; .ci/run installs it) and the `playwright` package;
it never downloads a browser. A broken copy of a notebook must fail the same check (the test of the test).
"""

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from .browser_lab import CHROMIUM, check_notebook, lab_server, open_browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots"

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab and one browser for the module, serving a copy of the notebooks and the assets."""
    work = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "notebooks", work / "notebooks", ignore=shutil.ignore_patterns("src", ".ipynb_checkpoints"))
    shutil.copytree(ROOT / "assets", work / "assets")  # markdown cells show ../assets/*.png
    home = tmp_path_factory.mktemp("jupyter")
    with lab_server(work, home) as (base, token), playwright.sync_playwright() as p, \
            open_browser(p, home / "profile") as browser:
        yield browser.new_page(), base, token, work


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_there_are_notebooks_to_check():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_runs_and_its_explorers_respond_in_jupyterlab(lab, notebook):
    page, base, token, work = lab
    before = _digest(notebook)
    report = check_notebook(page, base, token, work, f"notebooks/{notebook.name}", SCREENSHOTS)
    print(report)
    assert _digest(notebook) == before, f"{notebook.name} in the repository was written by the browser test"
    assert (SCREENSHOTS / f"{notebook.stem}.png").stat().st_size > 10_000


# The test of the test: copies of the shortest notebook, each broken in one way a learner could meet.
BROKEN = {
    "a widget that raises in its callback": (
        "import ipywidgets as widgets\n\n"
        "def on_change(change):\n"
        "    raise RuntimeError('a deliberately broken explorer')\n\n"
        "control = widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.5, description='broken')\n"
        "control.observe(on_change, names='value')\n"
        "widgets.VBox([control, widgets.HTML('<b>the readout that never changes</b>')])",
        "changed neither the figure nor the readout"),
    "a cell that raises": ("1 / 0", "raised ZeroDivisionError"),
    "a widget the front end cannot display": (  # a view of a model that does not exist
        "from IPython.display import display\n\n"
        "display({'application/vnd.jupyter.widget-view+json': {'model_id': 'no-such-model', 'version_major': 2,"
        " 'version_minor': 0}, 'text/plain': 'a widget shown as text'}, raw=True)",
        "failed to display|shown as widgets"),
}


@pytest.mark.parametrize("why", list(BROKEN))
def test_a_broken_copy_of_a_notebook_fails_the_check(lab, why):
    page, base, token, work = lab
    source, message = BROKEN[why]
    shortest = min(NOTEBOOKS, key=lambda nb: nb.stat().st_size)
    nb = json.loads(shortest.read_text())
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "broken", "metadata": {},
                        "outputs": [], "source": source})
    (work / "notebooks" / "broken.ipynb").write_text(json.dumps(nb))
    with pytest.raises(AssertionError, match=message):
        check_notebook(page, base, token, work, "notebooks/broken.ipynb", change_timeout=10)
