"""Build the notebooks from their reviewable sources and execute them, storing outputs.

    python tools/build_notebooks.py          # every notebook
    python tools/build_notebooks.py 01 03    # only those whose name starts with 01 or 03

Each ``notebooks/src/NAME.py`` (jupytext "percent" format: ``# %%`` code cells, ``# %% [markdown]``
text cells, ``tags=[...]`` for nbval and grading tags) becomes ``notebooks/NAME.ipynb``, executed top
to bottom in a fresh kernel with the notebook's folder as working directory, exactly as nbval will
re-run it. Stored outputs are never edited by hand: change the source, run this again.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "notebooks" / "src"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def load_source(path: Path) -> nbformat.NotebookNode:
    """Read a jupytext source into a clean notebook (no jupytext bookkeeping, our kernel)."""
    nb = jupytext.read(path)
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    for number, cell in enumerate(nb.cells):
        cell.metadata.pop("lines_to_next_cell", None)
        cell.metadata.pop("lines_to_end_of_cell_marker", None)
        cell.id = f"cell-{number:02d}"  # stable ids: rebuilding gives a clean diff
    return nb


def build(path: Path) -> float:
    """Execute one source and write its .ipynb; return the seconds it took."""
    nb = load_source(path)
    started = time.perf_counter()
    # Widget state is not stored: JupyterLab shows an explorer's text until its cell runs anyway,
    # and the state (every figure as PNG bytes) would only make the files large. Cell timings are
    # not stored either: they change on every run and would make every rebuild a noisy diff.
    NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False, record_timing=False,
                   resources={"metadata": {"path": str(path.parents[1])}}).execute()
    seconds = time.perf_counter() - started
    nbformat.write(nb, path.parents[1] / f"{path.stem}.ipynb")
    return seconds


def main(prefixes: list[str]) -> None:
    sources = sorted(p for p in SOURCES.glob("*.py") if not prefixes or p.stem.startswith(tuple(prefixes)))
    if not sources:
        sys.exit(f"No notebook source matches {prefixes} in {SOURCES.relative_to(ROOT)}.")
    for path in sources:
        print(f"{path.stem:<40} ", end="", flush=True)
        print(f"{build(path):6.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
