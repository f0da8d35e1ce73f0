"""Loss functions: CrossEntropyLoss (classification) and MSELoss (regression).

Use: ``loss = loss_fn(pred, target)`` returns a Python float and remembers what
it needs; ``loss_fn.backward()`` then returns d loss / d pred.
"""

import numpy as np

from .errors import ForwardFirstError, InputError, as_float_array


class CrossEntropyLoss:
    """Softmax + negative log-likelihood, averaged over the batch (like ``torch.nn.CrossEntropyLoss``).

    logits: (N, K) raw scores, y: (N,) integer class labels in 0..K-1 -> float.
    ``backward()`` returns dlogits: (N, K) = (softmax(logits) - onehot(y)) / N.
    Stable for huge logits: the largest logit of each row is subtracted first.
    """

    def __call__(self, logits, y):
        return self.forward(logits, y)

    def forward(self, logits, y):
        """logits: (N, K), y: (N,) ints -> mean loss (float)."""
        logits = as_float_array(logits, "CrossEntropyLoss", check_values=False)
        if logits.ndim != 2:
            raise InputError(f"CrossEntropyLoss expects logits shaped (N, K) but got {logits.shape}.")
        y = np.asarray(y)
        if y.dtype.kind not in "iu":
            raise InputError(
                f"CrossEntropyLoss expects integer class labels y but got dtype {y.dtype}; "
                "use y.astype(int)."
            )
        n, k = logits.shape
        if y.shape != (n,):
            raise InputError(f"CrossEntropyLoss expects labels shaped ({n},) but got {y.shape}.")
        if n and (y.min() < 0 or y.max() >= k):
            raise InputError(
                f"CrossEntropyLoss: labels must be in 0..{k - 1} for {k} classes, "
                f"but they range from {y.min()} to {y.max()}."
            )
        shifted = logits - logits.max(axis=1, keepdims=True)  # exp never overflows now
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs = np.exp(log_probs)
        self.y = y
        return float(-log_probs[np.arange(n), y].mean())

    def backward(self):
        """d loss / d logits, shape (N, K)."""
        if not hasattr(self, "probs"):
            raise ForwardFirstError("CrossEntropyLoss: backward was called before the loss was computed; "
                                    "call loss_fn(logits, y) first.")
        n = len(self.y)
        dlogits = self.probs.copy()
        dlogits[np.arange(n), self.y] -= 1
        return dlogits / n

    def __repr__(self):
        return "CrossEntropyLoss()"


class MSELoss:
    """Mean squared error ``mean((pred - target) ** 2)`` over every element.

    pred and target: the same shape, e.g. (N,) or (N, D) -> float.
    ``backward()`` returns dpred = 2 * (pred - target) / pred.size.
    """

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def forward(self, pred, target):
        """pred, target: same shape -> mean squared error (float)."""
        pred = as_float_array(pred, "MSELoss", check_values=False)
        target = as_float_array(target, "MSELoss (target)", check_values=False)
        if pred.shape != target.shape:
            raise InputError(
                f"MSELoss expects pred and target of the same shape but got {pred.shape} and "
                f"{target.shape}." + (" Reshape one, e.g. target.reshape(-1, 1)." if pred.size == target.size else "")
            )
        self.diff = pred - target
        return float(np.mean(self.diff * self.diff))

    def backward(self):
        """d loss / d pred, same shape as pred."""
        if not hasattr(self, "diff"):
            raise ForwardFirstError("MSELoss: backward was called before the loss was computed; "
                                    "call loss_fn(pred, target) first.")
        return self.diff * (2.0 / self.diff.size)

    def __repr__(self):
        return "MSELoss()"
