import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from relulab.figures import PALETTE, describe, tidy  # noqa: E402


def test_describe_names_a_figure_by_its_titles():
    fig, (a, b) = plt.subplots(1, 2)
    tidy(a, "x", "y", "ReLU keeps positives")
    b.set_title("the slope is a step")
    assert describe(fig) == "[figure: ReLU keeps positives; the slope is a step]"
    fig.suptitle("Overview")
    assert describe(fig).startswith("[figure: Overview; ReLU")
    plt.close(fig)


def test_describe_an_untitled_figure():
    fig, _ = plt.subplots()
    assert describe(fig) == "[figure: untitled]"
    plt.close(fig)


def test_palette_is_okabe_ito():
    assert PALETTE["blue"] == "#0072B2" and PALETTE["vermillion"] == "#D55E00" and len(PALETTE) == 9
