"""Sequential: layers applied one after another."""

from .module import Module


class Sequential(Module):
    """A chain of layers: ``forward`` runs them in order, ``backward`` in reverse.

    ``model[0]`` is the first layer, ``len(model)`` the number of layers, and
    ``for layer in model`` walks them. Every layer sees, and remembers, exactly the
    input it is given: ``model(x)`` is ``layer_n(...layer_1(layer_0(x)))``.
    For speed, train through ``nn.compile(model)`` (``nn.fit`` does): the same
    parameters, the same numbers, a faster execution.
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential: item {i} is {layer!r}, not a layer (an nn.Module).")
        self.layers = list(layers)

    def forward(self, x):
        """Run every layer in order. x: whatever the first layer expects, e.g. (N, C, H, W)."""
        for layer in self.layers:
            x = layer(x)
        return x

    def backward(self, dout):
        """Backpropagate ``dout`` (d loss / d output) through every layer, last to first -> d loss / d input."""
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def named_parameters(self, prefix=""):
        """Yield ``("0.weight", p), ("0.bias", q), ("3.weight", ...)``: layer index, then parameter name."""
        for i, layer in enumerate(self.layers):
            yield from layer.named_parameters(prefix=f"{prefix}{i}.")

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Sequential(*self.layers[i])
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self):
        lines = ["Sequential("]
        for i, layer in enumerate(self.layers):
            inner = repr(layer).replace("\n", "\n  ")
            lines.append(f"  ({i}): {inner}")
        lines.append(")")
        return "\n".join(lines)
