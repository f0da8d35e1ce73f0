"""Tests for relulab.experiments.descent (gradient descent on one weight) and its explorer."""

import numpy as np
import pytest

from relulab.experiments.descent import (
    NUM_STEPS,
    VERDICTS,
    W0,
    best_weight,
    descent_path,
    largest_stable_lr,
    loss,
    loss_slope,
)
from relulab.widgets import descent_explorer


def test_loss_slope_matches_a_numerical_slope_and_is_zero_at_the_best_weight():
    for w in (-1.0, 0.3, 2.0, 4.5):
        numerical = (loss(w + 1e-6) - loss(w - 1e-6)) / 2e-6
        assert loss_slope(w) == pytest.approx(numerical, rel=1e-6)
    assert abs(loss_slope(best_weight())) < 1e-12
    assert loss(best_weight()) < loss(best_weight() + 0.1) and loss(best_weight()) < loss(best_weight() - 0.1)


def test_each_step_moves_against_the_slope_by_lr_times_the_slope():
    path = descent_path(0.2)
    assert path.weights[0] == W0 and len(path.weights) == NUM_STEPS + 1
    for w, w_next in zip(path.weights[:-1], path.weights[1:], strict=True):
        assert w_next == pytest.approx(w - 0.2 * loss_slope(w))
    assert np.allclose(path.losses, loss(path.weights))


@pytest.mark.parametrize("lr, verdict", [(0.02, "too small"), (0.1, "too small"), (0.3, "about right"),
                                         (0.6, "about right"), (0.75, "too large"), (0.9, "diverging"),
                                         (1.0, "diverging")])
def test_verdicts_name_what_the_steps_did(lr, verdict):
    assert descent_path(lr).verdict == verdict


def test_verdicts_come_in_order_as_the_learning_rate_grows():
    seen = [descent_path(lr).verdict for lr in np.arange(0.01, 1.2, 0.01)]
    order = [VERDICTS.index(v) for v in seen]
    assert order == sorted(order) and set(seen) == set(VERDICTS)


def test_divergence_starts_just_above_the_largest_stable_rate():
    edge = largest_stable_lr()
    assert descent_path(edge * 0.99).verdict != "diverging"
    assert descent_path(edge * 1.01, num_steps=50).verdict == "diverging"


def test_descriptions_agree_with_the_numbers():
    small = descent_path(0.02)
    assert "too small" in small.describe() and f"{small.weights[-1]:.2f}" in small.describe()
    right = descent_path(0.3)
    assert right.steps_to_bottom == 4 and "in 4 steps" in right.describe() and right.overshoots == 0
    assert "once" in descent_path(0.43).describe() and "2 times" in descent_path(0.45).describe()
    wild = descent_path(1.0)
    assert f"{wild.losses[-1]:.3g}" in wild.describe() and wild.losses[-1] > 100 * wild.losses[0]


def test_a_learning_rate_that_is_not_positive_gets_a_sentence():
    with pytest.raises(ValueError, match="positive number"):
        descent_path(0)
    with pytest.raises(ValueError, match="positive number"):
        descent_path(-0.1)


def test_descent_explorer_draws_the_path_and_names_the_verdict():
    ex = descent_explorer(lr=0.3)
    assert "about right" in ex.readout.value
    ex.controls["lr"].value = 0.05
    path_line = ex.live.axes[0].lines[2]
    assert np.allclose(path_line.get_xdata(), descent_path(0.05).weights)
    assert "too small" in ex.readout.value
    ex.controls["lr"].value = 1.0
    loss_line = ex.live.axes[1].lines[-1]
    assert len(loss_line.get_ydata()) == NUM_STEPS + 1 and loss_line.get_ydata()[-1] > 1e3
    assert "diverging" in ex.readout.value
