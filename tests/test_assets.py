"""Pictures: every one shown has alt text and exists, and every one in assets/ comes from the script."""

import re
import sys
from pathlib import Path

import matplotlib.image as mpimg
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_assets  # noqa: E402

IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def _documents():
    yield ROOT / "README.md", (ROOT / "README.md").read_text()
    for src in sorted((ROOT / "notebooks" / "src").glob("*.py")):
        yield ROOT / "notebooks" / "x.ipynb", src.read_text()  # links are relative to notebooks/


def test_every_picture_shown_exists_and_has_alt_text():
    shown = 0
    for where, text in _documents():
        for alt, target in IMAGE.findall(text):
            assert alt.strip(), f"{target} has no alt text"
            if target.startswith("https://"):
                continue  # a badge: its short label is its alt text
            shown += 1
            assert len(alt.split()) >= 5, f"{target}: describe the picture for readers who cannot see it"
            assert (where.parent / target).resolve().is_file(), f"{target} is missing"
    assert shown >= 3


def test_every_asset_is_drawn_by_the_script():
    on_disk = {p.name for p in (ROOT / "assets").iterdir() if p.is_file()}
    assert on_disk == set(make_assets.PICTURES)


@pytest.mark.parametrize("name", sorted(make_assets.PICTURES))
def test_the_script_redraws_each_asset_at_about_the_same_size(name, tmp_path):
    make_assets.PICTURES[name](tmp_path / name)
    fresh, stored = mpimg.imread(tmp_path / name).shape, mpimg.imread(ROOT / "assets" / name).shape
    # A tight bounding box follows the fonts' metrics, which move a few pixels between matplotlib versions.
    assert fresh[2] == stored[2] and all(abs(a - b) <= 0.03 * b for a, b in zip(fresh[:2], stored[:2], strict=True))
