"""Training the red-car detector of notebook 07: a small CNN on the 32 × 32 street scenes of :mod:`relulab.data`.

Plain functions, arrays and numbers in, arrays, numbers and dicts out (nothing here draws):

- :func:`red_car_cnn` builds the network; :func:`hand_made_filter` is notebook 02's redness detector
  written as a 3 × 3 convolution filter, and :func:`start_from_hand_made` puts it in the first layer.
- :func:`train` trains with :func:`relulab.nn.fit` (the compiled path), seeded, with a per-epoch
  callback for a live plot and an optional progress bar.
- :func:`multiply_adds` and :func:`parameter_count` measure a network's size (the exercise's budget).
- :func:`feature_maps`, :func:`mistakes`, :func:`accuracy_by_kind`, :func:`sparsity` look inside a
  trained network; :func:`filter_evidence` and :func:`evidence_by_kind` measure what one first-layer
  filter keeps (hand-made or learned); :func:`save_and_reload` saves the network to a file and loads it
  into a fresh copy.
"""

from __future__ import annotations

import numpy as np

from .. import nn
from .detector import DEFAULT_BIAS, DEFAULT_WEIGHTS

CHANNELS = (8, 16)
"""Channels of the notebook's two convolutions."""

LEARNING_RATE = 0.005
NUM_EPOCHS = 6
BATCH_SIZE = 32
"""The notebook's training settings: Adam with this learning rate, this many epochs, batches of this size."""


def hand_made_filter(weights=DEFAULT_WEIGHTS, bias: float = DEFAULT_BIAS, size: int = 3) -> tuple:
    """Notebook 02's redness detector as one convolution filter: ``(weight (3, size, size), bias)``.

    Notebook 02 scored the mean colour of a patch, ``weights · (mean R, G, B) + bias``. A filter whose
    every tap in colour channel c is ``weights[c] / size²`` computes exactly that on each size × size window.
    """
    w = np.asarray(weights, dtype=np.float32)[:, None, None] * np.ones((3, size, size), dtype=np.float32)
    return w / size ** 2, float(bias)


def red_car_cnn(channels=CHANNELS, seed: int = 0, hand_made: bool = True) -> nn.Sequential:
    """The red-car detector for (N, 3, 32, 32) scenes: conv → ReLU → pool per entry of ``channels``, then Linear.

    ``channels=(8, 16)``: Conv2d(3, 8, 3, padding=1) → ReLU → MaxPool2d(2) → Conv2d(8, 16, 3, padding=1)
    → ReLU → MaxPool2d(2) → Flatten → Linear(16 · 8 · 8, 2). Scores: class 1 = "a red car", 0 = "none".
    Weights from ``np.random.default_rng(seed)`` (He initialisation); with ``hand_made`` the first filter
    of the first layer is :func:`hand_made_filter` (see :func:`start_from_hand_made`).
    """
    channels = tuple(int(c) for c in channels)
    if not channels or min(channels) < 1:
        raise ValueError(f"channels should be one or more positive numbers, e.g. (8, 16); got {channels}")
    rng = np.random.default_rng(seed)
    layers, c_in, side = [], 3, 32
    for c_out in channels:
        layers += [nn.Conv2d(c_in, c_out, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2)]
        c_in, side = c_out, side // 2
    model = nn.Sequential(*layers, nn.Flatten(), nn.Linear(c_in * side * side, 2, rng=rng))
    return start_from_hand_made(model) if hand_made else model


def start_from_hand_made(model, index: int = 0):
    """Copy :func:`hand_made_filter` into filter ``index`` of the model's first Conv2d (in place); returns the model."""
    conv = model[0]
    if not isinstance(conv, nn.Conv2d) or conv.in_channels != 3 or conv.kernel_size != 3:
        raise ValueError("the model should start with a 3 × 3 Conv2d over the 3 colour channels")
    weight, bias = hand_made_filter()
    conv.weight.data[index] = weight
    conv.bias.data[index] = bias
    return model


def train(model, data: dict, num_epochs: int = NUM_EPOCHS, lr: float = LEARNING_RATE,
          batch_size: int = BATCH_SIZE, seed: int = 0, optimizer: str = "adam", callback=None,
          progress: bool = False, workers=None) -> nn.History:
    """Train ``model`` on ``data["train"]``, validating on ``data["val"]`` after every epoch; returns the History.

    data: :func:`relulab.data.red_car_splits`' dict. optimizer: "adam" or "sgd" (with momentum 0.9).
    callback: a function of :class:`relulab.nn.Event`, called after every step and epoch (a live plot).
    progress: show fit's progress bar (the notebook passes True). workers: threads sharing each batch
    (None: fit's default; 1: one thread, BLAS included, for numbers that do not depend on the machine's
    cores). The batches are shuffled by
    ``np.random.default_rng(seed)``; the same model, data and seed give the same training.
    """
    X, y = data["train"][:2]
    X_val, y_val = data["val"][:2]
    if optimizer == "adam":
        opt = nn.Adam(model.parameters(), lr=lr)
    elif optimizer == "sgd":
        opt = nn.SGD(model.parameters(), lr=lr, momentum=0.9)
    else:
        raise ValueError(f"optimizer should be 'adam' or 'sgd', not {optimizer!r}")
    callbacks = () if callback is None else (callback,)
    if workers == 1:  # one thread in all: BLAS's own threads would fight over the cores (and slow it 10×)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return nn.fit(model, X, y, nn.CrossEntropyLoss(), opt, num_epochs=num_epochs, batch_size=batch_size,
                          X_val=X_val, y_val=y_val, callbacks=callbacks, progress=progress,
                          rng=np.random.default_rng(seed), workers=1)
    return nn.fit(model, X, y, nn.CrossEntropyLoss(), opt, num_epochs=num_epochs, batch_size=batch_size,
                  X_val=X_val, y_val=y_val, callbacks=callbacks, progress=progress,
                  rng=np.random.default_rng(seed), workers=workers)


# ---------------------------------------------------------------------------------------
# Size: parameters and multiply-adds.

def parameter_count(model) -> int:
    """How many numbers the model learns (weights and biases)."""
    return int(sum(p.data.size for p in model.parameters()))


def multiply_adds(model, input_shape=(1, 3, 32, 32)) -> dict:
    """Multiply-adds one image costs in each layer with weights: ``{"0: Conv2d": ..., "total": ...}``.

    A Conv2d costs (output positions) × (out channels) × (in channels · k · k); a Linear in × out.
    Counted from the shapes of one forward pass of zeros (input_shape's batch size does not matter).
    """
    x = np.zeros((1, *input_shape[1:]), dtype=np.float32)
    counts = {}
    for name, layer in nn.named_layers(model):
        out = layer(x)
        if isinstance(layer, nn.Conv2d):
            counts[name] = int(out[0].size * layer.in_channels * layer.kernel_size ** 2)
        elif isinstance(layer, nn.Linear):
            counts[name] = int(layer.in_features * layer.out_features)
        x = out
    counts["total"] = sum(counts.values())
    return counts


# ---------------------------------------------------------------------------------------
# Looking inside a trained network.

def predict_proba(model, X) -> np.ndarray:
    """P(a red car) for every scene of X (N, 3, 32, 32): the softmax of the two scores, class 1."""
    scores = nn.predict(model, X).astype(np.float64)
    return 1 / (1 + np.exp(scores[:, 0] - scores[:, 1]))


def accuracy_by_kind(model, X, y, kinds) -> dict:
    """Accuracy on each kind of scene (:data:`relulab.data.STREET_KINDS`): ``{kind: (accuracy, count)}``."""
    right = nn.predict(model, X).argmax(axis=1) == np.asarray(y)
    kinds = np.asarray(kinds)
    return {str(k): (float(right[kinds == k].mean()), int((kinds == k).sum())) for k in dict.fromkeys(kinds)}


def mistakes(model, X, y, kinds) -> list[dict]:
    """The scenes the model gets wrong, most confident mistake first.

    -> ``[{"index", "label", "kind", "p_red_car"}]``; ``p_red_car`` is the model's probability of a red car.
    """
    p = predict_proba(model, X)
    wrong = np.flatnonzero((p > 0.5) != (np.asarray(y) == 1))
    order = wrong[np.argsort(-np.abs(p[wrong] - 0.5))]
    return [{"index": int(i), "label": int(y[i]), "kind": str(kinds[i]), "p_red_car": float(p[i])} for i in order]


def feature_maps(model, image) -> list[tuple[str, np.ndarray]]:
    """Every layer's output for one scene (3, 32, 32): ``[("0: Conv2d", (C, H, W)), ...]`` (batch axis dropped)."""
    x = np.asarray(image, dtype=np.float32)[None]
    return [(name, out[0]) for name, out in nn.layer_outputs(model, x)]


def sparsity(model, X) -> dict:
    """Share of exactly-zero outputs of each ReLU layer on the scenes X: ``{"1: ReLU": 0.6, ...}``."""
    return nn.fraction_zeros(model, X)


def save_and_reload(model, path, channels=CHANNELS) -> tuple:
    """Save ``model`` to ``path`` (.npz), load it into a fresh :func:`red_car_cnn`; -> ``(copy, largest difference)``.

    The copy starts from other random weights (seed 1, no hand-made filter), so only the file can make it equal.
    """
    model.save(path)
    copy = red_car_cnn(channels, seed=1, hand_made=False)
    copy.load(path)
    difference = max(float(np.max(np.abs(a.data - b.data)))
                     for a, b in zip(model.parameters(), copy.parameters(), strict=True))
    return copy, difference


def filter_as_picture(weight) -> np.ndarray:
    """A first-layer filter (3, k, k) as an RGB picture (k, k, 3) in [0, 1]: 0.5 is a weight of 0.

    Scaled by the filter's own largest weight, so its pattern shows whatever its size.
    """
    w = np.asarray(weight, dtype=np.float64)
    return (0.5 + 0.5 * w / max(float(np.abs(w).max()), 1e-12)).transpose(1, 2, 0)


def filter_evidence(weight, bias, X) -> np.ndarray:
    """What one 3 × 3 filter keeps on each scene: the sum of ReLU(filter response) over the scene, shape (N,).

    weight: (3, 3, 3), bias: a number, X: (N, 3, 32, 32). With :func:`hand_made_filter` it is notebook
    02's "evidence for a red car", computed on every 3 × 3 window.
    """
    conv = nn.Conv2d(3, 1, 3, padding=1)
    conv.weight.data[0] = np.asarray(weight, dtype=np.float32)
    conv.bias.data[0] = bias
    return np.maximum(conv(np.asarray(X, dtype=np.float32)), 0).sum(axis=(1, 2, 3))


def evidence_by_kind(evidence, kinds) -> dict:
    """The mean of ``evidence`` (N,) over the scenes of each kind: ``{kind: mean}``, kinds in first-seen order."""
    kinds = np.asarray(kinds)
    return {str(k): float(np.mean(evidence[kinds == k])) for k in dict.fromkeys(kinds)}
