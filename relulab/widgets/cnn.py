"""Notebook 06's explorers: a shape tracer that walks the street scene through a small CNN, and ReLU's gradient mask.

Both wire pure functions of :mod:`relulab.experiments.cnn` to controls: ``shape_tracer_explorer`` ->
:func:`~relulab.experiments.cnn.trace` and :func:`~relulab.experiments.cnn.shape_table`;
``relu_gradient_explorer`` -> :func:`~relulab.experiments.cnn.relu_gradient` (with a "break the
backward" choice). :func:`tracer_view` is the tracer's pure part: what to draw for one layer.
"""

from __future__ import annotations

import html

import numpy as np

from ..environment import require
from ..experiments import cnn
from ..plots import DIVERGING, tidy
from .core import Explorer, LiveFigure, format_number, slider

PANELS = 4
"""How many maps the tracer shows side by side (the first channels of a layer's output)."""


def tracer_view(outputs, rows, step: int) -> dict:
    """What the shape tracer shows after ``step`` (0 = the picture, 1 = after the first layer, ...).

    outputs: :func:`~relulab.experiments.cnn.trace`'s list; rows: :func:`~relulab.experiments.cnn.shape_table`'s.
    Returns ``{"maps": [2-D arrays, at most PANELS], "titles", "signed", "text"}``: for an (N, C, H, W)
    output its first channels; for a flat (N, D) output the D numbers as one strip.
    """
    name, out = outputs[step]
    row = rows[step]
    out = np.asarray(out, dtype=float)[0]  # the one picture of the batch
    if out.ndim == 3:
        maps = list(out[:PANELS])
        label = "colour channel" if step == 0 else "channel"
        titles = [f"{label} {c}" if step else f"{'RGB'[c]} channel" for c in range(len(maps))]
    else:
        maps, titles = [out[None, :]], [f"{out.size:,} numbers in one row"]
    signed = bool(np.any(out < 0))
    zeros = float(np.mean(out == 0))
    layer = "the picture" if step == 0 else f"layer {name.split(':')[0]}, {row['layer']}"
    before = rows[step - 1]["numbers"] if step else None
    change = ""
    if before is not None and before != row["numbers"]:
        factor = before / row["numbers"]
        change = (f", {factor:,.0f} times fewer numbers than its input" if factor > 1 else
                  f", {1 / factor:,.0f} times more numbers than its input")
    text = (f"<b>{html.escape(layer)}: shape {row['shape']}, {row['numbers']:,} numbers{change}</b>. "
            f"{zeros:.0%} of them are exactly 0; this layer learns {row['parameters']:,} parameters, the whole "
            f"network {sum(r['parameters'] for r in rows):,}.")
    return {"maps": maps, "titles": titles, "signed": signed, "text": text}


def shape_tracer_explorer(step: int = 2, seed: int = 0) -> Explorer:
    """Walk the street scene through :func:`~relulab.experiments.cnn.small_cnn`, one layer at a time.

    The slider picks how far the picture has gone (0: the picture itself); the figure shows the first
    four maps coming out of that layer (or, after Flatten and Linear, the numbers as one strip); the
    readout gives the shape, the number of values, the share of zeros and the parameters.
    """
    widgets = require("ipywidgets")

    model = cnn.small_cnn(seed)
    x = cnn.scene_batch()
    outputs = cnn.trace(model, x)
    rows = cnn.shape_table(model, x.shape)
    live = LiveFigure(ncols=PANELS, figsize=(9.6, 2.3))
    images = [ax.imshow(np.zeros((2, 2)), cmap="gray", interpolation="nearest") for ax in live.axes]
    titles = [tidy(ax, None, None, "").title for ax in live.axes]
    for ax in live.axes:
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(True)
    heading = live.figure.suptitle("", fontsize=11)

    def update(step):
        view = tracer_view(outputs, rows, step)
        limit = max(float(np.abs(np.concatenate([m.ravel() for m in view["maps"]])).max()), 1e-6)
        for i, (ax, im, title) in enumerate(zip(live.axes, images, titles, strict=True)):
            shown = i < len(view["maps"])
            ax.set_visible(shown)
            if not shown:
                continue
            values = view["maps"][i]
            im.set_data(values)
            im.set_extent((-0.5, values.shape[1] - 0.5, values.shape[0] - 0.5, -0.5))
            ax.set_xlim(-0.5, values.shape[1] - 0.5)
            ax.set_ylim(values.shape[0] - 0.5, -0.5)
            ax.set_aspect("auto" if values.shape[0] == 1 else "equal")
            im.set_cmap(DIVERGING if view["signed"] else "gray")
            im.set_clim(-limit if view["signed"] else 0, limit)
            title.set_text(view["titles"][i])
        name = outputs[step][0]
        where = "the picture" if step == 0 else f"after {name}"
        heading.set_text(f"{where}: {rows[step]['shape']}" + (" (blue < 0 < red)" if view["signed"] else ""))
        live.invalidate()  # axes change size and visibility: redraw everything
        return view["text"]

    controls = {"step": widgets.IntSlider(value=step, min=0, max=len(outputs) - 1, description="after layer",
                                          style={"description_width": "initial"})}
    return Explorer(controls, update, live)


def relu_gradient_explorer(channel: int = 5, bias: float = 0.0, backward: str = "right: dout * (x > 0)",
                           seed: int = 0) -> Explorer:
    """Push a gradient back through ReLU on one feature map of the street scene; break the backward if you like.

    Three panels: the input to ReLU (one of the first convolution's eight maps, plus a bias you move),
    the gradient the chosen backward passes back for an upstream gradient of 1 everywhere, and the
    one central differences measure. The readout gives the share of positions the gradient reaches and
    the gradient check's relative error, with its verdict.
    """
    widgets = require("ipywidgets")

    maps = cnn.first_layer_maps(seed)
    live = LiveFigure(ncols=3, figsize=(9.6, 2.5))
    ax_z, ax_dx, ax_num = live.axes
    z_im = ax_z.imshow(maps[channel], cmap=DIVERGING, interpolation="nearest")
    dx_im = ax_dx.imshow(maps[channel], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    num_im = ax_num.imshow(maps[channel], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    titles = [tidy(ax, None, None, "").title for ax in live.axes]
    for ax in live.axes:
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():  # a frame, so that an all-white map still shows where it is
            spine.set_visible(True)
    live.animate(z_im, dx_im, num_im, *titles)

    def update(channel, bias, backward):
        shown = cnn.relu_gradient(maps[channel], bias, backward, seed=seed)
        z = shown["z"]
        limit = max(float(np.abs(z).max()), 1e-6)
        z_im.set_data(z)
        z_im.set_clim(-limit, limit)
        eps = 1e-6
        numerical = (np.maximum(0, z + eps) - np.maximum(0, z - eps)) / (2 * eps)
        dx_im.set_data(shown["dx"])
        num_im.set_data(numerical)
        titles[0].set_text(f"input to ReLU: {shown['passing']:.0%} positive (red)")
        titles[1].set_text("your backward: dx (white = 1)" if backward.startswith("broken") else
                           "dout * (x > 0): white = 1, black = 0")
        titles[2].set_text("central differences (white = 1)")
        error = shown["error"]
        verdict = ("passes the gradient check" if error < 1e-6 else "FAILS the gradient check")
        dead = (" No position is positive: for this picture the whole map gets no gradient, and neither do "
                "the weights that made it." if shown["passing"] == 0 else "")
        return (f"<b>channel {channel}, bias {format_number(round(bias, 1))}: the gradient reaches "
                f"{shown['passing']:.1%} of the positions; {html.escape(backward)} {verdict}</b> "
                f"(relative error {error:.0e}).{dead}")

    controls = {
        "channel": widgets.IntSlider(value=channel, min=0, max=len(maps) - 1, description="channel",
                                     style={"description_width": "initial"}),
        "bias": slider("bias", bias, -2, 2, 0.1),
        "backward": widgets.Dropdown(options=list(cnn.BACKWARDS), value=backward, description="backward"),
    }
    controls["bias"].readout_format = "+.1f"
    return Explorer(controls, update, live)
