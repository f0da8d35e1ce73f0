"""The interactive explorers the notebooks show.

Each explorer is a pure function of plain values (unit-tested on its own) wired to sliders.
Moving a slider calls the pure function, updates the data of an existing figure and a text
readout; nothing is rebuilt. Every factory returns an :class:`Explorer`, whose ``controls``,
``readout`` and ``live`` figure a test can drive without a browser:

>>> ex = relu_explorer(); ex.controls["x"].value = -2.0; ex.readout.value
'<b>input −2 → output max(0, −2) = 0 · slope 0</b>'
"""

from __future__ import annotations

import numpy as np

from .activations import relu, relu_grad
from .environment import require
from .figures import PALETTE, LiveFigure, tidy


class Explorer:
    """Controls, a readout and a live figure, laid out as one widget.

    ``update(**values)`` is called with every control's value whenever one changes, and once
    at the start; it changes the figure's artists and returns the readout's text (HTML).
    Display it by putting it last in a cell (it shows as its ``widget``).
    """

    def __init__(self, controls: dict, update, live: LiveFigure | None = None, readout=None):
        widgets = require("ipywidgets")

        self.controls = controls
        self.live = live
        self.readout = readout if readout is not None else widgets.HTML()
        self._update = update
        parts = [widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                 self.readout]
        if live is not None:
            parts.append(live.widget)
        self.widget = widgets.VBox(parts)
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self._on_change()

    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change=None):
        text = self._update(**self.values())
        if self.live is not None:
            self.live.refresh()
        self.readout.value = text  # last, so that a readout showing the new value means the figure is there too

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # The default text is the repr of every child widget (PNG bytes included): keep it short.
        bundle["text/plain"] = "Interactive explorer (controls and a figure): run this cell to use it."
        return bundle


def slider(description, value, low, high, step, **kwargs):
    """A float slider that redraws only when released or stepped (continuous_update off for heavy plots)."""
    widgets = require("ipywidgets")

    style = {"description_width": "initial"}
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               style=style, readout_format=".1f", **kwargs)


def format_number(v: float) -> str:
    """A number as a learner writes it: 3, −2, 0.5 (a real minus sign, no trailing zeros)."""
    v = float(v) + 0.0  # + 0.0 turns −0.0 into 0.0
    text = f"{v:g}"
    return text.replace("-", "−")


# ---------------------------------------------------------------------------------------
# Notebook 01: a point moving along the ReLU graph.

def relu_point(x: float) -> dict:
    """What the ReLU explorer shows for input ``x``: output, slope, and a sentence."""
    y, slope = float(relu(x)), float(relu_grad(x))
    shown = [format_number(v) for v in (x, x, y, slope)]
    text = "input {} → output max(0, {}) = {} · slope {}".format(*shown)
    return {"x": float(x), "y": y, "slope": slope, "text": text}


def relu_explorer(x: float = 1.5) -> Explorer:
    """A slider moves a point along ReLU (left) and along its slope, a step (right)."""
    live = LiveFigure(ncols=2, figsize=(7.5, 3.0))
    grid = np.linspace(-4, 4, 401)
    left, right = live.axes
    left.plot(grid, relu(grid), color=PALETTE["blue"], lw=2, label="relu(x) = max(0, x)")
    tidy(left, "input x", "output relu(x)", "ReLU keeps positives, zeros the rest")
    right.plot(grid[grid < 0], 0 * grid[grid < 0], color=PALETTE["orange"], lw=2)
    right.plot(grid[grid > 0], 1 + 0 * grid[grid > 0], color=PALETTE["orange"], lw=2)
    right.plot([0], [0], "o", mfc="white", color=PALETTE["orange"])
    tidy(right, "input x", "slope of relu", "the slope is a step: 0, then 1")
    right.set_ylim(-0.2, 1.3)
    for ax in live.axes:
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)
    point, drop = live.animate(*left.plot([], [], "o", ms=10, color=PALETTE["vermillion"]),
                               *left.plot([], [], ":", color=PALETTE["vermillion"]))
    (slope_point,) = live.animate(*right.plot([], [], "o", ms=10, color=PALETTE["vermillion"]))

    def update(x):
        shown = relu_point(x)
        point.set_data([shown["x"]], [shown["y"]])
        drop.set_data([shown["x"], shown["x"]], [0, shown["y"]])
        slope_point.set_data([shown["x"]], [shown["slope"]])
        return f"<b>{shown['text']}</b>"

    return Explorer({"x": slider("input x", x, -4, 4, 0.1)}, update, live)


# ---------------------------------------------------------------------------------------
# Notebook 00: a first slider.

def kept_by_relu(score: float) -> dict:
    """What ReLU does to one score: the value it keeps and a sentence saying so."""
    kept = float(relu(score))
    verdict = "kept as it is" if score > 0 else "dropped to 0"
    return {"score": float(score), "kept": kept,
            "text": f"score {format_number(score)} → ReLU → {format_number(kept)} ({verdict})"}


def first_slider(score: float = 4.0) -> Explorer:
    """Two bars: the score you pick (blue) and what ReLU keeps of it (orange)."""
    live = LiveFigure(figsize=(4.5, 2.6))
    ax = live.axes[0]
    bars = live.animate(*ax.bar(["your score", "after ReLU"], [0, 0], color=[PALETTE["blue"], PALETTE["orange"]]))
    ax.axhline(0, color=PALETTE["grey"], lw=0.8)
    ax.set_ylim(-10.5, 10.5)
    tidy(ax, ylabel="value", title="ReLU keeps positive scores, drops the rest")

    def update(score):
        shown = kept_by_relu(score)
        bars[0].set_height(shown["score"])
        bars[1].set_height(shown["kept"])
        return f"<b>{shown['text']}</b>"

    return Explorer({"score": slider("score", score, -10, 10, 0.5)}, update, live)
