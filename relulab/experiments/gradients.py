"""Saturation, gradient size layer by layer, and what an activation costs (notebook 03).

- sigmoid squashes large scores together, ReLU keeps them apart (:func:`keeps_detail`);
- in a deep stack at initialisation, the gradient reaching the first layers of a sigmoid network is
  many times smaller than at the last layers, while a ReLU network (He init) keeps it about the same
  size (:func:`layer_gradient_sizes`, :func:`gradient_profiles`, :func:`shrink_factor`);
- ReLU is cheaper than sigmoid or tanh, yet the matrix products cost far more than any activation
  (:func:`time_activations`, :func:`time_layer`).

Pure functions take plain values and return plain values; every random draw is seeded.
"""

from __future__ import annotations

import time

import numpy as np

from .. import nn
from ..activations import relu, relu_grad, sigmoid, sigmoid_grad
from .models import mlp

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
"""The activations compared in this module, in plotting order."""

# ---------------------------------------------------------------------------------------
# Keeping detail: sigmoid(10) vs sigmoid(8), relu(10) vs relu(8).


def keeps_detail(a: float, b: float) -> dict:
    """What sigmoid and ReLU make of two scores ``a`` and ``b``, and what a next layer can still tell.

    -> dict with sigmoid_a, sigmoid_b, relu_a, relu_b, the differences sigmoid_diff / relu_diff
    (a's output minus b's), the ratios sigmoid_ratio / relu_ratio (a's output over b's, nan when
    b's output is 0) and the slopes sigmoid_slope_a / relu_slope_a (how much a nudge of ``a`` moves
    each output). All floats.
    """
    a, b = float(a), float(b)
    sa, sb, ra, rb = (float(v) for v in (sigmoid(a), sigmoid(b), relu(a), relu(b)))

    def ratio(p, q):
        return p / q if q != 0 else float("nan")

    return {"a": a, "b": b, "sigmoid_a": sa, "sigmoid_b": sb, "relu_a": ra, "relu_b": rb,
            "sigmoid_diff": sa - sb, "relu_diff": ra - rb,
            "sigmoid_ratio": ratio(sa, sb), "relu_ratio": ratio(ra, rb),
            "sigmoid_slope_a": float(sigmoid_grad(a)), "relu_slope_a": float(relu_grad(a))}


# ---------------------------------------------------------------------------------------
# Gradient size, layer by layer, at initialisation.


def layer_gradient_sizes(depth: int, activation: str, width: int = 64, batch: int = 128,
                         seed: int = 0) -> np.ndarray:
    """The size of the weight gradient of every Linear layer after one backward pass.

    A fresh ``mlp([width] * (depth + 1) + [10], activation)`` (``depth`` hidden layers; He init for
    ReLU, Xavier for the others) with weights from ``numpy.random.default_rng(seed)``, a batch of
    standard-normal inputs with random labels, cross-entropy loss, one backward pass; for each Linear
    layer the L2 norm of its weight gradient (``nn.grad_norms``).
    -> (depth + 1,) floats, first layer first (the last one is the output layer).
    """
    model = mlp([width] * (int(depth) + 1) + [10], activation, rng=np.random.default_rng(seed))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, width)).astype(np.float32)
    y = rng.integers(0, 10, size=batch)
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(model(X), y)
    model.backward(loss_fn.backward())
    norms = nn.grad_norms(model)
    return np.array([v for k, v in norms.items() if k.endswith("weight")])


def gradient_profiles(depths=range(2, 31), activations=ACTIVATION_NAMES, **kwargs) -> dict:
    """:func:`layer_gradient_sizes` for every depth and activation, computed once for a widget.

    -> dict activation -> dict depth -> (depth + 1,) array. kwargs go to layer_gradient_sizes.
    """
    return {act: {int(d): layer_gradient_sizes(d, act, **kwargs) for d in depths} for act in activations}


def shrink_factor(sizes) -> float:
    """How many times smaller the first layer's gradient is than the last layer's.

    sizes: (L,) gradient sizes, first layer first -> ``sizes[-1] / sizes[0]`` (below 1 means the
    first layer gets the larger gradient).
    """
    sizes = np.asarray(sizes, dtype=float)
    return float(sizes[-1] / sizes[0])


def describe_shrink(act: str, factor: float) -> str:
    """One sentence for a shrink factor, e.g. "sigmoid: the first layer gets 1.2e+04 times less"."""
    if factor >= 1.5:
        return f"{act}: the first layer's gradient is {factor:.3g} times smaller than the last layer's"
    if factor <= 1 / 1.5:
        return f"{act}: the first layer's gradient is {1 / factor:.3g} times larger than the last layer's"
    return f"{act}: first and last layers get gradients of about the same size ({factor:.2f} : 1)"


# ---------------------------------------------------------------------------------------
# Cost: the activation against the matrix product.


def _median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def time_activations(n: int = 10_000_000, repeats: int = 5, seed: int = 0) -> dict:
    """Median seconds to apply relu, sigmoid and tanh once to ``n`` float32 numbers.

    Uses the course's layers (``nn.ReLU``, ``nn.Sigmoid``, ``nn.Tanh``), which compute in float32.
    -> dict name -> seconds, plus "ratio_<name>" = its time / ReLU's time.
    """
    x = np.random.default_rng(seed).normal(size=n).astype(np.float32)
    layers = {"relu": nn.ReLU(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh()}
    out = {name: _median_seconds(lambda layer=layer: layer.forward(x), repeats) for name, layer in layers.items()}
    out.update({f"ratio_{name}": out[name] / out["relu"] for name in layers})
    return out


def time_layer(batch: int = 256, width: int = 1024, repeats: int = 5, seed: int = 0) -> dict:
    """One dense layer's forward pass split into its parts: the matrix product, then each activation.

    x: (batch, width) @ W: (width, width), float32. -> dict seconds for "matmul", "relu", "sigmoid",
    "tanh", plus "share_<name>" = activation time / (matmul + activation time).
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, width)).astype(np.float32)
    W = rng.normal(size=(width, width)).astype(np.float32) / np.sqrt(width)
    z = x @ W
    out = {"matmul": _median_seconds(lambda: x @ W, repeats)}
    for name, fn in [("relu", nn.ReLU()), ("sigmoid", nn.Sigmoid()), ("tanh", nn.Tanh())]:
        out[name] = _median_seconds(lambda fn=fn: fn.forward(z), repeats)
        out[f"share_{name}"] = out[name] / (out["matmul"] + out[name])
    return out
