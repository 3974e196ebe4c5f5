"""Metrics: per-sample functions and stateful objects for ``compile(metrics=[...])`` (chapters 3, 5).

A stateful metric accumulates over the batches of an epoch, like ``keras.metrics``:
``reset_state()``, ``update_state(y_true, y_pred)``, ``result()``. ``"accuracy"`` is resolved the
way Keras resolves it, from the shapes of the first batch: binary for one output unit, sparse
categorical for integer labels, categorical for one-hot targets.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import losses as losses_module

Array = np.ndarray


def _as_arrays(y_true: object, y_pred: object) -> tuple[Array, Array]:
    p = np.asarray(y_pred)
    t = np.asarray(y_true)
    for name, a in (("y_true", t), ("y_pred", p)):
        if a.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be numeric, got dtype {a.dtype}")
    return t, p


# --- per-sample functions ------------------------------------------------------------------------

def binary_accuracy(y_true: object, y_pred: object, threshold: float = 0.5) -> Array:
    """Per-sample share of outputs where ``(y_pred > threshold) == y_true`` (chapter 5)."""
    t, p = _as_arrays(y_true, y_pred)
    if t.ndim == p.ndim - 1 and p.shape[-1] == 1:
        t = t[..., None]
    if t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} must have the same shape")
    return np.mean((p > threshold) == (t > 0.5), axis=-1).astype(np.float32)


def categorical_accuracy(y_true: object, y_pred: object) -> Array:
    """1 where ``argmax(y_pred) == argmax(y_true)`` (one-hot targets), else 0 (chapter 5)."""
    t, p = _as_arrays(y_true, y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} must have the same shape "
                         "(one-hot targets); for integer labels use sparse_categorical_accuracy")
    return (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(np.float32)


def sparse_categorical_accuracy(y_true: object, y_pred: object) -> Array:
    """1 where ``argmax(y_pred) == y_true`` (integer labels), else 0 (chapter 5)."""
    t, p = _as_arrays(y_true, y_pred)
    if t.ndim == p.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    if t.shape != p.shape[:-1]:
        raise ValueError(f"integer labels must have shape {p.shape[:-1]}, got {t.shape}")
    return (t == np.argmax(p, axis=-1)).astype(np.float32)


# --- stateful metrics ----------------------------------------------------------------------------

class Metric:
    """Base class of stateful metrics (chapter 5): reset, update per batch, read the result."""

    name = "metric"

    def __init__(self, name: str | None = None) -> None:
        if name is not None:
            self.name = name
        self.reset_state()

    def reset_state(self) -> None:
        """Forget everything accumulated (``fit`` calls this at the start of each epoch)."""
        raise NotImplementedError

    def update_state(self, y_true: object, y_pred: object) -> None:
        """Accumulate one batch."""
        raise NotImplementedError

    def result(self) -> float:
        """The metric over everything accumulated since the last reset."""
        raise NotImplementedError

    def __call__(self, y_true: object, y_pred: object) -> float:
        """Reset, update with this data and return the result: a one-shot evaluation."""
        self.reset_state()
        self.update_state(y_true, y_pred)
        return self.result()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


class Mean(Metric):
    """Weighted running mean of values, like ``keras.metrics.Mean`` (chapter 3)."""

    name = "mean"

    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values: object, sample_weight: float | None = None) -> None:  # type: ignore[override]
        v = np.asarray(values, dtype=np.float64)
        if sample_weight is None:
            self.total += float(v.sum())
            self.count += v.size
        else:
            self.total += float(v.mean()) * float(sample_weight) if v.size else 0.0
            self.count += float(sample_weight)

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


class MeanMetricWrapper(Metric):
    """Mean over all samples of a per-sample function ``fn(y_true, y_pred)`` (chapter 5)."""

    def __init__(self, fn: Callable[..., Array], name: str | None = None, **kwargs: object) -> None:
        self.fn = fn
        self.kwargs = kwargs
        super().__init__(name or getattr(fn, "__name__", "metric"))

    def reset_state(self) -> None:
        self._mean = Mean()

    def update_state(self, y_true: object, y_pred: object) -> None:
        self._mean.update_state(self.fn(y_true, y_pred, **self.kwargs))

    def result(self) -> float:
        return self._mean.result()


class BinaryAccuracy(MeanMetricWrapper):
    """``keras.metrics.BinaryAccuracy(threshold=0.5)`` (chapter 5)."""

    def __init__(self, name: str = "binary_accuracy", threshold: float = 0.5) -> None:
        super().__init__(binary_accuracy, name, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """``keras.metrics.CategoricalAccuracy`` for one-hot targets (chapter 5)."""

    def __init__(self, name: str = "categorical_accuracy") -> None:
        super().__init__(categorical_accuracy, name)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """``keras.metrics.SparseCategoricalAccuracy`` for integer labels (chapter 5)."""

    def __init__(self, name: str = "sparse_categorical_accuracy") -> None:
        super().__init__(sparse_categorical_accuracy, name)


class MeanSquaredError(MeanMetricWrapper):
    """``keras.metrics.MeanSquaredError`` (chapter 3)."""

    def __init__(self, name: str = "mean_squared_error") -> None:
        super().__init__(losses_module.mean_squared_error, name)


class MeanAbsoluteError(MeanMetricWrapper):
    """``keras.metrics.MeanAbsoluteError`` (chapter 3)."""

    def __init__(self, name: str = "mean_absolute_error") -> None:
        super().__init__(losses_module.mean_absolute_error, name)


class Accuracy(Metric):
    """``"accuracy"`` in ``compile``: picks binary, sparse or categorical accuracy on first use."""

    name = "accuracy"

    def reset_state(self) -> None:
        if getattr(self, "_inner", None) is not None:
            self._inner.reset_state()

    def _resolve(self, y_true: Array, y_pred: Array) -> Metric:
        if y_pred.shape[-1] == 1:
            return BinaryAccuracy(self.name)
        if y_true.ndim < y_pred.ndim or y_true.shape[-1] == 1:
            return SparseCategoricalAccuracy(self.name)
        return CategoricalAccuracy(self.name)

    def update_state(self, y_true: object, y_pred: object) -> None:
        t, p = _as_arrays(y_true, y_pred)
        if getattr(self, "_inner", None) is None:
            self._inner = self._resolve(t, p)
        self._inner.update_state(t, p)

    def result(self) -> float:
        inner = getattr(self, "_inner", None)
        return inner.result() if inner is not None else 0.0


_NAMES: dict[str, Callable[[], Metric]] = {
    "accuracy": Accuracy, "acc": lambda: Accuracy("acc"),
    "binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "mean_squared_error": MeanSquaredError, "mse": lambda: MeanSquaredError("mse"),
    "mean_absolute_error": MeanAbsoluteError, "mae": lambda: MeanAbsoluteError("mae"),
}


def register(name: str, factory: Callable[[], Metric]) -> None:
    """Make a metric usable by name in ``compile(metrics=[name])``."""
    _NAMES[name] = factory


def get(identifier: str | Metric) -> Metric:
    """Resolve a Keras metric name (``"accuracy"``, ``"mae"`` …) or a Metric instance."""
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        try:
            return _NAMES[identifier]()
        except KeyError:
            raise ValueError(
                f"Unknown metric {identifier!r}; expected one of {sorted(_NAMES)}"
            ) from None
    raise TypeError(f"metric must be a name or an nnlib.metrics.Metric, got {type(identifier).__name__}")
