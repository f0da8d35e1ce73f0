"""relulab.experiments.showdown (notebook 08): the showdown's CNN, one training run, a grid, and reading it."""

import math
import warnings

import numpy as np
import pytest

from relulab import nn
from relulab.experiments import showdown as sd


@pytest.fixture(scope="module")
def tiny():
    """64 training and 32 test digits: enough for the bookkeeping, in a fraction of a second per run."""
    X_train, y_train, X_test, y_test = sd.digits_data()
    return X_train[:64], y_train[:64], X_test[:32], y_test[:32]


@pytest.mark.parametrize("activation", sd.ORDER)
@pytest.mark.parametrize("depth, convs", [(1, 1), (3, 3)])
def test_showdown_cnn_has_depth_convolutions_each_followed_by_the_activation(activation, depth, convs):
    model = sd.showdown_cnn(activation, depth, size=8, num_classes=10)
    kinds = [type(layer).__name__ for layer in model]
    assert kinds.count("Conv2d") == convs and kinds.count("MaxPool2d") == 2
    for i, kind in enumerate(kinds):
        if kind == "Conv2d":
            assert type(model[i + 1]) is sd.ACTIVATIONS[activation].layer
    assert model(np.zeros((2, 1, 8, 8), np.float32)).shape == (2, 10)
    assert sd.showdown_cnn(activation, depth, size=25, num_classes=2)(np.zeros((1, 1, 25, 25))).shape == (1, 2)


def test_showdown_cnn_is_seeded_and_uses_xavier_for_squashing_functions():
    a, b = sd.showdown_cnn("relu", 2, seed=4), sd.showdown_cnn("relu", 2, seed=4)
    assert np.array_equal(a[0].weight.data, b[0].weight.data)
    assert not np.array_equal(a[0].weight.data, sd.showdown_cnn("relu", 2, seed=5)[0].weight.data)
    he, xavier = sd.showdown_cnn("relu", 2, seed=0)[3].weight.data, sd.showdown_cnn("tanh", 2, seed=0)[3].weight.data
    assert he.std() > 1.2 * xavier.std()  # He: sqrt(2 / fan_in); Xavier: sqrt(2 / (fan_in + fan_out))


@pytest.mark.parametrize("bad, words", [({"activation": "swish"}, "activation must be one of"),
                                        ({"depth": 0}, "depth is the number of convolutions"),
                                        ({"depth": 1.5}, "depth is the number of convolutions"),
                                        ({"size": 3}, "at least 4 × 4")])
def test_showdown_cnn_refuses_what_it_cannot_build_with_a_sentence(bad, words):
    with pytest.raises(ValueError, match=words):
        sd.showdown_cnn(**bad)


def test_as_images_reshapes_square_rows_and_refuses_others():
    assert sd.as_images(np.zeros((3, 625))).shape == (3, 1, 25, 25)
    with pytest.raises(ValueError, match="not a square number"):
        sd.as_images(np.zeros((3, 10)))


def test_weight_layers_are_the_convolutions_and_the_linear_not_prelu():
    assert sd.weight_layers(sd.showdown_cnn("prelu", 2)) == ["0: Conv2d", "3: Conv2d", "7: Linear"]


@pytest.fixture(scope="module")
def run(tiny):
    return sd.train_run(tiny, "relu", depth=2, lr=0.05, seed=0, num_epochs=3, batch_size=16)


def test_train_run_records_every_epoch(run):
    for key in ("train_error", "loss", "test_acc", "seconds"):
        assert run[key].shape == (3,) and np.all(np.isfinite(run[key])), key
    assert np.all(np.diff(run["seconds"]) > 0)
    assert list(run["grad_norms"]) == ["0: Conv2d", "3: Conv2d", "7: Linear"]
    assert all(np.all(v > 0) for v in run["grad_norms"].values())
    assert run["test_acc_final"] == run["test_acc"][-1] and not run["diverged"]
    assert set(run["dead"]) == set(run["zeros"]) == {"1: ReLU", "4: ReLU"}
    assert all(0 <= run["dead"][k] <= run["units"][k] == sd.CHANNELS for k in run["dead"])
    assert all(0 < v < 1 for v in run["zeros"].values())


def test_train_run_is_reproducible_from_its_seed(tiny, run):
    again = sd.train_run(tiny, "relu", depth=2, lr=0.05, seed=0, num_epochs=3, batch_size=16)
    np.testing.assert_array_equal(again["train_error"], run["train_error"])
    np.testing.assert_array_equal(again["grad_norms"]["0: Conv2d"], run["grad_norms"]["0: Conv2d"])
    other = sd.train_run(tiny, "relu", depth=2, lr=0.05, seed=1, num_epochs=3, batch_size=16)
    assert not np.array_equal(other["loss"], run["loss"])


def test_train_run_test_accuracy_is_the_models_own(tiny):
    """The recorded accuracy matches the trained model measured independently (same seed, reference path)."""
    result = sd.train_run(tiny, "tanh", depth=1, lr=0.1, seed=3, num_epochs=2, batch_size=16)
    assert 0 <= result["test_acc_final"] <= 1
    assert result["zeros"] == {"1: Tanh": 0.0}  # tanh is never exactly 0 on real pictures
    assert result["alpha"] is None


def test_prelu_runs_report_their_learned_slopes(tiny):
    result = sd.train_run(tiny, "prelu", depth=2, lr=0.05, seed=0, num_epochs=2, batch_size=16)
    assert result["alpha"].shape == (2,) and not np.allclose(result["alpha"], 0.25)


def test_a_run_that_blows_up_is_marked_and_padded_with_nan_without_warnings(tiny):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the blow-up is recorded, not warned about
        result = sd.train_run(tiny, "prelu", depth=3, lr=5.0, seed=0, num_epochs=3, batch_size=16)
    assert result["diverged"] and np.isnan(result["train_error"][-1]) and "loss became nan" in result["message"]
    assert result["dead"] == {} and math.isnan(result["test_acc_final"])
    assert sd.epochs_to_error(result["train_error"], 0.5) is None


@pytest.mark.parametrize("errors, threshold, expected", [
    ([0.6, 0.3, 0.2, 0.25], 0.25, 3),
    ([0.6, 0.25, 0.2], 0.25, 2),  # "at most": reaching the threshold exactly counts
    ([0.1, 0.3], 0.25, 1),  # counted from 1
    ([0.9, 0.8], 0.25, None),
    ([0.9, np.nan, np.nan], 0.25, None),
    ([], 0.25, None),
])
def test_epochs_to_error_is_the_first_epoch_at_or_below_the_threshold(errors, threshold, expected):
    assert sd.epochs_to_error(errors, threshold) == expected


def _fake(errors, seconds=None):
    errors = np.array(errors, dtype=float)
    seconds = np.arange(1, len(errors) + 1) * 0.5 if seconds is None else np.array(seconds)
    return {"train_error": errors, "seconds": seconds, "test_acc": 1 - errors, "loss": errors,
            "test_acc_final": 1 - errors[-1], "diverged": False, "dead": {"1: ReLU": 0}, "units": {"1: ReLU": 8},
            "zeros": {"1: ReLU": 0.5}}


@pytest.fixture
def fake_grid():
    """ReLU reaches 10% in 2 epochs at lr 0.1 and 4 at lr 0.01; tanh in 6 at 0.01 and never at 0.1."""
    relu_fast, relu_slow = [0.5, 0.1, 0.05, 0.0, 0.0, 0.0], [0.5, 0.4, 0.2, 0.1, 0.1, 0.1]
    tanh_slow, tanh_never = [0.8, 0.6, 0.4, 0.3, 0.2, 0.1], [0.9] * 6
    grid = {}
    for seed in (0, 1, 2):
        grid[("relu", 1, 0.01, seed)] = _fake(relu_slow)
        grid[("relu", 1, 0.1, seed)] = _fake(relu_fast)
        grid[("tanh", 1, 0.01, seed)] = _fake(tanh_slow)
        grid[("tanh", 1, 0.1, seed)] = _fake(tanh_never)
    return grid


def test_seconds_to_error_reads_the_clock_at_that_epoch():
    assert sd.seconds_to_error(_fake([0.5, 0.3, 0.1], [0.2, 0.5, 0.9]), 0.25) == 0.9
    assert sd.seconds_to_error(_fake([0.5, 0.3]), 0.25) is None


def test_best_lr_and_speedup_at_best_and_at_a_shared_rate(fake_grid):
    assert sd.keys_of(fake_grid) == {"activation": ["relu", "tanh"], "depth": [1], "lr": [0.01, 0.1],
                                     "seed": [0, 1, 2]}
    assert sd.best_lr(fake_grid, "relu", 1, 0.1) == 0.1 and sd.best_lr(fake_grid, "tanh", 1, 0.1) == 0.01
    best = sd.speedup(fake_grid, 1, 0.1)
    assert best["ratio"] == 3.0 and best["epochs"] == {"relu": 2.0, "tanh": 6.0}
    assert best["lr"] == {"relu": 0.1, "tanh": 0.01} and best["seconds"] == {"relu": 1.0, "tanh": 3.0}
    assert sd.speedup(fake_grid, 1, 0.1, lr=0.01)["ratio"] == 1.5
    assert sd.speedup(fake_grid, 1, 0.1, lr=0.1)["ratio"] == math.inf


def test_median_epochs_counts_a_seed_that_never_arrives_as_infinitely_many(fake_grid):
    fake_grid[("relu", 1, 0.01, 2)] = _fake([0.9] * 6)
    assert sd.median_epochs(fake_grid, "relu", 1, 0.01, 0.1) == 4.0
    fake_grid[("relu", 1, 0.01, 1)] = _fake([0.9] * 6)
    assert sd.median_epochs(fake_grid, "relu", 1, 0.01, 0.1) == math.inf
    with pytest.raises(KeyError, match="no runs for relu, depth 2"):
        sd.runs_of(fake_grid, "relu", 2, 0.01)


def test_the_fastest_epoch_is_the_shortest_of_any_seed(fake_grid):
    fake_grid[("relu", 1, 0.1, 1)]["seconds"] = np.array([0.5, 0.7, 1.5, 2.0, 2.5, 3.0])
    assert sd.final_table(fake_grid, 1)[0]["fastest_epoch"] == pytest.approx(0.2)


def test_final_table_has_a_row_per_activation(fake_grid):
    rows = sd.final_table(fake_grid, 1)
    assert [r["activation"] for r in rows] == ["relu", "tanh"]
    assert rows[0]["lr"] == 0.1 and rows[0]["epochs"] == 2.0 and rows[0]["train_error"] == 0.0
    assert rows[1]["fastest_epoch"] == pytest.approx(0.5) and rows[1]["seeds"] == 3
    np.testing.assert_allclose(sd.mean_curve(fake_grid, "tanh", 1, 0.1), [0.9] * 6)


def test_run_grid_runs_every_combination_and_calls_progress(tiny):
    seen = []

    def progress(iterable, desc):
        seen.append(desc)
        return iterable

    grid = sd.run_grid(tiny, activations=("relu", "sigmoid"), depths=(1,), lrs=(0.1,), seeds=(0, 1), num_epochs=1,
                       progress=progress)
    assert sorted(grid) == [("relu", 1, 0.1, 0), ("relu", 1, 0.1, 1), ("sigmoid", 1, 0.1, 0), ("sigmoid", 1, 0.1, 1)]
    assert seen == ["training runs"]
    assert all(run["train_error"].shape == (1,) for run in grid.values())


def test_the_notebooks_digits_are_a_fixed_small_split():
    X_train, y_train, X_test, y_test = sd.digits_data()
    assert X_train.shape == (sd.DIGITS_TRAIN, 64) and X_test.shape == (sd.DIGITS_TEST, 64)
    assert nn.get_dtype() == X_train.dtype
