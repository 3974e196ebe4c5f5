"""Metrics: how good is a model? (chapter 5, "Four counts and Table 1")

``compile(metrics=["accuracy"])`` first appears in
(chapter 3, "The whole workflow, in nnlib and in Keras"); chapter 5 takes a classifier's
predictions apart with the rest. Everything is importable from ``nnlib.metrics``; the modules
split it by concern:

* :mod:`~nnlib.metrics.functional` — functions on arrays. Keras' per-sample ``binary_accuracy``,
  ``categorical_accuracy``, ``sparse_categorical_accuracy``; scikit-learn's functions on labels
  ``confusion_matrix``, ``accuracy_score``, ``precision_recall_fscore_support``,
  ``precision_score``, ``recall_score``, ``fbeta_score``, ``f1_score`` (binary, macro, micro,
  weighted averaging); and the input checks the other modules share (``as_arrays``,
  ``class_labels``, ``sample_weights``, ``ratio``).
* :mod:`~nnlib.metrics.curves` — scikit-learn's threshold curves and areas on scores:
  ``precision_recall_curve``, ``roc_curve``, ``auc``, ``roc_auc_score``,
  ``average_precision_score``.
* :mod:`~nnlib.metrics.stateful` — Keras' stateful API for ``compile(metrics=[...])``:
  ``reset_state()``, ``update_state(y_true, y_pred)``, ``result()``. ``Metric``, ``Mean``,
  ``MeanMetricWrapper``, the accuracies, ``MeanSquaredError``, ``MeanAbsoluteError``, and
  ``Accuracy`` (``"accuracy"``, resolved from the first batch's shapes, as Keras does).
* :mod:`~nnlib.metrics.confusion` — Keras' stateful metrics built on confusion counts at
  thresholds: ``Precision``, ``Recall``, ``TruePositives``, ``FalsePositives``,
  ``TrueNegatives``, ``FalseNegatives``, ``AUC``, ``FBetaScore``, ``F1Score`` and
  ``F1ScoreByShape`` (``"f1_score"``, resolved from the shapes too).
* :mod:`~nnlib.metrics.registry` — the names ``compile`` accepts: ``get`` and ``register``.

Why ``AUC`` sits with the confusion-count metrics and not with the curves: Keras' ``AUC`` is a
stateful metric that counts TP/FP/TN/FN at fixed thresholds batch by batch — the same float32
bucket counting as ``Precision`` and ``Recall``, which it shares — and sums a Riemann estimate of
the area. scikit-learn's functions in ``curves`` sort the scores and compute the exact curve; the
two share a concept but no code. Kept apart, each module owns its arithmetic privately, and
``curves`` stays the pure scikit-learn counterpart of ``confusion``.

The modules depend on each other in one direction only: ``functional`` ← ``curves``;
``functional`` ← ``stateful`` ← ``confusion`` ← ``registry``. The name table has a module of its
own because it lists classes of both ``stateful`` and ``confusion``; inside ``stateful`` it would
close a cycle.
"""
from __future__ import annotations

from ..numerics import EPSILON as EPSILON  # keras.backend.epsilon(), as before the split
from .confusion import (AUC, F1Score, F1ScoreByShape, FalseNegatives, FalsePositives, FBetaScore,
                        Precision, Recall, TrueNegatives, TruePositives)
from .curves import (auc, average_precision_score, precision_recall_curve, roc_auc_score,
                     roc_curve)
from .functional import (accuracy_score, binary_accuracy, categorical_accuracy, confusion_matrix,
                         f1_score, fbeta_score, precision_recall_fscore_support, precision_score,
                         recall_score, sparse_categorical_accuracy)
from .registry import get, register
from .stateful import (Accuracy, BinaryAccuracy, CategoricalAccuracy, Mean, MeanAbsoluteError,
                       MeanMetricWrapper, MeanSquaredError, Metric, SparseCategoricalAccuracy)

__all__ = [
    # functional
    "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", "confusion_matrix",
    "accuracy_score", "precision_recall_fscore_support", "precision_score", "recall_score",
    "fbeta_score", "f1_score",
    # curves
    "precision_recall_curve", "roc_curve", "auc", "roc_auc_score", "average_precision_score",
    # stateful
    "Metric", "Mean", "MeanMetricWrapper", "BinaryAccuracy", "CategoricalAccuracy",
    "SparseCategoricalAccuracy", "MeanSquaredError", "MeanAbsoluteError", "Accuracy",
    # confusion
    "Precision", "Recall", "TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives",
    "AUC", "FBetaScore", "F1Score", "F1ScoreByShape",
    # registry
    "get", "register",
]
