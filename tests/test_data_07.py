"""Notebook 07's additions to relulab.data: the 32 × 32 street scenes of the red-car detector."""

import numpy as np
import pytest

from relulab import data


@pytest.fixture(scope="module")
def streets():
    return data.red_car_streets(600, seed=3)


def test_streets_are_float32_pictures_channels_first_with_int64_labels(streets):
    X, y, kinds = streets
    assert X.shape == (600, 3, 32, 32) and X.dtype == np.float32 and X.flags.c_contiguous
    assert y.shape == (600,) and y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
    assert kinds.shape == (600,) and 0 <= X.min() and X.max() <= 1


def test_the_same_seed_gives_the_same_streets_and_another_seed_others(streets):
    X, y, kinds = data.red_car_streets(600, seed=3)
    assert np.array_equal(X, streets[0]) and np.array_equal(y, streets[1]) and np.array_equal(kinds, streets[2])
    assert not np.array_equal(data.red_car_streets(600, seed=4)[0], X)


def test_half_the_streets_hold_a_red_car_and_every_hard_negative_is_there_in_equal_numbers(streets):
    _, y, kinds = streets
    assert y.sum() == 300
    assert np.array_equal(y == 1, kinds == "red car")
    counts = {k: int((kinds == k).sum()) for k in data.STREET_KINDS[1:]}
    assert counts == {k: 60 for k in data.STREET_KINDS[1:]}


@pytest.mark.parametrize("kind", data.STREET_KINDS)
def test_each_kind_of_scene_holds_what_its_name_says(kind):
    rng = np.random.default_rng(0)
    for _ in range(20):
        scene = data.street_scene(rng, kind)
        assert scene["label"] == int(kind == "red car") == int("red" in scene["cars"])
        if kind in ("orange car", "pink car"):
            assert scene["cars"][0] == kind.split()[0]
        assert scene["red_building"] or kind != "red building"
        assert scene["red_sign"] or kind != "red sign"
        if kind == "other cars":
            assert set(scene["cars"]) <= {"blue", "white", "yellow", "green"}


def test_a_red_car_makes_red_pixels_on_the_road_and_a_red_building_above_it():
    rng = np.random.default_rng(1)
    def red_rows(scene):
        r, g, b = scene["image"].transpose(2, 0, 1)
        return np.flatnonzero(((r > 0.45) & (g < 0.2) & (b < 0.2)).sum(axis=1) >= 3)
    car = red_rows(data.street_scene(rng, "red car"))
    building = red_rows(data.street_scene(rng, "red building"))
    assert car.size and car.min() >= 12  # cars stand on the road, below the horizon (row 12 at the highest)
    assert building.size and building.max() < 17  # buildings end at the horizon (row 16 at the lowest)


def test_splits_are_drawn_apart_and_sized_as_asked():
    splits = data.red_car_splits(num_train=100, num_val=40, num_test=60, seed=0)
    assert [len(splits[k][0]) for k in ("train", "val", "test")] == [100, 40, 60]
    assert not np.array_equal(splits["train"][0][:40], splits["val"][0])
    assert np.array_equal(splits["test"][0], data.red_car_splits(100, 40, 60, seed=0)["test"][0])


def test_an_unknown_kind_gets_a_sentence():
    with pytest.raises(ValueError, match="choose from"):
        data.street_scene(np.random.default_rng(0), "purple car")
