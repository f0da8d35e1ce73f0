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
