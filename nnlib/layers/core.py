"""``Dense`` and ``InputLayer`` (chapter 1, "From neurons to layers").

A dense layer computes ``y = f(x W + b)`` for a whole batch at once: ``x`` is ``(batch, in)``,
the kernel ``W`` is ``(in, units)`` and the bias ``b`` is ``(units,)``, broadcast over the batch —
the same layout as ``keras.layers.Dense``, so weights copy across unchanged.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

from .. import activations as activations_module
from .. import initializers
from .. import regularizers as regularizers_module
from .._checks import check_positive_int
from ..variables import Variable
from .base import Layer, Shape


class Dense(Layer):
    """Fully connected layer ``activation(x @ kernel + bias)``, Keras' ``Dense``
    (chapter 1, "The matrix form").

    Args:
        units: number of neurons, the width of the output.
        activation: ``None``/"linear", "relu", "sigmoid", "tanh", "softmax", …
            (chapter 2, "The activations and their derivatives").
        use_bias: add a bias vector ``(units,)``.
        kernel_initializer: Keras name or initializer; Glorot-uniform by default.
        bias_initializer: zeros by default.
        kernel_regularizer, bias_regularizer: ``None``, "l1", "l2" or a
            ``nnlib.regularizers`` penalty added to the loss
            (chapter 4, "Four fixes, side by side").
    """

    def __init__(self, units: int, activation: object = None, use_bias: bool = True,
                 kernel_initializer: str | initializers.Initializer = "glorot_uniform",
                 bias_initializer: str | initializers.Initializer = "zeros",
                 kernel_regularizer: str | regularizers_module.Regularizer | None = None,
                 bias_regularizer: str | regularizers_module.Regularizer | None = None,
                 name: str | None = None, dtype: object | None = None, trainable: bool = True):
        super().__init__(name=name, dtype=dtype, trainable=trainable)
        self.units = check_positive_int(units, "Dense units")
        self.activation = activations_module.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers_module.get(kernel_regularizer)
        self.bias_regularizer = regularizers_module.get(bias_regularizer)
        self.kernel: Variable | None = None  # created by build: (inputs, units)
        self.bias: Variable | None = None    # (units,), or None with use_bias=False

    def build(self, input_shape: Shape) -> None:
        """Create the kernel ``(input_shape[-1], units)`` and the bias ``(units,)``."""
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                f"Dense layer {self.name!r} needs inputs of shape (batch, features), "
                f"got shape {tuple(input_shape)}"
            )
        if self.units == 1 and self.activation.name == "softmax":
            warnings.warn(f"Dense layer {self.name!r}: a softmax over 1 unit always outputs 1. "
                          "For a yes/no output use activation='sigmoid'.", UserWarning, stacklevel=3)
        self.kernel = self.add_weight("kernel", (int(input_shape[-1]), self.units),
                                      self.kernel_initializer, self.kernel_regularizer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), self.bias_initializer,
                                        self.bias_regularizer)
        super().build(input_shape)

    def check_input(self, x: np.ndarray) -> None:
        """Inputs need a batch axis and ``kernel.shape[0]`` features on the last axis."""
        fan_in = self.kernel.shape[0]  # type: ignore[union-attr]
        if x.ndim < 2:
            raise ValueError(
                f"Dense layer {self.name!r} expected a batch of shape (batch, {fan_in}), got shape "
                f"{x.shape}. A single sample needs a batch axis: x.reshape(1, -1)."
            )
        if x.shape[-1] != fan_in:
            raise ValueError(
                f"Dense layer {self.name!r} expected {fan_in} input features (last axis), got "
                f"{x.shape[-1]}: input shape {x.shape}, kernel shape {self.kernel.shape}"  # type: ignore[union-attr]
            )

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """``input_shape`` with its last axis replaced by ``units``, e.g. ``(None, units)``."""
        return (*tuple(input_shape)[:-1], self.units)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """``y = activation(z)`` with ``z = x W + b``; keeps ``x``, ``z`` and ``y`` for
        ``backward``."""
        z = x @ self.kernel.value  # type: ignore[union-attr]
        if self.bias is not None:
            z += self.bias.value
        y = self.activation.forward(z)
        self.cache = (x, z, y)
        return y

    @property
    def preactivation(self) -> np.ndarray:
        """``z = x W + b`` of the last forward pass (the logits of an output layer)."""
        if self.cache is None:
            raise RuntimeError(f"Dense layer {self.name!r}: no forward pass yet")
        return self.cache[1]

    def logits_activation(self) -> str | None:
        """The activation's name: its input, ``preactivation``, holds the logits."""
        return self.activation.name

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """From ``dL/dy``: through the activation, ``dL/dz = activation.backward(z, y, dL/dy)``,
        then ``backward_preactivation``."""
        if self.cache is None:
            raise RuntimeError(f"Dense layer {self.name!r}: backward() called before forward()")
        x, z, y = self.cache
        return self.backward_preactivation(self.activation.backward(z, y, grad), input_grad)

    def backward_preactivation(self, grad_z: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """From ``δ = dL/dz``: ``dL/dW = xᵀ δ``, ``dL/db = Σ_batch δ``, and ``dL/dx = δ Wᵀ``
        (chapter 3, "Backpropagation"). The first two are written into the weights' gradients."""
        if self.cache is None:
            raise RuntimeError(f"Dense layer {self.name!r}: backward() called before forward()")
        x = self.cache[0]
        x2, g2 = x.reshape(-1, x.shape[-1]), grad_z.reshape(-1, self.units)
        np.matmul(x2.T, g2, out=self.kernel.grad)  # type: ignore[union-attr]
        if self.bias is not None:
            np.sum(g2, axis=0, out=self.bias.grad)
        return grad_z @ self.kernel.value.T if input_grad else None  # type: ignore[union-attr]

    def backward_per_sample(self, grad: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Per sample ``i``: ``dL/dW = x_i ⊗ δ_i`` and ``dL/db = δ_i``, which ``backward`` sums
        over the batch (chapter 3, "Levenberg–Marquardt: when the network is small")."""
        if not self.trainable:
            return super().backward_per_sample(grad)
        x, z, y = self.cache
        if x.ndim != 2:
            raise NotImplementedError("per-sample gradients need inputs of shape (samples, features)")
        grad_z = self.activation.backward(z, y, grad)
        per_sample = [x[:, :, None] * grad_z[:, None, :]] + ([grad_z] if self.bias is not None else [])
        return grad_z @ self.kernel.value.T, per_sample  # type: ignore[union-attr]

    def get_config(self) -> dict:
        """The base config plus ``units``, ``activation``, ``use_bias`` and the regularizers."""
        return {**super().get_config(), "units": self.units,
                "activation": activations_module.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_regularizer": regularizers_module.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers_module.serialize(self.bias_regularizer)}


class InputLayer(Layer):
    """Declares the input shape of a ``Sequential`` model, like ``keras.Input``
    (chapter 1, "The same network in nnlib and in Keras")."""

    def __init__(self, shape: Sequence[int], name: str | None = None, dtype: object | None = None):
        super().__init__(name=name, dtype=dtype, trainable=False)
        shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
        for s in shape:
            check_positive_int(s, "Input shape entries")
        self.shape = shape
        self.build((None, *shape))

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Return ``x`` unchanged: the input layer computes nothing."""
        return x

    def backward(self, grad: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Return ``grad`` unchanged: the input layer has no weights."""
        return grad


def Input(shape: Sequence[int] | int, name: str | None = None,
          dtype: object | None = None) -> InputLayer:
    """``nnlib.Input(shape=(4,))`` starts a ``Sequential`` model, as ``keras.Input`` does
    (chapter 1, "The same network in nnlib and in Keras")."""
    return InputLayer(shape, name=name, dtype=dtype)
