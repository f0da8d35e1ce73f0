"""Notebook 02's explorers: the redness detector on a street, and edge filters on the cat."""

from __future__ import annotations

import numpy as np

from ..data import HEIGHT, SCENES, WIDTH, cat_image, make_scene
from ..environment import require
from ..experiments import detector, edges
from ..plots import DIVERGING, PALETTE, nice_limit, tidy
from .core import Explorer, LiveFigure, slider


def _signed(v: float, digits: int = 2) -> str:
    return f"{v:+.{digits}f}".replace("-", "−")


def red_car_explorer(scene: str = "one red car", seed: int = 3, weights=detector.DEFAULT_WEIGHTS,
                     bias: float = detector.DEFAULT_BIAS, threshold: float = detector.THRESHOLD) -> Explorer:
    """Tune the redness detector (weights on R, G, B and a bias) on a chosen street scene.

    Three panels: the scene with its cars outlined, the raw score map (diverging colours, blue
    negative, symmetric limits) and the map after ReLU; the readout gives the decision.
    """
    widgets = require("ipywidgets")

    live = LiveFigure(ncols=3, figsize=(10.5, 2.7))
    ax_img, ax_raw, ax_kept = live.axes
    blank = np.zeros((HEIGHT // detector.PATCH, WIDTH // detector.PATCH))
    extent = (0, WIDTH, HEIGHT, 0)
    shown = ax_img.imshow(np.zeros((HEIGHT, WIDTH, 3)), interpolation="nearest")
    outlines = [ax_img.add_patch(_rectangle()) for _ in range(4)]
    raw_im = ax_raw.imshow(blank, cmap=DIVERGING, interpolation="nearest", extent=extent)
    kept_im = ax_kept.imshow(blank, cmap=DIVERGING, interpolation="nearest", extent=extent)
    live.figure.colorbar(kept_im, ax=[ax_raw, ax_kept], shrink=0.85, label="patch score")
    tidy(ax_img, "x (pixels)", "y (pixels)", "the street")
    tidy(ax_raw, "x (pixels)", None, "raw scores (blue = negative)")
    tidy(ax_kept, "x (pixels)", None, "after ReLU: only positives left")
    live.animate(shown, raw_im, kept_im, *outlines)
    cache = {}

    def update(scene, seed, w_red, w_green, w_blue, bias):
        key = (scene, seed)
        if key not in cache:
            cache[key] = make_scene(seed, SCENES[scene])
        street = cache[key]
        result = detector.detect_red_car(street, (w_red, w_green, w_blue), bias, threshold)
        shown.set_data(street["image"])
        for rect, car in zip(outlines, street["cars"] + [None] * 4, strict=False):
            rect.set_visible(car is not None)
            if car is not None:
                top, left, bottom, right = car["box"]
                rect.set_bounds(left - 1, top - 1, right - left + 1, bottom - top + 1)
        limit = nice_limit(float(np.abs(result["raw"]).max()))
        if raw_im.get_clim() != (-limit, limit):
            live.invalidate()  # the colour bar changes: draw everything once
        for image, values in ((raw_im, result["raw"]), (kept_im, result["kept"])):
            image.set_data(values)
            image.set_clim(-limit, limit)
        return (f"<b>kept evidence {result['evidence']:.2f} (threshold {threshold:g}): the detector "
                f"{result['verdict']}</b><br>on the red car {result['on_car']:.2f}, elsewhere "
                f"{result['off_car']:.2f}; ReLU keeps {result['fraction_kept']:.0%} of the patches. "
                f"Without ReLU all patches add up to {_signed(result['raw_sum'])}.")

    controls = {
        "scene": widgets.Dropdown(options=list(SCENES), value=scene, description="scene"),
        "seed": widgets.IntSlider(value=seed, min=0, max=20, description="street no.",
                                  style={"description_width": "initial"}),
        "w_red": slider("weight on red", weights[0], -2, 2, 0.1),
        "w_green": slider("weight on green", weights[1], -2, 2, 0.1),
        "w_blue": slider("weight on blue", weights[2], -2, 2, 0.1),
        "bias": slider("bias", bias, -1, 1, 0.1),
    }
    return Explorer(controls, update, live)


def _rectangle():
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 1, 1, fill=False, edgecolor=PALETTE["yellow"], lw=1.5, visible=False)


def cat_explorer(kernel: str = "diagonal / edge", bias: float = edges.DEFAULT_BIAS, image=None) -> Explorer:
    """Pick a filter and a bias; see the raw response (with its negative half) and what ReLU keeps.

    Four panels: the filter's weights, the cat, the raw response (diverging colours, symmetric
    limits: blue negative, white 0, red positive) and the ReLU'd map. Every filter's response is
    computed once; the bias slider only shifts it.
    """
    widgets = require("ipywidgets")

    image = cat_image() if image is None else image
    kernels = {name: edges.make_kernel(name) for name in edges.KERNEL_NAMES}
    responses = {name: edges.filter_response(image, k) for name, k in kernels.items()}
    live = LiveFigure(ncols=4, figsize=(11, 2.6), width_ratios=[0.45, 1, 1, 1])
    ax_k, ax_cat, ax_raw, ax_kept = live.axes
    k_im = ax_k.imshow(kernels[kernel], cmap=DIVERGING, vmin=-0.2, vmax=0.2, interpolation="nearest")
    ax_cat.imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    # The maps are smaller than the cat (the filter only sits where it fits): place each response
    # value at the centre pixel of its window, so the panels line up with the cat's pixels.
    first = responses[kernel]
    half = (image.shape[0] - first.shape[0]) // 2
    extent = (half - 0.5, half + first.shape[1] - 0.5, half + first.shape[0] - 0.5, half - 0.5)
    raw_im = ax_raw.imshow(first, cmap=DIVERGING, interpolation="nearest", extent=extent)
    kept_im = ax_kept.imshow(first, cmap=DIVERGING, interpolation="nearest", extent=extent)
    for ax in (ax_raw, ax_kept):
        ax.set_xlim(-0.5, image.shape[1] - 0.5)
        ax.set_ylim(image.shape[0] - 0.5, -0.5)
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
        shown = edges.relu_map(responses[kernel], bias)
        k_im.set_data(kernels[kernel])
        for im, values in ((raw_im, shown["raw"]), (kept_im, shown["kept"])):
            im.set_data(values)
            im.set_clim(-limit, limit)
        raw_title.set_text(f"raw + bias: {shown['fraction_negative']:.0%} negative (blue)")
        kept_title.set_text(f"after ReLU: {shown['fraction_kept']:.0%} kept")
        return (f"<b>{kernel}, bias {bias:+.2f}: ReLU keeps {shown['fraction_kept']:.1%} of the map</b>; "
                "the rest (smooth fur and background, and edges of the opposite kind) becomes 0.")

    controls = {
        "kernel": widgets.Dropdown(options=list(edges.KERNEL_NAMES), value=kernel, description="filter"),
        "bias": widgets.FloatSlider(value=bias, min=-0.3, max=0.3, step=0.01, description="bias",
                                    readout_format="+.2f", style={"description_width": "initial"}),
    }
    return Explorer(controls, update, live)
