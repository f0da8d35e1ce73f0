import warnings

import numpy as np
import pytest

from relulab import nn


def _blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.standard_normal((n, 2)).astype(np.float32) + 3 * y[:, None]
    return X, y


def _mlp():
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))


def test_fit_records_history_and_learns_blobs():
    nn.manual_seed(0)
    X, y = _blobs()
    model = _mlp()
    h = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1, momentum=0.9),
               num_epochs=3, batch_size=32, X_val=X[:50], y_val=y[:50], progress=False)
    assert len(h.loss) == 3 * 7 and len(h.epoch_loss) == 3 and len(h.seconds) == 3
    assert len(h.train_acc) == 3 and len(h.val_acc) == 3
    assert h.stop_reason == "finished" and h.stopped_at_step is None
    assert h.val_acc[-1] > 0.9 and nn.accuracy(model, X, y) > 0.9
    assert nn.predict(model, X).shape == (200, 2)


def test_fit_is_reproducible_with_manual_seed():
    X, y = _blobs()
    runs = []
    for _ in range(2):
        nn.manual_seed(7)
        model = _mlp()
        runs.append(nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.Adam(model.parameters(), lr=0.01),
                           progress=False).loss)
    assert runs[0] == runs[1]


def test_fit_regression_has_no_accuracy():
    nn.manual_seed(0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 3)).astype(np.float32)
    y = X @ np.array([[1.0], [-2.0], [0.5]], np.float32)
    model = nn.Sequential(nn.Linear(3, 1))
    events = []
    h = nn.fit(model, X, y, nn.MSELoss(), nn.SGD(model.parameters(), lr=0.1), num_epochs=2,
               batch_size=16, callbacks=[events.append], progress=False)
    assert h.train_acc == [] and h.val_acc == []
    epoch_events = [e for e in events if e.kind == "epoch"]
    assert [e.epoch for e in epoch_events] == [1, 2] and epoch_events[0].train_acc is None
    assert [e.step for e in events if e.kind == "step"] == list(range(1, 9))
    assert h.epoch_loss[1] < h.epoch_loss[0]


def test_callback_can_stop_training():
    nn.manual_seed(0)
    X, y = _blobs()
    model = _mlp()
    seen = []

    def stop_at_five(event):
        seen.append((event.kind, event.step, event.epoch, event.model is model))
        return "stop" if event.step == 5 else None

    h = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1), num_epochs=3,
               batch_size=32, callbacks=[stop_at_five], progress=False)
    assert len(h.loss) == 5 and h.stop_reason == "callback" and h.stopped_at_step == 5
    assert "stop_at_five" in h.message and "step 5" in h.message
    assert seen[-1] == ("step", 5, 1, True)


@pytest.mark.parametrize("compile", [True, False])
def test_fit_stops_with_a_clear_message_when_the_loss_becomes_nan(compile):
    nn.manual_seed(0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 4)).astype(np.float32) * 10
    y = X.sum(axis=1, keepdims=True)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        h = nn.fit(model, X, y, nn.MSELoss(), nn.SGD(model.parameters(), lr=10.0), num_epochs=20,
                   batch_size=16, progress=False, compile=compile)
    assert h.stop_reason == "nan"
    step = h.stopped_at_step
    assert step == len(h.loss) and not np.isfinite(h.loss[-1]) and np.isfinite(h.loss[:-1]).all()
    assert f"at step {step}" in h.message and "learning rate" in h.message and "lr=1" in h.message
    assert any(f"at step {step}" in str(w.message) for w in caught)


def test_fit_refuses_mismatched_data():
    with pytest.raises(nn.InputError, match="X has 3 examples but y has 2"):
        nn.fit(_mlp(), np.zeros((3, 2)), np.zeros(2, int), nn.CrossEntropyLoss(),
               nn.SGD(_mlp().parameters(), lr=0.1), progress=False)


def test_fit_shows_a_progress_bar(capsys):
    X, y = _blobs(64)
    model = _mlp()
    nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1), progress=True)
    assert "1/1" in capsys.readouterr().err  # 64 examples, batch_size 64: one step


def test_small_cnn_learns_digits():
    datasets = pytest.importorskip("sklearn.datasets", reason="scikit-learn provides the digits data")
    digits = datasets.load_digits()
    X = (digits.images / 16.0).astype(np.float32)[:, None]  # (1797, 1, 8, 8)
    y = digits.target
    nn.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 2 * 2, 10),
    )
    order = nn.default_rng().permutation(len(X))
    train, test = order[:1400], order[1400:]
    h = nn.fit(model, X[train], y[train], nn.CrossEntropyLoss(), nn.Adam(model.parameters(), lr=0.01),
               num_epochs=5, batch_size=32, X_val=X[test], y_val=y[test], progress=False)
    assert h.val_acc[-1] > 0.9, h.val_acc
    assert nn.accuracy(model, X[test], y[test]) == pytest.approx(h.val_acc[-1])


@pytest.mark.filterwarnings("ignore:overflow encountered", "ignore:invalid value encountered")
def test_fit_stops_cleanly_on_nan_with_two_workers():
    # (np.errstate does not reach the worker threads, so the blow-up's numpy warnings are filtered here.)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(64, 2, 8, 8)).astype(np.float32), rng.integers(0, 3, 64)
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 3))
    with pytest.warns(RuntimeWarning, match="learning rate"):
        history = nn.fit(model, X * 1e30, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=1e6),
                         num_epochs=3, batch_size=32, progress=False, workers=2)
    assert history.stop_reason == "nan"


def test_the_fit_loop_reads_as_the_five_steps():
    import inspect

    source = inspect.getsource(nn.fit).split('"""')[2]  # the code after the docstring
    steps = ["optimizer.zero_grad()", "out = net(xb)", "loss = loss_fn(out, yb)",
             "net.backward(loss_fn.backward())", "optimizer.step()"]
    positions = [source.index(step) for step in steps]
    assert positions == sorted(positions)
