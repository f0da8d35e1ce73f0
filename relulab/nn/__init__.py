"""relulab.nn: a small convolutional-network engine in numpy, with PyTorch's names.

Every layer has ``forward(x)`` (or ``layer(x)``), ``backward(dout) -> dx`` and
``parameters()``; arrays are float32 and images are shaped (N, C, H, W).

    from relulab import nn
    nn.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(16 * 13 * 13, 10))
    history = nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.05))

One file per idea: ``activations`` (ReLU and friends), ``layers`` (Linear,
Flatten), ``conv`` (Conv2d, MaxPool2d, the loop reference), ``container``
(Sequential), ``losses``, ``optim``, ``train`` (fit), ``parallel`` (both cores), ``introspect`` (looking
inside), ``gradcheck`` (numerical gradients), ``init`` (weight initialisation).
"""

from . import init
from ._config import default_rng, float64_mode, get_dtype, manual_seed
from .activations import Activation, LeakyReLU, PReLU, ReLU, Sigmoid, Tanh
from .container import Sequential
from .conv import Conv2d, MaxPool2d, conv2d_loops
from .errors import InputError, ShapeError
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .introspect import dead_units, fraction_zeros, grad_norms, layer_outputs, named_layers
from .layers import Flatten, Linear
from .losses import CrossEntropyLoss, MSELoss
from .module import Module
from .optim import SGD, Adam, Optimizer
from .parallel import DataParallel, available_workers
from .parameter import Parameter
from .train import Event, History, accuracy, fit, predict

__all__ = [
    "Activation", "Adam", "Conv2d", "CrossEntropyLoss", "DataParallel", "Event", "Flatten", "History",
    "InputError", "LeakyReLU", "Linear", "MSELoss", "MaxPool2d", "Module", "Optimizer",
    "PReLU", "Parameter", "ReLU", "SGD", "Sequential", "ShapeError", "Sigmoid", "Tanh",
    "accuracy", "available_workers", "conv2d_loops", "dead_units", "default_rng", "float64_mode", "fit",
    "fraction_zeros", "get_dtype", "grad_norms", "gradcheck", "init", "layer_outputs",
    "manual_seed", "named_layers", "numerical_gradient", "predict", "relative_error",
]
