"""Activation layers: ``Activation``, ``ReLU``, ``LeakyReLU``, ``ELU``, ``Softmax``, listed in
(chapter 2, "Summary"): the layer forms of the functions of
(chapter 2, "The activations and their derivatives").

``Dense(4, activation="relu")`` and ``Dense(4)`` followed by ``ReLU()`` compute the same thing;
the separate layer is handy when the activation has parameters (``LeakyReLU(negative_slope=0.1)``,
``Softmax(axis=1)``) or to look at pre-activations. These layers have no weights, accept inputs of
any shape, and backpropagate with the activation's ``backward(x, y, grad)`` rule.

As in Keras, a ``Softmax`` or sigmoid layer at the end of a model is folded into a following
cross-entropy loss: ``fit`` computes the loss from the layer's input (the logits), which is exact
and stable. The layer offers ``preactivation`` and ``backward_preactivation`` for that, as ``Dense``
does.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import activations as activations_module
from .base import Layer, Shape


class Activation(Layer):
    """Applies an activation function, ``keras.layers.Activation`` (chapter 2, "Summary").

    Args:
        activation: a name (``"relu"``, ``"softmax"``, …), an nnlib activation function or an
            :class:`nnlib.activations.Activation`.
    """

    def __init__(self, activation: Any, name: str | None = None, dtype: object | None = None,
                 trainable: bool = True) -> None:
        super().__init__(name=name, dtype=dtype, trainable=trainable)
        self.activation = activations_module.get(activation)

    def check_input(self, x: np.ndarray) -> None:
        """Any shape is fine: an activation has no weights that fix the input width."""

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """``activation(x)``; caches the input and output for ``backward``."""
        y = self.activation.forward(x)
        self.cache = (x, y)
        return y

    @property
    def preactivation(self) -> np.ndarray:
        """The input of the last forward pass (the logits, for a softmax or sigmoid output)."""
        if self.cache is None:
            raise RuntimeError(f"Layer {self.name!r}: no forward pass yet")
        return self.cache[0]

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """``dL/dx = activation.backward(x, y, dL/dy)``; ``None`` when ``input_grad`` is False."""
        if self.cache is None:
            raise RuntimeError(f"Layer {self.name!r}: backward() called before forward()")
        if not input_grad:
            return None
        x, y = self.cache
        return self.activation.backward(x, y, grad)

    def backward_preactivation(self, grad_z: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Given the gradient with respect to the logits (a folded loss), pass it on unchanged."""
        return grad_z if input_grad else None

    def logits_activation(self) -> str | None:
        """The activation's name; ``fit`` folds a final softmax or sigmoid into a cross-entropy."""
        return self.activation.name

    def get_config(self) -> dict:
        """The base config plus the activation's registered name."""
        return {**super().get_config(),
                "activation": activations_module.serialize(self.activation)}


class ReLU(Activation):
    """``max(x, 0)`` as a layer, ``keras.layers.ReLU`` (chapter 2, "Summary"); the function and
    its derivative: (chapter 2, "The activations and their derivatives").

    Args:
        max_value: caps the output (``6`` gives ReLU6); ``None`` for no cap.
        negative_slope: slope below ``threshold`` (0 is the plain ReLU).
        threshold: inputs at or below it are "off".
    """

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0,
                 threshold: float = 0.0, name: str | None = None, dtype: object | None = None,
                 trainable: bool = True) -> None:
        if max_value is not None and max_value < 0:
            raise ValueError(f"max_value of a ReLU layer cannot be negative, got {max_value}")
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"negative_slope of a ReLU layer must be >= 0, got {negative_slope}")
        if threshold is None or threshold < 0:
            raise ValueError(f"threshold of a ReLU layer must be >= 0, got {threshold}")
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope = float(negative_slope)
        self.threshold = float(threshold)
        params: dict[str, float] = {} if self.max_value is None else {"max_value": self.max_value}
        params.update({k: v for k, v in (("negative_slope", self.negative_slope),
                                         ("threshold", self.threshold)) if v})
        super().__init__(activations_module.configure("relu", **params), name=name, dtype=dtype,
                         trainable=trainable)

    def get_config(self) -> dict:
        """The config with ``max_value``, ``negative_slope``, ``threshold``, no ``activation``."""
        config = {**super().get_config(), "max_value": self.max_value,
                  "negative_slope": self.negative_slope, "threshold": self.threshold}
        del config["activation"]
        return config


class LeakyReLU(Activation):
    """Leaky ReLU as a layer, ``keras.layers.LeakyReLU`` (chapter 2, "Summary"); the function and
    its derivative: (chapter 2, "The activations and their derivatives").

    Note the Keras defaults: the layer's ``negative_slope`` is 0.3, the function
    ``activations.leaky_relu``'s is 0.2.
    """

    def __init__(self, negative_slope: float = 0.3, name: str | None = None,
                 dtype: object | None = None, trainable: bool = True) -> None:
        if negative_slope is None or negative_slope < 0:
            raise ValueError(f"negative_slope of a LeakyReLU layer must be >= 0, got {negative_slope}")
        self.negative_slope = float(negative_slope)
        super().__init__(activations_module.configure("leaky_relu",
                                                      negative_slope=self.negative_slope),
                         name=name, dtype=dtype, trainable=trainable)

    def get_config(self) -> dict:
        """The config with ``negative_slope`` in place of ``activation``."""
        config = {**super().get_config(), "negative_slope": self.negative_slope}
        del config["activation"]
        return config


class ELU(Activation):
    """Exponential linear unit as a layer, ``keras.layers.ELU`` (chapter 2, "Summary"); the
    function and its derivative: (chapter 2, "The activations and their derivatives")."""

    def __init__(self, alpha: float = 1.0, name: str | None = None, dtype: object | None = None,
                 trainable: bool = True) -> None:
        self.alpha = float(alpha)
        super().__init__(activations_module.configure("elu", alpha=self.alpha), name=name,
                         dtype=dtype, trainable=trainable)

    def get_config(self) -> dict:
        """The config with ``alpha`` in place of ``activation``."""
        config = {**super().get_config(), "alpha": self.alpha}
        del config["activation"]
        return config


class Softmax(Activation):
    """Softmax along ``axis`` as a layer, ``keras.layers.Softmax`` (chapter 2, "Summary"); the
    softmax output: (chapter 2, "Which activation on the output").

    Args:
        axis: the axis (or tuple of axes) whose entries sum to 1; the last one by default.
    """

    def __init__(self, axis: int | tuple[int, ...] = -1, name: str | None = None,
                 dtype: object | None = None, trainable: bool = True) -> None:
        if isinstance(axis, list):
            axis = tuple(axis)
        if not isinstance(axis, (int, np.integer, tuple)) or isinstance(axis, bool) or (
                isinstance(axis, tuple) and not all(isinstance(a, (int, np.integer)) for a in axis)):
            raise TypeError(f"Softmax axis must be an int or a tuple of ints, got {axis!r}")
        self.axis = axis if isinstance(axis, tuple) else int(axis)
        super().__init__(activations_module.configure("softmax", axis=self.axis), name=name,
                         dtype=dtype, trainable=trainable)

    def build(self, input_shape: Shape) -> None:
        """Check that ``axis`` exists for inputs of ``input_shape``."""
        activations_module.normalize_axes(self.axis, len(input_shape), f"Softmax layer {self.name!r}")
        super().build(input_shape)

    def logits_activation(self) -> str | None:
        """``"softmax"`` only for a softmax over the last axis, the one a cross-entropy takes its
        softmax over; a softmax over another axis must not be folded into the loss."""
        ndim = len(self.input_shape) if self.input_shape is not None else None
        if ndim is None:
            over_last = self.axis in (-1, (-1,))
        else:
            over_last = activations_module.normalize_axes(self.axis, ndim, "Softmax") == (ndim - 1,)
        return "softmax" if over_last else None

    def get_config(self) -> dict:
        """The config with ``axis`` in place of ``activation``."""
        config = {**super().get_config(), "axis": self.axis}
        del config["activation"]
        return config
