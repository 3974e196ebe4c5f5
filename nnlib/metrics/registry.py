"""The metric names that ``compile(metrics=[...])`` understands, and how to add one
(chapter 5, "One network, trained twice").

``get`` turns a Keras name (``"accuracy"``, ``"mae"``, ``"auc"`` …) into a fresh metric object;
``register`` adds a name. The table maps each name to a factory, so every model gets its own
state.
"""
from __future__ import annotations

from typing import Callable

from ..utils import resolve

from .confusion import (AUC, F1ScoreByShape, FalseNegatives, FalsePositives, Precision, Recall,
                        TrueNegatives, TruePositives)
from .stateful import (Accuracy, BinaryAccuracy, CategoricalAccuracy, MeanAbsoluteError,
                       MeanSquaredError, Metric, SparseCategoricalAccuracy)

__all__ = ["get", "register"]

_NAMES: dict[str, Callable[[], Metric]] = {
    "accuracy": Accuracy, "acc": lambda: Accuracy("acc"),
    "binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "mean_squared_error": MeanSquaredError, "mse": lambda: MeanSquaredError("mse"),
    "mean_absolute_error": MeanAbsoluteError, "mae": lambda: MeanAbsoluteError("mae"),
    "precision": Precision, "recall": Recall, "auc": AUC, "f1_score": F1ScoreByShape,
    "true_positives": TruePositives, "false_positives": FalsePositives,
    "true_negatives": TrueNegatives, "false_negatives": FalseNegatives,
}


def register(name: str, factory: Callable[[], Metric]) -> None:
    """Make a metric usable by name in ``compile(metrics=[name])``
    (chapter 5, "One network, trained twice").

    >>> register("top_precision", lambda: Precision(thresholds=0.9, name="top_precision"))
    >>> get("top_precision")
    <Precision name='top_precision'>
    """
    _NAMES[name] = factory


def get(identifier: str | Metric) -> Metric:
    """Resolve a Keras metric name (``"accuracy"``, ``"mae"`` …) to a new metric, or pass a
    Metric instance through (chapter 5, "One network, trained twice").

    >>> get("precision"), get("mae"), get("f1_score")
    (<Precision name='precision'>, <MeanAbsoluteError name='mae'>, <F1ScoreByShape name='f1_score'>)
    >>> get("accuracy") is get("accuracy")  # a fresh object each time
    False
    """
    return resolve(identifier, _NAMES, Metric, "metric", "an nnlib.metrics.Metric")
