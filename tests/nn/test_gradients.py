"""Every layer's backward agrees with central differences.

``nn.gradcheck`` runs the check in float64: it switches the package to float64
(``nn.float64_mode``) and converts the layer's parameters for the duration, then
puts the float32 parameters back.
"""

import numpy as np
import pytest

from relulab import nn

TOL = 1e-6


def _away_from_kinks(x, margin=1e-3):
    """Move values off 0, where ReLU-like functions have a kink."""
    return np.where(np.abs(x) < margin, margin, x)


CASES = {
    "Linear": (lambda: nn.Linear(5, 3), (4, 5)),
    "Linear-xavier-nobias": (lambda: nn.Linear(5, 3, bias=False, init="xavier"), (4, 5)),
    "ReLU": (lambda: nn.ReLU(), (3, 4, 5)),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.1), (3, 4, 5)),
    "PReLU-shared": (lambda: nn.PReLU(), (3, 4, 5)),
    "PReLU-per-channel": (lambda: nn.PReLU(4, init=0.1), (3, 4, 5, 2)),
    "Sigmoid": (lambda: nn.Sigmoid(), (3, 4)),
    "Tanh": (lambda: nn.Tanh(), (3, 4)),
    "Flatten": (lambda: nn.Flatten(), (2, 3, 4)),
    "Conv2d": (lambda: nn.Conv2d(2, 3, 3), (2, 2, 6, 5)),
    "Conv2d-stride-pad": (lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1), (2, 2, 7, 6)),
    "Conv2d-1x1-nobias": (lambda: nn.Conv2d(3, 2, 1, bias=False), (2, 3, 4, 4)),
    "MaxPool2d": (lambda: nn.MaxPool2d(2), (2, 3, 6, 7)),
    "MaxPool2d-overlap": (lambda: nn.MaxPool2d(3, stride=2), (2, 2, 7, 8)),
    "Sequential": (
        lambda: nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(8, 3)),
        (2, 1, 6, 6),
    ),
    "Sequential-conv-conv-tanh": (
        lambda: nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.Tanh(), nn.Conv2d(2, 2, 3), nn.Sigmoid(),
                              nn.Flatten(), nn.Linear(8, 3)),
        (2, 1, 4, 4),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_backward_matches_numerical_gradient(name):
    make, shape = CASES[name]
    nn.manual_seed(1)
    layer = make()
    x = _away_from_kinks(np.random.default_rng(2).standard_normal(shape))
    errors = nn.gradcheck(layer, x, rng=np.random.default_rng(3))
    assert list(errors) == ["input"] + [name for name, _ in layer.named_parameters()]
    assert max(errors.values()) < TOL, errors


def test_gradcheck_restores_float32_parameters():
    layer = nn.Conv2d(1, 2, 3)
    before = layer.weight.data.copy()
    nn.gradcheck(layer, np.random.default_rng(0).standard_normal((1, 1, 4, 4)))
    assert layer.weight.data.dtype == np.float32 and layer.weight.grad.dtype == np.float32
    np.testing.assert_array_equal(layer.weight.data, before)
    assert nn.get_dtype() == np.float32


def test_gradcheck_catches_a_wrong_backward():
    class BrokenReLU(nn.ReLU):
        def backward(self, dout):
            return dout  # forgets the mask

    errors = nn.gradcheck(BrokenReLU(), np.random.default_rng(0).standard_normal((3, 4)))
    assert errors["input"] > 0.1


def test_everything_is_float32():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.PReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(8, 3), nn.Tanh())
    x = np.random.default_rng(0).random((2, 1, 6, 6))  # float64 in
    out = model(x)
    assert out.dtype == np.float32
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(out, np.array([0, 2]))
    dx = model.backward(loss_fn.backward())
    assert dx.dtype == np.float32
    for p in model.parameters():
        assert p.data.dtype == np.float32 and p.grad.dtype == np.float32


def test_a_model_returns_the_gradient_with_respect_to_its_input():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
    x = np.random.default_rng(0).random((2, 1, 4, 4))
    out = model(x)
    dx = model.backward(np.ones_like(out))
    assert dx.shape == x.shape and dx.any()  # e.g. for a saliency map; nn.compile skips it for speed
    assert model[0].weight.grad.any()


def test_gradients_accumulate_until_zero_grad():
    layer = nn.Linear(3, 2)
    x = np.ones((1, 3), np.float32)
    layer(x)
    layer.backward(np.ones((1, 2), np.float32))
    g1 = layer.weight.grad.copy()
    layer(x)
    layer.backward(np.ones((1, 2), np.float32))
    np.testing.assert_allclose(layer.weight.grad, 2 * g1)
    nn.SGD(layer.parameters(), lr=0.1).zero_grad()
    assert not layer.weight.grad.any()
