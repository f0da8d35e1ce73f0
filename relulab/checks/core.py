"""The exercise mechanism: instant feedback for a learner, the same verdict for a grader.

One mechanism serves every notebook:

- A notebook has an *exercise cell* (the learner's code, tagged ``exercise``) and a *check cell*
  (tagged ``check``) that calls ``check.NAME()``. The check looks the learner's answer up by name in
  the notebook (so running it before the exercise cell says "not yet" instead of raising
  ``NameError``); ``check.NAME(answer)`` works too. The check never raises: it returns a
  :class:`Feedback` that shows as a coloured box saying what is right, what is not done yet, or what
  to fix.
- An instructor's grading tool turns the same check into an autograded test with
  ``check.NAME().assert_passed()`` (:meth:`Exercise.grading_call`), which raises ``AssertionError``
  with the same friendly message unless the answer is right: "not yet" and "run your exercise cell
  first" fail too.
- Every exercise registers a reference solution (source text). ``peek("NAME")`` shows it folded
  away; the unit tests prove each solution passes its own check.

A check raises :class:`Advice` for a mistake it recognises and :class:`NotYet` for an answer that is
not the learner's yet (blank, not run, or the course's own function); the decorator turns both into
the learner's feedback. The shared rules for function answers are in ``contract``.

To add an exercise: in the module of ``relulab/checks/`` for its notebook, write
``def check_x(answer) -> Feedback`` decorated with ``@exercise("x", title=..., solution=...)``, and
make sure ``checks/__init__.py`` imports that module.
"""

from __future__ import annotations

import html
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

CORRECT, NOT_YET, WRONG = "correct", "not yet", "wrong"
PARTIAL = "partial credit"
"""Some of an exercise's points, not all (the capstone's accuracy levels): ``Feedback.points`` says how many."""
_ICONS = {CORRECT: "✅", NOT_YET: "⏳", WRONG: "❌", PARTIAL: "🟡"}
_COLOURS = {CORRECT: "#1b7837", NOT_YET: "#8c6d00", WRONG: "#b2182b", PARTIAL: "#b35806"}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: a status and a sentence for the learner.

    ``status`` is ``"correct"``, ``"not yet"`` (blank, not run yet, or not the learner's own answer),
    ``"wrong"``, or ``"partial credit"`` for an exercise graded by levels, where ``points`` is the number
    of its points earned (more than 0, fewer than all). ``bool(feedback)`` is True only when the answer is
    correct (all the points).
    """

    exercise: str
    status: str
    message: str
    points: float | None = None

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __bool__(self) -> bool:
        return self.passed

    def assert_passed(self) -> None:
        """Raise ``AssertionError`` with the learner's message unless the answer is correct."""
        if not self.passed:
            raise AssertionError(f"{self.exercise} ({self.status}): {self.message}")

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
    """A registered exercise: its check, a title, a reference solution and its points.

    ``answers``: the names of the learner's variables the check reads, in order.
    """

    name: str
    title: str
    check: Callable[..., Feedback]
    solution: str
    points: int = 1
    answers: tuple[str, ...] = ()

    def grading_call(self) -> str:
        """The line an autograded test cell runs: ``check.NAME().assert_passed()``.

        The check looks the answers up itself, so a missing answer fails with the "not yet" message
        rather than a ``NameError``.
        """
        return f"check.{self.name}().assert_passed()"


EXERCISES: dict[str, Exercise] = {}


class Advice(Exception):
    """A mistake we recognised, with the sentence that explains it."""


class NotYet(Exception):
    """The answer is not the learner's yet (blank, not run, the course's own); the sentence says what to do."""


def learner_namespace(depth: int = 1) -> dict:
    """Where the learner's names live: the notebook's namespace, else the globals of our caller.

    In a Jupyter kernel (also under nbgrader) that is IPython's ``user_ns``. Elsewhere it is the
    module that called the check, ``depth`` frames above the function calling this one.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        return shell.user_ns
    return sys._getframe(depth + 1).f_globals


def exercise(name: str, *, title: str, solution: str, points: int = 1, answers: str | None = None):
    """Register ``check_fn`` as the check of exercise ``name`` (a decorator).

    ``answers`` names the learner's variables the check reads, comma-separated, in order (default:
    ``name``); the solution source must define them. The registered check can be called three ways:
    ``check.x()`` looks the answers up in the notebook; ``check.x(answer)`` takes them as arguments;
    ``check.x(namespace=ns)`` looks them up in the dict ``ns`` (for grading tools and tests). Whatever
    the learner's answer does (raise, loop over the wrong thing, return nonsense), the result is a
    :class:`Feedback`.
    """
    answer_names = tuple(a.strip() for a in (answers or name).split(","))

    def register(check_fn):
        def safe_check(*learner_answers, namespace: dict | None = None):
            if not learner_answers:
                names = namespace if namespace is not None else learner_namespace()
                missing = [a for a in answer_names if a not in names]
                if missing:
                    return not_run(name, missing)
                learner_answers = tuple(names[a] for a in answer_names)
            elif len(learner_answers) != len(answer_names):
                return Feedback(name, WRONG, f"this check takes {len(answer_names)} answer(s): "
                                f"check.{name}({', '.join(answer_names)}), or check.{name}() to find them.")
            try:
                return check_fn(*learner_answers)
            except NotImplementedError:
                return not_yet(name)
            except NotYet as reason:
                return Feedback(name, NOT_YET, str(reason))
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
    """The feedback for an exercise that is still blank (its code raises ``NotImplementedError``)."""
    return Feedback(name, NOT_YET, "not done yet: replace `raise NotImplementedError` with your "
                    "code, run that cell, then run this check again.")


def not_run(name: str, missing: list[str]) -> Feedback:
    """The feedback for a check run before its exercise cell: the answer's name does not exist yet."""
    listed = " and ".join(f"`{m}`" for m in missing)
    verb = "is" if len(missing) == 1 else "are"
    return Feedback(name, NOT_YET, f"not done yet: {listed} {verb} not defined in this notebook. Run your "
                    "exercise cell first (the one above this check), then run this check again.")


def describe_error(error: BaseException) -> str:
    """``ValueError ("...")``: an exception as one short line for a learner."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__} ({text})" if text else type(error).__name__


class _Checks:
    """``check.relu()``: attribute access to every registered check."""

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
# Grading: the same verdict, from references captured before any learner's cell ran.

class _Sealed:
    """What :func:`seal` captured: each exercise's check, and a fingerprint of the code the checks run on."""

    __slots__ = ("checks", "feedback", "correct", "partial", "icon", "points", "fingerprint", "namespace", "own")


def seal():
    """Capture the checks as they are now and return ``grade`` (called once, by ``relulab.checks``).

    ``relulab.checks`` calls this right after every check module has registered its exercises, which
    is before any learner's cell can run. The returned ``grade`` keeps what it needs in a closure: the
    registered check of every exercise (so reassigning ``check.relu``, ``check`` itself or an entry of
    ``EXERCISES`` changes nothing it calls), and a fingerprint of the modules the checks run on (the
    course's checks, activations, experiments and data, numpy and Python's builtins), so a notebook that
    patches ``Feedback``, ``Feedback.assert_passed``, a helper such as ``check_elementwise`` or
    ``np.allclose`` is caught and gets no points.
    """
    sealed = _Sealed()
    sealed.checks = {name: ex.check for name, ex in EXERCISES.items()}
    sealed.feedback, sealed.correct, sealed.partial, sealed.icon = Feedback, CORRECT, PARTIAL, _ICONS[PARTIAL]
    sealed.points = {name: ex.points for name, ex in EXERCISES.items()}
    sealed.namespace = learner_namespace
    modules = _guarded_modules()
    sealed.fingerprint = {name: _module_fingerprint(module, deep) for name, (module, deep) in modules.items()}
    sealed.own = {name: globals()[name] for name in _OWN}
    verify = _verify

    def grade(name: str, namespace: dict | None = None) -> Feedback | float:
        """The autograder's verdict on exercise ``name``: the learner's :class:`Feedback` if right, else raise.

        Raises ``AssertionError`` with the message the learner saw (``"relu (wrong): ..."``) unless the
        answer is correct; also if the notebook changed the course's code. Looks the answers up in the
        notebook (IPython's ``user_ns``) or in ``namespace``.

        Partial credit (an exercise graded by levels, such as the capstone's accuracy): when the check says
        ``"partial credit"``, ``grade`` prints the learner's message and returns the points earned as a
        float, more than 0 and fewer than the exercise's points. nbgrader reads a number that a grade cell
        ends with as its score; at 0 points ``grade`` raises like any wrong answer.
        """
        if name not in sealed.checks:
            raise AssertionError(f"there is no exercise called {name!r}; the exercises are: "
                                 f"{', '.join(sorted(sealed.checks))}")
        verify(sealed, name)
        names = namespace if namespace is not None else sealed.namespace()
        feedback = sealed.checks[name](namespace=names)
        verify(sealed, name)  # the learner's function ran inside the check: look again
        if type(feedback) is not sealed.feedback:
            raise AssertionError(f"{name} (not graded): the check returned {type(feedback).__name__}, not the "
                                 "course's Feedback: something in this notebook replaced part of the course's code.")
        status, message = vars(feedback)["status"], vars(feedback)["message"]
        if status == sealed.partial:
            earned, top = vars(feedback).get("points"), sealed.points[name]
            if type(earned) not in (int, float) or not 0 < earned < top:
                raise AssertionError(f"{name} (not graded): the check gave partial credit of {earned!r} points, "
                                     f"not a number between 0 and {top}.")
            print(f"{sealed.icon} {name}: {message}")  # what the learner saw, above the score
            return float(earned)
        if status != sealed.correct:
            raise AssertionError(f"{name} ({status}): {message}")
        return feedback

    return grade


_GUARDED_DEEP = ("relulab.checks", "relulab.activations", "relulab.experiments", "relulab.data", "relulab.nn")
_GUARDED_SHALLOW = ("numpy", "numpy.linalg", "math", "numbers", "types", "warnings", "functools", "html",
                    "textwrap", "dataclasses", "operator")


def _guarded_modules() -> dict:
    """The modules whose contents a check relies on: {name: (module, look inside its objects too)}."""
    found = {}
    for name, module in list(sys.modules.items()):
        if module is None:
            continue
        if name == "relulab" or name.startswith(_GUARDED_DEEP):
            found[name] = (module, True)
        elif name in _GUARDED_SHALLOW:
            found[name] = (module, False)
    found["builtins"] = (sys.modules["builtins"], False)
    return found


def _module_contents(module) -> dict:
    """The names of a module that a check could rely on (not its docstring, nor what IPython adds to builtins)."""
    skip = {"__builtins__", "__warningregistry__", "__doc__"}
    if module.__name__ == "relulab.checks":
        skip |= {"grade", "__all__"}  # set after the seal (replacing ``grade`` is beyond what it can see)
    if module.__name__ == "relulab.nn._config":
        skip |= {"_state"}  # the engine's settings, which a learner is meant to change (``nn.manual_seed``)
    if module.__name__ == "builtins":  # Jupyter's kernel swaps input() on every cell; IPython adds its own names
        skip |= {"input", "raw_input", "getpass", "print", "open", "breakpoint", "exit", "quit", "display",
                 "get_ipython", "copyright", "credits", "license", "help"}
    return {k: v for k, v in vars(module).items()
            if k not in skip and not (module.__name__ == "builtins" and k.startswith("_"))}


def _module_fingerprint(module, deep: bool) -> dict:
    return {k: (_fingerprint(v, 0) if deep else id(v)) for k, v in _module_contents(module).items()}


def _fingerprint(value, depth: int):
    """A comparable picture of ``value``: identities, and inside the course's own objects, their contents."""
    import types

    if depth > 4:
        return id(value)
    if value is None or isinstance(value, (bool, int, str, bytes)):
        return (type(value), value)
    if isinstance(value, float):
        return (float, repr(value))
    if isinstance(value, types.ModuleType):
        return ("module", value.__name__)
    if isinstance(value, types.FunctionType):
        cells = tuple(_cell_id(c) for c in (value.__closure__ or ()))
        return ("function", id(value), id(value.__code__), _fingerprint(value.__defaults__, depth + 1),
                _fingerprint(value.__kwdefaults__, depth + 1), cells, id(value.__globals__))
    if isinstance(value, (list, tuple)):
        return (type(value), len(value), tuple(_fingerprint(v, depth + 1) for v in value))
    if isinstance(value, dict):
        return ("dict", id(value), _items(value, depth))
    if isinstance(value, (set, frozenset)):
        return (type(value), frozenset(id(v) for v in value))
    if isinstance(value, type):
        if value.__module__.startswith("relulab"):
            return ("class", id(value), _items(vars(value), depth))
        return ("type", id(value))
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray):
        return ("array", id(value), value.dtype.str, value.shape, hash(value.tobytes()))
    if type(value).__module__.startswith("relulab") and hasattr(value, "__dict__"):
        return ("object", id(value), id(type(value)), _items(vars(value), depth))
    return ("other", id(value))


def _cell_id(cell) -> int | None:
    try:
        return id(cell.cell_contents)
    except ValueError:  # a closure cell not filled yet
        return None


def _items(mapping, depth: int) -> tuple:
    return tuple((k if isinstance(k, (str, int)) else id(k), _fingerprint(v, depth + 1))
                 for k, v in mapping.items())


def _verify(sealed: _Sealed, name: str) -> None:
    """Raise AssertionError, naming what changed, if the notebook changed the code the checks run on."""
    for helper, original in sealed.own.items():  # first the helpers this function itself calls
        if globals().get(helper, _MISSING) is not original:
            raise AssertionError(_tampered(name, f"relulab.checks.core.{helper}"))
    for module_name, before in sealed.fingerprint.items():
        module = sys.modules.get(module_name)
        if module is None:
            raise AssertionError(f"{name} (not graded): this notebook removed the module `{module_name}` that the "
                                 "checks use. Restart the kernel and run every cell again, without that change.")
        deep = module_name == "relulab" or module_name.startswith(_GUARDED_DEEP)
        now = _module_fingerprint(module, deep)
        changed = [k for k, v in before.items() if now.get(k, _MISSING) != v]
        added = [k for k, v in _module_contents(module).items() if deep and k not in before
                 and not isinstance(v, type(sys))]  # a submodule imported later is not a change
        if changed or added:
            raise AssertionError(_tampered(name, f"{module_name}.{(changed or added)[0]}"))


def _tampered(name: str, what: str) -> str:
    return (f"{name} (not graded): this notebook changed the course's own code (`{what}`), so the check cannot be "
            "trusted and gives no points. Remove the line that changes it, restart the kernel and run every cell "
            "again.")


_MISSING = object()
_OWN = ("_module_fingerprint", "_module_contents", "_fingerprint", "_items", "_cell_id", "_tampered", "_MISSING",
        "_GUARDED_DEEP", "sys")
"""The names ``_verify`` looks up in this module: checked first, against what the seal captured."""
