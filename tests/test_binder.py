"""Binder builds the course on the intended Python with the learner's lock, and the badge points there."""

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


def _name(requirement):
    if requirement.startswith("-e"):
        return requirement
    return re.split(r"[<>=~!\[ ]", requirement)[0].lower().replace("_", "-")


def test_binder_installs_the_lock_and_the_course_and_pins_the_python():
    lock = _requirements(ROOT / "requirements-lock.txt")
    assert _requirements(ROOT / "binder" / "requirements.txt") == lock + ["-e ."]
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    names = {_name(r) for r in _requirements(ROOT / "requirements.txt")}
    assert {"jupyterlab", "ipywidgets", "-e ."} <= names


def test_the_lock_pins_every_learner_requirement_exactly_and_leaves_out_torch():
    lock = _requirements(ROOT / "requirements-lock.txt")
    assert lock and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[^=\s]+", r) for r in lock), "every line `name==version`"
    pinned = {_name(r) for r in lock}
    wanted = {_name(r) for r in _requirements(ROOT / "requirements.txt")} - {"-e ."}
    assert wanted <= pinned, f"not locked: {wanted - pinned}"
    assert "torch" not in pinned, "PyTorch is optional (parity tests); it stays out of the learner's lock"
    dev = {_name(r) for r in _requirements(ROOT / "requirements-dev-lock.txt")}
    assert pinned <= dev, "the test environment has every locked learner package"
    versions = dict(r.split("==") for r in lock)
    for r in _requirements(ROOT / "requirements-dev-lock.txt"):
        name, version = r.split("==")
        assert versions.get(name, version) == version, f"{name}: the two locks disagree"


def test_the_package_declares_every_third_party_module_it_imports():
    import tomllib

    declared = {_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    distribution = {"sklearn": "scikit-learn", "skimage": "scikit-image", "PIL": "pillow", "IPython": "ipython",
                    "matplotlib_inline": "matplotlib-inline"}
    imported = set()
    for path in (ROOT / "relulab").rglob("*.py"):
        text = path.read_text()
        imported |= set(re.findall(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", text, re.M))
        imported |= {m.split(".")[0] for m in re.findall(r"require\(\"[\w-]+\",\s*\"([\w.]+)\"\)", text)}
        imported |= set(re.findall(r"require\(\"([\w-]+)\"\)", text))
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in {"relulab", "torch"}}
    missing = {distribution.get(m, m).lower() for m in third_party} - declared
    assert not missing, f"relulab imports these but pyproject.toml's dependencies do not list them: {missing}"


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
    # binder/requirements.txt is the file installed; it names the lock (checked above), so Binder gets the lock.
    assert "-r ../requirements-lock.txt" in (ROOT / "binder" / "requirements.txt").read_text()


def test_readme_badge_opens_jupyterlab_at_the_welcome_notebook():
    readme = (ROOT / "README.md").read_text()
    url = re.search(r"\(https://mybinder\.org/v2/gh/([^)]+)\)", readme).group(1)
    repo, _, query = url.partition("?")
    assert re.fullmatch(r"[\w.-]+/[\w.-]+/HEAD", repo)
    assert query.startswith("urlpath=lab/tree/notebooks/")
    target = query.removeprefix("urlpath=lab/tree/")
    assert (ROOT / target).is_file() and target.endswith("00_welcome.ipynb")
