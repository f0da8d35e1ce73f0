"""The edge filters on the cat, and the cat explorer (driven headlessly)."""

import numpy as np
import pytest

from relulab.data import cat_image
from relulab.experiments import edges
from relulab.nn.functional import conv2d
from relulab.widgets import cat_explorer


@pytest.fixture(scope="module")
def cat():
    return cat_image()


@pytest.mark.parametrize("name", edges.KERNEL_NAMES)
def test_every_kernel_sums_to_zero_with_positive_weights_adding_to_one(name):
    kernel = edges.make_kernel(name)
    assert kernel.shape == (7, 7)
    assert kernel.sum() == pytest.approx(0, abs=1e-12)
    assert kernel[kernel > 0].sum() == pytest.approx(1)


def test_unknown_kernel_name_is_refused():
    with pytest.raises(ValueError, match="unknown filter"):
        edges.make_kernel("ear detector")


def test_edge_filter_is_zero_on_flat_areas_and_signed_across_an_edge():
    step = np.zeros((20, 20))
    step[:, 10:] = 1.0  # dark left, bright right
    response = edges.filter_response(step, edges.make_kernel("vertical edge"))
    assert response.shape == (14, 14)  # a 7×7 filter fits 20 - 7 + 1 = 14 times across
    assert np.allclose(response[:, :3], 0) and np.allclose(response[:, -3:], 0)
    assert response[:, 6:8].min() > 0.3  # windows centred on input columns 9 and 10
    flipped = edges.filter_response(1 - step, edges.make_kernel("vertical edge"))
    assert flipped[:, 6:8].max() < -0.3  # the opposite edge lands in the negative half


def test_filter_response_is_the_course_convolution_a_weighted_sum_without_flipping():
    rng = np.random.default_rng(0)
    image, kernel = rng.random((9, 11)), rng.normal(size=(3, 3))
    response = edges.filter_response(image, kernel)
    assert response.shape == (7, 9)
    assert response[2, 5] == pytest.approx(np.sum(image[2:5, 5:8] * kernel))
    assert np.allclose(response, conv2d(image, kernel))


def test_relu_map_shifts_by_the_bias_and_keeps_only_positives():
    shown = edges.relu_map(np.array([[-0.2, 0.0, 0.1, 0.3]]), bias=-0.15)
    assert np.allclose(shown["raw"], [[-0.35, -0.15, -0.05, 0.15]])
    assert np.allclose(shown["kept"], [[0, 0, 0, 0.15]])
    assert shown["fraction_kept"] == 0.25 and shown["fraction_negative"] == 0.75


def test_negative_bias_keeps_a_small_share_of_the_cat_map(cat):
    response = edges.filter_response(cat, edges.make_kernel("diagonal / edge"))
    assert 0.4 < edges.relu_map(response, 0.0)["fraction_kept"] < 0.6
    assert edges.relu_map(response, -0.06)["fraction_kept"] < 0.2


def test_explorer_readout_and_maps_follow_the_controls(cat):
    explorer = cat_explorer(image=cat)
    raw_im, kept_im = explorer.live.axes[2].images[0], explorer.live.axes[3].images[0]
    before = explorer.readout.value
    assert "diagonal / edge" in before and "keeps" in before
    explorer.controls["bias"].value = -0.2
    kept = np.asarray(kept_im.get_array())
    assert kept.min() == 0 and (kept > 0).mean() < 0.02
    assert np.asarray(raw_im.get_array()).min() < 0
    low, high = raw_im.get_clim()
    assert low == pytest.approx(-high)
    explorer.controls["kernel"].value = "blob (centre-surround)"
    assert "blob" in explorer.readout.value
    assert np.allclose(explorer.live.axes[0].images[0].get_array(), edges.make_kernel("blob (centre-surround)"))
    explorer.controls["bias"].value = 0.3
    assert "100.0%" in explorer.readout.value or "99." in explorer.readout.value


def test_blitting_redraws_only_the_maps_and_as_figure_restores_a_plain_figure(cat):
    explorer = cat_explorer(image=cat)
    live = explorer.live
    assert live.animated and all(artist.get_animated() for artist in live.animated)
    first = live.png()
    explorer.controls["bias"].value = -0.25
    assert live.png() != first
    figure = live.as_figure()
    assert not any(im.get_animated() for ax in figure.axes for im in ax.images)


def test_mean_along_averages_a_map_on_a_segment_given_in_picture_pixels():
    values = np.zeros((10, 10))
    values[4, :] = 1.0  # map row 4 is picture row 6 when the map sits 2 pixels in
    assert edges.mean_along(values, (2, 6), (11, 6), offset=2) == pytest.approx(1.0)
    assert edges.mean_along(values, (2, 2), (11, 2), offset=2) == 0.0
    assert edges.mean_along(values, (2, 2), (2, 11), offset=2) == pytest.approx(3 / 25)  # 3 of 25 points on row 6
    with pytest.raises(ValueError, match="outside the map"):
        edges.mean_along(values, (50, 50), (60, 60))


def test_diagonal_filters_answer_to_their_slant_with_the_bright_side_below():
    y, x = np.mgrid[0:30, 0:30]
    below_right_of_slash = (x + y > 29).astype(float)  # a "/" boundary, bright below-right
    below_left_of_backslash = (y > x).astype(float)  # a "\" boundary, bright below-left
    slash, backslash = edges.make_kernel("diagonal / edge"), edges.make_kernel("diagonal \\ edge")
    assert edges.filter_response(below_right_of_slash, slash).max() > 0.5
    assert edges.filter_response(below_right_of_slash, backslash).max() < 0.05
    assert edges.filter_response(below_left_of_backslash, backslash).max() > 0.5
    assert edges.filter_response(below_left_of_backslash, slash).max() < 0.05
    assert edges.filter_response(1 - below_right_of_slash, -slash).max() > 0.5  # the negative: bright above


def test_right_ear_of_the_photo_is_kept_by_the_negative_slash_filter_not_by_the_filter(cat):
    from relulab.data import CAT_PHOTO_EAR_EDGES

    segment = CAT_PHOTO_EAR_EDGES["right ear, outer edge"]
    kernel = edges.make_kernel("diagonal / edge")
    kept = edges.relu_map(edges.filter_response(cat, kernel), -0.06)["kept"]
    flipped = edges.relu_map(edges.filter_response(cat, -kernel), -0.06)["kept"]
    assert edges.mean_along(kept, *segment, offset=3) == 0
    assert edges.mean_along(flipped, *segment, offset=3) > np.percentile(flipped, 90)


def test_explorer_shows_the_drawn_head_and_flips_the_filter(cat):
    from relulab.data import cat_head

    explorer = cat_explorer(image=cat)
    ax_pic, kept_im = explorer.live.axes[1], explorer.live.axes[3].images[0]
    clim = kept_im.get_clim()
    explorer.controls["picture"].value = "drawn cat head"
    assert np.array_equal(ax_pic.images[0].get_array(), cat_head()["image"])
    assert "drawn cat head" in explorer.readout.value
    before = np.asarray(kept_im.get_array()).copy()
    explorer.controls["sign"].value = -1.0
    assert "negative of the diagonal / edge filter" in explorer.readout.value
    assert np.allclose(explorer.live.axes[0].images[0].get_array(), -edges.make_kernel("diagonal / edge"))
    after = np.asarray(kept_im.get_array())
    assert before.max() > 0 and after.max() > 0
    assert not np.any((before > 0) & (after > 0))  # a filter and its negative never keep the same pixel
    assert kept_im.get_clim() == clim  # one fixed colour scale: the colour bar is never redrawn


def test_filter_pair_figure_shows_the_filter_and_its_negative_keeping_opposite_pixels(cat):
    from relulab.plots import filter_pair_figure

    kernel = edges.make_kernel("diagonal / edge")
    fig = filter_pair_figure(cat, kernel, "a title", bias=-0.06, crop=(0, 60, 140, 225))
    assert fig._suptitle.get_text() == "a title"
    picture, weights, raw, kept = fig.axes[:4]
    negative_weights, negative_kept = fig.axes[5], fig.axes[7]
    assert np.allclose(weights.images[0].get_array(), kernel)
    assert np.allclose(negative_weights.images[0].get_array(), -kernel)
    a, b = np.asarray(kept.images[0].get_array()), np.asarray(negative_kept.images[0].get_array())
    assert a.max() > 0 and b.max() > 0 and not np.any((a > 0) & (b > 0))
    assert picture.get_xlim() == (139.5, 224.5)
