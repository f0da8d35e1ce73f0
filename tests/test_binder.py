"""Binder builds the course on the intended Python with the learner's requirements, and the badge points there."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _requirements(path):
    """Requirement lines of a requirements file, following `-r` includes relative to each file."""
    lines = []
    for raw in path.read_text().splitlines():
        line = raw.split("#")[0].strip()
        if line.startswith("-r "):
            lines += _requirements((path.parent / line[3:].strip()).resolve())
        elif line:
            lines.append(line)
    return lines


def test_binder_reuses_the_learners_requirements_and_pins_the_python():
    assert _requirements(ROOT / "binder" / "requirements.txt") == _requirements(ROOT / "requirements.txt")
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    names = {re.split(r"[<>=]", r)[0] for r in _requirements(ROOT / "requirements.txt")}
    assert {"jupyterlab", "ipywidgets", "-e ."} <= names


def test_repo2docker_dockerfile_installs_the_course_on_python_311():
    exe = Path(sys.executable).parent / "jupyter-repo2docker"
    if not exe.exists():
        exe = shutil.which("jupyter-repo2docker")
    if not exe:
        pytest.skip("jupyter-repo2docker is not installed (it is in requirements-dev.txt)")
    result = subprocess.run([str(exe), "--no-build", "--debug", "."], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout + result.stderr
    assert "python=3.11" in dockerfile
    # The kernel and the Jupyter server share one environment, so the widget front end is where the server is.
    assert "ENV KERNEL_PYTHON_PREFIX=${NB_PYTHON_PREFIX}" in dockerfile
    copy_all = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    install = dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert copy_all < install, "the repository must be copied before `-e .` installs it"


def test_readme_badge_opens_jupyterlab_at_the_welcome_notebook():
    readme = (ROOT / "README.md").read_text()
    url = re.search(r"\(https://mybinder\.org/v2/gh/([^)]+)\)", readme).group(1)
    repo, _, query = url.partition("?")
    assert re.fullmatch(r"[\w.-]+/[\w.-]+/HEAD", repo)
    assert query.startswith("urlpath=lab/tree/notebooks/")
    target = query.removeprefix("urlpath=lab/tree/")
    assert (ROOT / target).is_file() and target.endswith("00_welcome.ipynb")
