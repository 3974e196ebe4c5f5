"""Loss functions with Keras' names, formulas and reductions (chapter 3, "Loss functions").

Each loss is a class (``MeanSquaredError()``) and a function
(``mean_squared_error(y_true, y_pred)``) returning one value per sample. Calling a loss object
reduces like Keras' default ``"sum_over_batch_size"``: the mean of the per-sample values.
``gradient(y_true, y_pred)`` returns ``dL/dy_pred`` of that reduced loss, which is where
backpropagation starts, and ``value_and_gradient`` returns both from one pass (what ``fit`` uses).

Probabilities are clipped to ``[1e-7, 1 - 1e-7]`` before a logarithm (Keras' ``epsilon``), so no
``log(0)``; the ``from_logits=True`` forms use log-sum-exp and never overflow. The clip passes no
gradient outside its range, exactly like TensorFlow's ``clip_by_value``.

Like Keras, ``y_true`` and ``y_pred`` whose ranks differ by one trailing axis of size 1 are brought
to the same rank first: targets of shape ``(n,)`` work with predictions of shape ``(n, 1)``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._checks import as_float_array, check_finite
from .numerics import EPSILON, log_softmax, sigmoid, softmax_cross_entropy, softplus
from .utils import resolve
Array = np.ndarray
REDUCTIONS = ("sum_over_batch_size", "mean", "sum", "none", None)


# --- shared helpers ------------------------------------------------------------------------------

def _pred_array(y_pred: object, check: bool = True) -> Array:
    """``y_pred`` as a finite float array (float32 unless it already is a float array).

    ``check=False`` (inside ``fit``) lets inf/NaN through, so a diverging run reports them.
    """
    if isinstance(y_pred, np.ndarray) and y_pred.dtype.kind == "f":
        if check:
            check_finite(y_pred, "y_pred")
        return y_pred
    return as_float_array(y_pred, np.dtype("float32"), "y_pred")


def _same_rank(t: Array, p: Array) -> tuple[Array, Array]:
    """Keras' ``squeeze_or_expand_to_same_rank``: fix ranks that differ by a trailing axis of 1."""
    if t.ndim == p.ndim + 1 and t.shape[-1] == 1:
        return (t, p[..., None]) if p.ndim == 1 else (t[..., 0], p)
    if p.ndim == t.ndim + 1 and p.shape[-1] == 1:
        return (t[..., None], p) if t.ndim == 1 else (t, p[..., 0])
    return t, p


def _prepare(y_true: object, y_pred: object, check: bool = True) -> tuple[Array, Array]:
    """Check the pair and bring them to the same rank and shape as Keras does."""
    p = _pred_array(y_pred, check)
    if p.ndim == 0:
        raise ValueError("y_pred must have at least one axis (the batch axis), got a scalar")
    t = as_float_array(y_true, p.dtype, "y_true")
    t, p = _same_rank(t, p)
    if t.shape != p.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got y_true {np.shape(y_true)} and "
            f"y_pred {np.shape(y_pred)}"
            + (". For integer class labels use sparse_categorical_crossentropy."
               if t.ndim == p.ndim - 1 else "")
        )
    return t, p


def _sparse_labels(y_true: object, y_pred: Array) -> Array:
    """Integer class labels of shape ``y_pred.shape[:-1]``, checked against the class count."""
    labels = np.asarray(y_true)
    if labels.ndim == y_pred.ndim and labels.ndim > 0 and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError("sparse labels must be whole numbers (class indices), got non-integers")
    elif labels.dtype.kind not in "iub":
        raise TypeError(f"sparse labels must be integers, got dtype {labels.dtype}")
    labels = labels.astype(np.intp, copy=False)
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"sparse labels must have shape {y_pred.shape[:-1]} (y_pred {y_pred.shape} without its "
            f"class axis), got {labels.shape}"
            + (". One-hot targets need categorical_crossentropy." if labels.shape == y_pred.shape
               else "")
        )
    n_classes = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"class labels must lie in [0, {n_classes - 1}] for {n_classes} outputs, got labels "
            f"from {labels.min()} to {labels.max()}"
        )
    return labels


def _onehot(labels: Array, like: Array) -> Array:
    onehot = np.zeros_like(like)
    np.put_along_axis(onehot, labels[..., None], 1.0, axis=-1)
    return onehot


def _smooth_binary(t: Array, label_smoothing: float) -> Array:
    return t * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else t


def _smooth_categorical(t: Array, label_smoothing: float) -> Array:
    return t * (1.0 - label_smoothing) + label_smoothing / t.shape[-1] if label_smoothing else t


# --- per-sample values and their gradients on prepared arrays ------------------------------------
# ``_x_values(t, p)`` gives one value per sample; ``_x_grad(t, p)`` its derivative with respect to
# ``p``, element by element (the gradient of the *sum* of the per-sample values).

def _mse_values(t: Array, p: Array) -> Array:
    return np.mean(np.square(p - t), axis=-1)


def _mse_grad(t: Array, p: Array) -> Array:
    return (p - t) * (2.0 / p.shape[-1])


def _mae_values(t: Array, p: Array) -> Array:
    return np.mean(np.abs(p - t), axis=-1)


def _mae_grad(t: Array, p: Array) -> Array:
    return np.sign(p - t) * (1.0 / p.shape[-1])  # sign(0) = 0, as TensorFlow's abs gradient


def _huber_values(t: Array, p: Array, delta: float = 1.0) -> Array:
    err = np.abs(p - t)
    return np.mean(np.where(err <= delta, 0.5 * np.square(err), delta * err - 0.5 * delta**2),
                   axis=-1)


def _huber_grad(t: Array, p: Array, delta: float = 1.0) -> Array:
    err = p - t
    return np.clip(err, -delta, delta) * (1.0 / p.shape[-1])


def _bce_values(t: Array, p: Array, from_logits: bool = False, label_smoothing: float = 0.0) -> Array:
    t = _smooth_binary(t, label_smoothing)
    if from_logits:  # log(1 + e^z) − z t, with the stable softplus (TensorFlow's form)
        return np.mean(softplus(p) - p * t, axis=-1)
    o = np.clip(p, EPSILON, 1 - EPSILON)
    return np.mean(-(t * np.log(o) + (1 - t) * np.log(1 - o)), axis=-1)


def _bce_grad(t: Array, p: Array, from_logits: bool = False, label_smoothing: float = 0.0) -> Array:
    t = _smooth_binary(t, label_smoothing)
    if from_logits:
        return (sigmoid(p) - t) * (1.0 / p.shape[-1])
    inside = (p >= EPSILON) & (p <= 1 - EPSILON)  # the clip passes no gradient outside
    o = np.clip(p, EPSILON, 1 - EPSILON)
    return np.where(inside, (o - t) / (o * (1 - o)), 0.0) * (1.0 / p.shape[-1])


def _cce_values(t: Array, p: Array, from_logits: bool = False,
                label_smoothing: float = 0.0) -> Array:
    t = _smooth_categorical(t, label_smoothing)
    if from_logits:
        return -np.sum(t * log_softmax(p), axis=-1)
    q = np.clip(p / p.sum(axis=-1, keepdims=True), EPSILON, 1 - EPSILON)  # Keras renormalises
    return -np.sum(t * np.log(q), axis=-1)


def _cce_grad(t: Array, p: Array, from_logits: bool = False, label_smoothing: float = 0.0) -> Array:
    t = _smooth_categorical(t, label_smoothing)
    if from_logits:
        return np.exp(log_softmax(p)) * t.sum(axis=-1, keepdims=True) - t
    s = p.sum(axis=-1, keepdims=True)
    q = p / s
    inside = (q >= EPSILON) & (q <= 1 - EPSILON)
    dq = np.where(inside, -t / np.clip(q, EPSILON, 1), 0.0)  # d loss / d q
    return (dq - np.sum(dq * q, axis=-1, keepdims=True)) / s  # through q = p / Σp


def _scce_values(labels: Array, p: Array, from_logits: bool = False) -> Array:
    logits = p if from_logits else np.log(np.clip(p, EPSILON, 1 - EPSILON))
    return -np.take_along_axis(log_softmax(logits), labels[..., None], axis=-1)[..., 0]


def _scce_grad(labels: Array, p: Array, from_logits: bool = False) -> Array:
    onehot = _onehot(labels, p)
    if from_logits:
        return np.exp(log_softmax(p)) - onehot
    # Keras: logits = log(clip(p)), then softmax cross-entropy on those logits
    o = np.clip(p, EPSILON, 1 - EPSILON)
    inside = (p >= EPSILON) & (p <= 1 - EPSILON)
    dlogits = o / o.sum(axis=-1, keepdims=True) - onehot
    return np.where(inside, dlogits / o, 0.0)


# --- the public per-sample functions (Keras' keras.losses.<name>) --------------------------------

def mean_squared_error(y_true: object, y_pred: object) -> Array:
    """Per-sample ``mean((y_pred − y_true)², axis=-1)``: regression
    (chapter 3, "Loss functions")."""
    return _mse_values(*_prepare(y_true, y_pred))


def mean_absolute_error(y_true: object, y_pred: object) -> Array:
    """Per-sample ``mean(|y_pred − y_true|, axis=-1)``: regression robust to outliers
    (chapter 3, "Loss functions")."""
    return _mae_values(*_prepare(y_true, y_pred))


def huber(y_true: object, y_pred: object, delta: float = 1.0) -> Array:
    """Per-sample Huber loss: ``½e²`` for errors up to ``delta``, ``δ|e| − ½δ²`` beyond
    (chapter 3, "Loss functions")."""
    return _huber_values(*_prepare(y_true, y_pred), delta=delta)


def binary_crossentropy(y_true: object, y_pred: object, from_logits: bool = False,
                        label_smoothing: float = 0.0) -> Array:
    """Per-sample ``−mean(t log p + (1−t) log(1−p), axis=-1)`` for 0/1 targets
    (chapter 3, "Loss functions")."""
    return _bce_values(*_prepare(y_true, y_pred), from_logits=from_logits,
                       label_smoothing=label_smoothing)


def categorical_crossentropy(y_true: object, y_pred: object, from_logits: bool = False,
                             label_smoothing: float = 0.0) -> Array:
    """Per-sample ``−Σ t log p`` over the class axis, for one-hot targets
    (chapter 3, "Loss functions")."""
    return _cce_values(*_prepare(y_true, y_pred), from_logits=from_logits,
                       label_smoothing=label_smoothing)


def sparse_categorical_crossentropy(y_true: object, y_pred: object,
                                    from_logits: bool = False) -> Array:
    """Per-sample ``−log p[label]`` for integer class labels (chapter 3, "Loss functions")."""
    p = _pred_array(y_pred)
    return _scce_values(_sparse_labels(y_true, p), p, from_logits=from_logits)


# --- loss objects --------------------------------------------------------------------------------

class Loss:
    """Base class: ``loss(y_true, y_pred)`` → reduced loss (chapter 3, "Loss functions");
    ``gradient`` → ``dL/dy_pred``, where backpropagation starts (chapter 3, "Backpropagation").

    ``reduction`` is Keras': ``"sum_over_batch_size"`` (the default) and ``"mean"`` average the
    per-sample values, ``"sum"`` adds them, ``"none"``/``None`` returns them unreduced.
    Subclasses set ``_values`` and ``_grad`` (functions of the prepared ``y_true, y_pred``).
    """

    name = "loss"
    _values: Callable[..., Array]
    _grad: Callable[..., Array]

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = None) -> None:
        if reduction not in REDUCTIONS:
            raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
        self.reduction = reduction
        if name is not None:
            self.name = name

    def _kwargs(self) -> dict:
        return {}

    def prepare(self, y_true: object, y_pred: object, check: bool = True) -> tuple[Array, Array]:
        """Targets and predictions as arrays of one shape, Keras' rank rules applied; ``check``
        refuses NaN/inf predictions (``fit`` turns it off so that a diverging run reports them)."""
        return _prepare(y_true, y_pred, check)

    def call(self, y_true: object, y_pred: object, check: bool = True) -> Array:
        """One loss value per sample (per time step for sequence outputs)."""
        return type(self)._values(*self.prepare(y_true, y_pred, check), **self._kwargs())

    def _reduce(self, values: Array) -> float | Array:
        if self.reduction in (None, "none"):
            return values
        total = float(np.sum(values, dtype=np.float64))
        if self.reduction == "sum":
            return total
        return total / values.size if values.size else 0.0

    def __call__(self, y_true: object, y_pred: object) -> float | Array:
        return self._reduce(self.call(y_true, y_pred))

    def _scale(self, values_size: int) -> float:
        if self.reduction in (None, "none"):
            raise ValueError("an unreduced loss (reduction='none') has no single gradient; use "
                             "'sum_over_batch_size' or 'sum'")
        return 1.0 if self.reduction == "sum" else 1.0 / max(values_size, 1)

    def gradient(self, y_true: object, y_pred: object) -> Array:
        """``dL/dy_pred`` of the reduced loss, with the shape and dtype of ``y_pred``."""
        return self.value_and_gradient(y_true, y_pred)[1]

    def value_and_gradient(self, y_true: object, y_pred: object,
                           check: bool = True) -> tuple[float, Array]:
        """The reduced loss and its gradient with respect to ``y_pred``, from one preparation
        (chapter 3, "Backpropagation")."""
        shape = np.shape(y_pred)
        t, p = self.prepare(y_true, y_pred, check)
        values = type(self)._values(t, p, **self._kwargs())
        g = type(self)._grad(t, p, **self._kwargs())
        g *= self._scale(values.size)
        return self._reduce(values), g.astype(p.dtype, copy=False).reshape(shape)  # type: ignore[return-value]

    def logits_version(self) -> "Loss | None":
        """The same loss computed from logits, or ``None``.

        Keras computes a cross-entropy that follows a softmax or sigmoid output layer from that
        layer's logits (stable, no clipping); ``Sequential`` does the same with this.
        """
        return None

    def get_config(self) -> dict:
        """The constructor arguments, as Keras' ``get_config``."""
        return {"name": self.name, "reduction": self.reduction, **self._kwargs()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._kwargs().items())
        return f"{type(self).__name__}({args})"


class MeanSquaredError(Loss):
    """``keras.losses.MeanSquaredError``: regression (chapter 3, "Loss functions")."""

    name = "mean_squared_error"
    _values = staticmethod(_mse_values)
    _grad = staticmethod(_mse_grad)


class MeanAbsoluteError(Loss):
    """``keras.losses.MeanAbsoluteError``: regression robust to outliers
    (chapter 3, "Loss functions")."""

    name = "mean_absolute_error"
    _values = staticmethod(_mae_values)
    _grad = staticmethod(_mae_grad)


class Huber(Loss):
    """``keras.losses.Huber(delta)``: MSE near zero, MAE far away (chapter 3, "Loss functions")."""

    name = "huber_loss"
    _values = staticmethod(_huber_values)
    _grad = staticmethod(_huber_grad)

    def __init__(self, delta: float = 1.0, reduction: str | None = "sum_over_batch_size",
                 name: str | None = None) -> None:
        super().__init__(reduction, name)
        if isinstance(delta, bool) or not isinstance(delta, (int, float, np.number)) or \
                not delta > 0 or not np.isfinite(delta):
            raise ValueError(f"Huber delta must be a positive number, got {delta!r}")
        self.delta = float(delta)

    def _kwargs(self) -> dict:
        return {"delta": self.delta}


class _CrossentropyLoss(Loss):
    def __init__(self, from_logits: bool = False, reduction: str | None = "sum_over_batch_size",
                 name: str | None = None) -> None:
        super().__init__(reduction, name)
        self.from_logits = bool(from_logits)

    def _kwargs(self) -> dict:
        return {"from_logits": self.from_logits}

    def logits_version(self) -> "Loss | None":
        if self.from_logits:
            return None
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.from_logits = True
        return clone


class _SmoothedCrossentropy(_CrossentropyLoss):
    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0,
                 reduction: str | None = "sum_over_batch_size", name: str | None = None) -> None:
        super().__init__(from_logits, reduction, name)
        if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float, np.number)) \
                or not 0 <= label_smoothing <= 1:
            raise ValueError(f"label_smoothing must be a number in [0, 1], got {label_smoothing!r}")
        self.label_smoothing = float(label_smoothing)

    def _kwargs(self) -> dict:
        return {"from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


class BinaryCrossentropy(_SmoothedCrossentropy):
    """``keras.losses.BinaryCrossentropy``: sigmoid outputs, 0/1 targets
    (chapter 3, "Loss functions")."""

    name = "binary_crossentropy"
    _values = staticmethod(_bce_values)
    _grad = staticmethod(_bce_grad)


class CategoricalCrossentropy(_SmoothedCrossentropy):
    """``keras.losses.CategoricalCrossentropy``: softmax outputs, one-hot targets
    (chapter 3, "Loss functions")."""

    name = "categorical_crossentropy"
    _values = staticmethod(_cce_values)
    _grad = staticmethod(_cce_grad)


class SparseCategoricalCrossentropy(_CrossentropyLoss):
    """``keras.losses.SparseCategoricalCrossentropy``: softmax outputs, integer labels
    (chapter 3, "Loss functions")."""

    name = "sparse_categorical_crossentropy"
    _values = staticmethod(_scce_values)
    _grad = staticmethod(_scce_grad)

    def prepare(self, y_true: object, y_pred: object, check: bool = True) -> tuple[Array, Array]:
        p = _pred_array(y_pred, check)
        if p.ndim == 0:
            raise ValueError("y_pred must have a class axis, got a scalar")
        return _sparse_labels(y_true, p), p

    def value_and_gradient(self, y_true: object, y_pred: object,
                           check: bool = True) -> tuple[float, Array]:
        if not self.from_logits:
            return super().value_and_gradient(y_true, y_pred, check)
        labels, z = self.prepare(y_true, y_pred, check)
        values, g = softmax_cross_entropy(labels, z)  # one softmax for value and gradient
        g *= self._scale(values.size)
        return self._reduce(values), g  # type: ignore[return-value]

    def value_and_gradient_from_probabilities(self, y_true: object, logits: Array,
                                              probs: Array) -> tuple[float, Array]:
        """Like ``value_and_gradient`` on ``logits``, reusing ``probs = softmax(logits)`` that the
        output layer already computed (a fast path of ``fit``, chapter 3, "How fast is nnlib?"):
        value ``−log p[label]`` (from the logits where ``p`` underflows), gradient
        ``p − onehot``."""
        labels = _sparse_labels(y_true, logits)
        p2, lab = probs.reshape(-1, probs.shape[-1]), labels.reshape(-1)
        rows = np.arange(len(lab))
        picked = p2[rows, lab]
        if picked.min() < 1e-30:  # too small for an accurate log: the exact path
            return self.value_and_gradient(labels, logits, check=False)
        values = -np.log(picked)
        g = p2.copy()
        g[rows, lab] -= 1
        g *= self._scale(values.size)
        return self._reduce(values.reshape(labels.shape)), g.reshape(probs.shape)  # type: ignore[return-value]


_ALIASES: dict[str, type[Loss]] = {
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "huber": Huber, "huber_loss": Huber,
    "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
}


def get(identifier: str | Loss) -> Loss:
    """Resolve a Keras loss name (``"mse"``, ``"categorical_crossentropy"`` …) or a Loss
    (chapter 3, "Loss functions")."""
    return resolve(identifier, _ALIASES, Loss, "loss", "an nnlib.losses.Loss")


_FOLDS: dict[str, tuple[type[Loss], ...]] = {
    "softmax": (CategoricalCrossentropy, SparseCategoricalCrossentropy),
    "sigmoid": (BinaryCrossentropy,),
}


def logits_loss(loss: Loss, output_layer: object) -> Loss | None:
    """The same loss computed from the output layer's logits, or ``None`` (chapter 3, "Loss
    functions").

    Keras computes a cross-entropy that follows a softmax (sigmoid) output from that layer's
    logits: exact, stable, no clipping, and the gradient with respect to the logits is simply
    ``p − y``. ``fit`` does the same when this returns a loss.
    """
    activation = getattr(output_layer, "logits_activation", lambda: None)()
    if isinstance(loss, _FOLDS.get(activation, ())):  # type: ignore[arg-type]
        return loss.logits_version()
    return None
