"""Notebook 00's first slider: a score and what ReLU keeps of it."""

from __future__ import annotations

from ..activations import relu
from ..plots import PALETTE, tidy
from .core import Explorer, LiveFigure, format_number, slider


def kept_by_relu(score: float) -> dict:
    """What ReLU does to one score: the value it keeps and a sentence saying so."""
    kept = float(relu(score))
    verdict = "kept as it is" if score > 0 else "dropped to 0"
    return {"score": float(score), "kept": kept,
            "text": f"score {format_number(score)} → ReLU → {format_number(kept)} ({verdict})"}


def first_slider(score: float = 4.0) -> Explorer:
    """Two bars: the score you pick (left, blue) and what ReLU keeps of it (right, orange and hatched).

    The bars differ by place, label and hatching as well as colour, so no colour vision is needed.
    """
    live = LiveFigure(figsize=(4.5, 2.6))
    ax = live.axes[0]
    bars = live.animate(*ax.bar(["your score", "after ReLU"], [0, 0], color=[PALETTE["blue"], PALETTE["orange"]],
                                edgecolor=PALETTE["black"], linewidth=0.8))
    bars[1].set_hatch("//")
    ax.axhline(0, color=PALETTE["grey"], lw=0.8)
    ax.set_ylim(-10.5, 10.5)
    tidy(ax, ylabel="value", title="ReLU keeps a positive score\nand turns a negative one into 0")

    def update(score):
        shown = kept_by_relu(score)
        bars[0].set_height(shown["score"])
        bars[1].set_height(shown["kept"])
        return f"<b>{shown['text']}</b>"

    return Explorer({"score": slider("score", score, -10, 10, 0.5)}, update, live)
