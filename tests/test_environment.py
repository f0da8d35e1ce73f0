import re
from importlib import metadata
from pathlib import Path

from relulab.environment import REQUIREMENTS, SERVER_REQUIREMENTS, check_environment

ROOT = Path(__file__).resolve().parents[1]


def _fake_versions(**overrides):
    def version_of(name):
        value = overrides.get(name, "99.0")
        if value is None:
            raise metadata.PackageNotFoundError(name)
        return value
    return version_of


def test_everything_present_reports_ok():
    report = check_environment(version_of=_fake_versions(), python=(3, 11, 7))
    assert report.ok and report.problems() == [] and "good to go" in repr(report)


def test_a_missing_package_comes_with_the_command_that_installs_it():
    report = check_environment(version_of=_fake_versions(ipywidgets=None), python=(3, 12, 0))
    assert not report.ok
    problems = report.problems()
    [line] = [p for p in problems if "ipywidgets is missing" in p]
    assert 'in a notebook cell run %pip install --upgrade "ipywidgets>=8.1"' in line
    assert 'in a terminal: python -m pip install --upgrade "ipywidgets>=8.1"' in line
    assert "restart the kernel" in problems[-1]
    assert "❌" in report._repr_html_()


def test_a_too_old_package_is_reported_with_the_version_needed():
    report = check_environment(version_of=_fake_versions(numpy="1.21.6"), python=(3, 11, 0))
    [numpy] = [p for p in report.packages if p.name == "numpy"]
    assert not numpy.ok and "too old" in numpy.state and numpy.fix.endswith('"numpy>=1.26"')


def test_prerelease_and_local_versions_compare_by_their_numbers():
    report = check_environment(version_of=_fake_versions(matplotlib="3.10.0rc1", tqdm="4.66.0+local"))
    assert all(p.ok for p in report.packages)


def test_an_old_python_is_reported():
    report = check_environment(version_of=_fake_versions(), python=(3, 9, 18))
    assert not report.ok and report.problems()[0].startswith("Python 3.9.18: it is too old")


def test_python_3_10_is_called_untested_not_broken():
    report = check_environment(version_of=_fake_versions(), python=(3, 10, 12))
    assert not report.ok and "3.10 is untested" in report.problems()[0]
    assert "untested" in repr(report) and "untested" in report._repr_html_()


def test_no_fix_tells_the_learner_to_start_a_python_line_with_a_percent_sign():
    report = check_environment(version_of=_fake_versions(numpy=None, tqdm="1.0"), python=(3, 9, 0))
    for line in report.problems():
        assert "%python" not in line and "starting it with %" not in line
        assert "% python" not in line  # %pip is for cells; python -m pip for terminals


def test_the_report_names_the_course_packages_version():
    import relulab

    report = check_environment(version_of=_fake_versions())
    assert report.course_version == relulab.__version__
    assert f"relulab {relulab.__version__}" in repr(report) and relulab.__version__ in report._repr_html_()


def test_the_kernel_check_does_not_look_for_the_jupyter_server():
    """On a JupyterHub the server runs elsewhere: a kernel without jupyterlab is fine."""
    report = check_environment(version_of=_fake_versions(jupyterlab=None))
    assert report.ok and "jupyterlab" not in [p.name for p in report.packages]


def test_the_check_imports_none_of_the_packages_it_checks():
    """It must still work when numpy or ipywidgets is missing: run it in a fresh Python, then look."""
    import subprocess
    import sys

    code = ("import sys; from relulab.environment import check_environment; r = check_environment(); "
            "repr(r); r._repr_html_(); "
            "print(sorted(m for m in ('numpy', 'matplotlib', 'ipywidgets', 'skimage', 'sklearn', 'tqdm') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_requirements_txt_lists_exactly_the_packages_the_check_knows_with_the_same_bounds():
    listed = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)>=([0-9.]+)", line.strip())
        if match:
            listed[match.group(1).lower()] = match.group(2)
    both = {**REQUIREMENTS, **SERVER_REQUIREMENTS}
    assert listed == {name: minimum for name, (minimum, _) in both.items()}


def test_require_returns_the_module_when_it_is_there():
    import numpy

    from relulab.environment import require
    assert require("numpy") is numpy


def test_a_missing_package_raises_a_sentence_with_the_install_command(monkeypatch):
    import importlib

    import pytest

    from relulab.environment import MissingPackageError
    from relulab.widgets import LiveFigure

    real_import = importlib.import_module

    def no_ipywidgets(name, *args):
        if name == "ipywidgets":
            raise ModuleNotFoundError("No module named 'ipywidgets'")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", no_ipywidgets)
    with pytest.raises(MissingPackageError) as info:
        LiveFigure()
    message = str(info.value)
    assert '%pip install "ipywidgets>=8.1"' in message and "restart the kernel" in message
    assert isinstance(info.value, ModuleNotFoundError)


def _first_code_cell_of_the_welcome_notebook() -> str:
    import jupytext

    nb = jupytext.read(ROOT / "notebooks" / "src" / "00_welcome.py")
    return next(c.source for c in nb.cells if c.cell_type == "code")


def test_the_welcome_notebooks_first_code_cell_is_the_setup_check():
    assert "check_environment()" in _first_code_cell_of_the_welcome_notebook()


def test_the_setup_check_cell_explains_a_missing_course_package(tmp_path):
    """Run the cell in a Python that cannot see relulab (no site-packages): a sentence, not a traceback."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-S", "-c", _first_code_cell_of_the_welcome_notebook()],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "relulab is not installed" in run.stdout and "%pip install -e .." in run.stdout
    assert "python -m pip install" in run.stdout and "restart the kernel" in run.stdout


def test_the_setup_check_cell_runs_when_numpy_and_ipywidgets_cannot_be_imported(tmp_path):
    import subprocess
    import sys

    block = "import sys\nfor m in ('numpy', 'matplotlib', 'ipywidgets'):\n    sys.modules[m] = None\n"
    run = subprocess.run([sys.executable, "-c", block + _first_code_cell_of_the_welcome_notebook()],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "course package relulab" in run.stdout  # the report, printed as text outside a notebook
