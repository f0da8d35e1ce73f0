"""Checks for notebook 07: design a network that reaches a stated accuracy within a budget; the check trains it.

The budget is what a check can measure the same way every time: at most :data:`BUDGET_MULTIPLY_ADDS`
multiply-adds per scene (counted from the layers' shapes) and exactly :data:`EPOCHS` epochs over the
same :data:`TRAIN_SCENES` training scenes, in the same order, from weights drawn by the same seeded
generator. The check trains on one thread (so no rounding depends on how a batch was shared) and asks
for :data:`TARGET` accuracy on :data:`VAL_SCENES` scenes it did not train on. Training takes a few
seconds; a design that does not fit the budget or cannot give two scores is refused before training.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np

from .. import nn
from ..experiments import training
from .contract import call, fmt, learners_function
from .core import CORRECT, NOT_YET, Advice, Feedback, exercise

TARGET = 0.97
EPOCHS = 2
TRAIN_SCENES, VAL_SCENES = 1000, 500
BUDGET_MULTIPLY_ADDS = 1_000_000
DATA_SEED = 7
"""The exercise: ≥ TARGET validation accuracy after EPOCHS epochs on TRAIN_SCENES scenes (seed DATA_SEED),
Adam at the learner's learning rate, batches of 32, at most BUDGET_MULTIPLY_ADDS multiply-adds per scene."""


@functools.cache
def exercise_scenes() -> dict:
    """The check's training and validation scenes (made once per session, about a second)."""
    from ..data import red_car_splits

    return red_car_splits(num_train=TRAIN_SCENES, num_val=VAL_SCENES, num_test=0, seed=DATA_SEED)


def _memory(size: int = 16):
    """A small memory of training runs by :func:`design_key` (oldest forgotten first).

    Kept inside a closure, like ``functools.cache``'s: the sealed grader fingerprints the checks' modules
    and would take a module-level dict that fills up for a notebook changing the course's code.
    """
    runs: dict = {}

    def recall(key, train):
        if key not in runs:
            if len(runs) >= size:
                runs.pop(next(iter(runs)))
            runs[key] = train()
        return runs[key]

    recall.forget = runs.clear
    return recall


_recall = _memory()
"""Designs trained already: the same design gives the same run, so running the check again does not retrain."""


def design_key(model, learning_rate) -> tuple:
    """What decides a training run: every layer (its class and settings), every initial weight, the learning rate."""
    digest = hashlib.sha256()
    for p in model.parameters():
        digest.update(np.ascontiguousarray(p.data).tobytes())
    layers = tuple((type(layer).__module__, type(layer).__qualname__, repr(layer))
                   for _, layer in nn.named_layers(model))
    return layers, digest.hexdigest(), float(learning_rate)


def train_design(build_network, learning_rate) -> dict:
    """Build ``build_network(np.random.default_rng(0))`` and train it as the check does (one thread, seeded).

    -> ``{"model", "history", "val_acc", "multiply_adds", "parameters"}`` (``val_acc`` None if training
    stopped on NaN). A design trained before (same layers, same initial weights, same learning rate) is
    not trained again: its run is taken from a small memory.
    """
    model = build_network(np.random.default_rng(0))

    def train():
        history = training.train(model, exercise_scenes(), num_epochs=EPOCHS, lr=float(learning_rate), seed=0,
                                 workers=1)
        val_acc = history.val_acc[-1] if history.val_acc and history.stop_reason == "finished" else None
        predictions = nn.predict(model, exercise_scenes()["val"][0]).argmax(axis=1)
        return {"model": model, "history": history, "val_acc": val_acc, "predictions": predictions,
                "multiply_adds": training.multiply_adds(model)["total"], "parameters": training.parameter_count(model)}

    return _recall(design_key(model, learning_rate), train)


DESIGN_SOLUTION = """
from relulab import nn


def build_network(rng):
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 8 * 8, 2, rng=rng),
    )

learning_rate = 0.005
"""


def _design(layers: str, lr) -> str:
    return (f"def build_network(rng):\n    return nn.Sequential(\n        {layers},\n    )\n\n"
            f"learning_rate = {lr!r}\n")


_TWO_BLOCKS = ("nn.Conv2d(3, 8, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2), "
               "nn.Conv2d(8, 16, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), ")

WRONG_DESIGNS = [
    (_design(_TWO_BLOCKS + "nn.Linear(16 * 8 * 8, 1, rng=rng)", 0.005), "2 scores"),
    (_design(_TWO_BLOCKS + "nn.Linear(16 * 16 * 16, 2, rng=rng)", 0.005), "cannot take"),
    (_design(_TWO_BLOCKS.replace("(3, 8,", "(3, 32,").replace("(8, 16,", "(32, 64,")
             + "nn.Linear(64 * 8 * 8, 2, rng=rng)", 0.005), "budget"),
    (_design("nn.Conv2d(3, 1, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), "
             "nn.Linear(16 * 16, 2, rng=rng)", 0.005), "channel"),
    (_design(_TWO_BLOCKS.replace("nn.ReLU(), ", "") + "nn.Linear(16 * 8 * 8, 2, rng=rng)", 0.005), "no ReLU"),
    (_design(_TWO_BLOCKS + "nn.Linear(16 * 8 * 8, 2, rng=rng)", 0.5), "too large"),
    (_design(_TWO_BLOCKS + "nn.Linear(16 * 8 * 8, 2, rng=rng)", 0.0001), "too small"),
]
"""Typical wrong designs, as the source of an exercise cell, with a phrase the check's verdict contains:
a final layer of 1 score, a Linear of the wrong size, far over the budget, one channel, no ReLU, a learning
rate that is too large (stuck at one answer) and one that is too small."""


def _activations(model):
    return [layer for _, layer in nn.named_layers(model) if isinstance(layer, nn.Activation)]


def _channels(model):
    return [layer.out_channels for _, layer in nn.named_layers(model) if isinstance(layer, nn.Conv2d)]


@exercise("design_network", title="design a red-car detector that reaches 97% within the budget",
          solution=DESIGN_SOLUTION, points=3, answers="build_network, learning_rate")
def check_design_network(build_network, learning_rate) -> Feedback:
    """Check a design: ``build_network(rng)`` -> an ``nn.Sequential`` and ``learning_rate`` for Adam.

    Refuses, before training: no network, a network that cannot take (N, 3, 32, 32) scenes or does not give
    2 scores, one above the multiply-add budget, a learning rate that is not a positive number. Then trains
    it (seeded, one thread) and reports; below the target it names the likely cause (the learning rate too
    large or too small, no ReLU, too few channels).
    """
    name = "design_network"
    if learning_rate is None:
        return Feedback(name, NOT_YET, "not done yet: replace `None` with your learning rate, run that cell, "
                        "then run this check again.")
    learners_function(build_network, "build_network", "def build_network(rng):")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.number)) \
            or not np.isfinite(learning_rate) or learning_rate <= 0:
        raise Advice(f"`learning_rate` should be one positive number such as 0.01, not {learning_rate!r:.40}.")
    model = call(build_network, "build_network", (np.random.default_rng(0),))
    if not isinstance(model, nn.Module):
        raise Advice("`build_network(rng)` should return a network, e.g. `return nn.Sequential(...)`, but it "
                     f"returned {type(model).__name__}. Did you forget `return`?")
    try:
        out = np.asarray(model(np.zeros((2, 3, 32, 32), dtype=np.float32)))
    except Exception as error:  # the engine's errors say which layer and which size
        problem = (f"your network cannot take a batch of scenes shaped (2, 3, 32, 32): {error} Check the sizes "
                   "layer by layer (a Linear after Flatten takes channels × height × width numbers).")
        raise Advice(problem) from None
    if out.shape != (2, 2):
        raise Advice(f"for 2 scenes your network gives an output shaped {out.shape}; it should give 2 scores per "
                     "scene, (2, 2): one for \"no red car\", one for \"a red car\". End with `nn.Linear(..., 2)`.")
    cost = training.multiply_adds(model)["total"]
    if cost > BUDGET_MULTIPLY_ADDS:
        raise Advice(f"your network costs {cost:,} multiply-adds per scene, over the budget of "
                     f"{BUDGET_MULTIPLY_ADDS:,}. Use fewer channels, or pool before the second convolution.")
    run = train_design(build_network, learning_rate)
    acc, lr = run["val_acc"], float(learning_rate)
    if acc is None:
        raise Advice(f"training blew up: the loss became NaN or infinite ({run['history'].message.split('. ')[0]})."
                     f" A learning rate of {fmt(lr)} is too large; try one ten times smaller.")
    predictions = run["predictions"]
    reached = (f"after {EPOCHS} epochs your network is right on {acc:.1%} of the {VAL_SCENES} validation scenes "
               f"(the target is {TARGET:.0%})")
    if acc >= TARGET:
        return Feedback(name, CORRECT, f"correct! {reached}, with {cost:,} multiply-adds per scene (budget "
                        f"{BUDGET_MULTIPLY_ADDS:,}) and {run['parameters']:,} parameters.")
    if np.unique(predictions).size == 1:
        if lr >= 0.01:
            raise Advice(f"{reached}: it gives the same answer for every scene. The steps were too large "
                         f"(learning rate {fmt(lr)}) and knocked the ReLUs dead or the scores to one side; "
                         "try a learning rate ten times smaller.")
        raise Advice(f"{reached}: it still gives the same answer for every scene. A learning rate of {fmt(lr)} "
                     "is too small to learn much in the budget; try one ten times larger.")
    if lr < 0.001:
        raise Advice(f"{reached}: it is learning, but slowly. A learning rate of {fmt(lr)} is too small for "
                     f"{EPOCHS} epochs; try 0.001 to 0.01.")
    if not _activations(run["model"]):
        raise Advice(f"{reached}. Your network has no ReLU: without it each convolution and the Linear layer "
                     "only add up weighted colours, so the network can hardly say \"red here *and* car-shaped\". "
                     "Put an nn.ReLU() after each convolution.")
    if min(_channels(run["model"]) or [0]) < 4:
        raise Advice(f"{reached}. With {min(_channels(run['model']) or [0])} channel(s) in a convolution the "
                     "network has too few filters to tell red from orange and cars from signs at once; give "
                     "each convolution more channels (8 or more fit the budget).")
    raise Advice(f"{reached}. Try more channels (within the budget), a second convolution block, or another "
                 "learning rate (0.001 to 0.01 suits Adam here).")
