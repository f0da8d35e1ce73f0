"""The exceptions the package raises for bad input or a wrong order of calls, and the checks that raise them."""

import numpy as np

from ._config import get_dtype


class InputError(ValueError, TypeError):
    """Bad input to a layer, loss or training function: wrong shape, wrong type, NaN.

    The message names the layer and the shape it expects. It is both a
    ``ValueError`` and a ``TypeError``, so ``except ValueError`` catches it too.
    """


class NonFiniteError(InputError):
    """Input that contains NaN or infinity. Inside a model during training it means the weights blew
    up (the data was checked when training started), so :func:`relulab.nn.fit` stops and says so."""


class ForwardFirstError(RuntimeError, AttributeError):
    """``backward`` was called before ``forward``: there is nothing remembered to differentiate."""


def as_float_array(x, who, check_values=True):
    """Return ``x`` as an array of the package's float type (float32), or raise InputError.

    Floats of other widths are cast silently; integers, booleans, strings and
    objects are refused, because they usually mean labels were passed as images.
    With ``check_values`` the array must not contain NaN or infinity.
    """
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.dtype.kind != "f":
        raise InputError(
            f"{who} expects floating-point numbers but got an array of dtype {x.dtype}. "
            "Convert it first, e.g. X.astype(np.float32) (and scale pixels to 0..1)."
        )
    dtype = get_dtype()
    if x.dtype != dtype:
        x = x.astype(dtype)
    if check_values and not np.isfinite(x).all():
        bad = "NaN" if np.isnan(x).any() else "infinite values"
        raise NonFiniteError(f"{who} got input that contains {bad} (shape {x.shape}); check the data.")
    return x


def plural(n, word):
    """``plural(1, "channel") == "1 channel"``, ``plural(3, "channel") == "3 channels"``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
