"""Activation functions as layers: ReLU, LeakyReLU, PReLU, Sigmoid, Tanh.

Each one works on arrays of any shape, element by element.
"""

import numpy as np

from .errors import InputError
from .module import Module
from .parameter import Parameter


class Activation(Module):
    """Base class of the activation layers (used by ``fraction_zeros`` and ``dead_units``).

    Each one is tested against its pair of functions in :mod:`relulab.nn.reference`.
    """


class ReLU(Activation):
    """ReLU: ``out = max(0, x)``. Any shape in, same shape out."""

    _cache = ("x",)

    def forward(self, x):
        """x: any shape -> max(0, x), same shape."""
        x = self._as_input(x)
        self.x = x
        return np.maximum(0, x)

    def backward(self, dout):
        """dout: d loss / d out, shape of x -> dx, same shape."""
        # Gradient flows only where the input was positive. This line is where
        # "dying ReLU" comes from: a unit whose input is negative for every
        # example gets a zero gradient here, so its weights never change again.
        return dout * (self.x > 0)


class LeakyReLU(Activation):
    """Leaky ReLU: ``out = x`` where ``x > 0``, else ``negative_slope * x``. Any shape."""

    _cache = ("mask",)

    def __init__(self, negative_slope=0.01):
        self.negative_slope = float(negative_slope)

    def forward(self, x):
        """x: any shape -> same shape."""
        x = self._as_input(x)
        self.mask = x > 0
        return np.where(self.mask, x, x * self.negative_slope)

    def backward(self, dout):
        """dout: shape of x -> dx, same shape."""
        # Unlike ReLU, a negative input still lets a little gradient through.
        return np.where(self.mask, dout, dout * self.negative_slope)

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class PReLU(Activation):
    """Parametric ReLU: like LeakyReLU, but the negative slope ``alpha`` is learned.

    ``num_parameters=1`` learns one slope shared by all units; ``num_parameters=C``
    learns one slope per channel (axis 1 of the input, e.g. (N, C, H, W) or (N, C)).
    The slope is stored in ``.weight`` (the PyTorch name); ``.alpha`` reads it.
    """

    _cache = ("x", "mask")

    def __init__(self, num_parameters=1, init=0.25):
        self.num_parameters = int(num_parameters)
        self.weight = Parameter(np.full(self.num_parameters, init), name="weight")

    @property
    def alpha(self):
        """The learned slope(s) as an array of shape (num_parameters,)."""
        return self.weight.data.copy()

    def _slope(self, x):
        a = self.weight.data
        if self.num_parameters == 1:
            return a.reshape(())  # one slope for every element
        if x.ndim < 2 or x.shape[1] != self.num_parameters:
            raise InputError(
                f"{self!r} expects input shaped (N, {self.num_parameters}, ...) but got {x.shape}: "
                f"it learns one slope per channel on axis 1."
            )
        return a.reshape((1, -1) + (1,) * (x.ndim - 2))

    def forward(self, x):
        """x: (N, C, ...) or any shape if num_parameters == 1 -> same shape."""
        x = self._as_input(x)
        self.x = x
        self.mask = x > 0
        return np.where(self.mask, x, x * self._slope(x))

    def backward(self, dout):
        """dout: shape of x -> dx, same shape; adds d loss / d alpha to weight.grad."""
        x = self.x
        # d out / d alpha = x where x <= 0, else 0; summed over every axis but the channel.
        dalpha = np.where(self.mask, 0, dout * x)
        if self.num_parameters == 1:
            self.weight.grad += dalpha.sum()
        else:
            self.weight.grad += dalpha.sum(axis=(0,) + tuple(range(2, x.ndim)))
        return np.where(self.mask, dout, dout * self._slope(x))

    def __repr__(self):
        return f"PReLU(num_parameters={self.num_parameters})"


class Sigmoid(Activation):
    """Sigmoid: ``out = 1 / (1 + exp(-x))``, squashes any number into (0, 1). Any shape."""

    _cache = ("out",)

    def forward(self, x):
        """x: any shape -> values in (0, 1), same shape."""
        x = self._as_input(x)
        z = np.exp(-np.abs(x))  # never overflows, unlike exp(-x) for very negative x
        self.out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
        return self.out

    def backward(self, dout):
        """dout: shape of x -> dx, same shape."""
        s = self.out
        return dout * s * (1 - s)  # the slope s(1-s) is at most 0.25: gradients shrink


class Tanh(Activation):
    """Tanh: squashes any number into (-1, 1). Any shape."""

    _cache = ("out",)

    def forward(self, x):
        """x: any shape -> values in (-1, 1), same shape."""
        x = self._as_input(x)
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        """dout: shape of x -> dx, same shape."""
        return dout * (1 - self.out * self.out)
