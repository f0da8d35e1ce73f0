"""The course map: every notebook, what it shows, about how long it takes, and its explorers.

``CHAPTERS`` is the one list that the rest follows: the welcome notebook shows it as a table, the
README's table of notebooks is :func:`readme_table` (a test compares them), every notebook ends with a
"**Next:**" bridge to :func:`next_chapter` (a test checks the link), and the widget benchmark times
every explorer listed here. Unit tests also check it against the files in ``notebooks/``, so that
the map never promises a notebook that is not there, or hides one that is.
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    number: int
    file: str
    title: str
    minutes: int
    shows: str
    ready: bool
    explorers: tuple[str, ...] = ()
    """Names of the explorers (in :mod:`relulab.widgets`) that the notebook shows, in order."""

    @property
    def heading(self) -> str:
        """How notebooks and links name the chapter: ``"03 · Why ReLU"``."""
        return f"{self.number:02d} · {self.title}"

    @property
    def link(self) -> str:
        """A markdown link to the notebook, relative to ``notebooks/``: ``"[03 · Why ReLU](03_why_relu.ipynb)"``."""
        return f"[{self.heading}]({self.file})"


CHAPTERS = [
    Chapter(0, "00_welcome.ipynb", "Welcome", 15,
            "running cells, moving widgets, checking your setup", True, ("first_slider",)),
    Chapter(1, "01_the_relu_rule.ipynb", "The rule", 30,
            "max(0, x), its graph, its slope, numpy arrays; you write relu", True, ("relu_explorer",)),
    Chapter(2, "02_relu_as_a_filter.ipynb", "ReLU as a filter", 30,
            "the red-car scores, a redness detector on street scenes, the cat's ears", True,
            ("red_car_explorer", "cat_explorer")),
    Chapter(3, "03_why_relu.ipynb", "Why ReLU", 50,
            "non-linearity, how training works, keeping detail, vanishing gradients, cost", True,
            ("descent_explorer", "hinge_explorer", "detail_explorer", "gradient_explorer")),
    Chapter(4, "04_sparsity_and_dying_relu.ipynb", "Sparsity, dying ReLU and its fixes", 40,
            "zeros in activations, dead units, Leaky ReLU and PReLU", True,
            ("dying_explorer", "leaky_explorer")),
    Chapter(5, "05_convolutions.ipynb", "Convolutions and feature maps", 40,
            "a convolution by hand, in loops, as one matrix product; a kernel editor; pooling, stride, padding",
            True, ("kernel_explorer", "stride_padding_explorer")),
    Chapter(6, "06_build_a_cnn.ipynb", "Build a CNN", 45,
            "forward and backward passes, backprop through ReLU, gradient checks", True,
            ("shape_tracer_explorer", "relu_gradient_explorer")),
    Chapter(7, "07_train_a_cnn.ipynb", "Train a CNN", 40,
            "a red-car detector trained on generated street scenes, from a hand-made filter to learned ones; "
            "you design one within a budget", True, ("feature_map_explorer",)),
    Chapter(8, "08_activation_showdown.ipynb", "Activation showdown", 45,
            "ReLU, Leaky ReLU, PReLU, sigmoid and tanh on digits and faces", True,
            ("replay_explorer", "grad_norm_explorer")),
    Chapter(9, "09_capstone.ipynb", "Capstone", 90,
            "design and train your own small CNN to a stated accuracy on held-out digits; explain a figure", True),
]


class CourseMap:
    """The table of chapters, as text or HTML."""

    def __init__(self, chapters=CHAPTERS):
        self.chapters = list(chapters)

    def __repr__(self) -> str:
        lines = [f"{c.number:02d}  {c.title:<36} {c.minutes:>3} min  {'' if c.ready else '(coming soon)'}".rstrip()
                 for c in self.chapters]
        total = sum(c.minutes for c in self.chapters)
        return "\n".join(lines + [f"about {total // 60} h {total % 60:02d} min in all"])

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{c.number:02d}</td><td>{html.escape(c.title)}</td><td>{html.escape(c.shows)}</td>"
            f"<td>{c.minutes} min</td><td>{'ready' if c.ready else 'coming soon'}</td></tr>"
            for c in self.chapters)
        total = sum(c.minutes for c in self.chapters)
        return ("<table><tr><th>#</th><th>notebook</th><th>what you will see and do</th><th>time</th>"
                f"<th></th></tr>{rows}</table><p>About {total // 60} h {total % 60:02d} min in all.</p>")


def course_map() -> CourseMap:
    """The course map, ready to show in a notebook."""
    return CourseMap()


def chapter(number: int) -> Chapter:
    """The chapter with this number (0 is the welcome notebook)."""
    for c in CHAPTERS:
        if c.number == number:
            return c
    raise ValueError(f"there is no chapter {number}; the course has chapters 0 to {CHAPTERS[-1].number}")


def next_chapter(number: int) -> Chapter | None:
    """The chapter after ``number`` (the one its "**Next:**" bridge leads to), or None after the last."""
    later = [c for c in CHAPTERS if c.number > number]
    return later[0] if later else None


def readme_table() -> str:
    """The README's table of notebooks, as markdown (ready chapters link to their notebook)."""
    rows = ["| # | notebook | what you see and do | time |", "|---|---|---|---|"]
    for c in CHAPTERS:
        name = f"[{c.title}](notebooks/{c.file})" if c.ready else f"{c.title} (coming soon)"
        rows.append(f"| {c.number:02d} | {name} | {c.shows} | {c.minutes} min |")
    return "\n".join(rows)
