"""Benchmark: whole training epochs of relulab.nn (nn.fit) against the same loop in PyTorch, and peak memory.

Run:  python benchmarks/bench_nn.py            (or: make bench)
      python benchmarks/bench_nn.py --quick    (4 networks, fewer rounds: about a minute)
      python benchmarks/bench_nn.py --only C,D --threads 2 --rounds 7

What is timed: one epoch over N random images, through ``nn.fit(model, X, y, CrossEntropyLoss(),
SGD(lr=0.01, momentum=0.9), batch_size=B)`` for relulab, and for PyTorch the loop a user writes:
shuffle, then per batch ``zero_grad``, forward, ``cross_entropy``, ``backward``, ``torch.optim.SGD``
step with the same momentum, plus the same bookkeeping fit does (the loss as a float and the
number of correct predictions). Both start from the same weights.

How: each library runs in its own worker process (started once per library and thread count, with
``OMP_NUM_THREADS``/``OPENBLAS_NUM_THREADS`` set and ``torch.set_num_threads``), and each network
is first trained for one untimed epoch. The parent then asks the two workers for one timed epoch
each, ALTERNATELY (the order flips every round), pausing between them so that the other library's
idle threads stop spinning, and reports the median over the rounds. A busy machine slows both
alike. The table ends with the geometric mean of the ratios.

Peak memory: a fresh process (no torch) trains a CNN with 32 and 64 channels on 2,000 random
3x32x32 images for 3 epochs with nn.fit, and reports its peak resident set size (VmHWM),
interpreter and numpy included.

PyTorch is optional: without it, only relulab's times are shown.
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# name: (in_channels, image size, batch, layers, note). Layers: ("conv", out, k, padding),
# ("act", name), ("pool", k); a Flatten and a Linear to 10 classes end every network.
NETS = {
    "A": (1, 28, 64, [("conv", 16, 3, 0), ("act", "relu"), ("pool", 2), ("conv", 32, 3, 0), ("act", "relu"),
                      ("pool", 2)], "net A (digits-like)"),
    "B": (3, 32, 64, [("conv", 16, 3, 0), ("act", "relu"), ("pool", 2), ("conv", 32, 3, 0), ("act", "relu"),
                      ("pool", 2)], "net B (scenes-like)"),
    "C": (3, 32, 128, [("conv", 32, 3, 1), ("act", "relu"), ("pool", 2), ("conv", 64, 3, 1), ("act", "relu"),
                       ("pool", 2)], "padding 1, 64 ch"),
    "D": (1, 28, 32, [("conv", 16, 5, 0), ("act", "leaky"), ("pool", 2), ("conv", 32, 5, 0), ("act", "leaky"),
                      ("pool", 2)], "5x5, LeakyReLU"),
    "E": (3, 32, 64, [("conv", 16, 3, 1), ("act", "tanh"), ("conv", 16, 3, 1), ("act", "tanh"), ("pool", 2),
                      ("conv", 32, 3, 1), ("act", "tanh"), ("conv", 32, 3, 1), ("act", "tanh"), ("pool", 2)],
          "tanh, conv->conv"),
    "F": (3, 32, 128, [("conv", 32, 5, 0), ("act", "prelu"), ("pool", 2), ("conv", 64, 5, 0), ("act", "prelu"),
                       ("pool", 2)], "5x5, PReLU, 64 ch"),
    "G": (1, 28, 32, [("conv", 16, 3, 1), ("act", "sigmoid"), ("pool", 2), ("conv", 32, 3, 1), ("act", "sigmoid"),
                      ("pool", 2)], "sigmoid, padding 1"),
    "H": (3, 32, 32, [("conv", 32, 3, 0), ("act", "relu"), ("conv", 32, 3, 0), ("act", "relu"), ("pool", 2),
                      ("conv", 64, 3, 0), ("act", "relu"), ("pool", 2)], "ReLU conv->conv, 64 ch"),
    "I": (1, 28, 128, [("conv", 32, 5, 1), ("act", "relu"), ("pool", 2), ("conv", 64, 3, 1), ("act", "leaky"),
                       ("pool", 2)], "5x5 pad 1, 64 ch"),
}
QUICK = ["A", "C", "D", "E"]
CLASSES = 10
PAUSE = 0.3  # seconds between the two libraries: idle BLAS / OpenMP threads stop spinning


def head_features(in_channels, size, layers):
    c, h = in_channels, size
    for kind, *args in layers:
        if kind == "conv":
            c, k, p = args
            h = h + 2 * p - k + 1
        elif kind == "pool":
            h //= args[0]
    return c * h * h


def build(lib, in_channels, size, layers):
    """The network in relulab.nn (lib = relulab's nn) or torch.nn (lib = torch.nn)."""
    acts = {"relu": lib.ReLU, "leaky": lambda: lib.LeakyReLU(0.01), "prelu": lib.PReLU,
            "tanh": lib.Tanh, "sigmoid": lib.Sigmoid}
    out, c = [], in_channels
    for kind, *args in layers:
        if kind == "conv":
            out.append(lib.Conv2d(c, args[0], args[1], padding=args[2]))
            c = args[0]
        elif kind == "act":
            out.append(acts[args[0]]())
        else:
            out.append(lib.MaxPool2d(args[0]))
    out += [lib.Flatten(), lib.Linear(head_features(in_channels, size, layers), CLASSES)]
    return lib.Sequential(*out)


# --- the worker process ------------------------------------------------------------------------

def worker(lib_name, n_images):
    """Read commands on stdin ("setup NAME", "epoch"), answer on stdout."""
    import numpy as np

    sys.path.insert(0, ROOT)
    from relulab import nn

    torch = None
    if lib_name == "torch":
        import torch

        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    state = {}
    for line in sys.stdin:
        cmd, *rest = line.split()
        if cmd == "setup":
            in_channels, size, batch, layers, _ = NETS[rest[0]]
            rng = np.random.default_rng(0)
            X = rng.random((n_images, in_channels, size, size), dtype=np.float32)
            y = rng.integers(0, CLASSES, n_images)
            nn.manual_seed(0)
            model = build(nn, in_channels, size, layers)
            if torch is None:
                opt = nn.SGD(model.parameters(), lr=0.01, momentum=0.9)
                loss_fn = nn.CrossEntropyLoss()

                def epoch(model=model, opt=opt, loss_fn=loss_fn, X=X, y=y, batch=batch):
                    nn.fit(model, X, y, loss_fn, opt, num_epochs=1, batch_size=batch, progress=False)
            else:
                t_model = build(torch.nn, in_channels, size, layers)
                with torch.no_grad():
                    for p, q in zip(model.parameters(), t_model.parameters(), strict=True):
                        q.copy_(torch.from_numpy(p.data))
                t_opt = torch.optim.SGD(t_model.parameters(), lr=0.01, momentum=0.9)
                tX, ty = torch.from_numpy(X), torch.from_numpy(y)
                gen = torch.Generator().manual_seed(0)

                def epoch(model=t_model, opt=t_opt, X=tX, y=ty, batch=batch, gen=gen):
                    order = torch.randperm(len(X), generator=gen)
                    losses, correct = [], 0
                    for first in range(0, len(X), batch):
                        idx = order[first:first + batch]
                        xb, yb = X[idx], y[idx]
                        opt.zero_grad()
                        out = model(xb)
                        loss = torch.nn.functional.cross_entropy(out, yb)
                        loss.backward()
                        opt.step()
                        losses.append(loss.item())
                        correct += int((out.argmax(dim=1) == yb).sum())

            epoch()  # warm-up: allocations, BLAS and oneDNN kernels, thread pools
            state["epoch"] = epoch
            print("ready", flush=True)
        elif cmd == "epoch":
            start = time.perf_counter()
            state["epoch"]()
            print(time.perf_counter() - start, flush=True)
        elif cmd == "quit":
            return


class Worker:
    def __init__(self, lib_name, threads, n_images):
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
                   MKL_NUM_THREADS=str(threads))
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", lib_name, "--images", str(n_images)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"benchmark worker died while running {line!r}")
        return answer.strip()

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()


# --- peak memory -------------------------------------------------------------------------------

MEMORY_SCRIPT = """
import sys, numpy as np
sys.path.insert(0, {root!r})
from relulab import nn
assert "torch" not in sys.modules
nn.manual_seed(0)
rng = np.random.default_rng(0)
X = rng.random((2000, 3, 32, 32), dtype=np.float32)
y = rng.integers(0, 10, 2000)
model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 8 * 8, 10))
nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.01, momentum=0.9),
       num_epochs=3, batch_size={batch}, X_val=X[:500], y_val=y[:500], progress=False)
status = open("/proc/self/status").read().split("VmHWM:")[1]  # this process's own peak RSS
print(int(status.split()[0]) / 1024)
"""


def peak_memory_mb(batch):
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT.format(root=ROOT, batch=batch)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


# --- the table ---------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"only nets {','.join(QUICK)}, 3 rounds, 256 images")
    parser.add_argument("--only", help="comma-separated network names, e.g. A,C")
    parser.add_argument("--threads", default="2,1", help="thread counts to run, e.g. 2,1")
    parser.add_argument("--rounds", type=int, default=None, help="timed epochs per library (default 5; quick 3)")
    parser.add_argument("--images", type=int, default=None, help="images per epoch (default 512; quick 256)")
    parser.add_argument("--skip-memory", action="store_true", help="do not measure peak memory")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    n_images = args.images or (256 if args.quick else 512)
    if args.worker:
        return worker(args.worker, n_images)

    rounds = args.rounds or (3 if args.quick else 5)
    names = args.only.split(",") if args.only else (QUICK if args.quick else list(NETS))
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed: timing relulab alone (no comparison). "
              "Install torch to compare; this benchmark never downloads it.")
    import numpy as np

    libs = ["relulab"] + (["torch"] if torch else [])
    info = f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else "")
    print(f"One epoch of {n_images} random images through nn.fit vs the same PyTorch loop (SGD, momentum 0.9), "
          f"float32, CPU; {info}; {os.cpu_count()} CPUs")
    print(f"median of {rounds} alternating epochs per library, each library in its own process\n")
    header = f"{'net':<4}{'note':<24}{'batch':>6}{'threads':>8}{'relulab s':>11}"
    if torch:
        header += f"{'torch s':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    ratios = []
    for threads in [int(t) for t in args.threads.split(",")]:
        workers = {lib: Worker(lib, threads, n_images) for lib in libs}
        try:
            for name in names:
                for w in workers.values():
                    assert w.ask(f"setup {name}") == "ready"
                times = {lib: [] for lib in libs}
                for r in range(rounds):
                    for lib in (libs if r % 2 == 0 else libs[::-1]):
                        time.sleep(PAUSE)
                        times[lib].append(float(workers[lib].ask("epoch")))
                med = {lib: statistics.median(v) for lib, v in times.items()}
                _, _, batch, _, note = NETS[name]
                row = f"{name:<4}{note:<24}{batch:>6}{threads:>8}{med['relulab']:>11.3f}"
                if torch:
                    ratio = med["relulab"] / med["torch"]
                    ratios.append(ratio)
                    row += f"{med['torch']:>10.3f}{ratio:>8.2f}" + ("  > 1.2" if ratio > 1.2 else "")
                print(row, flush=True)
        finally:
            for w in workers.values():
                w.close()
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"\ngeometric mean of relulab/torch over {len(ratios)} rows: {geo:.2f}   "
              f"(rows over 1.2: {sum(r > 1.2 for r in ratios)})")
    if not args.skip_memory:
        mb = peak_memory_mb(batch=64)
        print(f"\nPeak memory, a 32- and 64-channel CNN trained on 2,000 3x32x32 images for 3 epochs (batch 64) "
              f"in a fresh process without torch (peak RSS, interpreter included): {mb:.0f} MB")


if __name__ == "__main__":
    main()
