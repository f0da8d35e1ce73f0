import numpy as np
import pytest

from relulab import nn


def test_relu_forward_is_max_of_zero_and_x():
    x = np.array([3.0, -2.0, 0.0, 0.5], np.float32)
    np.testing.assert_array_equal(nn.ReLU()(x), [3.0, 0.0, 0.0, 0.5])


def test_relu_backward_passes_gradient_only_where_input_positive():
    relu = nn.ReLU()
    x = np.array([[3.0, -2.0, 0.0, 1e-6, -1e-6]], np.float32)
    relu(x)
    dx = relu.backward(np.full_like(x, 7.0))
    # Positive input: the gradient passes unchanged. Zero or negative: it is blocked (0 at
    # x == 0, the subgradient PyTorch also picks).
    np.testing.assert_array_equal(dx, [[7.0, 0.0, 0.0, 7.0, 0.0]])


def test_leaky_relu_lets_a_small_slope_through():
    leaky = nn.LeakyReLU(negative_slope=0.1)
    x = np.array([2.0, -3.0, 0.0], np.float32)
    np.testing.assert_allclose(leaky(x), [2.0, -0.3, 0.0])
    np.testing.assert_allclose(leaky.backward(np.ones(3, np.float32)), [1.0, 0.1, 0.1])
    assert nn.LeakyReLU().negative_slope == 0.01


def test_prelu_learns_its_slope_from_negative_inputs_only():
    prelu = nn.PReLU(init=0.25)
    x = np.array([[2.0, -3.0, -1.0]], np.float32)
    np.testing.assert_allclose(prelu(x), [[2.0, -0.75, -0.25]])
    dx = prelu.backward(np.array([[1.0, 2.0, 3.0]], np.float32))
    np.testing.assert_allclose(dx, [[1.0, 0.5, 0.75]])
    # d loss / d alpha = sum over negative inputs of dout * x = 2*(-3) + 3*(-1)
    np.testing.assert_allclose(prelu.weight.grad, [-9.0])
    assert prelu.alpha.tolist() == [0.25]


def test_prelu_per_channel_slope_gradient():
    prelu = nn.PReLU(num_parameters=2, init=0.5)
    x = np.array([[[[-1.0, 2.0]], [[-4.0, -1.0]]]], np.float32)  # (1, 2, 1, 2)
    prelu(x)
    prelu.backward(np.ones_like(x))
    np.testing.assert_allclose(prelu.weight.grad, [-1.0, -5.0])
    with pytest.raises(nn.InputError, match="one slope per channel"):
        prelu(np.zeros((1, 3, 2, 2), np.float32))


def test_sigmoid_and_tanh_are_stable_and_correct():
    x = np.array([-1000.0, -20.0, 0.0, 20.0, 1000.0], np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = nn.Sigmoid()(x)
    with np.errstate(over="ignore"):
        expected = 1 / (1 + np.exp(-x.astype(np.float64)))
    np.testing.assert_allclose(s, expected, rtol=1e-6, atol=0)
    np.testing.assert_allclose(nn.Tanh()(x), np.tanh(x))


def test_reprs_use_pytorch_vocabulary():
    assert repr(nn.ReLU()) == "ReLU()"
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.PReLU()) == "PReLU(num_parameters=1)"
    assert repr(nn.Conv2d(3, 16, 3)) == "Conv2d(3, 16, kernel_size=3)"
    assert repr(nn.Conv2d(3, 16, 5, stride=2, padding=1)) == "Conv2d(3, 16, kernel_size=5, stride=2, padding=1)"
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=2)"
    assert repr(nn.Linear(4, 2)) == "Linear(in_features=4, out_features=2, bias=True)"
    text = repr(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)))
    assert "(0): Flatten()" in text and "(1): Linear(" in text
