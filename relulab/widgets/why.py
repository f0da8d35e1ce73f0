"""Notebook 03's explorers: gradient descent on one weight, ReLU hinges tracing a curve, keeping detail,
and the size of the signal layer by layer."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullLocator

from ..environment import require
from ..experiments.descent import NUM_STEPS, W0, descent_path, largest_stable_lr, loss
from ..experiments.gradients import describe_signal, keeps_detail, signal_profiles
from ..experiments.nonlinearity import bumpy, fit_hinges
from ..plots import ACTIVATION_COLOURS, ACTIVATION_STYLES, PALETTE, tidy
from .core import Explorer, LiveFigure, slider


def descent_explorer(lr: float = 0.3) -> Explorer:
    """A learning-rate slider: gradient descent's steps on the one-weight loss curve, and the loss per step.

    The readout says whether the rate is too small, about right, too large or diverging
    (:func:`relulab.experiments.descent.descent_path`).
    """
    widgets = require("ipywidgets")

    w_grid = np.linspace(-1.5, 5.5, 300)
    live = LiveFigure(ncols=2, figsize=(7.6, 3.0))
    left, right = live.axes
    left.plot(w_grid, loss(w_grid), color=PALETTE["grey"], lw=2, label="loss(w)")
    left.plot([W0], [loss(W0)], "s", color=PALETTE["black"], ms=7, label="start")
    path_line, head = live.animate(
        *left.plot([], [], "o-", color=PALETTE["vermillion"], lw=1, ms=4, label="steps"),
        *left.plot([], [], "*", color=PALETTE["blue"], ms=12, label="after the last step"))
    left.set_xlim(w_grid[0], w_grid[-1])
    left.set_ylim(0, 14)
    left.legend(frameon=False, fontsize=7, loc="upper center")
    tidy(left, "weight w", "loss", "Each step moves w downhill by lr × slope")
    steps = np.arange(NUM_STEPS + 1)
    best = descent_path(0.3)
    right.axhline(best.best_loss, color=PALETTE["grey"], lw=1, ls="--", label="the lowest loss possible")
    (loss_line,) = live.animate(*right.plot([], [], "o-", color=PALETTE["vermillion"], lw=1.5, ms=4,
                                            label="loss after each step"))
    right.set_yscale("log")
    right.yaxis.set_minor_locator(NullLocator())
    right.set_xlim(-0.5, NUM_STEPS + 0.5)
    right.set_ylim(best.best_loss / 3, 3e4)
    right.legend(frameon=False, fontsize=7, loc="upper right")
    tidy(right, "step", "loss (log scale)", "Too small creeps, too large blows up")

    def update(lr):
        path = descent_path(lr)
        shown = np.abs(path.weights) < 1e6  # a diverging path leaves the picture; keep the numbers sane
        path_line.set_data(path.weights[shown], path.losses[shown])
        head.set_data(path.weights[-1:], path.losses[-1:])
        loss_line.set_data(steps, np.minimum(path.losses, 1e6))
        return (f"<b>{path.describe()}.</b> (On this curve any learning rate above "
                f"{largest_stable_lr():.2f} diverges.)")

    control = widgets.FloatSlider(value=lr, min=0.01, max=1.0, step=0.01, description="learning rate lr",
                                  readout_format=".2f", style={"description_width": "initial"})
    return Explorer({"lr": control}, update, live)


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
        *ax.plot([], [], "--", color=PALETTE["vermillion"], lw=2, label="sum of ReLU hinges"),
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


INIT_OPTIONS = [("usual: He for ReLU, Xavier for sigmoid and tanh", "usual"), ("He for all", "he"),
                ("Xavier for all", "xavier")]
"""The choices of the gradient explorer's initialisation control (label, value)."""


def gradient_explorer(depth: int = 10, init: str = "usual", profiles: dict | None = None) -> Explorer:
    """A depth slider (2-30) and an initialisation choice: per layer, the weight-gradient size (left) and the
    size of the layer's output (right), sigmoid vs tanh vs ReLU, on log axes.

    profiles: the output of :func:`relulab.experiments.gradients.signal_profiles` (computed here if
    None); moving a control only picks which precomputed curves are shown.
    """
    widgets = require("ipywidgets")

    profiles = signal_profiles() if profiles is None else profiles
    some_init = next(iter(profiles.values()))
    depths = sorted(next(iter(some_init.values())))
    every = {part: np.concatenate([run[part] for per_init in profiles.values() for per_act in per_init.values()
                                   for run in per_act.values()]) for part in ("grad", "output")}
    live = LiveFigure(ncols=2, figsize=(8.6, 3.3))
    lines = {}
    for ax, part in zip(live.axes, ("grad", "output"), strict=True):
        ax.set_yscale("log")
        ax.yaxis.set_minor_locator(NullLocator())  # 20 decades of minor ticks cost ~15% of each redraw
        ax.set_xlim(0.5, max(depths) + 1.5)
        ax.set_ylim(every[part].min() / 3, every[part].max() * 3)
        lines[part] = {act: live.animate(*ax.plot([], [], ms=3, lw=1.5, label=act, **ACTIVATION_STYLES[act]))[0]
                       for act in some_init}
    live.axes[0].legend(frameon=False, fontsize=8, loc="lower right")
    tidy(live.axes[0], "layer (1 = nearest the input)", "size of weight gradient",
         "Sigmoid's gradient fades toward the input")
    tidy(live.axes[1], "hidden layer", "size of its output (RMS)",
         "ReLU outputs: He holds, Xavier fades")

    def update(depth, init):
        parts = []
        for act in lines["grad"]:
            run = profiles[init][act][int(depth)]
            lines["grad"][act].set_data(np.arange(1, len(run["grad"]) + 1), run["grad"])
            lines["output"][act].set_data(np.arange(1, len(run["output"]) + 1), run["output"])
            parts.append(describe_signal(act, run["grad"], run["output"]))
        label = dict((value, text) for text, value in INIT_OPTIONS).get(init, init)
        return f"<b>{int(depth)} hidden layers, {label}.</b> " + "; ".join(parts) + "."

    controls = {
        "depth": widgets.IntSlider(value=depth, min=min(depths), max=max(depths), step=1,
                                   description="hidden layers", style={"description_width": "initial"}),
        "init": widgets.Dropdown(options=[o for o in INIT_OPTIONS if o[1] in profiles], value=init,
                                 description="initialisation", style={"description_width": "initial"}),
    }
    return Explorer(controls, update, live)
