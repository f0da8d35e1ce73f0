"""relulab: the small package behind the course "ReLU, from max(0, x) to CNNs".

One file per idea, each readable on its own:

- ``activations``: ReLU and its relatives as plain numpy functions, with derivatives.
- ``checks``: the exercises' checks (instant feedback for a learner, asserts for a grader).
- ``environment``: the welcome notebook's check that everything is installed.
- ``course``: the course map (notebooks, what they teach, how long they take).
- ``figures``: the colour palette and a figure that a widget can redraw in place.
- ``widgets``: the interactive explorers the notebooks show, each over a pure function.
- ``nn``: a from-scratch numpy engine for the CNN notebooks.

Nothing heavy is imported here: ``import relulab`` is instant and needs only numpy.
"""

__version__ = "0.1.0"
