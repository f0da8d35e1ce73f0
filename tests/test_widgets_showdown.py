"""Notebook 08's explorers driven headlessly: pick another run, read the curves and the bars it now shows."""

import numpy as np
import pytest

from relulab.experiments import showdown as sd
from relulab.widgets import grad_norm_explorer, replay_explorer
from relulab.widgets.showdown import grad_norm_view, replay_view


@pytest.fixture(scope="module")
def grid():
    """A small grid (64 training digits, 3 epochs): the same keys and arrays as the notebook's, quickly."""
    X_train, y_train, X_test, y_test = sd.digits_data()
    tiny = X_train[:96], y_train[:96], X_test[:48], y_test[:48]
    return sd.run_grid(tiny, activations=("relu", "tanh", "sigmoid"), depths=(1, 2), lrs=(0.1, 0.3), seeds=(0, 1),
                       num_epochs=3)


def test_replay_view_reads_the_runs_of_one_setting(grid):
    view = replay_view(grid, "tanh", 2, 0.1, threshold=0.8)
    runs = sd.runs_of(grid, "tanh", 2, 0.1)
    assert len(view["curves"]) == 2
    np.testing.assert_array_equal(view["curves"][1], runs[1]["train_error"])
    np.testing.assert_allclose(view["mean"], (runs[0]["train_error"] + runs[1]["train_error"]) / 2)
    assert view["epochs"] == [sd.epochs_to_error(r["train_error"], 0.8) for r in runs]
    assert view["text"].startswith("tanh, depth 2, lr 0.1: 80% training error after")


def test_replay_view_says_never_for_a_threshold_nobody_reaches(grid):
    view = replay_view(grid, "sigmoid", 1, 0.1, threshold=0.0)
    assert view["epochs"] == [None, None] and np.isinf(view["median"])
    assert "after never, never epochs" in view["text"] and "not reached (median)" in view["text"]


@pytest.mark.parametrize("activation, depth, lr", [("tanh", 1, 0.3), ("relu", 2, 0.1), ("sigmoid", 2, 0.3)])
def test_moving_the_replay_controls_draws_that_runs_curves(grid, activation, depth, lr):
    ex = replay_explorer(grid, activation="sigmoid", depth=1, lr=0.1, threshold=0.5)
    ex.controls["activation"].value = activation
    ex.controls["depth"].value = depth
    ex.controls["lr"].value = lr
    runs = sd.runs_of(grid, activation, depth, lr)
    drawn = [line for line in ex.live.axes[0].lines if line.get_animated()]
    relu, seeds, mean = drawn[0], drawn[1:3], drawn[3]
    for line, run in zip(seeds, runs, strict=True):
        np.testing.assert_array_equal(line.get_ydata(), run["train_error"])
    np.testing.assert_allclose(mean.get_ydata(), sd.mean_curve(grid, activation, depth, lr))
    assert relu.get_visible() == (activation != "relu")
    assert f"depth {depth}, lr {lr:g}" in ex.readout.value


def test_grad_norm_view_averages_the_seeds_for_one_epoch(grid):
    view = grad_norm_view(grid, "sigmoid", 2, 0.3, epoch=2)
    runs = sd.runs_of(grid, "sigmoid", 2, 0.3)
    assert view["layers"] == ["0: Conv2d", "3: Conv2d", "7: Linear"]
    want = [np.mean([r["grad_norms"][name][1] for r in runs]) for name in view["layers"]]
    np.testing.assert_allclose(view["norms"], want)
    assert view["ratio"] == pytest.approx(want[-1] / want[0])
    with pytest.raises(ValueError, match="epoch must be between 1 and 3"):
        grad_norm_view(grid, "sigmoid", 2, 0.3, epoch=4)


def test_moving_the_gradient_explorer_shows_the_chosen_layers_and_hides_the_rest(grid):
    ex = grad_norm_explorer(grid, activation="sigmoid", depth=2, lr=0.3, epoch=1)
    bars = ex.live.axes[0].patches
    chosen = bars[:3]
    want = grad_norm_view(grid, "sigmoid", 2, 0.3, 1)["norms"]
    np.testing.assert_allclose([b.get_height() for b in chosen], want)
    ex.controls["depth"].value = 1  # one convolution: its bar first, the Linear layer's still last
    assert [b.get_visible() for b in chosen] == [True, False, True]
    shallow = grad_norm_view(grid, "sigmoid", 1, 0.3, 1)["norms"]
    np.testing.assert_allclose([chosen[0].get_height(), chosen[2].get_height()], shallow)
    assert [t.get_text() for t in ex.live.axes[0].get_xticklabels()] == ["conv 1", "conv 2", "Linear"]
    ex.controls["epoch"].value = 3
    assert "epoch 3" in ex.readout.value and "sigmoid, depth 1, lr 0.3" in ex.readout.value
    ex.controls["activation"].value = "relu"
    assert not any(b.get_visible() for b in bars[3:])  # ReLU beside ReLU: the comparison bars are hidden


def test_stills_show_the_current_figure(grid):
    ex = replay_explorer(grid, activation="tanh", depth=1, lr=0.1)
    still = ex.still("tanh at depth 1")
    assert still.png.startswith(b"\x89PNG") and repr(still) == "[still: tanh at depth 1]"
