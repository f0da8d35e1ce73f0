"""Edge filters on the cat, and what ReLU keeps of their response (notebook 02).

A *filter* (or kernel) is a small grid of weights slid over the picture: at every position the
response is the weighted sum of the pixels under it. Edge filters have positive weights on one
side and negative weights on the other, so the response is positive on an edge of one polarity
(dark to light in the filter's direction), negative on the opposite edge, and near 0 on smooth
areas. Adding a bias and applying ReLU keeps only the strong edges of one kind.

The sliding is :func:`relulab.nn.functional.conv2d`, the convolution notebook 05 teaches, so the
cat looks the same in both notebooks. The picture is :func:`relulab.data.cat_image`.
"""

from __future__ import annotations

import numpy as np

from ..activations import relu
from ..nn.functional import conv2d

KERNEL_NAMES = ("diagonal / edge", "diagonal \\ edge", "vertical edge", "horizontal edge", "blob (centre-surround)")
"""The filters of the explorer's drop-down. The two diagonals follow the slanted outlines of ears: "/"
answers to a "/" boundary with the brighter side below-right, "\\" to a "\\" boundary with the brighter
side below-left, so on a light head against a dark ground they find all four edges of two ears."""

DEFAULT_BIAS = -0.05


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
        "diagonal \\ edge": y - x,  # a "\" boundary: bright below-left of it
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
    """Slide ``kernel`` over ``image`` where it fits entirely (cross-correlation, no padding).

    image: (H, W), kernel: (k, k) -> (H - k + 1, W - k + 1): the map is k - 1 pixels smaller, because
    a filter has no response where it would hang over the edge of the picture.
    """
    return conv2d(np.asarray(image, dtype=float), np.asarray(kernel, dtype=float))


def relu_map(response, bias: float = DEFAULT_BIAS) -> dict:
    """Shift a filter response by ``bias`` and apply ReLU.

    Returns ``{"raw": response + bias, "kept": relu(raw), "fraction_kept": share of pixels > 0,
    "fraction_negative": share < 0}``; both maps have the shape of ``response``.
    """
    raw = np.asarray(response, dtype=float) + bias
    return {"raw": raw, "kept": relu(raw), "fraction_kept": float((raw > 0).mean()),
            "fraction_negative": float((raw < 0).mean())}


def mean_along(values, start, end, offset: int = 0, samples: int = 25, trim: float = 0.0) -> float:
    """The mean of a map along a straight segment from ``start`` to ``end`` (``(x, y)`` pixel pairs).

    ``offset``: how far the map's first row and column sit inside the picture (``k // 2`` for a
    response of a k × k filter, which is k − 1 pixels smaller), so the segment is given in the
    picture's pixels. ``trim``: the share of the segment left out at each end (where it meets other
    edges). Points are rounded to the nearest pixel.
    """
    values = np.asarray(values, dtype=float)
    t = np.linspace(trim, 1 - trim, samples)
    xs = np.rint(start[0] + t * (end[0] - start[0])).astype(int) - offset
    ys = np.rint(start[1] + t * (end[1] - start[1])).astype(int) - offset
    inside = (0 <= xs) & (xs < values.shape[1]) & (0 <= ys) & (ys < values.shape[0])
    if not inside.any():
        raise ValueError(f"the segment {start} → {end} lies outside the map (shape {values.shape}, offset {offset})")
    return float(values[ys[inside], xs[inside]].mean())


def kept_along(image, segments: dict, kernel, bias: float = DEFAULT_BIAS) -> dict:
    """How much of a filter's response ReLU keeps along each named segment of a picture.

    ``segments``: name → ``((x0, y0), (x1, y1))`` in the picture's pixels (e.g. the edges of the ears).
    Returns name → the mean of ``relu(response + bias)`` along the middle 70% of that segment (its ends
    meet other edges, which other filters answer to); 0 means the filter keeps none of it.
    """
    kernel = np.asarray(kernel, dtype=float)
    kept = relu_map(filter_response(image, kernel), bias)["kept"]
    return {name: mean_along(kept, *segment, offset=kernel.shape[0] // 2, trim=0.15)
            for name, segment in segments.items()}
