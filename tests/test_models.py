"""The one activation registry and the one MLP builder (relulab.experiments.models)."""

import numpy as np
import pytest

from relulab import nn
from relulab.experiments.models import ACTIVATIONS, make_activation, mlp


def test_mlp_alternates_linear_layers_and_the_activation_and_maps_input_to_output_width():
    model = mlp([64, 32, 16, 10], "tanh", rng=np.random.default_rng(0))
    assert [type(layer).__name__ for layer in model] == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]
    assert [(layer.in_features, layer.out_features) for layer in model if isinstance(layer, nn.Linear)] == [
        (64, 32), (32, 16), (16, 10)]
    assert model(np.zeros((3, 64), dtype=np.float32)).shape == (3, 10)


def test_mlp_draws_its_weights_from_the_generator_it_is_given():
    a = mlp([8, 4, 2], "relu", rng=np.random.default_rng(7))
    b = mlp([8, 4, 2], "relu", rng=np.random.default_rng(7))
    c = mlp([8, 4, 2], "relu", rng=np.random.default_rng(8))
    assert np.array_equal(a[0].weight.data, b[0].weight.data) and np.array_equal(a[2].weight.data, b[2].weight.data)
    assert not np.array_equal(a[0].weight.data, c[0].weight.data)


def test_mlp_picks_he_for_the_relu_family_and_xavier_for_squashing_functions():
    wide = 400
    relu_net = mlp([wide, wide, 2], "relu", rng=np.random.default_rng(0))
    sigmoid_net = mlp([wide, wide, 2], "sigmoid", rng=np.random.default_rng(0))
    assert relu_net[0].weight.data.std() == pytest.approx(np.sqrt(2 / wide), rel=0.02)  # He: normal, var 2/fan_in
    assert np.abs(sigmoid_net[0].weight.data).max() <= np.sqrt(6 / (2 * wide)) + 1e-6  # Xavier: uniform
    assert sigmoid_net[0].weight.data.std() == pytest.approx(np.sqrt(2 / (2 * wide)), rel=0.02)


def test_bias_init_sets_the_hidden_layers_only():
    model = mlp([4, 3, 3, 2], "relu", bias_init=-1.0, rng=np.random.default_rng(0))
    assert np.all(model[0].bias.data == -1.0) and np.all(model[2].bias.data == -1.0)
    assert np.all(model[4].bias.data == 0.0)


def test_a_single_layer_needs_no_activation_and_hidden_layers_need_one():
    assert [type(layer).__name__ for layer in mlp([2, 2], None)] == ["Linear"]
    with pytest.raises(ValueError, match="needs an activation"):
        mlp([2, 4, 2], None)
    with pytest.raises(ValueError, match="at least an input and an output"):
        mlp([2], "relu")


def test_make_activation_builds_each_registered_layer_with_pytorch_names():
    for name, spec in ACTIVATIONS.items():
        assert isinstance(make_activation(name), spec.layer)
    assert make_activation("leaky_relu", negative_slope=0.2).negative_slope == 0.2
    assert make_activation("prelu", prelu_init=0.1).alpha[0] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="activation must be one of"):
        make_activation("swish")


def test_no_experiment_touches_the_engine_s_global_generator():
    """Experiments draw from their own seeded generators: nn.default_rng() is the caller's, untouched."""
    from relulab.data import digits
    from relulab.experiments import dying, gradients, nonlinearity

    before = nn.default_rng().bit_generator.state
    generator = nn.default_rng()
    nonlinearity.train_moons("relu", num_epochs=1)
    nonlinearity.train_moons(None, num_epochs=1)
    gradients.layer_gradient_sizes(3, "sigmoid", width=8, batch=4)
    dying.frozen_unit_demo("relu", num_steps=1)
    dying.dying_run(0.3, 0.0, data=digits(), num_epochs=1)
    assert nn.default_rng() is generator and nn.default_rng().bit_generator.state == before
