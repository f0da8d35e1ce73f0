"""The contract every function exercise shares, and the one check for element-wise functions.

A learner's function must be: the learner's own (written in the notebook, not the course's
reference or an import); callable; safe (it does not write into the arrays it is given); general (any
shape, 0-d arrays and plain numbers, float32 and float64, magnitudes up to 1e6 and negative zero);
and, where it should, it keeps the input's dtype. :func:`check_elementwise` tries a function on all
of that and compares it with the expected values. When an answer is wrong, the message quotes one
input, the value expected and the value returned (all computed from the answer itself, so the advice
cannot contradict its numbers), and adds the advice of the first typical mistake that the answer
matches.
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .core import Advice, NotYet

# ---------------------------------------------------------------------------------------
# Is it the learner's own function?


def learners_function(fn, name: str, signature: str) -> Callable:
    """Return ``fn`` if it is a function the learner defined in the notebook; else raise.

    A function defined in a notebook cell lives in the module ``__main__`` (IPython runs cells
    there, and so does the kernel that nbgrader and nbclient start). The course's own functions live
    in ``relulab``; anything else (an import, a numpy function) was not written in this notebook. A
    tool that runs a learner's cells itself with ``exec`` must give them ``{"__name__": "__main__"}``.
    """
    if not callable(fn):
        raise Advice(f"`{name}` should be a function: `{signature}`, but it is {_kind(fn)}.")
    module = getattr(fn, "__module__", None) or ""
    label = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
    if module.split(".")[0] == "relulab":
        raise NotYet(f"not done yet: `{name}` is the course's own `{module}.{label}`, not yours. Run your "
                     f"exercise cell (the one with `{signature}`) first, then run this check again.")
    if not isinstance(fn, types.FunctionType):
        where = f"`{module}.{label}`" if module else f"`{label}`"
        raise Advice(f"`{name}` is {where}, not a function written in this notebook. Write your own "
                     f"in the exercise cell: `{signature}`.")
    if module != "__main__":
        raise NotYet(f"not done yet: this `{name}` comes from the module `{module}`, not from this notebook. "
                     f"Run your exercise cell (the one with `{signature}`) first, then run this check again.")
    return fn


def _kind(value) -> str:
    return "None" if value is None else f"a {type(value).__name__} ({value!r:.40})"


# ---------------------------------------------------------------------------------------
# Calling it safely.

def call(fn, name: str, args: tuple, kwargs: dict | None = None, *, on: str = ""):
    """Call the learner's function on copies of ``args``; translate the usual beginner errors.

    Raises :class:`Advice` if the function wrote into an array it was given, or failed in a way a
    beginner often does (Python's ``max``/``if`` or ``math`` on an array, a misnamed argument).
    ``on`` says what it was called on ("on a 2-D array"), for the messages. Numpy's warnings
    (overflow, 0/0) are silenced: the check reports the values they produce.
    """
    kwargs = kwargs or {}
    given = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    before = [a.tobytes() if isinstance(a, np.ndarray) else None for a in given]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*given, **kwargs)
    except NotImplementedError:
        raise
    except ValueError as error:
        if "truth value of an array" in str(error):
            raise Advice(f"`{name}` fails {on or 'on an array'}: Python's `max(0, x)` or `if x > 0:` ask one "
                         "question about the whole array. Work entry by entry instead: `np.maximum`, "
                         "`np.where(x > 0, ..., ...)` or a comparison such as `x > 0`.") from None
        raise
    except TypeError as error:
        text = str(error)
        if "can be converted to Python scalars" in text or "only length-1 arrays" in text:
            raise Advice(f"`{name}` fails {on or 'on an array'}: the `math` module (such as `math.exp`) takes "
                         "one number at a time. Use numpy's versions (`np.exp`), which work entry by entry.") from None
        own = f"{getattr(fn, '__name__', '')}()" in text  # about the learner's signature, not a call inside it
        if own and ("unexpected keyword argument" in text or "positional argument" in text):
            raise Advice(f"calling `{name}` {on} failed: {text.strip()}. Keep the signature of the exercise "
                         "cell (the names and order of its arguments).") from None
        raise
    for array, saved in zip(given, before, strict=True):
        if saved is not None and array.tobytes() != saved:
            raise Advice(f"`{name}` changed an array it was given (it wrote into it in place, {on or 'on an array'}), "
                         "so the caller's data is lost. Build and return a new array instead (e.g. with "
                         "`np.maximum` or `np.where`).")
    return result


def as_numbers(result, name: str, shape: tuple, *, on: str = "", allow_bool: bool = False) -> np.ndarray:
    """The learner's result as an array of the expected ``shape``, or :class:`Advice` saying why not."""
    if result is None:
        raise Advice(f"`{name}` returned None {on}: did you forget the `return`?")
    if isinstance(result, (list, tuple)):
        raise Advice(f"`{name}` returned a Python {type(result).__name__} {on}; return a numpy array or "
                     "number (numpy functions such as `np.maximum` return one).")
    out = np.asarray(result)
    if out.dtype == bool and not allow_bool:
        raise Advice(f"`{name}` returned True/False {on}; it should return numbers (`x > 0` is a question, "
                     "not a value).")
    if out.dtype == object or not (np.issubdtype(out.dtype, np.number) or out.dtype == bool):
        raise Advice(f"`{name}` returned {type(result).__name__} {on}, not numbers.")
    if out.shape != tuple(shape):
        raise Advice(f"`{name}` returned shape {out.shape} {on}, for an input of shape {tuple(shape)}: the "
                     "output should have one entry for every input entry.")
    return out


# ---------------------------------------------------------------------------------------
# Writing numbers for a learner.

def fmt(v) -> str:
    """A number as a learner would write it: 3, -0.5, 1000000, -0.0, 1.2e-07, nan."""
    v = float(v)
    if np.isnan(v) or np.isinf(v):
        return str(v)
    if v == 0:
        return "-0.0" if np.signbit(v) else "0"
    if v == int(v) and abs(v) < 1e7:
        return str(int(v))
    return f"{v:.6g}"


def fmt_list(values) -> str:
    return "[" + ", ".join(fmt(v) for v in np.ravel(values)) + "]"


# ---------------------------------------------------------------------------------------
# The inputs every element-wise function is tried on.

STORY = [-2.0, 3.0, 0.0, -0.5, 0.5, -3.0, 2.0]
WIDE = [-0.0, 1e3, -1e3, 1e6, -1e6, 0.001, -0.001, 123.25, -77.5]
"""Readable values first (the first difference is the one quoted), then the wide range."""


def probe_values() -> np.ndarray:
    """The 1-D float64 array every element-wise check starts with."""
    rng = np.random.default_rng(7)
    spread = rng.normal(size=8) * 10.0 ** rng.integers(-2, 5, size=8)
    return np.concatenate([STORY, WIDE, spread.round(3)])


@dataclass(frozen=True)
class Probe:
    """One way to call the function: what it is called on (for messages) and the positional arguments."""

    on: str
    args: tuple
    dtype_matters: bool = True


def standard_probes(extra: Callable[[np.ndarray], tuple] = lambda x: (x,)) -> list[Probe]:
    """Arrays of every kind the contract asks for; ``extra(x)`` turns an input array into the call's args."""
    x = probe_values()
    grid = np.concatenate([x, x[:4] * 7.0])[:24]
    probes = [
        Probe("on a 1-D array", extra(x)),
        Probe("on a float32 array", extra(x.astype(np.float32))),
        Probe("on a 2-D array of shape (4, 6)", extra(grid.reshape(4, 6))),
        Probe("on a 3-D array of shape (2, 3, 4)", extra(grid.reshape(2, 3, 4)[::-1])),
        Probe("on a 0-d array", extra(np.array(-2.0))),
    ]
    for value in (3.0, -2.0, 0.0, -0.0, 1e6, -1e6):
        probes.append(Probe(f"on the single number {fmt(value)}", extra(value), dtype_matters=False))
    return probes


# ---------------------------------------------------------------------------------------
# The check of an element-wise function.

@dataclass(frozen=True)
class Elementwise:
    """What the check of an element-wise function needs to know.

    ``expected(*args, **kwargs)``: the right output; ``mistakes``: (a typical wrong answer written as
    a function of the same arguments, the advice for it); ``calls``: the keyword arguments to try each
    probe with (e.g. several slopes); ``keep_dtype``: a float32 input must give float32 output;
    ``numeric``: an optional ``(args of one entry, kwargs) -> float`` quoted beside the expected value.
    """

    name: str
    signature: str
    expected: Callable
    mistakes: Sequence[tuple[Callable, str]] = ()
    calls: Sequence[dict] = ({},)
    extra: Callable[[np.ndarray], tuple] = lambda x: (x,)
    keep_dtype: bool = True
    allow_bool: bool = False
    accept: Callable | None = None
    rtol: float = 1e-6
    atol: float = 1e-12
    numeric: Callable | None = None


def check_elementwise(fn, spec: Elementwise) -> None:
    """Run ``fn`` through the contract and compare it with ``spec.expected``; raise Advice or NotYet if wrong."""
    learners_function(fn, spec.name, spec.signature)
    for probe in standard_probes(spec.extra):
        for kwargs in spec.calls:
            on = probe.on + (" with " + ", ".join(f"{k}={fmt(v)}" for k, v in kwargs.items()) if kwargs else "")
            result = call(fn, spec.name, probe.args, kwargs, on=on)
            out = as_numbers(result, spec.name, np.shape(probe.args[-1]), on=on, allow_bool=spec.allow_bool)
            with np.errstate(all="ignore"):
                want = np.asarray(spec.expected(*probe.args, **kwargs))
            _compare(spec, probe, kwargs, out, want)
            if spec.keep_dtype and probe.dtype_matters and np.asarray(probe.args[-1]).dtype != out.dtype:
                raise Advice(f"`{spec.name}` turned a {np.asarray(probe.args[-1]).dtype} input into {out.dtype} "
                             f"({on.removeprefix('on ')}). It should keep the dtype of its input (numpy's "
                             "`np.maximum`, `np.where` and arithmetic with plain Python numbers do).")


def _compare(spec: Elementwise, probe: Probe, kwargs: dict, out: np.ndarray, want: np.ndarray) -> None:
    got = out.astype(float)
    single = np.asarray(probe.args[-1]).dtype == np.float32  # rounding in float32 is ~1e-7, not ~1e-16
    rtol, atol = (max(spec.rtol, 1e-5), max(spec.atol, 1e-6)) if single else (spec.rtol, spec.atol)
    tight = np.isclose(got, want, rtol=rtol, atol=atol) & ~np.isnan(got)
    if spec.accept is not None:
        tight |= np.asarray(spec.accept(got, *probe.args, **kwargs), dtype=bool)
    if tight.all():
        return
    bad = np.flatnonzero(~tight.ravel())
    i = int(bad[0])
    args_here = [np.ravel(a)[i] if np.ndim(a) else a for a in probe.args]
    shown = ", ".join([fmt(a) for a in args_here] + [f"{k}={fmt(v)}" for k, v in kwargs.items()])
    quote = (f"{probe.on}, {spec.name}({shown}) should be {fmt(np.ravel(want)[i])}, but your function returned "
             f"{fmt(np.ravel(got)[i])}")
    if spec.numeric is not None and probe.on == "on a 1-D array" and args_here[-1] != 0:  # no slope at a corner
        numeric = spec.numeric(args_here, kwargs)
        quote += f" (a numerical gradient, nudging the input by 1e-6, gives {fmt(round(float(numeric), 6))})"
    quote += f"; it differs at {bad.size} of {got.size} entries{_where(probe.args[-1], bad)}." if got.size > 1 else "."
    for mistake, advice in spec.mistakes:
        with np.errstate(all="ignore"):
            pattern = np.asarray(mistake(*probe.args, **kwargs), dtype=float)
        if pattern.shape == got.shape and np.allclose(got, pattern, rtol=rtol, atol=atol, equal_nan=True):
            raise Advice(f"{advice} For example, {quote[0].lower()}{quote[1:]}")
    raise Advice(quote[0].upper() + quote[1:])


def _where(x, bad: np.ndarray) -> str:
    """Where the wrong entries are: ' (only where x < 0)', ' (only large inputs, |x| ≥ 1000)'."""
    x = np.ravel(np.asarray(x, dtype=float))
    if x.size < 2:
        return ""
    wrong = x[bad]
    if np.all(np.abs(wrong) >= 1000) and np.any(np.abs(x) < 1000):
        return " (only large inputs, |x| ≥ 1000: the rule holds for every size of number)"
    if np.all(wrong < 0):
        return " (all of them where x < 0)"
    if np.all(wrong > 0):
        return " (all of them where x > 0)"
    if np.all(wrong == 0):
        return " (all of them where x is exactly 0)"
    return ""


# ---------------------------------------------------------------------------------------
# A number read off an explorer.

def read_off(value, name: str, example: str) -> float:
    """The learner's number read off an explorer, as a float; else :class:`NotYet` or :class:`Advice`.

    ``None`` is "not yet"; a string, a list, an array of several numbers, True/False, nan or inf get a
    sentence saying to type one ordinary number (``example`` shows one, e.g. ``"0.25"``).
    """
    if value is None:
        raise NotYet(f"not done yet: replace `None` in `{name} = None` with the number you read off the explorer, "
                     "run that cell, then run this check again.")
    if isinstance(value, (bool, np.bool_)):
        raise Advice(f"`{name}` should be a number such as {example}, not {value}: read it off the explorer's "
                     "readout.")
    if isinstance(value, str):
        raise Advice(f"`{name}` is the text {value!r:.40}; type the number itself, without quotes, such as "
                     f"`{name} = {example}`.")
    if isinstance(value, (list, tuple, dict, set)) or (isinstance(value, np.ndarray) and value.size != 1):
        raise Advice(f"`{name}` should be one number, such as `{name} = {example}`, not a {type(value).__name__}.")
    try:
        number = float(np.asarray(value).item() if isinstance(value, np.ndarray) else value)
    except (TypeError, ValueError):
        raise Advice(f"`{name}` should be one number, such as {example}, not {value!r:.60}.") from None
    if not np.isfinite(number):
        raise Advice(f"`{name}` is {number}, which is not a number one can read off a readout; type the value "
                     f"shown, such as {example}.")
    return number
