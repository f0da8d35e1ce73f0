"""The exercise mechanism: instant feedback for a learner, the same verdict for a grader.

One mechanism serves every notebook:

- A notebook has an *exercise cell* (the learner's code, tagged ``exercise``) and a
  *check cell* (tagged ``check``) that calls ``check.NAME(answer)``. The check never
  raises: it returns a :class:`Feedback` that shows as a coloured box saying what is
  right, what is not yet done, or what to fix.
- An instructor's grading tool turns the same check cell into an autograded test by
  calling ``check.NAME(answer).assert_passed()``, which raises ``AssertionError``
  with the same friendly message when the answer is wrong.
- Every exercise registers a reference solution (source text). ``peek("NAME")``
  shows it folded away in a notebook; the release tooling copies it into the
  instructor's version; the unit tests prove each solution passes its own check.

A check raises :class:`Advice` (directly, or through ``call`` and ``as_array``) for a mistake it
recognises; the decorator turns it into the learner's feedback.

To add an exercise: in a module of ``relulab/checks/`` (one per notebook topic), write
``def check_x(answer) -> Feedback`` and decorate it with ``@exercise("x", title=..., solution=...)``.
The package imports every such module, so the check is then available as ``check.x``.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

CORRECT, NOT_YET, WRONG = "correct", "not yet", "wrong"
_ICONS = {CORRECT: "✅", NOT_YET: "⏳", WRONG: "❌"}
_COLOURS = {CORRECT: "#1b7837", NOT_YET: "#8c6d00", WRONG: "#b2182b"}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: a status and a sentence for the learner.

    ``status`` is ``"correct"``, ``"not yet"`` (the exercise is still blank) or ``"wrong"``.
    ``bool(feedback)`` is True only when the answer is correct.
    """

    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __bool__(self) -> bool:
        return self.passed

    def assert_passed(self) -> None:
        """Raise ``AssertionError`` with the learner's message unless the answer is correct."""
        if not self.passed:
            raise AssertionError(f"{self.exercise}: {self.message}")

    def __repr__(self) -> str:
        return f"{_ICONS[self.status]} {self.exercise}: {self.message}"

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        return (
            f'<div style="border-left: 6px solid {colour}; padding: 0.4em 0.8em; margin: 0.3em 0">'
            f"<b>{_ICONS[self.status]} {html.escape(self.exercise)}</b>: "
            f"{html.escape(self.message)}</div>"
        )


@dataclass(frozen=True)
class Exercise:
    """A registered exercise: its check, a title, a reference solution and its points."""

    name: str
    title: str
    check: Callable[..., Feedback]
    solution: str
    points: int = 1
    answers: tuple[str, ...] = ()

    def grading_call(self) -> str:
        """The line an autograded test cell runs: ``check.NAME(answer, ...).assert_passed()``."""
        return f"check.{self.name}({', '.join(self.answers)}).assert_passed()"


EXERCISES: dict[str, Exercise] = {}


def exercise(name: str, *, title: str, solution: str, points: int = 1, answers: str | None = None):
    """Register ``check_fn`` as the check of exercise ``name`` (a decorator).

    ``answers`` names the learner's variables the check is called with, comma-separated, in order
    (default: ``name``); the solution source must define them. The wrapped check is made safe:
    whatever the learner's answer does (raise, loop over the wrong thing, return nonsense), the
    learner gets a :class:`Feedback`.
    """
    answer_names = tuple(a.strip() for a in (answers or name).split(","))

    def register(check_fn):
        def safe_check(*learner_answers):
            if len(learner_answers) != len(answer_names):
                return Feedback(name, WRONG, f"this check takes {len(answer_names)} argument(s): "
                                f"check.{name}({', '.join(answer_names)}).")
            try:
                return check_fn(*learner_answers)
            except NotImplementedError:
                return not_yet(name)
            except Advice as advice:  # a mistake the check recognised, with its explanation
                return Feedback(name, WRONG, str(advice))
            except Exception as error:  # the learner's code failed in a way we did not foresee
                return Feedback(name, WRONG, f"your code raised {describe_error(error)}. "
                                "Read the message, fix the line it names, and run the check again.")

        safe_check.__name__ = f"check_{name}"
        safe_check.__doc__ = check_fn.__doc__
        EXERCISES[name] = Exercise(name, title, safe_check, textwrap.dedent(solution).strip(), points,
                                   answer_names)
        return safe_check

    return register


def not_yet(name: str) -> Feedback:
    """The feedback for an exercise that is still blank."""
    return Feedback(name, NOT_YET, "not done yet: replace `raise NotImplementedError` with your "
                    "code, run that cell, then run this check again.")


def describe_error(error: BaseException) -> str:
    """``ValueError ("...")``: an exception as one short line for a learner."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__} ({text})" if text else type(error).__name__


class _Checks:
    """``check.relu(relu)``: attribute access to every registered check."""

    def __getattr__(self, name: str):
        try:
            return EXERCISES[name].check
        except KeyError:
            known = ", ".join(sorted(EXERCISES))
            raise AttributeError(f"there is no exercise called {name!r}; the exercises are: {known}") from None

    def __dir__(self):
        return sorted(EXERCISES)

    def __repr__(self) -> str:
        return f"<exercise checks: {', '.join(sorted(EXERCISES))}>"


check = _Checks()


class _Solution:
    """A reference solution, shown folded away so a learner opens it only on purpose."""

    def __init__(self, ex: Exercise):
        self.exercise = ex

    def __repr__(self) -> str:
        return f"A solution to '{self.exercise.title}':\n\n{self.exercise.solution}"

    def _repr_html_(self) -> str:
        return (f"<details><summary>Peek at a solution to <i>{html.escape(self.exercise.title)}</i> "
                f"(try it yourself first)</summary><pre>{html.escape(self.exercise.solution)}</pre></details>")


def peek(name: str) -> _Solution:
    """Show the reference solution of exercise ``name``, folded (click to open)."""
    return _Solution(EXERCISES[name])


# ---------------------------------------------------------------------------------------
# Helpers that turn what a learner's function returned into a sentence.

def call(fn, *args, array_hint: str | None = None):
    """Call the learner's function; translate the usual beginner errors into advice.

    ``array_hint`` replaces the default advice for the classic mistake of using Python's
    ``max`` or ``if`` on a whole array.
    """
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except ValueError as error:
        if "truth value of an array" in str(error):
            raise Advice(array_hint or (
                "it works on one number but fails on an array: Python's `max(0, x)` or "
                "`if x > 0:` look at the whole array at once. Use `np.maximum(0, x)`, "
                "which compares every entry.")) from None
        raise


class Advice(Exception):
    """A mistake we recognised, with the sentence that explains it."""


def as_array(result, name, x):
    if result is None:
        raise Advice(f"`{name}` returned None: did you forget the `return`?")
    if isinstance(result, (list, tuple)):
        raise Advice(f"`{name}` returned a Python {type(result).__name__}; return a numpy array "
                      "(numpy functions such as `np.maximum` return one).")
    out = np.asarray(result)
    if out.dtype == object or not (np.issubdtype(out.dtype, np.number) or out.dtype == bool):
        raise Advice(f"`{name}` returned {type(result).__name__}, not numbers.")
    if out.shape != np.shape(x):
        raise Advice(f"for an input of shape {np.shape(x)} `{name}` returned shape {out.shape}; "
                      "the output should have one entry for every input entry.")
    return out


def fmt(v) -> str:
    v = float(v)
    return str(int(v)) if v == int(v) else f"{v:g}"
