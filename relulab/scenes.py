"""Generated street scenes, a tiny "redness detector", and the explorer that tunes it.

A scene is a small RGB picture (sky, buildings, pavement, road, cars) drawn by numpy from a seed,
so every learner sees the same street. The detector looks at the scene in square patches: each
patch's score is ``w · (mean colour) + b``, a weighted vote of its red, green and blue. ReLU then
keeps the positive votes (evidence *for* a red car) and zeros the rest.

>>> scene = make_scene(seed=1, cars=("red", "blue"))
>>> scene["image"].shape, [car["colour"] for car in scene["cars"]]
((96, 160, 3), ['red', 'blue'])
"""

from __future__ import annotations

import numpy as np

from .activations import relu
from .environment import require
from .figures import DIVERGING, PALETTE, LiveFigure, tidy

HEIGHT, WIDTH, PATCH = 96, 160, 8
HORIZON, ROAD_TOP = 56, 64  # pavement from HORIZON to ROAD_TOP, road below

CAR_COLOURS = {
    "red": (0.84, 0.08, 0.08),
    "blue": (0.10, 0.35, 0.80),
    "white": (0.92, 0.92, 0.92),
    "yellow": (0.95, 0.80, 0.10),
    "green": (0.15, 0.60, 0.30),
}
"""RGB (each 0..1) of the car paints a scene can use."""

BUILDING_COLOURS = [(0.80, 0.72, 0.58), (0.55, 0.58, 0.65), (0.62, 0.32, 0.26), (0.88, 0.85, 0.75)]
"""Beige, slate, brick and cream walls (the brick one is faintly red: a test for the detector)."""

SCENES = {
    "one red car": ("red",),
    "red and blue car": ("red", "blue"),
    "no red car": ("blue", "white", "yellow"),
}
"""The scenes of the explorer's drop-down: a name and the car colours it holds."""

DEFAULT_WEIGHTS = (1.0, -1.0, -1.0)
DEFAULT_BIAS = -0.1
THRESHOLD = 1.0


def nice_limit(value: float) -> float:
    """The smallest of 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, ... that is at least ``value`` (colour-bar limits)."""
    limit = 0.25
    steps = [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0]
    for limit in steps:
        if limit >= value:
            return limit
    return float(2 ** np.ceil(np.log2(value)))


def make_scene(seed: int = 0, cars=("red",), height: int = HEIGHT, width: int = WIDTH,
               noise: float = 0.0) -> dict:
    """Draw a street scene: sky, buildings, pavement, a road with a lane line, and cars.

    ``cars``: colour names from :data:`CAR_COLOURS`, one per car (at most 4), placed left to right
    in random order at random positions on the road (seeded by ``seed``). ``noise``: standard
    deviation of Gaussian pixel noise added at the end (0: clean colours, small PNGs).
    Returns ``{"image": (height, width, 3) float in [0, 1], "cars": [{"colour", "box"}]}`` where
    ``box`` is ``(top, left, bottom, right)`` in pixels (bottom/right exclusive).
    """
    if len(cars) > 4:
        raise ValueError("a scene holds at most 4 cars")
    unknown = [c for c in cars if c not in CAR_COLOURS]
    if unknown:
        raise ValueError(f"unknown car colour(s) {unknown}; choose from {sorted(CAR_COLOURS)}")
    rng = np.random.default_rng(seed)
    img = np.empty((height, width, 3))
    # Sky: a vertical gradient from deep to pale blue.
    t = np.linspace(0, 1, HORIZON)[:, None]
    img[:HORIZON] = ((1 - t) * np.array([0.45, 0.65, 0.92]) + t * np.array([0.72, 0.85, 0.97]))[:, None, :]
    # Buildings along the horizon, each with a grid of dark windows.
    x = int(rng.integers(-10, 0))
    while x < width:
        w, h = int(rng.integers(18, 34)), int(rng.integers(20, 44))
        left, right, top = max(x, 0), min(x + w, width), HORIZON - h
        img[top:HORIZON, left:right] = BUILDING_COLOURS[int(rng.integers(len(BUILDING_COLOURS)))]
        for wy in range(top + 4, HORIZON - 6, 8):
            for wx in range(x + 4, x + w - 5, 7):
                img[wy:wy + 4, max(wx, 0):max(wx + 3, 0)] = (0.25, 0.30, 0.38)
        x += w + int(rng.integers(0, 6))
    img[HORIZON:ROAD_TOP] = (0.72, 0.72, 0.70)  # pavement
    img[ROAD_TOP:] = (0.38, 0.38, 0.40)  # road
    for lx in range(4, width, 20):  # dashed lane line
        img[ROAD_TOP + 14:ROAD_TOP + 16, lx:lx + 10] = (0.95, 0.95, 0.90)
    placed = []
    order = rng.permutation(len(cars))
    slot = width // max(len(cars), 1)
    for k, index in enumerate(order):
        colour = cars[index]
        car_w = int(rng.integers(34, 42))
        left = k * slot + int(rng.integers(0, max(slot - car_w, 1)))
        bottom = int(rng.integers(ROAD_TOP + 20, height - 2))
        placed.append({"colour": colour, "box": _draw_car(img, left, bottom, car_w, CAR_COLOURS[colour])})
    placed.sort(key=lambda car: cars.index(car["colour"]) * 1000 + car["box"][1])
    if noise > 0:
        img += rng.normal(0, noise, img.shape)
    return {"image": np.clip(img, 0, 1), "cars": placed}


def _draw_car(img, left, bottom, width, paint):
    """Paint one car (body, cabin with windows, wheels) into ``img``; return its box."""
    body_top, cabin_top = bottom - 16, bottom - 24
    img[body_top:bottom - 3, left:left + width] = paint
    c0, c1 = left + width // 5, left + width - width // 5
    img[cabin_top:body_top, c0:c1] = paint
    img[cabin_top + 2:body_top, c0 + 2:c1 - 2] = (0.55, 0.70, 0.82)  # windows
    img[cabin_top + 2:body_top, (c0 + c1) // 2 - 1:(c0 + c1) // 2 + 1] = paint  # pillar
    for wx in (left + 4, left + width - 12):
        img[bottom - 6:bottom, wx:wx + 8] = (0.08, 0.08, 0.08)  # wheels
    return (cabin_top, left, bottom, left + width)


def patch_means(image, patch: int = PATCH):
    """Mean colour of each ``patch`` × ``patch`` square: (H, W, 3) → (H // patch, W // patch, 3)."""
    h, w = image.shape[0] // patch, image.shape[1] // patch
    return image[:h * patch, :w * patch].reshape(h, patch, w, patch, 3).mean(axis=(1, 3))


def score_map(image, weights=DEFAULT_WEIGHTS, bias: float = DEFAULT_BIAS, patch: int = PATCH):
    """The detector's score for every patch: ``weights · mean colour + bias``, shape (H // patch, W // patch)."""
    return patch_means(image, patch) @ np.asarray(weights, dtype=float) + bias


def car_patches(scene: dict, colour: str = "red", patch: int = PATCH, cover: float = 0.25):
    """Boolean (H // patch, W // patch) mask of the patches that a ``colour`` car covers by at least ``cover``."""
    h, w = scene["image"].shape[:2]
    mask = np.zeros((h, w, 3))
    for car in scene["cars"]:
        if car["colour"] == colour:
            top, left, bottom, right = car["box"]
            mask[top:bottom, left:right] = 1.0
    return patch_means(mask, patch)[..., 0] >= cover


def detect_red_car(scene: dict, weights=DEFAULT_WEIGHTS, bias: float = DEFAULT_BIAS,
                   threshold: float = THRESHOLD, patch: int = PATCH) -> dict:
    """Run the redness detector on a scene and decide whether it sees a red car.

    The decision: the evidence ReLU keeps, summed over all patches, is above ``threshold``.
    Returns a dict: ``raw`` and ``kept`` score maps (H // patch, W // patch), ``evidence`` (sum of
    kept), ``raw_sum`` (the sum without ReLU), ``on_car`` / ``off_car`` (kept evidence on and off the
    red cars' patches), ``fraction_kept`` (share of patches above 0), ``sees_car`` (bool),
    ``has_red_car`` (bool), ``verdict`` (a sentence).
    """
    raw = score_map(scene["image"], weights, bias, patch)
    kept = relu(raw)
    on_mask = car_patches(scene, "red", patch)
    evidence, on_car = float(kept.sum()), float(kept[on_mask].sum())
    off_car = max(evidence - on_car, 0.0)  # a sum of kept (>= 0) scores; rounding can leave -1e-16
    has_red = bool(on_mask.any())
    sees = evidence > threshold
    if sees and has_red and on_car >= off_car:
        verdict = "sees a red car, and the evidence sits on the red car ✔"
    elif sees and has_red:
        verdict = "fires, but most of the evidence is on something else, not on the red car ✘"
    elif sees:
        verdict = "false alarm: it fires on a street with no red car ✘"
    elif has_red:
        verdict = "misses the red car: too little evidence survives ✘"
    else:
        verdict = "stays quiet, and rightly so: there is no red car here ✔"
    return {"raw": raw, "kept": kept, "evidence": evidence, "raw_sum": float(raw.sum()),
            "on_car": on_car, "off_car": off_car, "fraction_kept": float((raw > 0).mean()),
            "sees_car": bool(sees), "has_red_car": has_red, "verdict": verdict}


def _signed(v: float, digits: int = 2) -> str:
    return f"{v:+.{digits}f}".replace("-", "−")


def red_car_explorer(scene: str = "one red car", seed: int = 3, weights=DEFAULT_WEIGHTS,
                     bias: float = DEFAULT_BIAS, threshold: float = THRESHOLD):
    """Tune the redness detector (weights on R, G, B and a bias) on a chosen street scene.

    Three panels: the scene with its cars outlined, the raw score map (diverging colours, blue
    negative, symmetric limits) and the map after ReLU; the readout gives the decision.
    """
    widgets = require("ipywidgets")

    from .widgets import Explorer, slider

    live = LiveFigure(ncols=3, figsize=(10.5, 2.7))
    ax_img, ax_raw, ax_kept = live.axes
    blank = np.zeros((HEIGHT // PATCH, WIDTH // PATCH))
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
        result = detect_red_car(street, (w_red, w_green, w_blue), bias, threshold)
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

