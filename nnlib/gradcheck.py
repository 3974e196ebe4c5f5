"""Gradient checking by central differences in float64 (chapter 3, "By hand, for a tiny network").

Backpropagation is easy to get subtly wrong; a numerical derivative is slow but hard to get wrong.
``(f(x + h) − f(x − h)) / 2h`` has an error of order ``h²``, so in float64 with ``h = 1e-6`` an
analytic gradient that is right agrees to about 1e-8 relative error, and a wrong one is off by
order 1.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import losses, regularizers
from .layers.base import Layer


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """``max |a − n| / max(|a| + |n|)``: 0 for identical arrays, ~1 for unrelated ones
    (chapter 3, "By hand, for a tiny network")."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"shapes differ: analytic {a.shape} vs numeric {n.shape}")
    scale = float(np.max(np.abs(a) + np.abs(n))) if a.size else 0.0
    return 0.0 if scale == 0.0 else float(np.max(np.abs(a - n))) / scale


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``
    (chapter 3, "By hand, for a tiny network").

    ``x`` is perturbed in place, one entry at a time, and restored; ``f`` must read it.
    """
    if x.dtype != np.float64:
        raise TypeError(f"gradient checks need float64 arrays, got {x.dtype}: build the layers "
                        "with dtype='float64'")
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = f()
        flat[i] = old - h
        minus = f()
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def check_layer(layer: Layer, x: np.ndarray, seed: int = 0, h: float = 1e-6,
                training: bool = False) -> dict[str, float]:
    """Relative errors of ``layer.backward`` against central differences, per weight and input
    (chapter 3, "Backpropagation").

    The scalar checked is ``Σ forward(x) ⊙ G`` for a fixed random ``G``, so every output entry
    matters, plus the weights' penalties (chapter 4, "Four fixes, side by side"). The layer must
    be float64. Returns ``{"input": e, "kernel": e, ...}``.
    """
    x = np.array(x, dtype=np.float64)
    out = layer(x, training=training)
    upstream = np.random.default_rng(seed).normal(size=out.shape)
    weights = layer.trainable_weights

    def f() -> float:
        return float(np.sum(layer.forward(x, training=training) * upstream)) + \
            regularizers.total_penalty(weights)

    layer.forward(x, training=training)
    dx = layer.backward(upstream)
    regularizers.add_penalties(weights)
    errors = {"input": relative_error(dx, numerical_gradient(f, x, h))}
    analytic = {v.name: v.grad.copy() for v in weights}
    for v in weights:
        errors[v.name] = relative_error(analytic[v.name], numerical_gradient(f, v.value, h))
    return errors


def check_model(model: Any, x: np.ndarray, y: np.ndarray, loss: Any = None,
                h: float = 1e-6) -> dict[str, float]:
    """Relative error of the model's backpropagated gradients, per weight (``layer/weight``)
    (chapter 3, "By hand, for a tiny network").

    Uses the compiled loss (plus the weights' penalties) unless ``loss`` is given; float64 layers
    only.
    """
    loss_fn = losses.get(loss) if loss is not None else getattr(model, "loss", None)
    if loss_fn is None:
        raise ValueError("pass loss=... or compile the model first")
    x = np.asarray(x, dtype=np.float64)
    weights = model.trainable_weights

    def f() -> float:
        return loss_fn(y, model.forward(x, training=False)) + regularizers.total_penalty(weights)

    model(x)
    model.backward(loss_fn.gradient(y, model.forward(x, training=False)))
    regularizers.add_penalties(weights)
    analytic = [v.grad.copy() for v in weights]
    return {v.path: relative_error(a, numerical_gradient(f, v.value, h))
            for v, a in zip(weights, analytic)}
