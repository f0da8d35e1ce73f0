"""Notebook 08's explorers: replay the showdown's training runs, and the gradient each layer received.

Both read a grid of runs computed earlier (:func:`relulab.experiments.showdown.run_grid`); moving a
control only picks other runs out of it, so an update takes milliseconds. Called without a grid they
compute the notebook's own (about a minute).
"""

from __future__ import annotations

import numpy as np

from ..environment import require
from ..experiments import showdown as sd
from ..experiments.models import ACTIVATIONS
from ..plots import ACTIVATION_STYLES, PALETTE, tidy
from .core import Explorer, LiveFigure, format_number


def _epochs_text(epochs) -> str:
    return ", ".join("never" if e is None else str(e) for e in epochs)


def replay_view(grid: dict, activation: str, depth: int, lr: float, threshold: float = sd.THRESHOLD) -> dict:
    """What the replay explorer shows for one (activation, depth, lr) of ``grid``.

    -> dict with ``curves`` (one training-error array per seed), ``mean`` (their mean, NaN after a run blew
    up), ``relu_mean`` (ReLU's mean at the same depth and lr, for comparison), ``epochs`` (per seed, the
    first epoch at or below ``threshold``, None if never), ``median`` (median epochs, inf if most never),
    ``test_acc`` (mean final test accuracy of the runs that did not blow up, NaN if none) and ``text``.
    """
    runs = sd.runs_of(grid, activation, depth, lr)
    epochs = [sd.epochs_to_error(run["train_error"], threshold) for run in runs]
    median = sd.median_epochs(grid, activation, depth, lr, threshold)
    finals = [run["test_acc_final"] for run in runs if not run["diverged"]]
    test_acc = float(np.mean(finals)) if finals else float("nan")
    blew = sum(run["diverged"] for run in runs)
    label = ACTIVATIONS[activation].label
    reached = "not reached (median)" if np.isinf(median) else f"median {median:g} epochs"
    accuracy = "every run blew up" if np.isnan(test_acc) else f"final test accuracy {test_acc:.0%}"
    if blew and finals:
        accuracy += f" ({blew} of {len(runs)} runs blew up)"
    text = (f"{label}, depth {depth}, lr {format_number(lr)}: {threshold:.0%} training error after "
            f"{_epochs_text(epochs)} epochs (seeds {', '.join(str(r['seed']) for r in runs)}), {reached} · {accuracy}")
    return {"curves": [run["train_error"] for run in runs], "mean": sd.mean_curve(grid, activation, depth, lr),
            "relu_mean": sd.mean_curve(grid, "relu", depth, lr), "epochs": epochs, "median": median,
            "test_acc": test_acc, "text": text}


def _choice(widgets, description, options, value, labels=None):
    labels = labels or [format_number(v) for v in options]
    return widgets.SelectionSlider(options=list(zip(labels, options, strict=True)), value=value,
                                   description=description, style={"description_width": "initial"})


def _controls(widgets, grid, activation, depth, lr):
    keys = sd.keys_of(grid)
    return {
        "activation": widgets.Dropdown(options=[(ACTIVATIONS[a].label, a) for a in keys["activation"]],
                                       value=activation, description="activation"),
        "depth": _choice(widgets, "depth (convolutions)", keys["depth"], depth, [str(d) for d in keys["depth"]]),
        "lr": _choice(widgets, "learning rate", keys["lr"], lr),
    }


def replay_explorer(grid: dict | None = None, activation: str = "sigmoid", depth: int = 3, lr: float = 0.3,
                    threshold: float = sd.THRESHOLD) -> Explorer:
    """Pick an activation, a depth and a learning rate; see the training error of every seed, epoch by epoch.

    Thin lines: the seeds; thick line: their mean; grey dashes: ReLU's mean at the same depth and lr; the
    dotted line is the ``threshold`` of the race. ``grid``: runs from ``run_grid`` (default: computed here).
    """
    widgets = require("ipywidgets")

    grid = sd.run_grid(sd.digits_data()) if grid is None else grid
    num_epochs = len(next(iter(grid.values()))["train_error"])
    epochs = np.arange(1, num_epochs + 1)
    seeds = len(sd.keys_of(grid)["seed"])
    live = LiveFigure(figsize=(6.4, 3.2))
    ax = live.axes[0]
    ax.axhline(threshold, color=PALETTE["black"], lw=1, ls=":", label=f"{threshold:.0%} training error")
    ax.axhline(0.9, color=PALETTE["grey"], lw=0.8, ls=(0, (1, 3)))
    ax.text(1, 0.93, "guessing (90% error)", ha="left", va="bottom", fontsize=8, color=PALETTE["grey"])
    relu = live.animate(*ax.plot([], [], color=PALETTE["grey"], lw=2, ls="--", label="ReLU, mean"))[0]
    # Each seed its own small marker, so that no two lines differ by colour alone.
    thin = [live.animate(*ax.plot([], [], lw=0.8, alpha=0.6, marker=".x+1234"[k % 7], ms=4,
                                  label="each seed" if k == 0 else None))[0] for k in range(seeds)]
    (mean,) = live.animate(*ax.plot([], [], lw=2.5, ms=5, label="chosen, mean of seeds"))
    ax.set_xlim(0.5, num_epochs + 0.5)
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, loc="center right", fontsize=8)
    tidy(ax, "epoch", "training error", "Replay: training error, epoch by epoch")

    def update(activation, depth, lr):
        shown = replay_view(grid, activation, depth, lr, threshold)
        style = ACTIVATION_STYLES[activation]
        for line, curve in zip(thin, shown["curves"], strict=True):
            line.set_data(epochs, curve)
            line.set_color(style["color"])
        mean.set_data(epochs, shown["mean"])
        mean.set(color=style["color"], linestyle=style["linestyle"], marker=style["marker"])
        relu.set_data(epochs, shown["relu_mean"])
        relu.set_visible(activation != "relu")
        return f"<b>{shown['text']}</b>"

    return Explorer(_controls(widgets, grid, activation, depth, lr), update, live)


def grad_norm_view(grid: dict, activation: str, depth: int, lr: float, epoch: int = 1) -> dict:
    """Each weight layer's gradient size in ``epoch`` (mean over its steps and over the seeds).

    -> dict with ``layers`` (names, input side first), ``norms`` (one number per layer; NaN after a run
    blew up), ``relu`` (ReLU's, same depth, lr and epoch), ``ratio`` (last layer's over the first layer's)
    and ``text``.
    """
    runs = sd.runs_of(grid, activation, depth, lr)
    layers = list(runs[0]["grad_norms"])
    if not 1 <= epoch <= len(runs[0]["train_error"]):
        raise ValueError(f"epoch must be between 1 and {len(runs[0]['train_error'])}, not {epoch}")

    def norms(of):
        return np.array([np.mean([run["grad_norms"][name][epoch - 1] for run in of]) for name in layers])

    own, relu = norms(runs), norms(sd.runs_of(grid, "relu", depth, lr))
    ratio = float(own[-1] / own[0]) if own[0] > 0 else float("inf")
    label = ACTIVATIONS[activation].label
    if np.isnan(ratio):
        text = f"{label}, depth {depth}, lr {format_number(lr)}, epoch {epoch}: the runs had blown up by then"
    else:
        text = (f"{label}, depth {depth}, lr {format_number(lr)}, epoch {epoch}: the first convolution's gradient "
                f"is {own[0]:.3g}, the last layer's {own[-1]:.3g}, {ratio:.3g} times as large "
                f"(ReLU: {relu[0]:.3g} and {relu[-1]:.3g})")
    return {"layers": layers, "norms": own, "relu": relu, "ratio": ratio, "text": text}


def grad_norm_explorer(grid: dict | None = None, activation: str = "sigmoid", depth: int = 3, lr: float = 0.3,
                       epoch: int = 1) -> Explorer:
    """Bars: the size of each layer's weight gradient in one epoch of the chosen runs, beside ReLU's (log scale).

    The layers run from the input (left) to the output (right); a gradient that shrinks on its way back
    leaves the first layers with bars far below the last. ``grid``: runs from ``run_grid``.
    """
    widgets = require("ipywidgets")

    grid = sd.run_grid(sd.digits_data()) if grid is None else grid
    num_epochs = len(next(iter(grid.values()))["train_error"])
    most = max(len(run["grad_norms"]) for run in grid.values())
    live = LiveFigure(figsize=(6.4, 3.2))
    ax = live.axes[0]
    x = np.arange(most)
    chosen = live.animate(*ax.bar(x - 0.2, np.ones(most), width=0.4, label="chosen activation",
                                  color=ACTIVATION_STYLES[activation]["color"], edgecolor=PALETTE["black"]))
    relu = live.animate(*ax.bar(x + 0.2, np.ones(most), width=0.4, label="ReLU", hatch="//",
                                color=ACTIVATION_STYLES["relu"]["color"], alpha=0.5, edgecolor=PALETTE["black"]))
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 10)
    # The Linear layer always sits in the last place, the convolutions from the left: a shallower network
    # leaves the middle places empty, and the axis never has to be redrawn.
    ax.set_xticks(x, [f"conv {i + 1}" for i in range(most - 1)] + ["Linear"], fontsize=8)
    ax.legend(frameon=False, loc="upper left", fontsize=8)
    tidy(ax, "layer (input side on the left)", "size of the weight gradient",
         "Gradient size per layer (log scale)")

    def update(activation, depth, lr, epoch):
        shown = grad_norm_view(grid, activation, depth, lr, epoch)
        n = len(shown["layers"])
        places = list(range(n - 1)) + [most - 1]
        colour = ACTIVATION_STYLES[activation]["color"]
        for bar, other in zip(chosen, relu, strict=True):
            bar.set_visible(False)
            other.set_visible(False)
        for i, place in enumerate(places):
            bar, other = chosen[place], relu[place]
            bar.set_visible(True)
            bar.set_height(np.nan_to_num(shown["norms"][i], nan=1e-9))
            bar.set_facecolor(colour)
            other.set_visible(activation != "relu")
            other.set_height(shown["relu"][i])
        return f"<b>{shown['text']}</b>"

    controls = _controls(widgets, grid, activation, depth, lr)
    controls["epoch"] = widgets.IntSlider(value=epoch, min=1, max=num_epochs, description="epoch",
                                          style={"description_width": "initial"})
    return Explorer(controls, update, live)
