"""Tests for relulab.experiments.gradients (keeping detail, gradient size per layer, timing) and its explorers."""

import numpy as np
import pytest

from relulab.activations import sigmoid
from relulab.experiments.gradients import (
    SIGMOIDS,
    describe_shrink,
    describe_signal,
    geometric_step,
    keeps_detail,
    layer_gradient_sizes,
    layer_signal_sizes,
    per_layer_factor,
    shrink_factor,
    shrink_text,
    signal_profiles,
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


def test_gradient_explorer_shows_the_precomputed_curves_for_the_chosen_depth_and_init():
    profiles = signal_profiles(depths=range(2, 6), width=16, batch=16)
    ex = gradient_explorer(depth=3, profiles=profiles)
    ex.controls["depth"].value = 5
    grad_lines = {line.get_label(): line for line in ex.live.axes[0].lines}
    output_lines = {line.get_label(): line for line in ex.live.axes[1].lines}
    assert np.allclose(grad_lines["sigmoid"].get_ydata(), profiles["usual"]["sigmoid"][5]["grad"])
    assert list(grad_lines["relu"].get_xdata()) == [1, 2, 3, 4, 5, 6]
    assert list(output_lines["relu"].get_xdata()) == [1, 2, 3, 4, 5]
    assert ex.readout.value.startswith("<b>5 hidden layers, usual")
    for act in ("sigmoid", "tanh", "relu"):
        assert act + ":" in ex.readout.value
    ex.controls["init"].value = "xavier"
    assert np.allclose(output_lines["relu"].get_ydata(), profiles["xavier"]["relu"][5]["output"])
    assert not np.allclose(output_lines["relu"].get_ydata(), profiles["he"]["relu"][5]["output"])
    assert "Xavier for all" in ex.readout.value
    assert all(ax.get_yscale() == "log" for ax in ex.live.axes)


def test_layer_signal_sizes_gradients_are_what_layer_gradient_sizes_reports():
    run = layer_signal_sizes(6, "tanh", width=16, batch=8)
    assert run["grad"].shape == (7,) and run["output"].shape == (6,)
    assert np.array_equal(run["grad"], layer_gradient_sizes(6, "tanh", width=16, batch=8))


def test_sigmoid_gradient_shrinks_by_a_steady_factor_per_layer_whatever_the_init():
    for init in ("he", "xavier"):
        grad = layer_signal_sizes(20, "sigmoid", init)["grad"]
        assert per_layer_factor(grad) > 3
        steps = grad[1:-1] / grad[:-2]
        assert np.all(steps[3:] > 2)  # not a few layers doing all of it: every layer loses a factor


def test_relu_outputs_hold_their_size_with_he_fade_with_xavier_and_grow_with_larger_weights():
    he = layer_signal_sizes(20, "relu", "he")["output"]
    xavier = layer_signal_sizes(20, "relu", "xavier")["output"]
    large = layer_signal_sizes(20, "relu", "he", gain=1.5)["output"]
    assert 0.9 < geometric_step(he) < 1.1
    assert 0.6 < geometric_step(xavier) < 0.8  # about 1 / sqrt(2): half the units are off
    assert geometric_step(large) > 1.3 and large[-1] > 1e3
    bounded = layer_signal_sizes(20, "tanh", "he", gain=1.5)["output"]
    assert bounded.max() < 1


def test_geometric_step_and_per_layer_factor():
    assert geometric_step([1.0, 2.0, 4.0, 8.0]) == pytest.approx(2)
    assert per_layer_factor([1.0, 3.0, 9.0, 1000.0]) == pytest.approx(3)  # the output layer is left out
    with pytest.raises(ValueError, match="two hidden layers"):
        per_layer_factor([1.0, 2.0])
    with pytest.raises(ValueError, match="init must be one of"):
        layer_signal_sizes(3, "relu", "kaiming")


def test_describe_signal_names_the_direction_of_each_change():
    text = describe_signal("sigmoid", [1.0, 4.0, 16.0, 5.0], [0.5, 0.5, 0.5])
    assert text == "sigmoid: gradient ÷4 per layer toward the input, outputs about level"
    text = describe_signal("relu", [1.0, 1.0, 1.0, 5.0], [1.0, 0.5, 0.25])
    assert text == "relu: gradient about level, outputs ÷2 per layer toward the output"
    assert shrink_text(4.3) == "÷4.3" and shrink_text(0.8) == "×1.2" and shrink_text(0.98) == "≈1"


def test_the_three_sigmoids_are_the_same_function_in_float32():
    x = np.linspace(-30, 30, 2001).astype(np.float32)
    for name, fn in SIGMOIDS.items():
        out = fn(x)
        assert out.dtype == np.float32, name
        assert np.allclose(out, sigmoid(x.astype(np.float64)), atol=1e-6), name


def test_timing_helpers_report_each_time_and_relate_ratios_and_shares_to_them():
    t = time_activations(n=10_000, repeats=2)
    assert all(t[k] > 0 for k in ("relu", "sigmoid", "tanh", "sigmoid_plain", "sigmoid_tanh"))
    for name in ("sigmoid", "tanh", "sigmoid_plain", "sigmoid_tanh"):
        assert t[f"ratio_{name}"] == pytest.approx(t[name] / t["relu"])
    layer = time_layer(batch=8, width=32, repeats=2)
    assert layer["matmul"] > 0
    for name in ("relu", "sigmoid", "tanh"):
        assert layer[f"share_{name}"] == pytest.approx(layer[name] / (layer["matmul"] + layer[name]))
        assert 0 < layer[f"share_{name}"] < 1


def test_signal_profiles_usual_init_is_he_for_relu_and_xavier_for_the_others():
    profiles = signal_profiles(depths=range(2, 4), width=8, batch=8)
    assert set(profiles) == {"usual", "he", "xavier"}
    assert np.array_equal(profiles["usual"]["relu"][3]["grad"], profiles["he"]["relu"][3]["grad"])
    for act in ("sigmoid", "tanh"):
        assert np.array_equal(profiles["usual"][act][3]["output"], profiles["xavier"][act][3]["output"])
        assert not np.array_equal(profiles["usual"][act][3]["output"], profiles["he"][act][3]["output"])
