"""Widgets driven headlessly: set a control's value, then check the readout and the figure's data."""

import numpy as np
import pytest

from relulab.widgets import first_slider, format_number, kept_by_relu, relu_explorer, relu_point


@pytest.mark.parametrize("x, y, slope", [(3.0, 3.0, 1.0), (-2.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.5, 0.5, 1.0)])
def test_relu_point_gives_output_and_slope(x, y, slope):
    shown = relu_point(x)
    assert (shown["y"], shown["slope"]) == (y, slope)
    assert shown["text"] == (f"input {format_number(x)} → output max(0, {format_number(x)}) = {format_number(y)}"
                             f" · slope {format_number(slope)}")


def test_relu_point_writes_numbers_as_a_learner_would():
    assert relu_point(-2.0)["text"] == "input −2 → output max(0, −2) = 0 · slope 0"
    assert relu_point(-0.0)["text"].startswith("input 0 →")


def test_moving_the_relu_slider_moves_the_point_and_updates_the_readout():
    explorer = relu_explorer(x=1.5)
    point = explorer.live.axes[0].lines[-2]
    assert list(point.get_xdata()) == [1.5] and list(point.get_ydata()) == [1.5]
    refreshes = explorer.live.refreshes
    explorer.controls["x"].value = -2.0
    assert list(point.get_xdata()) == [-2.0] and list(point.get_ydata()) == [0.0]
    slope_point = explorer.live.axes[1].lines[-1]
    assert list(slope_point.get_ydata()) == [0.0]
    assert "output max(0, −2) = 0" in explorer.readout.value
    assert explorer.live.refreshes == refreshes + 1
    assert explorer.live.widget.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_first_slider_bars_follow_the_score():
    explorer = first_slider(score=4.0)
    blue, orange = explorer.live.axes[0].patches[:2]  # the two bars
    assert (blue.get_height(), orange.get_height()) == (4.0, 4.0)
    explorer.controls["score"].value = -6.5
    assert (blue.get_height(), orange.get_height()) == (-6.5, 0.0)
    assert "dropped to 0" in explorer.readout.value
    assert kept_by_relu(8.0)["text"] == "score 8 → ReLU → 8 (kept as it is)"


def test_an_explorer_displays_as_a_widget_with_a_short_text_fallback():
    bundle = relu_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Interactive explorer") and len(bundle["text/plain"]) < 100


def test_slider_range_covers_the_worked_examples():
    slider = relu_explorer().controls["x"]
    assert slider.min <= -2 and slider.max >= 3 and np.isclose(slider.step, 0.1)


def test_still_shows_the_explorers_current_figure_with_its_description():
    from relulab.widgets import relu_explorer

    ex = relu_explorer()
    ex.controls["x"].value = -2.0
    still = ex.still("The point sits on the flat part of ReLU at input −2.")
    data, metadata = still._repr_mimebundle_()
    from relulab.widgets.core import STILL_SCALE

    assert data["image/png"].startswith(b"\x89PNG") and data["image/png"] == ex.live.png(scale=STILL_SCALE)
    assert data["text/plain"] == "[still: The point sits on the flat part of ReLU at input −2.]"
    assert metadata["image/png"]["alt"] == still.description


def test_still_refuses_an_empty_description():
    from relulab.widgets import relu_explorer

    with pytest.raises(ValueError, match="description"):
        relu_explorer().still("  ")


def test_the_relu_explorer_marks_the_corner_like_the_notebook_filled_at_0_open_at_1():
    right = relu_explorer().live.axes[1]
    dots = {(line.get_xdata()[0], line.get_ydata()[0]): line.get_markerfacecolor()
            for line in right.get_lines() if line.get_marker() == "o"}
    assert dots[(0, 0)] != "white" and dots[(0, 1)] == "white"
    step = right.get_lines()[0]
    assert np.isnan(step.get_ydata()[np.flatnonzero(step.get_xdata() == 0)]).all()  # no vertical riser


def test_the_first_sliders_bars_differ_by_hatching_as_well_as_colour():
    blue, orange = first_slider().live.axes[0].patches[:2]
    assert not blue.get_hatch() and orange.get_hatch()
