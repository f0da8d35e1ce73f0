import re
from pathlib import Path

import pytest

from relulab.course import CHAPTERS, chapter, course_map, next_chapter, readme_table

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_the_map_marks_ready_exactly_the_notebooks_that_exist():
    on_disk = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert {c.file for c in CHAPTERS if c.ready} == on_disk


def test_chapters_are_numbered_in_order_and_files_sort_in_that_order():
    assert [c.number for c in CHAPTERS] == list(range(len(CHAPTERS)))
    assert [c.file for c in CHAPTERS] == sorted(c.file for c in CHAPTERS)
    assert all(c.file.startswith(f"{c.number:02d}_") for c in CHAPTERS)


def test_the_map_shows_every_chapter_and_the_total_time():
    text, page = repr(course_map()), course_map()._repr_html_()
    total = sum(c.minutes for c in CHAPTERS)
    assert f"about {total // 60} h {total % 60:02d} min" in text
    assert all(c.title in text and c.title in page for c in CHAPTERS)


ROOT = NOTEBOOKS.parent
SOURCES = sorted((NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))


def _markdown_cells(source):
    """The markdown cells of a jupytext percent-format source, comment marks removed."""
    cells = re.split(r"^# %%.*$", source.read_text(encoding="utf-8"), flags=re.M)
    return ["\n".join(line[2:] for line in cell.strip().splitlines()) for cell in cells
            if cell.strip() and all(line.startswith("#") for line in cell.strip().splitlines())]


def test_the_readme_table_is_the_course_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, ("README.md's table of notebooks is out of date; paste the output of\n"
                                      "python -c 'from relulab.course import readme_table; print(readme_table())'")


def test_readme_table_links_ready_chapters_only():
    table = readme_table()
    assert "[Why ReLU](notebooks/03_why_relu.ipynb)" in table
    assert all((c.file in table) == c.ready for c in CHAPTERS)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_each_notebook_opens_with_its_heading_and_ends_with_a_bridge_to_the_next_chapter(source):
    number = int(source.stem[:2])
    cells = _markdown_cells(source)
    assert cells[0].startswith(f"# {chapter(number).heading}"), cells[0][:80]
    following = next_chapter(number)
    if following is None:
        return
    bridge = cells[-1]
    assert "**Next:**" in bridge, f"{source.name} does not end with a **Next:** bridge"
    expected = following.link if following.ready else following.heading
    assert expected in bridge, f"{source.name}'s bridge should name {expected}"


def test_next_chapter_and_chapter_lookups():
    assert next_chapter(3).number == 4 and next_chapter(CHAPTERS[-1].number) is None
    assert chapter(2).link == "[02 · ReLU as a filter](02_relu_as_a_filter.ipynb)"
    with pytest.raises(ValueError, match="no chapter 42"):
        chapter(42)


def test_every_explorer_belongs_to_exactly_one_chapter_and_that_notebook_shows_it():
    import relulab.widgets

    explorers = {name for name in relulab.widgets.__all__ if name.endswith("_explorer") or name == "first_slider"}
    listed = [name for c in CHAPTERS for name in c.explorers]
    assert sorted(listed) == sorted(explorers)
    for c in CHAPTERS:
        if c.ready:
            text = (NOTEBOOKS / "src" / c.file.replace(".ipynb", ".py")).read_text(encoding="utf-8")
            for name in c.explorers:
                # shown directly, or assigned to a name first (``ex = name(...)``) so that a still can follow
                assert re.search(rf"^(\w+ = )?{name}\(", text, flags=re.M), f"{c.file} does not show {name}"
