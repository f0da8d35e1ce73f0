"""Colours and a figure that a widget can redraw in place.

``PALETTE`` is the Okabe-Ito palette, which stays distinguishable for the common kinds of
colour blindness. ``LiveFigure`` is a matplotlib figure shown through an ``ipywidgets.Image``:
a widget changes the data of the existing lines and calls ``refresh()``, instead of building
a new figure on every slider move. It renders with Agg, so it needs no display and tests can
read its artists.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .environment import require

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


class LiveFigure:
    """A matplotlib figure displayed as an image widget and redrawn on demand.

    ``live = LiveFigure(ncols=2)``; draw on ``live.axes[0]``; after changing artists call
    ``live.refresh()``; put ``live.widget`` in a layout.
    """

    def __init__(self, nrows=1, ncols=1, figsize=(6.0, 3.2), dpi=80, **subplot_kw):
        widgets = require("ipywidgets")  # here, so plain plotting does not need ipywidgets

        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(nrows, ncols, squeeze=False, **subplot_kw)
        self.axes = list(axes.flat)
        width = int(round(figsize[0] * dpi))  # shown at its own size: scaled images look blurred
        self.widget = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%"))
        self.refreshes = 0
        self.animated = []
        self._background = None

    def animate(self, *artists):
        """Mark artists that change on every update (a moving point, a line being refitted).

        Everything else is drawn once and kept as a background image; an update then redraws only
        these artists on top of it ("blitting"), which is several times faster than a full redraw.
        Returns the artists, so ``(point,) = live.animate(*ax.plot(...))`` reads naturally.
        """
        for artist in artists:
            artist.set_animated(True)
        self.animated.extend(artists)
        return artists

    def invalidate(self) -> None:
        """Redraw everything at the next refresh (after changing something not animated, e.g. a colour bar)."""
        self._background = None

    def as_figure(self) -> Figure:
        """Stop blitting and return the plain matplotlib figure, to show it as a still image."""
        for artist in self.animated:
            artist.set_animated(False)
        self.animated, self._background = [], None
        return self.figure

    def png(self) -> bytes:
        """The figure as PNG bytes, drawn in full (animated artists included)."""
        canvas = self.figure.canvas
        canvas.draw()
        self._draw_animated()
        return self._encode(canvas)

    def _draw_animated(self) -> None:
        for artist in self.animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)

    @staticmethod
    def _encode(canvas) -> bytes:
        from PIL import Image  # Pillow comes with matplotlib

        buffer = io.BytesIO()
        # Light compression: an update spends little time squeezing bytes that travel locally.
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def refresh(self, full: bool = False) -> None:
        """Render the figure again and show it.

        Redraws everything on the first call, when ``full`` is true, or when nothing is animated;
        otherwise only the animated artists, over the kept background.
        """
        canvas = self.figure.canvas
        if full or self._background is None or not self.animated:
            canvas.draw()
            if self.figure.get_layout_engine() is not None:
                # The layout is worked out on the first draw; later updates move data, not axes.
                self.figure.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(self.figure.bbox) if self.animated else None
        else:
            canvas.restore_region(self._background)
        self._draw_animated()
        self.widget.value = self._encode(canvas)
        self.refreshes += 1


def describe(figure) -> str:
    """A one-line text stand-in for a figure: its title(s), for readers who see no image."""
    titles = [figure._suptitle.get_text()] if getattr(figure, "_suptitle", None) else []
    titles += [ax.get_title() for ax in figure.axes if ax.get_title()]
    return "[figure: " + ("; ".join(titles) if titles else "untitled") + "]"


def use_course_style() -> None:
    """Set up matplotlib for the notebooks: moderate dpi, colour-blind-safe colours, and text.

    Under every figure a notebook stores a text version alongside the image. By default that is
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
        _figure_text_is_titles(shell)
        # Some matplotlib versions reset it once more after the first cell: set it again after each cell.
        if _figure_text_is_titles not in shell.events.callbacks["post_run_cell"]:
            shell.events.register("post_run_cell", _figure_text_is_titles)


def _figure_text_is_titles(shell_or_result=None) -> None:
    """Make IPython show a figure's text as its titles (see use_course_style)."""
    from IPython import get_ipython

    formatter = get_ipython().display_formatter.formatters["text/plain"]
    formatter.for_type(Figure, lambda fig, printer, cycle: printer.text(describe(fig)))
