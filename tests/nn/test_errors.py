"""Bad input gets a message a beginner understands: which layer, which shape, what is wrong."""

import numpy as np
import pytest

from relulab import nn


def test_conv_channel_mismatch_names_layer_and_shapes():
    conv = nn.Conv2d(3, 16, kernel_size=3)
    with pytest.raises(nn.InputError) as err:
        conv(np.zeros((64, 1, 28, 28), np.float32))
    assert str(err.value) == (
        "Conv2d(3, 16, kernel_size=3) expects input shaped (N, 3, H, W) but got (64, 1, 28, 28): "
        "the input has 1 channel, the layer expects 3."
    )


def test_wrong_number_of_dimensions():
    with pytest.raises(nn.InputError, match=r"Conv2d\(1, 4, kernel_size=3\) expects input shaped "
                                            r"\(N, 1, H, W\) but got \(1, 28, 28\).*batch axis"):
        nn.Conv2d(1, 4, 3)(np.zeros((1, 28, 28), np.float32))
    with pytest.raises(nn.InputError, match=r"Linear\(in_features=10.*\(N, 10\).*forget nn.Flatten"):
        nn.Linear(10, 2)(np.zeros((4, 1, 2, 5), np.float32))
    with pytest.raises(nn.InputError, match=r"MaxPool2d\(kernel_size=2\) expects input shaped \(N, C, H, W\)"):
        nn.MaxPool2d(2)(np.zeros((4, 8), np.float32))


def test_linear_feature_mismatch():
    with pytest.raises(nn.InputError, match=r"the input has 7 features, the layer expects 10"):
        nn.Linear(10, 2)(np.zeros((4, 7), np.float32))


def test_kernel_larger_than_padded_input():
    with pytest.raises(nn.InputError, match=r"with padding=1 the image is 4x4, smaller than the 5x5 kernel"):
        nn.Conv2d(1, 2, 5, padding=1)(np.zeros((1, 1, 2, 2), np.float32))
    with pytest.raises(nn.InputError, match=r"smaller than the 3x3 pooling window"):
        nn.MaxPool2d(3)(np.zeros((1, 1, 2, 5), np.float32))


@pytest.mark.parametrize("bad", [np.zeros((2, 1, 4, 4), int), np.zeros((2, 1, 4, 4), bool),
                                 np.zeros((2, 1, 4, 4), object)])
def test_non_float_input_is_refused(bad):
    with pytest.raises(nn.InputError, match=r"Conv2d\(1, 2, kernel_size=3\) expects floating-point"):
        nn.Conv2d(1, 2, 3)(bad)
    with pytest.raises(TypeError):  # InputError is also a TypeError
        nn.ReLU()(bad)


def test_float64_input_is_cast_without_fuss():
    out = nn.Conv2d(1, 2, 3)(np.zeros((2, 1, 4, 4), np.float64))
    assert out.dtype == np.float32


def test_nan_input_is_refused_by_a_layer_and_by_a_model():
    x = np.zeros((2, 1, 4, 4), np.float32)
    x[1, 0, 2, 2] = np.nan
    with pytest.raises(nn.InputError, match=r"Conv2d\(1, 2, kernel_size=3\) got input that contains NaN"):
        nn.Conv2d(1, 2, 3)(x)
    model = nn.Sequential(nn.Flatten(), nn.ReLU())
    with pytest.raises(ValueError, match="NaN"):  # InputError is also a ValueError
        model(x)
    with pytest.raises(nn.InputError, match="NaN"):
        nn.fit(model, x, np.zeros(2, int), nn.CrossEntropyLoss(), nn.SGD([nn.Parameter(0.0)], lr=1),
               progress=False)


def test_error_in_the_middle_of_a_model_names_the_layer():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(10, 2))
    with pytest.raises(nn.InputError, match=r"Linear\(in_features=10.*has 64 features"):
        model(np.zeros((2, 1, 6, 6), np.float32))
