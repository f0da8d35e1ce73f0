"""Notebook 05's explorers: a 3 × 3 kernel editor on the cat, and the stride/padding explorer.

Both wire a pure function of :mod:`relulab.experiments.conv` to controls:
``kernel_explorer`` -> :func:`~relulab.experiments.conv.parse_kernel` and
:func:`~relulab.experiments.conv.kernel_response`; ``stride_padding_explorer`` ->
:func:`~relulab.experiments.conv.size_arithmetic`. :func:`show_maps` (a row of maps) and
:func:`draw_grid` (a small array as a grid of numbers) draw the notebook's static figures.
"""

from __future__ import annotations

import html
from contextlib import contextmanager

import numpy as np

from ..data import cat_image
from ..environment import require
from ..experiments import conv
from ..plots import DIVERGING, PALETTE, tidy
from .core import Explorer, LiveFigure, slider

CELLS = tuple(f"w{r}{c}" for r in range(1, 4) for c in range(1, 4))
"""The names of the kernel editor's nine boxes, row by row: w11 (top left) ... w33 (bottom right)."""

OWN = "(your own)"


def _text(v: float) -> str:
    return f"{float(v) + 0.0:g}"


def _signed(v: float) -> str:
    return f"{v:+.2f}".replace("-", "−")


class _HoldingExplorer(Explorer):
    """An explorer that can change its own controls without reacting to each change."""

    def __init__(self, *args, **kwargs):
        self._held = 0
        super().__init__(*args, **kwargs)

    @contextmanager
    def hold(self):
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1

    def _on_change(self, _change=None):
        if not self._held:
            super()._on_change(_change)


def kernel_explorer(preset: str = "vertical edge", bias: float = 0.0, image=None) -> Explorer:
    """Type a 3 × 3 kernel (or pick a preset) and a bias; see the raw response and what ReLU keeps.

    Two panels on the cat: the raw response plus bias (diverging colours, symmetric limits: blue
    negative, white 0, red positive) and the ReLU'd map on the same scale. The readout gives the
    share of the map kept; an empty box or a non-number gets a sentence there instead (the maps keep
    the last kernel that worked). Picking a preset fills the boxes; editing a box switches the preset
    to "(your own)".
    """
    widgets = require("ipywidgets")

    image = cat_image() if image is None else np.asarray(image, dtype=float)
    start = conv.preset(preset)
    first = conv.kernel_response(image, start, bias)
    live = LiveFigure(ncols=2, figsize=(8.4, 2.9))
    ax_raw, ax_kept = live.axes
    raw_im = ax_raw.imshow(first["raw"], cmap=DIVERGING, interpolation="nearest")
    kept_im = ax_kept.imshow(first["kept"], cmap=DIVERGING, interpolation="nearest")
    raw_title = tidy(ax_raw, "x (pixels)", "y (pixels)", "").title
    kept_title = tidy(ax_kept, "x (pixels)", None, "").title
    live.animate(raw_im, kept_im, raw_title, kept_title)
    state = {"preset": preset}

    def update(preset, bias, **cells):
        entries = [cells[name] for name in CELLS]
        if preset != state["preset"] and preset in conv.PRESETS:  # a preset was picked: fill the boxes
            entries = [_text(v) for v in conv.preset(preset).ravel()]
            with explorer.hold():
                for name, text in zip(CELLS, entries, strict=True):
                    explorer.controls[name].value = text
        elif preset in conv.PRESETS and not _matches(entries, conv.preset(preset)):  # a box was edited
            preset = OWN
            with explorer.hold():
                explorer.controls["preset"].value = OWN
        state["preset"] = preset
        try:
            kernel = conv.parse_kernel(entries)
        except ValueError as error:
            return (f"<b>⚠ {html.escape(str(error))}</b><br>The maps still show the last kernel that worked.")
        shown = conv.kernel_response(image, kernel, bias)
        limit = max(float(np.percentile(np.abs(shown["raw"]), 99.5)), 1e-6)
        for im, values in ((raw_im, shown["raw"]), (kept_im, shown["kept"])):
            im.set_data(values)
            im.set_clim(-limit, limit)
        raw_title.set_text(f"raw + bias: {shown['fraction_negative']:.0%} negative (blue)")
        kept_title.set_text(f"after ReLU: {shown['fraction_kept']:.0%} kept, the rest 0")
        rows = " / ".join(" ".join(_text(v) for v in row) for row in kernel)
        return (f"<b>{html.escape(preset)}, bias {_signed(bias)}: ReLU keeps {shown['fraction_kept']:.1%} "
                f"of the map</b> ({shown['fraction_negative']:.1%} was negative and became 0). "
                f"Kernel rows: {html.escape(rows)}; weights add up to {_signed(kernel.sum())}; colours run "
                f"from −{limit:.2f} (blue) to +{limit:.2f} (red).")

    controls = {
        "preset": widgets.Dropdown(options=[*conv.PRESETS, OWN], value=preset, description="preset"),
        "bias": slider("bias", bias, -1, 1, 0.05),
    }
    controls["bias"].readout_format = "+.2f"
    for name, value in zip(CELLS, start.ravel(), strict=True):
        controls[name] = widgets.Text(value=_text(value), continuous_update=False,
                                      layout=widgets.Layout(width="5.5em"))
    explorer = _HoldingExplorer(controls, update, live)
    grid = widgets.GridBox([controls[name] for name in CELLS],
                           layout=widgets.Layout(grid_template_columns="repeat(3, 6em)", width="20em"))
    explorer.widget.children = (widgets.HBox([grid, widgets.VBox([controls["preset"], controls["bias"]])]),
                                *explorer.widget.children[1:])
    return explorer


def _matches(entries, kernel) -> bool:
    try:
        return bool(np.allclose(conv.parse_kernel(entries), kernel))
    except ValueError:
        return False


# Colours of the stride/padding grid: padding, an input pixel some window reads, one no window reads.
_GRID_COLOURS = ("#eeeeee", PALETTE["sky"], PALETTE["orange"])
_LARGEST = 18  # the biggest padded input the sliders allow: 12 + 2·3


def stride_padding_explorer(n: int = 7, kernel_size: int = 3, stride: int = 2, padding: int = 1) -> Explorer:
    """Move input size, kernel size, stride and padding; see where the windows sit and the output size.

    Left: the padded input (grey padding, blue pixels that some window reads, orange pixels that no
    window reaches), the first window (solid) and the last (dashed), and a dot at each window's
    centre. Right: the output grid. The readout works the output-size formula with the numbers in.
    """
    widgets = require("ipywidgets")
    from matplotlib.collections import LineCollection
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Rectangle

    live = LiveFigure(ncols=2, figsize=(8.0, 3.6))
    ax_in, ax_out = live.axes
    cmap = ListedColormap(_GRID_COLOURS)
    grid_im = ax_in.imshow(np.zeros((1, 1)), cmap=cmap, vmin=0, vmax=2, interpolation="nearest")
    out_im = ax_out.imshow(np.ones((1, 1)), cmap=ListedColormap([PALETTE["blue"]]), vmin=0, vmax=1,
                           interpolation="nearest")
    (centres,) = ax_in.plot([], [], linestyle="none", marker="o", markersize=4, color=PALETTE["black"])
    first = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2.5, edgecolor=PALETTE["vermillion"]))
    last = ax_in.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=2, linestyle="--", edgecolor=PALETTE["black"]))
    lines = []
    edges_at = np.arange(_LARGEST + 1) - 0.5
    segments = [[(e, -0.5), (e, _LARGEST - 0.5)] for e in edges_at] + [[(-0.5, e), (_LARGEST - 0.5, e)]
                                                                      for e in edges_at]
    for ax in (ax_in, ax_out):
        ax.set_xlim(-0.5, _LARGEST - 0.5)
        ax.set_ylim(_LARGEST - 0.5, -0.5)
        # Cell borders, drawn over the (animated) grids so that each pixel can be counted.
        lines.append(ax.add_collection(LineCollection(segments, colors="white", linewidths=0.8)))
    in_title = tidy(ax_in, "column", "row", "").title
    out_title = tidy(ax_out, "column", None, "").title
    live.animate(grid_im, out_im, *lines, centres, first, last, in_title, out_title)

    def update(n, kernel_size, stride, padding):
        sizes = conv.size_arithmetic(n, kernel_size, stride, padding)
        p, size, k = sizes["padded"], sizes["size"], kernel_size
        codes = np.zeros((p, p))
        codes[padding:padding + n, padding:padding + n] = 2  # input pixels: unread until a window covers them
        covered = np.zeros(p, dtype=bool)
        for s in sizes["starts"]:
            covered[s:s + k] = True
        inside = codes == 2
        codes[inside & covered[:, None] & covered[None, :]] = 1
        grid_im.set_data(codes)
        grid_im.set_extent((-0.5, p - 0.5, p - 0.5, -0.5))
        fits = size > 0
        for artist in (out_im, first, last, centres):
            artist.set_visible(fits)
        in_title.set_text(f"input {n}×{n} + padding {padding} → {p}×{p}")
        if not fits:
            out_title.set_text("no output: the kernel does not fit")
            return f"<b>{html.escape(sizes['formula'])}</b>: make the kernel smaller or add padding."
        out_im.set_data(np.ones((size, size)))
        out_im.set_extent((-0.5, size - 0.5, size - 0.5, -0.5))
        first.set_bounds(-0.5, -0.5, k, k)
        end = sizes["starts"][-1]
        last.set_bounds(end - 0.5, end - 0.5, k, k)
        middles = np.array(sizes["starts"]) + (k - 1) / 2
        ys, xs = np.meshgrid(middles, middles, indexing="ij")
        centres.set_data(xs.ravel(), ys.ravel())
        out_title.set_text(f"output {size}×{size}: one cell per window")
        unused = sizes["unused"]
        note = (f"the last {unused} row(s) and column(s) of the padded input are never read (the next "
                f"step of {stride} would overhang: the division rounds down)" if unused else
                "every row and column of the padded input is read by some window")
        return (f"<b>output size = ⌊(n + 2p − k) / s⌋ + 1 = {html.escape(sizes['formula'])}</b>; "
                f"{size * size} windows, one dot each; {note}.")

    style = {"description_width": "initial"}
    controls = {
        "n": widgets.IntSlider(value=n, min=3, max=12, description="input size n", style=style),
        "kernel_size": widgets.IntSlider(value=kernel_size, min=1, max=7, description="kernel k", style=style),
        "stride": widgets.IntSlider(value=stride, min=1, max=4, description="stride s", style=style),
        "padding": widgets.IntSlider(value=padding, min=0, max=3, description="padding p", style=style),
    }
    return Explorer(controls, update, live)


def show_maps(axes, maps, titles, limit=None, signed=True):
    """Draw each map on its axis (diverging colours around 0 when ``signed``, else grey); return the images.

    ``limit``: the colour scale's end (symmetric for signed maps); by default the largest |value| of all maps.
    """
    maps = [np.asarray(m, dtype=float) for m in maps]
    if limit is None:
        limit = max(float(np.abs(m).max()) for m in maps) or 1.0
    images = []
    for ax, values, title in zip(axes, maps, titles, strict=True):
        if signed:
            images.append(ax.imshow(values, cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest"))
        else:
            images.append(ax.imshow(values, cmap="gray", vmin=0, vmax=limit, interpolation="nearest"))
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    return images


def draw_grid(ax, values, title, box=None, signed=False):
    """Draw a small array as a grid of numbers (a 5 × 5 image, a 3 × 3 kernel); return ``ax``.

    ``box=(row, col, size)`` outlines a window. Signed grids use diverging colours around 0, others grey.
    """
    from matplotlib.patches import Rectangle

    values = np.asarray(values, dtype=float)
    limit = float(np.abs(values).max()) or 1.0
    if signed:
        ax.imshow(values, cmap=DIVERGING, vmin=-limit, vmax=limit)
    else:
        ax.imshow(values, cmap="Greys_r", vmin=-0.6 * limit, vmax=1.6 * limit)  # mid greys: black text reads
    for (i, j), v in np.ndenumerate(values):
        dark = abs(v) > 0.5 * limit if signed else v < 0.5 * limit  # white text on dark cells
        ax.text(j, i, f"{v + 0.0:g}".replace("-", "−"), ha="center", va="center", fontsize=11,
                color="white" if dark else "black")
    if box is not None:
        row, col, size = box
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), size, size, fill=False, lw=3, edgecolor=PALETTE["vermillion"]))
    ax.set_xticks(range(values.shape[1]))
    ax.set_yticks(range(values.shape[0]))
    ax.set_title(title, fontsize=10)
    return ax
