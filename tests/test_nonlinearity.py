"""Tests for relulab.experiments.nonlinearity (collapsing linear layers, the moons, ReLU hinges) and its explorer."""

import numpy as np
import pytest

from relulab.activations import relu
from relulab.data import moons
from relulab.experiments.models import mlp
from relulab.experiments.nonlinearity import (
    best_runs,
    bumpy,
    collapse_linear,
    decision_grid,
    epochs_to_accuracy,
    fit_hinges,
    hidden_health,
    hinge_features,
    race_health,
    race_to_accuracy,
    stacked_vs_collapsed,
    train_moons,
)
from relulab.widgets import hinge_explorer


def test_collapse_linear_gives_the_single_layer_that_equals_two_stacked_layers():
    rng = np.random.default_rng(1)
    W1, b1, W2, b2 = rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=(2, 4)), rng.normal(size=2)
    W, b = collapse_linear(W1, b1, W2, b2)
    x = rng.normal(size=3)
    assert W.shape == (2, 3) and b.shape == (2,)
    assert np.allclose(W2 @ (W1 @ x + b1) + b2, W @ x + b)


def test_stacked_linear_layers_match_collapsed_layer_but_not_with_relu_between():
    plain = stacked_vs_collapsed(seed=0)
    assert plain["same"] and plain["max_diff"] < 1e-12
    bent = stacked_vs_collapsed(seed=0, activation=relu)
    assert not bent["same"] and bent["max_diff"] > 0.1


def test_relu_network_beats_linear_model_on_moons():
    linear = train_moons(None, num_epochs=20)
    net = train_moons("relu", num_epochs=40)
    assert linear["test_acc"] < 0.9
    assert net["test_acc"] > 0.93
    xs, ys, p1 = decision_grid(net["model"], moons(50)[0], resolution=20)
    assert p1.shape == (20, 20) and np.all((p1 >= 0) & (p1 <= 1))


def test_train_moons_is_deterministic_for_a_seed():
    a, b = train_moons("relu", num_epochs=5, seed=2), train_moons("relu", num_epochs=5, seed=2)
    assert a["history"].loss == b["history"].loss


def test_epochs_to_accuracy_stops_at_target_or_reports_none():
    reached = epochs_to_accuracy("relu", lr=0.3, seed=0, target=0.9, max_epochs=50)
    assert reached["epochs"] is not None and reached["epochs"] <= 50 and reached["test_acc"] >= 0.9
    never = epochs_to_accuracy("sigmoid", lr=0.01, seed=0, target=0.99, max_epochs=3)
    assert never["epochs"] is None


def test_hinge_features_have_constant_line_and_one_hinge_per_knot():
    A = hinge_features(np.array([-1.0, 0.0, 2.0]), [0.5, 1.0])
    assert np.allclose(A, [[1, -1, 0, 0], [1, 0, 0, 0], [1, 2, 1.5, 1.0]])


def test_fit_hinges_with_zero_hinges_is_a_straight_line():
    x = np.linspace(-1, 1, 50)
    fit = fit_hinges(x, 3 * x - 1, 0)
    assert fit["knots"].shape == (0,) and fit["error"] < 1e-10
    assert np.allclose(fit["weights"], [-1, 3])


def test_fit_hinges_is_exact_on_a_relu_with_a_knot_in_the_right_place():
    x = np.linspace(-1, 1, 101)
    fit = fit_hinges(x, relu(x), 1)  # the single knot sits at 0
    assert np.allclose(fit["knots"], [0.0]) and fit["error"] < 1e-10


def test_fit_hinges_error_falls_with_many_hinges():
    x = np.linspace(-np.pi, np.pi, 400)
    errors = [fit_hinges(x, bumpy(x), n)["error"] for n in (0, 5, 10, 20, 30)]
    assert errors == sorted(errors, reverse=True)
    assert errors[0] > 0.5 and errors[-1] < 0.02
    fit = fit_hinges(x, bumpy(x), 7)
    assert fit["pred"].shape == x.shape and len(fit["knots"]) == 7 and len(fit["weights"]) == 9
    assert fit["max_error"] >= fit["error"]


def test_hinge_explorer_redraws_the_fit_and_reports_the_error_when_n_changes():
    ex = hinge_explorer(n=3)
    assert "3 hinges" in ex.readout.value
    ex.controls["n"].value = 20
    x = np.linspace(-np.pi, np.pi, 400)
    fit = fit_hinges(x, bumpy(x), 20)
    fit_line, knot_marks = ex.live.axes[0].lines[1:3]
    assert np.allclose(fit_line.get_ydata(), fit["pred"])
    assert len(knot_marks.get_xdata()) == 20
    assert f"{fit['error']:.3f}" in ex.readout.value and "20 hinges" in ex.readout.value
    ex.controls["n"].value = 1
    assert "1 hinge:" in ex.readout.value


@pytest.mark.parametrize("n", [0, 30])
def test_hinge_explorer_handles_the_slider_ends(n):
    ex = hinge_explorer(n=n)
    assert f"{n} hinges" in ex.readout.value


def test_explorer_layout_is_frozen_after_the_first_draw_so_redraws_are_cheap():
    ex = hinge_explorer(n=2)
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    assert not isinstance(ex.live.figure.get_layout_engine(), ConstrainedLayoutEngine)
    assert ex.live.refreshes == 1


def test_hidden_health_counts_dead_relu_units_and_stuck_tanh_units():
    X = moons(50)[0]
    dead = mlp([2, 8, 8, 2], "relu", bias_init=-100.0, rng=np.random.default_rng(0))
    health = hidden_health(dead, X)
    assert health["units"] == 16 and health["dead"] == 16 and health["stuck"] == 0
    healthy = mlp([2, 8, 8, 2], "relu", rng=np.random.default_rng(0))
    assert hidden_health(healthy, X)["dead"] < 8
    pinned = mlp([2, 8, 8, 2], "tanh", bias_init=100.0, rng=np.random.default_rng(0))
    health = hidden_health(pinned, X)
    assert health["stuck"] == 16 and health["saturated"] == 1.0 and health["dead"] == 0


def test_a_too_large_step_kills_relu_units_and_saturates_tanh_units():
    race = {lr: race_to_accuracy({"relu": lr, "tanh": lr}, seeds=(0,), max_epochs=40) for lr in (0.1, 1.0)}
    health = race_health(race, seeds=(0,))
    assert health[1.0]["relu"][0]["dead"] > 16 > health[0.1]["relu"][0]["dead"]
    assert health[1.0]["tanh"][0]["saturated"] > 0.9 > health[0.1]["tanh"][0]["saturated"]
    assert race[1.0]["relu"][0]["epochs"] is None and race[0.1]["relu"][0]["epochs"] is not None


def test_best_runs_picks_the_rate_with_fewest_median_epochs_among_complete_ones():
    def runs(*epochs):
        return [{"epochs": e, "seconds": 0.1 * (e or 0)} for e in epochs]

    race = {0.1: {"relu": runs(9, 6, 6), "sigmoid": runs(118, None, 88)},
            0.3: {"relu": runs(6, 5, 4), "sigmoid": runs(55, 68, 50)},
            1.0: {"relu": runs(None, None, None), "sigmoid": runs(31, 45, 39)}}
    best = best_runs(race)
    assert best["relu"] == {"lr": 0.3, "epochs": 5.0, "seconds": pytest.approx(0.5)}
    assert best["sigmoid"]["lr"] == 1.0 and best["sigmoid"]["epochs"] == 39
    assert best_runs({1.0: {"relu": runs(None, 3)}})["relu"] is None
