"""Metrics: how good is a model? (chapters 3, 5)

Per-sample functions, stateful objects for ``compile(metrics=[...])``, and scikit-learn-style
functions on labels and scores.

A stateful metric accumulates over the batches of an epoch, like ``keras.metrics``:
``reset_state()``, ``update_state(y_true, y_pred)``, ``result()``. ``"accuracy"`` is resolved the
way Keras resolves it, from the shapes of the first batch: binary for one output unit, sparse
categorical for integer labels, categorical for one-hot targets. ``"precision"``, ``"recall"``,
``"auc"`` are Keras' ``Precision()``, ``Recall()``, ``AUC()``; ``"f1_score"`` is resolved by shape
too (see :class:`F1ScoreByShape`).

Chapter 5 adds the functions on labels — ``confusion_matrix``, ``accuracy_score``,
``precision_score``, ``recall_score``, ``f1_score`` with binary/macro/micro/weighted averaging —
and on scores — ``precision_recall_curve``, ``roc_curve``, ``auc``, ``roc_auc_score``,
``average_precision_score`` — with scikit-learn's names, arguments and results.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import losses as losses_module
from ._checks import check_finite, check_positive_int

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


# --- classification metrics from labels (chapter 5) ----------------------------------------------
#
# Everything below derives from one table, the confusion matrix: row = true class, column =
# predicted class. For class c, TP = C[c, c], FP = column sum − TP, FN = row sum − TP. The
# functions mirror scikit-learn's names, signatures and results; where scikit-learn warns about an
# ill-defined ratio (no predicted or no true samples of a class) nnlib returns the same value,
# ``zero_division``, silently.

_AVERAGES = (None, "binary", "micro", "macro", "weighted")


def _labels(y: object, name: str) -> Array:
    """``y`` as a 1-D int64 array of class labels, with a clear error for anything else."""
    a = np.asarray(y)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold class labels (integers or bools), got dtype {a.dtype}")
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        advice = (" For one-hot rows or one probability per class, take y.argmax(axis=1) first."
                  if a.ndim == 2 else "")
        raise ValueError(f"{name} must be a 1-D array of class labels, got shape {a.shape}."
                         f"{advice}")
    if a.size == 0:
        raise ValueError(f"{name} is empty: at least one sample is needed")
    if a.dtype.kind == "f":
        if not np.isfinite(a).all():
            raise ValueError(f"{name} contains NaN or inf; expected class labels")
        bad = a != np.round(a)
        if bad.any():
            raise ValueError(
                f"{name} must hold class labels, got non-integer values such as "
                f"{a[bad][0]!r}. Turn scores into labels first: (p >= threshold) for one "
                "probability per sample, p.argmax(axis=1) for one per class."
            )
    return a.astype(np.int64)


def _weights(sample_weight: object, n: int) -> Array | None:
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"sample_weight must have shape ({n},), one weight per sample, "
                         f"got {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight must hold finite, non-negative numbers")
    return w


def _pair(y_true: object, y_pred: object) -> tuple[Array, Array]:
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.size} labels but y_pred has {p.size}; they must match")
    return t, p


def confusion_matrix(y_true: object, y_pred: object, num_classes: int | None = None,
                     sample_weight: object = None, normalize: str | None = None) -> Array:
    """The confusion matrix ``C[i, j]``: how many samples of true class i were predicted as j.

    Classes are the integers ``0 … num_classes − 1`` (default: one more than the largest label),
    as in ``tf.math.confusion_matrix``; the result equals scikit-learn's
    ``confusion_matrix(y_true, y_pred, labels=range(num_classes))``, so classes that never occur
    get a row and a column of zeros. ``normalize`` ("true", "pred" or "all") divides by the row
    sums, the column sums or the total, as in scikit-learn (0 where a sum is 0). For two classes
    the matrix is ``[[TN, FP], [FN, TP]]`` (chapter 5).
    """
    t, p = _pair(y_true, y_pred)
    if (t < 0).any() or (p < 0).any():
        raise ValueError("confusion_matrix needs class labels 0, 1, 2, …; got negative labels")
    top = int(max(t.max(), p.max())) + 1
    if num_classes is None:
        num_classes = top
    elif check_positive_int(num_classes, "num_classes") < top:
        raise ValueError(f"num_classes={num_classes}, but the labels go up to {top - 1}")
    w = _weights(sample_weight, t.size)
    counts = np.bincount(t * num_classes + p, weights=w, minlength=num_classes ** 2)
    cm = counts.reshape(num_classes, num_classes)
    if normalize is None:
        return cm
    sums = {"true": cm.sum(axis=1, keepdims=True), "pred": cm.sum(axis=0, keepdims=True),
            "all": cm.sum()}
    if normalize not in sums:
        raise ValueError(f"normalize must be 'true', 'pred', 'all' or None, got {normalize!r}")
    total = np.asarray(sums[normalize], dtype=np.float64)
    return np.divide(cm, total, out=np.zeros(cm.shape), where=total != 0)


def accuracy_score(y_true: object, y_pred: object, normalize: bool = True,
                   sample_weight: object = None) -> float:
    """Share of samples whose predicted label equals the true one, like scikit-learn's
    ``accuracy_score`` (the number of them with ``normalize=False``) (chapter 5)."""
    t, p = _pair(y_true, y_pred)
    w = _weights(sample_weight, t.size)
    hits = (t == p).astype(np.float64)
    if not normalize:
        return float(hits.sum() if w is None else hits @ w)
    return float(np.average(hits, weights=w))


def _check_zero_division(zero_division: object) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0  # scikit-learn's default: 0.0 plus a warning; nnlib does not warn
    number = isinstance(zero_division, (int, float, np.floating)) and \
        not isinstance(zero_division, bool)
    if number and (zero_division in (0, 1) or np.isnan(zero_division)):
        return float(zero_division)
    raise ValueError(f"zero_division must be 0, 1, np.nan or 'warn', got {zero_division!r}")


def _divide(num: Array, den: Array, zero_division: float) -> Array:
    """``num / den`` with ``zero_division`` where ``den == 0`` (no warning)."""
    out = np.full(np.shape(num), zero_division, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _class_counts(t: Array, p: Array, labels: Array, w: Array | None) -> tuple[Array, Array, Array]:
    """Per label: true positives, predicted count (TP + FP), true count (TP + FN, the support)."""
    classes = np.union1d(np.union1d(t, p), labels)
    ti, pi = np.searchsorted(classes, t), np.searchsorted(classes, p)
    hit = ti == pi
    k = classes.size
    tp = np.bincount(ti[hit], weights=None if w is None else w[hit], minlength=k)
    predicted = np.bincount(pi, weights=w, minlength=k)
    true = np.bincount(ti, weights=w, minlength=k)
    idx = np.searchsorted(classes, labels)
    return tp[idx], predicted[idx], true[idx]


def _select_labels(t: Array, p: Array, labels: object, average: str | None,
                   pos_label: int) -> Array:
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {_AVERAGES}, got {average!r}")
    present = np.union1d(t, p)
    if average == "binary":
        if present.size > 2:
            raise ValueError(
                f"average='binary' is for two classes, but the labels are {present.tolist()}. "
                "For several classes choose average='macro', 'micro', 'weighted' or None."
            )
        if pos_label not in present and present.size == 2:
            raise ValueError(f"pos_label={pos_label} is not one of the labels {present.tolist()}")
        return np.array([pos_label], dtype=np.int64)
    if labels is None:
        return present
    chosen = _labels(labels, "labels")
    if np.unique(chosen).size != chosen.size:
        raise ValueError(f"labels must not repeat, got {chosen.tolist()}")
    return chosen


def _average(values: Array, average: str | None, support: Array) -> Array | float:
    if average in (None, "binary"):
        return values if average is None else float(values[0])
    keep = ~np.isnan(values)
    if not keep.any():
        return float("nan")
    weights = support[keep] if average == "weighted" and support[keep].sum() > 0 else None
    return float(np.average(values[keep], weights=weights))


def precision_recall_fscore_support(
        y_true: object, y_pred: object, *, beta: float = 1.0, labels: object = None,
        pos_label: int = 1, average: str | None = None, sample_weight: object = None,
        zero_division: float | str = 0.0) -> tuple[Array | float, Array | float, Array | float,
                                                   Array | None]:
    """Precision, recall, F-beta score and support per class, or averaged (chapter 5).

    Same arguments and results as scikit-learn's function of the same name:

    - precision = TP / (TP + FP): of the samples predicted as the class, the share that are;
    - recall = TP / (TP + FN): of the samples of the class, the share that was found;
    - F-beta = (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP), the weighted harmonic mean (F1 for β = 1);
    - support = TP + FN, how many samples truly belong to the class.

    ``average``: ``None`` gives one value per class of ``labels`` (default: every label that
    occurs in ``y_true`` or ``y_pred``; list a class that never occurs to include it);
    ``"binary"`` only the class ``pos_label`` (two classes at most); ``"macro"`` the plain mean
    over classes; ``"weighted"`` the mean weighted by support; ``"micro"`` the ratio of the summed
    counts (for single-label data: the accuracy). The support is returned only for ``None``.

    A ratio whose denominator is 0 (a class never predicted, or never present) is
    ``zero_division`` — 0, 1 or NaN (NaN values are left out of the averages). scikit-learn's
    default ``"warn"`` means 0 with a warning; nnlib accepts it and gives 0 without one.
    """
    zero = _check_zero_division(zero_division)
    if not isinstance(beta, (int, float, np.floating)) or isinstance(beta, bool) or beta < 0:
        raise ValueError(f"beta must be a number >= 0, got {beta!r}")
    t, p = _pair(y_true, y_pred)
    chosen = _select_labels(t, p, labels, average, pos_label)
    w = _weights(sample_weight, t.size)
    tp, predicted, true = _class_counts(t, p, chosen, w)
    if average == "micro":
        tp, predicted, true = (a.sum(keepdims=True) for a in (tp, predicted, true))
    precision = _divide(tp, predicted, zero)
    recall = _divide(tp, true, zero)
    if np.isposinf(beta):
        fscore = recall
    elif beta == 0:
        fscore = precision
    else:
        b2 = float(beta) ** 2
        fscore = _divide((1 + b2) * tp, b2 * true + predicted, zero)
    support = (true.astype(np.int64) if w is None else true) if average is None else None
    return (_average(precision, average, true), _average(recall, average, true),
            _average(fscore, average, true), support)


def precision_score(y_true: object, y_pred: object, *, labels: object = None, pos_label: int = 1,
                    average: str | None = "binary", sample_weight: object = None,
                    zero_division: float | str = 0.0) -> Array | float:
    """Precision TP / (TP + FP), like scikit-learn's ``precision_score`` (chapter 5).

    See :func:`precision_recall_fscore_support` for ``average`` and ``zero_division``.
    """
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division)[0]


def recall_score(y_true: object, y_pred: object, *, labels: object = None, pos_label: int = 1,
                 average: str | None = "binary", sample_weight: object = None,
                 zero_division: float | str = 0.0) -> Array | float:
    """Recall (sensitivity) TP / (TP + FN), like scikit-learn's ``recall_score`` (chapter 5)."""
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division)[1]


def fbeta_score(y_true: object, y_pred: object, *, beta: float, labels: object = None,
                pos_label: int = 1, average: str | None = "binary", sample_weight: object = None,
                zero_division: float | str = 0.0) -> Array | float:
    """F-beta score: recall counts β times as much as precision; like scikit-learn's (chapter 5)."""
    return precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division)[2]


def f1_score(y_true: object, y_pred: object, *, labels: object = None, pos_label: int = 1,
             average: str | None = "binary", sample_weight: object = None,
             zero_division: float | str = 0.0) -> Array | float:
    """F1 = 2·P·R / (P + R) = 2·TP / (2·TP + FP + FN), like scikit-learn's ``f1_score``
    (chapter 5)."""
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label,
                       average=average, sample_weight=sample_weight, zero_division=zero_division)


# --- threshold curves (chapter 5) ----------------------------------------------------------------

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
    t = _labels(y_true, "y_true")
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
    w = _weights(sample_weight, t.size)
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
    """Precision and recall for every threshold on the scores, like scikit-learn's (chapter 5).

    Returns ``precision, recall, thresholds``: ``precision[i]`` and ``recall[i]`` are those of
    the rule "positive when ``score >= thresholds[i]``", thresholds increasing; a last point
    (precision 1, recall 0) ends the curve. Without positives in ``y_true`` recall is 1 everywhere
    (scikit-learn's value, without its warning).
    """
    fps, tps, thresholds = _counts_at_thresholds(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and fps.size > 2:
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    precision = _divide(tps, tps + fps, 0.0)
    recall = np.ones_like(tps) if tps[-1] == 0 else tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def roc_curve(y_true: object, y_score: object, *, pos_label: int | None = None,
              sample_weight: object = None, drop_intermediate: bool = True
              ) -> tuple[Array, Array, Array]:
    """The ROC curve, like scikit-learn's ``roc_curve`` (chapter 5).

    Returns ``fpr, tpr, thresholds``: the false-positive rate FP / (FP + TN) and the true-positive
    rate (recall) TP / (TP + FN) of "positive when ``score >= thresholds[i]``", thresholds
    decreasing from ``inf`` (nothing positive, the point (0, 0)). ``drop_intermediate`` leaves out
    points on a straight segment, which change neither the plot nor the area. ``y_true`` must hold
    both classes (scikit-learn returns NaN and warns; nnlib raises).
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
    ``auc``; ``x`` must be increasing or decreasing (chapter 5)."""
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
    """Area under the ROC curve for binary labels 0/1, like scikit-learn's (chapter 5): the chance
    that a random positive sample scores higher than a random negative one (ties count half)."""
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight, drop_intermediate=True)
    return auc(fpr, tpr)


def average_precision_score(y_true: object, y_score: object, *, pos_label: int = 1,
                            sample_weight: object = None) -> float:
    """Average precision: the precisions at every threshold weighted by the recall gained there,
    Σ (Rₙ − Rₙ₋₁)·Pₙ — scikit-learn's summary of the PR curve (chapter 5)."""
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label,
                                                  sample_weight=sample_weight)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


# --- stateful confusion-matrix metrics, Keras' semantics (chapter 5) -----------------------------
#
# keras.metrics.Precision, Recall, AUC … compare y_pred with one or more thresholds element by
# element ("positive" means y_pred > threshold) and accumulate TP/FP/TN/FN over the batches. The
# counting below reproduces Keras' arithmetic (float32 predictions; for evenly spaced thresholds
# Keras' bucket formula ceil(p·(T−1)) − 1), so the counts agree exactly.

EPSILON = 1e-7  # keras.backend.epsilon()
_NEG_INF = -1e10  # Keras' threshold when only top_k decides


def _confusion_inputs(y_true: object, y_pred: object, sample_weight: object,
                      name: str) -> tuple[Array, Array, Array | None]:
    """Float32 ``y_true``/``y_pred`` of one shape (Keras' squeeze-or-expand of a last axis of 1),
    integer labels one-hot encoded when ``y_pred`` has one column per class, weights broadcast."""
    t, p = _as_arrays(y_true, y_pred)
    p = p.astype(np.float32)
    check_finite(p, f"{name}: y_pred")
    if t.ndim == p.ndim - 1 and p.ndim >= 2 and p.shape[-1] > 1 and t.shape == p.shape[:-1]:
        labels = _labels(t.reshape(-1), f"{name}: y_true")
        if (labels < 0).any() or (labels >= p.shape[-1]).any():
            raise ValueError(f"{name}: integer labels must lie in [0, {p.shape[-1]}), got "
                             f"{labels.min()}…{labels.max()}")
        t = np.eye(p.shape[-1], dtype=np.float32)[labels].reshape(p.shape)
    elif t.ndim == p.ndim + 1 and t.shape[-1] == 1:
        t = t[..., 0]
    elif p.ndim == t.ndim + 1 and p.shape[-1] == 1:
        t = t[..., None]
    if t.shape != p.shape:
        raise ValueError(f"{name}: y_true {t.shape} and y_pred {p.shape} must have the same shape "
                         "(one-hot targets for several classes)")
    t = t.astype(np.float32)
    check_finite(t, f"{name}: y_true")
    if sample_weight is None:
        return t, p, None
    w = np.asarray(sample_weight, dtype=np.float32)
    w = w.reshape(w.shape + (1,) * (p.ndim - w.ndim)) if w.ndim <= p.ndim else w
    try:
        w = np.broadcast_to(w, p.shape)
    except ValueError:
        raise ValueError(f"{name}: sample_weight {np.shape(sample_weight)} does not broadcast to "
                         f"y_pred {p.shape}") from None
    return t, p, w


def _parse_thresholds(thresholds: object, default: float) -> list[float]:
    values = [default] if thresholds is None else list(np.atleast_1d(thresholds).tolist())
    if thresholds is not None:
        bad = [v for v in values if v is None or not 0 <= v <= 1]
        if bad:
            raise ValueError(f"thresholds must lie in [0, 1], got {bad}")
    return [float(v) for v in values]


def _evenly_spaced(thresholds: Array | list[float]) -> bool:
    """Keras' test for thresholds i/(T−1), which switches on its bucket counting."""
    th = np.asarray(thresholds, dtype=np.float64)
    if th.size < 3:
        return False
    even = np.arange(th.size, dtype=np.float32) / (th.size - 1)
    return bool(np.all(np.abs(th - even) <= EPSILON + 1e-5 * np.abs(even)))


def _counts_above(positive: Array, weights: Array, p: Array, thresholds: Array,
                  evenly: bool) -> tuple[Array, Array]:
    """Weighted (TP, FP) for "positive when p > t", every threshold t; inputs are flat."""
    pos_w, neg_w = positive * weights, (1.0 - positive) * weights
    n_thr = thresholds.size
    if evenly:  # Keras' optimised path: buckets, then a reversed cumulative sum
        clipped = np.clip(p, np.float32(0), np.float32(1))
        bucket = np.ceil(clipped * np.float32(n_thr - 1)) - np.float32(1)
        if thresholds[0] < 0 or thresholds[-1] > 1:
            bucket = np.maximum(bucket, 0)
        bucket = bucket.astype(np.int64)
        inside = bucket >= 0
        def at_or_above(w: Array) -> Array:  # bucket sums, then a reversed cumulative sum
            per_bucket = np.bincount(bucket[inside], weights=w[inside], minlength=n_thr)
            return per_bucket[::-1].cumsum()[::-1]

        return at_or_above(pos_w), at_or_above(neg_w)
    order = np.argsort(p, kind="stable")
    ps = p[order]
    above_tp = np.r_[np.cumsum(pos_w[order][::-1])[::-1], 0.0]  # weight of ps[k:]
    above_fp = np.r_[np.cumsum(neg_w[order][::-1])[::-1], 0.0]
    k = np.searchsorted(ps, thresholds.astype(np.float32), side="right")  # first index > t
    return above_tp[k], above_fp[k]


def _confusion_at_thresholds(t: Array, p: Array, w: Array | None, thresholds: Array,
                             evenly: bool, multi_label: bool = False) -> dict[str, Array]:
    """TP, FP, TN, FN per threshold (shape (T,)), or per threshold and label with
    ``multi_label`` (shape (T, L))."""
    positive = (t != 0).astype(np.float64)
    weights = np.ones(p.shape) if w is None else w.astype(np.float64)
    if multi_label:
        cols = [_counts_above(positive[:, j], weights[:, j], p[:, j], thresholds, evenly)
                for j in range(p.shape[1])]
        tp = np.stack([c[0] for c in cols], axis=1)
        fp = np.stack([c[1] for c in cols], axis=1)
        pos_total = (positive * weights).sum(axis=0)
        neg_total = ((1 - positive) * weights).sum(axis=0)
    else:
        tp, fp = _counts_above(positive.ravel(), weights.ravel(), p.ravel(), thresholds, evenly)
        pos_total = (positive * weights).sum()
        neg_total = ((1 - positive) * weights).sum()
    return {"tp": tp, "fp": fp, "fn": pos_total - tp, "tn": neg_total - fp}


def _divide_no_nan(a: Array, b: Array) -> Array:
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b != 0)


def _scalar_or_array(values: Array) -> float | Array:
    return float(values[0]) if values.size == 1 else values


def _filter_top_k(p: Array, k: int) -> Array:
    """Keep the k largest entries of each row (ties: the lower index first), push the rest to
    −1e10, like Keras' ``_filter_top_k``."""
    if p.ndim < 1 or p.shape[-1] < k:
        raise ValueError(f"top_k={k} needs y_pred with at least {k} columns, got shape {p.shape}")
    top = np.argsort(-p, axis=-1, kind="stable")[..., :k]
    mask = np.zeros(p.shape, dtype=np.float32)
    np.put_along_axis(mask, top, 1.0, axis=-1)
    return p * mask + np.float32(_NEG_INF) * (1 - mask)


class _ThresholdMetric(Metric):
    """Counts TP/FP/TN/FN at fixed thresholds; ``top_k`` and ``class_id`` as in Keras."""

    _counts: tuple[str, ...] = ()

    def __init__(self, thresholds: float | list[float] | None = None, top_k: int | None = None,
                 class_id: int | None = None, name: str | None = None) -> None:
        if top_k is not None:
            top_k = check_positive_int(top_k, "top_k")
        if class_id is not None and (isinstance(class_id, bool) or
                                     not isinstance(class_id, (int, np.integer)) or class_id < 0):
            raise ValueError(f"class_id must be a non-negative integer, got {class_id!r}")
        self.init_thresholds, self.top_k, self.class_id = thresholds, top_k, class_id
        self.thresholds = _parse_thresholds(thresholds, 0.5 if top_k is None else _NEG_INF)
        self._thresholds = np.asarray(self.thresholds, dtype=np.float64)
        self._evenly = _evenly_spaced(self.thresholds)
        super().__init__(name)

    def reset_state(self) -> None:
        for key in self._counts:
            setattr(self, key, np.zeros(len(self.thresholds)))

    def update_state(self, y_true: object, y_pred: object, sample_weight: object = None) -> None:
        """Add one batch's counts; ``y_pred`` are probabilities, compared with the thresholds."""
        t, p, w = _confusion_inputs(y_true, y_pred, sample_weight, self.name)
        if self.top_k is not None:
            p = _filter_top_k(p, self.top_k)
        if self.class_id is not None:
            if p.ndim < 2 or self.class_id >= p.shape[-1]:
                raise ValueError(f"{self.name}: class_id={self.class_id} needs y_pred of shape "
                                 f"(samples, classes > {self.class_id}), got {p.shape}")
            t, p = t[..., self.class_id], p[..., self.class_id]
            w = None if w is None else w[..., self.class_id]
        counts = _confusion_at_thresholds(t, p, w, self._thresholds, self._evenly)
        short = {"true_positives": "tp", "false_positives": "fp", "true_negatives": "tn",
                 "false_negatives": "fn"}
        for key in self._counts:
            setattr(self, key, getattr(self, key) + counts[short[key]])


class Precision(_ThresholdMetric):
    """``keras.metrics.Precision``: TP / (TP + FP), accumulated over batches (chapter 5).

    A prediction is positive when ``y_pred > threshold`` (default 0.5; several thresholds give
    one value each). Elements are counted one by one, so for one-hot multi-class data use
    ``top_k=1`` (positive = the arg-max class; then precision equals accuracy) or ``class_id=c``
    (the precision of class c). 0 when nothing was predicted positive. nnlib also accepts integer
    labels with a one-column-per-class ``y_pred`` (one-hot encoding them), where Keras fails.
    """

    name = "precision"
    _counts = ("true_positives", "false_positives")

    def result(self) -> float | Array:
        return _scalar_or_array(_divide_no_nan(self.true_positives,
                                               self.true_positives + self.false_positives))


class Recall(_ThresholdMetric):
    """``keras.metrics.Recall``: TP / (TP + FN), accumulated over batches (chapter 5).

    Same arguments as :class:`Precision`; 0 when there were no positives.
    """

    name = "recall"
    _counts = ("true_positives", "false_negatives")

    def result(self) -> float | Array:
        return _scalar_or_array(_divide_no_nan(self.true_positives,
                                               self.true_positives + self.false_negatives))


class _ConfusionCount(_ThresholdMetric):
    _key = ""

    def __init__(self, thresholds: float | list[float] | None = None,
                 name: str | None = None) -> None:
        super().__init__(thresholds, name=name)

    def result(self) -> float | Array:
        return _scalar_or_array(getattr(self, self._key).copy())


class TruePositives(_ConfusionCount):
    """``keras.metrics.TruePositives``: positives with ``y_pred > threshold`` (chapter 5)."""

    name = "true_positives"
    _counts, _key = ("true_positives",), "true_positives"


class FalsePositives(_ConfusionCount):
    """``keras.metrics.FalsePositives``: negatives with ``y_pred > threshold`` (chapter 5)."""

    name = "false_positives"
    _counts, _key = ("false_positives",), "false_positives"


class TrueNegatives(_ConfusionCount):
    """``keras.metrics.TrueNegatives``: negatives with ``y_pred <= threshold`` (chapter 5)."""

    name = "true_negatives"
    _counts, _key = ("true_negatives",), "true_negatives"


class FalseNegatives(_ConfusionCount):
    """``keras.metrics.FalseNegatives``: positives with ``y_pred <= threshold`` (chapter 5)."""

    name = "false_negatives"
    _counts, _key = ("false_negatives",), "false_negatives"


class AUC(Metric):
    """``keras.metrics.AUC``: area under the ROC (or PR) curve, accumulated (chapter 5).

    Keras counts TP/FP/TN/FN at ``num_thresholds`` evenly spaced thresholds in [0, 1] (or at the
    given ``thresholds``) and sums the area with a Riemann sum (``summation_method``
    "interpolation", "minoring" or "majoring"; for the PR curve "interpolation" is Davis &
    Goadrich's). With the default 200 thresholds it differs from scikit-learn's exact
    ``roc_auc_score`` in the third decimal; with about 10 000 they agree to about 1e-4.
    ``multi_label=True`` computes one AUC per column of ``y_pred`` and averages them (weighted by
    ``label_weights`` if given); otherwise all elements are pooled. ``from_logits`` applies a
    sigmoid first.
    """

    name = "auc"

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC",
                 summation_method: str = "interpolation", name: str | None = None,
                 thresholds: list[float] | None = None, multi_label: bool = False,
                 num_labels: int | None = None, label_weights: object = None,
                 from_logits: bool = False) -> None:
        curve = str(curve).upper()
        if curve not in ("ROC", "PR"):
            raise ValueError(f"curve must be 'ROC' or 'PR', got {curve!r}")
        summation_method = str(summation_method).lower()
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError("summation_method must be 'interpolation', 'minoring' or 'majoring', "
                             f"got {summation_method!r}")
        if thresholds is not None:
            inner = sorted(_parse_thresholds(thresholds, 0.5))
            self._evenly = _evenly_spaced([0.0, *inner, 1.0])
        else:
            if isinstance(num_thresholds, bool) or \
                    not isinstance(num_thresholds, (int, np.integer)) or num_thresholds <= 1:
                raise ValueError(f"num_thresholds must be an integer > 1, got {num_thresholds!r}")
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self.num_thresholds = len(inner) + 2
        self._thresholds = np.array([0.0 - EPSILON, *inner, 1.0 + EPSILON])
        self.curve, self.summation_method = curve, summation_method
        self.multi_label, self.num_labels, self.from_logits = multi_label, num_labels, from_logits
        if num_labels is not None and not multi_label:
            raise ValueError("num_labels is needed only when multi_label=True")
        self.label_weights = (None if label_weights is None
                              else np.asarray(label_weights, dtype=np.float64))
        super().__init__(name)

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, with Keras' end points −ε and 1 + ε."""
        return self._thresholds.tolist()

    def reset_state(self) -> None:
        shape = (self.num_thresholds,) if not self.multi_label or self.num_labels is None \
            else (self.num_thresholds, self.num_labels)
        for key in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, key, np.zeros(shape))
        self._built = not self.multi_label or self.num_labels is not None

    def update_state(self, y_true: object, y_pred: object, sample_weight: object = None) -> None:
        """Add one batch's counts at every threshold."""
        t, p, w = _confusion_inputs(y_true, y_pred, sample_weight, self.name)
        if self.from_logits:
            p = (1.0 / (1.0 + np.exp(-p.astype(np.float64)))).astype(np.float32)
        if self.multi_label:
            if p.ndim != 2:
                raise ValueError(f"{self.name}: multi_label=True needs y_pred of rank 2 "
                                 f"(samples, labels), got shape {p.shape}")
            if not self._built:
                self.num_labels = p.shape[1]
                self.reset_state()
            elif p.shape[1] != self.num_labels:
                raise ValueError(f"{self.name}: expected {self.num_labels} labels, "
                                 f"got {p.shape[1]}")
        elif self.label_weights is not None:  # pooled data: weight each column's elements
            lw = np.broadcast_to(self.label_weights.astype(np.float32), p.shape)
            w = lw if w is None else w * lw
        counts = _confusion_at_thresholds(t, p, w, self._thresholds, self._evenly, self.multi_label)
        self.true_positives = self.true_positives + counts["tp"]
        self.false_positives = self.false_positives + counts["fp"]
        self.true_negatives = self.true_negatives + counts["tn"]
        self.false_negatives = self.false_negatives + counts["fn"]

    def _average_labels(self, by_threshold: Array) -> float:
        area = by_threshold.sum(axis=0)
        if not self.multi_label:
            return float(area)
        if self.label_weights is None:
            return float(area.mean())
        total = self.label_weights.sum()
        return float((area * self.label_weights).sum() / total) if total else 0.0

    def _interpolate_pr_auc(self) -> float:
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        log_ratio = np.log(np.where(both, _divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0))
        increment = _divide_no_nan(slope * (dtp + intercept * log_ratio),
                                   np.maximum(tp[1:] + fn[1:], 0))
        return self._average_labels(increment)

    def result(self) -> float:
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc()
        recall = _divide_no_nan(self.true_positives, self.true_positives + self.false_negatives)
        if self.curve == "ROC":
            x = _divide_no_nan(self.false_positives, self.false_positives + self.true_negatives)
            y = recall
        else:
            x = recall
            y = _divide_no_nan(self.true_positives, self.true_positives + self.false_positives)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._average_labels((x[:-1] - x[1:]) * heights)


class FBetaScore(Metric):
    """``keras.metrics.FBetaScore``: (1 + β²)·P·R / (β²·P + R) per class, accumulated (chapter 5).

    ``y_true`` and ``y_pred`` have shape (samples, classes) (nnlib also one-hot encodes integer
    labels). ``threshold=None`` marks the arg-max of each row as the prediction; a number marks
    every ``y_pred > threshold``. ``average``: ``None`` one score per class, ``"micro"`` from the
    summed counts, ``"macro"`` the plain mean, ``"weighted"`` the mean weighted by support.
    Keras adds ε = 1e-7 to every denominator, so an undefined ratio is 0.
    """

    name = "fbeta_score"

    def __init__(self, average: str | None = None, beta: float = 1.0,
                 threshold: float | None = None, name: str | None = None) -> None:
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("average must be None, 'micro', 'macro' or 'weighted', got "
                             f"{average!r}")
        if not isinstance(beta, float) or beta <= 0:
            raise ValueError(f"beta must be a float > 0, got {beta!r}")
        if threshold is not None and (not isinstance(threshold, float) or not 0 < threshold <= 1):
            raise ValueError(f"threshold must be None or a float in (0, 1], got {threshold!r}")
        self.average, self.beta, self.threshold = average, beta, threshold
        super().__init__(name)

    def reset_state(self) -> None:
        self.true_positives = self.false_positives = self.false_negatives = None
        self.intermediate_weights = None

    def update_state(self, y_true: object, y_pred: object, sample_weight: object = None) -> None:
        """Add one batch's per-class TP, FP, FN and support."""
        t, p, _ = _confusion_inputs(y_true, y_pred, None, self.name)
        if p.ndim != 2 or t.ndim != 2:
            raise ValueError(f"{self.name} expects 2-D inputs (samples, classes), got y_true "
                             f"{t.shape} and y_pred {p.shape}")
        if self.threshold is None:
            pred = (p >= p.max(axis=-1, keepdims=True)) & (np.abs(p) > 1e-9)
        else:
            pred = p > np.float32(self.threshold)
        pred = pred.astype(np.float64)
        t = t.astype(np.float64)
        w = np.ones((len(p), 1)) if sample_weight is None else \
            np.asarray(sample_weight, dtype=np.float64).reshape(len(p), 1)
        axis = None if self.average == "micro" else 0
        batch = {"true_positives": pred * t, "false_positives": pred * (1 - t),
                 "false_negatives": (1 - pred) * t, "intermediate_weights": t}
        for key, values in batch.items():
            value = (values * w).sum(axis=axis)
            old = getattr(self, key)
            if old is not None and np.shape(old) != np.shape(value):
                raise ValueError(f"{self.name}: the number of classes changed between batches")
            setattr(self, key, value if old is None else old + value)

    def result(self) -> float | Array:
        if self.true_positives is None:
            return 0.0
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        precision = tp / (tp + fp + EPSILON)
        recall = tp / (tp + fn + EPSILON)
        b2 = self.beta ** 2
        score = precision * recall / (b2 * precision + recall + EPSILON) * (1 + b2)
        if self.average == "weighted":
            weights = self.intermediate_weights / (self.intermediate_weights.sum() + EPSILON)
            return float((score * weights).sum())
        if self.average is not None:
            return float(np.mean(score))
        return np.asarray(score)


class F1Score(FBetaScore):
    """``keras.metrics.F1Score``: the harmonic mean 2·P·R / (P + R), per class or averaged
    (chapter 5). Keras' defaults (``average=None, threshold=None``) suit softmax outputs; for one
    sigmoid unit use ``F1Score(average="micro", threshold=0.5)`` — with ``threshold=None`` every
    sample of a one-column output is its row's arg-max, i.e. predicted positive."""

    name = "f1_score"

    def __init__(self, average: str | None = None, threshold: float | None = None,
                 name: str | None = None) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name)


class _ByShape(Metric):
    """A metric chosen from the first batch's shapes, the way ``"accuracy"`` is resolved."""

    def reset_state(self) -> None:
        if getattr(self, "_inner", None) is not None:
            self._inner.reset_state()

    def _resolve(self, y_true: Array, y_pred: Array) -> Metric:
        raise NotImplementedError

    def update_state(self, y_true: object, y_pred: object) -> None:
        t, p = _as_arrays(y_true, y_pred)
        if getattr(self, "_inner", None) is None:
            self._inner = self._resolve(t, p)
        self._inner.update_state(t, p)

    def result(self) -> float:
        inner = getattr(self, "_inner", None)
        return inner.result() if inner is not None else 0.0


class F1ScoreByShape(_ByShape):
    """``"f1_score"`` in ``compile``: a number per epoch for any classifier (chapter 5).

    One output unit → ``F1Score(average="micro", threshold=0.5)``, the F1 of the positive class
    (scikit-learn's binary ``f1_score``); several → ``F1Score(average="macro")`` on the arg-max.
    Keras resolves the name to ``F1Score()``, whose per-class array needs a softmax output and
    which counts every sample of a one-unit output as positive; nnlib picks the meaningful one.
    """

    name = "f1_score"

    def _resolve(self, y_true: Array, y_pred: Array) -> Metric:
        if y_pred.shape[-1] == 1:
            return F1Score(average="micro", threshold=0.5, name=self.name)
        return F1Score(average="macro", name=self.name)


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
