"""The redness detector on street scenes, and its explorer (driven headlessly)."""

import numpy as np
import pytest

from relulab import data
from relulab.experiments import detector
from relulab.widgets import red_car_explorer


def test_score_map_is_weights_dot_mean_colour_plus_bias_per_patch():
    image = np.zeros((16, 24, 3))
    image[:8, :8] = (1.0, 0.0, 0.0)
    image[8:, 16:] = (0.0, 0.5, 1.0)
    raw = detector.score_map(image, weights=(1, -1, -1), bias=-0.1, patch=8)
    assert raw.shape == (2, 3)
    assert raw[0, 0] == pytest.approx(0.9)
    assert raw[1, 2] == pytest.approx(-1.6)
    assert raw[0, 1] == pytest.approx(-0.1)


def test_detector_with_default_weights_finds_the_red_car_and_only_the_red_car():
    for seed in range(4):
        found = detector.detect_red_car(data.make_scene(seed, ("red", "blue")))
        assert found["sees_car"] and found["on_car"] > 0 and found["off_car"] == pytest.approx(0)
        assert np.all(found["kept"] >= 0) and np.allclose(found["kept"], np.maximum(0, found["raw"]))


def test_detector_stays_quiet_on_a_street_without_a_red_car():
    found = detector.detect_red_car(data.make_scene(3, data.SCENES["no red car"]))
    assert not found["sees_car"] and not found["has_red_car"] and found["evidence"] == 0
    assert "stays quiet" in found["verdict"]


def test_a_large_bias_makes_a_false_alarm_off_the_car():
    found = detector.detect_red_car(data.make_scene(3, data.SCENES["no red car"]), bias=0.3)
    assert found["sees_car"] and "false alarm" in found["verdict"]


def test_without_relu_the_sky_drowns_the_car():
    found = detector.detect_red_car(data.make_scene(3, ("red",)))
    assert found["raw_sum"] < 0 < detector.THRESHOLD < found["evidence"]


def test_explorer_readout_and_maps_follow_the_controls():
    explorer = red_car_explorer()
    assert "sees a red car" in explorer.readout.value
    raw_im, kept_im = explorer.live.axes[1].images[0], explorer.live.axes[2].images[0]
    assert np.asarray(kept_im.get_array()).max() > 0
    low, high = raw_im.get_clim()
    assert low == pytest.approx(-high)  # symmetric colour limits: white is 0
    explorer.controls["scene"].value = "no red car"
    assert "stays quiet" in explorer.readout.value
    assert np.asarray(kept_im.get_array()).max() == 0
    explorer.controls["bias"].value = 0.5
    assert "false alarm" in explorer.readout.value
    explorer.controls["bias"].value = -0.1
    explorer.controls["scene"].value = "one red car"
    explorer.controls["w_red"].value = 0.0
    assert "misses the red car" in explorer.readout.value


def test_explorer_outlines_one_box_per_car():
    explorer = red_car_explorer(scene="no red car")
    visible = [p for p in explorer.live.axes[0].patches if p.get_visible()]
    assert len(visible) == 3
    explorer.controls["scene"].value = "one red car"
    assert len([p for p in explorer.live.axes[0].patches if p.get_visible()]) == 1


def test_explorer_writes_each_cars_colour_above_it_and_keeps_one_colour_scale():
    explorer = red_car_explorer(scene="red and blue car")
    shown = sorted(t.get_text() for t in explorer.live.axes[0].texts if t.get_visible())
    assert shown == ["blue", "red"]
    colour_scale = explorer.live.axes[1].images[0].get_clim()
    explorer.controls["w_red"].value = 2.0
    assert explorer.live.axes[1].images[0].get_clim() == colour_scale  # fixed: the colour bar stays
    explorer.controls["scene"].value = "no red car"
    shown = sorted(t.get_text() for t in explorer.live.axes[0].texts if t.get_visible())
    assert shown == ["blue", "white", "yellow"]
