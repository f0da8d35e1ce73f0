"""The machinery of every explorer: ``Explorer`` (controls, a readout, a live figure), ``slider`` and
``LiveFigure`` (a matplotlib figure shown through an ``ipywidgets.Image`` and redrawn in place).

An explorer is a pure function of plain values (unit-tested on its own) wired to controls. Moving a
control calls the function, updates the data of an existing figure and a text readout; nothing is
rebuilt. A test drives an explorer without a browser through its ``controls``, ``readout`` and ``live``:

>>> from relulab.widgets import relu_explorer
>>> ex = relu_explorer(); ex.controls["x"].value = -2.0; ex.readout.value
'<b>input −2 → output max(0, −2) = 0 · slope 0</b>'

``LiveFigure`` renders with Agg, so it needs no display and tests can read its artists; a widget
changes the data of the existing artists and calls ``refresh()``, instead of building a new figure
on every slider move.

For readers who cannot see the figure: the readout reaches the browser as a polite live region
(``aria-live``), so a screen reader announces its new text after each move, and ``Explorer.still``
gives the figure as a picture with a sentence saying what it shows.
"""

from __future__ import annotations

import functools
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..environment import require

STILL_SCALE = 2
"""Stills are drawn with this many times the pixels of the live figure (each way)."""


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

    def png(self, scale: float = 1) -> bytes:
        """The figure as PNG bytes, drawn in full (animated artists included).

        ``scale=2`` draws twice as many pixels each way (for a still that stays sharp when zoomed or
        on a high-density screen); the figure is shown at its usual size either way.
        """
        canvas = self.figure.canvas
        dpi = self.figure.dpi
        if scale != 1:
            self.figure.set_dpi(dpi * scale)
        try:
            canvas.draw()
            self._draw_animated()
            return self._encode(canvas)
        finally:
            if scale != 1:
                self.figure.set_dpi(dpi)
                self._background = None  # the kept background was drawn at the other size

    @property
    def width_px(self) -> int:
        """The width the figure is shown at, in CSS pixels."""
        return int(round(self.figure.get_figwidth() * self.figure.dpi))

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


LIVE_REGION = '<div role="status" aria-live="polite">{}</div>'
"""How a readout reaches the browser: a polite live region, which screen readers announce when it changes."""


def _to_live_region(value, _widget=None):
    return LIVE_REGION.format(value)


def _from_live_region(value, _widget=None):
    head, tail = LIVE_REGION.split("{}")
    return value[len(head):-len(tail)] if value.startswith(head) and value.endswith(tail) else value


def readout_widget():
    """An ``ipywidgets.HTML`` whose text a screen reader announces when it changes (``aria-live``).

    In Python its ``value`` is the readout's own text (what tests read); the browser receives it
    wrapped in ``<div role="status" aria-live="polite">``, so a learner who cannot see the figure hears
    the new numbers after moving a control, without the announcement interrupting them.
    """
    return _readout_class()()


@functools.cache
def _readout_class():
    widgets = require("ipywidgets")  # here, so plain plotting does not need ipywidgets
    from traitlets import Unicode

    class Readout(widgets.HTML):
        value = Unicode("", help="The readout's text (HTML)").tag(
            sync=True, to_json=_to_live_region, from_json=_from_live_region)

    return Readout


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
        self.readout = readout if readout is not None else readout_widget()
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

    def still(self, description: str) -> Still:
        """The figure as it is now, as a plain picture with a one-sentence description.

        Put ``explorer.still("…")`` in the cell after an explorer, so that a reader without a kernel
        (GitHub, nbviewer, a printed page) sees the figure, and a screen reader hears the sentence.
        """
        if self.live is None:
            raise ValueError("this explorer has no figure to show as a still")
        # Drawn at twice the pixels and shown at the usual width: it stays sharp when zoomed.
        return Still(self.live.png(scale=STILL_SCALE), description, width=self.live.width_px)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # The default text is the repr of every child widget (PNG bytes included): keep it short.
        bundle["text/plain"] = "Interactive explorer (controls and a figure): run this cell to use it."
        return bundle


class Still:
    """A still picture of an explorer's figure: PNG bytes and the sentence that describes it.

    Shows as the picture in a notebook; its text form (what nbval compares and a screen reader or a
    text-only viewer gets) is ``[still: <description>]``.
    """

    def __init__(self, png: bytes, description: str, width: int | None = None):
        description = " ".join(str(description).split())
        if not description:
            raise ValueError("a still needs a one-sentence description of what it shows")
        self.png, self.description, self.width = png, description, width

    def _repr_mimebundle_(self, **kwargs):
        metadata = {"alt": self.description}
        if self.width is not None:
            metadata["width"] = self.width  # shown at this width, whatever its number of pixels
        return {"image/png": self.png, "text/plain": repr(self)}, {"image/png": metadata}

    def __repr__(self) -> str:
        return f"[still: {self.description}]"


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
