"""Weight initialisation: He (for ReLU networks) and Xavier/Glorot (for tanh and sigmoid).

Both fill an array, or a Parameter's ``.data``, in place and return it.
``fan_in`` is the number of inputs each output unit sums over:
``in_features`` for Linear, ``in_channels * kernel_size**2`` for Conv2d.
"""

import numpy as np

from ._config import default_rng
from .parameter import Parameter


def _target(array_or_param):
    return array_or_param.data if isinstance(array_or_param, Parameter) else array_or_param


def he_(array_or_param, fan_in, rng=None):
    """He (Kaiming) normal init: values ~ N(0, 2 / fan_in).

    The factor 2 makes up for ReLU zeroing about half of its inputs, so the
    variance of activations stays about the same from layer to layer.
    """
    rng = default_rng() if rng is None else rng
    a = _target(array_or_param)
    a[...] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=a.shape)
    return array_or_param


def xavier_(array_or_param, fan_in, fan_out, rng=None):
    """Xavier (Glorot) uniform init: values ~ U(-b, b) with b = sqrt(6 / (fan_in + fan_out))."""
    rng = default_rng() if rng is None else rng
    a = _target(array_or_param)
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    a[...] = rng.uniform(-bound, bound, size=a.shape)
    return array_or_param
