"""Notebook 05's experiments: three convolutions that agree, output sizes, pooling, shifting, kernel parsing."""

import numpy as np
import pytest

from relulab.experiments import conv
from relulab.nn.functional import conv2d


def _random_cases():
    rng = np.random.default_rng(0)
    for h, w, k, stride, padding in [(5, 5, 3, 1, 0), (7, 9, 3, 2, 1), (8, 6, 2, 1, 2), (10, 10, 5, 3, 0),
                                     (6, 11, 1, 1, 0), (9, 7, 4, 2, 3)]:
        yield rng.normal(size=(h, w)), rng.normal(size=(k, k)), stride, padding


@pytest.mark.parametrize("image, kernel, stride, padding", list(_random_cases()))
def test_loops_and_im2col_agree_with_the_course_conv2d(image, kernel, stride, padding):
    want = conv2d(image, kernel, stride=stride, padding=padding)
    np.testing.assert_allclose(conv.conv2d_loops(image, kernel, stride, padding), want, atol=1e-12)
    np.testing.assert_allclose(conv.conv2d_im2col(image, kernel, stride, padding), want, atol=1e-12)


def test_by_hand_lists_every_multiply_add_of_one_output():
    shown = conv.multiply_adds(conv.EXAMPLE_IMAGE, conv.EXAMPLE_KERNEL, 0, 1)
    assert len(shown["terms"]) == 9
    assert shown["terms"][:3] == ["0×(−1)", "1×0", "2×1"]
    np.testing.assert_array_equal(shown["pixels"], conv.EXAMPLE_IMAGE[0:3, 1:4])
    assert shown["total"] == conv2d(conv.EXAMPLE_IMAGE, conv.EXAMPLE_KERNEL)[0, 1] == 5.0
    with pytest.raises(ValueError, match="does not fit"):
        conv.multiply_adds(conv.EXAMPLE_IMAGE, conv.EXAMPLE_KERNEL, 3, 0)


def test_im2col_puts_each_window_in_one_column_row_by_row():
    image = np.arange(20.0).reshape(4, 5)
    cols = conv.im2col(image, 2)
    assert cols.shape == (4, 3 * 4)
    np.testing.assert_array_equal(cols[:, 0], [0, 1, 5, 6])
    np.testing.assert_array_equal(cols[:, 5], image[1:3, 1:3].ravel())  # window (1, 1) is column 1*4 + 1
    assert conv.im2col(image, 2, stride=2).shape == (4, 2 * 2)


def test_loops_leave_the_image_alone():
    image = conv.EXAMPLE_IMAGE.copy()
    conv.conv2d_loops(image, conv.EXAMPLE_KERNEL, padding=1)
    np.testing.assert_array_equal(image, conv.EXAMPLE_IMAGE)


def test_true_convolution_flips_the_kernel_so_an_edge_response_changes_sign():
    image, kernel = conv.EXAMPLE_IMAGE, conv.EXAMPLE_KERNEL
    np.testing.assert_allclose(conv.true_convolution(image, kernel), -conv2d(image, kernel))
    blur = conv.preset("blur")  # symmetric: flipping changes nothing
    np.testing.assert_allclose(conv.true_convolution(image, blur), conv2d(image, blur))


@pytest.mark.parametrize("n, k, s, p, size", [(5, 3, 1, 0, 3), (32, 5, 1, 0, 28), (14, 3, 2, 1, 7),
                                              (7, 3, 2, 1, 4), (6, 3, 2, 0, 2), (4, 4, 1, 0, 1)])
def test_output_size_formula(n, k, s, p, size):
    assert conv.output_size(n, k, s, p) == size
    assert conv2d(np.zeros((n, n)), np.zeros((k, k)), stride=s, padding=p).shape == (size, size)


def test_output_size_says_when_the_kernel_does_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        conv.output_size(3, 5)
    with pytest.raises(ValueError, match="positive"):
        conv.output_size(5, 3, stride=0)


def test_size_arithmetic_works_the_formula_and_finds_unread_pixels():
    shown = conv.size_arithmetic(8, 3, 2, 0)
    assert shown["size"] == 3 and shown["starts"] == [0, 2, 4] and shown["unused"] == 1
    assert shown["formula"] == "⌊(8 + 2·0 − 3) / 2⌋ + 1 = ⌊5/2⌋ + 1 = 3"
    assert conv.size_arithmetic(7, 3, 2, 1)["unused"] == 0
    assert conv.size_arithmetic(3, 7, 1, 1)["size"] == 0


def test_stack_sizes_follow_the_formula_layer_by_layer():
    assert conv.stack_sizes(conv.EXERCISE_INPUT, conv.EXERCISE_STACK) == [28, 14, 14, 7, 3]
    assert conv.describe_layer(("conv", 3, 2, 1)) == "conv 3×3, stride 2, padding 1"
    assert conv.describe_layer(("pool", 2, 2)) == "pool 2×2, stride 2"
    with pytest.raises(ValueError, match="unknown layer"):
        conv.stack_sizes(8, [("dense", 3, 1)])


@pytest.mark.parametrize("entries, kernel", [
    (["1", "0", "-1"] * 3, [[1, 0, -1]] * 3),
    (["1/9"] * 9, np.full((3, 3), 1 / 9)),
    (["−2", " 0.5 ", "1e-1", "0", "0", "0", "0", "0", "0"], [[-2, 0.5, 0.1], [0, 0, 0], [0, 0, 0]]),
])
def test_parse_kernel_reads_numbers_as_people_type_them(entries, kernel):
    np.testing.assert_allclose(conv.parse_kernel(entries), kernel)


@pytest.mark.parametrize("entries, words", [
    (["1"] * 4 + [""] + ["1"] * 4, "row 2, column 2 is empty"),
    (["1"] * 8 + ["abc"], "row 3, column 3 holds 'abc', which is not a number"),
    (["1/0"] + ["1"] * 8, "row 1, column 1"),
    (["1"] * 8, "needs 9 numbers"),
])
def test_parse_kernel_names_the_box_that_is_not_a_number(entries, words):
    with pytest.raises(ValueError, match=words):
        conv.parse_kernel(entries)


def test_kernel_response_and_feature_maps_agree_with_conv2d_and_relu():
    rng = np.random.default_rng(1)
    image = rng.random((12, 15))
    shown = conv.kernel_response(image, conv.preset("vertical edge"), bias=-0.1)
    raw = conv2d(image, conv.preset("vertical edge")) - 0.1
    np.testing.assert_allclose(shown["raw"], raw)
    np.testing.assert_array_equal(shown["kept"], np.maximum(raw, 0))
    assert shown["fraction_kept"] == pytest.approx((raw > 0).mean())
    maps = conv.feature_maps(image, {name: conv.preset(name) for name in ("blur", "sharpen")})
    assert maps["raw"].shape == (2, 10, 13) and maps["names"] == ["blur", "sharpen"]
    np.testing.assert_allclose(maps["raw"][1], conv2d(image, conv.preset("sharpen")))
    assert (maps["kept"] >= 0).all()


def test_every_preset_is_3x3_and_edge_presets_sum_to_zero():
    for name in conv.PRESETS:
        assert conv.preset(name).shape == (3, 3)
    for name in ("vertical edge", "horizontal edge", "diagonal / edge", "diagonal \\ edge"):
        assert conv.preset(name).sum() == 0
    assert conv.preset("blur").sum() == pytest.approx(1) and conv.preset("sharpen").sum() == 1
    with pytest.raises(ValueError, match="unknown kernel"):
        conv.preset("emboss")


def test_max_pool_keeps_the_largest_of_each_block_and_drops_ragged_edges():
    x = np.array([[1, 2, 0, 5, 9], [3, 4, 1, 1, 9], [0, 0, 7, 0, 9]])
    np.testing.assert_array_equal(conv.max_pool(x, 2), [[4, 5]])
    stacked = np.stack([x, -x])
    assert conv.max_pool(stacked, 2).shape == (2, 1, 2)
    winners = conv.pool_winners(x, 2)
    assert winners.sum() == 2 and winners[1, 1] and winners[0, 3] and not winners[:, 4].any()
    with pytest.raises(ValueError, match="does not fit"):
        conv.max_pool(np.zeros((1, 5)), 2)


def test_shift_moves_the_picture_without_wrapping():
    image = np.arange(12.0).reshape(3, 4)
    moved = conv.shift(image, 0, 1)
    np.testing.assert_array_equal(moved[:, 1:], image[:, :3])
    np.testing.assert_array_equal(moved[:, 0], image[:, 0])  # the edge repeats; nothing wraps around
    np.testing.assert_array_equal(conv.shift(image, -1, 0)[:2], image[1:])
    np.testing.assert_array_equal(conv.shift(image), image)


def test_pooling_changes_less_than_the_map_when_the_picture_moves_a_little():
    rng = np.random.default_rng(2)
    image = np.cumsum(np.cumsum(rng.normal(size=(40, 48)), 0), 1)  # smooth, picture-like
    image = (image - image.min()) / np.ptp(image)
    shown = conv.translation_change(image, conv.preset("vertical edge"), [0, 1, 2], pool=4)
    assert shown["map_change"][0] == 0 and shown["pooled_change"][0] == 0
    assert all(p < m for p, m in zip(shown["pooled_change"][1:], shown["map_change"][1:], strict=True))
