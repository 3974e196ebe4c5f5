"""Loss functions with Keras' names, formulas and reduction (chapter 3).

Each loss is a class (``MeanSquaredError()``) and a function (``mean_squared_error(y_true, y_pred)``)
returning one value per sample. Calling a loss object reduces like Keras' default
``"sum_over_batch_size"``: the mean of the per-sample values. ``gradient(y_true, y_pred)`` returns
``dL/dy_pred`` of that mean, which is where backpropagation starts.

Probabilities are clipped to ``[1e-7, 1 - 1e-7]`` before a logarithm (Keras' ``epsilon``), so no
``log(0)``; the ``from_logits=True`` forms use log-sum-exp and never overflow.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._checks import as_float_array, check_finite

EPSILON = 1e-7  # keras.backend.epsilon()
Array = np.ndarray


def _prepare(y_true: object, y_pred: object, expand: bool = True) -> tuple[Array, Array]:
    """Check the pair and bring ``y_true`` to ``y_pred``'s rank as Keras does ((n,) vs (n, 1))."""
    if not isinstance(y_pred, np.ndarray) or y_pred.dtype.kind != "f":
        y_pred = as_float_array(y_pred, np.dtype("float32"), "y_pred")
    else:
        check_finite(y_pred, "y_pred")
    y_true = as_float_array(y_true, y_pred.dtype, "y_true")
    if expand:
        if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
            y_true = y_true[..., None]
        elif y_pred.ndim == y_true.ndim - 1 and y_true.shape[-1] == 1:
            y_true = y_true[..., 0]
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got y_true {y_true.shape} and "
            f"y_pred {y_pred.shape}"
            + (". For integer class labels use sparse_categorical_crossentropy."
               if y_true.ndim == y_pred.ndim - 1 else "")
        )
    if y_pred.ndim == 0:
        raise ValueError("y_pred must have at least one axis (the batch axis), got a scalar")
    return y_true, y_pred


def _sparse_labels(y_true: object, y_pred: Array) -> Array:
    labels = np.asarray(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError("sparse labels must be whole numbers (class indices), got non-integers")
    elif labels.dtype.kind not in "iub":
        raise TypeError(f"sparse labels must be integers, got dtype {labels.dtype}")
    labels = labels.astype(np.int64)
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"sparse labels must have shape {y_pred.shape[:-1]} (y_pred {y_pred.shape} without its "
            f"class axis), got {labels.shape}"
        )
    n_classes = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"class labels must lie in [0, {n_classes - 1}] for {n_classes} outputs, got labels "
            f"from {labels.min()} to {labels.max()}"
        )
    return labels


def _log_softmax(z: Array) -> Array:
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _softmax(z: Array) -> Array:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sigmoid(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


# --- per-sample loss functions and their gradients (d per-sample loss / d y_pred) ----------------

def mean_squared_error(y_true: object, y_pred: object) -> Array:
    """Per-sample ``mean((y_pred - y_true)², axis=-1)`` (chapter 3)."""
    t, p = _prepare(y_true, y_pred)
    return np.mean(np.square(p - t), axis=-1)


def _mse_grad(t: Array, p: Array) -> Array:
    return 2.0 * (p - t) / p.shape[-1]


def mean_absolute_error(y_true: object, y_pred: object) -> Array:
    """Per-sample ``mean(|y_pred - y_true|, axis=-1)`` (chapter 3)."""
    t, p = _prepare(y_true, y_pred)
    return np.mean(np.abs(p - t), axis=-1)


def _mae_grad(t: Array, p: Array) -> Array:
    return np.sign(p - t) / p.shape[-1]


def huber(y_true: object, y_pred: object, delta: float = 1.0) -> Array:
    """Per-sample Huber loss: quadratic for errors up to ``delta``, linear beyond (chapter 3)."""
    t, p = _prepare(y_true, y_pred)
    err = np.abs(p - t)
    return np.mean(np.where(err <= delta, 0.5 * err**2, delta * err - 0.5 * delta**2), axis=-1)


def _huber_grad(t: Array, p: Array, delta: float = 1.0) -> Array:
    err = p - t
    return np.where(np.abs(err) <= delta, err, delta * np.sign(err)) / p.shape[-1]


def binary_crossentropy(y_true: object, y_pred: object, from_logits: bool = False) -> Array:
    """Per-sample ``-mean(t log p + (1-t) log(1-p), axis=-1)`` (chapter 3)."""
    t, p = _prepare(y_true, y_pred)
    if from_logits:  # max(z, 0) - z t + log(1 + e^{-|z|}), TensorFlow's stable form
        return np.mean(np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p))), axis=-1)
    o = np.clip(p, EPSILON, 1 - EPSILON)
    return np.mean(-(t * np.log(o) + (1 - t) * np.log(1 - o)), axis=-1)


def _bce_grad(t: Array, p: Array, from_logits: bool = False) -> Array:
    if from_logits:
        return (_sigmoid(p) - t) / p.shape[-1]
    inside = (p >= EPSILON) & (p <= 1 - EPSILON)  # the clip passes no gradient outside
    o = np.clip(p, EPSILON, 1 - EPSILON)
    return np.where(inside, (o - t) / (o * (1 - o)), 0.0) / p.shape[-1]


def categorical_crossentropy(y_true: object, y_pred: object, from_logits: bool = False) -> Array:
    """Per-sample ``-Σ t log p`` over the class axis, for one-hot targets (chapter 3)."""
    t, p = _prepare(y_true, y_pred, expand=False)
    if from_logits:
        return -np.sum(t * _log_softmax(p), axis=-1)
    q = np.clip(p / p.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON)
    return -np.sum(t * np.log(q), axis=-1)


def _cce_grad(t: Array, p: Array, from_logits: bool = False) -> Array:
    if from_logits:
        return _softmax(p) * t.sum(axis=-1, keepdims=True) - t
    s = p.sum(axis=-1, keepdims=True)
    q = p / s
    inside = (q >= EPSILON) & (q <= 1 - EPSILON)
    dq = np.where(inside, -t / np.clip(q, EPSILON, 1), 0.0)  # d loss / d q
    return (dq - np.sum(dq * q, axis=-1, keepdims=True)) / s  # through q = p / Σp


def sparse_categorical_crossentropy(y_true: object, y_pred: object,
                                    from_logits: bool = False) -> Array:
    """Per-sample ``-log p[label]`` for integer labels (chapter 3)."""
    p = as_float_array(y_pred, np.dtype("float32"), "y_pred") if not isinstance(
        y_pred, np.ndarray) else y_pred
    labels = _sparse_labels(y_true, p)
    logits = p if from_logits else np.log(np.clip(p, EPSILON, 1 - EPSILON))
    logp = _log_softmax(logits)
    return -np.take_along_axis(logp, labels[..., None], axis=-1)[..., 0]


def _scce_grad(labels: Array, p: Array, from_logits: bool = False) -> Array:
    onehot = np.zeros_like(p)
    np.put_along_axis(onehot, labels[..., None], 1.0, axis=-1)
    if from_logits:
        return _softmax(p) - onehot
    # Keras: logits = log(clip(p)), then softmax cross-entropy on those logits
    o = np.clip(p, EPSILON, 1 - EPSILON)
    inside = (p >= EPSILON) & (p <= 1 - EPSILON)
    dlogits = o / o.sum(axis=-1, keepdims=True) - onehot
    return np.where(inside, dlogits / o, 0.0)


# --- loss objects --------------------------------------------------------------------------------

class Loss:
    """Base class: ``loss(y_true, y_pred)`` → mean over samples; ``gradient`` → dL/dy_pred.

    ``reduction`` is Keras' ``"sum_over_batch_size"`` (mean, the default) or ``"sum"``.
    """

    name = "loss"
    per_sample: Callable[..., Array]
    _grad: Callable[..., Array]

    def __init__(self, reduction: str = "sum_over_batch_size", name: str | None = None) -> None:
        if reduction not in ("sum_over_batch_size", "sum"):
            raise ValueError(
                f"reduction must be 'sum_over_batch_size' or 'sum', got {reduction!r}"
            )
        self.reduction = reduction
        if name is not None:
            self.name = name

    def _kwargs(self) -> dict:
        return {}

    def call(self, y_true: object, y_pred: object) -> Array:
        """One loss value per sample (per time step for sequence outputs)."""
        return type(self).per_sample(y_true, y_pred, **self._kwargs())

    def __call__(self, y_true: object, y_pred: object) -> float:
        values = self.call(y_true, y_pred)
        total = float(np.sum(values, dtype=np.float64))
        return total / max(values.size, 1) if self.reduction == "sum_over_batch_size" else total

    def _prepare_grad(self, y_true: object, y_pred: object) -> tuple[Array, Array]:
        return _prepare(y_true, y_pred)

    def gradient(self, y_true: object, y_pred: object) -> Array:
        """``dL/dy_pred`` of the reduced loss, same shape and dtype as ``y_pred``."""
        t, p = self._prepare_grad(y_true, y_pred)
        g = type(self)._grad(t, p, **self._kwargs())
        if self.reduction == "sum_over_batch_size":
            g = g / max(int(np.prod(p.shape[:-1])), 1)
        return g.astype(p.dtype, copy=False)

    def logits_version(self) -> "Loss | None":
        """The same loss computed from logits, or ``None``.

        Keras computes a cross-entropy that follows a softmax or sigmoid output layer from that
        layer's logits (stable, no clipping); ``Sequential`` does the same with this.
        """
        return None

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, **self._kwargs()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._kwargs().items())
        return f"{type(self).__name__}({args})"


class MeanSquaredError(Loss):
    """``keras.losses.MeanSquaredError``: regression (chapter 3)."""

    name = "mean_squared_error"
    per_sample = staticmethod(mean_squared_error)
    _grad = staticmethod(_mse_grad)


class MeanAbsoluteError(Loss):
    """``keras.losses.MeanAbsoluteError``: regression robust to outliers (chapter 3)."""

    name = "mean_absolute_error"
    per_sample = staticmethod(mean_absolute_error)
    _grad = staticmethod(_mae_grad)


class Huber(Loss):
    """``keras.losses.Huber(delta)``: MSE near zero, MAE far away (chapter 3)."""

    name = "huber_loss"
    per_sample = staticmethod(huber)
    _grad = staticmethod(_huber_grad)

    def __init__(self, delta: float = 1.0, reduction: str = "sum_over_batch_size",
                 name: str | None = None) -> None:
        super().__init__(reduction, name)
        if not delta > 0:
            raise ValueError(f"Huber delta must be positive, got {delta!r}")
        self.delta = float(delta)

    def _kwargs(self) -> dict:
        return {"delta": self.delta}


class _CrossentropyLoss(Loss):
    def __init__(self, from_logits: bool = False, reduction: str = "sum_over_batch_size",
                 name: str | None = None) -> None:
        super().__init__(reduction, name)
        self.from_logits = bool(from_logits)

    def _kwargs(self) -> dict:
        return {"from_logits": self.from_logits}

    def logits_version(self) -> "Loss | None":
        if self.from_logits:
            return None
        return type(self)(from_logits=True, reduction=self.reduction, name=self.name)


class BinaryCrossentropy(_CrossentropyLoss):
    """``keras.losses.BinaryCrossentropy``: sigmoid outputs, 0/1 targets (chapter 3)."""

    name = "binary_crossentropy"
    per_sample = staticmethod(binary_crossentropy)
    _grad = staticmethod(_bce_grad)


class CategoricalCrossentropy(_CrossentropyLoss):
    """``keras.losses.CategoricalCrossentropy``: softmax outputs, one-hot targets (chapter 3)."""

    name = "categorical_crossentropy"
    per_sample = staticmethod(categorical_crossentropy)
    _grad = staticmethod(_cce_grad)

    def _prepare_grad(self, y_true: object, y_pred: object) -> tuple[Array, Array]:
        return _prepare(y_true, y_pred, expand=False)


class SparseCategoricalCrossentropy(_CrossentropyLoss):
    """``keras.losses.SparseCategoricalCrossentropy``: softmax outputs, integer labels (chapter 3)."""

    name = "sparse_categorical_crossentropy"
    per_sample = staticmethod(sparse_categorical_crossentropy)
    _grad = staticmethod(_scce_grad)

    def _prepare_grad(self, y_true: object, y_pred: object) -> tuple[Array, Array]:
        p = y_pred if isinstance(y_pred, np.ndarray) and y_pred.dtype.kind == "f" else \
            as_float_array(y_pred, np.dtype("float32"), "y_pred")
        check_finite(p, "y_pred")
        return _sparse_labels(y_true, p), p


_ALIASES: dict[str, type[Loss]] = {
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "huber": Huber, "huber_loss": Huber,
    "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}


def get(identifier: str | Loss) -> Loss:
    """Resolve a Keras loss name (``"mse"``, ``"categorical_crossentropy"`` …) or a Loss."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        try:
            return _ALIASES[identifier]()
        except KeyError:
            raise ValueError(
                f"Unknown loss {identifier!r}; expected one of {sorted(_ALIASES)}"
            ) from None
    raise TypeError(f"loss must be a name or an nnlib.losses.Loss, got {type(identifier).__name__}")
