import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from relulab.plots import ACTIVATION_COLOURS, PALETTE, describe, nice_limit, tidy  # noqa: E402


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


def test_every_activation_has_its_own_palette_colour():
    assert set(ACTIVATION_COLOURS) == {"relu", "leaky_relu", "prelu", "sigmoid", "tanh"}
    assert len(set(ACTIVATION_COLOURS.values())) == len(ACTIVATION_COLOURS)
    assert set(ACTIVATION_COLOURS.values()) <= set(PALETTE.values())


def test_nice_limit_rounds_up_to_a_readable_colour_bar_end():
    assert nice_limit(0.1) == 0.25 and nice_limit(0.26) == 0.5 and nice_limit(2.5) == 3.0
    assert nice_limit(8.0) == 8.0 and nice_limit(9.0) == 16.0


def test_every_activation_differs_by_line_style_and_marker_as_well_as_colour():
    from relulab.plots import ACTIVATION_COLOURS, ACTIVATION_STYLES

    assert set(ACTIVATION_STYLES) == set(ACTIVATION_COLOURS)
    for key in ("color", "linestyle", "marker"):
        values = [repr(style[key]) for style in ACTIVATION_STYLES.values()]
        assert len(set(values)) == len(values), f"two activations share the {key}"
