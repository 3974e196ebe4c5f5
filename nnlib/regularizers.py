"""Weight penalties with Keras' names and formulas: ``L1``, ``L2``, ``L1L2``
(chapter 4, "Four fixes, side by side").

A regulariser turns a weight array into a number that is *added to the loss*, so training trades
fitting the data against keeping the weights small. As in Keras there is no factor ½:

* ``L2(l2)``: ``l2 · Σ w²``, gradient ``2 · l2 · w`` ("weight decay");
* ``L1(l1)``: ``l1 · Σ |w|``, gradient ``l1 · sign(w)`` (0 at exactly 0, as TensorFlow's);
* ``L1L2(l1, l2)``: the sum of both.

Pass one to a layer, ``Dense(64, kernel_regularizer=L2(1e-3))`` or ``kernel_regularizer="l2"``
(strength 0.01 like Keras). The layer hands it to ``add_weight``, so the regularizer belongs to the
weight (``variable.regularizer``), whatever the layer; each training step adds the penalties to
the loss and their gradients to the weights' gradients with ``add_penalties`` (chapter 4,
"Four fixes, side by side").
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np


def _check_factor(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return value


class Regularizer:
    """Base class: ``penalty = reg(w)`` and its gradient ``reg.gradient(w)``
    (chapter 4, "Four fixes, side by side")."""

    def __call__(self, x: np.ndarray) -> float:
        """The penalty added to the loss for weights ``x``."""
        raise NotImplementedError

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """``d penalty / d x``, an array shaped like ``x``."""
        raise NotImplementedError

    def get_config(self) -> dict:
        """The constructor arguments, as in Keras."""
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class L1L2(Regularizer):
    """``l1 · Σ|w| + l2 · Σw²``, Keras' ``L1L2`` (defaults 0 and 0; ``"l1_l2"`` gives 0.01
    each) (chapter 4, "Four fixes, side by side")."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _check_factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _check_factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, x: np.ndarray) -> float:
        x = np.asarray(x)
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * float(np.sum(np.abs(x)))
        if self.l2:
            penalty += self.l2 * float(np.sum(np.square(x)))
        return penalty

    def gradient(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        grad = np.zeros_like(x)
        if self.l1:
            grad += x.dtype.type(self.l1) * np.sign(x)
        if self.l2:
            grad += x.dtype.type(2.0 * self.l2) * x
        return grad

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """``l1 · Σ|w|``, Keras' ``L1`` (default 0.01): pushes weights to exactly zero
    (chapter 4, "Four fixes, side by side")."""

    def __init__(self, l1: float = 0.01) -> None:
        super().__init__(l1=0.01 if l1 is None else l1)

    def get_config(self) -> dict:
        return {"l1": self.l1}


class L2(L1L2):
    """``l2 · Σw²``, Keras' ``L2`` (default 0.01): weight decay, gradient ``2·l2·w``
    (chapter 4, "Four fixes, side by side"); the same numbers as Keras in
    (chapter 4, "The same numbers in Keras")."""

    def __init__(self, l2: float = 0.01) -> None:
        super().__init__(l2=0.01 if l2 is None else l2)

    def get_config(self) -> dict:
        return {"l2": self.l2}


def _l1_l2() -> L1L2:
    return L1L2(l1=0.01, l2=0.01)


# Keras' names; "l1l2"/"L1L2" give L1L2() with both factors 0, as in Keras. Keras documents
# "l1_l2" as 0.01 each (but rejects it): nnlib follows the documentation.
_NAMES = {"l1": L1, "l2": L2, "l1l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2, "l1_l2": _l1_l2}


def get(identifier: str | Regularizer | None) -> Regularizer | None:
    """Resolve ``None``, ``"l1"``, ``"l2"``, ``"l1_l2"`` (Keras defaults) or a Regularizer
    (chapter 4, "Four fixes, side by side")."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        try:
            return _NAMES[identifier]()
        except KeyError:
            raise ValueError(f"Unknown regularizer {identifier!r}; expected one of "
                             "'l1', 'l2', 'l1_l2' or a nnlib.regularizers.Regularizer") from None
    raise TypeError(f"regularizer must be None, a name or an nnlib.regularizers.Regularizer, got "
                    f"{type(identifier).__name__}")


def serialize(regularizer: Regularizer | None) -> dict | None:
    """``{"class_name": ..., "config": ...}`` like Keras, or ``None``: how ``Dense.get_config``
    shows a ``kernel_regularizer`` (chapter 4, "Four fixes, side by side")."""
    if regularizer is None:
        return None
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def total_penalty(variables: Iterable[Any]) -> float:
    """The sum of the penalties of ``variables`` that have a regularizer (chapter 4, "Four fixes,
    side by side")."""
    return float(sum(v.regularizer(v.value) for v in variables if v.regularizer is not None))


def add_penalties(variables: Iterable[Any]) -> float:
    """Add each regularized variable's penalty gradient to its ``grad`` and return the total
    penalty: the step from the data's loss to the loss training minimises (chapter 4, "Four
    fixes, side by side")."""
    total = 0.0
    for v in variables:
        if v.regularizer is not None:
            total += v.regularizer(v.value)
            v.grad += v.regularizer.gradient(v.value)
    return float(total)
