"""The reference functions are right (float64 gradient checks, pair by pair), and the layers agree with them."""

import numpy as np
import pytest

from relulab import nn
from relulab.nn import reference as ref

TOL = 1e-7


def _away_from_kinks(x, margin=1e-3):
    return np.where(np.abs(x) < margin, margin, x)


def _check(forward, backward, inputs, rng):
    """Numerical vs analytic gradient of sum(forward(*inputs) * dout) for every input array."""
    out, cache = forward(*inputs)
    dout = rng.standard_normal(out.shape)
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    errors = []
    for a, g in zip(inputs, grads, strict=False):
        if not isinstance(a, np.ndarray) or g is None:
            continue
        numeric = nn.numerical_gradient(lambda: float(np.sum(forward(*inputs)[0] * dout)), a)
        errors.append(nn.relative_error(g, numeric))
    return errors


def _cases(rng):
    x4 = _away_from_kinks(rng.standard_normal((2, 3, 5, 6)))
    return {
        "linear": (ref.linear_forward, ref.linear_backward,
                   (rng.standard_normal((4, 5)), rng.standard_normal((3, 5)), rng.standard_normal(3))),
        "relu": (ref.relu_forward, ref.relu_backward, (x4,)),
        "leaky_relu": (lambda x: ref.leaky_relu_forward(x, 0.1), ref.leaky_relu_backward, (x4,)),
        "prelu_shared": (ref.prelu_forward, ref.prelu_backward, (x4, np.array([0.25]))),
        "prelu_per_channel": (ref.prelu_forward, ref.prelu_backward, (x4, np.array([0.1, 0.2, 0.3]))),
        "sigmoid": (ref.sigmoid_forward, ref.sigmoid_backward, (x4,)),
        "tanh": (ref.tanh_forward, ref.tanh_backward, (x4,)),
        "flatten": (ref.flatten_forward, ref.flatten_backward, (x4,)),
        "conv": (ref.conv_forward, ref.conv_backward,
                 (rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3))),
        "conv_stride_pad": (lambda x, w, b: ref.conv_forward(x, w, b, stride=2, padding=1), ref.conv_backward,
                            (rng.standard_normal((2, 2, 6, 5)), rng.standard_normal((3, 2, 3, 3)),
                             rng.standard_normal(3))),
        "max_pool": (ref.max_pool_forward, ref.max_pool_backward, (rng.standard_normal((2, 2, 6, 7)),)),
        "max_pool_overlap": (lambda x: ref.max_pool_forward(x, 3, 2), ref.max_pool_backward,
                             (rng.standard_normal((2, 2, 7, 8)),)),
    }


@pytest.mark.parametrize("name", list(_cases(np.random.default_rng(0))))
def test_reference_backward_matches_numerical_gradient_in_float64(name):
    rng = np.random.default_rng(0)
    forward, backward, inputs = _cases(rng)[name]
    errors = _check(forward, backward, inputs, rng)
    assert errors and max(errors) < TOL, errors


def test_softmax_cross_entropy_gradient_in_float64():
    rng = np.random.default_rng(0)
    logits, y = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    _, dlogits = ref.softmax_cross_entropy(logits, y)
    numeric = nn.numerical_gradient(lambda: ref.softmax_cross_entropy(logits, y)[0], logits)
    assert nn.relative_error(dlogits, numeric) < TOL


def test_a_wrong_backward_is_caught_by_the_check():
    rng = np.random.default_rng(0)
    errors = _check(ref.relu_forward, lambda dout, cache: dout, (rng.standard_normal((3, 4)),), rng)  # no mask
    assert errors[0] > 0.1


def test_relu_backward_passes_gradient_only_where_input_positive():
    x = np.array([-2.0, -0.0, 0.0, 0.5, 3.0])
    out, cache = ref.relu_forward(x)
    assert out.tolist() == [0, 0, 0, 0.5, 3]
    assert ref.relu_backward(np.ones(5), cache).tolist() == [0, 0, 0, 1, 1]


LAYERS = {
    "ReLU": (nn.ReLU, lambda layer, x: ref.relu_forward(x), ref.relu_backward, (3, 4, 5)),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.2), lambda layer, x: ref.leaky_relu_forward(x, 0.2),
                  ref.leaky_relu_backward, (3, 4, 5)),
    "PReLU": (lambda: nn.PReLU(4, init=0.3), lambda layer, x: ref.prelu_forward(x, layer.weight.data),
              ref.prelu_backward, (3, 4, 5)),
    "Sigmoid": (nn.Sigmoid, lambda layer, x: ref.sigmoid_forward(x), ref.sigmoid_backward, (3, 4)),
    "Tanh": (nn.Tanh, lambda layer, x: ref.tanh_forward(x), ref.tanh_backward, (3, 4)),
    "Flatten": (nn.Flatten, lambda layer, x: ref.flatten_forward(x), ref.flatten_backward, (2, 3, 4)),
    "Linear": (lambda: nn.Linear(5, 3), lambda layer, x: ref.linear_forward(x, layer.weight.data, layer.bias.data),
               ref.linear_backward, (4, 5)),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_matches_its_reference_pair(name):
    make, forward, backward, shape = LAYERS[name]
    nn.manual_seed(0)
    layer = make()
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(np.float32)
    out = layer(x)
    expected, cache = forward(layer, x)
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    dx = layer.backward(dout)
    grads = backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    np.testing.assert_allclose(dx, grads[0], rtol=1e-6, atol=1e-7)
    for p, g in zip(layer.parameters(), grads[1:], strict=True):
        np.testing.assert_allclose(p.grad, g, rtol=1e-5, atol=1e-6)


def test_cross_entropy_loss_matches_its_reference():
    rng = np.random.default_rng(0)
    logits, y = rng.standard_normal((6, 3)).astype(np.float32), rng.integers(0, 3, 6)
    loss_fn = nn.CrossEntropyLoss()
    loss, dlogits = ref.softmax_cross_entropy(logits, y)
    assert loss_fn(logits, y) == pytest.approx(loss, rel=1e-6)
    np.testing.assert_allclose(loss_fn.backward(), dlogits, rtol=1e-5, atol=1e-7)
