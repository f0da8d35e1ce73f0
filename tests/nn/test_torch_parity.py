"""relulab.nn computes the same numbers as torch.nn: outputs, every gradient, optimizer steps,
on the reference path (the layers as written) and on the compiled path (nn.compile, one and two workers)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip(
    "torch", reason="PyTorch is optional: it is only the reference this parity test compares against"
)
from relulab import nn  # noqa: E402

ATOL = 2e-5

ACTS = {
    "relu": (nn.ReLU, torch.nn.ReLU),
    "leaky": (lambda: nn.LeakyReLU(0.1), lambda: torch.nn.LeakyReLU(0.1)),
    "prelu": (lambda: nn.PReLU(init=0.2), lambda: torch.nn.PReLU(init=0.2)),
    "prelu_channels": (lambda c: nn.PReLU(c, init=0.2), lambda c: torch.nn.PReLU(c, init=0.2)),
    "sigmoid": (nn.Sigmoid, torch.nn.Sigmoid),
    "tanh": (nn.Tanh, torch.nn.Tanh),
}
PATHS = ["reference", "compiled-1", "compiled-2"]


def _act(name, channels):
    ours, theirs = ACTS[name]
    if name == "prelu_channels":
        return ours(channels), theirs(channels)
    return ours(), theirs()


def _build(act, k, padding, pool, conv_conv, size, classes=5, seed=0):
    """A small CNN in both frameworks, the same weights. -> (ours, theirs) or None if the shapes do not fit."""
    nn.manual_seed(seed)
    ours, theirs = [], []
    c_in, h = 3, size
    for c_out in ([4, 6] if conv_conv else [4]):
        ours.append(nn.Conv2d(c_in, c_out, k, padding=padding))
        theirs.append(torch.nn.Conv2d(c_in, c_out, k, padding=padding))
        a, b = _act(act, c_out)
        ours.append(a)
        theirs.append(b)
        h = h + 2 * padding - k + 1
        c_in = c_out
    if h < 1:
        return None
    if pool:
        if h < pool:
            return None
        ours.append(nn.MaxPool2d(pool))
        theirs.append(torch.nn.MaxPool2d(pool))
        h //= pool
    ours += [nn.Flatten(), nn.Linear(c_in * h * h, classes)]
    theirs += [torch.nn.Flatten(), torch.nn.Linear(c_in * h * h, classes)]
    ours, theirs = nn.Sequential(*ours), torch.nn.Sequential(*theirs)
    with torch.no_grad():
        for (name, p), (t_name, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
            assert name == t_name and p.data.shape == tuple(q.shape)
            q.copy_(torch.from_numpy(p.data))
    return ours, theirs


def _net(model, path):
    if path == "reference":
        return model
    return nn.compile(model, workers=int(path[-1]), input_grad=True)


def _data(n, size, classes=5, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 3, size, size)).astype(np.float32), rng.integers(0, classes, n)


@settings(max_examples=25, deadline=None)
@given(act=st.sampled_from(sorted(ACTS)), k=st.sampled_from([1, 3, 5]), padding=st.integers(0, 2),
       pool=st.sampled_from([None, 2, 3]), conv_conv=st.booleans(), size=st.integers(5, 13),
       n=st.sampled_from([2, 17]), path=st.sampled_from(PATHS))
def test_forward_and_every_gradient_match_torch(act, k, padding, pool, conv_conv, size, n, path):
    pair = _build(act, k, padding, pool, conv_conv, size)
    assume(pair is not None)
    ours, theirs = pair
    X, y = _data(n, size)
    net = _net(ours, path)
    loss_fn = nn.CrossEntropyLoss()
    out = net(X)
    loss = loss_fn(out, y)
    dx = net.backward(loss_fn.backward())

    tx = torch.from_numpy(X).requires_grad_(True)
    t_out = theirs(tx)
    t_loss = torch.nn.functional.cross_entropy(t_out, torch.from_numpy(y))
    t_loss.backward()

    assert loss == pytest.approx(t_loss.item(), abs=ATOL)
    np.testing.assert_allclose(out, t_out.detach().numpy(), atol=ATOL)
    np.testing.assert_allclose(dx, tx.grad.numpy(), atol=ATOL)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), atol=ATOL, err_msg=name)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("make_opts", [
    lambda a, b: (nn.SGD(a, lr=0.1, momentum=0.9, weight_decay=1e-3),
                  torch.optim.SGD(b, lr=0.1, momentum=0.9, weight_decay=1e-3)),
    lambda a, b: (nn.Adam(a, lr=0.01, weight_decay=1e-3), torch.optim.Adam(b, lr=0.01, weight_decay=1e-3)),
], ids=["sgd-momentum", "adam"])
def test_optimizer_steps_match_torch(make_opts, path):
    ours, theirs = _build("prelu_channels", 3, 1, 2, True, 9)
    X, y = _data(20, 9)
    net = _net(ours, path)
    opt, t_opt = make_opts(ours.parameters(), list(theirs.parameters()))
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(3):  # several steps, so momentum and Adam's moments matter
        opt.zero_grad()
        loss_fn(net(X), y)
        net.backward(loss_fn.backward())
        opt.step()
        t_opt.zero_grad()
        torch.nn.functional.cross_entropy(theirs(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        t_opt.step()
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.detach().numpy(), atol=ATOL, err_msg=name)


def test_mlp_matches_torch_on_both_paths():
    nn.manual_seed(0)
    ours = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.Sigmoid(),
                                 torch.nn.Linear(8, 3))
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            q.copy_(torch.from_numpy(p.data))
    X = np.random.default_rng(0).standard_normal((10, 6)).astype(np.float32)
    expected = theirs(torch.from_numpy(X)).detach().numpy()
    for path in PATHS:
        np.testing.assert_allclose(_net(ours, path)(X), expected, atol=ATOL)
