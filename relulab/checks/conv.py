"""Checks for notebook 05: write a one-channel convolution; predict the sizes through a conv/pool stack; read
the number of windows off the stride/padding explorer."""

import math

import numpy as np

from ..experiments.conv import (
    EXAMPLE_IMAGE,
    EXAMPLE_KERNEL,
    EXERCISE_INPUT,
    EXERCISE_STACK,
    describe_layer,
    size_arithmetic,
    stack_sizes,
)
from ..nn.functional import conv2d as _reference
from .contract import call, fmt, learners_function, read_off
from .core import CORRECT, NOT_YET, WRONG, Advice, Feedback, exercise

CONV2D_SOLUTION = """
def conv2d(image, kernel):
    k = kernel.shape[0]
    h_out = image.shape[0] - k + 1
    w_out = image.shape[1] - k + 1
    out = np.zeros((h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            out[i, j] = np.sum(image[i:i + k, j:j + k] * kernel)
    return out
"""


def _cases():
    """(image, kernel) pairs: the notebook's 5 × 5 example, then random shapes (never square twice),
    with kernels that are not symmetric, so a flipped or transposed kernel gives different numbers."""
    rng = np.random.default_rng(5)
    cases = [(EXAMPLE_IMAGE, EXAMPLE_KERNEL)]
    for (h, w), k in (((6, 8), 3), ((9, 5), 2), ((7, 7), 4), ((8, 11), 5), ((4, 6), 1)):
        cases.append((rng.normal(size=(h, w)).round(2), rng.normal(size=(k, k)).round(2)))
    return cases


def _shape_advice(shape, image, kernel) -> str | None:
    """A sentence for an output of the wrong shape, or None if the shape is right."""
    (h, w), k = image.shape, kernel.shape[0]
    want = (h - k + 1, w - k + 1)
    if shape == want:
        return None
    if shape == (h - k, w - k):
        return (f"off by one: for a {h}×{w} image and a {k}×{k} kernel there are {h - k + 1} window positions "
                f"down and {w - k + 1} across, but you returned {shape[0]}×{shape[1]}. The last window starts at "
                f"row {h - k}, so loop over `range(h - k + 1)`.")
    if shape in ((h - k + 2, w - k + 2), (h - k + 1, w - k + 2), (h - k + 2, w - k + 1)):
        return (f"one window too many: a {h}×{w} image and a {k}×{k} kernel give {h - k + 1}×{w - k + 1} outputs "
                f"(the last window starts at row {h - k}), but you returned {shape[0]}×{shape[1]}.")
    if shape == (h, w):
        return (f"your output is as large as the image ({h}×{w}). With valid padding the kernel only sits where it "
                f"fits entirely, so the output is {k - 1} smaller each way: {h - k + 1}×{w - k + 1}.")
    if shape == want[::-1]:
        return ("rows and columns are swapped: the output should be {want[0]}×{want[1]} (image rows − k + 1 "
                f"by image columns − k + 1), but it is {shape[0]}×{shape[1]}.")
    return (f"for a {h}×{w} image and a {k}×{k} kernel the output should be {want[0]}×{want[1]} "
            f"(each side − k + 1), but it has shape {shape}.")


def _value_advice(out, image, kernel) -> str | None:
    """A sentence for right-shaped but wrong numbers, or None if they are right."""
    want = _reference(image, kernel)
    if np.allclose(out, want):
        return None
    k = kernel.shape[0]
    if out.shape == want.T.shape and np.allclose(out, want.T):
        return ("rows and columns are swapped: your output is the right one turned on its side (its row i "
                "is column i of the answer). Keep `out[i, j]` for the window at row i, column j.")
    if k > 1 and np.allclose(out, _reference(image, kernel[::-1, ::-1])):
        return ("you flipped the kernel (turned it by 180°): that is the convolution of signal processing. Deep "
                "learning's conv2d (PyTorch's too) slides the kernel as it is: multiply `image[i:i+k, j:j+k]` by "
                "`kernel` itself.")
    if k > 1 and np.allclose(out, _reference(image, kernel.T)):
        return ("your numbers are those of the transposed kernel (its rows used as columns): check the order of "
                "the indices, `kernel[a, b]` should multiply `image[i + a, j + b]`.")
    if k > 1 and np.allclose(out, want / k**2):
        return ("you averaged the products (`np.mean`); a convolution adds them up: use `np.sum`.")
    if np.allclose(out, _reference(image, np.ones_like(kernel))):
        return "you added up the pixels of each window but did not multiply them by the kernel's weights."
    if not np.any(out):
        return "your output is still all zeros: fill in `out[i, j]` inside the loop."
    i, j = np.unravel_index(np.argmax(np.abs(out - want)), want.shape)
    return (f"at output ({i}, {j}) the sum of window × kernel is {want[i, j]:.4g}, but your function gave "
            f"{float(out[i, j]):.4g}.")


@exercise("conv2d", title="write a one-channel convolution (valid padding)", solution=CONV2D_SOLUTION, points=2)
def check_conv2d(conv2d) -> Feedback:
    """Check ``conv2d(image, kernel)`` against the course's reference on the 5 × 5 example and random shapes.

    Recognises: a flipped or transposed kernel, off-by-one output sizes, an output as large as the image,
    swapped rows and columns, averaging instead of adding, forgetting the weights, an in-place write.
    """
    name = "conv2d"
    learners_function(conv2d, name, "def conv2d(image, kernel):")
    for image, kernel in _cases():
        given_image, given_kernel = image.copy(), kernel.copy()
        try:
            result = call(conv2d, name, (given_image, given_kernel))
        except (ValueError, IndexError) as error:
            if "broadcast" in str(error) or "could not be" in str(error) or isinstance(error, IndexError):
                raise Advice("near the right or bottom edge your window came out smaller than the kernel (or the "
                             "index ran past the image): the loop goes one position too far. For an image with h "
                             "rows the last window starts at row h − k, so loop over `range(h - k + 1)`.") from None
            raise
        if not (np.array_equal(given_image, image) and np.array_equal(given_kernel, kernel)):
            return Feedback(name, WRONG, "your function changed the image or the kernel it was given (it wrote "
                            "into it in place), so the caller's picture is lost. Write the results into a new "
                            "array, e.g. `out = np.zeros((h_out, w_out))`.")
        if result is None:
            return Feedback(name, WRONG, "`conv2d` returned None: did you forget `return out`?")
        out = np.asarray(result)
        if out.dtype == object or not np.issubdtype(out.dtype, np.number):
            return Feedback(name, WRONG, f"`conv2d` returned {type(result).__name__}; return a numpy array of numbers.")
        advice = _shape_advice(out.shape, image, kernel) or _value_advice(out, image, kernel)
        if advice is not None:
            h, w = image.shape
            where = "on the notebook's 5×5 example" if image is EXAMPLE_IMAGE else f"on a {h}×{w} image"
            return Feedback(name, WRONG, f"{where} with a {kernel.shape[0]}×{kernel.shape[0]} kernel, {advice}")
    return Feedback(name, CORRECT, "correct! Your loops agree with the course's conv2d on the 5×5 example and on "
                    "five random images and kernels, from 1×1 to 5×5.")


# ---------------------------------------------------------------------------------------
# Predict the sizes through a stack.

STACK_SIZES_SOLUTION = "predicted_sizes = [28, 14, 14, 7, 3]"


def _one_layer_mistakes(n, layer):
    """(size, explanation) for the usual slips on one layer whose input is n × n."""
    kind, k, s, *rest = layer
    p = rest[0] if rest else 0
    right = (n + 2 * p - k) // s + 1
    slips = [
        ((n + 2 * p - k) // s, "you left out the “+ 1”: the first window sits at position 0 and counts too, "
                               "so the formula is ⌊(n + 2p − k) / s⌋ + 1"),
        (math.ceil((n + 2 * p - k) / s) + 1, "you rounded up; the division rounds *down* (a last step that "
                                             "would overhang the edge is not taken)"),
        (n + 2 * p - k + 1, "you ignored the stride: with stride s the window jumps s pixels, so divide by s"),
        (n, "you kept the size unchanged" + (": a pool shrinks its input (2×2 with stride 2 halves it)"
                                            if kind == "pool" else ": this layer's padding does not make up for "
                                            "its kernel")),
        ((n + 2 * p - k) / s + 1, "sizes are whole numbers: the division rounds down"),
    ]
    if p:
        slips.insert(0, ((n - k) // s + 1, "you forgot the padding: it adds p pixels on each side, so n + 2p"))
        slips.append(((n + p - k) // s + 1, "padding is added on *both* sides: n + 2p, not n + p"))
    return [(size, why) for size, why in slips if size != right]


@exercise("stack_sizes", title="predict the sizes through a conv/pool stack", solution=STACK_SIZES_SOLUTION,
          answers="predicted_sizes")
def check_stack_sizes(predicted_sizes) -> Feedback:
    """Check a list of the side lengths after each layer of :data:`EXERCISE_STACK` (a 32 × 32 input)."""
    name = "stack_sizes"
    if predicted_sizes is None:
        return Feedback(name, NOT_YET, "not done yet: replace `None` with your list of sizes, run that cell, "
                        "then run this check again.")
    if isinstance(predicted_sizes, (int, float, np.number)):
        return Feedback(name, WRONG, f"give one size per layer, a list of {len(EXERCISE_STACK)} numbers, "
                        f"not a single number.")
    try:
        sizes = [float(v) for v in predicted_sizes]
    except (TypeError, ValueError):
        return Feedback(name, WRONG, "`predicted_sizes` should be a list of numbers, e.g. [28, 14, ...].")
    truth = stack_sizes(EXERCISE_INPUT, EXERCISE_STACK)
    if len(sizes) == len(truth) + 1 and sizes[0] == EXERCISE_INPUT:
        return Feedback(name, WRONG, f"leave out the input's size ({EXERCISE_INPUT}): give one size per layer, "
                        f"{len(truth)} numbers.")
    if len(sizes) != len(truth):
        return Feedback(name, WRONG, f"the stack has {len(truth)} layers, so give {len(truth)} sizes "
                        f"(you gave {len(sizes)}).")
    n = EXERCISE_INPUT
    for index, (got, want, layer) in enumerate(zip(sizes, truth, EXERCISE_STACK, strict=True)):
        if got != want:
            where = f"layer {index + 1} ({describe_layer(layer)}) turns {n}×{n} into {fmt(want)}×{fmt(want)}"
            reasons = [why for size, why in _one_layer_mistakes(n, layer) if got == size]
            if reasons:  # two slips can give the same number: name each
                return Feedback(name, WRONG, f"{where}, not {fmt(got)}: " + "; or ".join(reasons) + ".")
            return Feedback(name, WRONG, f"{where}, not {fmt(got)}. Put the numbers into ⌊(n + 2p − k) / s⌋ + 1.")
        n = want
    return Feedback(name, CORRECT, "correct! " + " → ".join(str(v) for v in [EXERCISE_INPUT, *truth])
                    + ": every layer follows ⌊(n + 2p − k) / s⌋ + 1.")


# ---------------------------------------------------------------------------------------
# Read off the explorer: how many windows fit.

WINDOWS_AT = {"n": 10, "kernel_size": 3, "stride": 2, "padding": 1}
"""Where the learner moves the stride/padding explorer: a 10 × 10 input, a 3 × 3 kernel, stride 2, padding 1."""

WINDOW_COUNT_SOLUTION = """
window_count = 25  # the readout: output size 5, so 5 × 5 = 25 windows, one dot each
"""


def windows(n: int = WINDOWS_AT["n"], kernel_size: int = WINDOWS_AT["kernel_size"],
            stride: int = WINDOWS_AT["stride"], padding: int = WINDOWS_AT["padding"]) -> int:
    """How many windows the stride/padding explorer counts: the square of ``size_arithmetic``'s output size."""
    return size_arithmetic(n, kernel_size, stride, padding)["size"] ** 2


@exercise("window_count", title="read off the explorer: how many windows fit", solution=WINDOW_COUNT_SOLUTION,
          points=1)
def check_window_count(window_count) -> Feedback:
    """Check the number of windows read off the stride/padding explorer for n=10, k=3, stride 2, padding 1."""
    name = "window_count"
    value = read_off(window_count, name, "16")
    want = windows()
    sizes = size_arithmetic(*WINDOWS_AT.values())
    side = sizes["size"]
    if value == want:
        unread = (f"the last {sizes['unused']} row(s) and column(s) of the padded input are never read"
                  if sizes["unused"] else "every row and column of the padded input is read")
        return Feedback(name, CORRECT, f"correct! {sizes['formula']} windows along each side, so {side} × {side} "
                        f"= {want} in all; {unread}.")
    if value == side:
        raise Advice(f"{side} is the output's side: {side} windows along each row. The question asks for all the "
                     f"windows, one dot each on the input grid: {side} rows of them.")
    if value != int(value) or value < 0:
        raise Advice(f"a number of windows is a whole number, not {fmt(value)}.")
    if value == windows(padding=0):
        raise Advice(f"{fmt(value)} windows is what fits without padding. Set the padding slider to 1 as well.")
    if value == (-(-(WINDOWS_AT["n"] + 2 * WINDOWS_AT["padding"] - WINDOWS_AT["kernel_size"]) // WINDOWS_AT["stride"])
                 + 1) ** 2:
        raise Advice(f"{fmt(value)} would need the division to round up; the formula rounds down "
                     "(⌊…⌋): a window that would overhang the padded input is not placed.")
    if value == windows(**{**WINDOWS_AT, "stride": 1}):
        raise Advice(f"{fmt(value)} windows fit with stride 1. Set the stride slider to 2.")
    raise Advice(f"{fmt(value)} is not the number of windows for n = 10, k = 3, stride 2, padding 1. Set the four "
                 "sliders, then count the dots on the input grid (or square the output size in the readout).")
