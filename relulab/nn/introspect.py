"""Looking inside a model: every layer's output, sparsity, dead units, gradient sizes.

Layer names are ``"<index>: <ClassName>"`` as in ``model[index]``, e.g. ``"1: ReLU"``;
layers inside a nested Sequential get ``"2.0: Conv2d"``.
"""

import numpy as np

from .activations import Activation
from .container import Sequential
from .errors import as_float_array


def named_layers(model, prefix=""):
    """Yield ``(name, layer)`` for every layer of ``model`` (nested Sequentials are opened)."""
    if not isinstance(model, Sequential):
        yield (prefix or "0") + f": {type(model).__name__}", model
        return
    for i, layer in enumerate(model):
        name = f"{prefix}{i}"
        if isinstance(layer, Sequential):
            yield from named_layers(layer, prefix=name + ".")
        else:
            yield f"{name}: {type(layer).__name__}", layer


def layer_outputs(model, X):
    """Run ``X`` through the model and return every layer's output.

    X: (N, ...) -> list of ``(name, array)``, e.g. ``[("0: Conv2d", (N, 16, 26, 26)), ("1: ReLU", ...)]``.
    """
    x = as_float_array(X, "layer_outputs")
    outputs = []
    for name, layer in named_layers(model):
        x = layer(x)
        outputs.append((name, x))
    return outputs


def _activation_batches(model, X, batch_size):
    X = as_float_array(X, "model input")
    for start in range(0, len(X), batch_size):
        x = X[start:start + batch_size]
        for name, layer in named_layers(model):
            x = layer(x)
            if isinstance(layer, Activation):
                yield name, x


def fraction_zeros(model, X, batch_size=256):
    """For each activation layer, the fraction of its outputs on ``X`` that are exactly 0.

    X: (N, ...) -> dict name -> float in [0, 1] (ReLU layers are sparse; sigmoid's are not).
    """
    zeros, total = {}, {}
    for name, a in _activation_batches(model, X, batch_size):
        zeros[name] = zeros.get(name, 0) + int(np.count_nonzero(a == 0))
        total[name] = total.get(name, 0) + a.size
    return {name: zeros[name] / total[name] for name in zeros}


def dead_units(model, X, batch_size=256):
    """For each activation layer, how many units output 0 for EVERY example of ``X``.

    A unit is a feature (for outputs shaped (N, F)) or a whole channel (for (N, C, H, W):
    the channel is dead if it is 0 at every position of every image).
    X: (N, ...) -> dict name -> int.
    """
    alive = {}
    for name, a in _activation_batches(model, X, batch_size):
        axes = (0,) + tuple(range(2, a.ndim))
        nonzero = (a != 0).any(axis=axes)
        alive[name] = nonzero | alive[name] if name in alive else nonzero
    return {name: int(np.count_nonzero(~mask)) for name, mask in alive.items()}


def grad_norms(model):
    """L2 norm of every parameter's ``.grad`` (call after a backward pass).

    -> dict ``"<layer name>.<param name>"`` -> float, e.g. ``{"0: Conv2d.weight": 0.31, ...}``.
    """
    norms = {}
    for name, layer in named_layers(model):
        for p in layer.parameters():
            norms[f"{name}.{p.name}"] = float(np.sqrt(np.sum(p.grad.astype(np.float64) ** 2)))
    return norms
