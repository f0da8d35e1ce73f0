"""The street scenes, the redness detector and its explorer (driven headlessly)."""

import numpy as np
import pytest

from relulab import data
from relulab.experiments import detector
from relulab.widgets import red_car_explorer


def test_make_scene_returns_image_in_unit_range_with_requested_cars():
    scene = data.make_scene(seed=1, cars=("red", "blue"))
    image = scene["image"]
    assert image.shape == (data.HEIGHT, data.WIDTH, 3)
    assert image.dtype == float and image.min() >= 0 and image.max() <= 1
    assert [car["colour"] for car in scene["cars"]] == ["red", "blue"]


def test_make_scene_is_reproducible_from_its_seed_and_changes_with_it():
    a, b = data.make_scene(seed=5), data.make_scene(seed=5)
    assert np.array_equal(a["image"], b["image"]) and a["cars"] == b["cars"]
    assert not np.array_equal(a["image"], data.make_scene(seed=6)["image"])


def test_cars_are_painted_inside_their_boxes_on_the_road_without_overlapping():
    scene = data.make_scene(seed=2, cars=("red", "blue", "white"))
    boxes = [car["box"] for car in scene["cars"]]
    for (top, left, bottom, right), car in zip(boxes, scene["cars"], strict=True):
        assert data.ROAD_TOP - 10 <= top < bottom <= data.HEIGHT and 0 <= left < right <= data.WIDTH
        body = scene["image"][bottom - 8, left + 2:right - 2]
        assert np.allclose(body.mean(axis=0), data.CAR_COLOURS[car["colour"]], atol=0.15)
    spans = sorted((left, right) for _, left, _, right in boxes)
    assert all(r1 <= l2 for (_, r1), (l2, _) in zip(spans, spans[1:], strict=False))


def test_make_scene_rejects_unknown_colours_and_too_many_cars():
    with pytest.raises(ValueError, match="unknown car colour"):
        data.make_scene(cars=("pink",))
    with pytest.raises(ValueError, match="at most 4"):
        data.make_scene(cars=("red",) * 5)


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
