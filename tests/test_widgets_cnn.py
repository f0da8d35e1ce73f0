"""Notebook 06's explorers driven headlessly: walk the scene through the CNN, move the bias, break the backward."""

import numpy as np
import pytest

from relulab.experiments import cnn
from relulab.widgets import relu_gradient_explorer, shape_tracer_explorer
from relulab.widgets.cnn import PANELS, tracer_view


@pytest.fixture(scope="module")
def tracer():
    return shape_tracer_explorer()


def test_tracer_view_of_a_convolution_shows_its_first_channels():
    model = cnn.small_cnn(0, 16, 24)
    x = np.random.default_rng(0).random((1, 3, 16, 24)).astype(np.float32)
    outputs, rows = cnn.trace(model, x), cnn.shape_table(model, x.shape)
    view = tracer_view(outputs, rows, 1)
    assert len(view["maps"]) == PANELS and view["maps"][0].shape == (16, 24)
    np.testing.assert_allclose(view["maps"][2], outputs[1][1][0, 2])
    assert view["signed"] and "shape (1, 8, 16, 24), 3,072 numbers" in view["text"]
    flat = tracer_view(outputs, rows, 7)
    assert len(flat["maps"]) == 1 and flat["maps"][0].shape == (1, 16 * 4 * 6)


@pytest.mark.parametrize("step, shape, words", [
    (0, (96, 160), "the picture: shape (1, 3, 96, 160), 46,080 numbers"),
    (3, (48, 80), "MaxPool2d(kernel_size=2): shape (1, 8, 48, 80), 30,720 numbers, 4 times fewer"),
    (5, (48, 80), "ReLU(): shape (1, 16, 48, 80)"),
    (8, (1, 2), "shape (1, 2), 2 numbers"),
])
def test_moving_the_tracer_shows_that_layers_maps_and_shape(tracer, step, shape, words):
    tracer.controls["step"].value = step
    assert words in tracer.readout.value
    assert tracer.live.axes[0].images[0].get_array().shape == shape
    assert "the whole network 32,114" in tracer.readout.value


def test_after_relu_the_tracer_reports_the_zeros_it_shows(tracer):
    tracer.controls["step"].value = 2
    shown = np.asarray(tracer.live.axes[1].images[0].get_array())
    out = cnn.trace(cnn.small_cnn(0), cnn.scene_batch())[2][1]
    np.testing.assert_allclose(shown, out[0, 1])
    assert f"{np.mean(out == 0):.0%} of them are exactly 0" in tracer.readout.value
    assert tracer.live.figure.texts[0].get_text() == "after 1: ReLU: (1, 8, 96, 160)"


def test_flat_layers_show_one_strip_and_hide_the_other_panels(tracer):
    tracer.controls["step"].value = 7
    assert [ax.get_visible() for ax in tracer.live.axes] == [True] + [False] * (PANELS - 1)
    assert tracer.live.axes[0].get_title() == "15,360 numbers in one row"


def test_relu_gradient_explorer_passes_the_gradient_where_the_input_is_positive():
    ex = relu_gradient_explorer(channel=5)
    z = cnn.first_layer_maps(0)[5]
    np.testing.assert_array_equal(ex.live.axes[1].images[0].get_array(), (z > 0) * 1.0)
    assert f"reaches {np.mean(z > 0):.1%} of the positions" in ex.readout.value
    assert "passes the gradient check" in ex.readout.value


def test_a_negative_bias_closes_the_mask_until_no_gradient_passes():
    ex = relu_gradient_explorer(channel=5)
    ex.controls["bias"].value = -2.0
    assert "reaches 0.0% of the positions" in ex.readout.value and "gets no gradient" in ex.readout.value
    assert not np.any(ex.live.axes[1].images[0].get_array())


@pytest.mark.parametrize("backward", ["broken: mask forgotten, dout", "broken: mask flipped, dout * (x < 0)"])
def test_a_broken_backward_fails_the_gradient_check_and_differs_from_central_differences(backward):
    ex = relu_gradient_explorer(channel=5)
    ex.controls["backward"].value = backward
    assert "FAILS the gradient check" in ex.readout.value
    mine, numerical = (np.asarray(ax.images[0].get_array()) for ax in ex.live.axes[1:])
    assert not np.array_equal(mine, numerical)


def test_a_forgotten_mask_passes_the_check_when_every_input_is_positive():
    ex = relu_gradient_explorer(channel=1, bias=2.0, backward="broken: mask forgotten, dout")
    assert "reaches 100.0%" in ex.readout.value and "passes the gradient check" in ex.readout.value
