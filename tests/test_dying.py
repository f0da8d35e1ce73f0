"""Notebook 04's experiments and explorers: sparsity, dead units, the leaky fixes."""

import numpy as np
import pytest

from relulab import nn
from relulab.data import digits
from relulab.experiments import dying
from relulab.experiments.models import make_activation
from relulab.widgets import dying_explorer, dying_view, leaky_explorer, leaky_view

LRS, BIASES = (0.3, 1.0), (0.0, -1.0)


@pytest.fixture(scope="module")
def data():
    return digits()


@pytest.fixture(scope="module")
def small_grid(data):
    return dying.dying_grid(LRS, BIASES, data=data, num_epochs=2)


def test_digits_mlp_is_seeded_and_sets_bias():
    a, b = dying.digits_mlp(bias_init=-1.0, seed=3), dying.digits_mlp(bias_init=-1.0, seed=3)
    assert np.array_equal(a[0].weight.data, b[0].weight.data)
    assert np.all(a[0].bias.data == -1.0) and np.all(a[2].bias.data == -1.0)
    assert isinstance(dying.digits_mlp("prelu")[1], nn.PReLU)
    with pytest.raises(ValueError):
        make_activation("swish")


def test_never_positive_units_equals_nn_dead_units_for_relu(data):
    model = dying.digits_mlp(bias_init=-0.5)
    ours = dying.never_positive_units(model, data[0])
    assert ours == nn.dead_units(model, data[0])
    assert sum(ours.values()) > 0


def test_sparsity_of_trained_relu_network_is_substantial(data):
    model, accs = dying.train_digits_mlp(data, num_epochs=5)
    assert accs["test_acc"] > 0.85
    report = dying.sparsity(model, data[2])
    assert set(report["per_layer"]) == {"1: ReLU", "3: ReLU"}
    assert report["per_input"].shape == (597,) and report["active"].shape == (597, 64)
    assert 0.2 < report["per_input"].mean() < 0.8
    assert np.allclose(1 - report["active"].mean(axis=1), report["per_input"])


def test_relu_unit_with_negative_input_everywhere_gets_zero_gradient_and_never_changes():
    frozen = dying.frozen_unit_demo("relu", num_steps=3)
    assert frozen["pre_max"] < 0
    assert frozen["identical"] and np.all(frozen["grad"] == 0)
    assert frozen["others_changed"]


def test_leaky_unit_with_negative_input_everywhere_still_learns():
    thawed = dying.frozen_unit_demo("leaky_relu", num_steps=3)
    assert not thawed["identical"] and np.any(thawed["grad"] != 0)


def test_silent_unit_gradient_is_exactly_zero_only_for_relu(data):
    X, y = data[0][:300], data[1][:300]
    grads = {act: dying.silent_unit_gradient(dying.digits_mlp(act, bias_init=-1.0), X, y) for act in dying.COMPARED}
    assert grads["relu"]["silent"] > 0 and grads["relu"]["grad_norm"] == 0.0
    assert grads["leaky_relu"]["grad_norm"] > 0 and grads["prelu"]["grad_norm"] > 0


def test_dying_run_records_dead_units_every_step_and_is_deterministic(data):
    a = dying.dying_run(0.3, -1.0, data=data, num_epochs=1)
    b = dying.dying_run(0.3, -1.0, data=data, num_epochs=1)
    assert len(a["dead"]) == 1 + 19 and a["total_units"] == 64
    assert np.array_equal(a["dead"], b["dead"]) and a["test_acc"] == b["test_acc"]
    assert a["dead"][0] > 30  # a bias of -1 kills most units before training


def test_negative_bias_kills_relu_but_leaky_and_prelu_revive(data):
    runs = {act: dying.dying_run(0.3, -1.0, act, data=data, num_epochs=3) for act in dying.COMPARED}
    assert runs["relu"]["dead"][-1] >= 35
    assert runs["leaky_relu"]["dead"][-1] < runs["relu"]["dead"][-1]
    assert runs["prelu"]["dead"][-1] < 10 and runs["prelu"]["alpha"].shape == (2,)
    assert runs["prelu"]["test_acc"] > runs["relu"]["test_acc"]


def test_diverging_run_is_reported_not_raised(data):
    run = dying.dying_run(1.0, 0.0, "leaky_relu", data=data)
    assert run["diverged"] and np.isnan(run["test_acc"])


def test_grid_table_and_dying_view(small_grid):
    table = dying.grid_table(small_grid, "relu", LRS, BIASES)
    assert table.shape == (2, 2)
    assert table[0, 1] > table[0, 0]  # bias -1 leaves more dead units than bias 0
    shown = dying_view(small_grid, 0.3, -1.0)
    assert set(shown["curves"]) == {"relu", "leaky_relu"}
    assert "lr 0.3" in shown["text"] and "starting bias −1" in shown["text"]
    with pytest.raises(KeyError):
        dying_view(small_grid, 0.123, 0.0)


def test_dying_explorer_updates_curves_and_bars_when_sliders_move(small_grid):
    ex = dying_explorer(small_grid, lr=0.3, bias_init=0.0)
    relu_line = ex.live.axes[0].lines[0]
    assert np.array_equal(relu_line.get_ydata(), small_grid[("relu", 0.3, 0.0)]["dead"])
    ex.controls["bias_init"].value = -1.0
    assert np.array_equal(relu_line.get_ydata(), small_grid[("relu", 0.3, -1.0)]["dead"])
    assert "starting bias −1" in ex.readout.value
    heights = [bar.get_height() for bar in ex.live.axes[1].patches]
    assert heights[0] == pytest.approx(small_grid[("relu", 0.3, -1.0)]["test_acc"])
    ex.controls["lr"].value = 1.0
    assert "lr 1" in ex.readout.value and ex.live.refreshes >= 3


def test_leaky_view_scales_negative_inputs_by_negative_slope():
    shown = leaky_view(0.2, x=-2.0)
    assert shown["y"] == pytest.approx(-0.4) and shown["slope"] == pytest.approx(0.2)
    assert "negative_slope = 0.20" in shown["text"]
    assert leaky_view(0.0)["y"] == 0.0


def test_leaky_explorer_redraws_curve_and_slope_for_new_negative_slope():
    ex = leaky_explorer(negative_slope=0.1)
    curve, point = ex.live.axes[0].lines[1], ex.live.axes[0].lines[2]
    slope = ex.live.axes[1].lines[0]
    ex.controls["negative_slope"].value = 0.5
    x = curve.get_xdata()
    assert np.allclose(curve.get_ydata()[x < 0], 0.5 * x[x < 0])
    assert np.allclose(slope.get_ydata()[x < 0], 0.5)
    assert point.get_ydata()[0] == pytest.approx(-1.0)
    assert "negative_slope = 0.50" in ex.readout.value


def test_dead_per_layer_adds_up_and_first_layer_relu_units_never_revive_under_plain_sgd(data):
    run = dying.dying_run(0.3, -1.0, data=data, num_epochs=8)
    per_layer = run["dead_per_layer"]
    assert per_layer.shape == (len(run["dead"]), 2)
    assert np.array_equal(per_layer.sum(axis=1), run["dead"])
    layer1, layer2 = per_layer.T
    # a dead first-layer unit reads fixed pixels: it gets no gradient, so the count can only grow
    assert np.all(np.diff(layer1) >= 0)
    # a second-layer unit reads layer 1's changing outputs: some come back
    assert layer2.min() < layer2[0]
    assert run["test_acc_per_epoch"].shape == (8,) and run["test_acc_per_epoch"][-1] == run["test_acc"]


def test_variants_start_from_the_same_weights_so_only_layer_two_dead_counts_differ(data):
    nets = {label: dying.digits_mlp(act, bias_init=-1.0, negative_slope=slope)
            for label, (act, slope) in dying.VARIANTS.items()}
    counts = {label: dying.never_positive_units(net, data[0]) for label, net in nets.items()}
    first = {list(c.values())[0] for c in counts.values()}
    second = {list(c.values())[1] for c in counts.values()}
    assert len(first) == 1  # identical first layers
    assert len(second) > 1  # ReLU passes 0, the leaky ones pass negative_slope * x: layer 2 sees different inputs
    for net in nets.values():
        assert np.array_equal(net[2].weight.data, nets["ReLU"][2].weight.data)


def test_compare_variants_uses_each_negative_slope(data):
    runs = dying.compare_variants(data=data, num_epochs=1)
    assert list(runs) == list(dying.VARIANTS)
    assert runs["Leaky ReLU 0.01"]["dead"][0] != runs["Leaky ReLU 0.1"]["dead"][0] or \
        not np.array_equal(runs["Leaky ReLU 0.01"]["dead"], runs["Leaky ReLU 0.1"]["dead"])
    assert runs["PReLU"]["alpha_per_epoch"].shape == (1, 2) and runs["ReLU"]["alpha_per_epoch"] is None


def test_seed_runs_differ_by_seed_and_repeat_for_the_same_seed(data):
    a = dying.seed_runs(0.3, 0.0, seeds=[0, 1], data=data, num_epochs=1)
    b = dying.seed_runs(0.3, 0.0, seeds=[0], data=data, num_epochs=1)
    assert len(a) == 2 and np.array_equal(a[0]["dead"], b[0]["dead"])
    assert a[0]["test_acc"] != a[1]["test_acc"] or not np.array_equal(a[0]["dead"], a[1]["dead"])


def test_large_learning_rate_kills_most_relu_units_in_every_seed(data):
    runs = dying.seed_runs(1.5, 0.0, seeds=range(3), data=data, num_epochs=2)
    assert all(r["dead"][-1] > 32 for r in runs)


def test_zero_shares_count_exact_zeros_and_tanh_has_none(data):
    baselines = dying.sparsity_baselines(data, num_epochs=2)
    assert set(baselines) == {"ReLU, untrained", "ReLU, trained", "tanh, trained"}
    assert baselines["tanh, trained"]["exactly_zero"] == 0.0
    assert 0.3 < baselines["ReLU, untrained"]["exactly_zero"] < 0.7
    for shares in baselines.values():
        assert shares["near_zero"] >= shares["exactly_zero"]


def test_matmul_seconds_times_each_zero_fraction_and_rejects_bad_shares():
    seconds = dying.matmul_seconds((0.0, 0.5), size=32, repeats=3)
    assert set(seconds) == {0.0, 0.5} and all(s > 0 for s in seconds.values())
    with pytest.raises(ValueError, match="between 0 and 1"):
        dying.matmul_seconds((50,), size=8, repeats=1)


def test_dying_explorer_tells_activations_apart_by_line_style_as_well_as_colour(small_grid):
    ex = dying_explorer(small_grid, lr=0.3, bias_init=0.0)
    lines = ex.live.axes[0].lines
    assert len({line.get_linestyle() for line in lines}) == len(lines)
    assert len({line.get_marker() for line in lines}) == len(lines)


def test_what_the_dying_explorer_still_says_holds_at_its_default_values(data):
    """The notebook's still under the explorer states these facts about lr 0.3, bias −1, 6 epochs."""
    relu = dying.dying_run(0.3, -1.0, "relu", data=data)
    leaky = dying.dying_run(0.3, -1.0, "leaky_relu", data=data)
    assert len(relu["dead"]) == 115  # 114 steps, and the count before the first
    assert relu["dead"].min() > 40
    assert leaky["dead"][-1] < 30
    assert leaky["test_acc"] > relu["test_acc"]
