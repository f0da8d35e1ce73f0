"""The welcome notebook's environment check: is everything the course needs installed?

``check_environment()`` looks up each package the notebooks import and reports its version, and the
course package's own version. For anything missing or too old it gives the exact command that fixes
it. It uses only the standard library (it reads installed versions with ``importlib.metadata`` and
imports none of the packages it checks), so it still helps when numpy or ipywidgets is missing.

``REQUIREMENTS`` lists what the *kernel* needs; ``SERVER_REQUIREMENTS`` what the Jupyter server needs.
The check looks at the kernel only: on a JupyterHub the server runs in another environment, so a
missing ``jupyterlab`` in the kernel says nothing. Together they are the learner's requirements: a
unit test keeps ``requirements.txt`` in step.
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass
from importlib import metadata

REQUIREMENTS = {
    # distribution name: (lowest version tested, what the course uses it for)
    "numpy": ("1.26", "arrays: every computation"),
    "matplotlib": ("3.8", "every figure"),
    "ipywidgets": ("8.1", "sliders and dropdowns"),
    "scikit-image": ("0.22", "the cat photo and the face images"),
    "scikit-learn": ("1.4", "the handwritten digits and the two moons"),
    "tqdm": ("4.66", "progress bars while training"),
    "threadpoolctl": ("3.1", "training on both CPU cores"),
}
SERVER_REQUIREMENTS = {
    # Installed where JupyterLab runs (with the kernel on a laptop or Binder; elsewhere on a JupyterHub).
    "jupyterlab": ("4.0", "the notebook app itself"),
}
MIN_PYTHON = (3, 11)
UNTESTED_PYTHON = (3, 10)
"""Python 3.10 may work but the course's tests have not been run on it; older is too old."""


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit()) if piece[:1].isdigit() else ""
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


@dataclass(frozen=True)
class PackageStatus:
    """One row of the report: the package, the version found (or None) and what to do."""

    name: str
    minimum: str
    found: str | None
    purpose: str

    @property
    def ok(self) -> bool:
        return self.found is not None and _version_tuple(self.found) >= _version_tuple(self.minimum)

    @property
    def fix(self) -> str:
        """The command that installs or upgrades this package, as typed in a terminal."""
        return "" if self.ok else f'python -m pip install --upgrade "{self.name}>={self.minimum}"'

    @property
    def fix_in_notebook(self) -> str:
        """The same command as typed in a notebook cell (``%pip`` installs into the running kernel)."""
        return "" if self.ok else f'%pip install --upgrade "{self.name}>={self.minimum}"'

    @property
    def state(self) -> str:
        if self.found is None:
            return "missing"
        return "ok" if self.ok else f"too old (need {self.minimum} or newer)"


class EnvironmentReport:
    """The result of :func:`check_environment`; shows as a table in a notebook."""

    def __init__(self, python: tuple[int, ...], packages: list[PackageStatus], course_version: str | None = None):
        self.python = python
        self.packages = packages
        self.course_version = course_version

    @property
    def ok(self) -> bool:
        return self.python_ok and all(p.ok for p in self.packages)

    @property
    def python_ok(self) -> bool:
        return tuple(self.python[:2]) >= MIN_PYTHON

    def problems(self) -> list[str]:
        """One sentence per problem, each with the command that fixes it."""
        lines = []
        if not self.python_ok:
            need, here = ".".join(map(str, MIN_PYTHON)), ".".join(map(str, self.python[:3]))
            untested = ("the course is tested on Python 3.11 and newer; 3.10 is untested here and may fail"
                        if tuple(self.python[:2]) == UNTESTED_PYTHON else "it is too old")
            lines.append(f"Python {here}: {untested}. Install Python {need} or newer (python.org), then create "
                         "the course environment again (or pick a newer kernel: Kernel → Change Kernel).")
        for p in self.packages:
            if not p.ok:
                lines.append(f"{p.name} is {p.state} (used for {p.purpose}). Fix: in a notebook cell run "
                             f"{p.fix_in_notebook}  (or in a terminal: {p.fix})")
        if lines:
            lines.append("Then restart the kernel (Kernel → Restart Kernel) and run this check again.")
        return lines

    def summary(self) -> str:
        if self.ok:
            return f"All {len(self.packages)} packages are ready. You are good to go."
        return f"{len(self.problems()) - 1} thing(s) to fix before the course runs smoothly."

    def _python_state(self) -> str:
        if self.python_ok:
            return "ok"
        return "untested (3.11+ needed)" if tuple(self.python[:2]) == UNTESTED_PYTHON else "too old"

    def __repr__(self) -> str:
        rows = [f"course package relulab {self.course_version or '(version unknown)'}",
                f"Python {'.'.join(map(str, self.python[:2]))}: {self._python_state()}"]
        rows += [f"{p.name:<14} {p.found or '-':<10} {p.state}" for p in self.packages]
        return "\n".join(rows + ["", self.summary(), *self.problems()])

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><td>{html.escape(p.name)}</td><td>{html.escape(p.found or '—')}</td>"
            f"<td>{'✅' if p.ok else '❌'} {html.escape(p.state)}</td><td>{html.escape(p.purpose)}</td></tr>"
            for p in self.packages)
        fixes = "".join(f"<li>{html.escape(line)}</li>" for line in self.problems())
        python = ".".join(map(str, self.python[:2]))
        course = html.escape(self.course_version or "(version unknown)")
        return (f"<p>Course package relulab {course} · Python {python}: "
                f"{'✅' if self.python_ok else '❌'} {self._python_state()}</p>"
                "<table><tr><th>package</th><th>version</th><th>status</th><th>used for</th></tr>"
                f"{cells}</table><p><b>{html.escape(self.summary())}</b></p>"
                + (f"<ul>{fixes}</ul>" if fixes else ""))


def check_environment(requirements: dict | None = None, version_of=metadata.version,
                      python: tuple[int, ...] | None = None) -> EnvironmentReport:
    """Report each required package's installed version and what to do about any problem.

    Needs only the standard library: it imports none of the packages it checks. ``version_of`` and
    ``python`` exist so that tests can pretend a package is missing or old.
    """
    from . import __version__
    statuses = []
    for name, (minimum, purpose) in (requirements or REQUIREMENTS).items():
        try:
            found = version_of(name)
        except metadata.PackageNotFoundError:
            found = None
        statuses.append(PackageStatus(name, minimum, found, purpose))
    return EnvironmentReport(tuple(python or sys.version_info[:3]), statuses, __version__)


class MissingPackageError(ModuleNotFoundError):
    """A package the course needs is not installed; the message says how to install it."""


def require(distribution: str, module: str | None = None):
    """Import ``module`` (default: the distribution's own name), or explain how to install it.

    ``require("ipywidgets")`` returns the module. If it is missing, the learner gets a sentence with
    the exact command to run, instead of a bare ``ModuleNotFoundError``.
    """
    import importlib

    module = module or distribution.replace("-", "_")
    try:
        return importlib.import_module(module)
    except ImportError as error:
        minimum, purpose = REQUIREMENTS.get(distribution, ("", "this part of the course"))
        spec = f"{distribution}>={minimum}" if minimum else distribution
        raise MissingPackageError(
            f"This needs the package {distribution!r} (used for {purpose}), which this kernel cannot "
            f"import ({error}). Fix: run  %pip install \"{spec}\"  in a cell, then restart the kernel "
            "(Kernel → Restart Kernel) and run the notebook again. Notebook 00 checks every package."
        ) from error
