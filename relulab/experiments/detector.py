"""A tiny "redness detector" on the street scenes of :mod:`relulab.data` (notebook 02).

The detector looks at a scene in square patches: each patch's score is ``w · (mean colour) + b``, a
weighted vote of its red, green and blue. ReLU then keeps the positive votes (evidence *for* a red
car) and zeros the rest.

>>> from relulab.data import make_scene
>>> detect_red_car(make_scene(seed=3))["sees_car"]
True
"""

from __future__ import annotations

import numpy as np

from ..activations import relu

PATCH = 8
DEFAULT_WEIGHTS = (1.0, -1.0, -1.0)
DEFAULT_BIAS = -0.1
THRESHOLD = 1.0


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
