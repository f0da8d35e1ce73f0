"""Notebook 05's explorers driven headlessly: type into the kernel editor, move the stride/padding sliders."""

import numpy as np
import pytest

from relulab.experiments import conv
from relulab.nn.functional import conv2d
from relulab.widgets import kernel_explorer, stride_padding_explorer
from relulab.widgets.conv import CELLS, OWN


@pytest.fixture
def image():
    rng = np.random.default_rng(0)
    return rng.random((20, 24))


def _cells(ex):
    return [ex.controls[name].value for name in CELLS]


def test_kernel_explorer_shows_raw_and_relu_maps_of_the_preset(image):
    ex = kernel_explorer("vertical edge", image=image)
    raw_im, kept_im = (ax.images[0] for ax in ex.live.axes)
    want = conv2d(image, conv.preset("vertical edge"))
    np.testing.assert_allclose(raw_im.get_array(), want)
    np.testing.assert_allclose(kept_im.get_array(), np.maximum(want, 0))
    kept = (want > 0).mean()
    assert f"ReLU keeps {kept:.1%} of the map" in ex.readout.value
    assert ex.live.axes[1].get_title() == f"after ReLU: {kept:.0%} kept, the rest 0"
    assert _cells(ex) == ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]


def test_picking_a_preset_fills_the_boxes_and_redraws_once(image):
    ex = kernel_explorer(image=image)
    refreshes = ex.live.refreshes
    ex.controls["preset"].value = "sharpen"
    assert _cells(ex) == ["0", "-1", "0", "-1", "5", "-1", "0", "-1", "0"]
    assert ex.live.refreshes == refreshes + 1
    np.testing.assert_allclose(ex.live.axes[0].images[0].get_array(), conv2d(image, conv.preset("sharpen")))
    assert "<b>sharpen, bias +0.00" in ex.readout.value


def test_typing_a_weight_updates_the_maps_and_marks_the_kernel_as_your_own(image):
    ex = kernel_explorer("identity", image=image)
    ex.controls["w22"].value = "2"
    assert ex.controls["preset"].value == OWN
    np.testing.assert_allclose(ex.live.axes[0].images[0].get_array(), 2 * image[1:-1, 1:-1])
    assert f"<b>{OWN}, bias +0.00" in ex.readout.value
    ex.controls["preset"].value = "identity"  # back to the preset: the boxes follow
    assert _cells(ex)[4] == "1"


def test_bias_shifts_the_raw_map_and_changes_the_share_kept(image):
    ex = kernel_explorer("blur", image=image)
    ex.controls["bias"].value = -0.5
    raw = conv2d(image, conv.preset("blur")) - 0.5
    np.testing.assert_allclose(ex.live.axes[0].images[0].get_array(), raw)
    assert f"bias −0.50: ReLU keeps {(raw > 0).mean():.1%}" in ex.readout.value


@pytest.mark.parametrize("box, typed, words", [
    ("w11", "", "row 1, column 1 is empty"),
    ("w23", "abc", "row 2, column 3 holds &#x27;abc&#x27;, which is not a number"),
    ("w33", "1/0", "row 3, column 3"),
])
def test_a_bad_box_gives_a_sentence_not_a_traceback_and_keeps_the_last_maps(image, box, typed, words):
    ex = kernel_explorer("vertical edge", image=image)
    before = np.array(ex.live.axes[0].images[0].get_array())
    ex.controls[box].value = typed
    assert words in ex.readout.value and "last kernel that worked" in ex.readout.value
    np.testing.assert_array_equal(ex.live.axes[0].images[0].get_array(), before)
    ex.controls[box].value = "0"  # fixed: the maps follow again
    assert "ReLU keeps" in ex.readout.value


def test_kernel_explorer_uses_the_cat_by_default():
    ex = kernel_explorer()
    assert ex.live.axes[0].images[0].get_array().shape == (148, 223)


def test_stride_padding_explorer_works_the_formula_live():
    ex = stride_padding_explorer(n=7, kernel_size=3, stride=2, padding=1)
    assert "⌊(7 + 2·1 − 3) / 2⌋ + 1 = ⌊6/2⌋ + 1 = 4" in ex.readout.value
    ax_in, ax_out = ex.live.axes
    assert ax_out.images[0].get_array().shape == (4, 4)
    assert ax_out.get_title() == "output 4×4: one cell per window"
    xs, ys = ax_in.lines[0].get_data()
    assert len(xs) == 16 and sorted(set(xs)) == [1.0, 3.0, 5.0, 7.0]
    ex.controls["n"].value = 8  # 8 + 2 - 3 = 7, 7 // 2 = 3: the last (padding) row is never read
    assert "= ⌊7/2⌋ + 1 = 4" in ex.readout.value and "the last 1 row(s)" in ex.readout.value
    ex.controls["padding"].value = 0  # 8 - 3 = 5, 5 // 2 = 2: now the input's own last row is never read
    assert "= ⌊5/2⌋ + 1 = 3" in ex.readout.value and ax_out.images[0].get_array().shape == (3, 3)
    codes = ax_in.images[0].get_array()
    assert codes.shape == (8, 8) and (codes[-1] == 2).all() and (codes[:-1, :-1] == 1).all()
    ex.controls["stride"].value = 1
    assert "= 6" in ex.readout.value and ax_out.images[0].get_array().shape == (6, 6)
    assert (ax_in.images[0].get_array() == 1).all() and "every row and column" in ex.readout.value
    assert ax_in.get_title() == "input 8×8 + padding 0 → 8×8"


def test_stride_padding_explorer_says_when_the_kernel_does_not_fit():
    ex = stride_padding_explorer(n=3, kernel_size=3, stride=1, padding=0)
    ex.controls["kernel_size"].value = 6
    assert "does not fit" in ex.readout.value
    assert not ex.live.axes[1].images[0].get_visible()
    ex.controls["padding"].value = 2
    assert ex.live.axes[1].images[0].get_visible() and "= 2" in ex.readout.value


def test_both_explorers_give_a_still():
    for ex in (kernel_explorer(image=np.random.default_rng(1).random((10, 10))), stride_padding_explorer()):
        assert ex.still("A figure.").png.startswith(b"\x89PNG")


def test_static_helpers_draw_every_number_and_share_one_colour_scale():
    from matplotlib.figure import Figure

    from relulab.widgets.conv import draw_grid, show_maps

    fig = Figure()
    ax1, ax2, ax3 = fig.subplots(1, 3)
    draw_grid(ax1, conv.EXAMPLE_KERNEL, "kernel", box=(0, 0, 2), signed=True)
    assert [t.get_text() for t in ax1.texts] == ["−1", "0", "1"] * 3
    assert ax1.patches[0].get_width() == 2 and ax1.get_title() == "kernel"
    images = show_maps([ax2, ax3], [np.array([[-2.0, 1.0]]), np.array([[0.5, 0.0]])], ["a", "b"])
    assert [im.get_clim() for im in images] == [(-2.0, 2.0), (-2.0, 2.0)]
