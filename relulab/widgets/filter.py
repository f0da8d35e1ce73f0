"""Notebook 02's explorers: the redness detector on a street, and edge filters on the cat."""

from __future__ import annotations

import numpy as np

from ..data import HEIGHT, SCENES, WIDTH, cat_head, cat_image, make_scene
from ..environment import require
from ..experiments import detector, edges
from ..plots import DIVERGING, PALETTE, tidy
from .core import Explorer, LiveFigure, slider


def _signed(v: float, digits: int = 2) -> str:
    return f"{v:+.{digits}f}".replace("-", "−")


SCORE_LIMIT = 1.5
"""The red-car explorer's colour scale runs from −1.5 (deep blue) to +1.5 (deep red), whatever the weights."""


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
    # Fixed colour limits: the colour bar never changes, so a slider move redraws only the maps (a
    # changing colour bar forces a full redraw, several times slower). Scores beyond ±SCORE_LIMIT take
    # the end colours (the bar's arrows say so); the readout gives the exact numbers.
    style = {"cmap": DIVERGING, "interpolation": "nearest", "extent": extent, "vmin": -SCORE_LIMIT, "vmax": SCORE_LIMIT}
    raw_im = ax_raw.imshow(blank, **style)
    kept_im = ax_kept.imshow(blank, **style)
    live.figure.colorbar(kept_im, ax=[ax_raw, ax_kept], shrink=0.85, label="patch score", extend="both")
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
        raw_im.set_data(result["raw"])
        kept_im.set_data(result["kept"])
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


PICTURES = {
    "photo": None,
    "photo: top-left corner (left ear)": (0, 60, 0, 60),
    "photo: top-right corner (right ear)": (0, 60, 140, 225),
    "drawn cat head": None,
}
"""The cat explorer's pictures: the photo, two zooms into its top corners (``(top, bottom, left, right)``
in pixels), where the photo cuts the ears off, and :func:`relulab.data.cat_head`, whose ears are whole."""


def cat_explorer(kernel: str = "diagonal / edge", bias: float = edges.DEFAULT_BIAS, picture: str = "photo",
                 flip: bool = False, image=None) -> Explorer:
    """Pick a picture, a filter (or its negative) and a bias; see the raw response and what ReLU keeps.

    Four panels: the filter's weights, the picture, the raw response plus bias (diverging colours,
    symmetric limits: blue negative, white 0, red positive) and the ReLU'd map. Every filter's
    response is computed once per picture; the bias slider only shifts it and the flip only negates it.
    ``image``: a grey photo to use instead of :func:`relulab.data.cat_image` (tests pass a small one).
    """
    widgets = require("ipywidgets")

    photo = cat_image() if image is None else np.asarray(image, dtype=float)
    head = cat_head(*photo.shape)["image"]
    kernels = {name: edges.make_kernel(name) for name in edges.KERNEL_NAMES}
    responses = {(source, name): edges.filter_response(img, k) for source, img in (("photo", photo), ("head", head))
                 for name, k in kernels.items()}
    # One colour scale per picture for all filters (they are scaled alike): the strongest edges set
    # it, so the colour bar changes only when the picture does.
    limits = {source: max(float(np.percentile(np.abs(r), 99.5)) for (s, _), r in responses.items() if s == source)
              for source in ("photo", "head")}
    live = LiveFigure(ncols=4, figsize=(11, 2.6), width_ratios=[0.45, 1, 1, 1])
    ax_k, ax_pic, ax_raw, ax_kept = live.axes
    k_im = ax_k.imshow(kernels[kernel], cmap=DIVERGING, vmin=-0.2, vmax=0.2, interpolation="nearest")
    pic_im = ax_pic.imshow(photo, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    # The maps are smaller than the picture (the filter only sits where it fits): place each response
    # value at the centre pixel of its window, so the panels line up with the picture's pixels.
    first = responses["photo", kernel]
    half = (photo.shape[0] - first.shape[0]) // 2
    extent = (half - 0.5, half + first.shape[1] - 0.5, half + first.shape[0] - 0.5, half - 0.5)
    raw_im = ax_raw.imshow(first, cmap=DIVERGING, interpolation="nearest", extent=extent)
    kept_im = ax_kept.imshow(first, cmap=DIVERGING, interpolation="nearest", extent=extent)
    live.figure.colorbar(kept_im, ax=[ax_raw, ax_kept], shrink=0.85, label="response")
    tidy(ax_k, "red +, blue −", None, "filter")
    ax_k.set_xticks([])
    ax_k.set_yticks([])
    tidy(ax_pic, "x (pixels)", "y (pixels)", "the picture (input)")
    raw_title = tidy(ax_raw, "x (pixels)", None, "").title
    kept_title = tidy(ax_kept, "x (pixels)", None, "").title
    live.animate(k_im, raw_im, kept_im, raw_title, kept_title)
    shown_picture = [None]

    def update(picture, kernel, flip, bias):
        source = "head" if picture == "drawn cat head" else "photo"
        top, bottom, left, right = PICTURES[picture] or (0, photo.shape[0], 0, photo.shape[1])
        if picture != shown_picture[0]:  # a new picture or zoom: axes and colour bar change, draw all once
            shown_picture[0] = picture
            pic_im.set_data(head if source == "head" else photo)
            for ax in (ax_pic, ax_raw, ax_kept):
                ax.set_xlim(left - 0.5, right - 0.5)
                ax.set_ylim(bottom - 0.5, top - 0.5)
            for im in (raw_im, kept_im):
                im.set_clim(-limits[source], limits[source])
            live.invalidate()
        sign = -1.0 if flip else 1.0
        shown = edges.relu_map(sign * responses[source, kernel], bias)
        k_im.set_data(sign * kernels[kernel])
        raw_im.set_data(shown["raw"])
        kept_im.set_data(shown["kept"])
        window = shown["raw"][max(top - half, 0):bottom - half, max(left - half, 0):right - half]
        kept, negative = float((window > 0).mean()), float((window < 0).mean())
        raw_title.set_text(f"raw + bias: {negative:.0%} negative (blue)")
        kept_title.set_text(f"after ReLU: {kept:.0%} kept")
        name = f"the negative of the {kernel} filter" if flip else f"the {kernel} filter"
        return (f"<b>{name} on the {picture}, bias {bias:+.2f}: ReLU keeps {kept:.1%} of the map in view</b>; "
                "the rest (flat areas, weak texture and edges of the opposite kind) becomes 0.")

    controls = {
        "picture": widgets.Dropdown(options=list(PICTURES), value=picture, description="picture"),
        "kernel": widgets.Dropdown(options=list(edges.KERNEL_NAMES), value=kernel, description="filter"),
        "flip": widgets.Checkbox(value=flip, description="negative of the filter (flip every sign)",
                                 style={"description_width": "initial"}),
        "bias": widgets.FloatSlider(value=bias, min=-0.3, max=0.3, step=0.01, description="bias",
                                    readout_format="+.2f", style={"description_width": "initial"}),
    }
    return Explorer(controls, update, live)
