"""Notebook 07's screens driven headlessly: the live training plot and the feature-map explorer."""

import numpy as np
import pytest

from relulab import data
from relulab.experiments import training
from relulab.widgets import TrainingPlot, feature_map_explorer
from relulab.widgets.training import PANELS, feature_view


@pytest.fixture(scope="module")
def detector():
    scenes = data.red_car_splits(num_train=300, num_val=60, num_test=40, seed=9)
    model = training.red_car_cnn(seed=0)
    plot = TrainingPlot(num_epochs=2, every=5)
    history = training.train(model, scenes, num_epochs=2, callback=plot, workers=1)
    return model, scenes, plot, history


def test_the_live_plot_redraws_during_training_and_ends_with_the_whole_history(detector):
    _, _, plot, history = detector
    steps = len(history.loss)
    assert plot.live.refreshes >= 1 + steps // 5 + 2  # the first draw, every 5 steps, each epoch
    x, y = plot.loss_line.get_data()
    np.testing.assert_allclose(y, history.loss)
    np.testing.assert_allclose(plot.val_line.get_data()[1], history.val_acc)
    np.testing.assert_allclose(plot.train_line.get_data()[1], history.train_acc)
    assert plot.live.axes[1].get_title().startswith(f"validation {history.val_acc[-1]:.1%} after epoch 2")
    assert plot.train_line.get_linestyle() != plot.val_line.get_linestyle()
    still = plot.still("the loss falls")
    assert still.png.startswith(b"\x89PNG") and repr(still) == "[still: the loss falls]"


def test_feature_view_shows_the_first_maps_of_the_chosen_layer(detector):
    model, scenes, _, _ = detector
    X = scenes["test"][0]
    view = feature_view(model, X[3], 1)
    relu = model[1](model[0](X[3:4]))[0]
    assert len(view["maps"]) == PANELS and view["name"] == "1: ReLU" and not view["signed"]
    np.testing.assert_allclose(view["maps"][2], relu[2])
    assert view["zeros"] == pytest.approx(float(np.mean(relu == 0)))
    assert view["p_red_car"] == pytest.approx(float(training.predict_proba(model, X[3:4])[0]), abs=1e-6)
    with pytest.raises(ValueError, match="not maps"):
        feature_view(model, X[3], 6)


def test_moving_the_explorer_changes_the_scene_the_layer_and_the_readout(detector):
    model, scenes, _, _ = detector
    X, y, kinds = scenes["test"]
    ex = feature_map_explorer(model, scenes["test"])
    ex.controls["scene"].value = 5
    assert np.allclose(ex.live.axes[0].images[0].get_array(), X[5].transpose(1, 2, 0))
    truth = "a red car" if y[5] else f"no red car ({kinds[5]})"
    assert f"scene 5: {truth}" in ex.readout.value
    ex.controls["layer"].value = 3  # the second convolution: 16 channels, signed
    shown = ex.live.axes[1 + PANELS - 1].images[0].get_array()
    np.testing.assert_allclose(shown, feature_view(model, X[5], 3)["maps"][PANELS - 1])
    assert "After 3: Conv2d, 0% of the numbers are exactly 0" in ex.readout.value
    ex.controls["layer"].value = 0
    assert ex.live.axes[1].get_title() == "channel 0 (hand-made start)"
    assert [label for label, _ in ex.controls["layer"].options] == [
        "0: Conv2d", "1: ReLU", "2: MaxPool2d", "3: Conv2d", "4: ReLU", "5: MaxPool2d"]


def test_the_explorer_builds_without_arguments_for_the_benchmark():
    ex = feature_map_explorer()
    assert "P(red car)" in ex.readout.value and ex.controls["scene"].max == 59


def test_with_the_steps_known_the_loss_axis_is_fixed_and_steps_redraw_only_the_line():
    from relulab import nn

    plot = TrainingPlot(num_epochs=2, steps_per_epoch=10, every=5)
    history = nn.History()
    for step in range(1, 21):
        history.loss.append(1.0 / step)
        plot(nn.Event("step", step, (step - 1) // 10 + 1, 1.0 / step, None, history=history))
        if step % 10 == 0:
            history.train_acc.append(0.8 + step / 100)
            history.val_acc.append(0.75 + step / 100)
            plot(nn.Event("epoch", step, step // 10, 0.5, None, history.train_acc[-1], history.val_acc[-1], history))
    assert plot.live.axes[0].get_xlim() == pytest.approx((0, 20 * 1.02))
    assert plot.live.axes[0].get_ylim()[1] == pytest.approx(2.0)  # twice the first loss
    np.testing.assert_allclose(plot.loss_line.get_data()[1], history.loss)
    assert plot.live.refreshes == 1 + 1 + 4 + 2  # first draw, first step, every 5 steps (5, 10, 15, 20), epochs
    assert plot.live.axes[1].get_title() == "validation 95.0% after epoch 2 (best 95.0%)"
