import numpy as np
import pytest

from relulab import nn


def _model_with_a_dead_unit():
    """Linear(2 -> 3) + ReLU where unit 1 can never fire (weights 0, bias -1)."""
    lin = nn.Linear(2, 3)
    lin.weight.data[:] = [[1, 0], [0, 0], [0, 1]]
    lin.bias.data[:] = [0, -1, 0]
    return nn.Sequential(lin, nn.ReLU(), nn.Linear(3, 2), nn.Tanh())


def test_layer_outputs_names_and_shapes():
    model = _model_with_a_dead_unit()
    X = np.array([[1.0, -1.0], [2.0, 3.0]], np.float32)
    outs = nn.layer_outputs(model, X)
    assert [name for name, _ in outs] == ["0: Linear", "1: ReLU", "2: Linear", "3: Tanh"]
    np.testing.assert_array_equal(outs[1][1], [[1, 0, 0], [2, 0, 3]])
    np.testing.assert_allclose(outs[-1][1], model(X))


def test_fraction_zeros_and_dead_units_on_a_constructed_case():
    model = _model_with_a_dead_unit()
    X = np.array([[1.0, -1.0], [2.0, 3.0], [-1.0, -1.0], [4.0, 5.0]], np.float32)
    # ReLU outputs: [1,0,0], [2,0,3], [0,0,0], [4,0,5] -> 7 zeros of 12; unit 1 zero everywhere.
    zeros = nn.fraction_zeros(model, X, batch_size=3)  # batches must not change the answer
    assert zeros["1: ReLU"] == pytest.approx(7 / 12)
    assert set(zeros) == {"1: ReLU", "3: Tanh"}
    assert nn.dead_units(model, X, batch_size=3)["1: ReLU"] == 1
    assert nn.dead_units(model, X[2:3])["1: ReLU"] == 3  # one all-negative input: everything silent


def test_dead_units_counts_channels_of_conv_activations():
    conv = nn.Conv2d(1, 3, 1)
    conv.weight.data[:] = np.array([1.0, -1.0, 0.0]).reshape(3, 1, 1, 1)
    conv.bias.data[:] = [0, 0, -0.5]
    model = nn.Sequential(conv, nn.ReLU())
    X = np.random.default_rng(0).random((5, 1, 4, 4)).astype(np.float32)  # all positive
    assert nn.dead_units(model, X) == {"1: ReLU": 2}  # channels 1 (negated) and 2 (negative bias)


def test_grad_norms_after_backward():
    model = _model_with_a_dead_unit()
    loss_fn = nn.MSELoss()
    X = np.array([[1.0, 2.0]], np.float32)
    loss_fn(model(X), np.zeros((1, 2), np.float32))
    model.backward(loss_fn.backward())
    norms = nn.grad_norms(model)
    assert list(norms) == ["0: Linear.weight", "0: Linear.bias", "2: Linear.weight", "2: Linear.bias"]
    assert norms["0: Linear.weight"] == pytest.approx(float(np.linalg.norm(model[0].weight.grad)))
    assert model[0].weight.grad[1].tolist() == [0.0, 0.0]  # the dead unit gets no gradient


def test_nested_sequential_names():
    model = nn.Sequential(nn.Sequential(nn.Linear(2, 2), nn.ReLU()), nn.Linear(2, 1))
    X = np.ones((3, 2), np.float32)
    assert [n for n, _ in nn.layer_outputs(model, X)] == ["0.0: Linear", "0.1: ReLU", "1: Linear"]
    out = model(X)
    assert model.backward(np.ones_like(out)).shape == (3, 2)
    assert model[0][0].weight.grad.shape == (2, 2)
    assert [name for name, _ in model.named_parameters()] == ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]


def test_manual_seed_makes_layers_reproducible():
    nn.manual_seed(3)
    a = nn.Conv2d(1, 2, 3).weight.data.copy()
    nn.manual_seed(3)
    b = nn.Conv2d(1, 2, 3).weight.data
    np.testing.assert_array_equal(a, b)
    assert nn.default_rng() is nn.default_rng()
