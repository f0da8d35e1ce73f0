"""Notebook 01's explorer: a point moving along the ReLU graph and along its slope."""

from __future__ import annotations

import numpy as np

from ..activations import relu, relu_grad
from ..plots import ACTIVATION_STYLES, PALETTE, tidy
from .core import Explorer, LiveFigure, format_number, slider


def relu_point(x: float) -> dict:
    """What the ReLU explorer shows for input ``x``: output, slope, and a sentence."""
    y, slope = float(relu(x)), float(relu_grad(x))
    shown = [format_number(v) for v in (x, x, y, slope)]
    text = "input {} → output max(0, {}) = {} · slope {}".format(*shown)
    return {"x": float(x), "y": y, "slope": slope, "text": text}


def relu_explorer(x: float = 1.5) -> Explorer:
    """A slider moves a point along ReLU (left) and along its slope, a step (right).

    Every series differs by line style or marker as well as colour: ReLU is a solid line with circles
    (``ACTIVATION_STYLES``), its slope a solid line whose corner shows a filled dot (the value 0 that we
    pick at 0) and an open one, and the moving point is a large diamond with a dotted drop line.
    """
    live = LiveFigure(ncols=2, figsize=(7.5, 3.0))
    grid = np.linspace(-4, 4, 401)
    left, right = live.axes
    left.plot(grid, relu(grid), **ACTIVATION_STYLES["relu"], markevery=50, ms=4, lw=2, label="relu(x) = max(0, x)")
    tidy(left, "input x", "output relu(x)", "ReLU keeps positive inputs\nand turns the rest into 0")
    step = np.where(grid == 0, np.nan, relu_grad(grid))  # a gap at the corner: the two pieces do not touch
    right.plot(grid, step, color=PALETTE["orange"], lw=2, label="slope of relu")
    right.plot([0], [0], "o", color=PALETTE["orange"], label="at 0 we pick 0")
    right.plot([0], [1], "o", mfc="white", color=PALETTE["orange"])
    tidy(right, "input x", "slope of relu", "The slope of ReLU is a step:\n0 for negative inputs, then 1")
    right.set_ylim(-0.2, 1.3)
    for ax in live.axes:
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)
    point, drop = live.animate(*left.plot([], [], "D", ms=9, color=PALETTE["vermillion"], label="your input"),
                               *left.plot([], [], ":", color=PALETTE["vermillion"]))
    (slope_point,) = live.animate(*right.plot([], [], "D", ms=9, color=PALETTE["vermillion"]))

    def update(x):
        shown = relu_point(x)
        point.set_data([shown["x"]], [shown["y"]])
        drop.set_data([shown["x"], shown["x"]], [0, shown["y"]])
        slope_point.set_data([shown["x"]], [shown["slope"]])
        return f"<b>{shown['text']}</b>"

    return Explorer({"x": slider("input x", x, -4, 4, 0.1)}, update, live)
