"""How fast every widget of the course responds: value change -> redrawn figure, in milliseconds.

    python benchmarks/bench_widgets.py        (or: make bench)

Each widget is built once, then one of its controls is set 30 times, cycling through values that
each change something. A time covers the pure function, the artist updates and rendering the PNG
that the browser shows. Target: a median under 150 ms. This prints a table for a person to read;
it asserts nothing (timings belong in benchmarks, not in tests).
"""

from __future__ import annotations

import platform
import statistics
import time

import matplotlib
import numpy as np

REPEATS = 30
TARGET_MS = 150


def time_updates(explorer, name, values, repeats=REPEATS):
    """Set ``explorer.controls[name]`` to each value in turn; return the times in ms."""
    control = explorer.controls[name]
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        control.value = values[i % len(values)]
        times.append((time.perf_counter() - start) * 1000)
    return times


def cases():
    """(notebook, widget, control, factory, values) for every widget of the course."""
    from relulab import dying, edges, gradients, nonlinearity, scenes, widgets

    profiles = gradients.gradient_profiles()  # computed once, as the notebook does
    grid = dying.dying_grid()
    return [
        ("00", "first_slider", "score", widgets.first_slider, [4.0, -6.5, 9.0, 0.0, -2.0]),
        ("01", "relu_explorer", "x", widgets.relu_explorer, [1.5, -2.0, 3.0, 0.0, -3.9]),
        ("02", "red_car_explorer", "bias", scenes.red_car_explorer, [-0.3, -0.2, -0.1, 0.0, 0.1]),
        ("02", "red_car_explorer", "scene", scenes.red_car_explorer, list(scenes.SCENES)),
        ("02", "cat_explorer", "bias", edges.cat_explorer, [-0.1, -0.05, 0.0, 0.05]),
        ("02", "cat_explorer", "kernel", edges.cat_explorer, [*edges.KERNEL_NAMES[1:], edges.KERNEL_NAMES[0]]),
        ("03", "hinge_explorer", "n", nonlinearity.hinge_explorer, [0, 5, 12, 20, 30, 7]),
        ("03", "detail_explorer", "b", gradients.detail_explorer, [8.0, -3.0, 5.5, 11.0, 0.0]),
        ("03", "gradient_explorer", "depth", lambda: gradients.gradient_explorer(profiles=profiles),
         [2, 10, 30, 17, 5, 25]),
        ("04", "dying_explorer", "lr", lambda: dying.dying_explorer(grid), list(dying.LEARNING_RATES)),
        ("04", "dying_explorer", "bias_init", lambda: dying.dying_explorer(grid), list(dying.BIASES)),
        ("04", "leaky_explorer", "alpha", dying.leaky_explorer, [0.0, 0.05, 0.1, 0.3, 0.6, 1.0]),
    ]


def main():
    print(f"Widget update times on {platform.machine()} ({platform.processor() or 'cpu'}), "
          f"numpy {np.__version__}, matplotlib {matplotlib.__version__}; {REPEATS} updates each.")
    print(f"{'nb':<3} {'widget':<28} {'control':<12} {'median ms':>10} {'max ms':>8}  target <{TARGET_MS} ms")
    for notebook, label, control, factory, values in cases():
        times = time_updates(factory(), control, values)
        median = statistics.median(times)
        verdict = "ok" if median < TARGET_MS else "SLOW"
        print(f"{notebook:<3} {label:<28} {control:<12} {median:>10.1f} {max(times):>8.1f}  {verdict}")


if __name__ == "__main__":
    main()
