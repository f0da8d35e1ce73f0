import re
from importlib import metadata
from pathlib import Path

from relulab.environment import REQUIREMENTS, check_environment

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
    assert any("ipywidgets is missing" in p and 'python -m pip install --upgrade "ipywidgets>=8.1"' in p
               for p in problems)
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
    assert not report.ok and "Python 3.9.18 is too old" in report.problems()[0]


def test_requirements_txt_lists_exactly_the_packages_the_check_knows_with_the_same_bounds():
    listed = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)>=([0-9.]+)", line.strip())
        if match:
            listed[match.group(1).lower()] = match.group(2)
    assert listed == {name: minimum for name, (minimum, _) in REQUIREMENTS.items()}


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
