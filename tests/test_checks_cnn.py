"""The checks of notebook 06 accept the reference solutions and name each typical mistake of a backward pass."""

import numpy as np
import pytest

from relulab.checks import EXERCISES, check
from relulab.checks.core import CORRECT, NOT_YET, WRONG
from relulab.nn import reference
from relulab.nn.functional import conv2d
from tests.test_checks_contract import mine


def _solution(name):
    namespace = {"np": np, "__name__": "__main__"}  # as in a notebook cell
    exec(EXERCISES[name].solution, namespace)
    return namespace[EXERCISES[name].answers[0]]


def _verdict(name, fn):
    return getattr(check, name)(mine(fn) if callable(fn) else fn)


@pytest.mark.parametrize("name", ["relu_backward", "max_pool_backward", "conv_weight_grad"])
def test_each_registered_solution_passes_its_own_check(name):
    feedback = _verdict(name, _solution(name))
    assert feedback.status == CORRECT, feedback.message
    assert "gradient check" in feedback.message


@pytest.mark.parametrize("name", ["relu_backward", "max_pool_backward", "conv_weight_grad"])
def test_a_blank_exercise_says_not_yet(name):
    def blank(a, b):
        raise NotImplementedError

    assert _verdict(name, blank).status == NOT_YET


# --- ReLU backward -------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [
    lambda dout, x: dout * (x > 0),
    lambda dout, x: np.where(x > 0, dout, 0.0),
    lambda dout, x: dout * (np.maximum(0, x) > 0),  # the mask from the output: for ReLU the same mask
    lambda dout, x: reference.relu_backward(np.asarray(dout), np.asarray(x)),
])
def test_every_right_relu_backward_is_accepted(fn):
    assert _verdict("relu_backward", fn).status == CORRECT


@pytest.mark.parametrize("fn, words", [
    (lambda dout, x: dout, "the mask is forgotten"),
    (lambda dout, x: (x > 0) * 1.0, "forgot `dout`"),
    (lambda dout, x: dout * (dout > 0), "mask from the sign of `dout`"),
    (lambda dout, x: dout * (x < 0), "the wrong way round"),
    (lambda dout, x: dout * np.maximum(0, x), "multiplied `dout` by ReLU's output"),
    (lambda dout, x: x * (dout > 0), "arguments seem swapped"),
    (lambda dout, x: dout * (x >= 0), "exactly 0"),
    (lambda dout, x: dout * (x > 0) + 0.1, "should be"),
    (lambda dout, x: None, "returned None"),
])
def test_each_typical_relu_backward_mistake_gets_its_own_message(fn, words):
    feedback = _verdict("relu_backward", fn)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


def test_an_in_place_relu_backward_is_caught():
    def in_place(dout, x):
        dout[x <= 0] = 0
        return dout

    feedback = _verdict("relu_backward", in_place)
    assert feedback.status == WRONG and "in place" in feedback.message


def test_the_courses_own_backward_is_not_the_learners():
    from relulab.experiments.cnn import relu_backward

    assert check.relu_backward(relu_backward).status == NOT_YET


# --- max pooling backward ------------------------------------------------------------------------

def _windows(x, dout):
    h, w = dout.shape[-2:]
    return x[..., :2 * h, :2 * w].reshape(*x.shape[:2], h, 2, w, 2)


def _spread(dout, x, weights):
    dx = np.zeros_like(x)
    h, w = dout.shape[-2:]
    dx[..., :2 * h, :2 * w] = (weights * dout[:, :, :, None, :, None]).reshape(*x.shape[:2], 2 * h, 2 * w)
    return dx


def _every_cell(dout, x):
    return _spread(dout, x, np.ones_like(_windows(x, dout)))


def _average(dout, x):
    return _spread(dout, x, np.ones_like(_windows(x, dout)) / 4)


def _all_ties(dout, x):
    win = _windows(x, dout)
    return _spread(dout, x, (win == win.max(axis=(3, 5), keepdims=True)) * 1.0)


def _smallest(dout, x):
    win = _windows(x, dout)
    return _spread(dout, x, (win == win.min(axis=(3, 5), keepdims=True)) * 1.0)


def _no_dout(dout, x):
    return reference.max_pool_backward(np.ones_like(dout), (x, 2, 2))


def _last_on_ties(dout, x):
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(*dout.shape):
        window = x[n, c, 2 * i:2 * i + 2, 2 * j:2 * j + 2].ravel()
        best = 3 - int(np.argmax(window[::-1]))
        dx[n, c, 2 * i + best // 2, 2 * j + best % 2] += dout[n, c, i, j]
    return dx


def _vectorised(dout, x):
    return reference.max_pool_backward(dout, (x, 2, 2)).copy()


def test_a_vectorised_max_pool_backward_is_accepted():
    assert _verdict("max_pool_backward", _vectorised).status == CORRECT


@pytest.mark.parametrize("fn, words", [
    (_every_cell, "to every cell of the window"),
    (_average, "*average* pooling"),
    (_all_ties, "sent the gradient to every copy"),
    (_last_on_ties, "you chose the last copy"),
    (_smallest, "*smallest* cell"),
    (_no_dout, "forgot `dout`"),
    (lambda dout, x: dout, "shaped like `dout`"),
    (lambda dout, x: np.zeros((3, 3)), "should have the shape of `x`"),
    (lambda dout, x: _vectorised(dout, x) * 2, "at dx["),
    (lambda dout, x: None, "returned None"),
])
def test_each_typical_max_pool_mistake_gets_its_own_message(fn, words):
    feedback = _verdict("max_pool_backward", fn)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


def test_the_tie_mistakes_are_caught_only_on_the_map_with_ties():
    message = _verdict("max_pool_backward", _all_ties).message
    assert message.startswith("on a ReLU'd 4×6 map with ties"), message


# --- the convolution's weight gradient -----------------------------------------------------------

def _loops(image, dout, transpose=False, flip=False, reduce=np.sum, use_dout=True):
    k = image.shape[0] - dout.shape[0] + 1
    dw = np.zeros((k, k))
    h, w = dout.shape
    for a in range(k):
        for b in range(k):
            patch = image[a:a + h, b:b + w]
            dw[a, b] = reduce(patch * dout if use_dout else patch)
    dw = dw.T if transpose else dw
    return dw[::-1, ::-1] if flip else dw


def _through_the_reference_backward(image, dout):
    k = image.shape[0] - dout.shape[0] + 1
    cache = (image[None, None], np.zeros((1, 1, k, k)), None, 1, 0)
    return reference.conv_backward(dout[None, None], cache)[1][0, 0]


@pytest.mark.parametrize("fn", [
    lambda image, dout: conv2d(image, dout),  # the weight gradient is itself a convolution
    _loops,
    _through_the_reference_backward,
])
def test_every_right_weight_gradient_is_accepted(fn):
    assert _verdict("conv_weight_grad", fn).status == CORRECT


@pytest.mark.parametrize("fn, words", [
    (lambda image, dout: _loops(image, dout, flip=True), "turned by 180°"),
    (lambda image, dout: _loops(image, dout, transpose=True), "transposed"),
    (lambda image, dout: _loops(image, dout, reduce=np.mean), "averaged"),
    (lambda image, dout: _loops(image, dout, use_dout=False), "forgot `dout`"),
    (lambda image, dout: np.zeros_like(image), "gradient with respect to the image"),
    (lambda image, dout: np.zeros_like(dout), "the shape of dout"),
    (lambda image, dout: _loops(image, dout)[:-1, :-1], "off by one"),
    (lambda image, dout: _loops(image, dout) + 1, "should be"),
    (lambda image, dout: 0 * _loops(image, dout), "still all zeros"),
])
def test_each_typical_weight_gradient_mistake_gets_its_own_message(fn, words):
    feedback = _verdict("conv_weight_grad", fn)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


def test_a_square_only_weight_gradient_is_caught_on_a_non_square_image():
    def square_only(image, dout):  # uses the number of rows for both sides of the window
        k = image.shape[0] - dout.shape[0] + 1
        h = dout.shape[0]
        return np.array([[np.sum(image[a:a + h, b:b + h] * dout[:, :h]) for b in range(k)] for a in range(k)])

    feedback = _verdict("conv_weight_grad", square_only)
    assert feedback.status == WRONG and "6×8 image" in feedback.message


def test_a_grader_gets_the_same_message_as_an_assertion():
    with pytest.raises(AssertionError, match="every cell of the window"):
        _verdict("max_pool_backward", _every_cell).assert_passed()


# --- predict a convolution's parameter count ----------------------------------------------------

@pytest.mark.parametrize("answer", [4640, 4640.0, np.int64(4640)])
def test_the_right_parameter_count_is_accepted_however_it_is_written(answer):
    assert check.conv_parameters(answer).status == CORRECT


def test_a_blank_prediction_says_not_yet():
    assert check.conv_parameters(None).status == NOT_YET


@pytest.mark.parametrize("answer, words", [
    (4608, "not the biases"),
    (320, "reads all 16 input channels, so it has 16 × 3 × 3"),
    (288, "and each also has a bias"),
    (544, "a whole 3 × 3 kernel"),
    (176, "there are 32 filters"),
    (1000, "Count per filter"),
    ("4640", "one number"),
    (True, "one number"),
])
def test_each_typical_counting_slip_gets_its_own_message(answer, words):
    feedback = check.conv_parameters(answer)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


# ---------------------------------------------------------------------------------------
# gradient_share: a number read off the gradient-mask explorer.

def test_gradient_share_accepts_the_number_the_explorer_shows():
    import re

    from relulab.widgets import relu_gradient_explorer

    ex = relu_gradient_explorer()
    ex.controls["channel"].value = 5
    ex.controls["bias"].value = -0.5
    shown = re.search(r"the gradient reaches ([\d.]+)% of the positions", ex.readout.value)
    assert shown, ex.readout.value
    assert check.gradient_share(float(shown.group(1))).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    (0.028, "looks like a fraction"), (12.9, "bias 0"), (97.2, "*no* gradient"), (45.6, "bias +0.5"),
    (2.9, "not the share"), (2.7, "not the share"), (0, "not the share"), (100, "not the share"),
    ("2.8%", "without quotes"), ([2.8], "not a list"), (float("nan"), "nan"), (float("-inf"), "-inf"),
    (np.array([2.8, 12.9]), "one number"),
])
def test_gradient_share_rejects_wrong_numbers_and_non_numbers_with_a_sentence(answer, words):
    feedback = check.gradient_share(answer)
    assert feedback.status == WRONG and words in feedback.message, feedback.message


def test_gradient_share_left_as_none_says_not_yet():
    assert check.gradient_share(None).status == NOT_YET
