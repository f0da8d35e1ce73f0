"""Tests for relulab.experiments.gradients (keeping detail, gradient size per layer, timing) and its explorers."""

import numpy as np
import pytest

from relulab.experiments.gradients import (
    describe_shrink,
    gradient_profiles,
    keeps_detail,
    layer_gradient_sizes,
    shrink_factor,
    time_activations,
    time_layer,
)
from relulab.widgets import detail_explorer, gradient_explorer


def test_keeps_detail_reproduces_the_red_car_numbers():
    d = keeps_detail(10, 8)
    assert round(d["sigmoid_a"], 5) == 0.99995 and round(d["sigmoid_b"], 5) == 0.99966
    assert d["relu_a"] == 10 and d["relu_b"] == 8
    assert d["relu_diff"] == 2 and d["relu_ratio"] == 1.25
    assert d["sigmoid_diff"] < 3e-4 and abs(d["sigmoid_ratio"] - 1) < 3e-4
    assert d["sigmoid_slope_a"] < 1e-4 and d["relu_slope_a"] == 1


def test_keeps_detail_ratio_is_nan_when_relu_drops_the_second_score():
    d = keeps_detail(10, -3)
    assert d["relu_b"] == 0 and np.isnan(d["relu_ratio"])


def test_detail_explorer_moves_the_bars_and_readout():
    ex = detail_explorer()
    assert "0.99995 vs 0.99966" in ex.readout.value
    ex.controls["b"].value = -3.0
    sig_bars = ex.live.axes[0].patches
    relu_bars = ex.live.axes[1].patches
    assert relu_bars[1].get_height() == 0 and relu_bars[0].get_height() == 10
    assert abs(sig_bars[1].get_height() - 1 / (1 + np.exp(3))) < 1e-9
    assert "dropped to 0" in ex.readout.value


def test_sigmoid_gradient_vanishes_toward_the_input_but_relu_gradient_does_not():
    sig = layer_gradient_sizes(10, "sigmoid", width=32, batch=64)
    rel = layer_gradient_sizes(10, "relu", width=32, batch=64)
    assert sig.shape == rel.shape == (11,)
    assert shrink_factor(sig) > 1e4
    assert shrink_factor(rel) < 20


def test_layer_gradient_sizes_are_seeded():
    a = layer_gradient_sizes(4, "relu", width=16, batch=8, seed=5)
    assert np.array_equal(a, layer_gradient_sizes(4, "relu", width=16, batch=8, seed=5))


def test_shrink_factor_and_its_sentence():
    assert shrink_factor([1.0, 10.0, 100.0]) == 100
    assert "100 times smaller" in describe_shrink("sigmoid", 100.0)
    assert "4 times larger" in describe_shrink("tanh", 0.25)
    assert "about the same size" in describe_shrink("relu", 1.2)


def test_gradient_explorer_shows_the_precomputed_curves_for_the_chosen_depth():
    profiles = gradient_profiles(depths=range(2, 6), width=16, batch=16)
    ex = gradient_explorer(depth=3, profiles=profiles)
    ex.controls["depth"].value = 5
    lines = {line.get_label(): line for line in ex.live.axes[0].lines}
    assert np.allclose(lines["sigmoid"].get_ydata(), profiles["sigmoid"][5])
    assert list(lines["relu"].get_xdata()) == [1, 2, 3, 4, 5, 6]
    assert ex.readout.value.startswith("<b>5 hidden layers.</b>")
    for act in ("sigmoid", "tanh", "relu"):
        assert act + ":" in ex.readout.value
    assert ex.live.axes[0].get_yscale() == "log"


def test_timing_helpers_report_each_time_and_relate_ratios_and_shares_to_them():
    t = time_activations(n=10_000, repeats=2)
    assert all(t[k] > 0 for k in ("relu", "sigmoid", "tanh"))
    for name in ("sigmoid", "tanh"):
        assert t[f"ratio_{name}"] == pytest.approx(t[name] / t["relu"])
    layer = time_layer(batch=8, width=32, repeats=2)
    assert layer["matmul"] > 0
    for name in ("relu", "sigmoid", "tanh"):
        assert layer[f"share_{name}"] == pytest.approx(layer[name] / (layer["matmul"] + layer[name]))
        assert 0 < layer[f"share_{name}"] < 1
