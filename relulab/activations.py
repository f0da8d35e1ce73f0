"""Activation functions as plain numpy functions: the rule, and its slope (``<name>_grad``).

Every function takes a number or an array of any shape and returns the same shape.
The slopes are written out (no autodiff) so that a learner can read them. ``softmax`` turns a row of
scores into probabilities. The same activations as ``relulab.nn`` layers are registered in
:mod:`relulab.experiments.models`.
"""

import numpy as np


def relu(x):
    """ReLU, the rule of the course: keep a positive number, turn the rest into 0.

    ``relu(x) = max(0, x)`` applied to every entry. ``x``: a number or an array (any shape).

    >>> relu(np.array([3.0, -2.0, 0.0]))
    array([3., 0., 0.])
    """
    return np.maximum(0, x)


def relu_grad(x):
    """The slope of ReLU at ``x``: 1 where ``x > 0``, else 0.

    ReLU has a corner at 0, where it has no derivative. Like PyTorch, we pick 0 there
    (any value between 0 and 1 is a valid "subgradient"). Same shape as ``x``, float.
    """
    return (np.asarray(x) > 0).astype(np.result_type(float, np.asarray(x).dtype))


def leaky_relu(x, negative_slope=0.01):
    """Leaky ReLU: positive numbers pass, negative ones are multiplied by ``negative_slope``."""
    x = np.asarray(x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x, negative_slope=0.01):
    """The slope of Leaky ReLU: 1 where ``x > 0``, else ``negative_slope`` (also at 0)."""
    x = np.asarray(x)
    return np.where(x > 0, 1.0, negative_slope)


def sigmoid(x):
    """The logistic sigmoid, ``1 / (1 + exp(-x))``: squashes every number into (0, 1).

    Written so that large negative inputs do not overflow ``exp``.
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(x):
    """The slope of sigmoid, ``s * (1 - s)``: never larger than 0.25 (reached at 0)."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    """The hyperbolic tangent: squashes every number into (-1, 1)."""
    return np.tanh(x)


def tanh_grad(x):
    """The slope of tanh, ``1 - tanh(x)**2``: at most 1 (reached at 0)."""
    return 1 - np.tanh(x) ** 2


ACTIVATIONS = {
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
}
"""Name -> (function, slope function), for plots and experiments that compare them."""


def softmax(x, axis=-1):
    """Scores to probabilities: ``exp(x) / sum(exp(x))`` along ``axis`` (each slice sums to 1).

    The largest score is subtracted first, which changes nothing but keeps ``exp`` from overflowing.
    """
    x = np.asarray(x)
    z = np.exp(x - x.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)
