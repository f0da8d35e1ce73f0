"""The one activation registry and the one MLP builder that every experiment uses.

>>> model = mlp([64, 32, 32, 10], "relu", rng=np.random.default_rng(0))
>>> [type(layer).__name__ for layer in model]
['Linear', 'ReLU', 'Linear', 'ReLU', 'Linear']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import nn


@dataclass(frozen=True)
class ActivationSpec:
    """One activation: how to write it, how to build its layer, and the initialisation that suits it."""

    name: str
    label: str
    layer: type
    init: str


ACTIVATIONS = {
    "relu": ActivationSpec("relu", "ReLU", nn.ReLU, "he"),
    "leaky_relu": ActivationSpec("leaky_relu", "Leaky ReLU", nn.LeakyReLU, "he"),
    "prelu": ActivationSpec("prelu", "PReLU", nn.PReLU, "he"),
    "sigmoid": ActivationSpec("sigmoid", "sigmoid", nn.Sigmoid, "xavier"),
    "tanh": ActivationSpec("tanh", "tanh", nn.Tanh, "xavier"),
}
"""Name -> :class:`ActivationSpec`: the activations the experiments compare, as ``relulab.nn`` layers.

He initialisation for the ReLU family, Xavier for the squashing functions (He et al. 2015).
"""


def _spec(activation: str) -> ActivationSpec:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, not {activation!r}")
    return ACTIVATIONS[activation]


def make_activation(activation: str = "relu", negative_slope: float = 0.01, prelu_init: float = 0.25):
    """A fresh activation layer by name: "relu", "leaky_relu" (with ``negative_slope``), "prelu"
    (its learned slope starts at ``prelu_init``), "sigmoid" or "tanh"."""
    spec = _spec(activation)
    if activation == "leaky_relu":
        return spec.layer(negative_slope=negative_slope)
    if activation == "prelu":
        return spec.layer(init=prelu_init)
    return spec.layer()


def mlp(sizes, activation: str | None = "relu", *, init: str | None = None, bias_init: float = 0.0,
        rng: np.random.Generator | None = None, negative_slope: float = 0.01):
    """A multilayer perceptron: ``Linear(sizes[0], sizes[1])``, activation, ..., ``Linear(sizes[-2], sizes[-1])``.

    sizes: the width of every layer, input first, e.g. ``[64, 32, 32, 10]`` (two hidden layers).
    ``[2, 2]`` is a single Linear layer (no activation). activation: a name from :data:`ACTIVATIONS`
    (None only for a single layer). init: "he" or "xavier" (default: the one that suits the activation;
    Xavier for a single layer). bias_init: the starting bias of the hidden layers (the output layer's
    starts at 0). rng: the numpy Generator the weights are drawn from, in layer order.
    Input (N, sizes[0]) -> output (N, sizes[-1]).
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, e.g. [2, 16, 2]; got {sizes}")
    if activation is None and len(sizes) > 2:
        raise ValueError("a network with hidden layers needs an activation between them (see ACTIVATIONS)")
    if init is None:
        init = _spec(activation).init if activation is not None and len(sizes) > 2 else "xavier"
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        linear = nn.Linear(n_in, n_out, init=init, rng=rng)
        layers.append(linear)
        if i < len(sizes) - 2:
            linear.bias.data[:] = bias_init
            layers.append(make_activation(activation, negative_slope))
    return nn.Sequential(*layers)
