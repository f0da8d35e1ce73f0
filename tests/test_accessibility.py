"""Accessibility, for the whole course: every figure described in words, series told apart without
colour, readouts announced to screen readers, sharp figures, and no rainbow colour maps.

Generic over what exists: every explorer listed in the course map (``relulab.course.CHAPTERS``) and
every stored notebook, so notebooks added later are covered without changing this file.
(``tests/test_assets.py`` checks the alt text of pictures in markdown.)
"""

from __future__ import annotations

import base64
import functools
import io
import json
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.lines import Line2D  # noqa: E402

from relulab.course import CHAPTERS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# Nothing is pending any more; a name listed here would be expected to fail (and may still pass).
NOT_YET_STYLED: set[str] = set()
NOT_YET_REBUILT: set[str] = set()


def _explorer_names():
    return [name for c in CHAPTERS for name in c.explorers]


def _mark(name, pending, reason):
    return pytest.param(name, marks=pytest.mark.xfail(strict=False, reason=reason)) if name in pending else name


@functools.cache
def _explorer(name):
    from relulab import widgets

    return getattr(widgets, name)()  # built once per test session (a few precompute their runs)


# --- series differ by line style or marker as well as colour ------------------------------------

def _looks(line: Line2D) -> tuple:
    """How a line looks in greyscale: its line style, its marker and whether the marker is hollow."""
    style = "None" if line.get_linestyle() in ("None", "none", " ", "") else line.get_linestyle()
    marker = "None" if line.get_marker() in (None, "None", "none", " ", "") else str(line.get_marker())
    face = line.get_markerfacecolor()
    hollow = marker != "None" and (line.get_fillstyle() == "none" or str(face).lower() in ("white", "none", "#ffffff"))
    return style, marker, hollow


def _series(ax):
    """The data lines of an axes: reference lines (axhline / axvline span the axes) are not series."""
    return [line for line in ax.get_lines() if line.get_transform() == ax.transData]


def clashing_series(figure) -> list[str]:
    """Pairs of series in one axes that only colour tells apart (same line style, marker and fill)."""
    clashes = []
    for number, ax in enumerate(figure.axes):
        seen = {}
        for line in _series(ax):
            key = _looks(line)
            if key in seen:
                clashes.append(f"axes {number}: {seen[key]!r} and {line.get_label()!r} both look like {key}")
            seen.setdefault(key, line.get_label())
    return clashes


@pytest.mark.parametrize("name", [_mark(n, NOT_YET_STYLED, "its notebook's helper switches it to "
                                           "ACTIVATION_STYLES in another branch") for n in _explorer_names()])
def test_no_two_series_of_an_explorer_differ_only_by_colour(name):
    live = _explorer(name).live
    assert live is not None
    assert clashing_series(live.figure) == []


def test_the_series_test_catches_lines_that_differ_only_by_colour():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="blue", label="relu")
    ax.plot([0, 1], [1, 0], color="red", label="sigmoid")
    ax.axhline(0)
    ax.axvline(0)  # reference lines do not count
    assert len(clashing_series(fig)) == 1
    ax.lines[1].set_linestyle(":")
    assert clashing_series(fig) == []
    ax.plot([0], [0], "o", color="k")
    ax.plot([0], [1], "o", mfc="white", color="k")  # filled and open dots read apart
    assert clashing_series(fig) == []


# --- readouts are announced ----------------------------------------------------------------------

@pytest.mark.parametrize("name", _explorer_names())
def test_every_readout_is_a_polite_live_region_and_keeps_its_text(name):
    explorer = _explorer(name)
    text = explorer.readout.value
    sent = explorer.readout.get_state()["value"]  # what the browser receives
    assert text and "aria-live" not in text
    assert sent == f'<div role="status" aria-live="polite">{text}</div>'


# --- every figure is described in words ----------------------------------------------------------

def _join(value):
    return "".join(value) if isinstance(value, list) else value


def _image_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if any(key.startswith("image/") for key in out.get("data", {})):
                yield _join(cell["source"]), out


DESCRIPTION = re.compile(r"^\[(figure|still): (?P<text>.+)\]$", re.S)


def description_problem(text: str) -> str | None:
    """Why a figure's text stand-in does not describe it, or None if it does."""
    match = DESCRIPTION.match(text.strip())
    if match is None:
        return f"{text[:60]!r} is not a [figure: …] or [still: …] description"
    # A figure's text is its titles joined by "; " (panel titles may be short labels such as "filter"),
    # but at least one of them (the suptitle, or a panel's title) says what it shows in a sentence.
    parts = [p.strip() for p in match["text"].split(";")] if match[1] == "figure" else [match["text"]]
    if not any(len(part.split()) >= 4 for part in parts if part != "untitled"):
        return f"{match['text']!r}: give the figure a title that says what it shows (four words or more)"
    return None


@pytest.mark.parametrize("path", [p.stem for p in NOTEBOOKS])
def test_every_stored_figure_has_a_text_description(path):
    problems = []
    for source, out in _image_outputs(ROOT / "notebooks" / f"{path}.ipynb"):
        problem = description_problem(_join(out["data"].get("text/plain", "")))
        if problem:
            problems.append(f"cell {source[:50]!r}: {problem}")
    assert problems == []


def test_the_description_test_rejects_what_says_nothing():
    assert description_problem("<Figure size 400x250 with 1 Axes>")
    assert description_problem("[figure: untitled]")
    assert description_problem("[figure: filter; the cat]")
    assert description_problem("[figure: ReLU keeps positive inputs; filter]") is None
    assert description_problem("[still: ]")
    assert description_problem("[figure: The slope of ReLU is a step]") is None
    assert description_problem("[still: The point sits on the flat part of ReLU.]") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_still_carries_its_sentence_as_alt_text(path):
    for _source, out in _image_outputs(path):
        text = _join(out["data"].get("text/plain", ""))
        if text.startswith("[still: "):
            assert out["metadata"]["image/png"]["alt"] == text[len("[still: "):-1]


def test_html_images_in_markdown_have_alt_text():
    """test_assets checks ![alt](…) pictures; an <img> tag needs its alt too."""
    for src in sorted((ROOT / "notebooks" / "src").glob("*.py")) + [ROOT / "README.md"]:
        for tag in re.findall(r"<img\b[^>]*>", src.read_text(encoding="utf-8"), flags=re.I):
            assert re.search(r'\balt="[^"]{10,}"', tag), f"{src.name}: {tag[:80]} has no alt text"


# --- figures stay sharp when zoomed --------------------------------------------------------------

def _png_size(out):
    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(_join(out["data"]["image/png"])))).size


@pytest.mark.parametrize("path", [_mark(p.stem, NOT_YET_REBUILT, "stored before use_course_style made figures "
                                          "sharp; rebuild it") for p in NOTEBOOKS])
def test_stored_figures_have_twice_the_pixels_of_their_display_width(path):
    outputs = list(_image_outputs(ROOT / "notebooks" / f"{path}.ipynb"))
    for source, out in outputs:
        shown = out.get("metadata", {}).get("image/png", {}).get("width")
        assert shown, f"cell {source[:50]!r}: stored without a display width, so at one pixel per point"
        assert _png_size(out)[0] >= 1.9 * shown, f"cell {source[:50]!r}"


def test_a_still_is_drawn_at_twice_the_pixels_and_shown_at_the_live_figures_width():
    explorer = _explorer("relu_explorer")
    data, metadata = explorer.still("ReLU with a point at input 1.5 on its rising half.")._repr_mimebundle_()
    width = metadata["image/png"]["width"]
    assert width == explorer.live.width_px
    assert _png_size({"data": {"image/png": base64.b64encode(data["image/png"]).decode()}})[0] >= 1.9 * width
    before = explorer.live.refreshes
    explorer.controls["x"].value = -1.0  # the live figure still updates at its own size afterwards
    assert explorer.live.refreshes == before + 1
    assert _png_size({"data": {"image/png": base64.b64encode(explorer.live.widget.value).decode()}})[0] == width
    explorer.controls["x"].value = 1.5


# --- no rainbow colour maps ----------------------------------------------------------------------

BANNED_MAPS = ("jet", "rainbow", "hsv", "gist_rainbow", "nipy_spectral")
_NAMES = "|".join(BANNED_MAPS)
RAINBOW = re.compile(rf"""(["'])({_NAMES})(_r)?\1|\bcm\.({_NAMES})\b""")


def rainbow_uses(text: str) -> list[str]:
    """Every rainbow colour map named in source code: as a string ('jet', "hsv_r") or as cm.jet."""
    return [m.group(0) for m in RAINBOW.finditer(text)]


def _sources():
    yield from sorted((ROOT / "relulab").rglob("*.py"))
    yield from sorted((ROOT / "notebooks" / "src").glob("*.py"))
    yield from sorted((ROOT / "tools").glob("*.py"))


def test_no_rainbow_colour_maps_in_the_package_or_the_notebooks():
    found = {str(p.relative_to(ROOT)): rainbow_uses(p.read_text(encoding="utf-8")) for p in _sources()}
    assert {path: uses for path, uses in found.items() if uses} == {}
    assert len(found) > 20  # it did look at the package and the notebooks


@pytest.mark.parametrize("planted", ['ax.imshow(img, cmap="jet")', "plt.set_cmap('rainbow')",
                                     "cmap=matplotlib.cm.jet", 'cmap="nipy_spectral"', "cmap='hsv_r'",
                                     'mpl.rcParams["image.cmap"] = "gist_rainbow"'])
def test_the_colour_map_ban_catches_a_planted_rainbow(planted, tmp_path):
    assert rainbow_uses(planted), planted
    copy = tmp_path / "planted.py"
    copy.write_text(f"import matplotlib\n{planted}\n")
    assert rainbow_uses(copy.read_text())


def test_the_colour_map_ban_leaves_ordinary_words_alone():
    assert rainbow_uses('"""a jet of water; the rainbow of colours"""\ncmap="viridis"  # not hsv') == []


def test_the_course_style_uses_a_perceptually_uniform_default_map():
    import matplotlib as mpl

    from relulab.plots import DIVERGING, use_course_style

    with mpl.rc_context():
        use_course_style()
        assert mpl.rcParams["image.cmap"] not in BANNED_MAPS
    assert DIVERGING not in BANNED_MAPS
