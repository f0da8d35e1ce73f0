"""The course's experiments: plain functions, arrays and numbers in, arrays, numbers and dicts out.

Nothing here draws or shows anything (no matplotlib, ipywidgets or tqdm; import-linter checks it),
so every function runs in a script and is unit-tested on its own. Randomness comes from a ``seed``
or a numpy ``Generator`` argument; nothing reseeds the generator of :mod:`relulab.nn`.

- ``models``: the one activation registry (name -> layer) and the one MLP builder.
- ``detector`` (notebook 02): the redness detector on street scenes.
- ``edges`` (02): edge filters on the cat, through :func:`relulab.nn.functional.conv2d`.
- ``nonlinearity`` (03): stacked linear layers, the moons, ReLU hinges, training races, dead and
  saturated units after a too-large step.
- ``descent`` (03): gradient descent on one weight, and what the learning rate does.
- ``gradients`` (03): keeping detail, gradient and output size layer by layer (and the initialisation),
  what an activation costs.
- ``dying`` (04): sparsity, dead units, Leaky ReLU and PReLU.
- ``conv`` (05): convolution by hand, in loops and as one matrix product; output sizes; max pooling.
- ``cnn`` (06): a small CNN's shapes, parameters and feature maps; gradient checks; ReLU's gradient mask.
- ``training`` (07): the red-car detector: its hand-made first filter, training, feature maps, mistakes,
  sparsity, size (parameters, multiply-adds), saving and loading.
- ``showdown`` (08): the same small CNN with each activation on digits and faces; epochs and seconds to a
  training error; Krizhevsky et al.'s ReLU/tanh comparison in miniature.
- ``capstone`` (09): shifted digits and their held-out split, a linear baseline, small CNNs by design.
"""


def track(iterable, progress=None, desc: str = ""):
    """``iterable``, wrapped by ``progress`` if one is given (a function like ``tqdm.auto.tqdm``).

    Experiments that run for seconds take ``progress=None`` and pass it here; the notebook passes
    ``progress=tqdm``. So a progress bar is chosen on the screen's floor, never imported down here.
    """
    return iterable if progress is None else progress(iterable, desc=desc)
