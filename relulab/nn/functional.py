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


def im2col(x, kernel_size, stride=1, padding=0):
    """Every k x k window of every channel, as a column: the step that makes convolution a matrix product.

    x: (N, C, H, W) -> cols: (N, C*k*k, H_out*W_out); column ``i*W_out + j`` of image n holds the
    window whose top-left corner is (i*stride, j*stride) of the zero-padded image. Then
    ``weight.reshape(F, -1) @ cols`` is the convolution, shaped (N, F, H_out*W_out).
    """
    k = kernel_size
    if padding:
        x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, Ho, Wo, k, k)
    n, c, h_out, w_out = windows.shape[:4]
    return windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k * k, h_out * w_out)


def col2im(cols, x_shape, kernel_size, stride=1, padding=0):
    """The backward of :func:`im2col`: add every column's numbers back onto the pixels they came from.

    cols: (N, C*k*k, H_out*W_out), x_shape: (N, C, H, W) -> (N, C, H, W). A pixel that sits in
    several windows receives the sum of their numbers.
    """
    n, c, h, w = x_shape
    k, s, p = kernel_size, stride, padding
    h_out, w_out = conv_output_size(h, k, s, p), conv_output_size(w, k, s, p)
    cols = cols.reshape(n, c, k, k, h_out, w_out)
    x_pad = np.zeros((n, c, h + 2 * p, w + 2 * p), dtype=cols.dtype)
    for i in range(k):  # one slice per kernel offset: the window pixel (i, j) of every output position
        for j in range(k):
            x_pad[:, :, i:i + s * h_out:s, j:j + s * w_out:s] += cols[:, :, i, j]
    return x_pad[:, :, p:p + h, p:p + w]
