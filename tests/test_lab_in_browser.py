"""`make lab` as a learner sees it: JupyterLab in a real (headless) browser renders the course's widgets.

Starts the JupyterLab of this environment on 127.0.0.1 with a token and throw-away settings folders,
opens the welcome notebook, runs all cells, and moves the first slider with the keyboard. Needs
Debian's chromium (`apt-get install chromium`; .ci/run installs it) and the `playwright` package;
it never downloads a browser.
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    home = tmp_path_factory.mktemp("lab")
    settings = home / "settings"
    (settings / "@jupyterlab" / "docmanager-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(
        '{"autosave": false}')  # never write outputs back into the repository
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--allow-root", f"--ServerApp.root_dir={ROOT}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token
    server.terminate()
    server.wait(timeout=20)


def test_welcome_notebook_renders_a_working_slider(lab, tmp_path):
    base, token = lab
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900})
        page = browser.new_page()
        page.goto(f"{base}/lab/tree/notebooks/00_welcome.ipynb?token={token}")
        page.get_by_text("| Idle").first.wait_for(timeout=90_000)
        page.locator(".jp-Notebook").first.click()
        page.keyboard.press("Escape")
        page.evaluate("window.jupyterapp && window.jupyterapp.commands.execute('notebook:run-all-cells')")
        if not page.locator(".widget-slider").count():
            page.get_by_text("Run", exact=True).first.click()
            page.get_by_text("Run All Cells", exact=True).first.click()
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.wait_for(timeout=60_000)
        readout = ".widget-html-content b"
        page.wait_for_function(f"() => (document.querySelector('{readout}') || {{}}).textContent"
                               " === 'score 4 → ReLU → 4 (kept as it is)'", timeout=60_000)
        handle.focus()
        for _ in range(12):  # 12 steps of 0.5 to the left: from 4 to −2
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"() => document.querySelector('{readout}').textContent"
                               " === 'score −2 → ReLU → 0 (dropped to 0)'", timeout=60_000)
        image = page.locator(".widget-image").first
        box = image.bounding_box()
        page.screenshot(path=str(tmp_path / "welcome.png"))
        browser.close()
    assert box["width"] > 200 and box["height"] > 100, "the figure should be visible"
