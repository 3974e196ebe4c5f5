"""nnlib — the small numpy neural-network library of the course *Neural Networks in Python*.

It speaks Keras: ``Sequential``, ``layers.Dense(units, activation=...)``, ``compile``/``fit``/
``evaluate``/``predict``, ``optimizers.Adam``, the same loss and metric names, and the same weight
layout in ``get_weights()``/``set_weights()``, so every nnlib model can be checked against its Keras
twin by copying weights. Chapter 1 introduces ``Sequential`` and ``Dense``
(chapter 1, "The same network in nnlib and in Keras").
"""
from . import activations, backend, callbacks, course, initializers, layers, losses, metrics
from . import diagnostics, gradcheck, levenberg_marquardt, numerics, optimizers, regularizers
from . import training, utils, variables
from .layers import Input
from .models import Sequential
from .variables import Variable

__version__ = "0.1.0"
__all__ = ["Sequential", "Input", "Variable", "activations", "backend", "callbacks", "course",
           "initializers", "layers", "losses", "metrics", "numerics", "optimizers", "training",
           "utils", "variables", "diagnostics", "gradcheck", "levenberg_marquardt", "regularizers"]
