"""Helpers for driving JupyterLab in a real (headless) browser, as a learner meets the course.

`lab_server(folder)` starts the JupyterLab of this environment on 127.0.0.1 with a token and throw-away
settings (autosave, news and update checks off); `open_browser(profile)` starts Debian's Chromium through
Playwright (never a downloaded browser); `check_notebook(page, ...)` opens one notebook, runs every cell and
checks what a learner would see, raising `AssertionError` with a sentence saying what is wrong.

Nothing here knows the course's notebooks by name: an explorer is any widget output with a control in it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# JupyterLab settings for the test's own throw-away settings folder.
SETTINGS = {
    "docmanager-extension/plugin": {"autosave": False},  # nothing is written unless the test saves
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Every cell stays in the page, so the test sees all outputs, not only those scrolled into view.
    "notebook-extension/tracker": {"windowingMode": "none"},
}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def lab_server(root: Path, home: Path, env: dict | None = None):
    """JupyterLab serving `root`, with its settings, config and runtime folders under `home`; yields (url, token).

    `env`: extra environment variables for the server and so for its kernels (e.g. PYTHONPATH).
    """
    settings = home / "settings"
    for name, values in SETTINGS.items():
        path = settings / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               **(env or {}))
    port, token = _free_port(), secrets.token_hex(16)
    log = open(home / "server.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--allow-root", f"--ServerApp.root_dir={root}"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            raise AssertionError("JupyterLab did not start within 120 s")
        if server.poll() is not None:
            raise AssertionError("JupyterLab exited at start:\n" + (home / "server.log").read_text()[-3000:])
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextlib.contextmanager
def open_browser(playwright, profile: Path):
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        context.close()


def _menu(page, menu, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).first.click()


# JavaScript run in the page. Each returns plain data for Python to judge.
_RUN_STATE = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
  const busy = !!document.evaluate("//*[contains(text(), '| Busy')]", document, null, 9, null).singleNodeValue;
  return {prompts, busy};
}"""

# A cell's own outputs (not those nested in an Output widget). A widget view has no data-mime-type.
_TOP = ".jp-Notebook .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output"
_OUTPUTS = """() => [...document.querySelectorAll('""" + _TOP + """')].map(e => ({
  mime: e.dataset.mimeType || '', text: e.innerText.slice(0, 300),
  widgets: e.querySelectorAll('.jupyter-widgets').length,
  width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height}))"""

# Controls a learner moves with the keyboard, in the order they appear inside one widget output.
_CONTROLS = ".widget-slider .noUi-handle, .widget-dropdown select, .widget-toggle-button, .widget-checkbox input"

# What a learner sees change under an explorer: its text (sliders' own readouts excluded) and its images' bytes.
_SNAPSHOT = """async (view) => {
  const texts = [...view.querySelectorAll('.widget-html-content, .widget-htmlmath-content, .widget-output')]
    .map(e => e.innerText);
  const images = [];
  for (const img of view.querySelectorAll('img')) {
    if (!img.src) { images.push(''); continue; }
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let h = 2166136261;  // FNV-1a over the image bytes
    for (const b of bytes) { h ^= b; h = Math.imul(h, 16777619) >>> 0; }
    images.push(bytes.length + ':' + h);
  }
  return JSON.stringify({texts, images});
}"""


def _wait_until_run(page, n_code, timeout):
    """Wait until no cell is queued or running and the kernel is idle (or the run stopped at an error)."""
    deadline, calm_since = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        state = page.evaluate(_RUN_STATE)
        numbered = sum(p.strip().strip(":").strip("[]").isdigit() for p in state["prompts"])
        running = any("*" in p for p in state["prompts"]) or state["busy"]
        if not running and numbered:
            calm_since = calm_since or time.monotonic()
            if numbered == n_code or time.monotonic() - calm_since > 3:
                return numbered
        else:
            calm_since = None
        time.sleep(0.3)
    raise AssertionError(f"the notebook was still running after {timeout} s")


def check_notebook(page, base, token, folder: Path, relpath: str, screenshots: Path | None = None,
                   timeout: float = 600, change_timeout: float = 30, until=None, move_explorers: bool = True) -> dict:
    """Open `relpath` (under the server's root `folder`), run all cells, and check what a learner sees.

    Raises AssertionError on: an error output, a widget that is not rendered (an "Error displaying widget"
    message, or the text fallback in place of the widget), or an explorer whose first control, moved with the
    keyboard, changes neither the figure's image bytes nor the readout under it. Saves the notebook (a copy:
    `folder` is a temporary folder) to read the outputs the front end holds, and one screenshot per notebook.
    Returns counts for the report.

    `until`: a test on a saved code cell (a dict); if given, only the code cells up to the first one it accepts
    must run without raising (JupyterLab's Run All stops at the first cell that raises, and a learner's notebook
    may raise after an unanswered exercise); an error after it is returned as "error_after", not raised.
    `move_explorers=False` checks that widgets render but moves no control.
    """
    try:
        return _check(page, base, token, folder, relpath, screenshots, timeout, change_timeout, until, move_explorers)
    finally:
        _shut_down_kernels(page, base, token)


def _check(page, base, token, folder, relpath, screenshots, timeout, change_timeout, until, move_explorers):
    name = Path(relpath).stem
    started = time.monotonic()
    # `reset`: a fresh workspace, so only this notebook is open (the page's selectors see only its cells).
    page.goto(f"{base}/lab/tree/{relpath}?reset&token={token}")
    page.get_by_text("| Idle").first.wait_for(timeout=120_000)  # earlier, "Run All Cells" is dropped
    n_code = page.locator(".jp-Notebook .jp-CodeCell").count()
    # Focus the notebook on the first cell's prompt: the middle of the page may be a link to another notebook.
    page.locator(".jp-Notebook .jp-Cell .jp-InputPrompt").first.click()
    page.keyboard.press("Escape")
    _menu(page, "Edit", "Clear Outputs of All Cells")  # stored outputs must not pass for fresh ones
    _menu(page, "Run", "Run All Cells")
    try:
        numbered = _wait_until_run(page, n_code, timeout)
    finally:
        if screenshots is not None:
            screenshots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshots / f"{name}.png"))  # replaced below once every check has run
    # Only outputs count: a notebook's prose may name these messages (00 explains them to learners).
    page.wait_for_function("() => ![...document.querySelectorAll('.jp-Notebook .jp-OutputArea')]"
                           ".some(e => e.innerText.includes('Loading widget'))", timeout=60_000)

    # What the front end holds: save the copy and read it back.
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')", timeout=30_000)
    saved = json.loads((folder / relpath).read_text())
    code_cells = [c for c in saved["cells"] if c["cell_type"] == "code"]
    problems, error_after = [], None
    last = len(code_cells)  # the code cells that must run without raising: all, or up to `until`'s cell
    if until is not None:
        last = next((i for i, cell in enumerate(code_cells, 1) if until(cell)), None)
        if last is None:
            raise AssertionError(f"{name}: no code cell is the one to run up to")
    for i, cell in enumerate(code_cells, 1):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                if i <= last:
                    problems.append(f"code cell {i} raised {out['ename']}: {out['evalue']}")
                else:
                    error_after = error_after or f"code cell {i} raised {out['ename']}: {out['evalue']}"
    not_run = [i for i, cell in enumerate(code_cells[:last], 1) if cell.get("execution_count") is None]
    if until is None and numbered < n_code and not problems:
        problems.append(f"only {numbered} of {n_code} code cells ran")
    elif until is not None and not_run and not problems:
        problems.append(f"code cells {not_run} did not run (up to code cell {last} must)")
    views = sum(WIDGET_VIEW in out.get("data", {}) for c in code_cells for out in c.get("outputs", []))

    shown = page.evaluate(_OUTPUTS)
    rendered = [o for o in shown if o["widgets"] and o["mime"] in ("", WIDGET_VIEW)]
    for o in shown:
        if "Error displaying widget" in o["text"]:
            problems.append(f"a widget failed to display: {o['text'][:200]!r}")
    if len(rendered) != views:
        fallbacks = [o["text"][:80] for o in shown if o["mime"] == "text/plain"]
        problems.append(f"{views} widget outputs, but {len(rendered)} shown as widgets (text instead: {fallbacks})")
    for o in rendered:
        if not o["widgets"] or o["width"] < 10 or o["height"] < 10:
            problems.append(f"a widget output is empty or invisible: {o['text'][:80]!r}")
    if problems:
        raise AssertionError(f"{name}: " + "; ".join(problems))

    # Every explorer: move its first control with the keyboard; its figure or readout must change.
    outputs = page.locator(_TOP).filter(has=page.locator(".jupyter-widgets"))
    explorers, first, keyboard_traps = 0, None, []
    for k in range(outputs.count() if move_explorers else 0):
        view = outputs.nth(k)
        controls = view.locator(_CONTROLS)
        if not controls.count():
            continue  # a progress bar or a still widget: nothing to move
        explorers += 1
        first = first or view
        control = controls.first
        control.scroll_into_view_if_needed()
        before = view.evaluate(_SNAPSHOT)
        if not _press_towards_room(control):
            keyboard_traps.append(f"explorer {explorers}")
        deadline = time.monotonic() + change_timeout
        while view.evaluate(_SNAPSHOT) == before:
            if time.monotonic() > deadline:
                labels = view.locator(".widget-label")
                label = labels.first.inner_text() if labels.count() else ""
                raise AssertionError(f"{name}: explorer {explorers} ({label!r}): moving its first control with the "
                                     f"keyboard changed neither the figure nor the readout within {change_timeout} s")
            time.sleep(0.2)
        _settle(view, page)
        if page.locator(".jp-Notebook .jp-OutputArea").get_by_text("Error displaying widget").count():
            raise AssertionError(f"{name}: a widget failed to display after explorer {explorers} was moved")

    if screenshots is not None:
        screenshots.mkdir(parents=True, exist_ok=True)
        if first is not None:
            first.scroll_into_view_if_needed()
            first.screenshot(path=str(screenshots / f"{name}-explorer.png"))
        page.screenshot(path=str(screenshots / f"{name}.png"))
    return {"notebook": name, "code_cells": n_code, "widget_views": views, "explorers": explorers,
            "dropdowns_whose_arrow_keys_jupyterlab_takes": keyboard_traps, "ran": numbered,
            "error_after": error_after, "seconds": round(time.monotonic() - started, 1)}


def _shut_down_kernels(page, base, token):
    """Stop every kernel, so the next notebook does not share the machine with this one's."""
    for session in page.request.get(f"{base}/api/sessions?token={token}").json():
        page.request.delete(f"{base}/api/sessions/{session['id']}?token={token}")


def _press_towards_room(control) -> bool:
    """One key press that changes the control's value: right/down, or left/up if it is at its end already.

    Returns False if the keyboard could not change it (see the Dropdown case below).
    """
    at_end = control.evaluate("""(e) => {
      if (e.tagName === 'SELECT') return e.selectedIndex === e.options.length - 1;
      const now = e.getAttribute('aria-valuenow'), max = e.getAttribute('aria-valuemax');
      return now !== null && max !== null && Number(now) >= Number(max);
    }""")
    tag = control.evaluate("(e) => e.tagName")
    if tag in ("BUTTON", "INPUT"):
        control.press("Space")  # focuses the control, then presses the key
    elif tag == "SELECT":
        before = control.evaluate("(e) => e.selectedIndex")
        control.press("ArrowUp" if at_end else "ArrowDown")
        if control.evaluate("(e) => e.selectedIndex") == before:
            # JupyterLab's notebook takes the arrow keys of a closed <select> (command mode moves to the next
            # cell), so a keyboard user cannot step through a Dropdown. Reported, then chosen as a mouse would.
            options = control.evaluate("(e) => [...e.options].map(o => o.value)")
            control.select_option(options[before - 1 if at_end else before + 1])
            return False
    else:
        control.press("ArrowLeft" if at_end else "ArrowRight")
    return True


def _settle(view, page, quiet=0.6, limit=20):
    """Wait until the explorer stops changing (each key press queues a redraw)."""
    last, since, deadline = view.evaluate(_SNAPSHOT), time.monotonic(), time.monotonic() + limit
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.15)
        now = view.evaluate(_SNAPSHOT)
        if now != last:
            last, since = now, time.monotonic()
