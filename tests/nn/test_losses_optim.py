import numpy as np
import pytest

from relulab import nn


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_cross_entropy_value_and_gradient():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((5, 4))
    y = np.array([0, 3, 1, 1, 2])
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(logits, y)
    expected = -np.mean(np.log(_softmax(logits)[np.arange(5), y]))
    assert loss == pytest.approx(expected, rel=1e-5)
    with nn.float64_mode():
        f = nn.CrossEntropyLoss()
        f(logits, y)
        analytic = f.backward()
        numeric = nn.numerical_gradient(lambda: f(logits, y), logits)
    assert nn.relative_error(analytic, numeric) < 1e-6


def test_cross_entropy_is_stable_with_huge_logits():
    logits = np.array([[1e4, 0.0, -1e4], [-5e4, 5e4, 0.0]], np.float32)
    loss_fn = nn.CrossEntropyLoss()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = loss_fn(logits, np.array([0, 0]))
        grad = loss_fn.backward()
    assert loss == pytest.approx(5e4, rel=1e-6)  # first row right (0), second off by 1e5: mean 5e4
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad, [[0, 0, 0], [-0.5, 0.5, 0]], atol=1e-7)


def test_cross_entropy_rejects_bad_labels():
    loss_fn = nn.CrossEntropyLoss()
    with pytest.raises(nn.InputError, match="integer class labels"):
        loss_fn(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(nn.InputError, match="0..2"):
        loss_fn(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(nn.InputError, match=r"\(N, K\)"):
        loss_fn(np.zeros(3), np.array([0]))


def test_mse_value_and_gradient():
    pred = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    target = np.array([[0.0, 2.0], [5.0, 4.0]], np.float32)
    loss_fn = nn.MSELoss()
    assert loss_fn(pred, target) == pytest.approx((1 + 4) / 4)
    np.testing.assert_allclose(loss_fn.backward(), [[0.5, 0.0], [-1.0, 0.0]])
    with pytest.raises(nn.InputError, match="same shape"):
        loss_fn(pred, target.reshape(-1))


def _param(values, grad):
    p = nn.Parameter(np.array(values, np.float32))
    p.grad[...] = grad
    return p


def test_sgd_plain_momentum_and_weight_decay_by_hand():
    p = _param([1.0, -2.0], [0.5, 0.5])
    opt = nn.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01)
    opt.step()  # g = grad + wd*w = [0.51, 0.48]; v = g; w -= 0.1 * v
    np.testing.assert_allclose(p.data, [1 - 0.051, -2 - 0.048], rtol=1e-6)
    w1 = p.data.copy()
    opt.step()  # same grad: g = grad + wd*w1; v = 0.9*v + g
    g2 = np.array([0.5, 0.5]) + 0.01 * w1
    v2 = 0.9 * np.array([0.51, 0.48]) + g2
    np.testing.assert_allclose(p.data, w1 - 0.1 * v2, rtol=1e-6)
    q = _param([1.0], [2.0])
    nn.SGD([q], lr=0.25).step()
    np.testing.assert_allclose(q.data, [0.5])


def test_adam_by_hand():
    p = _param([1.0, -1.0], [0.2, -0.4])
    opt = nn.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
    w = np.array([1.0, -1.0])
    m = v = np.zeros(2)
    for t in (1, 2, 3):
        g = np.array([0.2, -0.4]) + 0.1 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w = w - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        opt.step()
        np.testing.assert_allclose(p.data, w, rtol=1e-6)
    assert p.data.dtype == np.float32


def test_optimizer_refuses_no_parameters_and_bad_lr():
    with pytest.raises(ValueError, match="no parameters"):
        nn.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="positive"):
        nn.Adam(nn.Linear(2, 2).parameters(), lr=-1)
