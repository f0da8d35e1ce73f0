"""A small CNN, opened layer by layer: shapes, parameter counts, feature maps and gradient checks (notebook 06).

Everything here is numpy only (the engine and the data), arrays and numbers in, arrays, numbers and
dicts out:

- :func:`small_cnn` builds the notebook's network, :func:`scene_batch` turns a street scene of
  notebook 02 into its input, :func:`shape_table` and :func:`parameter_counts` describe it, and
  :func:`trace` runs an input through it and keeps every layer's output (the feature maps).
- :func:`backward_check` compares a backward function with central differences (built on
  :func:`relulab.nn.numerical_gradient` and :func:`relulab.nn.relative_error`); the ``BROKEN``
  backwards are the deliberately wrong ones the notebook shows failing it.
- :func:`relu_gradient` is the ReLU backward on one feature map, for the gradient-mask explorer;
  :func:`dead_unit_gradients` shows a unit whose input is negative for every example getting no
  gradient at all.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from ..data import make_scene
from ..nn import reference

SCENE_SEED = 3
"""The street scene of the notebook: ``make_scene(SCENE_SEED, cars=("red", "blue"))``."""


def small_cnn(seed: int = 0, height: int = 96, width: int = 160) -> nn.Sequential:
    """The notebook's CNN for a colour picture (N, 3, height, width): two conv/ReLU/pool blocks and a Linear.

    Conv2d(3, 8, 3, padding=1) → ReLU → MaxPool2d(2) → Conv2d(8, 16, 3, padding=1) → ReLU →
    MaxPool2d(2) → Flatten → Linear(16 · height/4 · width/4, 2): two scores ("red car", "no red car").
    Weights are drawn from ``np.random.default_rng(seed)`` (He initialisation); it is untrained.
    """
    rng = np.random.default_rng(seed)
    features = 16 * (height // 4) * (width // 4)
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(features, 2, rng=rng),
    )


def scene_batch(seed: int = SCENE_SEED, cars=("red", "blue")) -> np.ndarray:
    """A street scene of notebook 02 as a batch of one image: (1, 3, 96, 160) float32, channels first."""
    image = make_scene(seed, cars=cars)["image"]  # (H, W, 3)
    return np.ascontiguousarray(image.transpose(2, 0, 1)[None], dtype=np.float32)


def car_crop(seed: int = SCENE_SEED, height: int = 32, width: int = 48) -> np.ndarray:
    """The red car of :func:`scene_batch`'s street, cut out: (1, 3, height, width), centred on its box.

    Small enough for the reference path's loops to run the whole network in a fraction of a second.
    """
    scene = make_scene(seed, cars=("red", "blue"))
    top, left, bottom, right = next(car["box"] for car in scene["cars"] if car["colour"] == "red")
    image = scene["image"]
    row = int(np.clip((top + bottom) // 2 - height // 2, 0, image.shape[0] - height))
    col = int(np.clip((left + right) // 2 - width // 2, 0, image.shape[1] - width))
    crop = image[row:row + height, col:col + width].transpose(2, 0, 1)[None]
    return np.ascontiguousarray(crop, dtype=np.float32)


def _count(layer) -> int:
    return sum(int(p.data.size) for p in layer.parameters())


def parameter_counts(model) -> dict:
    """``{"0: Conv2d": 224, ..., "total": ...}``: how many numbers each layer learns (weights and biases)."""
    counts = {name: _count(layer) for name, layer in nn.named_layers(model)}
    counts["total"] = sum(counts.values())
    return counts


def trace(model, x) -> list[tuple[str, np.ndarray]]:
    """Run ``x`` through ``model``; return ``[("input", x), ("0: Conv2d", out0), ...]``, every layer's output."""
    return [("input", np.asarray(x))] + nn.layer_outputs(model, x)


def shape_table(model, input_shape) -> list[dict]:
    """One row per layer: its name, what it is, the shape coming out, how many numbers that is, its parameters.

    input_shape: (N, C, H, W). Runs zeros through the model (shapes do not depend on the values).
    The first row is the input itself.
    """
    outputs = trace(model, np.zeros(input_shape, dtype=np.float32))
    layers = dict(nn.named_layers(model))
    rows = []
    for name, out in outputs:
        layer = layers.get(name)
        rows.append({"name": name, "layer": "the picture" if layer is None else repr(layer),
                     "shape": tuple(out.shape), "numbers": int(out.size),
                     "parameters": 0 if layer is None else _count(layer)})
    return rows


def format_shape_table(rows) -> str:
    """:func:`shape_table`'s rows as aligned text."""
    labels = [r["layer"] if r["name"] == "input" else f"{r['name'].split(':')[0]}: {r['layer']}" for r in rows]
    width = max(len(label) for label in labels)
    lines = [f"{'layer':<{width}} {'output shape':<18} {'numbers':>8} {'parameters':>11}"]
    for label, r in zip(labels, rows, strict=True):
        lines.append(f"{label:<{width}} {str(r['shape']):<18} {r['numbers']:>8,} {r['parameters']:>11,}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Gradient checks.

def backward_check(forward, backward, x, seed: int = 0, eps: float = 1e-6) -> dict:
    """Compare ``backward`` with central differences on the loss ``sum(forward(x) * dout)``.

    forward: x -> out (an array); backward: (dout, x) -> dx. ``dout`` is random (seeded), so every
    output counts. Returns ``{"analytic": dx, "numerical": ..., "relative_error": ...}``; below about
    1e-6 the backward is right, above about 1e-2 it is wrong.
    """
    x = np.array(x, dtype=np.float64)
    dout = np.random.default_rng(seed).standard_normal(np.shape(forward(x)))
    analytic = np.asarray(backward(dout, x.copy()), dtype=np.float64)
    numerical = nn.numerical_gradient(lambda: float(np.sum(forward(x) * dout)), x, eps)
    return {"analytic": analytic, "numerical": numerical,
            "relative_error": nn.relative_error(analytic, numerical)}


def relu_forward(x):
    """ReLU's forward, output only: max(0, x)."""
    return reference.relu_forward(x)[0]


def relu_backward(dout, x):
    """ReLU's backward with the input instead of a cache: ``dout * (x > 0)``."""
    return reference.relu_backward(dout, x)


def max_pool_forward(x):
    """2 × 2 max pooling with stride 2 on (N, C, H, W), output only."""
    return reference.max_pool_forward(x, 2)[0]


def max_pool_backward(dout, x):
    """2 × 2 max pooling's backward, ``(dout, x) -> dx``: each window's gradient goes to its (first) largest cell."""
    return reference.max_pool_backward(dout, (x, 2, 2))


def _pool_to_every_cell(dout, x):
    dx = np.zeros_like(x)
    h, w = dout.shape[-2:]
    dx[..., :2 * h, :2 * w] = np.repeat(np.repeat(dout, 2, axis=-2), 2, axis=-1)
    return dx


BROKEN = {
    "ReLU, mask forgotten: dx = dout": (relu_forward, lambda dout, x: dout),
    "ReLU, mask flipped: dx = dout * (x < 0)": (relu_forward, lambda dout, x: dout * (x < 0)),
    "max pool, gradient sent to every cell of the window": (max_pool_forward, _pool_to_every_cell),
}
"""Deliberately broken backwards, ``name -> (forward, backward)``: each fails the gradient check."""

RIGHT = {
    "ReLU: dx = dout * (x > 0)": (relu_forward, relu_backward),
    "max pool: gradient to each window's winner": (max_pool_forward, max_pool_backward),
}
"""The right backwards of the same two layers, ``name -> (forward, backward)``."""


def check_input(shape=(2, 3, 6, 6), seed: int = 1) -> np.ndarray:
    """A small random input for gradient checks, with no entry within 0.05 of 0 and no ties.

    Central differences nudge each entry by 1e-6; an entry that close to ReLU's kink at 0, or a pool
    window with two nearly equal maxima, would make the numerical gradient itself wrong there.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    return np.where(np.abs(x) < 0.05, np.sign(x + 1e-12) * 0.05 + x, x)


# ---------------------------------------------------------------------------------------
# ReLU's backward on a feature map, and the unit that gets no gradient.

def first_layer_maps(seed: int = 0, step: int = 4) -> np.ndarray:
    """What the first convolution of :func:`small_cnn` (``seed``) computes on the street scene, before ReLU.

    (8, 96 // step, 160 // step) float64: every ``step``-th pixel each way of the eight
    pre-activation maps (24 × 40 by default, so that a gradient check of the whole map stays fast).
    """
    model = small_cnn(seed)
    z = model[0](scene_batch())[0]
    return np.asarray(z[:, ::step, ::step], dtype=np.float64)


BACKWARDS = {
    "right: dout * (x > 0)": relu_backward,
    "broken: mask forgotten, dout": lambda dout, x: np.array(dout, copy=True),
    "broken: mask flipped, dout * (x < 0)": lambda dout, x: dout * (x < 0),
}
"""The ReLU backwards the gradient-mask explorer offers: the right one and two broken ones."""


def relu_gradient(x, bias: float = 0.0, backward: str = "right: dout * (x > 0)", seed: int = 0) -> dict:
    """Push an upstream gradient of ones back through ReLU(x + bias), with one of :data:`BACKWARDS`.

    Returns the pre-activation ``z = x + bias``, the ``mask`` (z > 0), ``dx`` from the chosen backward,
    the share of positions the gradient passes (``passing``, by the right rule) and the relative error
    of the chosen backward against central differences (``error``, with a random ``dout``; entries
    within 1e-4 of the kink at 0 are left out, where a numerical gradient means nothing).
    """
    z = np.asarray(x, dtype=np.float64) + bias
    chosen = BACKWARDS[backward]
    dx = np.asarray(chosen(np.ones_like(z), z), dtype=np.float64)
    checked = backward_check(relu_forward, chosen, z, seed=seed)
    far = np.abs(z) > 1e-4  # central differences cannot judge an entry sitting on the kink at 0
    error = nn.relative_error(checked["analytic"][far], checked["numerical"][far])
    return {"z": z, "mask": z > 0, "dx": dx, "passing": float(np.mean(z > 0)), "error": error}


def dead_unit_gradients(seed: int = 0, n_examples: int = 64, dead_bias: float = -4.0) -> dict:
    """A Linear layer of 4 units followed by ReLU, one unit pushed dead by a large negative bias.

    Inputs are (n_examples, 3) standard normal; unit 2's bias is ``dead_bias``, so its input is
    negative for every example. One forward and backward through the reference functions with a
    random upstream gradient. Returns each unit's share of examples with a positive input
    (``active``) and the size of its weight gradient (``grad_norm``): 0 exactly for the dead unit.
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_examples, 3))
    weight = rng.standard_normal((4, 3)) * 0.5
    bias = np.array([0.1, 0.0, dead_bias, -0.2])
    z, lin_cache = reference.linear_forward(x, weight, bias)
    out, relu_cache = reference.relu_forward(z)
    dout = rng.standard_normal(out.shape)
    dz = reference.relu_backward(dout, relu_cache)
    _, dweight, dbias = reference.linear_backward(dz, lin_cache)
    return {"active": (z > 0).mean(axis=0), "grad_norm": np.linalg.norm(dweight, axis=1),
            "bias_grad": dbias, "max_input": z.max(axis=0)}


# ---------------------------------------------------------------------------------------
# The whole network through the reference path (the cs231n-style forward/backward pairs).

def _reference_pair(layer):
    """(forward, backward) plain functions of :mod:`relulab.nn.reference` for one layer, using its parameters."""
    kind = type(layer).__name__
    if kind == "Conv2d":
        w, b = layer.weight.data.astype(np.float64), layer.bias.data.astype(np.float64)
        return (lambda x: reference.conv_forward(x, w, b, layer.stride, layer.padding), reference.conv_backward)
    if kind == "Linear":
        w, b = layer.weight.data.astype(np.float64), layer.bias.data.astype(np.float64)
        return (lambda x: reference.linear_forward(x, w, b), reference.linear_backward)
    if kind == "ReLU":
        return reference.relu_forward, reference.relu_backward
    if kind == "MaxPool2d":
        return (lambda x: reference.max_pool_forward(x, layer.kernel_size, layer.stride),
                reference.max_pool_backward)
    if kind == "Flatten":
        return reference.flatten_forward, reference.flatten_backward
    raise ValueError(f"the reference path has no pair for {layer!r}")


def reference_pass(model, x, y) -> dict:
    """One forward and one backward pass through ``model`` with the reference functions (loops), in float64.

    x: (N, C, H, W), y: (N,) labels. Every layer's ``out, cache = forward(x)`` in order, then
    :func:`~relulab.nn.reference.softmax_cross_entropy`, then every ``backward(dout, cache)`` in reverse.
    Returns ``{"loss", "rows": [{"name", "out", "dx"} per layer, shapes only], "grads": {"0.weight": ...}}``.
    """
    h = np.asarray(x, dtype=np.float64)
    caches, rows = [], []
    for name, layer in nn.named_layers(model):
        forward, backward = _reference_pair(layer)
        h, cache = forward(h)
        caches.append((name, backward, cache))
        rows.append({"name": name, "out": h.shape})
    loss, dout = reference.softmax_cross_entropy(h, np.asarray(y))
    grads = {}
    for (name, backward, cache), row in zip(reversed(caches), reversed(rows), strict=True):
        result = backward(dout, cache)
        index = name.split(":")[0]
        if isinstance(result, tuple):  # layers with weights: (dx, dweight, dbias)
            dout, grads[f"{index}.weight"], grads[f"{index}.bias"] = result
        else:
            dout = result
        row["dx"] = dout.shape
    return {"loss": loss, "rows": rows, "grads": dict(sorted(grads.items()))}


def layer_pass(model, x, y) -> dict:
    """The same pass through the layer classes (the vectorised path): ``{"loss", "grads"}``, for comparison."""
    model.zero_grad()
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(model(x), np.asarray(y))
    model.backward(loss_fn.backward())
    return {"loss": loss, "grads": {name: p.grad.copy() for name, p in model.named_parameters()}}
