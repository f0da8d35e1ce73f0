"""Notebook 07's screens: a live plot of training, and the feature-map explorer of the trained red-car detector.

- :class:`TrainingPlot` is a callback for :func:`relulab.experiments.training.train` (any
  :func:`relulab.nn.fit` callback): the loss of every step and the accuracy of every epoch, redrawn in
  place while the network trains. ``fit``'s own progress bar (tqdm) shows beside it.
- ``feature_map_explorer`` picks a test scene and a layer and shows what that layer makes of the
  scene; :func:`feature_view` is its pure part.
"""

from __future__ import annotations

import html

import numpy as np

from ..environment import require
from ..experiments import training
from ..plots import DIVERGING, PALETTE, tidy
from .core import Explorer, LiveFigure, Still

STEP_EVERY = 25
"""The live plot redraws after this many steps (and after every epoch): drawing costs time too."""


class TrainingPlot:
    """A live loss and accuracy plot, updated by training's callback.

    ``plot = TrainingPlot(num_epochs, steps_per_epoch)``; show ``plot`` (or ``plot.widget``); pass ``callback=plot`` to
    :func:`~relulab.experiments.training.train`. Left: the loss of every step; right: training
    (dashed, circles) and validation (solid, triangles) accuracy after each epoch. ``plot.still(...)``
    gives the final figure as a picture for readers without a kernel. With ``steps_per_epoch`` the loss axis
    is fixed in advance, so between epochs only the loss line is redrawn (fast); without it the axes follow.
    """

    def __init__(self, num_epochs: int, steps_per_epoch: int | None = None, every: int = STEP_EVERY):
        self.every, self.total_steps = every, None if steps_per_epoch is None else num_epochs * steps_per_epoch
        self.live = LiveFigure(ncols=2, figsize=(9.0, 3.0))
        loss_ax, acc_ax = self.live.axes
        (self.loss_line,) = self.live.animate(*loss_ax.plot([], [], color=PALETTE["blue"], lw=1))
        tidy(loss_ax, "step (one batch of 32 scenes)", "loss (cross-entropy)", "loss: waiting for the first step")
        (self.train_line,) = acc_ax.plot([], [], color=PALETTE["orange"], ls="--", marker="o", label="training")
        (self.val_line,) = acc_ax.plot([], [], color=PALETTE["blue"], ls="-", marker="^", label="validation")
        tidy(acc_ax, "epoch", "accuracy", "accuracy: waiting for the first epoch")
        acc_ax.set_xlim(0.5, num_epochs + 0.5)
        acc_ax.set_xticks(range(1, num_epochs + 1))
        acc_ax.set_ylim(0.5, 1.01)
        acc_ax.legend(loc="lower right")
        self.steps, self.losses = [], []
        self.live.refresh()

    @property
    def widget(self):
        return self.live.widget

    def __call__(self, event) -> None:
        """Take one :class:`relulab.nn.Event`: record a step's loss, or an epoch's accuracies, and redraw."""
        if event.kind == "step":
            self.steps.append(event.step)
            self.losses.append(event.loss)
            if event.step == 1:  # the first loss sets the scale: a full redraw
                self._draw_loss(limits=True)
                self.live.refresh(full=True)
            elif event.step % self.every == 0:  # only the loss line moves: redraw just it (fast)
                self.loss_line.set_data(self.steps, self.losses)
                self.live.refresh(full=self.total_steps is None)
            return
        self._draw_loss(limits=self.total_steps is None)
        history = event.history
        epochs = np.arange(1, len(history.val_acc) + 1)
        self.train_line.set_data(np.arange(1, len(history.train_acc) + 1), history.train_acc)
        self.val_line.set_data(epochs, history.val_acc)
        if history.val_acc:
            best = int(np.argmax(history.val_acc))
            self.live.axes[1].set_title(f"validation {history.val_acc[-1]:.1%} after epoch {event.epoch} "
                                        f"(best {history.val_acc[best]:.1%})", fontsize=10)
        self.live.refresh(full=True)

    def _draw_loss(self, limits: bool = True):
        ax = self.live.axes[0]
        self.loss_line.set_data(self.steps, self.losses)
        if limits:
            ax.set_xlim(0, (self.total_steps or max(self.steps[-1], 1)) * 1.02)
            ax.set_ylim(0, max(max(self.losses[:50]) * 1.05, 2 * self.losses[0], 0.1))
        ax.set_title(f"loss {self.losses[0]:.2f} at the start, {np.mean(self.losses[-self.every:]):.3f} "
                     f"lately (mean of {self.every} steps)", fontsize=10)

    def still(self, description: str) -> Still:
        """The plot as it is now, as a picture with a one-sentence description (see :meth:`Explorer.still`)."""
        return Still(self.live.png(scale=2), description, width=self.live.width_px)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = "Live training plot: it updates while the network trains."
        return bundle


# ---------------------------------------------------------------------------------------
# The feature-map explorer.

PANELS = 8
"""How many maps of a layer the explorer shows (its first channels)."""


def feature_view(model, image, layer: int) -> dict:
    """What the explorer shows for one scene (3, 32, 32) after layer ``layer`` (0 = the first Conv2d).

    Returns ``{"maps": the first PANELS maps (H, W), "titles", "signed", "p_red_car", "zeros", "name",
    "strongest"}``: ``zeros`` is the share of exact zeros in the layer's whole output, ``strongest`` the
    channel with the largest total response.
    """
    outputs = training.feature_maps(model, image)
    name, out = outputs[layer]
    if out.ndim != 3:
        raise ValueError(f"layer {layer} ({name}) gives {out.shape}, not maps; pick a convolution, ReLU or pool")
    scores = outputs[-1][1].astype(np.float64)
    p_red = float(1 / (1 + np.exp(scores[0] - scores[1])))
    return {"maps": list(out[:PANELS]), "titles": [f"channel {c}" for c in range(min(PANELS, len(out)))],
            "signed": bool(np.any(out < 0)), "p_red_car": p_red, "zeros": float(np.mean(out == 0)),
            "name": name, "strongest": int(np.argmax(out.reshape(len(out), -1).sum(axis=1)))}


def _quick_detector():
    """A detector trained for a second, for the explorer when no model is given (tests, the benchmark)."""
    from .. import data

    scenes = data.red_car_splits(num_train=600, num_val=100, num_test=60, seed=11)
    model = training.red_car_cnn(seed=0)
    training.train(model, scenes, num_epochs=2, workers=1)
    return model, scenes["test"]


def feature_map_explorer(model=None, scenes=None, scene: int = 0, layer: int = 1) -> Explorer:
    """Pick a test scene and a layer; see the scene, the layer's first eight maps, and the network's answer.

    model: a trained :func:`~relulab.experiments.training.red_car_cnn`; scenes: ``(X, y, kinds)``, e.g.
    the test split. Without them, a detector is trained for a second on a few hundred scenes.
    Channel 0 of the first layer started as notebook 02's hand-made redness filter.
    """
    widgets = require("ipywidgets")

    if model is None or scenes is None:
        model, scenes = _quick_detector()
    X, y, kinds = scenes
    layer_names = [name for name, out in training.feature_maps(model, X[0]) if out.ndim == 3]
    live = LiveFigure(nrows=2, ncols=5, figsize=(9.6, 4.0))
    picture = live.axes[0].imshow(np.zeros((32, 32, 3)), interpolation="nearest")
    images = [ax.imshow(np.zeros((2, 2)), cmap="gray", interpolation="nearest") for ax in live.axes[1:1 + PANELS]]
    for ax in live.axes:
        ax.set_xticks([])
        ax.set_yticks([])
    live.axes[-1].set_visible(False)
    heading = live.figure.suptitle("", fontsize=11)
    for ax in live.axes[:1 + PANELS]:
        ax.set_title(" ", fontsize=8)  # the titles change with the scene and layer: drawn with the images
    # Only the pictures and the texts change: redraw just them over a kept background (blitting, fast).
    live.animate(picture, *images, heading, *(ax.title for ax in live.axes[:1 + PANELS]))

    def update(scene, layer):
        view = feature_view(model, X[scene], layer)
        picture.set_data(X[scene].transpose(1, 2, 0))
        truth = "a red car" if y[scene] == 1 else f"no red car ({kinds[scene]})"
        live.axes[0].set_title(f"scene {scene}: {truth}", fontsize=8)
        limit = max(float(np.abs(np.stack(view["maps"])).max()), 1e-6)
        for i, (ax, im) in enumerate(zip(live.axes[1:1 + PANELS], images, strict=True)):
            shown = i < len(view["maps"])  # every layer of the red-car CNN has at least PANELS channels
            im.set_data(view["maps"][i] if shown else np.zeros((2, 2)))
            im.set_cmap(DIVERGING if view["signed"] else "gray")
            im.set_clim(-limit if view["signed"] else 0, limit)
            mark = " (hand-made start)" if layer == 0 and i == 0 else ""
            ax.set_title(view["titles"][i] + mark if shown else "", fontsize=8)
        heading.set_text(f"after {view['name']}: {len(view['maps'])} of its maps (blue below 0, red above; "
                         "grey scale when nothing is negative)")
        said = "a red car" if view["p_red_car"] > 0.5 else "no red car"
        right = (view["p_red_car"] > 0.5) == (y[scene] == 1)
        return (f"<b>scene {scene}: {html.escape(truth)}. The network says {said}, P(red car) = "
                f"{view['p_red_car']:.1%}: {'right' if right else 'wrong'}.</b> After {html.escape(view['name'])}, "
                f"{view['zeros']:.0%} of the numbers are exactly 0; the strongest channel is {view['strongest']}.")

    controls = {
        "scene": widgets.IntSlider(value=scene, min=0, max=len(X) - 1, description="test scene",
                                   continuous_update=False),
        "layer": widgets.Dropdown(options=[(name, i) for i, name in enumerate(layer_names)], value=layer,
                                  description="layer"),
    }
    return Explorer(controls, update, live)


# ---------------------------------------------------------------------------------------
# Drawing helpers for the notebook's still figures.

def draw_scenes(axes, X, titles) -> None:
    """Show scenes (N, 3, 32, 32) on ``axes``, one each, with a small title and no ticks."""
    for ax, x, title in zip(axes, X, titles, strict=True):
        ax.imshow(np.asarray(x).transpose(1, 2, 0), interpolation="nearest")
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])


def draw_filters(axes, weights, titles) -> None:
    """Show first-layer filters (N, 3, k, k) as small RGB pictures (grey = 0, see ``filter_as_picture``)."""
    for ax, w, title in zip(axes, weights, titles, strict=True):
        ax.imshow(training.filter_as_picture(w), interpolation="nearest")
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
