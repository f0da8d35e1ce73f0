import numpy as np
import pytest

from relulab.activations import (
    ACTIVATIONS,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh_grad,
)


def test_relu_worked_values_from_the_sources():
    assert relu(3) == 3 and relu(-2) == 0 and relu(0) == 0
    np.testing.assert_array_equal(relu(np.array([10.0, -3.0, -5.0, 8.0])), [10, 0, 0, 8])


def test_relu_keeps_shape_and_does_not_touch_its_input():
    x = np.arange(-6.0, 6.0).reshape(2, 3, 2)
    before = x.copy()
    assert relu(x).shape == x.shape
    np.testing.assert_array_equal(x, before)


def test_relu_grad_is_a_step_with_zero_chosen_at_the_corner():
    np.testing.assert_array_equal(relu_grad(np.array([-1.0, 0.0, 1e-9, 5.0])), [0, 0, 1, 1])


def test_sigmoid_is_stable_for_huge_inputs_and_its_slope_peaks_at_a_quarter():
    with np.errstate(over="raise"):
        assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0
    x = np.linspace(-10, 10, 2001)
    assert sigmoid_grad(x).max() == pytest.approx(0.25) and sigmoid_grad(0.0) == pytest.approx(0.25)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_each_derivative_matches_a_numerical_slope_away_from_zero(name):
    f, df = ACTIVATIONS[name]
    x = np.array([-2.5, -0.7, 0.4, 1.9])
    h = 1e-6
    np.testing.assert_allclose(df(x), (f(x + h) - f(x - h)) / (2 * h), rtol=1e-5, atol=1e-8)


def test_leaky_relu_lets_a_scaled_negative_through():
    np.testing.assert_allclose(leaky_relu(np.array([-10.0, 2.0]), 0.1), [-1.0, 2.0])
    np.testing.assert_allclose(leaky_relu_grad(np.array([-10.0, 0.0, 2.0]), 0.1), [0.1, 0.1, 1.0])
    np.testing.assert_allclose(tanh_grad(0.0), 1.0)


def test_softmax_rows_are_probabilities_that_keep_the_order_of_the_scores_and_survive_huge_scores():
    from relulab.activations import softmax

    p = softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]), axis=1)
    assert np.allclose(p.sum(axis=1), 1) and np.all(np.isfinite(p))
    assert np.allclose(p[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    assert p[1, 0] == pytest.approx(1.0) and p[1, 2] == 0.0
    assert np.allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75])
