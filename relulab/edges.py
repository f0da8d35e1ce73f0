"""Edge filters on a real photo of a cat, and the explorer that shows what ReLU keeps of them.

A *filter* (or kernel) is a small grid of weights slid over the picture: at every position the
response is the weighted sum of the pixels under it. Edge filters have positive weights on one
side and negative weights on the other, so the response is positive on an edge of one polarity
(dark to light in the filter's direction), negative on the opposite edge, and near 0 on smooth
areas. Adding a bias and applying ReLU keeps only the strong edges of one kind.

The photo is scikit-image's ``chelsea`` (a tabby cat), shipped with the library: no download.
"""

from __future__ import annotations

import numpy as np

from .activations import relu
from .environment import require
from .figures import DIVERGING, LiveFigure, tidy

KERNEL_NAMES = ("diagonal / edge", "diagonal \\ edge", "vertical edge", "horizontal edge", "blob (centre-surround)")
"""The filters of the explorer's drop-down; the two diagonals follow the outlines of the cat's ears."""

DEFAULT_BIAS = -0.05


def cat_image(downsample: int = 2):
    """scikit-image's cat photo in grey levels, shape (300 // downsample, 451 // downsample), floats in [0, 1].

    ``downsample`` averages each ``downsample`` × ``downsample`` block (2 → 150 × 225, fast to filter).
    """
    skimage = require("scikit-image", "skimage")
    color, data = skimage.color, skimage.data

    grey = color.rgb2gray(data.chelsea())
    h, w = grey.shape[0] // downsample, grey.shape[1] // downsample
    return grey[:h * downsample, :w * downsample].reshape(h, downsample, w, downsample).mean(axis=(1, 3))


def make_kernel(name: str, size: int = 7, sigma: float = 1.5):
    """A ``size`` × ``size`` filter by name (see :data:`KERNEL_NAMES`).

    Edge filters are a smoothed step across a direction: positive weights on the brighter side they
    look for, negative on the other, summing to 0, scaled so the positive weights add up to 1 (so a
    response lies in [−1, 1] for a picture in [0, 1]). The blob is a bright centre on a dark ring.
    """
    r = np.arange(size) - size // 2
    y, x = np.meshgrid(r, r, indexing="ij")  # y grows downwards, as in an image
    smooth = np.exp(-(x**2 + y**2) / (2 * sigma**2))
    across = {
        "vertical edge": x,  # bright on the right, dark on the left
        "horizontal edge": y,  # bright below, dark above
        "diagonal / edge": x + y,  # a "/" boundary: bright below-right of it
        "diagonal \\ edge": x - y,  # a "\" boundary: bright above-right of it
    }
    if name in across:
        kernel = across[name] * smooth
    elif name == "blob (centre-surround)":
        kernel = smooth - np.exp(-(x**2 + y**2) / (2 * (2 * sigma) ** 2)) * smooth.sum() / np.exp(
            -(x**2 + y**2) / (2 * (2 * sigma) ** 2)).sum()
    else:
        raise ValueError(f"unknown filter {name!r}; choose from {KERNEL_NAMES}")
    kernel = kernel - kernel.mean()
    return kernel / kernel[kernel > 0].sum()


def filter_response(image, kernel):
    """Slide ``kernel`` over ``image`` (cross-correlation, edges extended): (H, W) → (H, W)."""
    ndimage = require("scipy", "scipy.ndimage")
    return ndimage.correlate(np.asarray(image, dtype=float), kernel, mode="nearest")


def relu_map(response, bias: float = DEFAULT_BIAS) -> dict:
    """Shift a filter response by ``bias`` and apply ReLU.

    Returns ``{"raw": response + bias, "kept": relu(raw), "fraction_kept": share of pixels > 0,
    "fraction_negative": share < 0}``; both maps have the shape of ``response``.
    """
    raw = np.asarray(response, dtype=float) + bias
    return {"raw": raw, "kept": relu(raw), "fraction_kept": float((raw > 0).mean()),
            "fraction_negative": float((raw < 0).mean())}


def cat_explorer(kernel: str = "diagonal / edge", bias: float = DEFAULT_BIAS, image=None):
    """Pick a filter and a bias; see the raw response (with its negative half) and what ReLU keeps.

    Four panels: the filter's weights, the cat, the raw response (diverging colours, symmetric
    limits: blue negative, white 0, red positive) and the ReLU'd map. Every filter's response is
    computed once; the bias slider only shifts it.
    """
    widgets = require("ipywidgets")

    from .widgets import Explorer

    image = cat_image() if image is None else image
    kernels = {name: make_kernel(name) for name in KERNEL_NAMES}
    responses = {name: filter_response(image, k) for name, k in kernels.items()}
    live = LiveFigure(ncols=4, figsize=(11, 2.6), width_ratios=[0.45, 1, 1, 1])
    ax_k, ax_cat, ax_raw, ax_kept = live.axes
    k_im = ax_k.imshow(kernels[kernel], cmap=DIVERGING, vmin=-0.2, vmax=0.2, interpolation="nearest")
    ax_cat.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    raw_im = ax_raw.imshow(image, cmap=DIVERGING, interpolation="nearest")
    kept_im = ax_kept.imshow(image, cmap=DIVERGING, interpolation="nearest")
    live.figure.colorbar(kept_im, ax=[ax_raw, ax_kept], shrink=0.85, label="response")
    tidy(ax_k, "red +, blue −", None, "filter")
    ax_k.set_xticks([])
    ax_k.set_yticks([])
    tidy(ax_cat, "x (pixels)", "y (pixels)", "the cat (input)")
    raw_title = tidy(ax_raw, "x (pixels)", None, "").title
    kept_title = tidy(ax_kept, "x (pixels)", None, "").title
    live.animate(k_im, raw_im, kept_im, raw_title, kept_title)
    # One colour scale for all filters (they are scaled alike): the strongest edges set it, and
    # the colour bar never changes, so only the maps are redrawn.
    limit = max(float(np.percentile(np.abs(r), 99.5)) for r in responses.values())

    def update(kernel, bias):
        shown = relu_map(responses[kernel], bias)
        k_im.set_data(kernels[kernel])
        for im, values in ((raw_im, shown["raw"]), (kept_im, shown["kept"])):
            im.set_data(values)
            im.set_clim(-limit, limit)
        raw_title.set_text(f"raw + bias: {shown['fraction_negative']:.0%} negative (blue)")
        kept_title.set_text(f"after ReLU: {shown['fraction_kept']:.0%} kept")
        return (f"<b>{kernel}, bias {bias:+.2f}: ReLU keeps {shown['fraction_kept']:.1%} of the map</b>; "
                "the rest (smooth fur and background, and edges of the opposite kind) becomes 0.")

    controls = {
        "kernel": widgets.Dropdown(options=list(KERNEL_NAMES), value=kernel, description="filter"),
        "bias": widgets.FloatSlider(value=bias, min=-0.3, max=0.3, step=0.01, description="bias",
                                    readout_format="+.2f", style={"description_width": "initial"}),
    }
    return Explorer(controls, update, live)

