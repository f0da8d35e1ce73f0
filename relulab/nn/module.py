"""The base class every layer shares: call, parameters, input checks."""

from .errors import InputError, as_float_array, plural
from .parameter import Parameter


class Module:
    """Base class of all layers.

    A layer has ``forward(x) -> out`` (also ``layer(x)``), ``backward(dout) -> dx``
    (``dout`` is d loss / d out, same shape as ``out``; ``dx`` has the shape of
    ``x``) and ``parameters() -> list[Parameter]``.

    Two flags, both set by :class:`Sequential` so you rarely touch them:

    * ``needs_input_grad``: if False, layers with parameters skip computing
      ``dx`` and ``backward`` returns None. The first layer of a model sets it,
      because nobody needs the gradient with respect to the images.
    * ``check_values``: if True (a layer used on its own, or the first layer of
      a model) the input is checked for NaN and infinity.
    """

    needs_input_grad = True
    check_values = True

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):  # pragma: no cover - every layer overrides it
        """x -> out (each layer documents its shapes)."""
        raise NotImplementedError

    def backward(self, dout):  # pragma: no cover - every layer overrides it
        """dout (d loss / d out) -> dx (d loss / d x), or None if not needed."""
        raise NotImplementedError

    def parameters(self):
        """The layer's Parameters, in the order they were created (weight, then bias)."""
        return [v for v in vars(self).values() if isinstance(v, Parameter)]

    def zero_grad(self):
        """Set the gradient of every parameter to zero."""
        for p in self.parameters():
            p.zero_grad()

    def _as_input(self, x):
        """Cast ``x`` to float32 (refusing non-float data and, if asked, NaN)."""
        return as_float_array(x, repr(self), check_values=self.check_values)

    def _check_ndim(self, x, ndim, expected):
        if x.ndim != ndim:
            hint = ""
            if ndim == 2 and x.ndim > 2:
                hint = " Did you forget nn.Flatten() before it?"
            elif ndim == 4 and x.ndim == 3:
                hint = " A single image needs a batch axis: x[None] or x.reshape(1, *x.shape)."
            elif ndim == 4 and x.ndim == 2:
                hint = " Reshape flat images to (N, C, H, W) first."
            raise InputError(
                f"{self!r} expects input shaped {expected} but got {x.shape} "
                f"({x.ndim} dimensions instead of {ndim}).{hint}"
            )

    def _check_shape(self, x, ndim, expected, size, noun):
        """Check the number of dimensions and that axis 1 holds ``size`` ``noun``s (channels, features)."""
        self._check_ndim(x, ndim, expected)
        if x.shape[1] != size:
            raise InputError(
                f"{self!r} expects input shaped {expected} but got {x.shape}: the input has "
                f"{plural(x.shape[1], noun)}, the layer expects {size}."
            )

    def _need_forward(self, cache):
        if cache is None:
            raise RuntimeError(f"{self!r}: call forward before backward.")

    def __repr__(self):
        return f"{type(self).__name__}()"
