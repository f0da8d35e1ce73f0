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


SCORE_LIMIT = 1.0
"""The red-car explorer's colour scale runs from −1 (deep blue) to +1 (deep red), whatever the weights."""


def red_car_explorer(scene: str = "one red car", seed: int = 3, weights=detector.DEFAULT_WEIGHTS,
                     bias: float = detector.DEFAULT_BIAS, threshold: float = detector.THRESHOLD) -> Explorer:
    """Tune the redness detector (weights on R, G, B and a bias) on a chosen street scene.

    Three panels: the scene with its cars outlined and labelled by colour, the raw score map (diverging colours, blue
    negative, symmetric limits) and the map after ReLU; the readout gives the decision.
    """
    widgets = require("ipywidgets")

    live = LiveFigure(ncols=3, figsize=(10.5, 2.7))
    ax_img, ax_raw, ax_kept = live.axes
    blank = np.zeros((HEIGHT // detector.PATCH, WIDTH // detector.PATCH))
    extent = (0, WIDTH, HEIGHT, 0)
    shown = ax_img.imshow(np.zeros((HEIGHT, WIDTH, 3)), interpolation="nearest")
    outlines = [ax_img.add_patch(_rectangle()) for _ in range(4)]
    # Each car's colour written above it: the task can be followed without telling red from other colours.
    labels = [ax_img.text(0, 0, "", fontsize=8, ha="center", va="bottom", visible=False,
                          bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
              for _ in range(4)]
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
    # Only these are redrawn on a move, over a kept background (a full redraw is several times slower).
    live.animate(shown, raw_im, kept_im, *outlines, *labels)
    cache, drawn = {}, [None]

    def update(scene, seed, w_red, w_green, w_blue, bias):
        key = (scene, seed)
        if key not in cache:
            cache[key] = make_scene(seed, SCENES[scene])
        street = cache[key]
        result = detector.detect_red_car(street, (w_red, w_green, w_blue), bias, threshold)
        if drawn[0] != key:
            drawn[0] = key
            shown.set_data(street["image"])
            for rect, label, car in zip(outlines, labels, street["cars"] + [None] * 4, strict=False):
                rect.set_visible(car is not None)
                label.set_visible(car is not None)
                if car is not None:
                    top, left, bottom, right = car["box"]
                    rect.set_bounds(left - 1, top - 1, right - left + 1, bottom - top + 1)
                    label.set_position(((left + right) / 2, top - 2))
                    label.set_text(car["colour"])
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


PICTURES = ("photo", "drawn cat head")
"""The cat explorer's pictures: scikit-image's photo, whose top edge cuts the ears off, and
:func:`relulab.data.cat_head`, a drawn head of the same size whose ears are whole. (Notebook 02 zooms into
the photo's top corners in still figures: a zoom changes the axes, which would force a full redraw.)"""

FILTER_SIGNS = (("the filter", 1.0), ("its negative", -1.0))
"""The explorer's switch between a filter and its negative (every weight's sign flipped)."""

RESPONSE_LIMIT = 0.3
"""The cat explorer's colour scale: −0.3 (deep blue) to +0.3 (deep red) for every picture and filter, so
the colour bar never changes. The drawn head's sharp edges go beyond it and take the end colours."""


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
    pictures = {"photo": photo, "drawn cat head": cat_head(*photo.shape)["image"]}
    kernels = {name: edges.make_kernel(name) for name in edges.KERNEL_NAMES}
    responses = {(source, name): edges.filter_response(img, k) for source, img in pictures.items()
                 for name, k in kernels.items()}
    live = LiveFigure(ncols=4, figsize=(11, 2.6), width_ratios=[0.45, 1, 1, 1])
    ax_k, ax_pic, ax_raw, ax_kept = live.axes
    k_im = ax_k.imshow(kernels[kernel], cmap=DIVERGING, vmin=-0.2, vmax=0.2, interpolation="nearest")
    pic_im = ax_pic.imshow(photo, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    # The maps are smaller than the picture (the filter only sits where it fits): place each response
    # value at the centre pixel of its window, so the panels line up with the picture's pixels.
    first = responses["photo", kernel]
    half = (photo.shape[0] - first.shape[0]) // 2
    extent = (half - 0.5, half + first.shape[1] - 0.5, half + first.shape[0] - 0.5, half - 0.5)
    style = {"cmap": DIVERGING, "interpolation": "nearest", "extent": extent,
             "vmin": -RESPONSE_LIMIT, "vmax": RESPONSE_LIMIT}
    raw_im = ax_raw.imshow(first, **style)
    kept_im = ax_kept.imshow(first, **style)
    for ax in (ax_raw, ax_kept):
        ax.set_xlim(-0.5, photo.shape[1] - 0.5)
        ax.set_ylim(photo.shape[0] - 0.5, -0.5)
    live.figure.colorbar(kept_im, ax=[ax_raw, ax_kept], shrink=0.85, label="response", extend="both")
    tidy(ax_k, "red +, blue −", None, "weights")
    ax_k.set_xticks([])
    ax_k.set_yticks([])
    tidy(ax_pic, "x (pixels)", "y (pixels)", "the picture (input)")
    tidy(ax_raw, "x (pixels)", None, "raw + bias (blue = negative)")
    tidy(ax_kept, "x (pixels)", None, "after ReLU: only positives")
    # Only the images change: a move redraws them over a kept background (see LiveFigure.animate).
    # The titles stay put (text is slow to draw); the readout gives the numbers.
    live.animate(k_im, pic_im, raw_im, kept_im)

    def update(picture, kernel, sign, bias):
        shown = edges.relu_map(sign * responses[picture, kernel], bias)
        pic_im.set_data(pictures[picture])
        k_im.set_data(sign * kernels[kernel])
        raw_im.set_data(shown["raw"])
        kept_im.set_data(shown["kept"])
        name = f"the negative of the {kernel} filter" if sign < 0 else f"the {kernel} filter"
        return (f"<b>{name} on the {picture}, bias {_signed(bias)}: ReLU keeps {shown['fraction_kept']:.1%} "
                f"of the map</b>; the other {shown['fraction_negative']:.1%} is negative (blue) and becomes 0.")

    controls = {
        "picture": widgets.Dropdown(options=list(PICTURES), value=picture, description="picture"),
        "kernel": widgets.Dropdown(options=list(edges.KERNEL_NAMES), value=kernel, description="filter"),
        "sign": widgets.ToggleButtons(options=list(FILTER_SIGNS), value=-1.0 if flip else 1.0,
                                      description="use", style={"button_width": "auto"}),
        "bias": widgets.FloatSlider(value=bias, min=-0.3, max=0.3, step=0.01, description="bias",
                                    readout_format="+.2f", style={"description_width": "initial"}),
    }
    return Explorer(controls, update, live)
