"""nnlib — the small numpy neural-network library of the course *Neural Networks in Python*.

It speaks Keras: ``Sequential``, ``layers.Dense(units, activation=...)``, ``compile``/``fit``/
``evaluate``/``predict``, ``optimizers.Adam``, the same loss and metric names, and the same weight
layout in ``get_weights()``/``set_weights()``, so every nnlib model can be checked against its Keras
twin by copying weights. Chapter 1 introduces ``Sequential`` and ``Dense``.
"""
from . import activations, backend, callbacks, initializers, layers, losses, metrics, optimizers, utils
from . import diagnostics, gradcheck, levenberg_marquardt, regularizers
from .layers import Input
from .models import Sequential

__version__ = "0.1.0"
__all__ = ["Sequential", "Input", "activations", "backend", "callbacks", "initializers", "layers",
           "losses", "metrics", "optimizers", "utils", "diagnostics", "gradcheck",
           "levenberg_marquardt", "regularizers"]
