"""Keras' stateful ``Metric`` API: means and accuracies accumulated over the batches of an epoch
(chapter 5, "One network, trained twice").

A stateful metric accumulates over batches, like ``keras.metrics``: ``reset_state()``,
``update_state(y_true, y_pred)``, ``result()``; ``fit`` resets it at the start of every epoch.

* ``Metric``: the base class; ``ResolvedByShape``: a metric chosen from the first batch's shapes.
* ``Mean`` and ``MeanMetricWrapper``: the (weighted) running mean of values, or of a per-sample
  function of :mod:`nnlib.metrics.functional` or :mod:`nnlib.losses`.
* ``BinaryAccuracy``, ``CategoricalAccuracy``, ``SparseCategoricalAccuracy``, ``MeanSquaredError``,
  ``MeanAbsoluteError``, and ``Accuracy`` — ``"accuracy"`` in ``compile``, resolved the way Keras
  resolves it: binary for one output unit, sparse categorical for integer labels, categorical for
  one-hot targets.

The metrics built on confusion counts (``Precision``, ``Recall``, ``AUC``, ``F1Score`` …) are in
:mod:`nnlib.metrics.confusion`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import losses
from .functional import (as_arrays, binary_accuracy, categorical_accuracy,
                         sparse_categorical_accuracy)

Array = np.ndarray

__all__ = ["Metric", "Mean", "MeanMetricWrapper", "BinaryAccuracy", "CategoricalAccuracy",
           "SparseCategoricalAccuracy", "MeanSquaredError", "MeanAbsoluteError",
           "ResolvedByShape", "Accuracy"]


class Metric:
    """Base class of stateful metrics: reset, update per batch, read the result
    (chapter 5, "One network, trained twice").

    A subclass implements ``reset_state``, ``update_state`` and ``result``; calling the metric
    is a one-shot evaluation.

    >>> class Count(Metric):
    ...     def reset_state(self): self.n = 0
    ...     def update_state(self, y_true, y_pred): self.n += len(y_true)
    ...     def result(self): return self.n
    >>> count = Count(name="samples")
    >>> count.update_state([1, 0], [0.2, 0.9]); count.update_state([1], [0.7])
    >>> count.result(), count
    (3, <Count name='samples'>)
    """

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
    """Weighted running mean of values, like ``keras.metrics.Mean``: the epoch's loss is the mean
    of its batches' losses (chapter 3, "Minibatches").

    >>> mean = Mean()
    >>> mean.update_state([1.0, 2.0, 3.0])
    >>> mean.update_state([10.0], sample_weight=3)
    >>> mean.result()  # (1 + 2 + 3 + 3·10) / (3 + 3)
    6.0
    """

    name = "mean"

    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values: object,  # type: ignore[override]
                     sample_weight: float | None = None) -> None:
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
    """Mean over all samples of a per-sample function ``fn(y_true, y_pred, **kwargs)``, like
    ``keras.metrics.MeanMetricWrapper`` (chapter 3, "The whole workflow, in nnlib and in Keras").

    >>> hits = MeanMetricWrapper(binary_accuracy, threshold=0.7)
    >>> hits.update_state([[1], [0]], [[0.8], [0.6]])
    >>> hits.update_state([[1]], [[0.6]])
    >>> hits.name, hits.result()
    ('binary_accuracy', 0.6666666666666666)
    """

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
    """``keras.metrics.BinaryAccuracy(threshold=0.5)``: the share of outputs on the right side of
    the threshold (chapter 5, "Four counts and Table 1").

    >>> BinaryAccuracy()([[1], [0], [1], [0]], [[0.9], [0.6], [0.4], [0.1]])
    0.5
    """

    def __init__(self, name: str = "binary_accuracy", threshold: float = 0.5) -> None:
        super().__init__(binary_accuracy, name, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """``keras.metrics.CategoricalAccuracy`` for one-hot targets
    (chapter 3, "The whole workflow, in nnlib and in Keras").

    >>> CategoricalAccuracy()([[0, 1], [1, 0], [1, 0]], [[0.3, 0.7], [0.6, 0.4], [0.2, 0.8]])
    0.6666666666666666
    """

    def __init__(self, name: str = "categorical_accuracy") -> None:
        super().__init__(categorical_accuracy, name)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """``keras.metrics.SparseCategoricalAccuracy`` for integer labels
    (chapter 3, "The whole workflow, in nnlib and in Keras").

    >>> SparseCategoricalAccuracy()([1, 0, 0], [[0.3, 0.7], [0.6, 0.4], [0.2, 0.8]])
    0.6666666666666666
    """

    def __init__(self, name: str = "sparse_categorical_accuracy") -> None:
        super().__init__(sparse_categorical_accuracy, name)


class MeanSquaredError(MeanMetricWrapper):
    """``keras.metrics.MeanSquaredError``: the mean of ``(y_pred − y_true)²``
    (chapter 3, "Loss functions").

    >>> MeanSquaredError()([[0.0], [1.0]], [[0.5], [3.0]])  # (0.25 + 4) / 2
    2.125
    """

    def __init__(self, name: str = "mean_squared_error") -> None:
        super().__init__(losses.mean_squared_error, name)


class MeanAbsoluteError(MeanMetricWrapper):
    """``keras.metrics.MeanAbsoluteError``: the mean of ``|y_pred − y_true|``
    (chapter 3, "Loss functions").

    >>> MeanAbsoluteError()([[0.0], [1.0]], [[0.5], [3.0]])  # (0.5 + 2) / 2
    1.25
    """

    def __init__(self, name: str = "mean_absolute_error") -> None:
        super().__init__(losses.mean_absolute_error, name)


class ResolvedByShape(Metric):
    """A metric chosen from the shapes of the first batch by :meth:`resolve`, then fed every batch;
    ``"accuracy"`` and ``"f1_score"`` are resolved this way
    (chapter 5, "One network, trained twice").

    >>> class Chosen(ResolvedByShape):
    ...     def resolve(self, y_true, y_pred):
    ...         chosen = BinaryAccuracy() if y_pred.shape[-1] == 1 else CategoricalAccuracy()
    ...         print("chose", chosen)
    ...         return chosen
    >>> metric = Chosen()
    >>> metric.update_state([[1], [0]], [[0.9], [0.2]])
    chose <BinaryAccuracy name='binary_accuracy'>
    >>> metric.update_state([[1]], [[0.3]])
    >>> metric.result()
    0.6666666666666666
    """

    def reset_state(self) -> None:
        if getattr(self, "_inner", None) is not None:
            self._inner.reset_state()

    def resolve(self, y_true: Array, y_pred: Array) -> Metric:
        """The metric for targets and predictions of these shapes (called on the first batch)."""
        raise NotImplementedError

    def update_state(self, y_true: object, y_pred: object) -> None:
        t, p = as_arrays(y_true, y_pred)
        if getattr(self, "_inner", None) is None:
            self._inner = self.resolve(t, p)
        self._inner.update_state(t, p)

    def result(self) -> float:
        inner = getattr(self, "_inner", None)
        return inner.result() if inner is not None else 0.0


class Accuracy(ResolvedByShape):
    """``"accuracy"`` in ``compile``: binary, sparse or categorical accuracy, picked from the first
    batch as Keras picks it (chapter 3, "The whole workflow, in nnlib and in Keras").

    One output unit → :class:`BinaryAccuracy`; integer labels → :class:`SparseCategoricalAccuracy`;
    one-hot targets → :class:`CategoricalAccuracy`.

    >>> accuracy = Accuracy()
    >>> accuracy.resolve(np.array([2, 0]), np.zeros((2, 3)))  # integer labels, 3 classes
    <SparseCategoricalAccuracy name='accuracy'>
    >>> accuracy([2, 0], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]])
    1.0
    """

    name = "accuracy"

    def resolve(self, y_true: Array, y_pred: Array) -> Metric:
        if y_pred.shape[-1] == 1:
            return BinaryAccuracy(self.name)
        if y_true.ndim < y_pred.ndim or y_true.shape[-1] == 1:
            return SparseCategoricalAccuracy(self.name)
        return CategoricalAccuracy(self.name)
