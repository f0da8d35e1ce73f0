"""Exercise checks: instant feedback for a learner, the same verdict for a grader.

``check.NAME()`` finds the learner's answer in the notebook and returns a :class:`Feedback` (it never
raises); ``check.NAME(answer)`` takes it as an argument. ``.assert_passed()`` turns the verdict into an
autograded test; ``grade("NAME")``, what the coursework's hidden tests call, gives the same verdict from
checks captured before any learner's cell ran. ``peek("NAME")`` shows the reference solution folded
away. The mechanism is in ``core``, the rules every function answer must follow in ``contract``; each
other module holds one notebook's exercises, and importing it (below) registers them.

- ``rule``: 00 ``warm_up``; 01 ``relu``, ``relu_predictions``.
- ``filter``: 02 ``filter_and_decide``, ``blue_car_detector``, ``false_alarm_evidence``.
- ``why``: 03 ``relu_derivative``, ``sigmoid_derivative``, ``fewest_hinges``, ``sigmoid_shrink``.
- ``dying``: 04 ``count_dead``, ``leaky_relu_forward``, ``leaky_relu_backward``, ``prelu_slope_grad``, ``dead_units``.
- ``conv``: 05 ``conv2d``, ``stack_sizes``, ``window_count``.
- ``cnn``: 06 ``conv_parameters``, ``relu_backward``, ``max_pool_backward``, ``conv_weight_grad``, ``gradient_share``.
- ``training``: 07 ``design_network``.
- ``showdown``: 08 ``epochs_to_error``, ``replay_epochs``.
- ``capstone``: 09 ``capstone`` (held-out accuracy by levels: partial credit).
"""

from . import capstone, cnn, conv, dying, rule, showdown, training, why
from . import filter as _filter
from .core import EXERCISES, Exercise, Feedback, check, describe_error, exercise, peek, seal

del _filter  # imported for its registrations; the name would hide the builtin ``filter``
grade = seal()  # after every registration above, before any learner's cell can run

__all__ = ["EXERCISES", "Exercise", "Feedback", "capstone", "check", "cnn", "conv", "describe_error", "dying",
           "exercise", "grade", "peek", "rule", "showdown", "training", "why"]
