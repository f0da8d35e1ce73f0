"""How fast every widget of the course responds: value change -> redrawn figure, in milliseconds.

    python benchmarks/bench_widgets.py        (or: make bench)

Every explorer that the course map (relulab.course.CHAPTERS) lists is built once, then each of its
controls is set 30 times, cycling through values that each change something. A time covers the pure
function, the artist updates and rendering the PNG that the browser shows. Target: a median under
150 ms. This prints a table for a person to read; it asserts nothing (timings belong in benchmarks, not in tests).
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


def control_values(control):
    """Values that each change something: every option of a choice, or seven points across a slider."""
    options = getattr(control, "options", None)
    if options is not None:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
    elif isinstance(control.value, str):  # a text box that takes a number (05's kernel editor)
        values = ["2", "-1", "0.5", "0"]
    else:
        values = list(np.linspace(control.min, control.max, 7))
        if isinstance(control.value, int):
            values = sorted({int(round(v)) for v in values})
    # Start away from the current value, so the first update changes something too.
    return [v for v in values if v != control.value] + [control.value]


def cases():
    """(notebook, widget, control, explorer, values) for every explorer the course map lists."""
    from relulab import widgets
    from relulab.course import CHAPTERS

    for chapter in CHAPTERS:
        for name in chapter.explorers:
            explorer = getattr(widgets, name)()  # built once (the slow ones precompute their runs here)
            for control_name, control in explorer.controls.items():
                yield f"{chapter.number:02d}", name, control_name, explorer, control_values(control)


def main():
    print(f"Widget update times on {platform.machine()} ({platform.processor() or 'cpu'}), "
          f"numpy {np.__version__}, matplotlib {matplotlib.__version__}; {REPEATS} updates each.")
    print(f"{'nb':<3} {'widget':<28} {'control':<15} {'median ms':>10} {'max ms':>8}  target <{TARGET_MS} ms")
    for notebook, label, control, explorer, values in cases():
        times = time_updates(explorer, control, values)
        median = statistics.median(times)
        verdict = "ok" if median < TARGET_MS else "SLOW"
        print(f"{notebook:<3} {label:<28} {control:<15} {median:>10.1f} {max(times):>8.1f}  {verdict}")


if __name__ == "__main__":
    main()
