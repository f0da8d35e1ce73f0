"""Convolution and max pooling layers on images shaped (N, C, H, W).

The layers are vectorised and short: ``Conv2d`` turns every window into a column (``im2col``) and
multiplies once; ``MaxPool2d`` looks at every window at once. Both compute the same numbers as the
plain loops of :mod:`relulab.nn.reference` (``conv_forward``/``conv_backward``,
``max_pool_forward``/``max_pool_backward``), which the tests check. The speed tricks live in
:mod:`relulab.nn.fast`, behind ``nn.compile``.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import init as _init
from .errors import InputError
from .functional import col2im, conv_output_size, im2col
from .module import Module
from .parameter import Parameter


class Conv2d(Module):
    """2-D convolution layer (cross-correlation, like PyTorch).

    x: (N, in_channels, H, W) -> out: (N, out_channels, H_out, W_out),
    H_out = (H + 2*padding - kernel_size) // stride + 1 (same for W).
    weight: (out_channels, in_channels, k, k), bias: (out_channels,).
    Weights start with He initialisation (``init="xavier"`` for sigmoid/tanh nets).
    """

    _cache = ("x",)

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
        return conv_output_size(h, k, s, p), conv_output_size(w, k, s, p)

    def forward(self, x):
        """x: (N, C, H, W) -> (N, F, H_out, W_out)."""
        x = self._as_input(x)
        self._check(x)
        self.x = x
        n, _, h, w = x.shape
        f = self.out_channels
        cols = im2col(x, self.kernel_size, self.stride, self.padding)  # (N, C*k*k, H_out*W_out)
        out = self.weight.data.reshape(f, -1) @ cols  # (N, F, H_out*W_out): one product per image
        if self.bias is not None:
            out += self.bias.data[:, None]
        return out.reshape(n, f, *self.output_size(h, w))

    def backward(self, dout):
        """dout: (N, F, H_out, W_out) -> dx: (N, C, H, W); adds to weight.grad and bias.grad."""
        n, f = dout.shape[:2]
        d = dout.reshape(n, f, -1)  # (N, F, H_out*W_out)
        cols = im2col(self.x, self.kernel_size, self.stride, self.padding)  # the columns forward used
        self.weight.grad += (d @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(self.weight.shape)
        if self.bias is not None:
            self.bias.grad += dout.sum(axis=(0, 2, 3))
        dcols = self.weight.data.reshape(f, -1).T @ d  # (N, C*k*k, H_out*W_out)
        return col2im(dcols, self.x.shape, self.kernel_size, self.stride, self.padding)

    def __repr__(self):
        extra = ""
        if self.stride != 1:
            extra += f", stride={self.stride}"
        if self.padding:
            extra += f", padding={self.padding}"
        if "bias" in vars(self) and self.bias is None:
            extra += ", bias=False"
        return f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}{extra})"


class MaxPool2d(Module):
    """Max pooling: the largest value of each kernel_size x kernel_size window.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out), H_out = (H - kernel_size) // stride + 1;
    ``stride`` defaults to ``kernel_size``. Rows and columns that do not fill a
    whole window are dropped (floor), like PyTorch. The gradient goes to the
    position that held the maximum (the first one on a tie).
    """

    _cache = ("x_shape", "argmax")

    def __init__(self, kernel_size=2, stride=None):
        self.kernel_size = int(kernel_size)
        self.stride = self.kernel_size if stride is None else int(stride)

    def output_size(self, h, w):
        """(H_out, W_out) for an input of height h and width w."""
        k, s = self.kernel_size, self.stride
        return conv_output_size(h, k, s), conv_output_size(w, k, s)

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
        h_out, w_out = self.output_size(h, w)
        windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s]  # (N, C, Ho, Wo, k, k)
        windows = windows.reshape(n, c, h_out, w_out, k * k)
        self.x_shape = x.shape
        self.argmax = windows.argmax(axis=-1)  # which of the k*k positions won (the first on a tie)
        return windows.max(axis=-1)

    def backward(self, dout):
        """dout: (N, C, H_out, W_out) -> dx: (N, C, H, W), dout at each window's winner, 0 elsewhere."""
        k, s = self.kernel_size, self.stride
        h_out, w_out = dout.shape[2:]
        dx = np.zeros(self.x_shape, dtype=dout.dtype)
        for i in range(k):  # window position (i, j) of every window at once
            for j in range(k):
                dx[:, :, i:i + s * h_out:s, j:j + s * w_out:s] += np.where(self.argmax == i * k + j, dout, 0)
        return dx

    def __repr__(self):
        extra = f", stride={self.stride}" if self.stride != self.kernel_size else ""
        return f"MaxPool2d(kernel_size={self.kernel_size}{extra})"
