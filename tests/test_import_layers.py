"""The screen on top, seen from inside a real Jupyter kernel.

In a kernel, tqdm.auto picks tqdm.notebook, which loads ipywidgets: a plain `python -c` cannot see
that, so this test starts the venv's own python3 kernel and asks it which modules got loaded.
(`lint-imports`, run by `make test`, checks the same floors statically, from the pyproject contracts.)
"""

import json
import sys

import pytest

jupyter_client = pytest.importorskip("jupyter_client")

SCREEN = ("matplotlib", "ipywidgets", "tqdm.notebook")


def _loaded_after(kernel, statement):
    """Run ``statement`` in a fresh kernel; return which of SCREEN are then in sys.modules."""
    code = (f"import sys, json\n{statement}\n"
            f"print(json.dumps(sorted(m for m in {list(SCREEN)!r} if m in sys.modules)))")
    client = kernel.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        lines = []
        reply = client.execute_interactive(code, timeout=120, output_hook=lambda msg: lines.append(msg))
        assert reply["content"]["status"] == "ok", reply["content"]
        text = "".join(m["content"].get("text", "") for m in lines if m["msg_type"] == "stream")
        return json.loads(text.strip().splitlines()[-1])
    finally:
        client.stop_channels()


@pytest.fixture
def kernel():
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    # This venv's python, whatever kernels are installed elsewhere on the machine.
    manager.kernel_cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    manager.start_kernel()
    try:
        yield manager
    finally:
        manager.shutdown_kernel(now=True)


def test_a_kernel_that_imports_the_data_layer_loads_no_screen(kernel):
    assert _loaded_after(kernel, "import relulab.data, relulab.activations") == []


EXPERIMENTS = ("import relulab.experiments.dying, relulab.experiments.nonlinearity, relulab.experiments.gradients, "
               "relulab.experiments.edges, relulab.experiments.detector, relulab.experiments.models")


@pytest.mark.parametrize("statement", ["import relulab.nn", EXPERIMENTS], ids=["nn", "experiments"])
def test_a_kernel_that_imports_the_engine_or_the_experiments_loads_no_screen(kernel, statement):
    assert _loaded_after(kernel, statement) == []


def test_a_kernel_that_imports_the_experiments_loads_no_matplotlib(kernel):
    assert "matplotlib" not in _loaded_after(kernel, EXPERIMENTS)


def test_the_kernel_probe_does_see_the_screen_when_it_is_loaded(kernel):
    """The probe itself works: building an explorer loads matplotlib and ipywidgets."""
    loaded = _loaded_after(kernel, "import relulab.widgets; relulab.widgets.relu_explorer()")
    assert "matplotlib" in loaded and "ipywidgets" in loaded
