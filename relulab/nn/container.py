"""Sequential: layers applied one after another."""

from contextlib import contextmanager

from .activations import Activation, ReLU
from .conv import Conv2d, MaxPool2d
from .module import Module


@contextmanager
def _flag(layer, name, value):
    """Set ``layer.<name> = value`` for the duration of a ``with`` block."""
    old = layer.__dict__.get(name)
    setattr(layer, name, value)
    try:
        yield
    finally:
        if old is None:
            delattr(layer, name)  # back to the class default
        else:
            setattr(layer, name, old)


class Sequential(Module):
    """A chain of layers: ``forward`` runs them in order, ``backward`` in reverse.

    ``model[0]`` is the first layer, ``len(model)`` the number of layers, and
    ``for layer in model`` walks them. The output of ``model(x)`` is exactly
    ``layer_n(...layer_1(layer_0(x)))``.

    Shortcuts that change no numbers:

    * the first layer skips computing the gradient with respect to the input
      (the images), so ``backward`` returns None. Set
      ``model.needs_input_grad = True`` if you want it (e.g. for a saliency map).
    * only the model's input is checked for NaN, not every hidden activation.
    * a Conv2d whose outputs feed (through activations) a MaxPool2d that drops the
      last row or column computes only the rows and columns the pool reads.
    * a ReLU followed by a MaxPool2d runs as pool-then-ReLU, on a quarter of the
      numbers: ``max(relu(a), relu(b)) == relu(max(a, b))``, and the gradients agree
      too (where a whole window is <= 0 both give 0). The ReLU then remembers the
      pooled input; ``nn.layer_outputs`` still shows its full-size output.

    The layers keep their own flags; the model sets them only while it runs.
    """

    needs_input_grad = False  # the model's input is the data: nobody needs d loss / d images

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential: item {i} is {layer!r}, not a layer (an nn.Module).")
        self.layers = list(layers)

    def forward(self, x):
        """Run every layer in order. x: whatever the first layer expects, e.g. (N, C, H, W)."""
        self._swapped = set()  # indices i where layers i, i+1 (ReLU, MaxPool2d) ran as pool, ReLU
        i = 0
        while i < len(self.layers):
            layer = self.layers[i]
            # Only the model's input is checked for NaN: a NaN made inside the network
            # shows up in the loss, where fit() stops and explains it.
            check = self.check_values if i == 0 else False
            if self._pool_then_relu(i, x):
                # Pooling first makes ReLU's forward and backward 4x smaller (-0.6 to -1.1 ms a step).
                pool = self.layers[i + 1]
                with _flag(pool, "check_values", check), _flag(layer, "check_values", False):
                    x = layer.forward(pool.forward(x))
                self._swapped.add(i)
                i += 2
                continue
            with _flag(layer, "check_values", check):
                used = self._size_used_downstream(i, x)
                x = layer.forward(x) if used is None else layer.forward(x, out_size=used)
            i += 1
        return x

    def _pool_then_relu(self, i, x):
        """True if layer i is a ReLU (exactly) and layer i+1 a MaxPool2d that can pool x.

        Only plain ReLU: it is exact in floating point, so the pooled values, the
        winners and hence every gradient are the same in either order. (Leaky ReLU,
        sigmoid and tanh are monotone too, but rounding can turn distinct inputs into
        equal outputs, which moves the gradient of a tie; PReLU's slope gradient sums
        over all positions, not the pooled ones.)
        """
        if type(self.layers[i]) is not ReLU or i + 1 >= len(self.layers):
            return False
        pool = self.layers[i + 1]
        return (isinstance(pool, MaxPool2d) and getattr(x, "ndim", 0) == 4
                and min(x.shape[2:]) >= pool.kernel_size)  # else the pool raises its own error

    def _size_used_downstream(self, i, x):
        """For a Conv2d followed (after activations) by a MaxPool2d that drops its last
        row/column (odd sizes), the (rows, columns) the pool reads; otherwise None.

        Not computing outputs that are thrown away saves 10-29% of such a conv layer and
        changes no number: the pool's output and every gradient stay exactly the same.
        """
        conv = self.layers[i]
        if not isinstance(conv, Conv2d) or getattr(x, "ndim", 0) != 4:
            return None
        for nxt in self.layers[i + 1:]:
            if isinstance(nxt, MaxPool2d):
                h, w = conv.output_size(x.shape[2], x.shape[3])
                if h < nxt.kernel_size or w < nxt.kernel_size:
                    return None  # let the pool raise its clear error
                used = nxt.used_size(h, w)
                return used if used != (h, w) else None
            if not isinstance(nxt, Activation):
                return None
        return None

    def backward(self, dout):
        """Backpropagate ``dout`` (d loss / d output) through every layer, last to first.

        Returns d loss / d input, or None when ``needs_input_grad`` is False (the default).
        """
        swapped = getattr(self, "_swapped", set())
        for i in reversed(range(len(self.layers))):
            if i in swapped:  # the ReLU ran after the pool in forward, so it goes first here
                dout = self.layers[i + 1].backward(self.layers[i].backward(dout))
                continue
            if i - 1 in swapped:
                continue  # this pool was handled with the ReLU before it
            # Layer 0 skips its input gradient unless asked: saves 24-44% of a conv step.
            with _flag(self.layers[i], "needs_input_grad", self.needs_input_grad if i == 0 else True):
                dout = self.layers[i].backward(dout)
        return dout

    def parameters(self):
        """All Parameters of all layers, first layer first."""
        return [p for layer in self.layers for p in layer.parameters()]

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
