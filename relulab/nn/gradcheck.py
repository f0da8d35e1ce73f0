"""Gradient checking: compare a layer's backward with central differences.

The check runs in float64 (inside ``float64_mode``, with the layer's parameters
temporarily converted to float64), because in float32 the difference
``f(a + eps) - f(a - eps)`` is swamped by rounding errors.
"""

import numpy as np

from ._config import default_rng, float64_mode


def numerical_gradient(f, a, eps=1e-6):
    """Central differences: d f / d a[i] ~ (f(a + eps e_i) - f(a - eps e_i)) / (2 eps).

    f: a function with no arguments returning a float; a: the array it reads,
    changed in place and restored. Returns an array shaped like ``a``. One
    pair of calls of f per element: use small arrays.
    """
    grad = np.zeros(a.shape, dtype=np.float64)
    flat, gflat = a.reshape(-1), grad.reshape(-1)  # views (a must be contiguous)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = f()
        flat[i] = old - eps
        f_minus = f()
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """``|a - b| / (|a| + |b|)`` with Euclidean norms; below ~1e-6 means they agree.

    Measured on the whole array rather than element by element, so entries that are
    0 analytically and 1e-12 numerically do not count as large errors.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 1e-12 else 0.0


def gradcheck(layer, x, eps=1e-6, rng=None):
    """Check ``layer.backward`` against numerical gradients; return the relative errors.

    layer: any layer or Sequential; x: a small input it accepts, e.g. (2, 3, 6, 6).
    The loss is ``sum(layer(x) * dout)`` for a random ``dout``, so ``backward(dout)``
    must return its gradient. Returns a dict ``{"input": err, "weight": err, ...}``
    keyed by ``named_parameters()`` (``"0.weight"`` ... for a Sequential).
    Errors below about 1e-6 mean the backward pass is right.
    """
    rng = default_rng() if rng is None else rng
    named = list(layer.named_parameters())
    saved = [(p.data, p.grad) for _, p in named]
    try:
        with float64_mode():
            for _, p in named:
                p.data = p.data.astype(np.float64)
                p.grad = np.zeros_like(p.data)
            x = np.array(x, dtype=np.float64)
            out = layer.forward(x)
            dout = rng.standard_normal(out.shape)
            dx = layer.backward(dout)

            def loss():
                return float(np.sum(layer.forward(x) * dout))

            errors = {"input": relative_error(dx, numerical_gradient(loss, x, eps))}
            for name, p in named:
                errors[name] = relative_error(p.grad, numerical_gradient(loss, p.data, eps))
            return errors
    finally:
        for (_, p), (data, grad) in zip(named, saved, strict=True):
            p.data, p.grad = data, grad
