"""relulab.nn computes the same numbers as torch.nn: outputs, every gradient, optimizer steps."""

import numpy as np
import pytest

torch = pytest.importorskip(
    "torch", reason="PyTorch is optional: it is only the reference this parity test compares against"
)
from relulab import nn  # noqa: E402

ATOL = 1e-5


def _build_pair(act="leaky"):
    nn.manual_seed(0)
    second = nn.LeakyReLU(0.1) if act == "leaky" else nn.PReLU(num_parameters=6, init=0.2)
    ours = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, stride=1), second, nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(6 * 2 * 2, 5),
    )
    t_second = torch.nn.LeakyReLU(0.1) if act == "leaky" else torch.nn.PReLU(num_parameters=6, init=0.2)
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 6, 3), t_second, torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(6 * 2 * 2, 5),
    )
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            assert p.data.shape == tuple(q.shape)
            q.copy_(torch.from_numpy(p.data))
    return ours, theirs


def _data():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 3, 13, 13)).astype(np.float32)  # odd size: pooling drops a row
    y = rng.integers(0, 5, 8)
    return X, y


@pytest.mark.parametrize("act", ["leaky", "prelu"])
def test_forward_and_all_gradients_match_torch(act):
    ours, theirs = _build_pair(act)
    X, y = _data()
    ours.needs_input_grad = True
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(ours(X), y)
    dx = ours.backward(loss_fn.backward())

    tx = torch.from_numpy(X).requires_grad_(True)
    t_loss = torch.nn.functional.cross_entropy(theirs(tx), torch.from_numpy(y))
    t_loss.backward()

    assert loss == pytest.approx(t_loss.item(), abs=ATOL)
    np.testing.assert_allclose(ours(X), theirs(tx).detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(dx, tx.grad.numpy(), atol=ATOL)
    for (name, layer), t_layer in zip(nn.named_layers(ours), theirs, strict=True):
        for p, (t_name, q) in zip(layer.parameters(), t_layer.named_parameters(), strict=True):
            assert p.name == t_name
            np.testing.assert_allclose(p.grad, q.grad.numpy(), atol=ATOL, err_msg=f"{name}.{p.name}")


@pytest.mark.parametrize("make_opts", [
    lambda a, b: (nn.SGD(a, lr=0.1, momentum=0.9, weight_decay=1e-3),
                  torch.optim.SGD(b, lr=0.1, momentum=0.9, weight_decay=1e-3)),
    lambda a, b: (nn.Adam(a, lr=0.01, weight_decay=1e-3), torch.optim.Adam(b, lr=0.01, weight_decay=1e-3)),
], ids=["sgd-momentum", "adam"])
def test_optimizer_steps_match_torch(make_opts):
    ours, theirs = _build_pair("prelu")
    X, y = _data()
    opt, t_opt = make_opts(ours.parameters(), list(theirs.parameters()))
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(2):  # two steps, so momentum and Adam's moments matter
        opt.zero_grad()
        loss_fn(ours(X), y)
        ours.backward(loss_fn.backward())
        opt.step()
        t_opt.zero_grad()
        torch.nn.functional.cross_entropy(theirs(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        t_opt.step()
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.detach().numpy(), atol=ATOL)
