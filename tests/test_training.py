"""Notebook 07's experiments: the red-car CNN, its hand-made start, training, and looking inside it."""

import numpy as np
import pytest

from relulab import data, nn
from relulab.experiments import detector, training


@pytest.fixture(scope="module")
def small_data():
    return data.red_car_splits(num_train=400, num_val=100, num_test=200, seed=5)


@pytest.fixture(scope="module")
def trained(small_data):
    model = training.red_car_cnn(seed=0)
    history = training.train(model, small_data, num_epochs=3, workers=1)
    return model, history


def test_the_hand_made_filter_scores_a_window_as_notebook_02_scores_a_patch():
    weight, bias = training.hand_made_filter()
    scene = data.make_scene(seed=3)["image"]
    window = scene[70:73, 40:43]  # any 3 × 3 window
    by_filter = float(np.sum(weight * window.transpose(2, 0, 1)) + bias)
    by_detector = float(detector.score_map(window, patch=3)[0, 0])
    assert by_filter == pytest.approx(by_detector, abs=1e-6)


def test_red_car_cnn_has_the_layers_and_size_asked_and_starts_from_the_hand_made_filter():
    model = training.red_car_cnn((8, 16), seed=0)
    assert model(np.zeros((2, 3, 32, 32), dtype=np.float32)).shape == (2, 2)
    assert training.parameter_count(model) == 224 + 1168 + 16 * 8 * 8 * 2 + 2
    np.testing.assert_allclose(model[0].weight.data[0], training.hand_made_filter()[0])
    assert model[0].bias.data[0] == pytest.approx(detector.DEFAULT_BIAS)
    plain = training.red_car_cnn((8, 16), seed=0, hand_made=False)
    assert not np.allclose(plain[0].weight.data[0], model[0].weight.data[0])
    assert len(training.red_car_cnn((4,), seed=0)) == 5
    with pytest.raises(ValueError, match="positive numbers"):
        training.red_car_cnn((8, 0))


def test_multiply_adds_count_each_layer_from_its_shapes():
    counts = training.multiply_adds(training.red_car_cnn((8, 16)))
    assert counts["0: Conv2d"] == 32 * 32 * 8 * 27
    assert counts["3: Conv2d"] == 16 * 16 * 16 * 72
    assert counts["7: Linear"] == 1024 * 2
    assert counts["total"] == 32 * 32 * 8 * 27 + 16 * 16 * 16 * 72 + 2048


def test_training_learns_the_task_and_records_every_epoch(trained, small_data):
    model, history = trained
    assert len(history.val_acc) == 3 and history.stop_reason == "finished"
    assert history.epoch_loss[-1] < history.epoch_loss[0]
    X, y, _ = small_data["test"]
    assert nn.accuracy(model, X, y) > 0.9


def test_training_is_repeatable_with_the_same_seed(small_data):
    runs = []
    for _ in range(2):
        model = training.red_car_cnn(seed=2)
        training.train(model, small_data, num_epochs=1, workers=1)
        runs.append(model[0].weight.data.copy())
    np.testing.assert_array_equal(runs[0], runs[1])


def test_train_calls_back_after_every_epoch_and_refuses_an_unknown_optimizer(small_data):
    events = []
    model = training.red_car_cnn(seed=0)
    training.train(model, small_data, num_epochs=2, callback=events.append, optimizer="sgd", lr=0.02, workers=1)
    assert [e.epoch for e in events if e.kind == "epoch"] == [1, 2]
    assert sum(e.kind == "step" for e in events) == 2 * 13  # 400 scenes in batches of 32
    with pytest.raises(ValueError, match="'adam' or 'sgd'"):
        training.train(model, small_data, optimizer="rmsprop")


def test_mistakes_are_exactly_the_wrong_predictions_most_confident_first(trained, small_data):
    model, _ = trained
    X, y, kinds = small_data["test"]
    found = training.mistakes(model, X, y, kinds)
    wrong = np.flatnonzero(nn.predict(model, X).argmax(axis=1) != y)
    assert sorted(m["index"] for m in found) == sorted(wrong.tolist())
    confidence = [abs(m["p_red_car"] - 0.5) for m in found]
    assert confidence == sorted(confidence, reverse=True)
    by_kind = training.accuracy_by_kind(model, X, y, kinds)
    assert sum(n for _, n in by_kind.values()) == 200
    assert sum(round(acc * n) for acc, n in by_kind.values()) == 200 - len(found)


def test_feature_maps_and_sparsity_come_from_the_layers(trained, small_data):
    model, _ = trained
    X = small_data["test"][0]
    maps = training.feature_maps(model, X[0])
    assert [m.shape for _, m in maps][:3] == [(8, 32, 32), (8, 32, 32), (8, 16, 16)]
    assert maps[-1][1].shape == (2,)
    zeros = training.sparsity(model, X)
    assert list(zeros) == ["1: ReLU", "4: ReLU"] and all(0 < v < 1 for v in zeros.values())
    assert zeros["1: ReLU"] == pytest.approx(float(np.mean(model[1](model[0](X)) == 0)))


def test_save_and_reload_gives_back_the_same_numbers(trained, tmp_path, small_data):
    model, _ = trained
    copy, difference = training.save_and_reload(model, tmp_path / "detector.npz")
    assert difference == 0.0
    X = small_data["test"][0][:8]
    np.testing.assert_array_equal(nn.predict(copy, X), nn.predict(model, X))


def test_filter_as_picture_puts_zero_at_grey_and_keeps_the_sign():
    weight, _ = training.hand_made_filter()
    picture = training.filter_as_picture(weight)
    assert picture.shape == (3, 3, 3)
    np.testing.assert_allclose(picture[0, 0], [1.0, 0.0, 0.0])  # +red, −green, −blue


def test_the_hand_made_filter_keeps_more_evidence_on_red_cars_than_on_orange_or_pink_ones():
    X, _, kinds = data.red_car_streets(300, seed=4)
    weight, bias = training.hand_made_filter()
    evidence = training.filter_evidence(weight, bias, X)
    by_kind = training.evidence_by_kind(evidence, kinds)
    assert evidence.shape == (300,) and (evidence >= 0).all()
    assert by_kind["red car"] > by_kind["orange car"] > by_kind["pink car"]
    assert by_kind["red building"] > by_kind["other cars"]  # the hard negative it cannot tell apart by colour
    padded = np.pad(X[0].transpose(1, 2, 0).astype(np.float64), ((1, 1), (1, 1), (0, 0)))
    by_hand = sum(max(float(detector.score_map(padded[i:i + 3, j:j + 3], patch=3)[0, 0]), 0.0)
                  for i in range(32) for j in range(32))  # notebook 02's score on every 3 × 3 window, ReLU'd
    assert training.filter_evidence(weight, bias, X[:1])[0] == pytest.approx(by_hand, rel=1e-5)
