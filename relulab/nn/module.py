"""The base class every layer shares: call, parameters, saving and loading, input checks."""

import numpy as np

from .errors import ForwardFirstError, InputError, as_float_array, plural
from .parameter import Parameter


class Module:
    """Base class of all layers.

    A layer has ``forward(x) -> out`` (also ``layer(x)``), ``backward(dout) -> dx``
    (``dout`` is d loss / d out, same shape as ``out``; ``dx`` has the shape of
    ``x``) and ``parameters() -> list[Parameter]``. ``forward`` remembers what
    ``backward`` needs (its input, usually) in attributes listed in ``_cache``.

    Like PyTorch: ``named_parameters()`` yields ``("weight", p)``, ``("0.bias", p)``, ...;
    ``state_dict()`` / ``load_state_dict(state)`` copy the weights out and back in;
    ``save(path)`` / ``load(path)`` write and read them as a ``.npz`` file.
    """

    _cache = ()  # names of the attributes forward sets for backward

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):  # pragma: no cover - every layer overrides it
        """x -> out (each layer documents its shapes)."""
        raise NotImplementedError

    def backward(self, dout):  # pragma: no cover - every layer overrides it
        """dout (d loss / d out) -> dx (d loss / d x)."""
        raise NotImplementedError

    def __getattr__(self, name):
        # Only called when normal lookup fails: a cache attribute is missing until forward runs.
        if name in type(self)._cache:
            raise ForwardFirstError(
                f"{self!r}: backward was called before forward. Run the layer (or model) forward on a "
                f"batch first, e.g. out = model(x); then loss_fn(out, y) and model.backward(loss_fn.backward())."
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # --- parameters ---------------------------------------------------------------------------

    def named_parameters(self, prefix=""):
        """Yield ``(name, Parameter)``: ``("weight", p), ("bias", q)``; in a Sequential ``"0.weight"``."""
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value

    def parameters(self):
        """The layer's Parameters, in the order they were created (weight, then bias)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Set the gradient of every parameter to zero."""
        for p in self.parameters():
            p.zero_grad()

    # --- saving and loading -------------------------------------------------------------------

    def state_dict(self):
        """A dict ``name -> copy of the parameter's array``, e.g. ``{"0.weight": ..., "0.bias": ...}``."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy the arrays of ``state`` (from :meth:`state_dict` or a ``.npz``) into the parameters.

        The arrays are copied into the existing ones, so optimizers and compiled models that hold
        the parameters see the new values. Every parameter must be there with the same shape.
        """
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing)}")
            if unexpected:
                parts.append(f"unexpected {', '.join(unexpected)}")
            raise InputError(f"load_state_dict: the saved weights do not fit this model ({'; '.join(parts)}). "
                             f"The model has {', '.join(params) or 'no parameters'}.")
        for name, p in params.items():
            value = np.asarray(state[name])
            if value.shape != p.data.shape:
                raise InputError(f"load_state_dict: parameter {name!r} has shape {p.data.shape} in the model "
                                 f"but {value.shape} in the saved weights. Build the model with the same "
                                 f"layers and sizes as the one that was saved.")
        for name, p in params.items():
            p.data[...] = state[name]

    def save(self, path):
        """Write the weights to ``path`` (a ``.npz`` file, ``np.savez``), one array per parameter name."""
        np.savez(path, **self.state_dict())

    def load(self, path):
        """Read weights written by :meth:`save` into this model (built with the same layers); returns self."""
        with np.load(path) as saved:
            self.load_state_dict({name: saved[name] for name in saved.files})
        return self

    # --- input checks -------------------------------------------------------------------------

    def _as_input(self, x):
        """Cast ``x`` to float32 (refusing non-float data, NaN and infinity)."""
        return as_float_array(x, repr(self))

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

    def __repr__(self):
        return f"{type(self).__name__}()"
