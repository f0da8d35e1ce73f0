"""Convolution and max pooling on images shaped (N, C, H, W).

``conv2d_loops`` is the obvious version, four nested loops, for reading and for
tests. ``Conv2d`` computes exactly the same numbers with one matrix product per
image (im2col); the comments say what each speed trick buys, as measured on a
2-core CPU with batch 64.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import init as _init
from .errors import InputError
from .module import Module
from .parameter import Parameter


def _out_size(size, kernel_size, stride, padding):
    return (size + 2 * padding - kernel_size) // stride + 1


def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    """Reference convolution, written as plain loops (slow; for teaching and tests).

    x: (N, C, H, W), weight: (F, C, k, k), bias: (F,) or None
    -> out: (N, F, H_out, W_out) with H_out = (H + 2*padding - k) // stride + 1.
    ``out[n, f, i, j] = sum(patch * weight[f]) + bias[f]`` where ``patch`` is the
    k-by-k window of every channel whose top-left corner is at (i*stride, j*stride).
    (Like PyTorch, this is cross-correlation: the kernel is not flipped.)
    """
    x = np.asarray(x, dtype=np.result_type(x, np.float32))
    weight = np.asarray(weight, dtype=x.dtype)
    n_images, _, height, width = x.shape
    n_filters, _, k, _ = weight.shape
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out = _out_size(height, k, stride, padding)
    w_out = _out_size(width, k, stride, padding)
    out = np.zeros((n_images, n_filters, h_out, w_out), dtype=x.dtype)
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(h_out):
                for j in range(w_out):
                    top, left = i * stride, j * stride
                    patch = x[n, :, top:top + k, left:left + k]
                    out[n, f, i, j] = np.sum(patch * weight[f])
                    if bias is not None:
                        out[n, f, i, j] += bias[f]
    return out


class Conv2d(Module):
    """2-D convolution layer (cross-correlation, like PyTorch).

    x: (N, in_channels, H, W) -> out: (N, out_channels, H_out, W_out),
    H_out = (H + 2*padding - kernel_size) // stride + 1 (same for W).
    weight: (out_channels, in_channels, k, k), bias: (out_channels,).
    Weights start with He initialisation (``init="xavier"`` for sigmoid/tanh nets).
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True,
                 rng=None, init="he"):
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size, self.stride, self.padding = int(kernel_size), int(stride), int(padding)
        if self.kernel_size < 1 or self.stride < 1 or self.padding < 0:
            raise ValueError(f"{self!r}: kernel_size and stride must be >= 1 and padding >= 0.")
        k = self.kernel_size
        fan_in = self.in_channels * k * k
        self.weight = Parameter(np.zeros((self.out_channels, self.in_channels, k, k)), name="weight")
        if init == "he":
            _init.he_(self.weight, fan_in, rng=rng)
        elif init == "xavier":
            _init.xavier_(self.weight, fan_in, self.out_channels * k * k, rng=rng)
        else:
            raise ValueError(f"init must be 'he' or 'xavier', not {init!r}")
        self.bias = Parameter(np.zeros(self.out_channels), name="bias") if bias else None

    def _check(self, x):
        self._check_shape(x, 4, f"(N, {self.in_channels}, H, W)", self.in_channels, "channel")
        k, p = self.kernel_size, self.padding
        h, w = x.shape[2] + 2 * p, x.shape[3] + 2 * p
        if h < k or w < k:
            pad = f"with padding={p} " if p else ""
            raise InputError(
                f"{self!r} got input shaped {x.shape}: {pad}the image is {h}x{w}, smaller than the "
                f"{k}x{k} kernel. Use smaller kernels, more padding, or less pooling before it."
            )

    def output_size(self, h, w):
        """(H_out, W_out) for an input of height h and width w."""
        k, s, p = self.kernel_size, self.stride, self.padding
        return _out_size(h, k, s, p), _out_size(w, k, s, p)

    def forward(self, x, out_size=None):
        """x: (N, C, H, W) -> (N, F, H_out, W_out).

        ``out_size=(h, w)`` computes only the top-left h x w outputs: Sequential asks
        for this when a max pool right after drops the last row/column anyway.
        """
        x = self._as_input(x)
        self._check(x)
        n, c, h, w = x.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        h_out, w_out = self.output_size(h, w)
        if out_size is not None:
            h_out, w_out = min(h_out, out_size[0]), min(w_out, out_size[1])
        if p:
            x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        self.x_shape = x.shape
        # im2col: every k x k window as one column. sliding_window_view is a free
        # view; the assignment below is the only copy (a loop over offsets: +18-28%).
        windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, : s * h_out : s, : s * w_out : s]
        ckk = c * k * k  # windows: (N, C, Ho, Wo, k, k)
        cols = np.empty((n, ckk + 1, h_out * w_out), dtype=x.dtype)
        cols[:, :ckk].reshape(n, c, k, k, h_out, w_out)[...] = windows.transpose(0, 1, 4, 5, 2, 3)
        # A row of ones folds the bias into the matrix product, so backward gets the
        # bias gradient from the same product instead of a tall sum (+21-48% otherwise).
        cols[:, ckk] = 1
        self.cols = cols
        w_mat = self._weight_matrix()  # (F, C*k*k + 1)
        out = w_mat @ cols  # (N, F, Ho*Wo): one matrix product per image, already in NCHW order
        return out.reshape(n, self.out_channels, h_out, w_out)

    def _weight_matrix(self):
        f = self.out_channels
        w_flat = self.weight.data.reshape(f, -1)
        b = self.bias.data if self.bias is not None else np.zeros(f, dtype=w_flat.dtype)
        return np.concatenate([w_flat, b[:, None]], axis=1)

    def backward(self, dout):
        """dout: (N, F, H_out, W_out) -> dx: (N, C, H, W), or None if not needed."""
        n, f, h_out, w_out = dout.shape
        d2 = dout.reshape(n, f, h_out * w_out)
        # Weight and bias gradients in one go: sum over images of dout_n @ cols_n^T.
        dw_mat = (d2 @ self.cols.transpose(0, 2, 1)).sum(axis=0)  # (F, C*k*k + 1)
        self.weight.grad += dw_mat[:, :-1].reshape(self.weight.shape)
        if self.bias is not None:
            self.bias.grad += dw_mat[:, -1]
        if not self.needs_input_grad:
            return None  # first layer: d loss / d images is never used (saves 24-44% of a step)
        c, k, s, p = self.in_channels, self.kernel_size, self.stride, self.padding
        w_flat = self.weight.data.reshape(f, -1)
        # Input gradient with the batch axis last (C, H, W, N): each slice added in col2im
        # below is then one long contiguous run instead of many rows of W_out numbers,
        # which makes col2im about 2x faster, transposes included.
        dout_t = np.ascontiguousarray(dout.transpose(1, 2, 3, 0)).reshape(f, -1)  # (F, Ho*Wo*N)
        dcols = (w_flat.T @ dout_t).reshape(c, k, k, h_out, w_out, n)
        # col2im: add each kernel offset's slice back in place; np.add.at would be 2-3x slower.
        _, _, hp, wp = self.x_shape
        dx_t = np.zeros((c, hp, wp, n), dtype=dout.dtype)
        for i in range(k):
            for j in range(k):
                dx_t[:, i:i + s * h_out:s, j:j + s * w_out:s] += dcols[:, i, j]
        dx = np.ascontiguousarray(dx_t.transpose(3, 0, 1, 2))  # back to (N, C, H, W)
        if p:
            dx = dx[:, :, p:-p, p:-p]
        return dx

    def __repr__(self):
        extra = ""
        if self.stride != 1:
            extra += f", stride={self.stride}"
        if self.padding:
            extra += f", padding={self.padding}"
        if "bias" in vars(self) and self.bias is None:
            extra += ", bias=False"
        return f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}{extra})"


def _strided(x, axis, start, stride, size):
    """The view ``x[..., start : start + stride*(size-1) + 1 : stride, ...]`` along ``axis`` (2 or 3)."""
    index = [slice(None)] * x.ndim
    index[axis] = slice(start, start + stride * (size - 1) + 1, stride)
    return x[tuple(index)]


def _scatter_to_winners(dout, idx, k, axis):
    """Undo one pooling stage with non-overlapping windows (stride == k).

    dout: the stage's output gradient; idx: which of the k offsets won (bool when k == 2).
    Returns an array k times longer along ``axis`` with dout at the winners, 0 elsewhere.
    """
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


class MaxPool2d(Module):
    """Max pooling: the largest value of each kernel_size x kernel_size window.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out), H_out = (H - kernel_size) // stride + 1;
    ``stride`` defaults to ``kernel_size``. Rows and columns that do not fill a
    whole window are dropped (floor), like PyTorch. The gradient goes to the
    position that held the maximum (the first one on a tie).
    """

    def __init__(self, kernel_size=2, stride=None):
        self.kernel_size = int(kernel_size)
        self.stride = self.kernel_size if stride is None else int(stride)

    def used_size(self, h, w):
        """How many rows and columns of an h x w input the windows read (the rest is dropped)."""
        k, s = self.kernel_size, self.stride
        return s * ((h - k) // s) + k, s * ((w - k) // s) + k

    def forward(self, x):
        """x: (N, C, H, W) -> (N, C, H_out, W_out)."""
        x = self._as_input(x)
        self._check_ndim(x, 4, "(N, C, H, W)")
        k, s = self.kernel_size, self.stride
        n, c, h, w = x.shape
        if h < k or w < k:
            raise InputError(
                f"{self!r} got input shaped {x.shape}: the image is {h}x{w}, smaller than the "
                f"{k}x{k} pooling window."
            )
        h_out, w_out = (h - k) // s + 1, (w - k) // s + 1
        self.x_shape = x.shape
        # Two stages of np.maximum, across columns and then across rows: about 5x
        # faster than reshape(...).max(axis=...). Each stage remembers which offset
        # won, so the gradient goes to the first maximum in reading order, as in PyTorch.
        h_used = s * (h_out - 1) + k  # rows a floor pool never reads are skipped
        cols, self.col_idx = self._max_over_offsets(x[:, :, :h_used], w_out, axis=3)
        out, self.row_idx = self._max_over_offsets(cols, h_out, axis=2)
        return out

    def _max_over_offsets(self, x, size, axis):
        """Max of the k slices x[..., i::stride, ...] along ``axis`` -> (max, index of the winner)."""
        k, s = self.kernel_size, self.stride
        best = _strided(x, axis, 0, s, size)
        idx = np.zeros(best.shape, dtype=np.uint8)
        for i in range(1, k):
            candidate = _strided(x, axis, i, s, size)
            better = candidate > best  # strict: a tie keeps the earlier position
            best = np.maximum(best, candidate)
            if k == 2:
                idx = better  # bool works as the index 0/1, no extra pass
            else:
                idx[better] = i
        return best, idx

    def backward(self, dout):
        """dout: (N, C, H_out, W_out) -> dx: (N, C, H, W)."""
        k, s = self.kernel_size, self.stride
        n, c, h, w = self.x_shape
        h_out, w_out = dout.shape[2], dout.shape[3]
        h_used, w_used = s * (h_out - 1) + k, s * (w_out - 1) + k
        if k == s:  # windows do not overlap: write each offset's share once, no zeros and +=
            dcols = _scatter_to_winners(dout, self.row_idx, k, axis=2)  # (N, C, h_used, W_out)
            dx_used = _scatter_to_winners(dcols, self.col_idx, k, axis=3)  # (N, C, h_used, w_used)
            if (h_used, w_used) == (h, w):
                return dx_used
            dx = np.zeros(self.x_shape, dtype=dout.dtype)  # odd sizes: the dropped row/column get 0
            dx[:, :, :h_used, :w_used] = dx_used
            return dx
        # Overlapping windows: add each offset's share into place.
        dcols = np.zeros((n, c, h_used, w_out), dtype=dout.dtype)
        for i in range(k):
            _strided(dcols, 2, i, s, h_out)[...] += np.where(self.row_idx == i, dout, 0)
        dx = np.zeros(self.x_shape, dtype=dout.dtype)
        for j in range(k):
            _strided(dx[:, :, :h_used], 3, j, s, w_out)[...] += np.where(self.col_idx == j, dcols, 0)
        return dx

    def __repr__(self):
        extra = f", stride={self.stride}" if self.stride != self.kernel_size else ""
        return f"MaxPool2d(kernel_size={self.kernel_size}{extra})"
