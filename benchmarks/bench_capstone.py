"""How long the capstone's reference solution trains, and what it and a linear model reach on held-out digits.

    python benchmarks/bench_capstone.py [--repeats 3]

The acceptance for notebook 09 asks that the reference solution reach the top level in under 60 s on two
cores. This runs the registered solution (the cell a learner would write, without its progress bar) and,
in the same run for comparison, the linear baseline of the notebook; it prints seconds, held-out accuracy
and points, and the machine's load. It asserts nothing (timings belong in benchmarks, not in tests).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from relulab import nn
from relulab.checks import EXERCISES
from relulab.checks.capstone import LEVELS, POINTS, levels_reached
from relulab.experiments import capstone

LINEAR = """
model = capstone.linear_model(seed=0)
history = nn.fit(model, X_train, y_train, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1, momentum=0.9),
                 num_epochs=40, X_val=X_val, y_val=y_val, rng=np.random.default_rng(0), progress=False)
"""


def run(source: str) -> tuple[float, float]:
    """Execute a solution cell as the notebook would; -> (seconds, held-out accuracy)."""
    X_train, y_train, X_val, y_val = capstone.shifted_digits()
    namespace = {"np": np, "nn": nn, "capstone": capstone, "tqdm": False, "X_train": X_train, "y_train": y_train,
                 "X_val": X_val, "y_val": y_val, "print": lambda *a, **k: None}
    started = time.perf_counter()
    exec(source, namespace)
    return time.perf_counter() - started, capstone.held_out_accuracy(namespace["model"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    solution = EXERCISES["capstone"].solution.replace("progress=True", "progress=False")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; levels {[f'{t:.0%}' for t, _ in LEVELS]}")
    print(f"{'model':<22}{'seconds (median)':>18}{'held-out accuracy':>20}{'points':>10}")
    for label, source in [("linear baseline", LINEAR), ("reference solution", solution)]:
        runs = [run(source) for _ in range(args.repeats)]
        seconds = statistics.median(s for s, _ in runs)
        accuracy = runs[-1][1]  # the same seed every time: the same model (up to float rounding)
        print(f"{label:<22}{seconds:>18.1f}{accuracy:>20.1%}{f'{levels_reached(accuracy)[1]:g}/{POINTS}':>10}")


if __name__ == "__main__":
    main()
