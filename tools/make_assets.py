"""Draw the pictures that markdown cells and the README show, into assets/.

    python tools/make_assets.py      (or: make assets)

Every file in assets/ comes from a function here, so a picture can be regenerated (and restyled)
instead of edited by hand. Markdown cells show them with alt text: ![what it shows](../assets/NAME.png).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from relulab.activations import relu  # noqa: E402
from relulab.data import SCENES, make_scene  # noqa: E402
from relulab.plots import ACTIVATION_COLOURS, PALETTE, tidy  # noqa: E402

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def relu_at_a_glance(path):
    """The ReLU graph with the four red-car scores of the source: +10, −3, −5, +8 → 10, 0, 0, 8."""
    fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=100)
    x = np.linspace(-7, 11, 400)
    ax.plot(x, relu(x), color=ACTIVATION_COLOURS["relu"], lw=2.5, label="relu(x) = max(0, x)")
    ax.axhline(0, color=PALETTE["grey"], lw=0.8)
    ax.axvline(0, color=PALETTE["grey"], lw=0.8)
    label_at = {"red shape": (4.2, 10.6), "red bumper": (8.6, 6.2), "grey road": (-6.8, 1.4), "blue sky": (-6.8, 2.8)}
    for name, score, colour in [("red shape", 10, "vermillion"), ("grey road", -3, "grey"),
                                ("blue sky", -5, "sky"), ("red bumper", 8, "vermillion")]:
        kept = float(relu(score))
        ax.plot([score], [kept], "o", ms=9, color=PALETTE[colour], zorder=3)
        text = f"{name}: {score:+d} → {kept:g}".replace("-", "−")
        ax.annotate(text, (score, kept), xytext=label_at[name], fontsize=9,
                    arrowprops={"arrowstyle": "-", "color": PALETTE["grey"], "lw": 0.8})
    tidy(ax, "score from a red-car detector", "what ReLU passes on",
         "ReLU keeps the evidence for a red car and zeros the rest")
    ax.legend(frameon=False, loc="upper left")
    ax.set_xlim(-7.5, 12)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)


def street_scenes(path):
    """The three kinds of generated street that notebook 02's redness detector searches."""
    fig, axes = plt.subplots(1, 3, figsize=(9, 2.0), dpi=100)
    for ax, (name, cars) in zip(axes, SCENES.items(), strict=True):
        ax.imshow(make_scene(seed=3, cars=cars)["image"])
        ax.set_title(name, fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)


PICTURES = {"relu_at_a_glance.png": relu_at_a_glance, "street_scenes.png": street_scenes}


def main():
    ASSETS.mkdir(exist_ok=True)
    for name, draw in PICTURES.items():
        draw(ASSETS / name)
        print(f"assets/{name}")


if __name__ == "__main__":
    main()
