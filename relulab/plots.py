"""The course's static plotting: colours, tidy axes, figure text, and the figures the notebooks draw.

``PALETTE`` is the Okabe-Ito palette, which stays distinguishable for the common kinds of colour
blindness; ``ACTIVATION_COLOURS`` gives every activation one of its colours, the same in every
notebook. Interactive figures (``LiveFigure``) live in :mod:`relulab.widgets.core`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .experiments.nonlinearity import decision_grid

PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
"""Okabe-Ito colours by name (colour-blind safe)."""

ACTIVATION_COLOURS = {
    "relu": PALETTE["blue"],
    "leaky_relu": PALETTE["green"],
    "prelu": PALETTE["purple"],
    "sigmoid": PALETTE["vermillion"],
    "tanh": PALETTE["orange"],
}
"""One colour per activation, the same in every notebook (ReLU is always blue)."""

ACTIVATION_STYLES = {
    "relu": {"color": ACTIVATION_COLOURS["relu"], "linestyle": "-", "marker": "o"},
    "leaky_relu": {"color": ACTIVATION_COLOURS["leaky_relu"], "linestyle": "--", "marker": "s"},
    "prelu": {"color": ACTIVATION_COLOURS["prelu"], "linestyle": "-.", "marker": "^"},
    "sigmoid": {"color": ACTIVATION_COLOURS["sigmoid"], "linestyle": ":", "marker": "v"},
    "tanh": {"color": ACTIVATION_COLOURS["tanh"], "linestyle": (0, (5, 1, 1, 1, 1, 1)), "marker": "D"},
}
"""Colour, line style and marker per activation: series stay apart without colour vision too.
Use as ``ax.plot(x, y, **ACTIVATION_STYLES["relu"])`` (add ``markevery=`` on dense lines)."""

DIVERGING = "RdBu_r"
"""Colour map for signed maps: negative blue, zero white, positive red."""


def tidy(ax, xlabel=None, ylabel=None, title=None):
    """Label an axis and drop the top/right frame; return ``ax``."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def nice_limit(value: float) -> float:
    """The smallest of 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, ... that is at least ``value`` (colour-bar limits)."""
    limit = 0.25
    steps = [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0]
    for limit in steps:
        if limit >= value:
            return limit
    return float(2 ** np.ceil(np.log2(value)))



def describe(figure) -> str:
    """A one-line text stand-in for a figure: its title(s), for readers who see no image."""
    titles = [figure._suptitle.get_text()] if getattr(figure, "_suptitle", None) else []
    titles += [ax.get_title() for ax in figure.axes if ax.get_title()]
    titles = [" ".join(t.split()) for t in titles]  # a title broken over two lines reads as one
    return "[figure: " + ("; ".join(titles) if titles else "untitled") + "]"


def use_course_style() -> None:
    """Set up matplotlib for the notebooks: moderate dpi, colour-blind-safe colours, and text.

    Figures are laid out at 80 dpi and stored at twice that ("retina": sharp when zoomed, shown at
    the same size). Under every figure a notebook stores a text version alongside the image. By default that is
    ``<Figure size 500x320 with 1 Axes>``, which says nothing and changes between matplotlib
    versions; here it becomes the figure's titles, which a test can compare and a screen reader can read.
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "figure.dpi": 80,
        "savefig.dpi": 80,
        "axes.prop_cycle": cycler(color=list(PALETTE.values())),
        "image.cmap": "viridis",
    })
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        import matplotlib.pyplot as plt

        # Load the notebook's backend now: when it loads, it resets the text of figures,
        # which would undo the lines below if it happened later (at the first plot).
        plt.switch_backend(mpl.get_backend())
        _sharp_inline_figures()
        _figure_text_is_titles(shell)
        # Some matplotlib versions reset it once more after the first cell: set it again after each cell.
        if _figure_text_is_titles not in shell.events.callbacks["post_run_cell"]:
            shell.events.register("post_run_cell", _figure_text_is_titles)


def _sharp_inline_figures() -> None:
    """Store inline figures with twice the pixels each way, shown at their usual size ("retina").

    They stay sharp when a learner zooms in or uses a high-density screen; a figure of 400×250 points
    is stored as an 800×500 PNG with its display size (about 2.5 times the bytes).
    """
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # not in a Jupyter kernel with the inline backend
        return
    set_matplotlib_formats("retina")


def _figure_text_is_titles(shell_or_result=None) -> None:
    """Make IPython show a figure's text as its titles (see use_course_style)."""
    from IPython import get_ipython

    formatter = get_ipython().display_formatter.formatters["text/plain"]
    formatter.for_type(Figure, lambda fig, printer, cycle: printer.text(describe(fig)))


def draw_decision(ax, model, X, y, title: str):
    """Shade the model's decision regions on ``ax`` and scatter the points (X: (N, 2), y: (N,))."""
    xs, ys, p1 = decision_grid(model, X)
    ax.contourf(xs, ys, p1, levels=[0, 0.5, 1], colors=[PALETTE["sky"], PALETTE["orange"]], alpha=0.35)
    ax.contour(xs, ys, p1, levels=[0.5], colors=PALETTE["black"], linewidths=1.5)
    for label, colour, marker in [(0, PALETTE["blue"], "o"), (1, PALETTE["vermillion"], "^")]:
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=10, color=colour, marker=marker, label=f"class {label}")
    return tidy(ax, "feature 1", "feature 2", title)


# --- notebook 02 ---

def filter_pair_figure(image, kernel, title: str, bias: float = 0.0, crop=None, segments=None,
                       limit: float | None = None) -> Figure:
    """A filter and its negative side by side on a grey picture: what each one keeps after ReLU.

    Two rows (``kernel``, then ``-kernel``), four panels each: the picture (``segments``, a dict of
    name → ``((x0, y0), (x1, y1))``, drawn as dashed lines), the filter's weights, the raw response
    plus ``bias`` (signed, diverging colours, symmetric limits ``limit``) and the map after ReLU.
    ``crop``: ``(top, bottom, left, right)`` in the picture's pixels, to zoom in. The maps come from
    :func:`relulab.experiments.edges.filter_response`, placed so they line up with the picture's pixels.
    """
    from .experiments import edges

    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    top, bottom, left, right = crop if crop is not None else (0, image.shape[0], 0, image.shape[1])
    fig = Figure(figsize=(10.5, 5.0), layout="constrained")
    axes = fig.subplots(2, 4, width_ratios=[1, 0.45, 1, 1])
    half = kernel.shape[0] // 2
    maps = [edges.relu_map(edges.filter_response(image, sign * kernel), bias) for sign in (1, -1)]
    h, w = maps[0]["raw"].shape
    extent = (half - 0.5, half + w - 0.5, half + h - 0.5, half - 0.5)
    # The share of the map kept is counted over the part on show (the map sits ``half`` pixels in).
    window = (slice(max(top - half, 0), max(bottom - half, 0)), slice(max(left - half, 0), max(right - half, 0)))
    if limit is None:
        limit = max(float(np.percentile(np.abs(m["raw"][window]), 99.5)) for m in maps)
    for row, (sign, name, response) in enumerate(zip((1, -1), ("the filter", "its negative"), maps, strict=True)):
        ax_pic, ax_k, ax_raw, ax_kept = axes[row]
        ax_pic.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        for (x0, y0), (x1, y1) in (segments or {}).values():
            ax_pic.plot([x0, x1], [y0, y1], ls="--", lw=1.5, color=PALETTE["yellow"])
        ax_k.imshow(sign * kernel, cmap=DIVERGING, vmin=-0.2, vmax=0.2, interpolation="nearest")
        ax_k.set_xticks([])
        ax_k.set_yticks([])
        tidy(ax_k, None, None, name)
        for ax, key in ((ax_raw, "raw"), (ax_kept, "kept")):
            im = ax.imshow(response[key], cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest",
                           extent=extent)
        for ax in (ax_pic, ax_raw, ax_kept):
            ax.set_xlim(left - 0.5, right - 0.5)
            ax.set_ylim(bottom - 0.5, top - 0.5)
        raw = response["raw"][window]
        tidy(ax_pic, None, "y (pixels)", "the picture" if row == 0 else None)
        tidy(ax_raw, None, None, f"raw + bias: {(raw < 0).mean():.0%} negative (blue)")
        tidy(ax_kept, None, None, f"after ReLU: {(raw > 0).mean():.0%} kept")
        fig.colorbar(im, ax=[ax_raw, ax_kept], shrink=0.85, label="response")
    for ax in axes[1, [0, 2, 3]]:
        ax.set_xlabel("x (pixels)")
    fig.suptitle(title)
    return fig
