"""Activation functions and the derivatives backpropagation uses (chapters 1 and 2).

Each function has Keras' name and signature (``nnlib.activations.relu(x)`` ≈
``keras.activations.relu(x)``). For backpropagation every activation is paired with
``backward(x, y, grad)``: given the input ``x``, the output ``y = f(x)`` and the gradient of the loss
with respect to ``y``, it returns the gradient with respect to ``x``. Element-wise activations do
this as ``grad * f'(x)``; softmax, which mixes a whole row, uses its Jacobian–vector product.

``get(name)`` resolves what ``layers.Dense(activation=...)`` accepts: ``None``, a name, one of the
functions below, or an :class:`Activation`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


# --- forward functions -------------------------------------------------------------------------

def linear(x: Array) -> Array:
    """Identity, ``f(x) = x``: the output of a regression network (chapter 1)."""
    return x


def sigmoid(x: Array) -> Array:
    """Logistic sigmoid ``1 / (1 + e^{-x})``, computed without overflow for any ``|x|`` (chapter 1).

    ``e^{-|x|}`` never overflows, and both branches below are exact rewrites of the formula.
    """
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def tanh(x: Array) -> Array:
    """Hyperbolic tangent, output in (-1, 1) and zero-centred (chapter 1)."""
    return np.tanh(x)


def relu(x: Array) -> Array:
    """Rectified linear unit ``max(x, 0)`` (chapter 1)."""
    return np.maximum(x, 0)


def softmax(x: Array, axis: int = -1) -> Array:
    """Softmax along ``axis``: positive outputs that sum to 1 (chapter 1).

    Subtracting the row maximum first leaves the result unchanged and keeps ``exp`` from
    overflowing on large logits.
    """
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


# --- derivatives used by backpropagation -------------------------------------------------------

def _linear_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad


def _sigmoid_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad * y * (1 - y)  # σ'(x) = σ(x)(1 − σ(x)), from the output


def _tanh_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad * (1 - y * y)  # tanh'(x) = 1 − tanh(x)², from the output


def _relu_backward(x: Array, y: Array, grad: Array) -> Array:
    return grad * (x > 0)  # derivative 0 at x = 0, as in TensorFlow


def _softmax_backward(x: Array, y: Array, grad: Array) -> Array:
    # Jacobian–vector product of softmax: J = diag(y) − y yᵀ, so Jᵀg = y ⊙ (g − ⟨g, y⟩).
    return y * (grad - np.sum(grad * y, axis=-1, keepdims=True))


@dataclass(frozen=True)
class Activation:
    """An activation function with its backward rule (chapter 2).

    ``forward(x)`` computes ``y = f(x)``; ``backward(x, y, grad)`` returns ``dL/dx`` from
    ``dL/dy = grad``.
    """

    name: str
    forward: Callable[[Array], Array]
    backward: Callable[[Array, Array, Array], Array]

    def __call__(self, x: Array) -> Array:
        return self.forward(x)


_REGISTRY: dict[str, Activation] = {}


def register(activation: Activation, *aliases: str) -> Activation:
    """Make ``activation`` usable by name in ``Dense(activation=...)`` (chapter 2)."""
    for key in (activation.name, *aliases):
        _REGISTRY[key] = activation
    return activation


register(Activation("linear", linear, _linear_backward))
register(Activation("sigmoid", sigmoid, _sigmoid_backward))
register(Activation("tanh", tanh, _tanh_backward))
register(Activation("relu", relu, _relu_backward))
register(Activation("softmax", softmax, _softmax_backward))


def get(identifier: str | Callable | Activation | None) -> Activation:
    """Resolve ``None``, a name, an nnlib activation function or an :class:`Activation` (chapter 1).

    Raises ``ValueError`` for an unknown name, listing the known ones.
    """
    if identifier is None:
        return _REGISTRY["linear"]
    if isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, str):
        try:
            return _REGISTRY[identifier]
        except KeyError:
            raise ValueError(
                f"Unknown activation {identifier!r}; expected one of {sorted(_REGISTRY)}"
            ) from None
    if callable(identifier):
        for act in _REGISTRY.values():
            if act.forward is identifier:
                return act
        raise ValueError(
            f"activation {identifier!r} has no derivative nnlib knows; pass a name such as 'relu', "
            "one of nnlib.activations' functions, or nnlib.activations.Activation(name, forward, "
            "backward)"
        )
    raise TypeError(
        f"activation must be None, a name, a function or an Activation, got {type(identifier).__name__}"
    )


def serialize(activation: Activation) -> str:
    """The name under which ``activation`` is registered, as Keras' ``get_config`` shows it."""
    return activation.name
