"""Splitting a step over two cores must give the whole batch's loss and gradient."""

import numpy as np
import pytest

from relulab import nn


def _cnn():
    nn.manual_seed(3)
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 4 * 4, 3))


def _data(n):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, 2, 8, 8)).astype(np.float32), rng.integers(0, 3, n)


@pytest.mark.parametrize("n", [7, 64])
def test_data_parallel_gives_the_whole_batch_loss_outputs_and_gradients(n):
    X, y = _data(n)
    plain, split = _cnn(), _cnn()
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(plain(X), y)
    plain.backward(loss_fn.backward())
    parallel = nn.DataParallel(split, nn.CrossEntropyLoss(), workers=2)
    split_loss, out = parallel.forward_backward(X, y)
    parallel.close()
    assert split_loss == pytest.approx(loss, rel=1e-5)
    np.testing.assert_allclose(out, plain(X), rtol=1e-5, atol=1e-6)
    for p, q in zip(plain.parameters(), split.parameters(), strict=True):
        np.testing.assert_allclose(q.grad, p.grad, rtol=1e-4, atol=1e-6)


def test_fit_with_two_workers_matches_one_worker_and_repeats_exactly():
    X, y = _data(96)

    def train(workers):
        model = _cnn()
        history = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1),
                         num_epochs=2, batch_size=32, progress=False, rng=np.random.default_rng(0),
                         workers=workers)
        return history, model

    one, _ = train(1)
    two, model_a = train(2)
    again, model_b = train(2)
    np.testing.assert_allclose(two.loss, one.loss, rtol=1e-4)
    assert two.loss == again.loss  # the same split always gives the same numbers
    for p, q in zip(model_a.parameters(), model_b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.filterwarnings("ignore:overflow encountered", "ignore:invalid value encountered")
def test_fit_still_stops_cleanly_on_nan_with_two_workers():
    # (np.errstate does not reach the worker threads, so the blow-up's numpy warnings are filtered here.)
    X, y = _data(64)
    model = _cnn()
    with pytest.warns(RuntimeWarning, match="learning rate"):
        history = nn.fit(model, X * 1e30, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=1e6),
                         num_epochs=3, batch_size=32, progress=False, workers=2)
    assert history.stop_reason == "nan"


def test_default_workers_share_only_cnn_steps_within_the_thread_limit():
    from threadpoolctl import threadpool_limits

    mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    assert nn.available_workers(mlp, 64) == 1
    assert nn.available_workers(_cnn(), 8) == 1
    assert nn.available_workers(_cnn(), 64) in (1, 2)
    with threadpool_limits(1, user_api="blas"):
        assert nn.available_workers(_cnn(), 64) == 1
