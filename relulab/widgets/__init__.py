"""The interactive explorers of the notebooks, one module per notebook, over :mod:`relulab.widgets.core`.

- ``core``: ``Explorer``, ``slider``, ``LiveFigure`` (the machinery every explorer shares).
- ``welcome`` (00): ``first_slider``.
- ``rule`` (01): ``relu_explorer``.
- ``filter`` (02): ``red_car_explorer``, ``cat_explorer``.
- ``why`` (03): ``descent_explorer``, ``hinge_explorer``, ``detail_explorer``, ``gradient_explorer``.
- ``dying`` (04): ``dying_explorer``, ``leaky_explorer``.
- ``conv`` (05): ``kernel_explorer``, ``stride_padding_explorer``.
- ``cnn`` (06): ``shape_tracer_explorer``, ``relu_gradient_explorer``.
- ``training`` (07): ``TrainingPlot`` (a live loss and accuracy plot), ``feature_map_explorer``.
- ``showdown`` (08): ``replay_explorer``, ``grad_norm_explorer``.

Every explorer is importable from here: ``from relulab.widgets import relu_explorer``. Each one wires a
pure function (from :mod:`relulab.experiments` or the module itself, e.g. ``relu_point``) to controls;
the course map (:data:`relulab.course.CHAPTERS`) lists which notebook shows which explorer.
"""

from .cnn import relu_gradient_explorer, shape_tracer_explorer
from .conv import kernel_explorer, stride_padding_explorer
from .core import Explorer, LiveFigure, Still, format_number, slider
from .dying import dying_explorer, dying_view, leaky_explorer, leaky_view
from .filter import cat_explorer, red_car_explorer
from .rule import relu_explorer, relu_point
from .showdown import grad_norm_explorer, replay_explorer
from .training import TrainingPlot, feature_map_explorer
from .welcome import first_slider, kept_by_relu
from .why import descent_explorer, detail_explorer, gradient_explorer, hinge_explorer

__all__ = [
    "Explorer", "LiveFigure", "Still", "cat_explorer", "descent_explorer", "detail_explorer", "dying_explorer",
    "dying_view", "first_slider",
    "format_number", "gradient_explorer", "hinge_explorer", "kept_by_relu", "leaky_explorer", "leaky_view",
    "red_car_explorer", "relu_explorer", "relu_point", "slider",
    "kernel_explorer", "stride_padding_explorer",
    "shape_tracer_explorer", "relu_gradient_explorer",
    "TrainingPlot", "feature_map_explorer",
    "replay_explorer", "grad_norm_explorer",
]
