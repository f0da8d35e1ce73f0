"""Exercise checks: instant feedback for a learner, the same verdict for a grader.

``check.NAME(answer)`` returns a :class:`Feedback` (it never raises); ``.assert_passed()`` turns it
into an autograded test; ``peek("NAME")`` shows the reference solution folded away. The mechanism
is in ``core``; each other module holds one topic's exercises and is imported here, which
registers them.
"""

import importlib
import pkgutil

from . import conv  # noqa: F401  (notebook 05; the loop below would find it too)
from .core import EXERCISES, Exercise, Feedback, check, describe_error, exercise, peek

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "core":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["EXERCISES", "Exercise", "Feedback", "check", "describe_error", "exercise", "peek"]
