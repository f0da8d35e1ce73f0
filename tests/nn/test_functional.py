import numpy as np
import pytest

from relulab.nn.functional import col2im, conv2d, im2col
from relulab.nn.reference import conv_forward


@pytest.mark.parametrize("stride,padding,k", [(1, 0, 3), (2, 1, 3), (1, 2, 5), (3, 0, 2)])
def test_conv2d_matches_the_loop_reference(stride, padding, k):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 9, 11))
    w = rng.normal(size=(4, 3, k, k))
    b = rng.normal(size=4)
    np.testing.assert_allclose(conv2d(x, w, b, stride, padding), conv_forward(x, w, b, stride, padding)[0],
                               rtol=1e-10, atol=1e-10)


def test_conv2d_takes_one_image_and_one_kernel():
    image = np.arange(25.0).reshape(5, 5)
    kernel = np.zeros((3, 3))
    kernel[0, 0] = 1  # picks the top-left pixel of each window: no flip (cross-correlation)
    np.testing.assert_array_equal(conv2d(image, kernel), image[:3, :3])


def test_conv2d_says_which_channels_disagree():
    with pytest.raises(ValueError, match="3 channels but weight expects 2"):
        conv2d(np.zeros((1, 3, 5, 5)), np.zeros((1, 2, 3, 3)))


@pytest.mark.parametrize("stride,padding,k", [(1, 0, 3), (2, 1, 3), (1, 2, 2)])
def test_col2im_is_the_transpose_of_im2col(stride, padding, k):
    # <im2col(x), c> == <x, col2im(c)> for every x and c: col2im is exactly im2col's backward.
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 7, 6))
    cols = im2col(x, k, stride, padding)
    c = rng.normal(size=cols.shape)
    assert np.sum(cols * c) == pytest.approx(np.sum(x * col2im(c, x.shape, k, stride, padding)), rel=1e-12)
