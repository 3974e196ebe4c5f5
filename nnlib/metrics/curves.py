"""Threshold curves and the areas under them, exactly as scikit-learn computes them
(chapter 5, "Precision–recall and ROC curves").

A classifier's score becomes a label with a threshold: "positive when ``score >= t``". The curves
show every threshold at once, from the counts at every distinct score:

* ``precision_recall_curve`` and its summary ``average_precision_score``;
* ``roc_curve`` and its area ``roc_auc_score``; ``auc``, the trapezoidal area under any curve.

Names, arguments and results are scikit-learn's. Keras' ``AUC`` metric, which estimates the area
from counts at fixed thresholds batch by batch, is in :mod:`nnlib.metrics.confusion`.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_finite
from .functional import class_labels, ratio, sample_weights

Array = np.ndarray

__all__ = ["precision_recall_curve", "roc_curve", "auc", "roc_auc_score",
           "average_precision_score"]


def _scores(y_score: object) -> Array:
    s = np.asarray(y_score)
    if s.dtype.kind not in "biuf":
        raise TypeError(f"y_score must be numeric, got dtype {s.dtype}")
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim != 1:
        raise ValueError(f"y_score must be 1-D, one score per sample (the probability of the "
                         f"positive class), got shape {s.shape}")
    s = s.astype(np.float64)
    check_finite(s, "y_score")
    return s


def _counts_at_thresholds(y_true: object, y_score: object, pos_label: int | None,
                          sample_weight: object) -> tuple[Array, Array, Array]:
    """FP and TP counts when predicting positive for ``score >= t``, for every distinct score t
    (decreasing), as scikit-learn's ``confusion_matrix_at_thresholds`` computes them."""
    t = class_labels(y_true, "y_true")
    s = _scores(y_score)
    if s.size != t.size:
        raise ValueError(f"y_true has {t.size} labels but y_score has {s.size} scores")
    classes = np.unique(t)
    if classes.size > 2 and pos_label is None:
        raise ValueError(f"y_true has {classes.size} classes {classes.tolist()}: a curve needs "
                         "two; set pos_label to the class to treat as positive")
    if pos_label is None:
        if not set(classes.tolist()) <= {0, 1} and not set(classes.tolist()) <= {-1, 1}:
            raise ValueError(f"y_true takes the values {classes.tolist()}; pass pos_label to say "
                             "which is the positive class")
        pos_label = 1
    w = sample_weights(sample_weight, t.size)
    positive = (t == pos_label).astype(np.float64)
    if w is not None:
        keep = w != 0
        positive, s, w = positive[keep], s[keep], w[keep]
    order = np.argsort(-s, kind="stable")
    s, positive = s[order], positive[order]
    last = np.r_[np.nonzero(np.diff(s))[0], s.size - 1]  # last index of each distinct score
    if w is None:
        tps = np.cumsum(positive)[last]
        fps = 1.0 + last - tps
    else:
        w = w[order]
        tps = np.cumsum(positive * w)[last]
        fps = np.cumsum((1.0 - positive) * w)[last]
    return fps, tps, s[last]


def precision_recall_curve(y_true: object, y_score: object, *, pos_label: int | None = None,
                           sample_weight: object = None, drop_intermediate: bool = False
                           ) -> tuple[Array, Array, Array]:
    """Precision and recall for every threshold on the scores, like scikit-learn's
    (chapter 5, "The cost of a false negative").

    Returns ``precision, recall, thresholds``: ``precision[i]`` and ``recall[i]`` are those of
    the rule "positive when ``score >= thresholds[i]``", thresholds increasing; a last point
    (precision 1, recall 0) ends the curve. Without positives in ``y_true`` recall is 1 everywhere
    (scikit-learn's value, without its warning).

    >>> precision, recall, thresholds = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> precision
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> recall
    array([1. , 1. , 0.5, 0.5, 0. ])
    >>> thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    """
    fps, tps, thresholds = _counts_at_thresholds(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and fps.size > 2:
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    precision = ratio(tps, tps + fps)
    recall = np.ones_like(tps) if tps[-1] == 0 else tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def roc_curve(y_true: object, y_score: object, *, pos_label: int | None = None,
              sample_weight: object = None, drop_intermediate: bool = True
              ) -> tuple[Array, Array, Array]:
    """The ROC curve, like scikit-learn's ``roc_curve``
    (chapter 5, "Precision–recall and ROC curves").

    Returns ``fpr, tpr, thresholds``: the false-positive rate FP / (FP + TN) and the true-positive
    rate (recall) TP / (TP + FN) of "positive when ``score >= thresholds[i]``", thresholds
    decreasing from ``inf`` (nothing positive, the point (0, 0)). ``drop_intermediate`` leaves out
    points on a straight segment, which change neither the plot nor the area. ``y_true`` must hold
    both classes (scikit-learn returns NaN and warns; nnlib raises).

    >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    fps, tps, thresholds = _counts_at_thresholds(y_true, y_score, pos_label, sample_weight)
    if fps[-1] <= 0 or tps[-1] <= 0:
        missing = "negative" if fps[-1] <= 0 else "positive"
        raise ValueError(f"y_true has no {missing} samples: the ROC curve needs both classes")
    if drop_intermediate and fps.size > 2:
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thresholds]


def auc(x: object, y: object) -> float:
    """Area under a curve through the points (x, y) by the trapezoidal rule, like scikit-learn's
    ``auc``; ``x`` must be increasing or decreasing (chapter 5, "Precision–recall and ROC curves").

    >>> auc([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])  # the ROC curve of roc_curve
    0.75
    >>> auc([1.0, 0.5, 0.0], [0.0, 1.0, 1.0])  # decreasing x
    0.75
    """
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape or xs.size < 2:
        raise ValueError(f"auc needs two 1-D arrays of the same length >= 2, got {xs.shape} and "
                         f"{ys.shape}")
    check_finite(xs, "x")
    check_finite(ys, "y")
    dx = np.diff(xs)
    if (dx < 0).any() and (dx > 0).any():
        raise ValueError("x must be monotonic (increasing or decreasing) for auc")
    direction = -1.0 if (dx <= 0).all() and (dx < 0).any() else 1.0
    return float(direction * np.sum(dx * (ys[1:] + ys[:-1]) / 2.0))


def roc_auc_score(y_true: object, y_score: object, *, sample_weight: object = None) -> float:
    """Area under the ROC curve for binary labels 0/1, like scikit-learn's: the chance that a
    random positive sample scores higher than a random negative one, ties counting half
    (chapter 5, "Precision–recall and ROC curves").

    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])  # 3 of the 4 pairs are ordered right
    0.75
    >>> roc_auc_score([0, 1], [0.5, 0.5])  # a tie
    0.5
    """
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight, drop_intermediate=True)
    return auc(fpr, tpr)


def average_precision_score(y_true: object, y_score: object, *, pos_label: int = 1,
                            sample_weight: object = None) -> float:
    """Average precision Σ (Rₙ − Rₙ₋₁)·Pₙ: the precision at every threshold, weighted by the
    recall gained there — scikit-learn's summary of the PR curve
    (chapter 5, "Precision–recall and ROC curves").

    >>> average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])  # 0.5·1 + 0.5·(2/3)
    0.8333333333333333
    """
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label,
                                                  sample_weight=sample_weight)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))
