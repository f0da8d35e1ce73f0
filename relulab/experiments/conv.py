"""Convolution three ways, output sizes, max pooling and shifted pictures (notebook 05).

A convolution slides a small grid of weights (the *kernel*, or *filter*) over an image; at every
position it multiplies the pixels under the kernel by the weights and adds the products up. This
module writes that down three times, from the most explicit to the fastest:

- :func:`multiply_adds`: every product of one output value, listed (the version by hand);
- :func:`conv2d_loops`: plain Python loops over the output positions;
- :func:`im2col` and :func:`conv2d_im2col`: every window becomes a column of a matrix, and one matrix
  product with the flattened kernel computes all outputs at once.

All three agree with :func:`relulab.nn.functional.conv2d`, the course's one vectorised convolution
(tests check it). Like PyTorch's ``conv2d`` they do not flip the kernel: strictly speaking this is a
*cross-correlation*; :func:`true_convolution` is the textbook convolution, which flips it first.

Everything here is numpy only: arrays and numbers in, arrays, numbers and dicts out.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..activations import relu
from ..nn.functional import conv2d, conv_output_size

# A 5 × 5 picture with a dark left part and a bright right part, and a 3 × 3 vertical-edge kernel:
# the example worked by hand at the start of the notebook.
EXAMPLE_IMAGE = np.array([
    [0, 0, 1, 2, 2],
    [0, 0, 1, 2, 2],
    [0, 1, 2, 2, 2],
    [0, 1, 2, 2, 1],
    [0, 0, 1, 1, 1],
], dtype=float)
EXAMPLE_KERNEL = np.array([
    [-1, 0, 1],
    [-1, 0, 1],
    [-1, 0, 1],
], dtype=float)

PRESETS = {
    "vertical edge": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "horizontal edge": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "diagonal / edge": [[-2, -1, 0], [-1, 0, 1], [0, 1, 2]],
    "diagonal \\ edge": [[0, 1, 2], [-1, 0, 1], [-2, -1, 0]],
    "blur": [[0.0625, 0.125, 0.0625], [0.125, 0.25, 0.125], [0.0625, 0.125, 0.0625]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
}
"""3 × 3 kernels by name. The edge kernels are Sobel's: positive weights on the side that should be
bright (right, below, below-right, above-right), negative on the other, summing to 0. The blur is a
weighted average (its weights sum to 1); sharpen adds to each pixel its difference from its neighbours."""


def preset(name: str) -> np.ndarray:
    """The 3 × 3 kernel called ``name`` (see :data:`PRESETS`), as a float array."""
    if name not in PRESETS:
        raise ValueError(f"unknown kernel {name!r}; choose from: {', '.join(PRESETS)}")
    return np.array(PRESETS[name], dtype=float)


# ---------------------------------------------------------------------------------------
# One output by hand, then loops, then one matrix product.

def multiply_adds(image, kernel, i: int, j: int) -> dict:
    """Every multiply-add behind output ``(i, j)`` of a valid, stride-1 convolution.

    Returns ``{"pixels": the k × k window whose top-left corner is (i, j), "products": pixels * kernel,
    "terms": ["0×(−1)", ...] one string per product, row by row, "total": the sum}``.
    """
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    k = kernel.shape[0]
    pixels = image[i:i + k, j:j + k]
    if pixels.shape != kernel.shape:
        raise ValueError(f"the {k}×{k} kernel does not fit at ({i}, {j}) in a {image.shape} image")
    products = pixels * kernel
    terms = [f"{_num(p)}×{_num(w, brackets=True)}" for p, w in zip(pixels.ravel(), kernel.ravel(), strict=True)]
    return {"pixels": pixels, "products": products, "terms": terms, "total": float(products.sum())}


def _num(v: float, brackets: bool = False) -> str:
    text = f"{float(v) + 0.0:g}".replace("-", "−")
    return f"({text})" if brackets and text.startswith("−") else text


def conv2d_loops(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """One-channel convolution (cross-correlation) with two plain loops over the output positions.

    image: (H, W), kernel: (k, k) -> (H_out, W_out) with H_out = (H + 2*padding - k) // stride + 1.
    ``out[i, j] = sum(window * kernel)`` for the k × k window at rows ``i*stride ...``, columns
    ``j*stride ...`` of the zero-padded image. The image is not changed.
    """
    image = np.pad(np.asarray(image, dtype=float), padding)
    kernel = np.asarray(kernel, dtype=float)
    k = kernel.shape[0]
    h_out = output_size(image.shape[0] - 2 * padding, k, stride, padding)
    w_out = output_size(image.shape[1] - 2 * padding, k, stride, padding)
    out = np.zeros((h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = image[i * stride:i * stride + k, j * stride:j * stride + k]
            out[i, j] = np.sum(window * kernel)
    return out


def im2col(image, k: int, stride: int = 1) -> np.ndarray:
    """Every k × k window of ``image`` flattened into one column (no padding).

    image: (H, W) -> (k*k, H_out*W_out); column ``i * W_out + j`` is the window whose top-left
    corner is (i*stride, j*stride), read row by row. The columns are a copy: windows overlap, so a
    pixel appears in up to k*k columns.
    """
    image = np.asarray(image, dtype=float)
    h_out = output_size(image.shape[0], k, stride)
    w_out = output_size(image.shape[1], k, stride)
    windows = np.lib.stride_tricks.sliding_window_view(image, (k, k))[::stride, ::stride][:h_out, :w_out]
    return windows.reshape(h_out * w_out, k * k).T.copy()


def conv2d_im2col(image, kernel, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The same convolution as one matrix product: (flattened kernel) @ (windows as columns).

    image: (H, W), kernel: (k, k) -> (H_out, W_out).
    """
    image = np.pad(np.asarray(image, dtype=float), padding)
    kernel = np.asarray(kernel, dtype=float)
    k = kernel.shape[0]
    columns = im2col(image, k, stride)
    h_out = output_size(image.shape[0], k, stride)
    w_out = output_size(image.shape[1], k, stride)
    return (kernel.ravel() @ columns).reshape(h_out, w_out)


def true_convolution(image, kernel) -> np.ndarray:
    """The convolution of signal processing: the kernel turned by 180° (flipped both ways) first.

    image: (H, W), kernel: (k, k) -> (H - k + 1, W - k + 1). For a symmetric kernel (a blur) it is the
    same as :func:`relulab.nn.functional.conv2d`; for an edge kernel the sign of the response flips.
    """
    return conv2d(np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)[::-1, ::-1])


# ---------------------------------------------------------------------------------------
# Output sizes.

def output_size(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """Side length of a convolution's or pooling's output: ``(n + 2*padding - k) // stride + 1``.

    Raises ``ValueError`` with a sentence when the kernel does not fit or a setting is not positive.
    """
    if k < 1 or stride < 1 or padding < 0 or n < 1:
        raise ValueError(f"sizes must be positive (n={n}, k={k}, stride={stride}) and padding at least 0 "
                         f"(padding={padding}).")
    if k > n + 2 * padding:
        raise ValueError(f"a {k}×{k} kernel does not fit in a {n}×{n} input with padding {padding} "
                         f"({n} + 2·{padding} = {n + 2 * padding} < {k}).")
    return conv_output_size(n, k, stride, padding)


def size_arithmetic(n: int, k: int, stride: int = 1, padding: int = 0) -> dict:
    """The output-size formula with the numbers put in, for the stride/padding explorer.

    Returns ``{"size": output side (0 when the kernel does not fit), "formula": the worked formula as
    text, "unused": input rows (and columns) at the far edge that no window reaches, "padded": n + 2p,
    "starts": the window start positions along one axis (in padded coordinates)}``.
    """
    padded = n + 2 * padding
    if k > padded:
        return {"size": 0, "padded": padded, "unused": n, "starts": [],
                "formula": f"the {k}×{k} kernel does not fit: {n} + 2·{padding} = {padded} < {k}"}
    size = output_size(n, k, stride, padding)
    starts = [i * stride for i in range(size)]
    unused = padded - (starts[-1] + k)
    formula = (f"⌊({n} + 2·{padding} − {k}) / {stride}⌋ + 1 = ⌊{padded - k}/{stride}⌋ + 1 = {size}")
    return {"size": size, "padded": padded, "unused": unused, "starts": starts, "formula": formula}


def stack_sizes(n: int, layers) -> list[int]:
    """The side length after each layer of a stack, starting from an n × n input.

    ``layers``: a list of ``("conv", k, stride, padding)`` or ``("pool", k, stride)`` tuples (a pool
    has no padding here). Returns one size per layer (the input's size not included).
    """
    sizes = []
    for layer in layers:
        kind, k, stride, *rest = layer
        if kind not in ("conv", "pool"):
            raise ValueError(f"unknown layer {kind!r}: use ('conv', k, stride, padding) or ('pool', k, stride)")
        n = output_size(n, k, stride, rest[0] if rest else 0)
        sizes.append(n)
    return sizes


def describe_layer(layer) -> str:
    """``('conv', 5, 1, 2)`` -> ``'conv 5×5, stride 1, padding 2'``."""
    kind, k, stride, *rest = layer
    pad = f", padding {rest[0]}" if rest and kind == "conv" else ""
    return f"{kind} {k}×{k}, stride {stride}{pad}"


# ---------------------------------------------------------------------------------------
# The kernel editor: text boxes in, response out.

def parse_kernel(entries, size: int = 3) -> np.ndarray:
    """Turn ``size * size`` strings (row by row) into a kernel; accepts 2, −1.5, 1/9 and 1e-2.

    Raises ``ValueError`` with a sentence naming the box (row and column) that is empty or not a
    number, for a readout to show.
    """
    entries = list(entries)
    if len(entries) != size * size:
        raise ValueError(f"a {size}×{size} kernel needs {size * size} numbers, not {len(entries)}")
    values = []
    for index, entry in enumerate(entries):
        row, col = divmod(index, size)
        text = str(entry).strip().replace("−", "-").replace(" ", "")
        where = f"the box in row {row + 1}, column {col + 1}"
        if not text:
            raise ValueError(f"{where} is empty: type a number (0 if the weight should do nothing).")
        try:
            value = float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{where} holds {str(entry).strip()!r}, which is not a number: type something "
                             "like 2, −1, 0.5 or 1/9.") from None
        values.append(value)
    return np.array(values).reshape(size, size)


def kernel_response(image, kernel, bias: float = 0.0) -> dict:
    """Slide ``kernel`` over ``image`` (valid, stride 1), add ``bias``, apply ReLU.

    Returns ``{"raw": response + bias, "kept": relu(raw), "fraction_kept": share of the map > 0,
    "fraction_negative": share < 0, "peak": largest |raw|}``.
    """
    raw = conv2d(np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)) + bias
    return {"raw": raw, "kept": relu(raw), "fraction_kept": float((raw > 0).mean()),
            "fraction_negative": float((raw < 0).mean()), "peak": float(np.abs(raw).max())}


def feature_maps(image, kernels: dict, bias: float = 0.0) -> dict:
    """Many filters at once: one convolution with F kernels gives F feature maps (channels).

    ``kernels``: ``{name: (k, k) array}``, all the same size. Returns ``{"names": [...], "raw":
    (F, H_out, W_out) responses plus bias, "kept": relu(raw), "fraction_kept": [share > 0 per map]}``.
    """
    names = list(kernels)
    weight = np.stack([np.asarray(kernels[n], dtype=float) for n in names])[:, None]  # (F, 1, k, k)
    raw = conv2d(np.asarray(image, dtype=float)[None, None], weight)[0] + bias  # (F, H_out, W_out)
    kept = relu(raw)
    return {"names": names, "raw": raw, "kept": kept, "fraction_kept": [float((m > 0).mean()) for m in raw]}


# ---------------------------------------------------------------------------------------
# Max pooling and shifting.

def max_pool(x, size: int = 2) -> np.ndarray:
    """Non-overlapping max pooling: the largest value of every ``size`` × ``size`` block.

    x: (H, W) or (C, H, W) -> (H // size, W // size) or (C, H // size, W // size). Rows and columns
    that do not fill a whole block at the bottom or right edge are dropped (like PyTorch's
    ``MaxPool2d(size)``).
    """
    x = np.asarray(x)
    h, w = x.shape[-2] // size, x.shape[-1] // size
    if h < 1 or w < 1:
        raise ValueError(f"a {size}×{size} pool does not fit in a {x.shape[-2]}×{x.shape[-1]} map")
    blocks = x[..., :h * size, :w * size].reshape(*x.shape[:-2], h, size, w, size)
    return blocks.max(axis=(-3, -1))


def pool_winners(x, size: int = 2) -> np.ndarray:
    """A boolean mask of x's shape (H, W): True where a value is the one its pooling block keeps.

    One winner per block (the first, row by row, if several tie); cells outside whole blocks are False.
    """
    x = np.asarray(x)
    h, w = x.shape[0] // size, x.shape[1] // size
    blocks = x[:h * size, :w * size].reshape(h, size, w, size).transpose(0, 2, 1, 3).reshape(h, w, size * size)
    best = blocks.argmax(axis=-1)
    mask = np.zeros((h, w, size * size), dtype=bool)
    np.put_along_axis(mask, best[..., None], True, axis=-1)
    full = mask.reshape(h, w, size, size).transpose(0, 2, 1, 3).reshape(h * size, w * size)
    out = np.zeros(x.shape, dtype=bool)
    out[:h * size, :w * size] = full
    return out


def shift(image, dy: int = 0, dx: int = 0) -> np.ndarray:
    """The picture moved ``dy`` pixels down and ``dx`` pixels right; the strip that opens up repeats
    the edge pixels (nothing wraps around from the other side). The input is not changed."""
    image = np.asarray(image)
    h, w = image.shape
    padded = np.pad(image, ((abs(dy), abs(dy)), (abs(dx), abs(dx))), mode="edge")
    top, left = abs(dy) - dy, abs(dx) - dx
    return padded[top:top + h, left:left + w].copy()


def translation_change(image, kernel, shifts, pool: int = 4, bias: float = 0.0) -> dict:
    """How much a feature map and its max-pooled version change when the picture moves.

    For each ``s`` in ``shifts`` the picture is moved ``s`` pixels right; ReLU'd maps are compared
    with the unshifted one. Returns ``{"shifts": [...], "map_change": [...], "pooled_change": [...]}``,
    a change being the mean absolute difference divided by the mean absolute value of the unshifted
    map (0 = identical, about 1 = as different as the map is large). Only the common interior is
    compared, so the strip that opened at the edge does not count.
    """
    base = relu(conv2d(np.asarray(image, dtype=float), kernel) + bias)
    base_pooled = max_pool(base, pool)
    margin = max(shifts) + pool  # columns near the edge that a shift fills with repeated pixels
    cols = slice(margin, base.shape[1] - margin)
    pcols = slice(-(-margin // pool), base_pooled.shape[1] - (-(-margin // pool)))
    map_change, pooled_change = [], []
    for s in shifts:
        moved = relu(conv2d(shift(image, 0, s), kernel) + bias)
        pooled = max_pool(moved, pool)
        map_change.append(_relative(moved[:, cols], base[:, cols]))
        pooled_change.append(_relative(pooled[:, pcols], base_pooled[:, pcols]))
    return {"shifts": list(shifts), "map_change": map_change, "pooled_change": pooled_change}


def _relative(a, b) -> float:
    return float(np.abs(a - b).mean() / max(np.abs(b).mean(), 1e-12))


EXERCISE_INPUT = 32
EXERCISE_STACK = [("conv", 5, 1, 0), ("pool", 2, 2), ("conv", 3, 1, 1), ("conv", 3, 2, 1), ("pool", 2, 2)]
"""The stack of notebook 05's prediction exercise: a 32 × 32 picture through five layers."""
