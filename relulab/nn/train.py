"""Training loop and evaluation: fit, History, accuracy, predict."""

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from ._config import default_rng
from .errors import InputError, as_float_array
from .losses import CrossEntropyLoss
from .parallel import DataParallel, available_workers


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
        callbacks=(), progress=True, rng=None, workers=None):
    """Train ``model`` with mini-batches and return a :class:`History`.

    X: (N, ...) inputs; y: (N,) integer labels for CrossEntropyLoss, or targets shaped
    like the model output for MSELoss. Each epoch shuffles the data with ``rng``
    (default: the package generator, see ``nn.manual_seed``) and runs, per batch:
    ``zero_grad``, forward, loss, backward, ``optimizer.step()``.

    callbacks: functions ``cb(event)`` called after every step and every epoch
    (see :class:`Event`); returning the string ``"stop"`` ends training.
    If the loss becomes NaN or infinite, training stops (no exception): a warning
    and ``history.message`` say at which step, and suggest a lower learning rate.
    progress: show a tqdm progress bar.
    workers: how many CPU cores share each step (see ``nn.parallel``); the default uses 2 for
    a CNN when the machine allows it and 1 otherwise. The numbers differ from ``workers=1`` only
    by float rounding, and a given ``workers`` always gives the same numbers.
    """
    X, y = _check_xy(X, y, "fit")
    has_val = X_val is not None
    if has_val:
        X_val, y_val = _check_xy(X_val, y_val, "fit (validation data)")
    rng = default_rng() if rng is None else rng
    classify = isinstance(loss_fn, CrossEntropyLoss)
    callbacks = [callbacks] if callable(callbacks) else list(callbacks)
    n = len(X)
    steps_per_epoch = math.ceil(n / batch_size)
    history = History()
    start = time.perf_counter()
    step = 0
    bar = tqdm(total=num_epochs * steps_per_epoch, disable=not progress, unit="step")
    workers = available_workers(model, batch_size) if workers is None else int(workers)
    parallel = DataParallel(model, loss_fn, workers) if workers > 1 else None

    def notify(event):
        for cb in callbacks:
            if cb(event) == "stop":
                history.stop_reason = "callback"
                history.stopped_at_step = event.step
                history.message = (f"Stopped by callback {getattr(cb, '__name__', cb)!r} "
                                   f"at step {event.step} (epoch {event.epoch}).")
                return True
        return False

    try:
        for epoch in range(1, num_epochs + 1):
            order = rng.permutation(n)
            losses, correct = [], 0
            for first in range(0, n, batch_size):
                idx = order[first:first + batch_size]
                xb, yb = X[idx], y[idx]
                optimizer.zero_grad()
                if parallel:  # forward and backward already done, on all cores
                    loss, out = parallel.forward_backward(xb, yb)
                else:
                    out = model(xb)
                    loss = loss_fn(out, yb)
                step += 1
                history.loss.append(loss)
                losses.append(loss)
                if not math.isfinite(loss):
                    lr = getattr(optimizer, "lr", None)
                    hint = f" (lr={lr:g}; try lr={lr / 10:g})" if lr else ""
                    history.stop_reason = "nan"
                    history.stopped_at_step = step
                    history.message = (
                        f"Training stopped: the loss became {loss} at step {step} (epoch {epoch}). "
                        f"The weights blew up; this usually means the learning rate is too high"
                        f"{hint}. Lower it and train again."
                    )
                    warnings.warn(history.message, RuntimeWarning, stacklevel=2)
                    return history
                if not parallel:
                    model.backward(loss_fn.backward())
                optimizer.step()
                if classify:
                    correct += int(np.sum(out.argmax(axis=1) == yb))
                bar.update(1)
                if step % 10 == 0 or step == 1:
                    bar.set_postfix(epoch=epoch, loss=f"{loss:.4f}", refresh=False)
                if callbacks and notify(Event("step", step, epoch, loss, model, history=history)):
                    return history
            history.epoch_loss.append(float(np.mean(losses)))
            train_acc = val_acc = None
            if classify:
                train_acc = correct / n
                history.train_acc.append(train_acc)
            if has_val:
                val_out = predict(model, X_val, batch_size)  # training batch size: no new memory peak
                history.val_loss.append(loss_fn(val_out, y_val))
                if classify:
                    val_acc = float(np.mean(val_out.argmax(axis=1) == y_val))
                    history.val_acc.append(val_acc)
            history.seconds.append(time.perf_counter() - start)
            if callbacks and notify(Event("epoch", step, epoch, history.epoch_loss[-1], model,
                                          train_acc, val_acc, history)):
                return history
        history.message = f"Finished {num_epochs} epochs ({step} steps)."
        return history
    finally:
        bar.close()
        if parallel:
            parallel.close()
