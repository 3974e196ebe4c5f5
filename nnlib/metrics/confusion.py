"""Keras' stateful metrics built on confusion counts: precision, recall, the four counts, AUC, F1
(chapter 5, "One network, trained twice").

``keras.metrics.Precision``, ``Recall``, ``TruePositives`` …, ``AUC`` compare ``y_pred`` with one
or more thresholds element by element ("positive" means ``y_pred > threshold``) and accumulate
TP/FP/TN/FN over the batches; ``FBetaScore`` and ``F1Score`` accumulate them per class. The
counting below reproduces Keras' arithmetic (float32 predictions; for evenly spaced thresholds
Keras' bucket formula ``ceil(p·(T−1)) − 1``), so the counts agree exactly.

* ``Precision``, ``Recall``, ``TruePositives``, ``FalsePositives``, ``TrueNegatives``,
  ``FalseNegatives``: counts at fixed thresholds, with Keras' ``top_k`` and ``class_id``.
* ``AUC``: the area under the ROC or PR curve from counts at ``num_thresholds`` thresholds.
* ``FBetaScore``, ``F1Score``: per class or averaged; ``F1ScoreByShape`` is ``"f1_score"`` in
  ``compile``.

scikit-learn's exact curves and areas on sorted scores are in :mod:`nnlib.metrics.curves`.
"""
from __future__ import annotations

import numpy as np

from .._checks import check_finite, check_positive_int
from ..numerics import EPSILON, sigmoid
from .functional import as_arrays, class_labels, ratio
from .stateful import Metric, ResolvedByShape

Array = np.ndarray

__all__ = ["Precision", "Recall", "TruePositives", "FalsePositives", "TrueNegatives",
           "FalseNegatives", "AUC", "FBetaScore", "F1Score", "F1ScoreByShape"]

_NEG_INF = -1e10  # Keras' threshold when only top_k decides


# --- Keras' counting -----------------------------------------------------------------------------

def _confusion_inputs(y_true: object, y_pred: object, sample_weight: object,
                      name: str) -> tuple[Array, Array, Array | None]:
    """Float32 ``y_true``/``y_pred`` of one shape (Keras' squeeze-or-expand of a last axis of 1),
    integer labels one-hot encoded when ``y_pred`` has one column per class, weights broadcast."""
    t, p = as_arrays(y_true, y_pred)
    p = p.astype(np.float32)
    check_finite(p, f"{name}: y_pred")
    if t.ndim == p.ndim - 1 and p.ndim >= 2 and p.shape[-1] > 1 and t.shape == p.shape[:-1]:
        labels = class_labels(t.reshape(-1), f"{name}: y_true")
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


# --- counts at fixed thresholds ------------------------------------------------------------------

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
    """``keras.metrics.Precision``: TP / (TP + FP), accumulated over batches
    (chapter 5, "One network, trained twice").

    A prediction is positive when ``y_pred > threshold`` (default 0.5; several thresholds give
    one value each). Elements are counted one by one, so for one-hot multi-class data use
    ``top_k=1`` (positive = the arg-max class; then precision equals accuracy) or ``class_id=c``
    (the precision of class c). 0 when nothing was predicted positive. nnlib also accepts integer
    labels with a one-column-per-class ``y_pred`` (one-hot encoding them), where Keras fails.

    >>> precision = Precision()
    >>> precision.update_state([1, 0, 1], [0.9, 0.8, 0.3])  # TP = 1, FP = 1
    >>> precision.update_state([0, 1], [0.7, 0.6])          # TP = 1, FP = 1
    >>> precision.result()
    0.5
    >>> Precision(thresholds=[0.25, 0.75])([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])
    array([0.66666667, 0.5       ])
    """

    name = "precision"
    _counts = ("true_positives", "false_positives")

    def result(self) -> float | Array:
        return _scalar_or_array(ratio(self.true_positives,
                                      self.true_positives + self.false_positives))


class Recall(_ThresholdMetric):
    """``keras.metrics.Recall``: TP / (TP + FN), accumulated over batches
    (chapter 5, "One network, trained twice").

    Same arguments as :class:`Precision`; 0 when there were no positives.

    >>> Recall()([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])  # TP = 2, FN = 1
    0.6666666666666666
    >>> Recall(class_id=2, top_k=1)([2, 2, 0], [[0.1, 0.2, 0.7], [0.5, 0.1, 0.4], [0.8, 0.1, 0.1]])
    0.5
    """

    name = "recall"
    _counts = ("true_positives", "false_negatives")

    def result(self) -> float | Array:
        return _scalar_or_array(ratio(self.true_positives,
                                      self.true_positives + self.false_negatives))


class _ConfusionCount(_ThresholdMetric):
    _key = ""

    def __init__(self, thresholds: float | list[float] | None = None,
                 name: str | None = None) -> None:
        super().__init__(thresholds, name=name)

    def result(self) -> float | Array:
        return _scalar_or_array(getattr(self, self._key).copy())


class TruePositives(_ConfusionCount):
    """``keras.metrics.TruePositives``: positives with ``y_pred > threshold``
    (chapter 5, "Four counts and Table 1").

    >>> TruePositives()([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])
    2.0
    >>> TruePositives(thresholds=[0.2, 0.7])([1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6])
    array([3., 1.])
    """

    name = "true_positives"
    _counts, _key = ("true_positives",), "true_positives"


class FalsePositives(_ConfusionCount):
    """``keras.metrics.FalsePositives``: negatives with ``y_pred > threshold``
    (chapter 5, "Four counts and Table 1").

    >>> FalsePositives()([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])
    1.0
    """

    name = "false_positives"
    _counts, _key = ("false_positives",), "false_positives"


class TrueNegatives(_ConfusionCount):
    """``keras.metrics.TrueNegatives``: negatives with ``y_pred <= threshold``
    (chapter 5, "Four counts and Table 1").

    >>> TrueNegatives()([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])
    1.0
    """

    name = "true_negatives"
    _counts, _key = ("true_negatives",), "true_negatives"


class FalseNegatives(_ConfusionCount):
    """``keras.metrics.FalseNegatives``: positives with ``y_pred <= threshold``
    (chapter 5, "Four counts and Table 1").

    >>> FalseNegatives()([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])
    1.0
    """

    name = "false_negatives"
    _counts, _key = ("false_negatives",), "false_negatives"


# --- area under the curve ------------------------------------------------------------------------

class AUC(Metric):
    """``keras.metrics.AUC``: area under the ROC (or PR) curve, accumulated
    (chapter 5, "Precision–recall and ROC curves").

    Keras counts TP/FP/TN/FN at ``num_thresholds`` evenly spaced thresholds in [0, 1] (or at the
    given ``thresholds``) and sums the area with a Riemann sum (``summation_method``
    "interpolation", "minoring" or "majoring"; for the PR curve "interpolation" is Davis &
    Goadrich's). With the default 200 thresholds it differs from scikit-learn's exact
    ``roc_auc_score`` in the third decimal; with about 10 000 they agree to about 1e-4.
    ``multi_label=True`` computes one AUC per column of ``y_pred`` and averages them (weighted by
    ``label_weights`` if given); otherwise all elements are pooled. ``from_logits`` applies a
    sigmoid first.

    >>> y, scores = [0, 0, 1, 1], [0.1, 0.6, 0.35, 0.8]
    >>> AUC()(y, scores)  # scikit-learn's roc_auc_score gives 0.75
    0.75
    >>> AUC(num_thresholds=3)(y, scores)  # thresholds 0, 0.5, 1: too coarse
    0.5
    >>> AUC(curve="PR")(y, scores)
    0.7972674459459178
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
            p = sigmoid(p.astype(np.float64)).astype(np.float32)
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
        slope = ratio(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        log_ratio = np.log(np.where(both, ratio(p[:-1], np.maximum(p[1:], 0)), 1.0))
        increment = ratio(slope * (dtp + intercept * log_ratio), np.maximum(tp[1:] + fn[1:], 0))
        return self._average_labels(increment)

    def result(self) -> float:
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc()
        recall = ratio(self.true_positives, self.true_positives + self.false_negatives)
        if self.curve == "ROC":
            x = ratio(self.false_positives, self.false_positives + self.true_negatives)
            y = recall
        else:
            x = recall
            y = ratio(self.true_positives, self.true_positives + self.false_positives)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._average_labels((x[:-1] - x[1:]) * heights)


# --- F-scores per class --------------------------------------------------------------------------

class FBetaScore(Metric):
    """``keras.metrics.FBetaScore``: (1 + β²)·P·R / (β²·P + R) per class, accumulated
    (chapter 5, "More than two classes: macro, micro, weighted").

    ``y_true`` and ``y_pred`` have shape (samples, classes) (nnlib also one-hot encodes integer
    labels). ``threshold=None`` marks the arg-max of each row as the prediction; a number marks
    every ``y_pred > threshold``. ``average``: ``None`` one score per class, ``"micro"`` from the
    summed counts, ``"macro"`` the plain mean, ``"weighted"`` the mean weighted by support.
    Keras adds ε = 1e-7 to every denominator, so an undefined ratio is 0.

    >>> onehot = [[1, 0], [1, 0], [0, 1], [0, 1]]
    >>> probs = [[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.4, 0.6]]  # arg-max: 0, 1, 1, 1
    >>> FBetaScore(beta=2.0)(onehot, probs).round(4)  # P = (1, 2/3), R = (1/2, 1)
    array([0.5556, 0.9091])
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
    (chapter 5, "More than two classes: macro, micro, weighted").

    Keras' defaults (``average=None, threshold=None``) suit softmax outputs; for one sigmoid unit
    use ``F1Score(average="micro", threshold=0.5)`` — with ``threshold=None`` every sample of a
    one-column output is its row's arg-max, i.e. predicted positive.

    >>> onehot = [[1, 0], [1, 0], [0, 1], [0, 1]]
    >>> probs = [[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.4, 0.6]]
    >>> F1Score()(onehot, probs).round(4)  # P = (1, 2/3), R = (1/2, 1)
    array([0.6667, 0.8   ])
    >>> round(F1Score(average="micro", threshold=0.5)([[1], [0], [1]], [[0.9], [0.6], [0.4]]), 4)
    0.5
    """

    name = "f1_score"

    def __init__(self, average: str | None = None, threshold: float | None = None,
                 name: str | None = None) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name)


class F1ScoreByShape(ResolvedByShape):
    """``"f1_score"`` in ``compile``: a number per epoch for any classifier
    (chapter 5, "One network, trained twice").

    One output unit → ``F1Score(average="micro", threshold=0.5)``, the F1 of the positive class
    (scikit-learn's binary ``f1_score``); several → ``F1Score(average="macro")`` on the arg-max.
    Keras resolves the name to ``F1Score()``, whose per-class array needs a softmax output and
    which counts every sample of a one-unit output as positive; nnlib picks the meaningful one.

    >>> round(F1ScoreByShape()([[1], [0], [1]], [[0.9], [0.6], [0.4]]), 4)  # TP 1, FP 1, FN 1
    0.5
    >>> F1ScoreByShape().resolve(np.array([0, 2]), np.zeros((2, 3)))
    <F1Score name='f1_score'>
    """

    name = "f1_score"

    def resolve(self, y_true: Array, y_pred: Array) -> Metric:
        if y_pred.shape[-1] == 1:
            return F1Score(average="micro", threshold=0.5, name=self.name)
        return F1Score(average="macro", name=self.name)
