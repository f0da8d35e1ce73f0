"""Notebook 02's additions to relulab.data: the drawn cat head and where the photo's ears are."""

import numpy as np
import pytest

from relulab import data
from relulab.experiments import edges


def test_cat_head_is_a_grey_picture_the_size_of_the_photo_and_reproducible():
    head = data.cat_head()
    assert head["image"].shape == (150, 225) and head["image"].dtype == float
    assert 0 <= head["image"].min() and head["image"].max() <= 1
    assert np.array_equal(head["image"], data.cat_head()["image"])
    assert not np.array_equal(head["image"], data.cat_head(seed=1)["image"])
    assert np.unique(data.cat_head(noise=0)["image"]).size < 40  # two grey levels and the anti-aliased rim


def test_cat_head_is_light_inside_the_head_and_the_ears_and_dark_around():
    head = data.cat_head(noise=0)
    image = head["image"]
    assert image[90, 112] > 0.8 and image[5, 5] < 0.2 and image[145, 5] < 0.2
    for _base, (x1, y1) in head["ears"].values():  # a point just below each ear's tip is inside the ear
        assert image[int(y1) + 6, int(x1)] > 0.8
        assert image[int(y1) - 4, int(x1)] < 0.2  # and just above the tip is ground


def test_cat_head_ear_edges_are_slanted_as_named():
    head = data.cat_head()
    for name, ((x0, y0), (x1, y1)) in head["ears"].items():
        slant = "/" if (x1 - x0) * (y1 - y0) < 0 else "\\"  # y grows downwards
        assert slant == data.EAR_EDGES[name], name
        assert 30 < np.degrees(np.arctan2(abs(y1 - y0), abs(x1 - x0))) < 65, name


def test_each_diagonal_filter_keeps_two_ear_edges_and_zeros_the_other_two():
    head = data.cat_head()
    for kernel, slant in (("diagonal / edge", "/"), ("diagonal \\ edge", "\\")):
        kept = edges.relu_map(edges.filter_response(head["image"], edges.make_kernel(kernel)), -0.06)["kept"]
        for name, segment in head["ears"].items():
            along = edges.mean_along(kept, *segment, offset=3)
            if data.EAR_EDGES[name] == slant:
                assert along > 0.3, (kernel, name)
            else:
                assert along < 0.06, (kernel, name)


def test_cat_head_refuses_a_picture_too_small_for_ears():
    with pytest.raises(ValueError, match="at least 30"):
        data.cat_head(20, 20)


def test_photo_ear_edges_lie_in_the_top_corners_of_the_photo():
    for (x0, y0), (x1, y1) in data.CAT_PHOTO_EAR_EDGES.values():
        assert max(y0, y1) < 60 and min(y0, y1) >= 0
        assert max(x0, x1) < 60 or min(x0, x1) > 140
