from pathlib import Path

from relulab.course import CHAPTERS, course_map

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
