"""relulab.nn: a small convolutional-network engine in numpy, with PyTorch's names.

Every layer has ``forward(x)`` (or ``layer(x)``), ``backward(dout) -> dx`` and
``parameters()``; arrays are float32 and images are shaped (N, C, H, W).

    from relulab import nn
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(16 * 13 * 13, 10))
    history = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.05))
    model.save("model.npz")            # later: model.load("model.npz")

One file per idea. To read: ``reference`` (every layer as a forward/backward pair of plain
functions, convolution and pooling as loops), ``activations`` (ReLU and friends), ``layers``
(Linear, Flatten), ``conv`` (Conv2d, MaxPool2d), ``container`` (Sequential), ``losses``,
``optim``, ``train`` (fit), ``module`` (the base class: parameters, saving), ``introspect``
(looking inside), ``gradcheck`` (numerical gradients), ``init`` (weight initialisation),
``functional`` (the course's one convolution, im2col). For speed: ``fast`` (``nn.compile``,
which ``fit`` uses). Importing it loads numpy only.
"""

from . import functional, init, reference
from ._config import default_rng, float64_mode, get_dtype, manual_seed
from .activations import Activation, LeakyReLU, PReLU, ReLU, Sigmoid, Tanh
from .container import Sequential
from .conv import Conv2d, MaxPool2d
from .errors import ForwardFirstError, InputError, NonFiniteError
from .fast import CompiledModel, compile
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .introspect import dead_units, fraction_zeros, grad_norms, layer_outputs, named_layers
from .layers import Flatten, Linear
from .losses import CrossEntropyLoss, MSELoss
from .module import Module
from .optim import SGD, Adam, Optimizer
from .parameter import Parameter
from .train import Event, History, accuracy, fit, predict

__all__ = [
    "Activation", "Adam", "CompiledModel", "Conv2d", "CrossEntropyLoss", "Event", "Flatten",
    "ForwardFirstError", "History", "InputError", "LeakyReLU", "Linear", "MSELoss", "MaxPool2d", "Module",
    "NonFiniteError", "Optimizer", "PReLU", "Parameter", "ReLU", "SGD", "Sequential", "Sigmoid", "Tanh",
    "accuracy", "compile", "dead_units", "default_rng", "float64_mode", "fit", "fraction_zeros",
    "functional", "get_dtype", "grad_norms", "gradcheck", "init", "layer_outputs", "manual_seed",
    "named_layers", "numerical_gradient", "predict", "reference", "relative_error",
]
