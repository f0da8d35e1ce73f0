"""Every data set of the course, in one place: generated or shipped with a library, never downloaded.

One convention: a data set is ``(X, y)``, inputs first, labels second (``X`` float32 with one example
per row, ``y`` int64). Pictures without labels (the street scenes, the cat) are plain arrays.

- street scenes (notebook 02): :func:`make_scene`, drawn by numpy from a seed;
- small street scenes with labels (07): :func:`red_car_splits`, 32 × 32, "is there a red car?";
- the cat (02, 05): :func:`cat_image`, scikit-image's ``chelsea`` photo in grey levels;
- handwritten digits (04): :func:`digits`, scikit-learn's 1797 8×8 images, split at random;
- two moons (03): :func:`moons`, scikit-learn's generator;
- faces (08): :func:`faces`, scikit-image's 200 face and non-face crops, split at random.

This module imports only numpy; scikit-image and scikit-learn are imported when a function needs
them, with a sentence saying how to install them if they are missing.

>>> scene = make_scene(seed=1, cars=("red", "blue"))
>>> scene["image"].shape, [car["colour"] for car in scene["cars"]]
((96, 160, 3), ['red', 'blue'])
"""

from __future__ import annotations

import numpy as np

from .environment import require

# ---------------------------------------------------------------------------------------
# Street scenes (sky, buildings, pavement, road, cars), drawn by numpy from a seed.

HEIGHT, WIDTH = 96, 160
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
"""The named streets of notebook 02: a name and the car colours it holds."""


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


# ---------------------------------------------------------------------------------------
# The cat.

def cat_image(downsample: int = 2):
    """scikit-image's cat photo in grey levels, shape (300 // downsample, 451 // downsample), floats in [0, 1].

    ``downsample`` averages each ``downsample`` × ``downsample`` block (2 → 150 × 225, fast to filter).
    """
    skimage = require("scikit-image", "skimage")
    color, data = skimage.color, skimage.data

    grey = color.rgb2gray(data.chelsea())
    h, w = grey.shape[0] // downsample, grey.shape[1] // downsample
    return grey[:h * downsample, :w * downsample].reshape(h, downsample, w, downsample).mean(axis=(1, 3))


# ---------------------------------------------------------------------------------------
# Labelled data sets: (X, y).

def digits(num_train: int = 1200, seed: int = 0) -> tuple:
    """scikit-learn's 1797 handwritten digits, scaled to [0, 1] and split at random.

    -> ``(X_train, y_train, X_test, y_test)``: X (N, 64) float32 (an 8×8 image as a row;
    ``X.reshape(-1, 8, 8)`` shows it), y (N,) int64 in 0..9; ``num_train`` rows go to training,
    the other 1797 - num_train to testing.
    """
    load_digits = require("scikit-learn", "sklearn.datasets").load_digits

    loaded = load_digits()
    X = (loaded.data / 16.0).astype(np.float32)
    y = loaded.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(X))
    train, test = order[:num_train], order[num_train:]
    return X[train], y[train], X[test], y[test]


def moons(n: int = 400, noise: float = 0.2, seed: int = 0) -> tuple:
    """Two interleaved half-moons (scikit-learn's ``make_moons``, generated, no download).

    -> ``(X, y)``: X (n, 2) float32, y (n,) int64 labels 0/1.
    """
    make_moons = require("scikit-learn", "sklearn.datasets").make_moons

    X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return X.astype(np.float32), y.astype(np.int64)


# --- notebook 02 ---
# A drawn cat head: the photo's ears are cut off by its top edge, so notebook 02 also shows a picture
# whose ears are whole.

EAR_EDGES = {
    "left ear, outer edge": "/",
    "left ear, inner edge": "\\",
    "right ear, inner edge": "/",
    "right ear, outer edge": "\\",
}
"""The four straight edges of :func:`cat_head`'s ears and the slant of each ("/" or "\\")."""


def cat_head(height: int = 150, width: int = 225, noise: float = 0.03, seed: int = 0) -> dict:
    """A cat-head silhouette drawn by numpy: a light oval head with two triangular ears on a dark ground.

    The same size as :func:`cat_image` by default. Each ear is a triangle whose outer and inner
    edges are slanted straight lines (see :data:`EAR_EDGES`): the left ear's outer edge and the right
    ear's inner edge are "/", the other two "\\". ``noise``: standard deviation of Gaussian grain
    (seeded by ``seed``), so that weak edges appear everywhere, as in a photo.
    Returns ``{"image": (height, width) floats in [0, 1], "ears": {edge name: ((x0, y0), (x1, y1))}}``,
    each edge from its base to the tip, in pixels (x to the right, y down).
    """
    if height < 30 or width < 30:
        raise ValueError(f"cat_head needs at least 30 × 30 pixels to draw ears; got {height} × {width}")
    sub = 4  # draw at 4× the size and average, so slanted edges are smooth rather than stair-steps
    ys, xs = np.mgrid[0:height * sub, 0:width * sub]
    y, x = (ys + 0.5) / sub, (xs + 0.5) / sub
    cx, cy, rx, ry = width / 2, height * 0.64, width * 0.34, height * 0.35
    head = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
    ears = {}
    for side in (-1, 1):  # left ear, then its mirror image; at 150 × 225 both edges slant at about 45°
        tip = (cx + side * width * 0.2, height * 0.1)
        outer = (cx + side * width * 0.39, height * 0.4)
        inner = (cx + side * width * 0.02, height * 0.39)
        head |= _inside_triangle(x, y, tip, outer, inner)
        name = "left" if side < 0 else "right"
        ears[f"{name} ear, outer edge"] = (outer, tip)
        ears[f"{name} ear, inner edge"] = (inner, tip)
    light = head.reshape(height, sub, width, sub).mean(axis=(1, 3))
    image = 0.15 + 0.7 * light
    if noise > 0:
        image = image + np.random.default_rng(seed).normal(0, noise, image.shape)
    return {"image": np.clip(image, 0, 1), "ears": {name: ears[name] for name in EAR_EDGES}}


def _inside_triangle(x, y, a, b, c):
    """Boolean mask of the points (x, y) inside the triangle a, b, c (each an (x, y) pair)."""
    def side(p, q):
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

    s1, s2, s3 = side(a, b), side(b, c), side(c, a)
    return ((s1 >= 0) & (s2 >= 0) & (s3 >= 0)) | ((s1 <= 0) & (s2 <= 0) & (s3 <= 0))


CAT_PHOTO_EAR_EDGES = {
    "left ear, outer edge": ((15.0, 45.0), (18.0, 3.0)),
    "right ear, outer edge": ((180.0, 33.0), (197.0, 3.0)),
}
"""Where the ears' outer edges run in :func:`cat_image` (150 × 225): ``(x0, y0), (x1, y1)`` in pixels, read
off the picture by eye. The photo cuts both ears off at its top edge; the left one stands against a bright
wall (a nearly vertical edge), the right one against a dark background (a "/" slant)."""


# --- notebook 07 ---
# Small street scenes for training the red-car detector: 32 × 32 pixels, thousands in a second or two.
# Each scene is a sky, a row of buildings on the horizon, a pavement and a road, with zero to two cars
# on the road. The label says whether one of the cars is red. The hard negatives carry red, or a colour
# close to red, in the wrong place or on the wrong thing: orange and pink cars, red (brick-red painted)
# buildings and red road signs. Only a detector that reads colour *and* shape gets them right.

STREET_SIZE = 32
"""Height and width, in pixels, of a notebook-07 street scene."""

STREET_CAR_COLOURS = {**CAR_COLOURS, "orange": (0.92, 0.45, 0.08), "pink": (0.90, 0.32, 0.48)}
"""The car paints of notebook 07: :data:`CAR_COLOURS` plus orange and pink (close to red, but not red)."""

RED_PAINT = (0.80, 0.10, 0.08)
"""The paint of red buildings and red signs: as red as a red car."""

STREET_KINDS = ("red car", "orange car", "pink car", "red building", "red sign", "other cars")
"""What a scene is built around. "red car" scenes are the positives (label 1); each of the five others
is a fifth of the negatives (label 0): the four hard negatives, and scenes with only blue, white, yellow
or green cars (or none). Every scene may also hold other things at random, red ones included."""

_OTHER_PAINTS = ("blue", "white", "yellow", "green")


def street_scene(rng, kind: str = "red car") -> dict:
    """Draw one 32 × 32 street scene built around ``kind`` (one of :data:`STREET_KINDS`), from the generator ``rng``.

    Returns ``{"image": (32, 32, 3) float32 in [0, 1], "label": 1 if a red car is present else 0,
    "kind": kind, "cars": [colour names], "red_building": bool, "red_sign": bool}``.
    Colours vary a little (paint and light), and a little pixel noise is added.
    """
    if kind not in STREET_KINDS:
        raise ValueError(f"unknown kind of scene {kind!r}; choose from {STREET_KINDS}")
    size = STREET_SIZE
    img = np.empty((size, size, 3), dtype=np.float32)
    horizon = int(rng.integers(12, 17))
    road_top = horizon + 2
    t = np.linspace(0, 1, horizon, dtype=np.float32)[:, None]
    img[:horizon] = ((1 - t) * np.array([0.45, 0.65, 0.92]) + t * np.array([0.72, 0.85, 0.97]))[:, None, :]
    # Buildings: a row of blocks standing on the horizon; one may be painted red.
    red_building = kind == "red building" or (kind != "red building" and rng.random() < 0.15)
    blocks = []
    x = int(rng.integers(-4, 1))
    while x < size:
        w = int(rng.integers(6, 12))
        blocks.append((x, w, int(rng.integers(5, horizon - 1))))
        x += w + int(rng.integers(0, 3))
    red_block = int(rng.integers(len(blocks))) if red_building else -1
    for i, (x, w, h) in enumerate(blocks):
        paint = RED_PAINT if i == red_block else BUILDING_COLOURS[int(rng.integers(len(BUILDING_COLOURS)))]
        left, right, top = max(x, 0), min(x + w, size), horizon - h
        img[top:horizon, left:right] = _jitter(rng, paint)
        first = x + 1 if x + 1 >= 0 else (x + 1) % 3  # window columns x + 1, x + 4, ... inside the picture
        img[top + 1:horizon - 2:3, first:min(x + w - 1, size):3] = (0.25, 0.30, 0.38)  # windows: dark dots
    img[horizon:road_top] = (0.72, 0.72, 0.70)  # pavement
    img[road_top:] = (0.38, 0.38, 0.40)  # road
    lane = road_top + (size - road_top) // 2
    for lx in range(int(rng.integers(0, 6)), size, 8):
        img[lane, lx:lx + 4] = (0.95, 0.95, 0.90)
    # Cars: the one the scene is about, perhaps another of an ordinary colour.
    if kind == "red car":
        cars = ["red"]
    elif kind in ("orange car", "pink car"):
        cars = [kind.split()[0]]
    elif kind == "other cars":
        cars = [_OTHER_PAINTS[int(rng.integers(4))]] if rng.random() < 0.8 else []
    else:
        cars = [_OTHER_PAINTS[int(rng.integers(4))]] if rng.random() < 0.5 else []
    if cars and rng.random() < 0.4:
        extra = ("orange", "pink", *_OTHER_PAINTS)[int(rng.integers(6))] if kind == "red car" else \
            _OTHER_PAINTS[int(rng.integers(4))]
        cars.append(extra)
    order = rng.permutation(len(cars))
    slot = size // max(len(cars), 1)
    for k, index in enumerate(order):
        w = int(rng.integers(11, 15))
        left = (k * slot + int(rng.integers(0, max(slot - w, 0) + 1)) if len(cars) > 1 else
                int(rng.integers(-4, size - w + 5)))  # a lone car may stand partly out of the picture
        bottom = int(rng.integers(road_top + 9, size + 1))
        paint = np.asarray(STREET_CAR_COLOURS[cars[index]]) * rng.uniform(0.7, 1.05)  # shade: dark to bright
        _draw_small_car(img, left, bottom, w, _jitter(rng, paint, 0.03))
    # A red sign on a pole, on the pavement or the road's edge.
    red_sign = kind == "red sign" or (kind != "red sign" and rng.random() < 0.15)
    if red_sign:
        sx, top = int(rng.integers(1, size - 5)), int(rng.integers(horizon - 8, horizon + 6))
        img[top + 4:max(road_top + 2, top + 8), sx + 1:sx + 3] = (0.45, 0.45, 0.45)  # pole
        sign = _jitter(rng, RED_PAINT)
        img[top:top + 4, sx:sx + 4] = sign
        img[top, sx] = img[top, sx + 3] = img[top + 3, sx] = img[top + 3, sx + 3] = img[top + 4, sx]  # round corners
        img[top + 1:top + 3, sx + 1:sx + 3] = np.maximum(sign, 0.9) if rng.random() < 0.5 else sign  # a white mark
    img *= rng.uniform(0.75, 1.1) * rng.uniform(0.9, 1.1, 3).astype(np.float32)  # light: brightness and tint
    img += rng.normal(0, 0.05, img.shape).astype(np.float32)
    return {"image": np.clip(img, 0, 1), "label": int("red" in cars), "kind": kind, "cars": cars,
            "red_building": bool(red_building), "red_sign": bool(red_sign)}


def _jitter(rng, paint, amount: float = 0.04):
    """A paint with each channel moved a little, so no two cars (or buildings) are exactly alike."""
    return np.clip(np.asarray(paint) + rng.normal(0, amount, 3), 0, 1)


def _draw_small_car(img, left, bottom, width, paint):
    """Paint a small car (body, cabin with a window, two wheels) whose lowest row is ``bottom - 1``."""
    size = img.shape[1]

    def fill(r0, r1, c0, c1, colour):
        img[max(r0, 0):r1, max(c0, 0):min(c1, size)] = colour

    fill(bottom - 6, bottom - 1, left, left + width, paint)  # body
    c0, c1 = left + width // 4, left + width - width // 4
    fill(bottom - 9, bottom - 6, c0, c1, paint)  # cabin
    fill(bottom - 8, bottom - 6, c0 + 1, c1 - 1, (0.55, 0.70, 0.82))  # window
    for wx in (left + 1, left + width - 4):
        fill(bottom - 2, bottom, wx, wx + 3, (0.08, 0.08, 0.08))  # wheels


def red_car_streets(n: int = 1000, seed=0) -> tuple:
    """``n`` street scenes for the red-car detector: half with a red car, half hard and easy negatives.

    -> ``(X, y, kinds)``: X (n, 3, 32, 32) float32 (channels first, as the CNN reads them), y (n,) int64
    (1 = a red car is present), kinds (n,) the :data:`STREET_KINDS` each scene is built around. The
    order is shuffled; the same ``seed`` gives the same scenes.
    """
    rng = np.random.default_rng(seed)
    negatives = STREET_KINDS[1:]
    half = n // 2
    kinds = np.array(["red car"] * (n - half) + [negatives[i % len(negatives)] for i in range(half)])
    kinds = kinds[rng.permutation(n)]
    scenes = [street_scene(rng, kind) for kind in kinds]
    if not scenes:
        return np.zeros((0, 3, STREET_SIZE, STREET_SIZE), np.float32), np.zeros(0, np.int64), kinds
    X = np.stack([s["image"] for s in scenes]).transpose(0, 3, 1, 2)
    y = np.array([s["label"] for s in scenes], dtype=np.int64)
    return np.ascontiguousarray(X, dtype=np.float32), y, kinds


def red_car_splits(num_train: int = 3000, num_val: int = 500, num_test: int = 1000, seed: int = 0) -> dict:
    """Training, validation and test scenes for notebook 07, drawn independently from one seed.

    -> ``{"train": (X, y, kinds), "val": (X, y, kinds), "test": (X, y, kinds)}``, each as
    :func:`red_car_streets` returns it. The three splits come from different generators (seeded by
    ``[seed, 0]``, ``[seed, 1]`` and ``[seed, 2]``), so no scene is shared.
    """
    return {"train": red_car_streets(num_train, [seed, 0]), "val": red_car_streets(num_val, [seed, 1]),
            "test": red_car_streets(num_test, [seed, 2])}


# --- notebook 08 ---
# Faces: scikit-image's small face / non-face set, shipped with scikit-image (no download).

FACE_SIZE = 25
"""The side of a face picture in :func:`faces`, in pixels (25 × 25 grey levels)."""

FACE_LABELS = ("not a face", "face")
"""What the labels of :func:`faces` mean: 0 = not a face, 1 = a face."""


def faces(num_train: int = 150, seed: int = 0) -> tuple:
    """scikit-image's ``lfw_subset``: 100 face crops and 100 crops of other things, 25 × 25 grey levels.

    The faces were picked at random from "Labeled Faces in the Wild" (news photographs of real, named
    people); the other 100 crops were cut from the backgrounds of the same photographs. Each crop was
    resized to 25 × 25; pixel values are in [0, 1].
    -> ``(X_train, y_train, X_test, y_test)`` as in :func:`digits`: X (N, 625) float32 (a picture as a
    row; ``X.reshape(-1, 25, 25)`` shows it), y (N,) int64, 1 for a face and 0 for not a face
    (:data:`FACE_LABELS`); ``num_train`` of the 200 go to training (shuffled with ``seed``), the rest
    to testing.
    """
    lfw_subset = require("scikit-image", "skimage.data").lfw_subset

    images = np.asarray(lfw_subset(), dtype=np.float64)  # (200, 25, 25): 100 faces, then 100 non-faces
    if not 0 < num_train < len(images):
        raise ValueError(f"num_train must be between 1 and {len(images) - 1} (there are {len(images)} "
                         f"pictures), not {num_train}")
    X = images.reshape(len(images), -1).astype(np.float32)
    y = (np.arange(len(images)) < len(images) // 2).astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(X))
    train, test = order[:num_train], order[num_train:]
    return X[train], y[train], X[test], y[test]
