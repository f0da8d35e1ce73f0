"""``nn.compile(model)``: the same model, a faster execution (PyTorch's word for the same idea).

The layers in ``activations``, ``layers`` and ``conv`` are written to be read. This module runs the
same computation with the speed tricks a learner does not need to meet. A compiled model holds no
weights of its own: it uses the model's ``Parameter`` objects (their ``.data`` is read on every call,
gradients are added to their ``.grad``), so an optimizer built on ``model.parameters()`` trains both.

    net = nn.compile(model)            # what nn.fit does unless compile=False
    out = net(X); loss = loss_fn(out, y); net.backward(loss_fn.backward()); optimizer.step()

The tricks, with what each buys (times are milliseconds for one training step, batch 64, float32,
on a 2-core CPU; "slower without" is the step time when only that trick is undone):

* **Split the batch over the cores** (``workers=2`` for a CNN with a batch of 16 or more): numpy
  multi-threads only its matrix products, and on small CNNs most of the time goes to single-threaded
  work (window copies, pooling, activations). Two threads, each running forward and backward on half
  of the batch, use the second core for all of it (numpy releases Python's lock inside its loops).
  Each thread has its own caches and gradient buffers; the gradients are added up afterwards, so the
  result is the whole batch's gradient up to float rounding. Net A 8.1 -> 5.5 ms, net B 12.5 -> 7.4 ms.
* **Pool before the activation**: for max pooling and any non-decreasing activation (ReLU, Leaky
  ReLU and PReLU with slopes >= 0, sigmoid, tanh), ``max(f(a), f(b)) == f(max(a, b))``, so the
  activation runs on a quarter of the numbers. For ReLU every number and every gradient is identical;
  for the others the outputs are identical and a gradient can move to the other position of a tie
  that rounding created. 10-33% of a step.
* **Trim**: a convolution followed (through activations) by a max pool that drops its last row or
  column (odd sizes) computes only the outputs the pool reads: 10-29% of that layer.
* **Skip the input gradient of the first layer**: nobody needs d loss / d images: 24-44% of a step.
* **im2col in one copy, bias folded into the product**: the windows are copied once from a
  ``sliding_window_view`` (a loop over offsets: +18-28%), and a row of ones in the columns makes the
  bias gradient come out of the weight-gradient product (a tall ``sum``: +21-48%).
* **col2im with the batch last**: the input gradient is assembled as (C, H, W, N), so each of the
  k*k slices added back is one long contiguous run: col2im about 2x faster than (N, C, H, W).
* **Max pooling as two stages of ``np.maximum``** (across columns, then rows), remembering which
  offset won: about 5x faster than ``reshape(...).max(axis=...)``.

Layers this module does not know (your own ``Module`` subclasses) run as they are, on one core.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .activations import LeakyReLU, PReLU, ReLU, Sigmoid, Tanh
from .container import Sequential
from .conv import Conv2d, MaxPool2d
from .errors import ForwardFirstError, as_float_array
from .layers import Flatten, Linear

MIN_SPLIT_BATCH = 16  # below this a step is too short to share between two threads


def compile(model, workers=None, input_grad=False):  # noqa: A001 - PyTorch's name, on purpose
    """Return a :class:`CompiledModel`: ``model``'s computation with the speed tricks above.

    model: a layer or a Sequential (nested Sequentials are opened). workers: threads that share
    each batch; None picks 2 for a CNN when the machine (and any thread limit, see threadpoolctl)
    allows 2, else 1. input_grad: compute d loss / d input in ``backward`` (off: nobody needs the
    gradient with respect to the images). The compiled model shares the model's parameters.
    """
    return CompiledModel(model, workers, input_grad)


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
    ``zero_grad()`` work as on the model. ``backward`` returns None when the first layer skips the
    input gradient (always, unless ``input_grad=True`` is set).
    """

    def __init__(self, model, workers=None, input_grad=False):
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

            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="relulab-worker")
            self._blas = ThreadpoolController()  # found once: the lookup costs milliseconds
        # One BLAS thread per worker: two workers each asking BLAS for 2 threads would fight over 2 cores.
        with self._blas.limit(limits=1, user_api="blas"):
            return list(self._pool.map(lambda args: fn(*args), parts))

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
        dout = op.backward(dout, add_grad)
    return dout


# --- the plan: which op runs which layers ------------------------------------------------------

def _monotone(act):
    """True if the activation is non-decreasing, so it commutes with max pooling."""
    if isinstance(act, LeakyReLU):
        return act.negative_slope >= 0
    return type(act) in (ReLU, PReLU, Sigmoid, Tanh)  # PReLU: its slopes are checked on every call


def _plan(layers, input_grad):
    """Turn the layer list into ops; each op runs one layer, or an activation and the pool after it."""
    ops, i = [], 0
    while i < len(layers):
        layer = layers[i]
        need_dx = bool(ops) or input_grad
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        if type(layer) in _ACTS and isinstance(nxt, MaxPool2d) and _monotone(layer):
            ops.append(_PoolThenAct(nxt, _ACTS[type(layer)](layer)))
            i += 2
            continue
        if type(layer) is Conv2d:
            pool = None
            for later in layers[i + 1:]:  # a max pool reached through activations only
                if isinstance(later, MaxPool2d):
                    pool = later
                if type(later) not in _ACTS:
                    break
            ops.append(_Conv(layer, need_dx, pool))
        elif type(layer) in _OPS:
            ops.append(_OPS[type(layer)](layer, need_dx))
        else:
            ops.append(_AsIs(layer))
        i += 1
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
        self.shape, self.ran = x.shape, True
        return x.reshape(x.shape[0], -1)

    def backward(self, dout, add_grad):
        return dout.reshape(self.shape)


# Activations: the same arithmetic as the layers, so the numbers are identical; the cache is the op's.

class _ReLU(_Op):
    def __init__(self, layer, need_dx=True):
        pass

    def forward(self, x):
        self.x, self.ran = x, True
        return np.maximum(0, x)

    def backward(self, dout, add_grad):
        return dout * (self.x > 0)


class _LeakyReLU(_Op):
    def __init__(self, layer, need_dx=True):
        self.slope = layer.negative_slope

    def forward(self, x):
        self.mask, self.ran = x > 0, True
        return np.where(self.mask, x, x * self.slope)

    def backward(self, dout, add_grad):
        return np.where(self.mask, dout, dout * self.slope)


class _PReLU(_Op):
    def __init__(self, layer, need_dx=True):
        self.layer = layer

    def forward(self, x):
        self.x, self.mask, self.ran = x, x > 0, True
        return np.where(self.mask, x, x * self.layer._slope(x))

    def backward(self, dout, add_grad):
        x, layer = self.x, self.layer
        dalpha = np.where(self.mask, 0, dout * x)
        if layer.num_parameters == 1:
            add_grad(layer.weight, dalpha.sum())
        else:
            add_grad(layer.weight, dalpha.sum(axis=(0,) + tuple(range(2, x.ndim))))
        return np.where(self.mask, dout, dout * layer._slope(x))


class _Sigmoid(_Op):
    def __init__(self, layer, need_dx=True):
        self.layer = layer

    def forward(self, x):
        self.ran = True
        z = np.exp(-np.abs(x))
        self.out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
        return self.out

    def backward(self, dout, add_grad):
        s = self.out
        return dout * s * (1 - s)


class _Tanh(_Op):
    def __init__(self, layer, need_dx=True):
        pass

    def forward(self, x):
        self.ran = True
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout, add_grad):
        return dout * (1 - self.out * self.out)


_ACTS = {ReLU: _ReLU, LeakyReLU: _LeakyReLU, PReLU: _PReLU, Sigmoid: _Sigmoid, Tanh: _Tanh}


# --- convolution --------------------------------------------------------------------------------

class _Conv(_Op):
    """Conv2d with im2col in one copy, the bias folded into the product, trimming, and col2im batch-last."""

    def __init__(self, layer, need_dx, pool=None):
        self.layer, self.need_dx, self.pool = layer, need_dx, pool

    def forward(self, x):
        layer = self.layer
        layer._check(x)
        n, c, h, w = x.shape
        k, s, p = layer.kernel_size, layer.stride, layer.padding
        h_out, w_out = layer.output_size(h, w)
        if self.pool is not None and min(h_out, w_out) >= self.pool.kernel_size:
            # Trim: only the rows and columns the max pool after it reads.
            h_out, w_out = (_used(size, self.pool) for size in (h_out, w_out))
        if p:
            x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        self.x_shape, self.out_hw, self.ran = x.shape, (h_out, w_out), True
        windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, : s * h_out : s, : s * w_out : s]
        ckk = c * k * k
        cols = np.empty((n, ckk + 1, h_out * w_out), dtype=x.dtype)
        cols[:, :ckk].reshape(n, c, k, k, h_out, w_out)[...] = windows.transpose(0, 1, 4, 5, 2, 3)
        cols[:, ckk] = 1  # the bias row
        self.cols = cols
        out = self._weight_matrix() @ cols  # (N, F, Ho*Wo), already in NCHW order
        return out.reshape(n, layer.out_channels, h_out, w_out)

    def _weight_matrix(self):
        layer = self.layer
        f = layer.out_channels
        w_flat = layer.weight.data.reshape(f, -1)
        b = layer.bias.data if layer.bias is not None else np.zeros(f, dtype=w_flat.dtype)
        return np.concatenate([w_flat, b[:, None]], axis=1)

    def backward(self, dout, add_grad):
        layer = self.layer
        n, f, h_out, w_out = dout.shape
        d2 = dout.reshape(n, f, h_out * w_out)
        dw_mat = (d2 @ self.cols.transpose(0, 2, 1)).sum(axis=0)  # (F, C*k*k + 1): weight and bias
        add_grad(layer.weight, dw_mat[:, :-1].reshape(layer.weight.shape))
        if layer.bias is not None:
            add_grad(layer.bias, dw_mat[:, -1])
        if not self.need_dx:
            return None
        c, k, s, p = layer.in_channels, layer.kernel_size, layer.stride, layer.padding
        w_flat = layer.weight.data.reshape(f, -1)
        dout_t = np.ascontiguousarray(dout.transpose(1, 2, 3, 0)).reshape(f, -1)  # (F, Ho*Wo*N)
        dcols = (w_flat.T @ dout_t).reshape(c, k, k, h_out, w_out, n)
        _, _, hp, wp = self.x_shape
        dx_t = np.zeros((c, hp, wp, n), dtype=dout.dtype)
        for i in range(k):
            for j in range(k):
                dx_t[:, i:i + s * h_out:s, j:j + s * w_out:s] += dcols[:, i, j]
        dx = np.ascontiguousarray(dx_t.transpose(3, 0, 1, 2))
        if p:
            dx = dx[:, :, p:-p, p:-p]
        return dx


def _used(size, pool):
    """How many of ``size`` rows a floor max pool reads."""
    k, s = pool.kernel_size, pool.stride
    return s * ((size - k) // s) + k


# --- max pooling ---------------------------------------------------------------------------------

def _strided(x, axis, start, stride, size):
    """The view ``x[..., start : start + stride*(size-1) + 1 : stride, ...]`` along ``axis`` (2 or 3)."""
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
    """Max pooling as two stages of np.maximum, each remembering which offset won."""

    def __init__(self, layer, need_dx=True):
        self.layer = layer

    def forward(self, x):
        layer = self.layer
        layer._check_ndim(x, 4, "(N, C, H, W)")
        if min(x.shape[2:]) < layer.kernel_size:
            return layer.forward(x)  # raises its clear error
        k, s = layer.kernel_size, layer.stride
        h, w = x.shape[2:]
        h_out, w_out = (h - k) // s + 1, (w - k) // s + 1
        self.x_shape, self.ran = x.shape, True
        h_used = s * (h_out - 1) + k
        cols, self.col_idx = self._max_over_offsets(x[:, :, :h_used], w_out, axis=3)
        out, self.row_idx = self._max_over_offsets(cols, h_out, axis=2)
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
        n, c, h, w = self.x_shape
        h_out, w_out = dout.shape[2], dout.shape[3]
        h_used, w_used = s * (h_out - 1) + k, s * (w_out - 1) + k
        if k == s:
            dcols = _scatter_to_winners(dout, self.row_idx, k, axis=2)
            dx_used = _scatter_to_winners(dcols, self.col_idx, k, axis=3)
            if (h_used, w_used) == (h, w):
                return dx_used
            dx = np.zeros(self.x_shape, dtype=dout.dtype)
            dx[:, :, :h_used, :w_used] = dx_used
            return dx
        dcols = np.zeros((n, c, h_used, w_out), dtype=dout.dtype)
        for i in range(k):
            _strided(dcols, 2, i, s, h_out)[...] += np.where(self.row_idx == i, dout, 0)
        dx = np.zeros(self.x_shape, dtype=dout.dtype)
        for j in range(k):
            _strided(dx[:, :, :h_used], 3, j, s, w_out)[...] += np.where(self.col_idx == j, dcols, 0)
        return dx


class _PoolThenAct(_Op):
    """An activation followed by a max pool, run as pool then activation (on a quarter of the numbers)."""

    def __init__(self, pool, act):
        self.pool, self.act = _MaxPool(pool), act
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
