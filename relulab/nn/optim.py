"""Optimizers: SGD (with momentum) and Adam, with PyTorch's update rules.

Use: ``opt = SGD(model.parameters(), lr=0.1)``; each step: ``opt.zero_grad()``,
forward, ``loss_fn.backward()``, ``model.backward(...)``, ``opt.step()``.
"""

import numpy as np


class Optimizer:
    """Base class: holds the list of Parameters and zeroes their gradients."""

    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimise.")
        if lr <= 0:
            raise ValueError(f"{type(self).__name__}: the learning rate lr must be positive, got {lr}.")
        self.lr = float(lr)

    def zero_grad(self):
        """Set every parameter's ``.grad`` to zero (call before each backward)."""
        for p in self.params:
            p.grad[...] = 0


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum and weight decay.

    g = grad + weight_decay * w;  v = momentum * v + g (v = g on the first step);
    w = w - lr * v.  Without momentum: w = w - lr * g.
    """

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(params, lr)
        self.momentum, self.weight_decay = float(momentum), float(weight_decay)
        self.velocity = [None] * len(self.params)

    def step(self):
        """Update every parameter in place from its ``.grad``."""
        for i, p in enumerate(self.params):
            g = p.grad
            if self.weight_decay:
                g = g + self.weight_decay * p.data
            if self.momentum:
                if self.velocity[i] is None:
                    self.velocity[i] = g.copy()
                else:
                    self.velocity[i] *= self.momentum
                    self.velocity[i] += g
                g = self.velocity[i]
            p.data -= self.lr * g

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


class Adam(Optimizer):
    """Adam: a step per parameter scaled by running averages of the gradient and its square.

    g = grad + weight_decay * w;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
    w = w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),  t = 1, 2, ...
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        self.betas, self.eps, self.weight_decay = tuple(betas), float(eps), float(weight_decay)
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0

    def step(self):
        """Update every parameter in place from its ``.grad``."""
        self.t += 1
        b1, b2 = self.betas
        bias1, bias2 = 1 - b1**self.t, 1 - b2**self.t
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            g = p.grad
            if self.weight_decay:
                g = g + self.weight_decay * p.data
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            denom = np.sqrt(v) / np.sqrt(bias2) + self.eps
            p.data -= (self.lr / bias1) * (m / denom)

    def __repr__(self):
        return f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay})"
