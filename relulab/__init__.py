"""relulab: the small package behind the course "ReLU, from max(0, x) to CNNs".

One file per idea, each readable on its own, stacked in floors. A module imports only from the
floors below its own (import-linter checks this in ``make test``), so the screen sits on top:

- ``widgets``: the interactive explorers, one module per notebook, over ``widgets.core``
  (``Explorer``, ``slider``, ``LiveFigure``).
- ``plots``: colours (one per activation), ``tidy``, figure text, and the still figures.
- ``experiments``: plain functions, arrays and numbers in and out, no screen: ``models`` (the
  activation registry and the MLP builder), ``detector``, ``edges``, ``nonlinearity``, ``descent``,
  ``gradients``, ``dying``.
- ``data`` (street scenes, the cat, digits, moons), ``nn`` (a from-scratch numpy CNN engine) and
  ``activations`` (ReLU and its relatives as numpy functions, with their slopes): the ground floor,
  which imports no matplotlib, ipywidgets or tqdm.

Beside the floors: ``checks`` (the exercises' checks: instant feedback for a learner, asserts for a
grader), ``course`` (the course map, which drives the README's table and each notebook's "Next" link)
and ``environment`` (the welcome notebook's check that everything is installed, and ``require``).

Nothing heavy is imported here: ``import relulab`` is instant and needs only numpy.
"""

__version__ = "0.1.0"
