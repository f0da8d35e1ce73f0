"""A learnable array and its gradient."""

import numpy as np

from ._config import get_dtype


class Parameter:
    """A learnable array: ``.data`` (float32) and ``.grad`` (same shape, float32).

    Layers *add* their gradient into ``.grad`` during ``backward`` (as PyTorch
    does); ``optimizer.zero_grad()`` sets it back to zero before the next step.
    """

    def __init__(self, data, name="param"):
        self.data = np.array(data, dtype=get_dtype())
        self.grad = np.zeros_like(self.data)
        self.name = name

    @property
    def shape(self):
        """Shape of ``.data``."""
        return self.data.shape

    def zero_grad(self):
        """Set ``.grad`` to zeros."""
        self.grad[...] = 0

    def __repr__(self):
        return f"Parameter(name={self.name!r}, shape={self.data.shape}, dtype={self.data.dtype})"
