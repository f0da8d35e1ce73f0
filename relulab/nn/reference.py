"""The reference path: every layer as a pair of plain functions, forward and backward.

In the style of cs231n's ``layers.py``: ``out, cache = relu_forward(x)`` computes the output and
remembers what the backward pass will need; ``dx = relu_backward(dout, cache)`` turns the gradient
of the loss with respect to the output (``dout``, shaped like ``out``) into the gradient with respect
to the input (``dx``, shaped like ``x``) and, for layers with weights, the weights' gradients.

Convolution and max pooling are written as plain loops over every output position, forward *and*
backward: slow, but each line says what happens to one number. The layer classes (``nn.Conv2d``,
``nn.MaxPool2d``, ...) compute the same numbers faster and are tested against these functions;
``nn.compile`` is faster still and is tested against the layers.

Shapes: N examples, C input channels, F filters (output channels), H x W images, k x k kernels.
"""

import numpy as np


def _out_size(size, kernel_size, stride, padding):
    return (size + 2 * padding - kernel_size) // stride + 1


# --- Linear ------------------------------------------------------------------------------------

def linear_forward(x, weight, bias):
    """x: (N, D), weight: (M, D), bias: (M,) -> out: (N, M) = x @ weight.T + bias, cache."""
    out = x @ weight.T + bias
    return out, (x, weight)


def linear_backward(dout, cache):
    """dout: (N, M) -> dx: (N, D), dweight: (M, D), dbias: (M,)."""
    x, weight = cache
    dx = dout @ weight  # each input feeds every output through its weight
    dweight = dout.T @ x  # summed over the N examples
    dbias = dout.sum(axis=0)
    return dx, dweight, dbias


# --- Activations -------------------------------------------------------------------------------

def relu_forward(x):
    """x: any shape -> out = max(0, x), same shape; cache = x."""
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    """dout: shape of x -> dx, same shape.

    The gradient passes where the input was positive and is 0 elsewhere. A unit whose input is
    negative for every example gets 0 here every time, so its weights never change: a dead ReLU.
    """
    x = cache
    return dout * (x > 0)


def leaky_relu_forward(x, negative_slope=0.01):
    """x: any shape -> out = x where x > 0, else negative_slope * x; cache."""
    return np.where(x > 0, x, negative_slope * x), (x, negative_slope)


def leaky_relu_backward(dout, cache):
    """dout: shape of x -> dx: dout where x > 0, else negative_slope * dout (never exactly 0)."""
    x, negative_slope = cache
    return np.where(x > 0, dout, negative_slope * dout)


def prelu_forward(x, alpha):
    """x: (N, C, ...), alpha: (1,) shared or (C,) one slope per channel -> out like Leaky ReLU; cache."""
    a = alpha.reshape((1, -1) + (1,) * (x.ndim - 2)) if alpha.size > 1 else alpha.reshape(())
    return np.where(x > 0, x, a * x), (x, alpha)


def prelu_backward(dout, cache):
    """dout: shape of x -> dx: shape of x, dalpha: shape of alpha.

    d out / d alpha is x where x <= 0 (0 elsewhere), summed over every example and position
    (and over channels too when one alpha is shared).
    """
    x, alpha = cache
    a = alpha.reshape((1, -1) + (1,) * (x.ndim - 2)) if alpha.size > 1 else alpha.reshape(())
    dx = np.where(x > 0, dout, a * dout)
    contribution = np.where(x > 0, 0, dout * x)
    if alpha.size > 1:
        dalpha = contribution.sum(axis=(0,) + tuple(range(2, x.ndim)))
    else:
        dalpha = contribution.sum().reshape(alpha.shape)
    return dx, dalpha


def sigmoid_forward(x):
    """x: any shape -> out = 1 / (1 + exp(-x)) in (0, 1); cache = out."""
    out = 1 / (1 + np.exp(-x))
    return out, out


def sigmoid_backward(dout, cache):
    """dout: shape of x -> dx = dout * s * (1 - s); the slope s(1-s) is at most 0.25."""
    s = cache
    return dout * s * (1 - s)


def tanh_forward(x):
    """x: any shape -> out = tanh(x) in (-1, 1); cache = out."""
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    """dout: shape of x -> dx = dout * (1 - tanh(x)^2)."""
    out = cache
    return dout * (1 - out * out)


# --- Flatten -----------------------------------------------------------------------------------

def flatten_forward(x):
    """x: (N, C, H, W) (or any (N, ...)) -> out: (N, C*H*W); cache = x's shape."""
    return x.reshape(x.shape[0], -1), x.shape


def flatten_backward(dout, cache):
    """dout: (N, C*H*W) -> dx: (N, C, H, W)."""
    return dout.reshape(cache)


# --- Convolution, as loops ---------------------------------------------------------------------

def conv_forward(x, weight, bias, stride=1, padding=0):
    """Convolution (cross-correlation, like PyTorch: the kernel is not flipped), as plain loops.

    x: (N, C, H, W), weight: (F, C, k, k), bias: (F,) or None
    -> out: (N, F, H_out, W_out) with H_out = (H + 2*padding - k) // stride + 1 (same for W), cache.
    ``out[n, f, i, j]`` is the sum of the k x k window of every channel whose top-left corner is at
    (i*stride, j*stride) of the zero-padded image, times ``weight[f]``, plus ``bias[f]``.
    """
    n_images, _, height, width = x.shape
    n_filters, _, k, _ = weight.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out = _out_size(height, k, stride, padding)
    w_out = _out_size(width, k, stride, padding)
    out = np.zeros((n_images, n_filters, h_out, w_out), dtype=x.dtype)
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(h_out):
                for j in range(w_out):
                    top, left = i * stride, j * stride
                    window = x_pad[n, :, top:top + k, left:left + k]  # (C, k, k)
                    out[n, f, i, j] = np.sum(window * weight[f])
                    if bias is not None:
                        out[n, f, i, j] += bias[f]
    return out, (x, weight, bias, stride, padding)


def conv_backward(dout, cache):
    """The same loops, run backwards.

    dout: (N, F, H_out, W_out) -> dx: (N, C, H, W), dweight: (F, C, k, k), dbias: (F,) or None.
    Each output number was ``sum(window * weight[f]) + bias[f]``, so its gradient ``g`` flows to
    every weight as ``g * window``, to every pixel of the window as ``g * weight[f]``, and to the bias
    as ``g``. A pixel covered by several windows adds up the gradient from each of them.
    """
    x, weight, bias, stride, padding = cache
    n_images, n_filters, h_out, w_out = dout.shape
    k = weight.shape[2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dx_pad = np.zeros_like(x_pad)
    dweight = np.zeros_like(weight)
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(h_out):
                for j in range(w_out):
                    top, left = i * stride, j * stride
                    g = dout[n, f, i, j]
                    dweight[f] += g * x_pad[n, :, top:top + k, left:left + k]
                    dx_pad[n, :, top:top + k, left:left + k] += g * weight[f]
    dx = dx_pad[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]]
    dbias = dout.sum(axis=(0, 2, 3)) if bias is not None else None
    return dx, dweight, dbias


# --- Max pooling, as loops ---------------------------------------------------------------------

def max_pool_forward(x, kernel_size=2, stride=None):
    """The largest number of each kernel_size x kernel_size window, as plain loops.

    x: (N, C, H, W) -> out: (N, C, H_out, W_out), H_out = (H - kernel_size) // stride + 1 (rows and
    columns that do not fill a window are dropped, like PyTorch); stride defaults to kernel_size.
    """
    k = kernel_size
    s = k if stride is None else stride
    n_images, channels, height, width = x.shape
    h_out, w_out = (height - k) // s + 1, (width - k) // s + 1
    out = np.zeros((n_images, channels, h_out, w_out), dtype=x.dtype)
    for n in range(n_images):
        for c in range(channels):
            for i in range(h_out):
                for j in range(w_out):
                    out[n, c, i, j] = x[n, c, i * s:i * s + k, j * s:j * s + k].max()
    return out, (x, k, s)


def max_pool_backward(dout, cache):
    """dout: (N, C, H_out, W_out) -> dx: (N, C, H, W).

    Only the winner of each window changed the output, so it alone receives the gradient; on a tie
    the first maximum in reading order wins (as in PyTorch). Every other position gets 0.
    """
    x, k, s = cache
    n_images, channels, h_out, w_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(n_images):
        for c in range(channels):
            for i in range(h_out):
                for j in range(w_out):
                    window = x[n, c, i * s:i * s + k, j * s:j * s + k]
                    r, q = np.unravel_index(np.argmax(window), window.shape)  # first maximum
                    dx[n, c, i * s + r, j * s + q] += dout[n, c, i, j]
    return dx


# --- Loss --------------------------------------------------------------------------------------

def softmax_cross_entropy(logits, y):
    """logits: (N, K) scores, y: (N,) labels in 0..K-1 -> loss (float), dlogits: (N, K).

    loss = mean over examples of -log softmax(logits)[y]; dlogits = (softmax(logits) - onehot(y)) / N.
    """
    shifted = logits - logits.max(axis=1, keepdims=True)  # exp never overflows now
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(y)
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1
    return float(loss), dlogits / n
