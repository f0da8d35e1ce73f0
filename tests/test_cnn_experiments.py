"""Notebook 06's experiments: the small CNN's shapes and parameters, the reference path, gradient checks."""

import numpy as np
import pytest

from relulab import nn
from relulab.experiments import cnn


@pytest.fixture(scope="module")
def model():
    return cnn.small_cnn(seed=0)


def test_small_cnn_turns_a_street_into_two_scores_with_the_shapes_of_the_formula(model):
    rows = cnn.shape_table(model, (1, 3, 96, 160))
    assert [r["shape"] for r in rows] == [
        (1, 3, 96, 160), (1, 8, 96, 160), (1, 8, 96, 160), (1, 8, 48, 80), (1, 16, 48, 80), (1, 16, 48, 80),
        (1, 16, 24, 40), (1, 15360), (1, 2)]
    assert [r["numbers"] for r in rows] == [int(np.prod(r["shape"])) for r in rows]
    assert "7: Linear(in_features=15360, out_features=2, bias=True)" in cnn.format_shape_table(rows)


def test_parameter_counts_are_weights_plus_biases_of_each_layer(model):
    counts = cnn.parameter_counts(model)
    assert counts["0: Conv2d"] == 8 * 3 * 3 * 3 + 8
    assert counts["3: Conv2d"] == 16 * 8 * 3 * 3 + 16
    assert counts["7: Linear"] == 15360 * 2 + 2
    assert counts["1: ReLU"] == counts["6: Flatten"] == 0
    assert counts["total"] == sum(p.data.size for p in model.parameters()) == 32114


def test_the_same_seed_builds_the_same_network_and_leaves_the_engine_generator_alone():
    state = nn.default_rng().bit_generator.state
    a, b = cnn.small_cnn(3), cnn.small_cnn(3)
    assert all(np.array_equal(a.state_dict()[k], b.state_dict()[k]) for k in a.state_dict())
    assert nn.default_rng().bit_generator.state == state


def test_scene_batch_and_car_crop_are_channels_first_float32_pictures():
    scene, car = cnn.scene_batch(), cnn.car_crop()
    assert scene.shape == (1, 3, 96, 160) and scene.dtype == np.float32
    assert car.shape == (1, 3, 32, 48) and car.dtype == np.float32
    red = (car[0, 0] > 0.7) & (car[0, 1] < 0.2) & (car[0, 2] < 0.2)
    assert red.mean() > 0.2  # the crop is mostly red car


def test_trace_keeps_every_layers_output_in_order(model):
    x = cnn.scene_batch()
    outputs = cnn.trace(model, x)
    assert [name for name, _ in outputs][:3] == ["input", "0: Conv2d", "1: ReLU"]
    np.testing.assert_array_equal(outputs[2][1], np.maximum(outputs[1][1], 0))
    np.testing.assert_allclose(outputs[-1][1], model(x), rtol=1e-6)


def test_the_reference_loops_and_the_layer_classes_give_the_same_loss_and_gradients():
    small = cnn.small_cnn(seed=1, height=16, width=24)
    x = np.random.default_rng(0).random((2, 3, 16, 24)).astype(np.float32)
    by_reference = cnn.reference_pass(small, x, [0, 1])
    by_layers = cnn.layer_pass(small, x, [0, 1])
    assert by_reference["loss"] == pytest.approx(by_layers["loss"], rel=1e-5)
    assert sorted(by_reference["grads"]) == sorted(name for name, _ in small.named_parameters())
    for name, grad in by_reference["grads"].items():
        assert nn.relative_error(grad, by_layers["grads"][name]) < 1e-5, name
    shapes = [(r["out"], r["dx"]) for r in by_reference["rows"]]
    assert shapes[0] == ((2, 8, 16, 24), (2, 3, 16, 24)) and shapes[-1] == ((2, 2), (2, 16 * 4 * 6))


def test_right_backwards_pass_the_gradient_check_and_broken_ones_fail_it():
    x = cnn.check_input()
    assert np.abs(x).min() >= 0.05
    for forward, backward in cnn.RIGHT.values():
        assert cnn.backward_check(forward, backward, x)["relative_error"] < 1e-8
    for name, (forward, backward) in cnn.BROKEN.items():
        assert cnn.backward_check(forward, backward, x)["relative_error"] > 0.1, name


def test_relu_backward_passes_gradient_only_where_input_positive():
    x = np.array([-2.0, 3.0, 0.0, -0.5, 0.5])
    np.testing.assert_array_equal(cnn.relu_backward(np.full(5, 2.0), x), [0, 2, 0, 0, 2])


def test_relu_gradient_follows_the_bias_and_flags_a_broken_backward():
    z = cnn.first_layer_maps(0)[5]
    right = cnn.relu_gradient(z, 0.0)
    np.testing.assert_array_equal(right["dx"], (z > 0) * 1.0)
    assert right["passing"] == pytest.approx(np.mean(z > 0)) and right["error"] < 1e-8
    assert cnn.relu_gradient(z, -3.0)["passing"] == 0.0
    broken = cnn.relu_gradient(z, 0.0, "broken: mask forgotten, dout")
    assert broken["error"] > 0.1 and broken["dx"].min() == 1.0


def test_a_unit_negative_for_every_example_gets_exactly_no_gradient():
    dead = cnn.dead_unit_gradients(seed=0)
    assert dead["active"][2] == 0 and dead["max_input"][2] < 0
    assert dead["grad_norm"][2] == 0 and dead["bias_grad"][2] == 0
    assert np.all(dead["grad_norm"][[0, 1, 3]] > 1)
