import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relulab import nn


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 3), c=st.integers(1, 3), f=st.integers(1, 4), k=st.integers(1, 4),
    stride=st.integers(1, 3), padding=st.integers(0, 2), h=st.integers(1, 9), w=st.integers(1, 9),
    bias=st.booleans(), seed=st.integers(0, 2**16),
)
def test_fast_conv_matches_loop_reference(n, c, f, k, stride, padding, h, w, bias, seed):
    if h + 2 * padding < k or w + 2 * padding < k:
        return  # kernel larger than the padded image: tested as an error below
    rng = np.random.default_rng(seed)
    conv = nn.Conv2d(c, f, k, stride=stride, padding=padding, bias=bias, rng=rng)
    if bias:
        conv.bias.data[:] = rng.standard_normal(f)
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    expected = nn.conv2d_loops(x, conv.weight.data, conv.bias.data if bias else None, stride, padding)
    out = conv(x)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_conv2d_loops_on_a_hand_example():
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    w = np.array([[[[1, 0], [0, -1]]]], np.float32)  # top-left minus bottom-right
    out = nn.conv2d_loops(x, w, np.array([0.5], np.float32), stride=2, padding=0)
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), -5 + 0.5))


def _maxpool_loops(x, k, s):
    n, c, h, w = x.shape
    ho, wo = (h - k) // s + 1, (w - k) // s + 1
    out = np.empty((n, c, ho, wo), x.dtype)
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out


@pytest.mark.parametrize("k,s,shape", [(2, 2, (2, 3, 8, 8)), (2, 2, (1, 2, 7, 5)), (3, 2, (2, 1, 9, 8)),
                                       (3, 3, (1, 2, 7, 7)), (2, 1, (1, 1, 4, 5))])
def test_maxpool_matches_loop_reference(k, s, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    np.testing.assert_array_equal(nn.MaxPool2d(k, s)(x), _maxpool_loops(x, k, s))


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
    assert [p.name for p in model.parameters()] == ["weight", "bias"]


def _layer_by_layer(model, x, dout):
    """Run the layers one at a time in the written order (no fused or trimmed path).

    Returns (output, input gradient, parameter gradients).
    """
    model.zero_grad()
    h = x
    for layer in model:
        h = layer(h)
    d = dout
    for layer in reversed(model.layers):
        d = layer.backward(d)
    return h, d, [p.grad.copy() for p in model.parameters()]


def test_model_skips_conv_outputs_a_floor_pool_drops_without_changing_any_number():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(48, 2))
    x = np.random.default_rng(0).standard_normal((4, 2, 11, 11)).astype(np.float32)  # conv: 9x9, pool: 4x4
    out = model(x)
    assert model[0].cols.shape[-1] == 8 * 8  # only the 8x8 outputs the pool reads were computed
    model.backward(np.ones_like(out))
    grads = [p.grad.copy() for p in model.parameters()]
    # The same layers one by one (full 9x9 conv output) give the same output and gradients.
    plain_out, _, plain_grads = _layer_by_layer(model, x, np.ones_like(out))
    np.testing.assert_array_equal(plain_out, out)
    for g, plain in zip(grads, plain_grads, strict=True):
        np.testing.assert_allclose(plain, g, rtol=1e-6, atol=1e-6)
    assert nn.layer_outputs(model, x)[0][1].shape == (4, 3, 9, 9)  # introspection shows everything


def test_model_runs_relu_then_pool_as_pool_then_relu_with_identical_numbers():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(3, 4, 3), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4, 2))
    model.needs_input_grad = True
    # Even sizes (conv 8x8, pool 4x4), so the conv computes every output on both paths.
    x = np.random.default_rng(0).standard_normal((5, 2, 10, 10)).astype(np.float32)
    x[:2, :, :6] = 0  # constant regions: tied windows, some of them all <= 0 after the ReLU
    model[0].bias.data[:] = [0.0, -0.1, 0.1]
    out = model(x)
    assert model._swapped == {1, 4}  # both ReLU + MaxPool2d pairs ran pooled first
    assert model[1].x.shape == (5, 3, 4, 4)  # the ReLU saw the pooled array
    dout = np.random.default_rng(1).standard_normal(out.shape).astype(np.float32)
    dx = model.backward(dout)
    grads = [p.grad.copy() for p in model.parameters()]
    # The plain path, layer by layer in the written order, gives exactly the same numbers.
    plain_out, plain_dx, plain_grads = _layer_by_layer(model, x, dout)
    np.testing.assert_array_equal(plain_out, out)
    np.testing.assert_array_equal(plain_dx, dx)
    for g, plain in zip(grads, plain_grads, strict=True):
        np.testing.assert_array_equal(plain, g)
    # Introspection still shows the ReLU's own full-size output.
    outputs = dict(nn.layer_outputs(model, x))
    assert outputs["1: ReLU"].shape == (5, 3, 8, 8) and outputs["1: ReLU"].min() == 0


def test_only_plain_relu_is_moved_after_the_pool():
    for act in (nn.LeakyReLU(0.1), nn.PReLU(), nn.Sigmoid(), nn.Tanh()):
        model = nn.Sequential(nn.Conv2d(1, 2, 3), act, nn.MaxPool2d(2))
        model(np.ones((1, 1, 6, 6), np.float32))
        assert model._swapped == set()
    model = nn.Sequential(nn.ReLU(), nn.MaxPool2d(2))
    with pytest.raises(nn.InputError, match="smaller than the 2x2 pooling window"):
        model(np.ones((1, 1, 1, 3), np.float32))  # too small: the pool explains it, as before
    with pytest.raises(nn.InputError, match="NaN"):
        model(np.full((1, 1, 2, 2), np.nan, np.float32))  # the model's input is still checked
