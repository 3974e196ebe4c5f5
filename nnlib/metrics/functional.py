"""Functions on labels: Keras' per-sample accuracies and scikit-learn's classification metrics
(chapter 5, "Four counts and Table 1").

* Keras' per-sample functions ``binary_accuracy``, ``categorical_accuracy`` and
  ``sparse_categorical_accuracy``: one value per sample, which the stateful metrics of
  :mod:`nnlib.metrics.stateful` average over the batches of an epoch.
* scikit-learn's functions on class labels, with its names, arguments and results:
  ``confusion_matrix``, ``accuracy_score``, ``precision_recall_fscore_support``,
  ``precision_score``, ``recall_score``, ``fbeta_score``, ``f1_score``.
* The input checks and the division that the other metric modules share: ``as_arrays``,
  ``class_labels``, ``sample_weights`` and ``ratio``.

Everything on labels derives from one table, the confusion matrix: row = true class, column =
predicted class. For class c, TP = C[c, c], FP = column sum − TP, FN = row sum − TP. Where
scikit-learn warns about an ill-defined ratio (no predicted or no true samples of a class) nnlib
returns the same value, ``zero_division``, silently.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_positive_int

Array = np.ndarray

__all__ = ["as_arrays", "class_labels", "sample_weights", "ratio",
           "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
           "confusion_matrix", "accuracy_score", "precision_recall_fscore_support",
           "precision_score", "recall_score", "fbeta_score", "f1_score"]


# --- input checks shared by the metric modules ---------------------------------------------------

def as_arrays(y_true: object, y_pred: object) -> tuple[Array, Array]:
    """``y_true`` and ``y_pred`` as numeric arrays (bool, int or float), else a ``TypeError``: the
    check of every ``y_true, y_pred`` a compiled metric receives
    (chapter 3, "The whole workflow, in nnlib and in Keras").

    >>> t, p = as_arrays([1, 0], [0.8, 0.3])
    >>> t.dtype.kind, p.dtype.kind
    ('i', 'f')
    >>> as_arrays(["cat"], [0.5])
    Traceback (most recent call last):
    ...
    TypeError: y_true must be numeric, got dtype <U3
    """
    p = np.asarray(y_pred)
    t = np.asarray(y_true)
    for name, a in (("y_true", t), ("y_pred", p)):
        if a.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be numeric, got dtype {a.dtype}")
    return t, p


def class_labels(y: object, name: str = "y") -> Array:
    """``y`` as a 1-D int64 array of class labels, with a clear error for anything else — scores
    must first become labels, e.g. ``p >= 0.5`` (chapter 5, "Four counts and Table 1").

    A column of shape (n, 1) is flattened; floats must be whole numbers.

    >>> class_labels([[1.0], [0.0], [2.0]])
    array([1, 0, 2])
    >>> class_labels([0.7, 0.2], "y_pred")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: y_pred must hold class labels, got non-integer values such as ...
    """
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


def sample_weights(sample_weight: object, n: int) -> Array | None:
    """``sample_weight`` as ``n`` finite, non-negative float64 weights, or ``None`` for none: the
    weights every metric function accepts (chapter 5, "Class imbalance: why accuracy misleads").

    >>> sample_weights([1, 2, 0.5], 3)
    array([1. , 2. , 0.5])
    >>> sample_weights(None, 3) is None
    True
    """
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"sample_weight must have shape ({n},), one weight per sample, "
                         f"got {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight must hold finite, non-negative numbers")
    return w


def ratio(num: object, den: object, zero_division: float = 0.0) -> Array:
    """``num / den`` in float64, with ``zero_division`` where ``den == 0`` and no warning: a
    precision or recall can be 0/0 (chapter 5, "Four counts and Table 1").

    >>> ratio(np.array([1.0, 0.0]), np.array([4.0, 0.0]))
    array([0.25, 0.  ])
    >>> ratio(np.array([1.0, 0.0]), np.array([4.0, 0.0]), zero_division=np.nan)
    array([0.25,  nan])
    """
    out = np.full(np.broadcast(num, den).shape, zero_division, dtype=np.float64)
    np.divide(num, den, out=out, where=np.asarray(den) != 0)
    return out


# --- per-sample functions, as in keras.metrics ---------------------------------------------------

def binary_accuracy(y_true: object, y_pred: object, threshold: float = 0.5) -> Array:
    """Per-sample share of outputs where ``(y_pred > threshold) == y_true``, the quantity
    ``keras.metrics.BinaryAccuracy`` averages (chapter 5, "Four counts and Table 1").

    >>> binary_accuracy([[1], [0], [1]], [[0.9], [0.6], [0.4]])
    array([1., 0., 0.], dtype=float32)
    """
    t, p = as_arrays(y_true, y_pred)
    if t.ndim == p.ndim - 1 and p.shape[-1] == 1:
        t = t[..., None]
    if t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} must have the same shape")
    return np.mean((p > threshold) == (t > 0.5), axis=-1).astype(np.float32)


def categorical_accuracy(y_true: object, y_pred: object) -> Array:
    """1 where ``argmax(y_pred) == argmax(y_true)`` (one-hot targets), else 0, like
    ``keras.metrics.categorical_accuracy`` (chapter 3, "The whole workflow, in nnlib and in Keras").

    >>> categorical_accuracy([[0, 1, 0], [1, 0, 0]], [[0.1, 0.8, 0.1], [0.3, 0.6, 0.1]])
    array([1., 0.], dtype=float32)
    """
    t, p = as_arrays(y_true, y_pred)
    if t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} must have the same shape "
                         "(one-hot targets); for integer labels use sparse_categorical_accuracy")
    return (np.argmax(t, axis=-1) == np.argmax(p, axis=-1)).astype(np.float32)


def sparse_categorical_accuracy(y_true: object, y_pred: object) -> Array:
    """1 where ``argmax(y_pred) == y_true`` (integer labels), else 0, like
    ``keras.metrics.sparse_categorical_accuracy``
    (chapter 3, "The whole workflow, in nnlib and in Keras").

    >>> sparse_categorical_accuracy([1, 0], [[0.1, 0.8, 0.1], [0.3, 0.6, 0.1]])
    array([1., 0.], dtype=float32)
    """
    t, p = as_arrays(y_true, y_pred)
    if t.ndim == p.ndim and t.shape[-1] == 1:
        t = t[..., 0]
    if t.shape != p.shape[:-1]:
        raise ValueError(f"integer labels must have shape {p.shape[:-1]}, got {t.shape}")
    return (t == np.argmax(p, axis=-1)).astype(np.float32)


# --- functions on labels, as in sklearn.metrics --------------------------------------------------

_AVERAGES = (None, "binary", "micro", "macro", "weighted")


def _pair(y_true: object, y_pred: object) -> tuple[Array, Array]:
    t, p = class_labels(y_true, "y_true"), class_labels(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has {t.size} labels but y_pred has {p.size}; they must match")
    return t, p


def confusion_matrix(y_true: object, y_pred: object, num_classes: int | None = None,
                     sample_weight: object = None, normalize: str | None = None) -> Array:
    """The confusion matrix ``C[i, j]``: how many samples of true class i were predicted as j
    (chapter 5, "Four counts and Table 1").

    Classes are the integers ``0 … num_classes − 1`` (default: one more than the largest label),
    as in ``tf.math.confusion_matrix``; the result equals scikit-learn's
    ``confusion_matrix(y_true, y_pred, labels=range(num_classes))``, so classes that never occur
    get a row and a column of zeros. ``normalize`` ("true", "pred" or "all") divides by the row
    sums, the column sums or the total, as in scikit-learn (0 where a sum is 0). For two classes
    the matrix is ``[[TN, FP], [FN, TP]]``.

    >>> confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
    array([[1, 1],
           [1, 2]])
    >>> confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], normalize="true")
    array([[0.5       , 0.5       ],
           [0.33333333, 0.66666667]])
    """
    t, p = _pair(y_true, y_pred)
    if (t < 0).any() or (p < 0).any():
        raise ValueError("confusion_matrix needs class labels 0, 1, 2, …; got negative labels")
    top = int(max(t.max(), p.max())) + 1
    if num_classes is None:
        num_classes = top
    elif check_positive_int(num_classes, "num_classes") < top:
        raise ValueError(f"num_classes={num_classes}, but the labels go up to {top - 1}")
    w = sample_weights(sample_weight, t.size)
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
    ``accuracy_score`` (the number of them with ``normalize=False``)
    (chapter 5, "Four counts and Table 1").

    >>> accuracy_score([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])
    0.6
    >>> accuracy_score([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], normalize=False)
    3.0
    """
    t, p = _pair(y_true, y_pred)
    w = sample_weights(sample_weight, t.size)
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
    chosen = class_labels(labels, "labels")
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
    """Precision, recall, F-beta score and support per class, or averaged
    (chapter 5, "More than two classes: macro, micro, weighted").

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

    >>> precision, recall, f1, support = precision_recall_fscore_support(
    ...     [0, 0, 0, 1, 2, 2], [0, 0, 1, 1, 2, 0])
    >>> precision
    array([0.66666667, 0.5       , 1.        ])
    >>> recall
    array([0.66666667, 1.        , 0.5       ])
    >>> support
    array([3, 1, 2])
    >>> precision_recall_fscore_support([0, 0, 0, 1, 2, 2], [0, 0, 1, 1, 2, 0], average="macro")
    (0.7222222222222222, 0.7222222222222222, 0.6666666666666666, None)
    """
    zero = _check_zero_division(zero_division)
    if not isinstance(beta, (int, float, np.floating)) or isinstance(beta, bool) or beta < 0:
        raise ValueError(f"beta must be a number >= 0, got {beta!r}")
    t, p = _pair(y_true, y_pred)
    chosen = _select_labels(t, p, labels, average, pos_label)
    w = sample_weights(sample_weight, t.size)
    tp, predicted, true = _class_counts(t, p, chosen, w)
    if average == "micro":
        tp, predicted, true = (a.sum(keepdims=True) for a in (tp, predicted, true))
    precision = ratio(tp, predicted, zero)
    recall = ratio(tp, true, zero)
    if np.isposinf(beta):
        fscore = recall
    elif beta == 0:
        fscore = precision
    else:
        b2 = float(beta) ** 2
        fscore = ratio((1 + b2) * tp, b2 * true + predicted, zero)
    support = (true.astype(np.int64) if w is None else true) if average is None else None
    return (_average(precision, average, true), _average(recall, average, true),
            _average(fscore, average, true), support)


def precision_score(y_true: object, y_pred: object, *, labels: object = None, pos_label: int = 1,
                    average: str | None = "binary", sample_weight: object = None,
                    zero_division: float | str = 0.0) -> Array | float:
    """Precision TP / (TP + FP), like scikit-learn's ``precision_score``
    (chapter 5, "Four counts and Table 1").

    See :func:`precision_recall_fscore_support` for ``average`` and ``zero_division``.

    >>> precision_score([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])  # TP = 2, FP = 1
    0.6666666666666666
    >>> precision_score([1, 1], [0, 0])  # nothing predicted positive: 0/0
    0.0
    """
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division)[0]


def recall_score(y_true: object, y_pred: object, *, labels: object = None, pos_label: int = 1,
                 average: str | None = "binary", sample_weight: object = None,
                 zero_division: float | str = 0.0) -> Array | float:
    """Recall (sensitivity) TP / (TP + FN), like scikit-learn's ``recall_score``
    (chapter 5, "Four counts and Table 1").

    >>> recall_score([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])  # TP = 2, FN = 1
    0.6666666666666666
    >>> recall_score([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], average=None)
    array([0.5       , 0.66666667])
    """
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division)[1]


def fbeta_score(y_true: object, y_pred: object, *, beta: float, labels: object = None,
                pos_label: int = 1, average: str | None = "binary", sample_weight: object = None,
                zero_division: float | str = 0.0) -> Array | float:
    """F-beta score: recall counts β times as much as precision; like scikit-learn's
    (chapter 5, "The cost of a false negative").

    >>> y_true, y_pred = [0, 0, 0, 1, 1], [1, 1, 0, 1, 1]  # precision 1/2, recall 1
    >>> fbeta_score(y_true, y_pred, beta=2.0)
    0.8333333333333334
    >>> fbeta_score(y_true, y_pred, beta=0.5)
    0.5555555555555556
    """
    return precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division)[2]


def f1_score(y_true: object, y_pred: object, *, labels: object = None, pos_label: int = 1,
             average: str | None = "binary", sample_weight: object = None,
             zero_division: float | str = 0.0) -> Array | float:
    """F1 = 2·P·R / (P + R) = 2·TP / (2·TP + FP + FN), like scikit-learn's ``f1_score``
    (chapter 5, "Four counts and Table 1").

    >>> f1_score([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])  # TP = 2, FP = 1, FN = 1
    0.6666666666666666
    >>> f1_score([0, 0, 0, 1, 2], [0, 0, 0, 0, 0], average=None)  # classes 1 and 2 never found
    array([0.75, 0.  , 0.  ])
    >>> f1_score([0, 0, 0, 1, 2], [0, 0, 0, 0, 0], average="macro")
    0.25
    """
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label,
                       average=average, sample_weight=sample_weight, zero_division=zero_division)
