"""Training loop and evaluation: fit, History, accuracy, predict."""

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._config import default_rng
from .errors import InputError, NonFiniteError, as_float_array
from .fast import compile as compile_model
from .losses import CrossEntropyLoss


@dataclass
class Event:
    """What a callback receives from :func:`fit` after every step and every epoch.

    kind: "step" or "epoch"; step: optimizer steps done so far (1, 2, ...);
    epoch: the current epoch (1, 2, ...); loss: the batch loss (step events) or the
    mean loss of the epoch (epoch events); model: the model being trained;
    train_acc / val_acc: accuracies on epoch events of a classification loss, else None;
    history: the History so far.
    """

    kind: str
    step: int
    epoch: int
    loss: float
    model: object
    train_acc: float = None
    val_acc: float = None
    history: object = None


@dataclass
class History:
    """What :func:`fit` records.

    loss: the loss of every step; epoch_loss: mean loss of each epoch;
    train_acc: accuracy on the training batches of each epoch (measured while
    training, so it lags the model a little); val_acc / val_loss: on (X_val, y_val)
    after each epoch; seconds: wall-clock time since the start at the end of each
    epoch. Accuracies are only recorded for classification (CrossEntropyLoss).
    stop_reason: "finished", "callback" or "nan"; message: a sentence saying why
    training stopped; stopped_at_step: the step it stopped at (None if it finished).
    """

    loss: list = field(default_factory=list)
    epoch_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    stop_reason: str = "finished"
    message: str = ""
    stopped_at_step: int = None

    def __repr__(self):
        last = f", last loss {self.loss[-1]:.4g}" if self.loss else ""
        return (f"History({len(self.loss)} steps, {len(self.epoch_loss)} epochs{last}, "
                f"stop_reason={self.stop_reason!r})")


def _check_xy(X, y, who):
    X = as_float_array(X, who)
    if y is None:
        raise InputError(f"{who}: y is missing.")
    y = np.asarray(y)
    if len(X) != len(y):
        raise InputError(f"{who}: X has {len(X)} examples but y has {len(y)}; they must match.")
    return X, y


def predict(model, X, batch_size=256):
    """Run ``model`` on ``X`` in batches and return the stacked outputs.

    X: (N, ...) as the model expects -> (N, ...) model outputs (e.g. logits (N, K)).
    """
    X = as_float_array(X, "predict")
    outs = [model(X[i:i + batch_size]) for i in range(0, len(X), batch_size)]
    return np.concatenate(outs) if outs else np.zeros((0,), dtype=X.dtype)


def accuracy(model, X, y, batch_size=256):
    """Fraction of examples whose largest output is the true class.

    X: (N, ...), y: (N,) integer labels -> float in [0, 1].
    """
    X, y = _check_xy(X, y, "accuracy")
    if len(X) == 0:
        return float("nan")
    return float(np.mean(predict(model, X, batch_size).argmax(axis=1) == y))


def fit(model, X, y, loss_fn, optimizer, num_epochs=1, batch_size=64, X_val=None, y_val=None,
        callbacks=(), progress=True, rng=None, workers=None, compile=True):
    """Train ``model`` with mini-batches and return a :class:`History`.

    X: (N, ...) inputs; y: (N,) integer labels for CrossEntropyLoss, or targets shaped
    like the model output for MSELoss. Each epoch shuffles the data with ``rng``
    (default: the package generator, see ``nn.manual_seed``) and runs, per batch, the five
    steps: ``optimizer.zero_grad()``, forward, loss, backward, ``optimizer.step()``.

    compile: True (default) runs the steps through ``nn.compile(model)``: the same parameters and
    numbers, with the speed tricks of :mod:`relulab.nn.fast`. False runs the layers as written
    (the reference path), e.g. to watch what each layer remembers.
    workers: threads that share each batch in the compiled path (default: 2 for a CNN when the
    machine allows it, else 1). The numbers differ from ``workers=1`` only by float rounding.
    callbacks: functions ``cb(event)`` called after every step and every epoch
    (see :class:`Event`); returning the string ``"stop"`` ends training.
    If the loss becomes NaN or infinite, training stops (no exception): a warning
    and ``history.message`` say at which step, and suggest a lower learning rate.
    progress: show a tqdm progress bar.
    """
    X, y = _check_xy(X, y, "fit")
    if X_val is not None:
        X_val, y_val = _check_xy(X_val, y_val, "fit (validation data)")
    rng = default_rng() if rng is None else rng
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    net = compile_model(model, workers=workers) if compile else model
    run = _Run(model, optimizer, callbacks, num_epochs * math.ceil(len(X) / batch_size), progress)
    epoch = 0
    try:
        for epoch in range(1, num_epochs + 1):
            order = rng.permutation(len(X))
            for first in range(0, len(X), batch_size):
                xb, yb = X[order[first:first + batch_size]], y[order[first:first + batch_size]]
                optimizer.zero_grad()
                out = net(xb)
                loss = loss_fn(out, yb)
                if not math.isfinite(loss):
                    return run.stop_on_nan(loss, epoch)
                net.backward(loss_fn.backward())
                optimizer.step()
                if run.after_step(epoch, loss, out, yb, classify=isinstance(loss_fn, CrossEntropyLoss)):
                    return run.history
            if run.after_epoch(epoch, len(X), net, loss_fn, X_val, y_val, batch_size):
                return run.history
        run.history.message = f"Finished {num_epochs} epochs ({run.step} steps)."
        return run.history
    except NonFiniteError:  # the data was checked, so the weights produced NaN or inf inside the model
        return run.stop_on_nan(math.nan, epoch)
    finally:
        run.close()
        if compile:
            net.close()


class _Run:
    """fit's bookkeeping: history, progress bar, callbacks and the NaN stop."""

    def __init__(self, model, optimizer, callbacks, total_steps, progress):
        self.model, self.optimizer, self.callbacks = model, optimizer, callbacks
        self.history = History()
        self.start = time.perf_counter()
        self.step, self.losses, self.correct = 0, [], 0
        self.bar = None
        if progress:
            from tqdm.auto import tqdm  # only when a bar is shown: importing nn loads numpy alone

            self.bar = tqdm(total=total_steps, unit="step")

    def after_step(self, epoch, loss, out, yb, classify):
        """Record one step; True if a callback asked to stop."""
        self.step += 1
        self.history.loss.append(loss)
        self.losses.append(loss)
        if classify:
            self.correct += int(np.sum(out.argmax(axis=1) == yb))
        if self.bar is not None:
            self.bar.update(1)
            if self.step % 10 == 0 or self.step == 1:
                self.bar.set_postfix(epoch=epoch, loss=f"{loss:.4f}", refresh=False)
        return bool(self.callbacks) and self._notify(Event("step", self.step, epoch, loss, self.model,
                                                           history=self.history))

    def after_epoch(self, epoch, n, net, loss_fn, X_val, y_val, batch_size):
        """Record an epoch (with validation); True if a callback asked to stop."""
        history, classify = self.history, isinstance(loss_fn, CrossEntropyLoss)
        history.epoch_loss.append(float(np.mean(self.losses)))
        train_acc = val_acc = None
        if classify:
            train_acc = self.correct / n
            history.train_acc.append(train_acc)
        if X_val is not None:
            val_out = predict(net, X_val, batch_size)  # training batch size: no new memory peak
            history.val_loss.append(loss_fn(val_out, y_val))
            if classify:
                val_acc = float(np.mean(val_out.argmax(axis=1) == y_val))
                history.val_acc.append(val_acc)
        history.seconds.append(time.perf_counter() - self.start)
        self.losses, self.correct = [], 0
        return bool(self.callbacks) and self._notify(Event("epoch", self.step, epoch, history.epoch_loss[-1],
                                                           self.model, train_acc, val_acc, history))

    def stop_on_nan(self, loss, epoch):
        """Stop training with a sentence saying why; returns the History."""
        self.step += 1
        history = self.history
        history.loss.append(loss)
        lr = getattr(self.optimizer, "lr", None)
        hint = f" (lr={lr:g}; try lr={lr / 10:g})" if lr else ""
        history.stop_reason, history.stopped_at_step = "nan", self.step
        history.message = (f"Training stopped: the loss became {loss} at step {self.step} (epoch {epoch}). "
                           f"The weights blew up; this usually means the learning rate is too high"
                           f"{hint}. Lower it and train again.")
        warnings.warn(history.message, RuntimeWarning, stacklevel=3)
        return history

    def _notify(self, event):
        for cb in self.callbacks:
            if cb(event) == "stop":
                self.history.stop_reason = "callback"
                self.history.stopped_at_step = event.step
                self.history.message = (f"Stopped by callback {getattr(cb, '__name__', cb)!r} "
                                        f"at step {event.step} (epoch {event.epoch}).")
                return True
        return False

    def close(self):
        if self.bar is not None:
            self.bar.close()
