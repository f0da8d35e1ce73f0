"""Dense layers: Linear and Flatten."""

import numpy as np

from . import init as _init
from .errors import InputError
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """Fully connected layer: ``out = x @ weight.T + bias``.

    x: (N, in_features) -> out: (N, out_features).
    weight: (out_features, in_features) (PyTorch's layout), bias: (out_features,).
    ``init="he"`` (for ReLU networks) or ``"xavier"`` (for sigmoid / tanh);
    the bias starts at zero. ``rng`` defaults to the package generator.
    Tested against :func:`relulab.nn.reference.linear_forward` and ``linear_backward``.
    """

    _cache = ("x",)

    def __init__(self, in_features, out_features, bias=True, init="he", rng=None):
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.weight = Parameter(np.zeros((self.out_features, self.in_features)), name="weight")
        if init == "he":
            _init.he_(self.weight, self.in_features, rng=rng)
        elif init == "xavier":
            _init.xavier_(self.weight, self.in_features, self.out_features, rng=rng)
        else:
            raise ValueError(f"init must be 'he' or 'xavier', not {init!r}")
        self.bias = Parameter(np.zeros(self.out_features), name="bias") if bias else None

    def forward(self, x):
        """x: (N, in_features) -> (N, out_features)."""
        x = self._as_input(x)
        self._check_shape(x, 2, f"(N, {self.in_features})", self.in_features, "feature")
        self.x = x
        out = x @ self.weight.data.T
        if self.bias is not None:
            out += self.bias.data
        return out

    def backward(self, dout):
        """dout: (N, out_features) -> dx: (N, in_features); adds to weight.grad and bias.grad."""
        self.weight.grad += dout.T @ self.x  # summed over the examples of the batch
        if self.bias is not None:
            self.bias.grad += dout.sum(axis=0)
        return dout @ self.weight.data

    def __repr__(self):
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None})")


class Flatten(Module):
    """Flatten every axis but the first: (N, C, H, W) -> (N, C*H*W)."""

    _cache = ("x_shape",)

    def forward(self, x):
        """x: (N, ...) -> (N, product of the other axes)."""
        x = self._as_input(x)
        if x.ndim < 2:
            raise InputError(f"Flatten() expects input shaped (N, ...) but got {x.shape}.")
        self.x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        """dout: (N, D) -> dx reshaped to the input's shape."""
        return dout.reshape(self.x_shape)
