"""Conv2d and MaxPool2d compute exactly what the plain loops of nn.reference compute, forward and backward."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relulab import nn
from relulab.nn import reference


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 3), c=st.integers(1, 3), f=st.integers(1, 4), k=st.integers(1, 4),
    stride=st.integers(1, 3), padding=st.integers(0, 2), h=st.integers(1, 9), w=st.integers(1, 9),
    bias=st.booleans(), seed=st.integers(0, 2**16),
)
def test_conv_layer_matches_the_loop_reference_forward_and_backward(n, c, f, k, stride, padding, h, w, bias, seed):
    assume(h + 2 * padding >= k and w + 2 * padding >= k)  # else an error, tested in test_errors
    rng = np.random.default_rng(seed)
    conv = nn.Conv2d(c, f, k, stride=stride, padding=padding, bias=bias, rng=rng)
    if bias:
        conv.bias.data[:] = rng.standard_normal(f)
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    expected, cache = reference.conv_forward(x, conv.weight.data, conv.bias.data if bias else None, stride, padding)
    out = conv(x)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    dout = rng.standard_normal(out.shape).astype(np.float32)
    dx_ref, dw_ref, db_ref = reference.conv_backward(dout, cache)
    dx = conv.backward(dout)
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(conv.weight.grad, dw_ref, rtol=1e-5, atol=1e-5)
    if bias:
        np.testing.assert_allclose(conv.bias.grad, db_ref, rtol=1e-5, atol=1e-5)


def test_conv_loops_on_a_hand_example():
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    w = np.array([[[[1, 0], [0, -1]]]], np.float32)  # top-left minus bottom-right
    out, _ = reference.conv_forward(x, w, np.array([0.5], np.float32), stride=2, padding=0)
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), -5 + 0.5))


def test_conv_backward_loops_on_a_hand_example():
    # One 3x3 image, a 2x2 kernel of ones, stride 1: the centre pixel is in all 4 windows.
    x = np.zeros((1, 1, 3, 3))
    w = np.ones((1, 1, 2, 2))
    _, cache = reference.conv_forward(x, w, np.zeros(1))
    dx, dw, db = reference.conv_backward(np.ones((1, 1, 2, 2)), cache)
    np.testing.assert_array_equal(dx[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert db.tolist() == [4.0]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 2), c=st.integers(1, 3), k=st.integers(1, 3), stride=st.integers(1, 3),
       h=st.integers(1, 9), w=st.integers(1, 9), ties=st.booleans(), seed=st.integers(0, 2**16))
def test_maxpool_layer_matches_the_loop_reference_forward_and_backward(n, c, k, stride, h, w, ties, seed):
    assume(h >= k and w >= k)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    if ties:
        x = np.round(x).astype(np.float32)  # many equal numbers: the first maximum must win
    pool = nn.MaxPool2d(k, stride)
    expected, cache = reference.max_pool_forward(x, k, stride)
    np.testing.assert_array_equal(pool(x), expected)
    dout = rng.standard_normal(expected.shape).astype(np.float32)
    np.testing.assert_allclose(pool.backward(dout), reference.max_pool_backward(dout, cache), rtol=1e-6, atol=1e-6)


def test_maxpool_gradient_goes_to_the_maximum_once_on_ties():
    pool = nn.MaxPool2d(2)
    x = np.array([[[[1.0, 5.0], [5.0, 2.0]]]], np.float32)
    assert pool(x).item() == 5.0
    dx = pool.backward(np.array([[[[3.0]]]], np.float32))
    assert dx.sum() == 3.0 and dx[0, 0, 0, 1] == 3.0


def test_conv_weight_shape_and_learned_filters_are_reachable():
    model = nn.Sequential(nn.Conv2d(3, 16, 5), nn.ReLU())
    assert model[0].weight.data.shape == (16, 3, 5, 5)
    assert model[0].bias.data.shape == (16,)
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias"]


def test_every_layer_of_a_model_remembers_exactly_the_input_it_was_given():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(48, 2))
    x = np.random.default_rng(0).standard_normal((4, 2, 11, 11)).astype(np.float32)
    model(x)
    conv_out = model[0](x)  # run again alone: the same input gives the same output
    np.testing.assert_array_equal(model[0].x, x)
    np.testing.assert_array_equal(model[1].x, conv_out)  # the ReLU saw the full 9x9 conv output, not a pooled one
    assert model[1].x.shape == (4, 3, 9, 9) and model[2].x_shape == (4, 3, 9, 9)


def test_sequential_forward_is_the_plain_loop():
    import inspect

    body = inspect.getsource(nn.Sequential.forward).split('"""')[-1].split()
    assert body == ["for", "layer", "in", "self.layers:", "x", "=", "layer(x)", "return", "x"]


def test_pooling_window_larger_than_image_is_explained():
    with pytest.raises(nn.InputError, match="smaller than the 2x2 pooling window"):
        nn.Sequential(nn.ReLU(), nn.MaxPool2d(2))(np.ones((1, 1, 1, 3), np.float32))
