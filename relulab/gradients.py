"""Saturation, gradient size layer by layer, and what an activation costs.

Notebook 03 uses these to show that

- sigmoid squashes large scores together, ReLU keeps them apart (:func:`keeps_detail`,
  :func:`detail_explorer`);
- in a deep stack at initialisation, the gradient reaching the first layers of a sigmoid network is
  many times smaller than at the last layers, while a ReLU network (He init) keeps it about the same
  size (:func:`layer_gradient_sizes`, :func:`gradient_profiles`, :func:`gradient_explorer`);
- ReLU is cheaper than sigmoid or tanh, yet the matrix products cost far more than any activation
  (:func:`time_activations`, :func:`time_layer`).

Pure functions take plain values and return plain values; every random draw is seeded.
"""

from __future__ import annotations

import time

import numpy as np
from matplotlib.ticker import NullLocator

from . import nn
from .activations import relu, relu_grad, sigmoid, sigmoid_grad, tanh
from .environment import require
from .figures import PALETTE, LiveFigure, tidy
from .widgets import Explorer, slider

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
"""The activations compared in this module, in plotting order."""

COLOURS = {"sigmoid": PALETTE["vermillion"], "tanh": PALETTE["orange"], "relu": PALETTE["blue"]}
"""One colour-blind-safe colour per activation."""

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


def detail_explorer(a: float = 10.0, b: float = 8.0) -> Explorer:
    """Two score sliders; bars show sigmoid's and ReLU's outputs side by side, the readout their gaps."""
    live = LiveFigure(ncols=2, figsize=(7.0, 2.8))
    left, right = live.axes
    names = ["score a", "score b"]
    sig_bars = live.animate(*left.bar(names, [0, 0], color=[PALETTE["vermillion"], PALETTE["purple"]]))
    relu_bars = live.animate(*right.bar(names, [0, 0], color=[PALETTE["blue"], PALETTE["sky"]]))
    left.set_ylim(0, 1.05)
    right.set_ylim(0, 12.5)
    tidy(left, ylabel="sigmoid(score)", title="sigmoid: big scores all end near 1")
    tidy(right, ylabel="relu(score)", title="ReLU: big scores keep their size")

    def update(a, b):
        d = keeps_detail(a, b)
        for bar, value in zip(sig_bars, (d["sigmoid_a"], d["sigmoid_b"]), strict=True):
            bar.set_height(value)
        for bar, value in zip(relu_bars, (d["relu_a"], d["relu_b"]), strict=True):
            bar.set_height(value)
        relu_part = (f"ratio {d['relu_ratio']:.2f}" if np.isfinite(d["relu_ratio"])
                     else "b was dropped to 0")
        return (f"<b>sigmoid: {d['sigmoid_a']:.5f} vs {d['sigmoid_b']:.5f} (gap {d['sigmoid_diff']:+.5f}); "
                f"ReLU: {d['relu_a']:g} vs {d['relu_b']:g} (gap {d['relu_diff']:+g}, {relu_part})</b>")

    controls = {"a": slider("score a", a, -12, 12, 0.5), "b": slider("score b", b, -12, 12, 0.5)}
    return Explorer(controls, update, live)


# ---------------------------------------------------------------------------------------
# Gradient size, layer by layer, at initialisation.


def deep_mlp(depth: int, activation: str, width: int = 64, n_out: int = 10):
    """``depth`` hidden layers of ``width`` units, then a Linear output layer.

    Each hidden layer is ``Linear(width, width)`` followed by the activation ("relu", "tanh",
    "sigmoid"); He init for ReLU, Xavier for the others. Input (N, width) -> logits (N, n_out).
    Draws its weights from the package generator (seed with ``nn.manual_seed``).
    """
    layer = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[activation]
    init = "he" if activation == "relu" else "xavier"
    layers = []
    for _ in range(int(depth)):
        layers += [nn.Linear(width, width, init=init), layer()]
    layers.append(nn.Linear(width, n_out, init=init))
    return nn.Sequential(*layers)


def layer_gradient_sizes(depth: int, activation: str, width: int = 64, batch: int = 128,
                         seed: int = 0) -> np.ndarray:
    """The size of the weight gradient of every Linear layer after one backward pass.

    A fresh :func:`deep_mlp` (seed ``seed``), a batch of standard-normal inputs with random labels,
    cross-entropy loss, one backward pass; for each Linear layer the L2 norm of its weight gradient
    (``nn.grad_norms``). -> (depth + 1,) floats, first layer first (the last one is the output layer).
    """
    nn.manual_seed(seed)
    model = deep_mlp(depth, activation, width)
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


def gradient_explorer(depth: int = 10, profiles: dict | None = None) -> Explorer:
    """A depth slider (2-30): gradient size per layer, sigmoid vs tanh vs ReLU, on a log scale.

    profiles: the output of :func:`gradient_profiles` (computed here if None); moving the slider only
    picks which precomputed curves are shown.
    """
    widgets = require("ipywidgets")

    profiles = gradient_profiles() if profiles is None else profiles
    depths = sorted(next(iter(profiles.values())))
    every = np.concatenate([s for per_act in profiles.values() for s in per_act.values()])
    live = LiveFigure(figsize=(6.0, 3.2))
    ax = live.axes[0]
    ax.set_yscale("log")
    ax.yaxis.set_minor_locator(NullLocator())  # 20 decades of minor ticks cost ~15% of each redraw
    lines = {act: live.animate(*ax.plot([], [], "o-", ms=3, color=COLOURS[act], label=act))[0] for act in profiles}
    ax.set_xlim(0.5, max(depths) + 1.5)
    ax.set_ylim(every.min() / 3, every.max() * 3)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    tidy(ax, "layer (1 = nearest the input)", "size of weight gradient",
         "Sigmoid's gradient fades toward the input; ReLU's does not")

    def update(depth):
        parts = []
        for act, line in lines.items():
            sizes = profiles[act][int(depth)]
            line.set_data(np.arange(1, len(sizes) + 1), sizes)
            parts.append(describe_shrink(act, shrink_factor(sizes)))
        return f"<b>{int(depth)} hidden layers.</b> " + "; ".join(parts) + "."

    control = widgets.IntSlider(value=depth, min=min(depths), max=max(depths), step=1,
                                description="hidden layers", style={"description_width": "initial"})
    return Explorer({"depth": control}, update, live)


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


def sigmoid_curves(x) -> dict:
    """sigmoid, its slope, tanh and its slope on ``x`` (any shape): a dict of arrays for plotting."""
    from .activations import tanh_grad

    return {"sigmoid": sigmoid(x), "sigmoid_slope": sigmoid_grad(x), "tanh": tanh(x), "tanh_slope": tanh_grad(x)}
