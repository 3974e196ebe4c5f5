"""Shared numerics: Keras' epsilon, a stable sigmoid, log-softmax and one softmax cross-entropy.

Losses, metrics and activations all need the same few numerically careful formulas. They live here,
once, on plain float arrays (no input checks: the public functions in ``activations``, ``losses``
and ``metrics`` check their inputs, then call these).

* ``EPSILON``: ``keras.backend.epsilon()``, 1e-7. Probabilities are clipped to
  ``[EPSILON, 1 − EPSILON]`` before a logarithm (chapter 3, "Loss functions").
* ``sigmoid(x)``: ``1 / (1 + e^{−x})`` without overflow for any ``x`` (chapter 2, "Saturation").
* ``softplus(x)``: ``log(1 + e^x)`` without overflow (chapter 2, "The activations and their
  derivatives").
* ``log_softmax(x, axes)``: ``x − max − log Σ e^{x − max}`` (chapter 3, "Loss functions").
* ``softmax_cross_entropy(labels, logits)``: the value ``log Σ e^z − z[label]`` and the gradient
  ``softmax(z) − onehot(label)`` from one softmax (chapter 3, "Backpropagation").
"""
from __future__ import annotations

import numpy as np

Array = np.ndarray

#: ``keras.backend.epsilon()``: the clip of probabilities before a log, and the guard of divisions.
EPSILON = 1e-7


def sigmoid(x: Array) -> Array:
    """``1 / (1 + e^{−x})`` in ``x``'s dtype; ``exp`` only ever sees ``−|x|``, so it cannot overflow
    (chapter 2, "Saturation")."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


def softplus(x: Array) -> Array:
    """``log(1 + e^x)`` as ``max(x, 0) + log1p(e^{−|x|})``: exact and finite for every ``x``
    (chapter 2, "The activations and their derivatives")."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def log_softmax(x: Array, axes: tuple[int, ...] = (-1,)) -> Array:
    """``log(softmax(x))`` over ``axes``, as ``x − max − log Σ e^{x − max}``: no ``log(0)`` even
    where the softmax underflows (chapter 3, "Loss functions")."""
    with np.errstate(over="ignore"):  # x − max may round to −inf for |x| ~ 1e38: exp gives 0, exact
        shifted = x - np.max(x, axis=axes, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axes, keepdims=True))


def softmax_cross_entropy(labels: Array, logits: Array) -> tuple[Array, Array]:
    """Per-sample ``−log softmax(z)[label]`` and its gradient ``softmax(z) − onehot(label)``
    with respect to the logits ``z`` (chapter 3, "Backpropagation").

    ``labels`` holds integer class indices of shape ``logits.shape[:-1]``. One softmax serves the
    value and the gradient; nothing overflows or takes ``log(0)``.
    """
    z = logits.reshape(-1, logits.shape[-1])
    rows, lab = np.arange(len(z)), labels.reshape(-1)
    shifted = z - z.max(axis=-1, keepdims=True)
    grad = np.exp(shifted)
    total = grad.sum(axis=-1, keepdims=True)
    values = np.log(total[:, 0]) - shifted[rows, lab]
    grad /= total
    grad[rows, lab] -= 1
    return values.reshape(labels.shape), grad.reshape(logits.shape)
