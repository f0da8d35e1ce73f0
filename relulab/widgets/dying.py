"""Notebook 04's explorers: dead units while training, and Leaky ReLU's slope."""

from __future__ import annotations

import numpy as np

from ..activations import leaky_relu, leaky_relu_grad, relu
from ..environment import require
from ..experiments.dying import COMPARED, dying_grid
from ..experiments.models import ACTIVATIONS
from ..plots import ACTIVATION_COLOURS, ACTIVATION_STYLES, PALETTE, tidy
from .core import Explorer, LiveFigure, format_number


def dying_view(grid: dict, lr: float, bias_init: float) -> dict:
    """What the dying explorer shows for one (lr, bias) of a precomputed ``grid``.

    -> dict with ``curves`` (activation -> (S + 1,) dead units per step), ``accs``
    (activation -> test accuracy, nan if it blew up), ``total_units`` and a sentence ``text``.
    """
    runs = {act: grid[(act, lr, bias_init)] for act in COMPARED if (act, lr, bias_init) in grid}
    if not runs:
        raise KeyError(f"no precomputed run for lr={lr}, bias={bias_init}")
    parts = []
    for act, run in runs.items():
        acc = "blew up (loss became infinite)" if run["diverged"] else f"test accuracy {run['test_acc']:.0%}"
        parts.append(f"{ACTIVATIONS[act].label}: {run['dead'][0]} → {run['dead'][-1]} dead, {acc}")
    total = next(iter(runs.values()))["total_units"]
    text = (f"lr {format_number(lr)}, starting bias {format_number(bias_init)} · of {total} hidden units · "
            + " · ".join(parts))
    return {"curves": {act: run["dead"] for act, run in runs.items()},
            "accs": {act: run["test_acc"] for act, run in runs.items()}, "total_units": total, "text": text}


def dying_explorer(grid: dict | None = None, lr: float = 0.3, bias_init: float = -1.0) -> Explorer:
    """Sliders for the learning rate and the starting bias; dead units per step and the final accuracy.

    The runs are computed once, when the explorer is made (``dying_grid()``, a few seconds), and the
    ``SelectionSlider`` s only choose among them, so moving a slider redraws in well under 0.15 s.
    Pass ``grid`` to reuse runs already computed.
    """
    widgets = require("ipywidgets")

    grid = dying_grid() if grid is None else grid
    lrs = sorted({k[1] for k in grid})
    biases = sorted({k[2] for k in grid}, reverse=True)
    acts = [a for a in COMPARED if any(k[0] == a for k in grid)]
    live = LiveFigure(ncols=2, figsize=(7.5, 2.8))
    left, right = live.axes
    longest = max(len(run["dead"]) for run in grid.values())
    total = next(iter(grid.values()))["total_units"]
    lines = {a: live.animate(*left.plot([], [], lw=2, markevery=10, ms=4, label=ACTIVATIONS[a].label,
                                         **ACTIVATION_STYLES[a]))[0]
             for a in acts}
    left.set_xlim(0, longest - 1)
    left.set_ylim(-1, total + 1)
    left.legend(frameon=False, loc="lower left")
    tidy(left, "training step", "dead hidden units", "Dead units while training")
    bars = live.animate(*right.bar([ACTIVATIONS[a].label for a in acts], [0] * len(acts),
                                   color=[ACTIVATION_COLOURS[a] for a in acts], edgecolor=PALETTE["black"]))
    for bar, hatch in zip(bars, ["", "//", ".."], strict=False):  # told apart by pattern as well as colour
        bar.set_hatch(hatch)
    right.set_ylim(0, 1)
    tidy(right, ylabel="test accuracy", title="Final accuracy (empty bar: blew up)")

    def update(lr, bias_init):
        shown = dying_view(grid, lr, bias_init)
        for act, line in lines.items():
            curve = shown["curves"][act]
            line.set_data(np.arange(len(curve)), curve)
        for act, bar in zip(acts, bars, strict=True):
            acc = shown["accs"][act]
            bar.set_height(0.0 if np.isnan(acc) else acc)
        return f"<b>{shown['text']}</b>"

    def choice(description, options, value):
        return widgets.SelectionSlider(options=[(format_number(v), v) for v in options], value=value,
                                       description=description, style={"description_width": "initial"})

    controls = {"lr": choice("learning rate", lrs, lr), "bias_init": choice("starting bias", biases, bias_init)}
    return Explorer(controls, update, live)


# ---------------------------------------------------------------------------------------
# Widget 2: Leaky ReLU and its slope for a chosen negative_slope.

def leaky_view(negative_slope: float, x: float = -2.0) -> dict:
    """Leaky ReLU with ``negative_slope`` at one sample input ``x``: output, slope, and a sentence."""
    y, slope = float(leaky_relu(x, negative_slope)), float(leaky_relu_grad(x, negative_slope))
    text = (f"negative_slope = {negative_slope:.2f}: leaky_relu({format_number(x)}) = "
            f"{format_number(round(y, 4))} (ReLU gives 0) · "
            f"slope left of 0 = {format_number(round(slope, 4))}, right of 0 = 1")
    return {"negative_slope": float(negative_slope), "x": float(x), "y": y, "slope": slope, "text": text}


def leaky_explorer(negative_slope: float = 0.1) -> Explorer:
    """A ``negative_slope`` slider: Leaky ReLU against ReLU (left) and its slope, negative_slope then 1 (right)."""
    widgets = require("ipywidgets")

    live = LiveFigure(ncols=2, figsize=(7.5, 3.0))
    grid = np.linspace(-4, 4, 401)
    left, right = live.axes
    left.plot(grid, relu(grid), lw=2, label="relu(x)", markevery=50, ms=5, **ACTIVATION_STYLES["relu"])
    curve, point = live.animate(
        *left.plot([], [], lw=2, label="leaky_relu(x, negative_slope)", markevery=(25, 50), ms=5,
                   **ACTIVATION_STYLES["leaky_relu"]),
        *left.plot([], [], "o", ms=9, color=PALETTE["vermillion"]))
    left.set_ylim(-4.2, 4.2)
    left.legend(frameon=False, loc="upper left")
    tidy(left, "input x", "output", "Leaky ReLU lets negative_slope · x through")
    (slope,) = live.animate(*right.plot([], [], color=PALETTE["orange"], lw=2.5, label="slope of leaky_relu"))
    right.plot(grid[grid < 0], 0 * grid[grid < 0], ":", color=PALETTE["grey"], label="slope of relu (0)")
    right.set_ylim(-0.1, 1.2)
    right.legend(frameon=False, loc="upper left")
    tidy(right, "input x", "slope", "Its slope is negative_slope, then 1: never 0")
    for ax in live.axes:
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)

    def update(negative_slope):
        shown = leaky_view(negative_slope)
        curve.set_data(grid, leaky_relu(grid, negative_slope))
        slope.set_data(grid, leaky_relu_grad(grid, negative_slope))
        point.set_data([shown["x"]], [shown["y"]])
        return f"<b>{shown['text']}</b>"

    control = widgets.FloatSlider(value=negative_slope, min=0.0, max=1.0, step=0.01, description="negative_slope",
                                  readout_format=".2f", style={"description_width": "initial"})
    return Explorer({"negative_slope": control}, update, live)
