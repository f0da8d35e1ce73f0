"""Every data set of the course (relulab.data): shapes, ranges, seeding, and the (X, y) convention."""

import numpy as np
import pytest

from relulab import data
from relulab.data import cat_image, digits, moons


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


def test_cat_image_is_a_downsampled_grey_photo_in_unit_range():
    cat = cat_image()
    assert cat.shape == (150, 225)
    assert 0 <= cat.min() < cat.max() <= 1


def test_moons_are_seeded_and_shaped():
    X, y = moons(100, seed=3)
    X2, y2 = moons(100, seed=3)
    assert X.shape == (100, 2) and y.shape == (100,) and X.dtype == np.float32 and y.dtype == np.int64
    assert np.array_equal(X, X2) and set(np.unique(y)) == {0, 1}


@pytest.fixture(scope="module")
def digits_split():
    return digits()


def test_digits_are_x_y_pairs_split_at_random_in_unit_range(digits_split):
    X_train, y_train, X_test, y_test = digits_split
    assert X_train.shape == (1200, 64) and X_test.shape == (597, 64) and X_train.dtype == np.float32
    assert y_train.shape == (1200,) and y_test.shape == (597,) and set(np.unique(y_test)) == set(range(10))
    assert X_train.min() >= 0 and X_train.max() <= 1
    assert not np.array_equal(digits(seed=1)[1], y_train)
