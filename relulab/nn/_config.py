"""Package-wide settings: the random generator and the floating-point type.

Everything in ``relulab.nn`` computes in float32, like PyTorch. Gradient checks
switch to float64 for a moment with :func:`float64_mode`, because central
differences in float32 are too noisy to compare against.
"""

from contextlib import contextmanager

import numpy as np

_state = {"rng": np.random.default_rng(0), "dtype": np.dtype(np.float32)}


def manual_seed(seed):
    """Reset the package's random generator (like ``torch.manual_seed``).

    Layers created afterwards, and ``fit``'s shuffling, draw from it, so the same
    seed gives the same weights and the same training run.
    """
    _state["rng"] = np.random.default_rng(seed)
    return _state["rng"]


def default_rng():
    """Return the package's global ``np.random.Generator`` (set by :func:`manual_seed`)."""
    return _state["rng"]


def get_dtype():
    """The floating-point type layers compute in: float32, or float64 inside :func:`float64_mode`."""
    return _state["dtype"]


@contextmanager
def float64_mode():
    """Inside this ``with`` block, inputs and new parameters are float64 instead of float32.

    Used by :func:`relulab.nn.gradcheck`: a numerical gradient needs double precision.
    """
    old = _state["dtype"]
    _state["dtype"] = np.dtype(np.float64)
    try:
        yield
    finally:
        _state["dtype"] = old
