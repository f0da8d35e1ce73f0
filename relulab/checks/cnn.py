"""Checks for notebook 06: a convolution's parameter count (predicted), ReLU's and max pooling's backward, a
convolution's weight gradient; and the share of a feature map that the gradient reaches through ReLU, read off
the gradient-mask explorer.

Each check compares the learner's function with the reference path (:mod:`relulab.nn.reference`,
:func:`relulab.nn.functional.conv2d`), names the typical mistake it recognises, and finally runs a
gradient check against central differences (:func:`relulab.experiments.cnn.backward_check`): a
backward is right only if it agrees with the numbers it claims to be the slope of.
"""

import numpy as np

from ..experiments.cnn import backward_check, check_input, first_layer_maps, max_pool_forward, relu_gradient
from ..nn import numerical_gradient, relative_error
from ..nn.functional import conv2d
from ..nn.reference import max_pool_backward as _pool_backward
from .contract import Elementwise, call, check_elementwise, fmt, learners_function, read_off
from .core import CORRECT, NOT_YET, WRONG, Advice, Feedback, exercise

GRADCHECK_TOLERANCE = 1e-6

# ---------------------------------------------------------------------------------------
# ReLU backward.

RELU_BACKWARD_SOLUTION = """
def relu_backward(dout, x):
    return dout * (x > 0)
"""


def _dout_for(x):
    """A fixed upstream gradient shaped like ``x``: mixed signs, so that a mask taken from dout shows."""
    x = np.asarray(x)
    pattern = np.resize(np.array([2.0, -1.0, 3.0, -2.0, 0.5, 4.0, -0.25]), x.shape)
    return pattern.astype(x.dtype) if x.dtype.kind == "f" else pattern


def _relu_backward(dout, x):
    return np.asarray(dout) * (np.asarray(x) > 0)


RELU_BACKWARD = Elementwise(
    name="relu_backward",
    signature="def relu_backward(dout, x): ...",
    expected=_relu_backward,
    extra=lambda x: (_dout_for(x), x),
    keep_dtype=False,
    mistakes=[
        (lambda dout, x: dout,
         "you passed `dout` through unchanged everywhere: the mask is forgotten. Where the input was negative "
         "ReLU's output does not move when the input moves, so no gradient may pass there: `dout * (x > 0)`."),
        (lambda dout, x: (np.asarray(x) > 0) + 0 * np.asarray(dout),
         "you returned the mask (ReLU's local slope, 0 or 1) but forgot `dout`: the chain rule multiplies the "
         "slope by the gradient arriving from above, `dout * (x > 0)`."),
        (lambda dout, x: np.asarray(dout) * (np.asarray(dout) > 0),
         "you took the mask from the sign of `dout` (the gradient coming back), not from the input `x`. Which "
         "side of the kink the *input* was on decides whether the gradient passes: `dout * (x > 0)`."),
        (lambda dout, x: np.asarray(dout) * (np.asarray(x) < 0),
         "the mask is the wrong way round: the gradient passed where x < 0 and was blocked where x > 0. "
         "ReLU passes positive inputs, so its gradient passes there: `dout * (x > 0)`."),
        (lambda dout, x: np.asarray(dout) * np.maximum(0, np.asarray(x)),
         "you multiplied `dout` by ReLU's output max(0, x). The *slope* of ReLU is 1 where x > 0 (not x), so "
         "multiply by the mask `(x > 0)` instead."),
        (lambda dout, x: np.asarray(x) * (np.asarray(dout) > 0),
         "the arguments seem swapped: the function is called as `relu_backward(dout, x)`, gradient first, "
         "then the input."),
        (lambda dout, x: np.asarray(dout) * (np.asarray(x) >= 0),
         "the gradient passed at inputs of exactly 0. ReLU has no slope at its kink; the course, like PyTorch, "
         "uses 0 there, so compare with `x > 0`, not `x >= 0`."),
    ],
)


@exercise("relu_backward", title="write ReLU's backward", solution=RELU_BACKWARD_SOLUTION, points=2)
def check_relu_backward(relu_backward) -> Feedback:
    """Check ``relu_backward(dout, x)``: ``dout * (x > 0)`` on every shape, then a gradient check."""
    check_elementwise(relu_backward, RELU_BACKWARD)
    x = check_input((2, 3, 5, 5), seed=2)
    error = backward_check(lambda v: np.maximum(0, v), lambda d, v: call(relu_backward, "relu_backward", (d, v)),
                           x)["relative_error"]
    if not error < GRADCHECK_TOLERANCE:
        raise Advice(f"your backward disagrees with central differences on a (2, 3, 5, 5) input: relative error "
                     f"{error:.1e}, above {GRADCHECK_TOLERANCE:g}.")
    return Feedback("relu_backward", CORRECT, "correct! dout passes where x > 0 and is blocked (0) where x ≤ 0, on "
                    "every shape tried, and a gradient check with central differences agrees.")


# ---------------------------------------------------------------------------------------
# Max pooling backward (2 × 2, stride 2).

MAX_POOL_BACKWARD_SOLUTION = """
def max_pool_backward(dout, x):
    dx = np.zeros_like(x)
    n_images, channels, h_out, w_out = dout.shape
    for n in range(n_images):
        for c in range(channels):
            for i in range(h_out):
                for j in range(w_out):
                    window = x[n, c, 2*i:2*i + 2, 2*j:2*j + 2]
                    r, q = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, 2*i + r, 2*j + q] += dout[n, c, i, j]
    return dx
"""

SMALL_MAP = np.array([[0.0, 0.9, 0.0, 0.0], [0.2, 0.0, 0.0, 0.4], [0.0, 0.0, 0.7, 0.0], [0.0, 0.1, 0.0, 0.0]])
"""Notebook 05's 4 × 4 feature map: one clear winner in each 2 × 2 window."""


def _pool_cases():
    """(label, x) pairs: the small map, random maps (no ties), odd sizes, then a ReLU'd map with ties."""
    rng = np.random.default_rng(6)
    ties = np.array([[0.0, 0.0, 0.5, 0.5, 0.3, 0.1],
                     [0.0, 0.0, 0.2, 0.1, 0.3, 0.0],
                     [0.8, 0.0, 0.0, 0.0, 0.0, 0.6],
                     [0.0, 0.8, 0.0, 0.0, 0.6, 0.0]])
    return [
        ("on notebook 05's 4×4 map", SMALL_MAP[None, None]),
        ("on a random (2, 3, 6, 8) input", rng.normal(size=(2, 3, 6, 8))),
        ("on a random (1, 2, 5, 7) input (odd sizes: the last row and column fill no window)",
         rng.normal(size=(1, 2, 5, 7))),
        ("on a ReLU'd 4×6 map with ties (windows whose largest value appears twice, or four zeros)",
         ties[None, None]),
    ]


def _pool_dout(x):
    n, c, h, w = x.shape
    return np.resize(np.array([1.0, -2.0, 3.0, 0.5, -1.5, 2.5, 4.0]), (n, c, h // 2, w // 2))


def _windows(x, h_out, w_out):
    return x[..., :2 * h_out, :2 * w_out].reshape(*x.shape[:2], h_out, 2, w_out, 2)


def _spread(dout, x, weights):
    """Send each window's dout to its cells in proportion to ``weights`` (…, h_out, 2, w_out, 2)."""
    dx = np.zeros_like(x, dtype=float)
    h_out, w_out = dout.shape[-2:]
    dx[..., :2 * h_out, :2 * w_out] = (weights * dout[:, :, :, None, :, None]).reshape(
        *x.shape[:2], 2 * h_out, 2 * w_out)
    return dx


def _pool_mistakes(dout, x):
    """(pattern, advice) for the usual slips, computed on this input."""
    h_out, w_out = dout.shape[-2:]
    win = _windows(x, h_out, w_out)
    largest = win.max(axis=(3, 5), keepdims=True)
    smallest = win.min(axis=(3, 5), keepdims=True)
    # The last maximum in reading order instead of the first.
    flipped = win[:, :, :, ::-1, :, ::-1]
    last = np.zeros_like(x, dtype=float)
    for n, c, i, j in np.ndindex(*dout.shape):
        w = flipped[n, c, i, :, j, :]
        r, q = np.unravel_index(np.argmax(w), w.shape)
        last[n, c, 2 * i + 1 - r, 2 * j + 1 - q] += dout[n, c, i, j]
    ones = np.ones_like(win)
    return [
        (_spread(dout, x, ones), "you sent each window's gradient to every cell of the window. Only the largest "
                                 "cell reached the output, so only it gets the gradient; the other three get 0."),
        (_spread(dout, x, ones / 4), "you shared each window's gradient equally among its four cells: that is the "
                                     "backward of *average* pooling. Max pooling sends it all to the largest cell."),
        (_spread(dout, x, (win == largest).astype(float)),
         "where a window's largest value appears more than once (common after ReLU: four zeros), you sent the "
         "gradient to every copy, so it counts twice or more. Send it to one cell only, the first largest in "
         "reading order (`np.argmax` does that), as PyTorch does."),
        (last, "where a window's largest value appears twice you chose the last copy; the course, like PyTorch, "
               "sends the gradient to the first in reading order (`np.argmax` on the window)."),
        (_spread(dout, x, (win == smallest).astype(float)),
         "the gradient went to each window's *smallest* cell; it belongs to the largest, the one max pooling kept."),
        (_spread(np.ones_like(dout), x, (win == largest).astype(float)),
         "you marked each window's largest cell with 1 but forgot `dout`: the winner receives the gradient "
         "arriving from above, `dout[n, c, i, j]`."),
    ]


@exercise("max_pool_backward", title="write max pooling's backward (2 × 2, stride 2)",
          solution=MAX_POOL_BACKWARD_SOLUTION, points=2)
def check_max_pool_backward(max_pool_backward) -> Feedback:
    """Check ``max_pool_backward(dout, x)`` for 2 × 2 pooling with stride 2 on (N, C, H, W) inputs.

    Recognises: the gradient sent to every cell of the window, shared equally (average pooling),
    sent to every tied maximum or to the last one, sent to the smallest cell, the mask without dout,
    an output shaped like dout; then runs a gradient check.
    """
    name = "max_pool_backward"
    learners_function(max_pool_backward, name, "def max_pool_backward(dout, x):")
    for label, x in _pool_cases():
        dout = _pool_dout(x)
        result = call(max_pool_backward, name, (dout, x), on=label)
        if result is None:
            raise Advice("`max_pool_backward` returned None: did you forget `return dx`?")
        dx = np.asarray(result)
        if dx.dtype == object or not np.issubdtype(dx.dtype, np.number):
            raise Advice(f"`max_pool_backward` returned {type(result).__name__}; return a numpy array of numbers.")
        if dx.shape != x.shape:
            if dx.shape == dout.shape:
                raise Advice(f"{label} you returned an array shaped like `dout` {dout.shape}; `dx` is the gradient "
                             f"with respect to the input, shaped like `x` {x.shape}: start from `np.zeros_like(x)`.")
            raise Advice(f"{label} `dx` should have the shape of `x`, {x.shape}, but it has {dx.shape}.")
        want = _pool_backward(dout, (x, 2, 2))
        if np.allclose(dx, want):
            continue
        for pattern, advice in _pool_mistakes(dout, x):
            if np.allclose(dx, pattern) and not np.allclose(pattern, want):
                raise Advice(f"{label}, {advice}")
        n, c, i, j = np.unravel_index(np.argmax(np.abs(dx - want)), x.shape)
        raise Advice(f"{label}, at dx[{n}, {c}, {i}, {j}] the gradient should be {fmt(want[n, c, i, j])}, but your "
                     f"function gave {fmt(dx[n, c, i, j])}.")
    x = check_input((2, 2, 6, 6), seed=3)
    error = backward_check(max_pool_forward, lambda d, v: call(max_pool_backward, name, (d, v)), x)["relative_error"]
    if not error < GRADCHECK_TOLERANCE:
        raise Advice(f"your backward disagrees with central differences on a (2, 2, 6, 6) input: relative error "
                     f"{error:.1e}, above {GRADCHECK_TOLERANCE:g}.")
    return Feedback(name, CORRECT, "correct! each window's gradient goes to its largest cell (the first one on a "
                    "tie), the others and the leftover rows get 0, and a gradient check agrees.")


# ---------------------------------------------------------------------------------------
# The weight gradient of a one-channel convolution.

CONV_WEIGHT_GRAD_SOLUTION = """
def conv_weight_grad(image, dout):
    k = image.shape[0] - dout.shape[0] + 1
    dweight = np.zeros((k, k))
    for a in range(k):
        for b in range(k):
            dweight[a, b] = np.sum(dout * image[a:a + dout.shape[0], b:b + dout.shape[1]])
    return dweight
"""

EXAMPLE_IMAGE = np.array([[0, 0, 1, 2, 2], [0, 0, 1, 2, 2], [0, 1, 2, 2, 2], [0, 1, 2, 2, 1], [0, 0, 1, 1, 1]],
                         dtype=float)
"""Notebook 05's 5 × 5 picture."""


def _weight_cases():
    """(image, dout) pairs: the 5 × 5 picture with a readable dout, then random non-square shapes."""
    rng = np.random.default_rng(8)
    dout = np.array([[1.0, 0.0, -1.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.5, 0.0, 0.0, -1.0], [0.0, 0.0, 1.0, 0.0]])
    cases = [(EXAMPLE_IMAGE, dout)]  # a 2 × 2 kernel: dout (4 × 4) and the kernel differ in shape
    for (h, w), k in (((6, 8), 3), ((7, 5), 2), ((9, 10), 4), ((5, 6), 1)):
        cases.append((rng.normal(size=(h, w)).round(2), rng.normal(size=(h - k + 1, w - k + 1)).round(2)))
    return cases


def _weight_grad(image, dout):
    return conv2d(image, dout)  # the weight gradient is the image convolved with dout


@exercise("conv_weight_grad", title="the weight gradient of a one-channel convolution",
          solution=CONV_WEIGHT_GRAD_SOLUTION, points=2)
def check_conv_weight_grad(conv_weight_grad) -> Feedback:
    """Check ``conv_weight_grad(image, dout) -> dweight`` (k × k) for ``out = conv2d(image, weight)``.

    Recognises: a flipped or transposed result, a mean instead of a sum, dout forgotten, the shape of
    the image or of dout, an off-by-one size; then runs a gradient check.
    """
    name = "conv_weight_grad"
    learners_function(conv_weight_grad, name, "def conv_weight_grad(image, dout):")
    for image, dout in _weight_cases():
        k = image.shape[0] - dout.shape[0] + 1
        where = ("on notebook 05's 5×5 picture" if image is EXAMPLE_IMAGE else f"on a {image.shape[0]}×"
                 f"{image.shape[1]} image") + f" (so a {k}×{k} kernel and a {dout.shape[0]}×{dout.shape[1]} dout)"
        result = call(conv_weight_grad, name, (image, dout), on=where)
        if result is None:
            raise Advice("`conv_weight_grad` returned None: did you forget `return dweight`?")
        got = np.asarray(result)
        if got.dtype == object or not np.issubdtype(got.dtype, np.number):
            raise Advice(f"`conv_weight_grad` returned {type(result).__name__}; return a numpy array of numbers.")
        if got.shape != (k, k):
            if got.shape == image.shape:
                hint = "the shape of the image: that would be the gradient with respect to the image, `dx`"
            elif got.shape == dout.shape:
                hint = "the shape of dout"
            elif got.shape in ((k - 1, k - 1), (k + 1, k + 1)):
                hint = "off by one: the kernel is image rows − dout rows + 1 on a side"
            else:
                hint = f"shape {got.shape}"
            raise Advice(f"{where}, `dweight` should have the kernel's shape ({k}, {k}), one number per weight, "
                         f"but yours has {hint}.")
        want = _weight_grad(image, dout)
        if np.allclose(got, want):
            continue
        mistakes = [
            (want[::-1, ::-1], "your gradient is turned by 180°: you flipped it (or slid dout flipped). Weight "
                               "[a, b] multiplied `image[i + a, j + b]` for every output (i, j), so its gradient is "
                               "the sum of `dout[i, j] * image[i + a, j + b]`."),
            (want.T, "your gradient is transposed (rows and columns swapped): weight [a, b] touches "
                     "`image[i + a, j + b]`, row offset a and column offset b, not the other way round."),
            (want / dout.size, "you averaged the products; the gradient *adds up* the contributions of every "
                               "output position: use a sum."),
            (conv2d(image, np.ones_like(dout)), "you added up the image under every position but forgot `dout`: "
                                                "each position contributes `dout[i, j] * image[i + a, j + b]`."),
        ]
        for pattern, advice in mistakes:
            if np.allclose(got, pattern) and not np.allclose(pattern, want):
                raise Advice(f"{where}, {advice}")
        if not np.any(got):
            raise Advice(f"{where}, your gradient is still all zeros: fill in `dweight[a, b]` inside the loops.")
        a, b = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
        raise Advice(f"{where}, dweight[{a}, {b}] should be {fmt(round(float(want[a, b]), 6))}, but your function "
                     f"gave {fmt(round(float(got[a, b]), 6))}.")
    rng = np.random.default_rng(9)
    image, dout, weight = rng.normal(size=(7, 9)), rng.normal(size=(5, 7)), rng.normal(size=(3, 3))
    numerical = numerical_gradient(lambda: float(np.sum(conv2d(image, weight) * dout)), weight)
    error = relative_error(call(conv_weight_grad, name, (image, dout)), numerical)
    if not error < GRADCHECK_TOLERANCE:
        raise Advice(f"your gradient disagrees with central differences on a 7×9 image: relative error {error:.1e}.")
    return Feedback(name, CORRECT, "correct! dweight[a, b] adds up dout[i, j] · image[i + a, j + b] over every "
                    "output position, the same as the image convolved with dout, and a gradient check agrees.")


# ---------------------------------------------------------------------------------------
# Predict a layer's parameter count.

PREDICT_LAYER = (16, 32, 3)
"""The layer of the prediction: Conv2d(16, 32, kernel_size=3), a third convolution after the second pool."""

CONV_PARAMETERS_SOLUTION = "predicted_parameters = 32 * 16 * 3 * 3 + 32"


def _parameter_slips(c_in, c_out, k):
    """(count, explanation) for the usual slips in counting a Conv2d's parameters."""
    return [
        (c_out * c_in * k * k, "you counted the weights but not the biases: each of the "
                               f"{c_out} filters also has one bias"),
        (c_out * k * k + c_out, f"each filter reads all {c_in} input channels, so it has {c_in} × {k} × {k} "
                                "weights, not just one k × k slice"),
        (c_out * k * k, f"each filter reads all {c_in} input channels ({c_in} × {k} × {k} weights), and "
                        "each also has a bias"),
        (c_out * c_in + c_out, f"each connection from an input channel to a filter is a whole {k} × {k} kernel, "
                               f"{k * k} weights, not one"),
        (c_in * k * k + c_out, f"there are {c_out} filters, each with its own {c_in} × {k} × {k} weights"),
    ]


@exercise("conv_parameters", title="predict the parameters of a convolution layer",
          solution=CONV_PARAMETERS_SOLUTION, answers="predicted_parameters")
def check_conv_parameters(predicted_parameters) -> Feedback:
    """Check a predicted parameter count of ``Conv2d(16, 32, kernel_size=3)``: weights plus biases."""
    name = "conv_parameters"
    c_in, c_out, k = PREDICT_LAYER
    if predicted_parameters is None:
        return Feedback(name, NOT_YET, "not done yet: replace `None` with your number, run that cell, then run "
                        "this check again.")
    if isinstance(predicted_parameters, bool) or not isinstance(predicted_parameters, (int, float, np.number)):
        return Feedback(name, WRONG, f"`predicted_parameters` should be one number, not {predicted_parameters!r:.40}.")
    want = c_out * c_in * k * k + c_out
    got = float(predicted_parameters)
    if got == want:
        return Feedback(name, CORRECT, f"correct! {c_out} filters × ({c_in} channels × {k} × {k} weights) + {c_out} "
                        f"biases = {want:,}.")
    for count, why in _parameter_slips(c_in, c_out, k):
        if got == count:
            return Feedback(name, WRONG, f"not {fmt(got)}: {why}.")
    return Feedback(name, WRONG, f"not {fmt(got)}. Count per filter: how many weights does one {k} × {k} filter "
                    f"over {c_in} input channels have? Then add its bias, and multiply by the {c_out} filters.")


# ---------------------------------------------------------------------------------------
# Read off the explorer: how much of a feature map the gradient reaches through ReLU.

GRADIENT_SHARE_AT = {"channel": 5, "bias": -0.5}
"""Where the learner moves the gradient-mask explorer: channel 5, bias −0.5 (the right backward)."""
GRADIENT_SHARE_TOLERANCE = 0.06
"""In percentage points: the readout shows one decimal (2.8%), so a copied value is within 0.05."""

GRADIENT_SHARE_SOLUTION = """
gradient_share = 2.8  # the readout: "the gradient reaches 2.8% of the positions"
"""


def gradient_share_percent(channel: int = GRADIENT_SHARE_AT["channel"],
                           bias: float = GRADIENT_SHARE_AT["bias"]) -> float:
    """The percentage of positions the explorer's readout gives: ``relu_gradient``'s ``passing`` × 100."""
    return 100 * relu_gradient(first_layer_maps()[channel], bias)["passing"]


@exercise("gradient_share", title="read off the explorer: where the gradient passes ReLU",
          solution=GRADIENT_SHARE_SOLUTION, points=1)
def check_gradient_share(gradient_share) -> Feedback:
    """Check the percentage of positions that pass the gradient, read off the explorer (channel 5, bias −0.5)."""
    name = "gradient_share"
    value = read_off(gradient_share, name, "12.5")
    want = gradient_share_percent()
    at_zero = gradient_share_percent(bias=0.0)
    if abs(value - want) <= GRADIENT_SHARE_TOLERANCE:
        return Feedback(name, CORRECT, f"correct! with bias −0.5 only {want:.1f}% of channel 5's positions are "
                        f"positive, against {at_zero:.1f}% with bias 0: everywhere else ReLU's backward multiplies "
                        "the gradient by 0.")
    if abs(100 * value - want) <= GRADIENT_SHARE_TOLERANCE:
        raise Advice(f"{fmt(value)} looks like a fraction; the question asks for the percentage, the number before "
                     f"the % sign ({fmt(value)} is {fmt(round(100 * value, 2))}%).")
    if abs(value - at_zero) <= GRADIENT_SHARE_TOLERANCE:
        raise Advice(f"{fmt(value)}% is what passes with bias 0, where the explorer starts. Move the bias slider "
                     "to −0.5 and read it again.")
    if abs(value - (100 - want)) <= GRADIENT_SHARE_TOLERANCE:
        raise Advice(f"{fmt(value)}% is the share that gets *no* gradient. The readout gives the share the gradient "
                     "reaches, the positions where the input to ReLU is positive.")
    if abs(value - gradient_share_percent(bias=0.5)) <= GRADIENT_SHARE_TOLERANCE:
        raise Advice(f"{fmt(value)}% is what passes with bias +0.5; the question asks for bias −0.5 (left of 0).")
    raise Advice(f"{fmt(value)} is not the share the readout gives for channel 5 with bias −0.5. Set the channel "
                 "slider to 5 and the bias to −0.5, keep the right backward, and copy the percentage after "
                 "'the gradient reaches'.")
