"""Saturation, gradient size layer by layer, and what an activation costs (notebook 03).

- sigmoid squashes large scores together, ReLU keeps them apart (:func:`keeps_detail`);
- in a deep stack at initialisation, the gradient reaching the first layers of a sigmoid network is
  many times smaller than at the last layers, shrinking by about the same factor at every layer, while
  a ReLU network with He init keeps it about the same size; with Xavier init a ReLU network's outputs
  shrink layer by layer instead, because nothing bounds ReLU and only the weights' scale sets its size
  (:func:`layer_signal_sizes`, :func:`signal_profiles`, :func:`per_layer_factor`, :func:`shrink_factor`);
- ReLU is cheaper than sigmoid, whose cost depends on how it is written (:data:`SIGMOIDS`), yet the
  matrix products cost far more than any activation (:func:`time_activations`, :func:`time_layer`).

Pure functions take plain values and return plain values; every random draw is seeded.
"""

from __future__ import annotations

import time

import numpy as np

from .. import nn
from ..activations import relu, relu_grad, sigmoid, sigmoid_grad
from .models import ACTIVATIONS, mlp

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


INITS = ("usual", "he", "xavier")
"""How the weights of the deep networks are drawn: "usual" is He for ReLU and Xavier for sigmoid and tanh
(each activation's standard choice); "he" or "xavier" uses that one for every activation."""


def _spec_init(activation: str) -> str:
    return ACTIVATIONS[activation].init  # the activation's usual initialisation: "he" or "xavier"


def _init_for(activation: str, init: str | None) -> str | None:
    if init in (None, "usual"):
        return None  # mlp picks the activation's usual one
    if init not in ("he", "xavier"):
        raise ValueError(f"init must be one of {INITS}, not {init!r}")
    return init


def layer_signal_sizes(depth: int, activation: str, init: str | None = "usual", width: int = 64,
                       batch: int = 128, seed: int = 0, gain: float = 1.0) -> dict:
    """How big the signal is at every layer of a fresh deep network, forward and backward.

    A fresh ``mlp([width] * (depth + 1) + [10], activation, init=...)`` (``depth`` hidden layers) with
    weights from ``numpy.random.default_rng(seed)``, a batch of standard-normal inputs with random
    labels, cross-entropy loss, one backward pass. gain: every weight is multiplied by it after
    initialisation (1: the init as it is; 1.5: weights half as large again).
    -> dict grad: (depth + 1,) the L2 norm of every Linear layer's weight gradient (``nn.grad_norms``),
    first layer first, the last one being the output layer; output: (depth,) the root-mean-square size
    of every hidden layer's output (after its activation).
    """
    model = mlp([width] * (int(depth) + 1) + [10], activation, init=_init_for(activation, init),
                rng=np.random.default_rng(seed))
    if gain != 1.0:
        for layer in model:
            if isinstance(layer, nn.Linear):
                layer.weight.data *= gain
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, width)).astype(np.float32)
    y = rng.integers(0, 10, size=batch)
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(model(X), y)
    model.backward(loss_fn.backward())
    norms = nn.grad_norms(model)
    outputs = nn.layer_outputs(model, X)  # a second forward pass, layer by layer, to read every output
    layers = dict(nn.named_layers(model))
    sizes = [float(np.sqrt(np.mean(a.astype(np.float64) ** 2)))
             for name, a in outputs if isinstance(layers[name], nn.Activation)]
    return {"grad": np.array([v for k, v in norms.items() if k.endswith("weight")]), "output": np.array(sizes)}


def layer_gradient_sizes(depth: int, activation: str, width: int = 64, batch: int = 128,
                         seed: int = 0, init: str | None = "usual") -> np.ndarray:
    """The size of the weight gradient of every Linear layer after one backward pass.

    The ``grad`` part of :func:`layer_signal_sizes` (He init for ReLU, Xavier for the others unless
    ``init`` says otherwise). -> (depth + 1,) floats, first layer first (the last one is the output layer).
    """
    return layer_signal_sizes(depth, activation, init, width, batch, seed)["grad"]


def gradient_profiles(depths=range(2, 31), activations=ACTIVATION_NAMES, **kwargs) -> dict:
    """:func:`layer_gradient_sizes` for every depth and activation, computed once for a widget.

    -> dict activation -> dict depth -> (depth + 1,) array. kwargs go to layer_gradient_sizes.
    """
    return {act: {int(d): layer_gradient_sizes(d, act, **kwargs) for d in depths} for act in activations}


def signal_profiles(depths=range(2, 31), activations=ACTIVATION_NAMES, inits=INITS, **kwargs) -> dict:
    """:func:`layer_signal_sizes` for every initialisation, activation and depth, computed once for a widget.

    -> dict init -> activation -> depth -> dict grad, output. kwargs go to layer_signal_sizes.
    """
    from threadpoolctl import threadpool_limits

    # The matrices are tiny: one BLAS thread is as fast, and far faster when the CPU is shared.
    usual = {act: _spec_init(act) for act in activations}
    needed = {(act, usual[act] if init == "usual" else init) for init in inits for act in activations}
    with threadpool_limits(1):
        runs = {(act, init): {int(d): layer_signal_sizes(d, act, init, **kwargs) for d in depths}
                for act, init in sorted(needed)}
    # "usual" is He for ReLU and Xavier for the others: the same runs, computed once.
    return {init: {act: runs[(act, usual[act] if init == "usual" else init)] for act in activations}
            for init in inits}


def geometric_step(sizes) -> float:
    """The factor that, applied at every step from one layer to the next, turns the first size into the last.

    sizes: (L,) positive sizes, first layer first -> ``(sizes[-1] / sizes[0]) ** (1 / (L - 1))``, the
    geometric mean of the L - 1 layer-to-layer ratios. Below 1 the signal shrinks layer after layer;
    a steady shrink shows as a straight falling line on a log axis.
    """
    sizes = np.asarray(sizes, dtype=float)
    if len(sizes) < 2:
        raise ValueError("geometric_step needs the sizes of at least two layers")
    return float((sizes[-1] / sizes[0]) ** (1 / (len(sizes) - 1)))


def per_layer_factor(grad_sizes) -> float:
    """:func:`geometric_step` of the weight-gradient sizes over the hidden layers only.

    grad_sizes: (depth + 1,) as ``grad`` of :func:`layer_signal_sizes` (the last entry, the output layer,
    is a different shape of layer and is left out). Above 1: the gradient is larger at each layer
    nearer the output, i.e. it shrinks by this factor at every layer on its way back to the input.
    """
    grad_sizes = np.asarray(grad_sizes, dtype=float)
    if len(grad_sizes) < 3:
        raise ValueError("per_layer_factor needs at least two hidden layers and the output layer")
    return geometric_step(grad_sizes[:-1])


def describe_signal(act: str, grad_sizes, output_sizes) -> str:
    """One phrase for an explorer's readout: how the gradient and the outputs change per layer.

    e.g. "sigmoid: gradient ÷4.2 per layer toward the input, outputs ×1.0 per layer".
    """
    g, o = per_layer_factor(grad_sizes), geometric_step(output_sizes)

    def change(f, toward):
        return "about level" if 1 / 1.05 <= f <= 1.05 else f"{shrink_text(f)} per layer {toward}"

    return f"{act}: gradient {change(g, 'toward the input')}, outputs {change(1 / o, 'toward the output')}"


def shrink_text(factor: float) -> str:
    """A per-layer factor as a learner reads it: 4.3 -> "÷4.3" (shrinks), 0.8 -> "×1.2" (grows),
    and "≈1" within 5% of 1."""
    if 1 / 1.05 <= factor <= 1.05:
        return "≈1"
    return f"÷{factor:.2g}" if factor > 1 else f"×{1 / factor:.2g}"


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


def sigmoid_two_branch(x):
    """Sigmoid as the course's ``nn.Sigmoid`` computes it: two branches around ``exp(-|x|)``, which never
    overflows. Keeps float32 as float32."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_plain(x):
    """Sigmoid straight from its definition, ``1 / (1 + np.exp(-x))``: fewer passes over the numbers, but
    ``exp(-x)`` overflows (with a warning, the result is still right) below about -88 in float32."""
    return 1 / (1 + np.exp(-x))


def sigmoid_via_tanh(x):
    """The same function through tanh: ``sigmoid(x) = 0.5 * (1 + tanh(x / 2))``. Never overflows."""
    return 0.5 * (1 + np.tanh(x / 2))


SIGMOIDS = {"sigmoid": sigmoid_two_branch, "sigmoid_plain": sigmoid_plain, "sigmoid_tanh": sigmoid_via_tanh}
"""Three ways to write the same sigmoid, timed by :func:`time_activations`: how it is written is a choice."""


def time_activations(n: int = 10_000_000, repeats: int = 5, seed: int = 0) -> dict:
    """Median seconds to apply each activation once to ``n`` standard-normal float32 numbers.

    Times numpy expressions: "relu" ``np.maximum(x, 0)``, "tanh" ``np.tanh(x)``, and the three sigmoids of
    :data:`SIGMOIDS`: "sigmoid" (two branches, as the course's ``nn.Sigmoid`` computes it),
    "sigmoid_plain" and "sigmoid_tanh". All stay in float32. -> dict name -> seconds, plus "ratio_<name>" =
    its time / ReLU's time.
    """
    x = np.random.default_rng(seed).normal(size=n).astype(np.float32)
    functions = {"relu": lambda x: np.maximum(x, 0), "tanh": np.tanh, **SIGMOIDS}
    out = {name: _median_seconds(lambda fn=fn: fn(x), repeats) for name, fn in functions.items()}
    out.update({f"ratio_{name}": out[name] / out["relu"] for name in functions})
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
    for name, fn in [("relu", nn.ReLU()), ("sigmoid", nn.Sigmoid()), ("tanh", nn.Tanh())]:  # the course's layers
        out[name] = _median_seconds(lambda fn=fn: fn.forward(z), repeats)
        out[f"share_{name}"] = out[name] / (out["matmul"] + out[name])
    return out
