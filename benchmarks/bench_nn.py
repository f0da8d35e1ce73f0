"""Benchmark: one training step of relulab.nn against PyTorch on CPU, and peak memory.

Run:  python benchmarks/bench_nn.py  [--rounds 11] [--burst 10] [--skip-memory]   (or: make bench)

One step = forward, cross-entropy loss, backward, SGD update; batch 64, float32. relulab's step is
the one nn.fit takes: with 2 threads it splits the batch over both cores (nn.DataParallel), with 1
thread it runs the plain layers; PyTorch splits each operation over its threads.
Two reference networks (padding 0 everywhere, the same layers in both frameworks):

  net A: 1x28x28 -> conv3x3(1->16)+ReLU -> maxpool2 -> conv3x3(16->32)+ReLU -> maxpool2 -> flatten -> linear(800->10)
  net B: 3x32x32 -> conv3x3(3->16)+ReLU -> maxpool2 -> conv3x3(16->32)+ReLU -> maxpool2 -> flatten -> linear(1152->2)

Both frameworks start from the same weights. They are timed ALTERNATELY within one
run (a burst of steps of one, a pause, a burst of the other, ...), so a busy
machine slows both alike; each burst gives a per-step time and the table shows the
median over bursts. The 0.2 s pause matters: OpenBLAS (numpy) threads keep spinning
for about 0.1 s after a matrix product and would slow PyTorch's next step. A burst is 10
steps because the first step after a pause pays for waking threads up (relulab's two
workers, PyTorch's OpenMP team); in training, steps follow each other without pauses.
Threads: numpy's BLAS is limited with threadpoolctl, PyTorch with torch.set_num_threads.

Peak memory is measured in a separate Python process that never imports torch:
it trains net B on 2,000 random 3x32x32 images for 3 epochs with nn.fit and reports
its peak resident set size (VmHWM in /proc/self/status; resource.getrusage's ru_maxrss
where /proc is missing, though on Linux that value starts at the forking parent's RSS),
the interpreter and numpy included.

PyTorch is optional: without it, only relulab's times are shown.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

try:
    from relulab import nn
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from relulab import nn

NETS = {"A": (1, 28, 10), "B": (3, 32, 2)}  # in_channels, image size, classes
BATCH = 64
PAUSE = 0.2  # seconds between bursts: lets the other framework's idle threads stop spinning


def build_relulab(in_channels, size, classes):
    """Net A or B in relulab.nn."""
    side = ((size - 2) // 2 - 2) // 2
    return nn.Sequential(
        nn.Conv2d(in_channels, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * side * side, classes),
    )


def build_torch(torch, ours, in_channels, size, classes):
    """The same network in torch.nn, with the weights copied from ``ours``."""
    tnn = torch.nn
    side = ((size - 2) // 2 - 2) // 2
    model = tnn.Sequential(
        tnn.Conv2d(in_channels, 16, 3), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Conv2d(16, 32, 3), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Flatten(), tnn.Linear(32 * side * side, classes),
    )
    with torch.no_grad():
        for p, q in zip(ours.parameters(), model.parameters(), strict=True):
            q.copy_(torch.from_numpy(p.data))
    return model


def make_steps(name, torch, threads):
    """Return {framework: step function} for net ``name``, as each framework runs with ``threads``."""
    in_channels, size, classes = NETS[name]
    nn.manual_seed(0)
    rng = np.random.default_rng(0)
    X = rng.random((BATCH, in_channels, size, size), dtype=np.float32)
    y = rng.integers(0, classes, BATCH)
    model = build_relulab(in_channels, size, classes)
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.SGD(model.parameters(), lr=0.01, momentum=0.9)

    # The step nn.fit takes: with 2 threads allowed, the batch is split over both cores (nn.parallel).
    parallel = nn.DataParallel(model, loss_fn, workers=threads) if threads > 1 else None

    def relulab_step():
        opt.zero_grad()
        if parallel:
            parallel.forward_backward(X, y)
        else:
            loss_fn(model(X), y)
            model.backward(loss_fn.backward())
        opt.step()

    steps = {"relulab": relulab_step}
    if torch is not None:
        t_model = build_torch(torch, model, in_channels, size, classes)
        t_opt = torch.optim.SGD(t_model.parameters(), lr=0.01, momentum=0.9)
        tX, ty = torch.from_numpy(X.copy()), torch.from_numpy(y)

        def torch_step():
            t_opt.zero_grad()
            torch.nn.functional.cross_entropy(t_model(tX), ty).backward()
            t_opt.step()

        steps["torch"] = torch_step
    return steps


def time_alternating(steps, threads, rounds, burst, torch):
    """Median seconds per step of each framework, bursts alternating between frameworks."""
    from threadpoolctl import threadpool_limits

    if torch is not None:
        torch.set_num_threads(threads)
    times = {key: [] for key in steps}
    with threadpool_limits(limits=threads, user_api="blas"):
        for step in steps.values():  # warm up: allocations, BLAS and torch kernels
            for _ in range(3):
                step()
        for r in range(rounds):
            order = list(steps.items())
            if r % 2:
                order.reverse()  # neither framework always goes first
            for key, step in order:
                time.sleep(PAUSE)
                start = time.perf_counter()
                for _ in range(burst):
                    step()
                times[key].append((time.perf_counter() - start) / burst)
    return {key: statistics.median(v) for key, v in times.items()}


MEMORY_SCRIPT = """
import resource, sys, numpy as np
sys.path.insert(0, {root!r})
from relulab import nn
assert "torch" not in sys.modules
nn.manual_seed(0)
rng = np.random.default_rng(0)
X = rng.random((2000, 3, 32, 32), dtype=np.float32)
y = rng.integers(0, 2, 2000)
model = nn.Sequential(
    nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 6 * 6, 2))
nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.01, momentum=0.9),
       num_epochs=3, batch_size=64, X_val=X[:500], y_val=y[:500], progress=False)
try:  # VmHWM: this process's own peak RSS (ru_maxrss would include the forking parent's)
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    print(int(status.split()[0]) / 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def peak_memory_mb():
    """Peak RSS (MB) of a fresh process training net B on 2,000 images for 3 epochs."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT.format(root=root)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11, help="alternating bursts per framework")
    parser.add_argument("--burst", type=int, default=10, help="steps per burst")
    parser.add_argument("--skip-memory", action="store_true", help="do not measure peak memory")
    args = parser.parse_args()

    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed: timing relulab alone (no comparison). "
              "Install torch to compare; this benchmark never downloads it.")
    import threadpoolctl  # noqa: F401  (needed to limit numpy's threads; fail early if missing)

    info = f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else "")
    print(f"One training step (forward + backward + SGD), batch {BATCH}, float32, CPU; {info}")
    print(f"median of {args.rounds} alternating bursts of {args.burst} steps; "
          f"{os.cpu_count()} CPUs on this machine\n")
    header = f"{'net':<5}{'threads':>8}{'relulab ms':>12}"
    if torch:
        header += f"{'torch ms':>10}{'relulab/torch':>15}"
    print(header)
    print("-" * len(header))
    for threads in (2, 1):
        for name in NETS:
            steps = make_steps(name, torch, threads)
            med = time_alternating(steps, threads, args.rounds, args.burst, torch)
            row = f"{name:<5}{threads:>8}{med['relulab'] * 1e3:>12.2f}"
            if torch:
                row += f"{med['torch'] * 1e3:>10.2f}{med['relulab'] / med['torch']:>15.2f}"
            print(row, flush=True)
    if not args.skip_memory:
        mb = peak_memory_mb()
        print(f"\nPeak memory, net B trained on 2,000 3x32x32 images for 3 epochs in a fresh process "
              f"without torch (peak RSS, interpreter included): {mb:.0f} MB")


if __name__ == "__main__":
    main()
