"""``nn.compile(model)``: the same model, a faster execution (PyTorch's word for the same idea).

The layers in ``activations``, ``layers`` and ``conv`` are written to be read. This module runs the
same computation with the speed tricks a learner does not need to meet. A compiled model holds no
weights of its own: it uses the model's ``Parameter`` objects (their ``.data`` is read on every call,
gradients are added to their ``.grad``), so an optimizer built on ``model.parameters()`` trains both.

    net = nn.compile(model)            # what nn.fit does unless compile=False
    out = net(X); loss = loss_fn(out, y); net.backward(loss_fn.backward()); optimizer.step()

The tricks, with what each buys. "Slower without" figures come from timing one training step of
the benchmark networks (``benchmarks/bench_nn.py``) on a 2-core CPU, float32, with only that trick
undone; they are measurements on one machine, not guarantees:

* **Split the batch over the cores** (``workers=2`` for a CNN with a batch of 16 or more): numpy
  multi-threads only its matrix products, and on small CNNs much of the time goes to single-threaded
  work (window copies, pooling, activations). Two threads, each running forward and backward on half
  of the batch, use the second core for all of it (numpy releases Python's lock inside its loops).
  Each thread has its own caches and gradient buffers; the gradients are added up afterwards, so the
  result is the whole batch's gradient up to float rounding. Net A 8.1 -> 5.5 ms, net B 12.5 -> 7.4 ms.
* **Channels-last images**, (N, H, W, C), from the first convolution to the Flatten: the window
  columns of many images form one tall matrix, so a convolution is one matrix product per chunk whose
  result is already the next layer's input (no per-image products, no transposes), and its weight
  gradient is one product too. With the next two tricks: 8-23% faster steps than the (N, C, H, W)
  version on nets A, C, E and H (one thread).
* **The input gradient as a convolution** (stride 1, padding about k//2: where it multiplies few
  zeros): dout, zero-padded, convolved with the flipped kernel, as columns of k*k*F numbers and one
  well-shaped product per chunk, with no adds. Input gradient of one layer (1 thread): 20.3 -> 13.5 ms
  (16 -> 16 channels, 32x32, batch 64), 18.7 -> 16.4 ms (32 -> 32, 30x30, no padding, batch 32), 13.7 ->
  10.3 ms (32 -> 32, 16x16, batch 64), 32.3 -> 27.4 ms (32 -> 64, 16x16, batch 128); a 5x5 kernel without
  padding got slower (2.2 -> 3.5 ms: it multiplies zeros), so it keeps the next trick. Whole steps: E
  5-15%, H 5-10%, C about 5% faster. The sums run in another order: the same numbers up to float rounding.
* **Otherwise the input gradient as one small product per kernel offset**, each added straight into
  place, instead of one big product followed by col2im: 40-55% faster for that part.
* **A few images at a time** (as many as fit in ~768 KB): the columns are multiplied while they are
  still in the core's cache, and the input gradient is assembled in the cache: 15-25% faster
  convolution forward, up to 40% faster input gradient on 32x32 images.
* **The columns never leave the cache**: they go to one cache-sized buffer, a few images at a time,
  and backward builds them again for the weight gradient instead of reading the whole batch's
  columns (38 MB for 64 images of 32x32x16 with a 3x3 kernel) back from memory. Forward of one layer
  (1 thread, median CPU time): 14.5 -> 11.3 ms (16 -> 16 channels, 32x32, batch 64), 10.4 -> 7.6 ms
  (32 -> 32, 30x30, batch 32), 26.6 -> 20.4 ms (32 -> 64, 16x16, batch 128); backward within -2..+4 ms
  of before; forward + backward 4-14% faster; peak memory of the benchmark's run 132-138 -> 112-115 MB.
* **The first convolution reads the (N, C, H, W) images itself** (when nobody needs the image
  gradient, as in ``fit``): its columns are stored one row per (channel, i, j), filled by one copy per
  kernel offset whose inner runs are whole image rows, where channels-last columns copy C = 1 or 3
  numbers at a time; the product ``cols.T @ W`` comes out channels-last, so no transpose either.
  Forward + backward of that layer: 8.2 -> 5.6 ms (net E), 4.3 -> 2.9 ms (H), 2.3 -> 1.2 ms (D),
  29.8 -> 25.5 ms (F), 14.7 -> 9.4 ms (I). The sums run over (channel, i, j) in another order: the same
  numbers up to float rounding.
* **Two outputs per row in thin products**: a product with 16 output columns runs at about 60 GFLOP/s
  here, one with 32 at about 100. Where a convolution (or its input gradient) has at most 16 output
  channels, stride 1 and an even width, each row of the columns holds a k x (k+1) window and the kernel
  matrix computes two neighbouring outputs side by side (with zeros where an output's own window does
  not reach: (k+1)/k more arithmetic). Net E's 16 -> 16 layer (32x32, batch 64, 1 thread, best of 25):
  forward 6.4 -> 5.5 ms, weight gradient 6.7 -> 6.1 ms; the 16 -> 32 layer's input gradient 2.9 -> 2.5 ms;
  a whole step of net E 58.5 -> 56.2 ms. The same numbers up to float rounding.
* **Keep freed memory** (``keep_freed_memory``, Linux): each step allocates and frees the same 1-40 MB
  temporaries; by default glibc gives them back to the kernel, so every step faults in fresh zeroed
  pages. Net H, one thread: 30,000-38,000 page faults and 0.08-0.12 s of system time per epoch -> 0,
  an epoch 0.66-0.72 -> 0.58-0.60 s (net E: 0.48-0.55 -> 0.45-0.47 s). Peak memory is unchanged.
* **No ``np.where`` in Leaky ReLU**: ``np.where`` on a mask without a pattern is slow. Forward is
  ``np.maximum(x, slope * x)`` for slopes in [0, 1], backward multiplies by a two-entry table looked up
  with the mask: per million numbers, forward 8.1 -> 1.0 ms and backward 7.2 -> 2.2 ms, the same numbers
  bit for bit. **Tanh's backward** in one temporary array instead of three: 3.5 -> 1.2 ms per million
  numbers, the same numbers.
* **Pool before the activation**: for max pooling and any non-decreasing activation (ReLU, Leaky
  ReLU and PReLU with slopes >= 0, sigmoid, tanh), ``max(f(a), f(b)) == f(max(a, b))``, so the
  activation runs on a quarter of the numbers. For ReLU every number and every gradient is identical;
  for the others the outputs are identical and a gradient can be rounded differently, or move to the
  other position of a tie that rounding created. 10-33% of a step.
* **Trim**: a convolution followed (through activations) by a max pool that drops its last row or
  column (odd sizes) computes only the outputs the pool reads: 10-29% of that layer.
* **Skip input gradients nobody needs**: before the first layer with parameters (the images):
  24-44% of a step.
* **Bias folded into the product**: a column of ones in the window columns makes the bias gradient
  come out of the weight-gradient product (a separate tall ``sum``: +21-48%).
* **Max pooling as two stages of ``np.maximum``** (across columns, then rows), remembering which
  offset won: about 5x faster than ``reshape(...).max(axis=...)``.
* **The columns' buffer is reused** from one step to the next instead of being allocated again.

Tried and not kept (measured the same way): the input gradient on the padded grid, where every add is
one contiguous block (3x faster adds alone, but 13-15% more rows to multiply and 2 ms to set up: 27.3 ->
25.4 ms on E's second convolution, 28.2 -> 31.0 ms on H's); larger separate chunks for the input
gradient (no difference); chunks of 96 KB to 768 KB (within 5-10%, the noise of a shared machine), and
of 1.5-6 MB with two workers (the same or slower); the weight gradient as nine shifted products of the
padded images, with no columns at all (7.1 -> 8.7 ms on E's 16 -> 16 layer, 7.1 -> 9.2 ms on H's
32 -> 32); two outputs per row for 32 channels (within 2%) and four per row (slower); rows of the
columns padded to 16- or 32-byte multiples (no difference).

Where the time still goes (one thread, a step of net E, about 56 ms): the matrix products about 31 ms
(60-100 GFLOP/s; this machine's BLAS reaches 114 on a large square product), copying windows into
columns about 10 ms, activations and pooling about 9 ms. PyTorch's step spends about 37 ms in oneDNN's
convolution kernels, which read the images directly instead of through columns. With two workers each
convolution runs 25-30% slower per image than with one (two worker threads in one process; two
separate processes lose 10-25%), while activations and pooling do not slow down.

Layers this module does not know (your own ``Module`` subclasses) run as they are, on one core.
"""

import ctypes
import functools
import os
import sys
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .activations import LeakyReLU, PReLU, ReLU, Sigmoid, Tanh
from .container import Sequential
from .conv import Conv2d, MaxPool2d
from .errors import ForwardFirstError, as_float_array
from .layers import Flatten, Linear

MIN_SPLIT_BATCH = 16  # below this a step is too short to share between two threads
FULL_CONV_ROWS = 1.2  # see _Conv._input_grad_as_convolution
CHUNK_BYTES = 3 << 18  # 768 KB: convolutions work on as many images at a time as fit in a core's cache


def compile(model, workers=None, input_grad=False):  # noqa: A001 - PyTorch's name, on purpose
    """Return a :class:`CompiledModel`: ``model``'s computation with the speed tricks above.

    model: a layer or a Sequential (nested Sequentials are opened). workers: threads that share
    each batch; None picks 2 for a CNN when the machine (and any thread limit, see threadpoolctl)
    allows 2, else 1. input_grad: compute d loss / d input in ``backward`` (off: nobody needs the
    gradient with respect to the images). The compiled model shares the model's parameters.
    """
    return CompiledModel(model, workers, input_grad)


@functools.cache  # once per process
def keep_freed_memory():
    """Ask the C library (glibc, on Linux) to keep the memory numpy frees for the next step.

    Every training step allocates the same temporary arrays (1-40 MB each) and frees them again.
    By default glibc hands blocks over 128 KB back to the operating system at once, so the next step
    gets fresh pages, and the kernel zeroes each one as it is first touched (a "page fault"). Raising
    glibc's mmap and trim thresholds makes freed blocks stay in the process for the next step: peak
    memory is unchanged (the same arrays exist at the same time), but memory is not handed back when
    training ends. Elsewhere (macOS, Windows, musl) it does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process already uses
    except (OSError, AttributeError):  # not glibc
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's <malloc.h>
    mallopt(m_mmap_threshold, 32 << 20)  # glibc's largest: blocks up to 32 MB come from the heap
    mallopt(m_trim_threshold, 512 << 20)  # and up to 512 MB of freed heap is kept for reuse


def flat_layers(model):
    """The layers of ``model`` in order, with nested Sequentials opened."""
    if isinstance(model, Sequential):
        for layer in model:
            yield from flat_layers(layer)
    else:
        yield model


def default_workers(layers):
    """2 if the layers include a convolution and 2 cores and 2 BLAS threads are allowed, else 1."""
    if not any(isinstance(layer, Conv2d) for layer in layers):
        return 1  # dense networks: steps too short to share
    from threadpoolctl import threadpool_info

    limits = [info["num_threads"] for info in threadpool_info() if info.get("user_api") == "blas"]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min([2, cores, *limits]))


class CompiledModel:
    """A model's forward and backward with the speed tricks; see :func:`compile`.

    ``forward(x)`` / ``net(x)``, ``backward(dout)``, ``parameters()``, ``named_parameters()`` and
    ``zero_grad()`` work as on the model. ``backward`` returns d loss / d input only if the model was
    compiled with ``input_grad=True``; otherwise None (the first layers skip it).
    """

    def __init__(self, model, workers=None, input_grad=False):
        keep_freed_memory()
        self.model = model
        self.layers = list(flat_layers(model))
        self.input_grad = input_grad
        known = all(type(layer) in _OPS for layer in self.layers)  # subclasses may change the maths
        if workers is None:
            workers = default_workers(self.layers) if known else 1
        self.workers = int(workers) if known else 1
        self._plans = [_plan(self.layers, input_grad) for _ in range(self.workers)]
        self._pool = None
        self._blas = None
        self._bounds = None

    # --- the model's interface ----------------------------------------------------------------

    def __call__(self, x):
        return self.forward(x)

    def parameters(self):
        """The model's own Parameters."""
        return self.model.parameters()

    def named_parameters(self, prefix=""):
        """The model's own ``(name, Parameter)`` pairs."""
        return self.model.named_parameters(prefix)

    def zero_grad(self):
        """Set every parameter's gradient to zero."""
        self.model.zero_grad()

    def forward(self, x):
        """x: what the model takes, e.g. (N, C, H, W) -> the model's output, the same numbers."""
        x = as_float_array(x, "The model")
        n = len(x)
        workers = self.workers if n >= MIN_SPLIT_BATCH else 1
        if workers == 1:
            self._bounds = None
            return _forward(self._plans[0], x)
        bounds = np.linspace(0, n, workers + 1).astype(int)
        self._bounds = bounds
        parts = [(self._plans[i], x[a:b]) for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True))]
        outs = self._parallel(_forward, parts)
        return np.concatenate(outs)

    def backward(self, dout):
        """dout: d loss / d output -> d loss / d input (None unless ``input_grad``); adds to ``.grad``."""
        if self._bounds is None:
            if not self._plans[0][-1].ran:
                raise ForwardFirstError("compiled model: backward was called before forward; run net(x) first.")
            return _backward(self._plans[0], dout, _add_to_grad)
        bounds = self._bounds
        grads = [{} for _ in self._plans]
        parts = [(self._plans[i], dout[a:b], _collect_into(grads[i]))
                 for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True))]
        dxs = self._parallel(_backward, parts)
        for local in grads:  # in worker order: the same numbers on every run
            for p, g in local.items():
                p.grad += g
        return None if dxs[0] is None else np.concatenate(dxs)

    def _parallel(self, fn, parts):
        if self._pool is None:
            from threadpoolctl import ThreadpoolController

            self._pool = ThreadPoolExecutor(self.workers - 1, thread_name_prefix="relulab-worker")
            self._blas = ThreadpoolController()  # found once: the lookup costs milliseconds
        # One BLAS thread per worker: two workers each asking BLAS for 2 threads would fight over 2 cores.
        with self._blas.limit(limits=1, user_api="blas"):
            others = [self._pool.submit(fn, *args) for args in parts[1:]]
            try:
                first = fn(*parts[0])  # the calling thread is a worker too
            finally:
                wait(others)  # never leave a worker running on these ops
            return [first] + [future.result() for future in others]

    def close(self):
        """Stop the worker threads (they also stop when the compiled model is garbage-collected)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    def __del__(self):
        if getattr(self, "_pool", None) is not None:
            self.close()

    def __repr__(self):
        return f"compile({self.model!r}, workers={self.workers})"


def _add_to_grad(p, g):
    p.grad += g


def _collect_into(local):
    """A worker's gradients go to its own dict first: two threads adding to one array would race."""
    def add(p, g):
        local[p] = local[p] + g if p in local else g
    return add


def _forward(plan, x):
    for op in plan:
        x = op.forward(x)
    return x


def _backward(plan, dout, add_grad):
    for op in reversed(plan):
        if dout is None:  # nothing before this point learns: no gradient needed
            break
        dout = op.backward(dout, add_grad)
    return dout


# --- the plan: which op runs which layers ------------------------------------------------------

def _monotone(act):
    """True if the activation is non-decreasing, so it commutes with max pooling."""
    if isinstance(act, LeakyReLU):
        return act.negative_slope >= 0
    return type(act) in (ReLU, PReLU, Sigmoid, Tanh)  # PReLU: its slopes are checked on every call


_CHANNELS_LAST_OK = (Conv2d, MaxPool2d, Flatten, ReLU, LeakyReLU, PReLU, Sigmoid, Tanh)


def _plan(layers, input_grad):
    """Turn the layer list into ops; each op runs one layer, or an activation and the pool after it.

    From the first convolution on, images are kept channels-last, (N, H, W, C), until a Flatten
    (or a layer that needs (N, C, H, W)) turns them back.
    """
    ops, i, last = [], 0, False
    while i < len(layers):
        layer, t = layers[i], type(layers[i])
        # d loss / d input of this layer is needed only if a layer before it learns something.
        need_dx = input_grad or any(earlier.parameters() for earlier in layers[:i])
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        from_images = t is Conv2d and not last and not need_dx  # _ConvFromImages: no transpose needed
        if t is Conv2d and not last and need_dx:
            ops.append(_ToChannelsLast(need_dx))
        if t is Conv2d:
            last = True
        elif last and t not in _CHANNELS_LAST_OK:
            ops.append(_ToChannelsFirst())
            last = False
        if t in _ACTS and type(nxt) is MaxPool2d and _monotone(layer):
            ops.append(_PoolThenAct(_MaxPool(nxt, last), _ACTS[t](layer, last)))
            i += 2
            continue
        if t is Conv2d:
            pool = None
            for later in layers[i + 1:]:  # a max pool reached through activations only
                if type(later) is MaxPool2d:
                    pool = later
                if type(later) not in _ACTS:
                    break
            ops.append(_ConvFromImages(layer, need_dx, pool) if from_images else _Conv(layer, need_dx, pool))
        elif t is Flatten and last:
            ops.append(_FlattenChannelsLast())
            last = False
        elif t in _ACTS or t is MaxPool2d:
            ops.append(_OPS[t](layer, last))
        elif t in _OPS:
            ops.append(_OPS[t](layer, need_dx))
        else:
            ops.append(_AsIs(layer))
        i += 1
    if last:
        ops.append(_ToChannelsFirst())
    return ops


class _Op:
    ran = False


class _AsIs(_Op):
    """A layer this module does not know: its own forward and backward."""

    def __init__(self, layer, need_dx=True):
        self.layer = layer

    def forward(self, x):
        self.ran = True
        return self.layer.forward(x)

    def backward(self, dout, add_grad):
        return self.layer.backward(dout)


class _ToChannelsLast(_Op):
    """(N, C, H, W) -> (N, H, W, C): convolution then needs no transposes (see _Conv)."""

    def __init__(self, need_dx):
        self.need_dx = need_dx

    def forward(self, x):
        self.ran = True
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1))

    def backward(self, dout, add_grad):
        return np.ascontiguousarray(dout.transpose(0, 3, 1, 2)) if self.need_dx else None


class _ToChannelsFirst(_Op):
    """(N, H, W, C) -> (N, C, H, W), for whatever comes next."""

    def forward(self, x):
        self.ran = True
        return np.ascontiguousarray(x.transpose(0, 3, 1, 2))

    def backward(self, dout, add_grad):
        return np.ascontiguousarray(dout.transpose(0, 2, 3, 1))


class _Linear(_Op):
    def __init__(self, layer, need_dx):
        self.layer, self.need_dx = layer, need_dx

    def forward(self, x):
        layer = self.layer
        layer._check_shape(x, 2, f"(N, {layer.in_features})", layer.in_features, "feature")
        self.x, self.ran = x, True
        out = x @ layer.weight.data.T
        if layer.bias is not None:
            out += layer.bias.data
        return out

    def backward(self, dout, add_grad):
        layer = self.layer
        add_grad(layer.weight, dout.T @ self.x)
        if layer.bias is not None:
            add_grad(layer.bias, dout.sum(axis=0))
        return dout @ layer.weight.data if self.need_dx else None


class _Flatten(_Op):
    def __init__(self, layer, need_dx):
        pass

    def forward(self, x):
        if x.ndim < 2:
            Flatten().forward(x)  # raises its clear error
        self.shape, self.ran = x.shape, True
        return x.reshape(x.shape[0], -1)

    def backward(self, dout, add_grad):
        return dout.reshape(self.shape)


class _FlattenChannelsLast(_Op):
    """Flatten (N, H, W, C) in PyTorch's (N, C, H, W) order, so the Linear after it sees the same features."""

    def forward(self, x):
        self.shape, self.ran = x.shape, True
        return x.transpose(0, 3, 1, 2).reshape(x.shape[0], -1)

    def backward(self, dout, add_grad):
        n, h, w, c = self.shape
        return dout.reshape(n, c, h, w).transpose(0, 2, 3, 1)


# Activations: the same arithmetic as the layers, so the numbers are identical; the cache is the op's.

class _ReLU(_Op):
    def __init__(self, layer, last=False):
        pass

    def forward(self, x):
        self.x, self.ran = x, True
        return np.maximum(0, x)

    def backward(self, dout, add_grad):
        return dout * (self.x > 0)


class _LeakyReLU(_Op):
    """The same numbers as the layer's ``np.where``s, without them: ``np.where`` on a mask without a pattern
    is slow (8 ms for a million numbers on the benchmark machine, against 1 ms for ``np.maximum`` and 2 ms
    for a table look-up)."""

    def __init__(self, layer, last=False):
        self.slope = layer.negative_slope
        # the derivative: table[False] = slope, table[True] = 1, as float32 and float64
        self.table = {t: np.array([self.slope, 1], dtype=t) for t in (np.float32, np.float64)}

    def forward(self, x):
        self.mask, self.ran = x > 0, True
        if 0 <= self.slope <= 1:  # then x > 0 gives x >= slope*x, else slope*x >= x: the larger one wins
            return np.maximum(x, x * self.slope)
        return np.where(self.mask, x, x * self.slope)

    def backward(self, dout, add_grad):
        table = self.table.get(dout.dtype.type)
        if table is None:
            return np.where(self.mask, dout, dout * self.slope)
        return dout * np.take(table, self.mask.view(np.uint8))  # dout * 1 is dout exactly


class _PReLU(_Op):
    def __init__(self, layer, last=False):
        self.layer, self.last = layer, last

    def _slope(self, x):
        if not self.last:
            return self.layer._slope(x)
        a = self.layer._slope(x.transpose(0, 3, 1, 2))  # checks the channels; (1, C, 1, 1) or ()
        return a.reshape(1, 1, 1, -1) if a.ndim else a

    def forward(self, x):
        self.x, self.mask, self.ran = x, x > 0, True
        return np.where(self.mask, x, x * self._slope(x))

    def backward(self, dout, add_grad):
        x, layer = self.x, self.layer
        dalpha = np.where(self.mask, 0, dout * x)
        if layer.num_parameters == 1:
            add_grad(layer.weight, dalpha.sum())
        else:
            channel = 3 if self.last else 1
            add_grad(layer.weight, dalpha.sum(axis=tuple(a for a in range(x.ndim) if a != channel)))
        return np.where(self.mask, dout, dout * self._slope(x))


class _Sigmoid(_Op):
    def __init__(self, layer, last=False):
        pass

    def forward(self, x):
        self.ran = True
        z = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
        return self.out

    def backward(self, dout, add_grad):
        s = self.out
        return dout * s * (1 - s)


class _Tanh(_Op):
    def __init__(self, layer, last=False):
        pass

    def forward(self, x):
        self.ran = True
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout, add_grad):
        # dout * (1 - out*out), the same numbers, in one temporary array instead of three
        grad = np.multiply(self.out, self.out)
        np.subtract(1, grad, out=grad)
        return np.multiply(dout, grad, out=grad)


_ACTS = {ReLU: _ReLU, LeakyReLU: _LeakyReLU, PReLU: _PReLU, Sigmoid: _Sigmoid, Tanh: _Tanh}


# --- convolution --------------------------------------------------------------------------------

class _Conv(_Op):
    """Conv2d on channels-last images: im2col with the bias folded in, a few images at a time (their
    columns never leave the cache; backward builds them again), trimming, and the input gradient as one
    small product per kernel offset."""

    def __init__(self, layer, need_dx, pool=None):
        self.layer, self.need_dx, self.pool = layer, need_dx, pool

    def forward(self, x):
        layer = self.layer
        layer._check(x.transpose(0, 3, 1, 2))  # the layer's own messages, on an (N, C, H, W) view
        n, h, w, c = x.shape
        k, s, p, f = layer.kernel_size, layer.stride, layer.padding, layer.out_channels
        h_out, w_out = self._out_size(h, w)
        if p:
            padded = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=x.dtype)
            padded[:, p:p + h, p:p + w] = x
            x = padded
        self.in_shape, self.out_hw, self.ran = (n, h, w, c), (h_out, w_out), True
        self.pack = pack = _pack(s, f, w_out)
        kw = k + pack - 1  # the window of `pack` neighbouring outputs is k x kw
        windows = sliding_window_view(x, (k, kw), axis=(1, 2))[:, : s * h_out : s, : s * w_out : s * pack]
        self.windows = windows.transpose(0, 1, 2, 4, 5, 3)  # (N, Ho, Wo/pack, k, kw, C): a column holds (i, j, channel)
        kkc = k * kw * c
        rows = h_out * w_out // pack
        self.step = max(1, CHUNK_BYTES // (rows * (kkc + 1) * x.itemsize))  # images whose columns fit the cache
        w_mat = np.empty((kkc + 1, pack * f), dtype=x.dtype)
        w_mat[:kkc] = _side_by_side(layer.weight.data.transpose(2, 3, 1, 0), pack)
        w_mat[kkc] = np.tile(layer.bias.data, pack) if layer.bias is not None else 0
        out = np.empty((n * rows, pack * f), dtype=x.dtype)
        for a in range(0, n, self.step):
            cols = self._columns(a)
            np.matmul(cols, w_mat, out=out[a * rows:a * rows + len(cols)])
        return out.reshape(n, h_out, w_out, f)

    def _out_size(self, h, w):
        h_out, w_out = self.layer.output_size(h, w)
        if self.pool is not None and min(h_out, w_out) >= self.pool.kernel_size:
            # Trim: only the rows and columns the max pool after it reads.
            h_out, w_out = (_used(size, self.pool) for size in (h_out, w_out))
        return h_out, w_out

    def _columns(self, a):
        """The columns of images a, a+1, ... (``self.step`` of them, fewer at the end), as
        (images * Ho * Wo/pack, k*kw*C + 1), the last column all ones (the bias), in a buffer that
        is reused in the next step."""
        windows = self.windows[a:a + self.step]
        m, h_out, w_out, k, kw, c = windows.shape
        kkc = k * kw * c
        buf = getattr(self, "_cols", None)
        shape = (self.step, h_out, w_out, kkc + 1)
        if buf is None or buf.shape != shape or buf.dtype != windows.dtype:
            buf = self._cols = np.empty(shape, dtype=windows.dtype)
            buf[..., kkc] = 1  # the bias column
        buf[:m, ..., :kkc].reshape(m, h_out, w_out, k, kw, c)[...] = windows
        return buf[:m].reshape(m * h_out * w_out, kkc + 1)

    def backward(self, dout, add_grad):
        layer = self.layer
        n, h_out, w_out, f = dout.shape
        k, s, p = layer.kernel_size, layer.stride, layer.padding
        _, h, w, c = self.in_shape
        pack = self.pack
        d2 = dout.reshape(-1, pack * f)  # (N*Ho*Wo/pack, pack*F)
        rows = h_out * w_out // pack
        kw = k + pack - 1
        dw = np.zeros((pack * f, k * kw * c + 1), dtype=dout.dtype)  # weight and bias gradients, from the same products
        for a in range(0, n, self.step):
            cols = self._columns(a)  # built again: cheaper than keeping every image's columns in memory
            dw += d2[a * rows:a * rows + len(cols)].T @ cols
        dw = dw.reshape(pack, f, -1)
        by_output = dw[:, :, :-1].reshape(pack, f, k, kw, c)  # what each of the `pack` outputs sent to the kernel
        dw_kernel = by_output[0, :, :, :k]
        for q in range(1, pack):
            dw_kernel = dw_kernel + by_output[q, :, :, q:q + k]
        add_grad(layer.weight, dw_kernel.transpose(0, 3, 1, 2))
        if layer.bias is not None:
            add_grad(layer.bias, dw[:, :, -1].sum(axis=0))
        if not self.need_dx:
            return None
        d2, rows = dout.reshape(-1, f), h_out * w_out  # (N*Ho*Wo, F): one output per row again
        if s == 1 and p <= k - 1 and h * w <= FULL_CONV_ROWS * rows:
            return self._input_grad_as_convolution(dout)
        w_offsets = np.ascontiguousarray(layer.weight.data.transpose(2, 3, 0, 1))  # (k, k, F, C)
        dx = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=dout.dtype)
        step = max(1, CHUNK_BYTES // (rows * max(c, f) * dout.itemsize))  # a few images: all in the cache
        part = np.empty((step * rows, c), dtype=dout.dtype)
        for a in range(0, n, step):
            d_part, dx_part = d2[a * rows:(a + step) * rows], dx[a:a + step]
            m = len(dx_part)
            part_4d = part[:m * rows].reshape(m, h_out, w_out, c)
            for i in range(k):  # what kernel offset (i, j) sent back, added where it came from
                for j in range(k):
                    np.matmul(d_part, w_offsets[i, j], out=part[:m * rows])
                    dx_part[:, i:i + s * h_out:s, j:j + s * w_out:s] += part_4d
        return dx[:, p:p + h, p:p + w] if p else dx

    def _input_grad_as_convolution(self, dout):
        """Stride 1: d loss / d input is itself a convolution, of dout (zero-padded by k-1-p) with the kernel
        flipped and its in and out channels swapped: ``dx[y, x] = sum over i, j of dout[y+p-i, x+p-j] @ W[:, :, i, j]``.
        Its columns hold k*k*F numbers, so it is one well-shaped product per chunk of images, with no adds.
        Used where it computes few zeros (h*w <= 1.2 * Ho*Wo: padding about k//2)."""
        layer = self.layer
        n, h_out, w_out, f = dout.shape
        _, h, w, c = self.in_shape
        k, p = layer.kernel_size, layer.padding
        q = k - 1 - p
        grid = np.zeros((n, h + k - 1, w + k - 1, f), dtype=dout.dtype)
        grid[:, q:q + h_out, q:q + w_out] = dout
        pack = _pack(1, c, w)
        kw = k + pack - 1
        windows = sliding_window_view(grid, (k, kw), axis=(1, 2))[:, :, ::pack].transpose(0, 1, 2, 4, 5, 3)
        # (N, H, W/pack, k, kw, F); the kernel flipped, rows in the columns' order (i, j, f), pack outputs side by side
        flipped = _side_by_side(layer.weight.data[:, :, ::-1, ::-1].transpose(2, 3, 0, 1), pack)
        rows = h * w // pack
        step = max(1, CHUNK_BYTES // (rows * k * kw * f * dout.itemsize))
        shape = (step, h, w // pack, k * kw * f)
        buf = getattr(self, "_dcols", None)
        if buf is None or buf.shape != shape or buf.dtype != dout.dtype:
            buf = self._dcols = np.empty(shape, dtype=dout.dtype)
        dx = np.empty((n * rows, pack * c), dtype=dout.dtype)
        for a in range(0, n, step):
            m = min(step, n - a)
            buf[:m].reshape(m, h, w // pack, k, kw, f)[...] = windows[a:a + m]
            np.matmul(buf[:m].reshape(m * rows, -1), flipped, out=dx[a * rows:(a + m) * rows])
        return dx.reshape(n, h, w, c)


class _ConvFromImages(_Conv):
    """The first convolution (no input gradient), straight from (N, C, H, W) images.

    Its columns are stored transposed, one row per (channel, i, j) and one column per output position,
    so each kernel offset is ONE copy whose rows are whole image rows (long copies), where the channels-last
    version copies C numbers at a time (C = 1 or 3 for images). No transpose to channels-last is needed: the
    product ``cols.T @ W`` comes out channels-last.
    """

    def forward(self, x):
        layer = self.layer
        layer._check(x)
        n, c, h, w = x.shape
        k, s, p, f = layer.kernel_size, layer.stride, layer.padding, layer.out_channels
        h_out, w_out = self._out_size(h, w)
        if p:
            padded = np.zeros((n, c, h + 2 * p, w + 2 * p), dtype=x.dtype)
            padded[:, :, p:p + h, p:p + w] = x
            x = padded
        self.in_shape, self.out_hw, self.ran = (n, h, w, c), (h_out, w_out), True
        kkc = c * k * k
        cols = self._buffer((kkc + 1, n, h_out, w_out), x.dtype)
        by_offset = cols[:kkc].reshape(c, k, k, n, h_out, w_out)
        for i in range(k):
            for j in range(k):
                by_offset[:, i, j] = x[:, :, i:i + s * h_out:s, j:j + s * w_out:s].transpose(1, 0, 2, 3)
        cols[kkc] = 1  # the bias row
        self.cols = cols.reshape(kkc + 1, -1)
        w_mat = np.empty((kkc + 1, f), dtype=x.dtype)
        w_mat[:kkc] = layer.weight.data.reshape(f, kkc).T
        w_mat[kkc] = layer.bias.data if layer.bias is not None else 0
        return (self.cols.T @ w_mat).reshape(n, h_out, w_out, f)

    def _buffer(self, shape, dtype):
        """The columns' array, reused from the last step: arrays over 32 MB would otherwise be fresh pages from
        the operating system on every step, and touching them first costs more than the copy into them."""
        buf = getattr(self, "_cols", None)
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self._cols = np.empty(shape, dtype=dtype)
        return buf

    def backward(self, dout, add_grad):
        layer = self.layer
        f = dout.shape[-1]
        dw = self.cols @ dout.reshape(-1, f)  # (C*k*k + 1, F): weight and bias gradients from one product
        add_grad(layer.weight, dw[:-1].T.reshape(layer.weight.data.shape))
        if layer.bias is not None:
            add_grad(layer.bias, dw[-1])
        return None


PACK_CHANNELS = 16  # products with at most this many output channels compute two neighbouring outputs per row


def _pack(stride, out_channels, width):
    """How many neighbouring outputs of a row one row of the product computes: 2 for thin products
    (at most PACK_CHANNELS output channels, stride 1, an even width), else 1. See _side_by_side."""
    return 2 if stride == 1 and out_channels <= PACK_CHANNELS and width % 2 == 0 else 1


def _side_by_side(kernel, pack):
    """A (k, k, In, Out) kernel -> the ((k, k + pack - 1, In), (pack, Out)) matrix whose product with the
    columns of a k x (k + pack - 1) window gives `pack` neighbouring outputs at once (zeros where an
    output's own k x k window does not reach). A product with 16 output columns runs at about 60 GFLOP/s
    on the benchmark machine, with 32 at about 100; the zeros cost (k + 1) / k more arithmetic."""
    k, _, cin, cout = kernel.shape
    if pack == 1:
        return kernel.reshape(k * k * cin, cout)
    wide = np.zeros((k, k + pack - 1, cin, pack, cout), dtype=kernel.dtype)
    for q in range(pack):
        wide[:, q:q + k, :, q] = kernel
    return wide.reshape(-1, pack * cout)


def _used(size, pool):
    """How many of ``size`` rows a floor max pool reads."""
    k, s = pool.kernel_size, pool.stride
    return s * ((size - k) // s) + k


# --- max pooling ---------------------------------------------------------------------------------

def _strided(x, axis, start, stride, size):
    """The view ``x[..., start : start + stride*(size-1) + 1 : stride, ...]`` along ``axis``."""
    index = [slice(None)] * x.ndim
    index[axis] = slice(start, start + stride * (size - 1) + 1, stride)
    return x[tuple(index)]


def _scatter_to_winners(dout, idx, k, axis):
    """Undo one pooling stage with non-overlapping windows (stride == k): dout at the winners, else 0."""
    shape = list(dout.shape)
    shape.insert(axis + 1, k)  # (..., size, k, ...): offset i of window m lands at m*k + i
    grad = np.empty(shape, dtype=dout.dtype)
    share = [grad[(slice(None),) * (axis + 1) + (i,)] for i in range(k)]
    if k == 2:
        np.multiply(dout, idx, out=share[1])  # the second position won where idx is True,
        np.subtract(dout, share[1], out=share[0])  # the first one everywhere else
    else:
        for i in range(k):
            np.multiply(dout, idx == i, out=share[i])
    shape[axis : axis + 2] = [shape[axis] * k]
    return grad.reshape(shape)


class _MaxPool(_Op):
    """Max pooling as two stages of np.maximum (across columns, then rows), each remembering which offset won."""

    def __init__(self, layer, last=False):
        self.layer = layer
        self.rows, self.cols = (1, 2) if last else (2, 3)

    def forward(self, x):
        layer = self.layer
        layer._check_ndim(x, 4, "(N, C, H, W)")
        k, s = layer.kernel_size, layer.stride
        h, w = x.shape[self.rows], x.shape[self.cols]
        if min(h, w) < k:
            return layer.forward(x.transpose(0, 3, 1, 2) if self.rows == 1 else x)  # raises its clear error
        h_out, w_out = (h - k) // s + 1, (w - k) // s + 1
        self.x_shape, self.ran = x.shape, True
        x_used = _strided(x, self.rows, 0, 1, s * (h_out - 1) + k)  # rows a floor pool never reads are skipped
        best_in_row, self.col_idx = self._max_over_offsets(x_used, w_out, self.cols)
        out, self.row_idx = self._max_over_offsets(best_in_row, h_out, self.rows)
        return out

    def _max_over_offsets(self, x, size, axis):
        k, s = self.layer.kernel_size, self.layer.stride
        best = _strided(x, axis, 0, s, size)
        idx = np.zeros(best.shape, dtype=np.uint8)
        for i in range(1, k):
            candidate = _strided(x, axis, i, s, size)
            better = candidate > best  # strict: a tie keeps the earlier position
            best = np.maximum(best, candidate)
            if k == 2:
                idx = better
            else:
                idx[better] = i
        return best, idx

    def backward(self, dout, add_grad):
        k, s = self.layer.kernel_size, self.layer.stride
        rows, cols = self.rows, self.cols
        h, w = self.x_shape[rows], self.x_shape[cols]
        h_out, w_out = dout.shape[rows], dout.shape[cols]
        h_used, w_used = s * (h_out - 1) + k, s * (w_out - 1) + k
        if k == s:
            d_rows = _scatter_to_winners(dout, self.row_idx, k, axis=rows)
            dx_used = _scatter_to_winners(d_rows, self.col_idx, k, axis=cols)
            if (h_used, w_used) == (h, w):
                return dx_used
            dx = np.zeros(self.x_shape, dtype=dout.dtype)
            _strided(_strided(dx, rows, 0, 1, h_used), cols, 0, 1, w_used)[...] = dx_used
            return dx
        d_shape = list(dout.shape)
        d_shape[rows] = h_used
        d_rows = np.zeros(d_shape, dtype=dout.dtype)
        for i in range(k):
            _strided(d_rows, rows, i, s, h_out)[...] += np.where(self.row_idx == i, dout, 0)
        dx = np.zeros(self.x_shape, dtype=dout.dtype)
        dx_used = _strided(dx, rows, 0, 1, h_used)
        for j in range(k):
            _strided(dx_used, cols, j, s, w_out)[...] += np.where(self.col_idx == j, d_rows, 0)
        return dx


class _PoolThenAct(_Op):
    """An activation followed by a max pool, run as pool then activation (on a quarter of the numbers)."""

    def __init__(self, pool, act):
        self.pool, self.act = pool, act
        self.prelu = isinstance(act, _PReLU)

    def forward(self, x):
        self.ran = True
        # A PReLU slope can become negative while training; then the order matters and is kept.
        self.swapped = not self.prelu or bool((self.act.layer.weight.data >= 0).all())
        if self.swapped:
            return self.act.forward(self.pool.forward(x))
        return self.pool.forward(self.act.forward(x))

    def backward(self, dout, add_grad):
        if self.swapped:
            return self.pool.backward(self.act.backward(dout, add_grad), add_grad)
        return self.act.backward(self.pool.backward(dout, add_grad), add_grad)


_OPS = {Linear: _Linear, Flatten: _Flatten, MaxPool2d: _MaxPool, Conv2d: _Conv, **_ACTS}
