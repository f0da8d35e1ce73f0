"""nn.compile(model) computes what the model computes: bit for bit where the arithmetic is the same,
within float rounding where it is not (convolutions fold the bias into the product; two workers add
their halves' gradients)."""

import contextlib
import sys

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relulab import nn
from relulab.nn import fast
from relulab.nn.fast import _Conv, _ConvFromImages, _PoolThenAct

ACTIVATIONS = {
    "relu": nn.ReLU, "leaky": lambda: nn.LeakyReLU(0.1), "prelu": lambda: nn.PReLU(init=0.2),
    "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
}


def _run(net, x, dout):
    """Output, input gradient and every parameter gradient of one forward/backward pass."""
    net.zero_grad()
    out = net(x)
    dx = net.backward(dout(out) if callable(dout) else dout)
    return out, dx, [p.grad.copy() for p in net.parameters()]


def _compare(model, x, exact, workers=1, rtol=1e-4, atol=1e-5):
    rng = np.random.default_rng(7)
    out_ref = model(x)
    dout = rng.standard_normal(out_ref.shape).astype(np.float32)
    ref = _run(model, x, dout)
    net = nn.compile(model, workers=workers, input_grad=True)
    fast = _run(net, x, dout)
    net.close()
    check = np.testing.assert_array_equal if exact else (
        lambda a, b: np.testing.assert_allclose(a, b, rtol=rtol, atol=atol))
    check(fast[0], ref[0])
    check(fast[1], ref[1])
    for name, g_fast, g_ref in zip([n for n, _ in model.named_parameters()], fast[2], ref[2], strict=True):
        assert g_fast.shape == g_ref.shape, name
        check(g_fast, g_ref)


@settings(max_examples=30, deadline=None)
@given(act=st.sampled_from(sorted(ACTIVATIONS)), depth=st.integers(1, 3), width=st.integers(1, 9),
       n=st.integers(1, 40), seed=st.integers(0, 2**16))
def test_compiled_mlp_matches_the_layers_bit_for_bit(act, depth, width, n, seed):
    nn.manual_seed(seed)
    layers = [nn.Linear(3, width)]
    for _ in range(depth):
        layers += [ACTIVATIONS[act](), nn.Linear(width, width)]
    model = nn.Sequential(*layers, nn.Linear(width, 2))
    x = np.random.default_rng(seed).standard_normal((n, 3)).astype(np.float32)
    _compare(model, x, exact=True)


@settings(max_examples=30, deadline=None)
@given(act=st.sampled_from(sorted(ACTIVATIONS)), k=st.integers(1, 3), stride=st.integers(1, 3),
       h=st.integers(1, 9), w=st.integers(1, 9), n=st.integers(1, 5), ties=st.booleans(), seed=st.integers(0, 2**16))
def test_compiled_activation_then_pool_matches_the_layers(act, k, stride, h, w, n, ties, seed):
    assume(h >= k and w >= k)
    nn.manual_seed(seed)
    c = 3
    model = nn.Sequential(ACTIVATIONS[act](), nn.MaxPool2d(k, stride), nn.Flatten())
    x = np.random.default_rng(seed).standard_normal((n, c, h, w)).astype(np.float32)
    if ties:
        x = np.round(x * 2).astype(np.float32)  # equal numbers in a window: the first one must win
    # With windows that do not overlap, pool-then-ReLU and pool-then-Leaky-ReLU give identical numbers. Where
    # windows overlap, a pixel that wins several windows adds their gradients in another order (and
    # a*slope + b*slope rounds differently from (a+b)*slope). PReLU's slope gradient is summed over fewer
    # numbers, and sigmoid and tanh can tie distinct inputs by rounding: within float rounding.
    exact = act in ("relu", "leaky") and stride >= k
    _compare(model, x, exact=exact, rtol=1e-5, atol=1e-6)
    assert isinstance(nn.compile(model)._plans[0][0], _PoolThenAct)  # the fused op really ran


@settings(max_examples=40, deadline=None)
@given(
    act=st.sampled_from(sorted(ACTIVATIONS)), k=st.sampled_from([1, 2, 3, 5]), padding=st.integers(0, 2),
    stride=st.integers(1, 2), pool=st.sampled_from([None, 2, 3]), pool_stride=st.sampled_from([None, 1, 2]),
    conv_conv=st.booleans(),
    size=st.integers(5, 13), n=st.sampled_from([1, 3, 17, 20]), bias=st.booleans(), workers=st.sampled_from([1, 2]),
    seed=st.integers(0, 2**16),
)
def test_compiled_cnn_matches_the_layers_within_rounding(act, k, padding, stride, pool, pool_stride, conv_conv, size,
                                                         n, bias, workers, seed):
    nn.manual_seed(seed)
    conv = nn.Conv2d(2, 4, k, stride=stride, padding=padding, bias=bias)
    h = conv.output_size(size, size)[0]
    assume(h >= 1)
    layers = [conv, ACTIVATIONS[act]()]
    if conv_conv:  # conv -> conv without a pool between
        assume(h + 2 >= 3)
        layers += [nn.Conv2d(4, 3, 3, padding=1), ACTIVATIONS[act]()]
    c_out = 3 if conv_conv else 4
    if pool:
        assume(h >= pool)
        layers.append(nn.MaxPool2d(pool, pool_stride))  # pool_stride None: = pool; else windows may overlap
        h = (h - pool) // (pool_stride or pool) + 1
    layers += [nn.Flatten(), nn.Linear(c_out * h * h, 3)]
    model = nn.Sequential(*layers)
    x = np.random.default_rng(seed).standard_normal((n, 2, size, size)).astype(np.float32)
    _compare(model, x, exact=False, workers=workers)


@settings(max_examples=40, deadline=None)
@given(
    act=st.sampled_from(sorted(ACTIVATIONS)), c=st.sampled_from([1, 3]), k=st.sampled_from([1, 3, 5]),
    padding=st.integers(0, 2), stride=st.integers(1, 2), pool=st.sampled_from([None, 2]), size=st.integers(5, 12),
    n=st.sampled_from([1, 3, 7]), second_conv=st.booleans(), bias=st.booleans(), chunk=st.sampled_from([1, 3 << 18]),
    seed=st.integers(0, 2**16),
)
def test_compiled_cnn_without_the_image_gradient_matches_the_layers(act, c, k, padding, stride, pool, size, n,
                                                                   second_conv, bias, chunk, seed):
    # fit's case: no d loss / d images, so the first convolution reads (N, C, H, W) images itself
    # (_ConvFromImages); chunk=1 byte makes every convolution work one image at a time.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "CHUNK_BYTES", chunk)
        _compare_without_image_gradient(act, c, k, padding, stride, pool, size, n, second_conv, bias, seed)


def _compare_without_image_gradient(act, c, k, padding, stride, pool, size, n, second_conv, bias, seed):
    nn.manual_seed(seed)
    conv = nn.Conv2d(c, 4, k, stride=stride, padding=padding, bias=bias)
    h = conv.output_size(size, size)[0]
    assume(h >= 2)
    layers = [conv, ACTIVATIONS[act]()]
    if second_conv:
        layers += [nn.Conv2d(4, 4, 3, padding=1), ACTIVATIONS[act]()]
    if pool:
        layers.append(nn.MaxPool2d(pool))
        h //= pool
    model = nn.Sequential(*layers, nn.Flatten(), nn.Linear(4 * h * h, 3))
    x = np.random.default_rng(seed).standard_normal((n, c, size, size)).astype(np.float32)
    dout = np.random.default_rng(7).standard_normal((n, 3)).astype(np.float32)
    model.zero_grad()
    out_ref = model(x)
    model.backward(dout)
    grads_ref = [p.grad.copy() for p in model.parameters()]
    net = nn.compile(model, workers=1)
    assert isinstance(net._plans[0][0], _ConvFromImages)
    net.zero_grad()
    out = net(x)
    assert net.backward(dout) is None
    np.testing.assert_allclose(out, out_ref, rtol=1e-4, atol=1e-5)
    for (name, p), g_ref in zip(model.named_parameters(), grads_ref, strict=True):
        np.testing.assert_allclose(p.grad, g_ref, rtol=1e-4, atol=1e-5, err_msg=name)


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.3, 1.0, 1.5, -0.5])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_leaky_relu_gives_the_layers_numbers_bit_for_bit(slope, dtype):
    # np.maximum (slopes in [0, 1]) and a table look-up replace the layer's np.where: the same numbers,
    # also for -0.0, tiny and huge numbers, and infinities and NaN in the gradient.
    x = np.random.default_rng(0).standard_normal((6, 50)).astype(dtype)
    x[0, :6] = [0.0, -0.0, 3e38, -3e38, 1e-38, -1e-45]  # the layer refuses NaN and infinity in its input
    dout = np.random.default_rng(1).standard_normal(x.shape).astype(dtype)
    dout[1, :5] = [0.0, -0.0, np.inf, -np.inf, np.nan]
    layer = nn.LeakyReLU(slope)
    op = fast._LeakyReLU(layer)
    mode = nn.float64_mode() if dtype == np.float64 else contextlib.nullcontext()
    with mode, np.errstate(invalid="ignore", over="ignore"):
        out, out_ref = op.forward(x), layer.forward(x)
        np.testing.assert_array_equal(out, out_ref)
        assert out.dtype == out_ref.dtype == dtype
        np.testing.assert_array_equal(op.backward(dout, None), layer.backward(dout))
    assert np.signbit(out[0, 1]) == np.signbit(out_ref[0, 1])  # -0.0 stays -0.0


def test_compiled_tanh_backward_gives_the_layers_numbers_bit_for_bit():
    x = np.random.default_rng(0).standard_normal((4, 3, 5, 5)).astype(np.float32) * 3
    dout = np.random.default_rng(1).standard_normal(x.shape).astype(np.float32)
    layer, op = nn.Tanh(), fast._Tanh(nn.Tanh())
    np.testing.assert_array_equal(op.forward(x), layer.forward(x))
    np.testing.assert_array_equal(op.backward(dout[:, :, ::-1], None), layer.backward(dout[:, :, ::-1]))


@pytest.mark.parametrize("as_convolution", [False, True])
@pytest.mark.parametrize(("k", "padding"), [(1, 0), (2, 1), (3, 0), (3, 1), (3, 2), (5, 2), (5, 4), (1, 1), (2, 2)])
def test_both_ways_to_the_input_gradient_match_the_layers(as_convolution, k, padding, monkeypatch):
    # Stride 1: the input gradient as a convolution of dout (used where it computes few zeros; forced on
    # or off here), or as one product per kernel offset added into place. padding > k-1 always uses the second.
    monkeypatch.setattr(fast, "FULL_CONV_ROWS", 100.0 if as_convolution else 0.0)
    nn.manual_seed(k * 10 + padding)
    model = nn.Sequential(nn.Conv2d(2, 4, k, padding=padding), nn.Tanh(), nn.Conv2d(4, 3, 3, padding=1), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten())
    x = np.random.default_rng(k).standard_normal((5, 2, 9, 8)).astype(np.float32)
    _compare(model, x, exact=False)


@pytest.mark.parametrize("as_convolution", [False, True])
@pytest.mark.parametrize(("channels", "width", "pack"), [(4, 8, 2), (4, 9, 1), (17, 8, 1), (16, 10, 2)])
def test_thin_convolutions_computing_two_outputs_per_row_match_the_layers(channels, width, pack, as_convolution,
                                                                            monkeypatch):
    # At most 16 channels out and an even width: each row of the products computes two neighbouring outputs.
    monkeypatch.setattr(fast, "FULL_CONV_ROWS", 100.0 if as_convolution else 0.0)
    nn.manual_seed(channels + width)
    model = nn.Sequential(nn.Conv2d(3, channels, 3, padding=1), nn.Tanh(), nn.Conv2d(channels, channels, 3, padding=1),
                          nn.Tanh(), nn.Conv2d(channels, 5, 3, padding=1), nn.Flatten())
    x = np.random.default_rng(width).standard_normal((3, 3, 6, width)).astype(np.float32)
    net = nn.compile(model, workers=1, input_grad=True)
    net(x)
    assert [op.pack for op in net._plans[0] if isinstance(op, _Conv)] == [pack, pack, 2 if width % 2 == 0 else 1]
    _compare(model, x, exact=False)


def test_compiled_relu_pool_cnn_on_one_worker_is_bit_identical_where_only_pooling_is_fused():
    nn.manual_seed(0)
    model = nn.Sequential(nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3 * 4 * 4, 5), nn.ReLU(),
                          nn.Linear(5, 2))
    x = np.random.default_rng(0).standard_normal((9, 3, 9, 8)).astype(np.float32)
    x[:3] = 0  # whole windows <= 0 and tied
    _compare(model, x, exact=True)


def test_conv_computes_only_the_rows_and_columns_a_floor_pool_reads():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(48, 2))
    x = np.random.default_rng(0).standard_normal((4, 2, 11, 11)).astype(np.float32)  # conv: 9x9, pool: 4x4
    net = nn.compile(model, workers=1)
    out = net(x)
    conv_op = next(op for op in net._plans[0] if isinstance(op, _Conv))
    assert isinstance(conv_op, _Conv) and conv_op.out_hw == (8, 8)  # not 9x9
    np.testing.assert_allclose(out, model(x), rtol=1e-5, atol=1e-6)


def test_prelu_with_a_negative_slope_is_not_moved_after_the_pool():
    model = nn.Sequential(nn.PReLU(init=-0.5), nn.MaxPool2d(2), nn.Flatten())
    x = -np.abs(np.random.default_rng(0).standard_normal((2, 1, 4, 4))).astype(np.float32)
    _compare(model, x, exact=True)  # with alpha < 0 the activation is not monotone: pool after it
    net = nn.compile(model)
    net(x)
    assert net._plans[0][0].swapped is False


def test_compiled_model_shares_the_parameters_and_skips_the_image_gradient():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
    net = nn.compile(model)
    assert all(p is q for p, q in zip(net.parameters(), model.parameters(), strict=True))
    x = np.random.default_rng(0).random((2, 1, 4, 4)).astype(np.float32)
    out = net(x)
    assert net.backward(np.ones_like(out)) is None  # nobody needs d loss / d images
    assert model[0].weight.grad.any()  # the model's own parameters received the gradient
    model.load_state_dict({name: np.zeros_like(a) for name, a in model.state_dict().items()})
    assert not net(x).any()  # new weights are seen at once


def test_two_workers_give_the_whole_batch_gradient_and_repeat_exactly():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(96, 2, 8, 8)).astype(np.float32), rng.integers(0, 3, 96)

    def train(workers):
        nn.manual_seed(3)
        model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
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


def test_default_workers_split_only_cnn_steps_within_the_thread_limit():
    from threadpoolctl import threadpool_limits

    mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    cnn = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
    assert nn.compile(mlp).workers == 1
    with threadpool_limits(1, user_api="blas"):
        assert nn.compile(cnn).workers == 1
    with threadpool_limits(2, user_api="blas"):
        import os
        cores = len(os.sched_getaffinity(0))
        assert nn.compile(cnn).workers == min(2, cores)


def test_a_layer_the_compiler_does_not_know_runs_as_written_on_one_worker():
    class DoubleReLU(nn.ReLU):
        def forward(self, x):
            return 2 * super().forward(x)

        def backward(self, dout):
            return 2 * super().backward(dout)

    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), DoubleReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2, 2))
    net = nn.compile(model, workers=2)
    assert net.workers == 1
    x = np.random.default_rng(0).standard_normal((20, 1, 4, 4)).astype(np.float32)
    np.testing.assert_allclose(net(x), model(x), rtol=1e-5, atol=1e-6)


def test_compiled_backward_before_forward_is_explained():
    net = nn.compile(nn.Sequential(nn.Linear(2, 2)))
    with pytest.raises(nn.ForwardFirstError, match="before forward"):
        net.backward(np.ones((1, 2), np.float32))


def test_fit_trains_the_same_with_and_without_compile():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(80, 1, 8, 8)).astype(np.float32), rng.integers(0, 2, 80)

    def train(compile):
        nn.manual_seed(1)
        model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(36, 2))
        h = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1, momentum=0.9),
                   num_epochs=3, batch_size=16, progress=False, rng=np.random.default_rng(2), compile=compile,
                   workers=1)
        return h, model

    (h_fast, m_fast), (h_ref, m_ref) = train(True), train(False)
    np.testing.assert_allclose(h_fast.loss, h_ref.loss, rtol=1e-4)
    for p, q in zip(m_fast.parameters(), m_ref.parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-4, atol=1e-5)


def test_fit_on_an_mlp_is_bit_identical_with_and_without_compile():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 4)).astype(np.float32), rng.integers(0, 3, 100)
    losses = []
    for compile in (True, False):
        nn.manual_seed(1)
        model = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.1), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3))
        losses.append(nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1), num_epochs=3,
                             batch_size=32, progress=False, rng=np.random.default_rng(2), compile=compile).loss)
    assert losses[0] == losses[1]



FAULTS_SCRIPT = """
import resource, sys
import numpy as np
from relulab import nn
if sys.argv[1] == "compile":
    nn.compile(nn.Sequential(nn.Linear(2, 2)))  # the first compile asks glibc to keep freed memory

def step():  # what a training step does: a few arrays of 10 MB at once, then all freed
    arrays = [np.ones(10 << 18, dtype=np.float32) for _ in range(4)]
    return sum(float(a[::1024].sum()) for a in arrays)

step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="page-fault counts and glibc's mallopt: Linux only")
def test_compiling_keeps_freed_memory_so_the_next_step_gets_no_fresh_pages():
    import subprocess

    def faults(mode):  # a fresh process each: the C library's settings last for the whole process
        out = subprocess.run([sys.executable, "-c", FAULTS_SCRIPT, mode], capture_output=True, text=True, check=True)
        return int(out.stdout.split()[-1])

    plain, compiled = faults("plain"), faults("compile")
    assert plain > 2_000  # 5 steps x 40 MB handed back and faulted in again (10,000 or more on Linux x86-64)
    assert compiled < 200, f"{compiled} page faults after compile: freed blocks went back to the system"
