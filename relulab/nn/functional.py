"""Plain functions on arrays that the whole course shares (numpy only).

``conv2d`` is the course's one 2-D convolution for images: notebook 02's cat filters, notebook 05's
lesson and the ``Conv2d`` layer all compute it. Like PyTorch it is cross-correlation (the kernel is
not flipped) with zero padding.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Output length of a convolution or pooling along one axis: (size + 2*padding - k) // stride + 1."""
    return (size + 2 * padding - kernel_size) // stride + 1


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """2-D convolution (cross-correlation), vectorised: every window becomes a column, one product.

    x: (N, C, H, W), weight: (F, C, k, k), bias: (F,) or None
    -> out: (N, F, H_out, W_out), H_out = (H + 2*padding - k) // stride + 1 (likewise W_out).
    ``out[n, f, i, j] = sum(x[n, :, i*stride : i*stride+k, j*stride : j*stride+k] * weight[f]) + bias[f]``
    (on the zero-padded x). Also accepts a single image (H, W) with a single kernel (k, k) and then
    returns (H_out, W_out). The result is float32 for float32 inputs, else float64.
    """
    x = np.asarray(x)
    weight = np.asarray(weight)
    single = x.ndim == 2 and weight.ndim == 2
    if single:
        x, weight = x[None, None], weight[None, None]
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"conv2d takes x shaped (N, C, H, W) and weight (F, C, k, k) (or one (H, W) image "
                         f"and one (k, k) kernel); got x {x.shape} and weight {weight.shape}.")
    if x.shape[1] != weight.shape[1]:
        raise ValueError(f"conv2d: x has {x.shape[1]} channels but weight expects {weight.shape[1]} "
                         f"(x {x.shape}, weight {weight.shape}).")
    dtype = np.result_type(x.dtype, weight.dtype, np.float32)
    x, weight = x.astype(dtype, copy=False), weight.astype(dtype, copy=False)
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out = conv_output_size(h, kh, stride, padding)
    w_out = conv_output_size(w, kw, stride, padding)
    if h_out < 1 or w_out < 1:
        raise ValueError(f"conv2d: the {kh}x{kw} kernel does not fit in the {h}x{w} image "
                         f"with padding={padding}.")
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, : stride * h_out : stride, : stride * w_out : stride]
    # windows: (N, C, H_out, W_out, kh, kw); contract C, kh, kw against the weight's last three axes.
    out = np.einsum("nchwij,fcij->nfhw", windows, weight, optimize=True)
    if bias is not None:
        out += np.asarray(bias, dtype=dtype).reshape(1, f, 1, 1)
    out = np.ascontiguousarray(out, dtype=dtype)
    return out[0, 0] if single else out
