"""Notebook 03's explorers: ReLU hinges tracing a curve, keeping detail, and gradient size per layer."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ..environment import require
from ..experiments.gradients import describe_shrink, gradient_profiles, keeps_detail, shrink_factor
from ..experiments.nonlinearity import bumpy, fit_hinges
from ..plots import ACTIVATION_COLOURS, PALETTE, tidy
from .core import Explorer, LiveFigure, slider


def hinge_explorer(n: int = 3, num_points: int = 400) -> Explorer:
    """A slider for the number of hinges N: the curve, its best N-hinge fit and where the hinges bend."""
    widgets = require("ipywidgets")

    x = np.linspace(-np.pi, np.pi, num_points)
    y = bumpy(x)
    line_error = fit_hinges(x, y, 0)["error"]
    live = LiveFigure(figsize=(6.0, 3.0))
    ax = live.axes[0]
    ax.plot(x, y, color=PALETTE["blue"], lw=2.5, label="target: sin(2x) + 0.3 cos(5x)")
    fit_line, knot_marks = live.animate(
        *ax.plot([], [], color=PALETTE["vermillion"], lw=2, label="sum of ReLU hinges"),
        *ax.plot([], [], "v", color=PALETTE["black"], ms=6, label="a hinge bends here"))
    ax.set_ylim(-2.3, 1.8)
    ax.legend(frameon=False, fontsize=7, loc="lower center", ncol=3)
    tidy(ax, "input x", "output", "More ReLU hinges trace the curve more closely")

    def update(n):
        fit = fit_hinges(x, y, n)
        fit_line.set_data(x, fit["pred"])
        knot_marks.set_data(fit["knots"], np.interp(fit["knots"], x, fit["pred"]))
        return (f"<b>{int(n)} hinge{'s' if n != 1 else ''}: root-mean-square error {fit['error']:.3f}, "
                f"largest miss {fit['max_error']:.3f}</b> (a straight line alone: {line_error:.3f})")

    control = widgets.IntSlider(value=n, min=0, max=30, step=1, description="hinges N",
                                style={"description_width": "initial"})
    return Explorer({"n": control}, update, live)


def detail_explorer(a: float = 10.0, b: float = 8.0) -> Explorer:
    """Two score sliders; bars show sigmoid's and ReLU's outputs side by side, the readout their gaps."""
    live = LiveFigure(ncols=2, figsize=(7.0, 2.8))
    left, right = live.axes
    names = ["score a", "score b"]
    sig_bars = live.animate(*left.bar(names, [0, 0], color=[ACTIVATION_COLOURS["sigmoid"], PALETTE["purple"]]))
    relu_bars = live.animate(*right.bar(names, [0, 0], color=[ACTIVATION_COLOURS["relu"], PALETTE["sky"]]))
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
    lines = {act: live.animate(*ax.plot([], [], "o-", ms=3, color=ACTIVATION_COLOURS[act], label=act))[0]
             for act in profiles}
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
