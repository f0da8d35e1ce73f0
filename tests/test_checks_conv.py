"""The checks of notebook 05 recognise each typical mistake, say which, and accept every right answer."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from relulab.checks import EXERCISES, check
from relulab.checks.core import CORRECT, NOT_YET, WRONG
from tests.test_checks_contract import mine


def _check_conv2d(fn):
    """The check, on ``fn`` as if the learner had typed it in a notebook cell."""
    return check.conv2d(mine(fn) if callable(fn) else fn)


def _solution(name):
    namespace = {"np": np, "__name__": "__main__"}  # as in a notebook cell
    exec(EXERCISES[name].solution, namespace)
    return namespace


def test_registered_conv2d_solution_passes_its_own_check():
    assert _check_conv2d(_solution("conv2d")["conv2d"]).status == CORRECT


def _vectorised(image, kernel):
    k = kernel.shape[0]
    return np.einsum("hwij,ij->hw", sliding_window_view(image, (k, k)), kernel)


def _loops(image, kernel, *, rows=lambda h, k: range(h - k + 1), flip=False, transpose=False, reduce=np.sum,
           weights=True, out_shape=None):
    """A convolution written as loops, with one knob per typical mistake."""
    k = kernel.shape[0]
    kernel = kernel[::-1, ::-1] if flip else kernel
    kernel = kernel.T if transpose else kernel
    h, w = image.shape
    out = np.zeros(out_shape(h, w, k) if out_shape else (len(rows(h, k)), len(rows(w, k))))
    for i in rows(h, k):
        for j in rows(w, k):
            window = image[i:i + k, j:j + k]
            out[i, j] = reduce(window * kernel if weights else window)
    return out


def _in_place(image, kernel):
    out = _vectorised(image, kernel)
    image[:out.shape[0], :out.shape[1]] = out  # reuses the image as the output buffer
    return image[:out.shape[0], :out.shape[1]].copy()


def _too_far(image, kernel):
    return _loops(image, kernel, rows=lambda h, k: range(h - k + 2))


@pytest.mark.parametrize("fn", [
    _vectorised,
    lambda image, kernel: _loops(image, kernel),
    lambda image, kernel: _vectorised(image, kernel).tolist(),  # a list of lists is numbers too
    lambda image, kernel: _vectorised(image.astype(np.float32), kernel.astype(np.float32)),
])
def test_every_correct_variant_is_accepted(fn):
    assert _check_conv2d(fn).status == CORRECT


def test_blank_conv2d_says_not_yet():
    def blank(image, kernel):
        raise NotImplementedError

    assert _check_conv2d(blank).status == NOT_YET


@pytest.mark.parametrize("fn, words", [
    (lambda image, kernel: _loops(image, kernel, flip=True), "flipped the kernel"),
    (lambda image, kernel: _loops(image, kernel, transpose=True), "transposed kernel"),
    (lambda image, kernel: _loops(image, kernel, rows=lambda h, k: range(h - k)), "off by one"),
    (_too_far, "one position too far"),
    # out = np.zeros_like(image), filled where the kernel fits: the rest stays 0
    (lambda image, kernel: _loops(image, kernel, out_shape=lambda h, w, k: (h, w)), "as large as the image"),
    (lambda image, kernel: _vectorised(image, kernel).T, "rows and columns are swapped"),
    (lambda image, kernel: _loops(image, kernel, reduce=np.mean), "averaged"),
    (lambda image, kernel: _loops(image, kernel, weights=False), "did not multiply them by the kernel"),
    (lambda image, kernel: np.zeros((image.shape[0] - kernel.shape[0] + 1, image.shape[1] - kernel.shape[0] + 1)),
     "all zeros"),
    (lambda image, kernel: _vectorised(image, kernel) + 0.5, "at output (0, 0)"),
    (_in_place, "in place"),
    (lambda image, kernel: None, "forget `return out`"),
    (lambda image, kernel: "done", "array of numbers"),
    (lambda image, kernel: 1 / 0, "ZeroDivisionError"),
    ("not a function", "should be a function"),
])
def test_each_typical_conv2d_mistake_gets_its_own_message(fn, words):
    feedback = _check_conv2d(fn)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


def test_off_by_one_message_names_the_image_and_the_right_size():
    feedback = _check_conv2d(lambda image, kernel: _loops(image, kernel, rows=lambda h, k: range(h - k)))
    assert feedback.message.startswith("on the notebook's 5×5 example with a 3×3 kernel")
    assert "3 window positions down and 3 across" in feedback.message


def test_a_mistake_that_only_shows_on_non_square_images_is_caught():
    def square_only(image, kernel):  # uses the number of rows for both sides
        k = kernel.shape[0]
        n = image.shape[0] - k + 1
        return np.array([[np.sum(image[i:i + k, j:j + k] * kernel) for j in range(n)] for i in range(n)])

    feedback = _check_conv2d(square_only)
    assert feedback.status == WRONG and "6×8 image" in feedback.message


def test_conv2d_check_raises_for_a_grader_with_the_same_message():
    with pytest.raises(AssertionError, match="flipped"):
        _check_conv2d(lambda image, kernel: _loops(image, kernel, flip=True)).assert_passed()


# ---------------------------------------------------------------------------------------
# The stack of notebook 05: 32 → conv 5 → 28 → pool 2 → 14 → conv 3 p1 → 14 → conv 3 s2 p1 → 7 → pool 2 → 3.

def test_registered_stack_solution_passes_its_own_check():
    assert check.stack_sizes(_solution("stack_sizes")["predicted_sizes"]).status == CORRECT


@pytest.mark.parametrize("answer", [[28, 14, 14, 7, 3], (28, 14, 14, 7, 3), np.array([28, 14, 14, 7, 3]),
                                    [28.0, 14.0, 14.0, 7.0, 3.0]])
def test_every_way_of_writing_the_right_sizes_is_accepted(answer):
    assert check.stack_sizes(answer).status == CORRECT


def test_blank_stack_says_not_yet():
    assert check.stack_sizes(None).status == NOT_YET


@pytest.mark.parametrize("answer, words", [
    ([27, 13, 13, 6, 3], "layer 1 (conv 5×5, stride 1, padding 0) turns 32×32 into 28×28, not 27: you left out"),
    ([28, 13, 13, 7, 3], "layer 2 (pool 2×2, stride 2) turns 28×28 into 14×14, not 13: you left out"),
    ([28, 28, 28, 14, 14], "a pool shrinks its input"),
    ([28, 14, 12, 5, 2], "layer 3 (conv 3×3, stride 1, padding 1) turns 14×14 into 14×14, not 12: you forgot the "
                         "padding"),
    ([28, 14, 13, 6, 3], "you left out the “+ 1”"),
    ([28, 14, 13, 6, 3], "; or padding is added on *both* sides: n + 2p, not n + p"),
    ([28, 14, 14, 8, 4], "you rounded up"),
    ([28, 14, 14, 7.5, 3], "sizes are whole numbers"),
    ([28, 14, 14, 14, 7], "you ignored the stride"),
    ([28, 14, 14, 7, 2], "layer 5 (pool 2×2, stride 2) turns 7×7 into 3×3, not 2: you left out"),
    ([28, 14, 14, 7, 1], "layer 5 (pool 2×2, stride 2) turns 7×7 into 3×3, not 1. Put the numbers into"),
    ([32, 28, 14, 14, 7, 3], "leave out the input's size"),
    ([28, 14, 14, 7], "give 5 sizes (you gave 4)"),
    (3, "not a single number"),
    (["a", "b"], "list of numbers"),
])
def test_each_typical_size_mistake_gets_its_own_message(answer, words):
    feedback = check.stack_sizes(answer)
    assert feedback.status == WRONG
    assert words in feedback.message, feedback.message


def test_the_courses_own_convolution_is_not_the_learners():
    from relulab.nn.functional import conv2d as course_conv2d

    assert check.conv2d(course_conv2d).status == NOT_YET


# ---------------------------------------------------------------------------------------
# window_count: a number read off the stride/padding explorer.

def test_window_count_accepts_the_number_the_explorer_shows():
    import re

    from relulab.widgets import stride_padding_explorer

    ex = stride_padding_explorer()
    for name, value in {"n": 10, "kernel_size": 3, "stride": 2, "padding": 1}.items():
        ex.controls[name].value = value
    shown = re.search(r"(\d+) windows, one dot each", ex.readout.value)
    assert shown, ex.readout.value
    assert check.window_count(int(shown.group(1))).status == CORRECT
    assert check.window_count(np.int64(shown.group(1))).status == CORRECT
    assert check.window_count(float(shown.group(1))).status == CORRECT


@pytest.mark.parametrize("answer, words", [
    (5, "the output's side"), (16, "without padding"), (36, "round up"), (100, "stride 1"),
    (24, "not the number of windows"), (26, "not the number of windows"), (25.5, "whole number"), (-25, "whole number"),
    ("25", "without quotes"), ([5, 5], "not a list"), ((5, 5), "not a tuple"), (float("nan"), "nan"),
    (True, "not True"),
])
def test_window_count_rejects_wrong_numbers_and_non_numbers_with_a_sentence(answer, words):
    feedback = check.window_count(answer)
    assert feedback.status == WRONG and words in feedback.message, feedback.message


def test_window_count_left_as_none_says_not_yet():
    assert check.window_count(None).status == NOT_YET
