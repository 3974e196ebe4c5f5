"""nnlib.metrics (chapter 5) against scikit-learn's functions and Keras' stateful metrics.

Functions on labels and scores are compared with ``sklearn.metrics`` over hypothesis-drawn label
distributions — classes that never occur in y_true, in y_pred or in either, a single class, ties
in the scores — and must never warn. Stateful objects are compared with ``keras.metrics`` fed the
same batches. ``compile(metrics=[...])`` names are checked through ``fit`` and ``evaluate``.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import layers
from nnlib import metrics as M

AVERAGES = [None, "micro", "macro", "weighted"]
ZERO_DIVISION = [0.0, 1.0, np.nan, "warn"]


def quiet(fn, *args, **kwargs):
    """Call an nnlib function with every warning turned into an error: nnlib must not warn."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def sklearn_quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def assert_same(ours, theirs, rtol=1e-12, atol=1e-12):
    if theirs is None:
        assert ours is None
        return
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float),
                               rtol=rtol, atol=atol, equal_nan=True)


@st.composite
def label_pairs(draw, max_classes=6, max_n=40):
    """(k, y_true, y_pred): each drawn from its own subset of 0 … k−1, so some classes may occur
    only in y_true, only in y_pred, or nowhere."""
    k = draw(st.integers(1, max_classes))
    n = draw(st.integers(1, max_n))
    in_true = sorted(draw(st.sets(st.integers(0, k - 1), min_size=1)))
    in_pred = sorted(draw(st.sets(st.integers(0, k - 1), min_size=1)))
    y_true = draw(st.lists(st.sampled_from(in_true), min_size=n, max_size=n))
    y_pred = draw(st.lists(st.sampled_from(in_pred), min_size=n, max_size=n))
    return k, np.array(y_true), np.array(y_pred)


@st.composite
def scored_labels(draw, max_n=60, both_classes=True):
    """(y_true in {0, 1}, scores in [0, 1] with ties, sample weights)."""
    n = draw(st.integers(2 if both_classes else 1, max_n))
    seed = draw(st.integers(0, 2**16))
    decimals = draw(st.sampled_from([1, 2, 6]))  # 1 decimal: many ties
    prevalence = draw(st.sampled_from([0.05, 0.3, 0.5, 0.9]))
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prevalence).astype(int)
    if both_classes:
        y[0], y[1] = 0, 1
    scores = np.round(np.clip(0.35 * y + 0.65 * rng.random(n), 0, 1), decimals)
    weights = rng.integers(0, 4, n).astype(float)
    weights[:2] = 1.0
    return y, scores, weights


# --- functions on labels vs scikit-learn ---------------------------------------------------------

@given(label_pairs())
def test_confusion_matrix_matches_sklearn_with_absent_classes(pair):
    k, t, p = pair
    ours = quiet(M.confusion_matrix, t, p, num_classes=k)
    assert ours.shape == (k, k) and ours.dtype.kind == "i"
    np.testing.assert_array_equal(ours, sklearn_quiet(skm.confusion_matrix, t, p, labels=range(k)))
    default = quiet(M.confusion_matrix, t, p)
    top = max(t.max(), p.max()) + 1
    np.testing.assert_array_equal(default, sklearn_quiet(skm.confusion_matrix, t, p,
                                                         labels=range(top)))
    for normalize in ("true", "pred", "all"):
        assert_same(quiet(M.confusion_matrix, t, p, k, normalize=normalize),
                    sklearn_quiet(skm.confusion_matrix, t, p, labels=range(k), normalize=normalize))


@given(label_pairs(), st.integers(0, 2**16))
def test_confusion_matrix_with_weights_and_tf(keras, pair, seed):
    import tensorflow as tf

    k, t, p = pair
    w = np.random.default_rng(seed).random(t.size)
    assert_same(M.confusion_matrix(t, p, k, sample_weight=w),
                sklearn_quiet(skm.confusion_matrix, t, p, labels=range(k), sample_weight=w))
    np.testing.assert_array_equal(M.confusion_matrix(t, p, k),
                                  tf.math.confusion_matrix(t, p, num_classes=k).numpy())


def test_binary_confusion_matrix_layout():
    # the seed article's table: [[TN, FP], [FN, TP]]
    t = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    p = np.array([1, 0, 1, 0, 1, 0, 0, 1])
    np.testing.assert_array_equal(M.confusion_matrix(t, p), [[3, 1], [1, 3]])


@given(label_pairs(), st.sampled_from(AVERAGES), st.sampled_from(ZERO_DIVISION), st.booleans())
def test_precision_recall_f1_match_sklearn(pair, average, zero_division, all_labels):
    k, t, p = pair
    labels = list(range(k)) if all_labels else None
    kw = {"average": average, "zero_division": zero_division, "labels": labels}
    ours = quiet(M.precision_recall_fscore_support, t, p, **kw)
    theirs = sklearn_quiet(skm.precision_recall_fscore_support, t, p, **kw)
    for a, b in zip(ours, theirs):
        assert_same(a, b)
    for name in ("precision_score", "recall_score", "f1_score"):
        assert_same(quiet(getattr(M, name), t, p, **kw),
                    sklearn_quiet(getattr(skm, name), t, p, **kw))
    assert_same(quiet(M.fbeta_score, t, p, beta=2.0, **kw),
                sklearn_quiet(skm.fbeta_score, t, p, beta=2.0, **kw))
    assert_same(quiet(M.accuracy_score, t, p), skm.accuracy_score(t, p))


@given(label_pairs(max_classes=2), st.sampled_from(ZERO_DIVISION), st.sampled_from([0, 1]))
def test_binary_average_matches_sklearn(pair, zero_division, pos_label):
    _, t, p = pair
    present = set(t) | set(p)
    if len(present) == 2 and pos_label not in present:
        return
    for name in ("precision_score", "recall_score", "f1_score"):
        kw = {"zero_division": zero_division, "pos_label": pos_label}
        assert_same(quiet(getattr(M, name), t, p, **kw),
                    sklearn_quiet(getattr(skm, name), t, p, **kw))


@given(label_pairs(), st.integers(0, 2**16), st.sampled_from(AVERAGES))
def test_sample_weights_match_sklearn(pair, seed, average):
    _, t, p = pair
    w = np.random.default_rng(seed).integers(0, 3, t.size).astype(float)
    ours = quiet(M.precision_recall_fscore_support, t, p, average=average, sample_weight=w)
    theirs = sklearn_quiet(skm.precision_recall_fscore_support, t, p, average=average,
                           sample_weight=w, zero_division=0.0)
    for a, b in zip(ours, theirs):
        assert_same(a, b)
    assert_same(M.accuracy_score(t, p, sample_weight=w), skm.accuracy_score(t, p, sample_weight=w))
    assert_same(M.accuracy_score(t, p, normalize=False), skm.accuracy_score(t, p, normalize=False))


def test_zero_division_cases_by_hand():
    t = np.array([0, 0, 0, 0])
    p = np.array([0, 0, 0, 0])
    # class 1 is neither present nor predicted: every ratio is 0/0
    assert M.precision_score(t, p) == 0.0 and M.recall_score(t, p) == 0.0
    assert M.f1_score(t, p, zero_division=1.0) == 1.0
    assert np.isnan(M.precision_score(t, p, zero_division=np.nan))
    # precision and recall both 0 (defined): F1 is 0, not zero_division
    assert M.f1_score([1, 0], [0, 1], zero_division=1.0) == 0.0
    # precision undefined (nothing predicted positive), recall 0: F1 = 2·0/(0 + 0 + 1) = 0
    assert M.f1_score([1, 0], [0, 0], zero_division=1.0) == 0.0
    # macro over per-class values, NaN left out of the average
    assert M.precision_score([0, 1, 2], [0, 0, 0], average="macro", zero_division=np.nan) == \
        pytest.approx(1 / 3)


def test_micro_average_is_accuracy_and_macro_is_mean_per_class():
    t = np.array([0, 0, 0, 0, 0, 0, 1, 1, 2, 2])
    p = np.array([0, 0, 0, 0, 0, 1, 1, 2, 2, 0])
    assert M.precision_score(t, p, average="micro") == M.accuracy_score(t, p) == 0.7
    per_class = M.precision_score(t, p, average=None)
    np.testing.assert_allclose(per_class, [5 / 6, 1 / 2, 1 / 2])
    assert M.precision_score(t, p, average="macro") == pytest.approx(per_class.mean())
    support = M.precision_recall_fscore_support(t, p)[3]
    np.testing.assert_array_equal(support, [6, 2, 2])
    assert M.recall_score(t, p, average="weighted") == pytest.approx(
        np.average(M.recall_score(t, p, average=None), weights=support))


# --- curves vs scikit-learn ----------------------------------------------------------------------

@given(scored_labels(), st.booleans(), st.booleans())
def test_curves_match_sklearn(data, drop, weighted):
    y, s, w = data
    sw = w if weighted else None
    for name in ("precision_recall_curve", "roc_curve"):
        ours = quiet(getattr(M, name), y, s, sample_weight=sw, drop_intermediate=drop)
        theirs = sklearn_quiet(getattr(skm, name), y, s, sample_weight=sw, drop_intermediate=drop)
        for a, b in zip(ours, theirs):
            assert a.shape == b.shape
            assert_same(a, b)
    assert_same(quiet(M.roc_auc_score, y, s, sample_weight=sw),
                skm.roc_auc_score(y, s, sample_weight=sw))
    assert_same(quiet(M.average_precision_score, y, s, sample_weight=sw),
                skm.average_precision_score(y, s, sample_weight=sw))


@given(scored_labels(both_classes=False))
def test_pr_curve_without_positives_or_negatives(data):
    y, s, _ = data
    ours = quiet(M.precision_recall_curve, y, s)
    theirs = sklearn_quiet(skm.precision_recall_curve, y, s)
    for a, b in zip(ours, theirs):
        assert_same(a, b)
    if y.min() == y.max():
        with pytest.raises(ValueError, match="needs both classes"):
            M.roc_curve(y, s)


def test_pr_curve_by_hand_and_ge_threshold():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.4, 0.35, 0.8])
    precision, recall, thresholds = M.precision_recall_curve(y, s)
    np.testing.assert_allclose(thresholds, [0.1, 0.35, 0.4, 0.8])
    np.testing.assert_allclose(precision, [0.5, 2 / 3, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(recall, [1.0, 1.0, 0.5, 0.5, 0.0])
    # "positive when score >= threshold": at 0.35 both positives are found
    assert recall[1] == 1.0


@given(st.lists(st.floats(0, 1), min_size=2, max_size=20), st.integers(0, 2**16))
def test_auc_matches_sklearn_both_directions(xs, seed):
    x = np.sort(np.array(xs))
    y = np.random.default_rng(seed).random(x.size)
    assert_same(M.auc(x, y), skm.auc(x, y))
    assert_same(M.auc(x[::-1], y[::-1]), skm.auc(x[::-1], y[::-1]))


def test_roc_auc_is_the_chance_a_positive_outscores_a_negative():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.random(300) + 0.3 * y, 1)
    pos, neg = s[y == 1], s[y == 0]
    pairs = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    assert M.roc_auc_score(y, s) == pytest.approx(pairs, rel=1e-12)


# --- stateful metrics vs Keras --------------------------------------------------------------------

def feed(metric, y_true, y_pred, batch, sample_weight=None):
    for i in range(0, len(y_true), batch):
        kw = {} if sample_weight is None else {"sample_weight": sample_weight[i:i + batch]}
        metric.update_state(y_true[i:i + batch], y_pred[i:i + batch], **kw)
    return metric.result()


@st.composite
def binary_batches(draw):
    n = draw(st.integers(1, 80))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    prevalence = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    y = (rng.random((n, 1)) < prevalence).astype(np.float32)
    p = np.round(rng.random((n, 1)), draw(st.sampled_from([1, 3, 7]))).astype(np.float32)
    if draw(st.booleans()):
        y = y[:, 0]  # (n,) labels with an (n, 1) output, squeezed like Keras
    return y, p, draw(st.integers(1, 30)), rng.integers(0, 3, n).astype(np.float32)


@settings(max_examples=15)
@given(binary_batches(), st.sampled_from([None, 0.5, [0.0, 0.5, 1.0], [0.3, 0.1, 0.9], 0.25]),
       st.booleans())
def test_precision_recall_and_counts_match_keras(keras, data, thresholds, weighted):
    y, p, batch, w = data
    sw = w if weighted else None
    for name in ("Precision", "Recall", "TruePositives", "FalsePositives", "TrueNegatives",
                 "FalseNegatives"):
        ours = feed(getattr(M, name)(thresholds=thresholds), y, p, batch, sw)
        theirs = feed(getattr(keras.metrics, name)(thresholds=thresholds), y, p, batch, sw)
        assert_same(ours, np.asarray(theirs), rtol=1e-6, atol=1e-7)


@settings(max_examples=15)
@given(binary_batches(), st.booleans())
def test_binary_precision_recall_equal_sklearn(data, weighted):
    y, p, batch, w = data
    sw = w if weighted else None
    labels, pred = y.reshape(-1).astype(int), (p[:, 0] > 0.5).astype(int)
    assert_same(feed(M.Precision(), y, p, batch, sw),
                skm.precision_score(labels, pred, zero_division=0, sample_weight=sw), rtol=1e-9)
    assert_same(feed(M.Recall(), y, p, batch, sw),
                skm.recall_score(labels, pred, zero_division=0, sample_weight=sw), rtol=1e-9)


@st.composite
def multiclass_batches(draw):
    k = draw(st.integers(2, 6))
    n = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    classes = sorted(draw(st.sets(st.integers(0, k - 1), min_size=1)))  # some never occur
    labels = rng.choice(classes, size=n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[labels] * draw(st.sampled_from([0, 1]))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return k, labels, probs.astype(np.float32), draw(st.integers(1, 25))


@settings(max_examples=15)
@given(multiclass_batches(), st.integers(0, 5))
def test_multiclass_top_k_and_class_id_match_keras_and_sklearn(keras, data, class_id):
    k, labels, probs, batch = data
    onehot = np.eye(k, dtype=np.float32)[labels]
    class_id = class_id % k
    pred = probs.argmax(axis=1)
    for name in ("Precision", "Recall"):
        ours = feed(getattr(M, name)(top_k=1), onehot, probs, batch)
        theirs = feed(getattr(keras.metrics, name)(top_k=1), onehot, probs, batch)
        assert_same(ours, theirs, rtol=1e-6)
        assert_same(ours, skm.accuracy_score(labels, pred), rtol=1e-9)  # micro = accuracy
        ours_c = feed(getattr(M, name)(top_k=1, class_id=class_id), onehot, probs, batch)
        theirs_c = feed(getattr(keras.metrics, name)(top_k=1, class_id=class_id), onehot, probs,
                        batch)
        assert_same(ours_c, theirs_c, rtol=1e-6)
        per_class = getattr(skm, name.lower() + "_score")(labels, pred, labels=range(k),
                                                          average=None, zero_division=0)
        assert_same(ours_c, per_class[class_id], rtol=1e-9)
        # integer labels: nnlib one-hot encodes them (Keras needs one-hot targets here)
        assert_same(feed(getattr(M, name)(top_k=1), labels, probs, batch), ours)


@settings(max_examples=15)
@given(multiclass_batches(), st.sampled_from([None, "micro", "macro", "weighted"]),
       st.sampled_from([None, 0.3]))
def test_f1_score_matches_keras_and_sklearn(keras, data, average, threshold):
    k, labels, probs, batch = data
    onehot = np.eye(k, dtype=np.float32)[labels]
    ours = feed(M.F1Score(average=average, threshold=threshold), onehot, probs, batch)
    theirs = feed(keras.metrics.F1Score(average=average, threshold=threshold), onehot, probs, batch)
    assert_same(ours, np.asarray(theirs), rtol=1e-5, atol=1e-6)
    kw = {"average": average, "beta": 2.0, "threshold": threshold}
    assert_same(feed(M.FBetaScore(**kw), onehot, probs, batch),
                np.asarray(feed(keras.metrics.FBetaScore(**kw), onehot, probs, batch)),
                rtol=1e-5, atol=1e-6)
    if threshold is None and average != "micro":
        # Keras' ε aside, this is scikit-learn's F1 over all k classes on the arg-max
        expected = skm.f1_score(labels, probs.argmax(axis=1), labels=range(k), average=average,
                                zero_division=0)
        assert_same(ours, expected, rtol=1e-5, atol=1e-6)


def test_f1_score_all_zero_row_predicts_nothing(keras):
    # threshold=None marks each row's maximum, but a row of zeros predicts no class at all
    y = np.eye(3, dtype=np.float32)[[0, 1, 2, 1]]
    p = np.array([[0.7, 0.2, 0.1], [0, 0, 0], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]], np.float32)
    ours = M.F1Score()(y, p)
    theirs = keras.metrics.F1Score()
    theirs.update_state(y, p)
    assert_same(ours, np.asarray(theirs.result()), rtol=1e-5, atol=1e-6)
    assert_same(ours, skm.f1_score([0, 1, 2, 1], [0, -1, 2, 2], labels=range(3), average=None),
                rtol=1e-5, atol=1e-6)


@settings(max_examples=12)
@given(binary_batches(), st.sampled_from([{}, {"curve": "PR"}, {"num_thresholds": 7},
                                         {"thresholds": [0.2, 0.5, 0.7]},
                                         {"thresholds": [0.25, 0.5, 0.75]},
                                         {"summation_method": "minoring"},
                                         {"summation_method": "majoring", "curve": "PR"}]),
       st.booleans())
def test_auc_matches_keras(keras, data, kwargs, weighted):
    y, p, batch, w = data
    sw = w if weighted else None
    ours, theirs = M.AUC(**kwargs), keras.metrics.AUC(**kwargs)
    assert_same(feed(ours, y, p, batch, sw), feed(theirs, y, p, batch, sw), rtol=1e-5, atol=1e-6)
    assert_same(ours.true_positives, theirs.true_positives.numpy())
    assert_same(ours.false_negatives, theirs.false_negatives.numpy())
    assert_same(ours.thresholds, np.asarray(theirs.thresholds, dtype=np.float64))


@settings(max_examples=8)
@given(multiclass_batches(), st.booleans())
def test_multi_label_and_logits_auc_match_keras(keras, data, from_logits):
    k, labels, probs, batch = data
    onehot = np.eye(k, dtype=np.float32)[labels]
    x = np.log(probs) if from_logits else probs
    label_weights = np.arange(1, k + 1)
    for kwargs in ({"multi_label": True}, {"multi_label": True, "label_weights": label_weights},
                   {"label_weights": label_weights}, {}):
        ours = feed(M.AUC(from_logits=from_logits, **kwargs), onehot, x, batch)
        theirs = feed(keras.metrics.AUC(from_logits=from_logits, **kwargs), onehot, x, batch)
        assert_same(ours, theirs, rtol=1e-5, atol=1e-6)


def test_auc_with_many_thresholds_approaches_sklearn():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 2000)
    s = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1).astype(np.float32)
    exact = skm.roc_auc_score(y, s)
    assert abs(M.AUC()(y, s) - exact) > 1e-5  # 200 thresholds: visibly coarse
    assert M.AUC(num_thresholds=10_000)(y, s) == pytest.approx(exact, abs=2e-4)
    assert M.AUC(curve="PR", num_thresholds=10_000)(y, s) == pytest.approx(
        skm.average_precision_score(y, s), abs=5e-3)


# --- compile / fit / evaluate ---------------------------------------------------------------------

def binary_data(n=90, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    y = (x[:, 0] + 0.5 * rng.normal(size=n) > 0.4).astype(np.float32)
    return x, y


def binary_model():
    nnlib.utils.set_random_seed(0)
    return nnlib.Sequential([nnlib.Input((4,)), layers.Dense(5, activation="relu"),
                             layers.Dense(1, activation="sigmoid")])


NAMES = ["accuracy", "precision", "recall", "f1_score", "auc"]


def test_names_resolve_to_keras_classes():
    assert isinstance(M.get("precision"), M.Precision)
    assert isinstance(M.get("recall"), M.Recall)
    assert isinstance(M.get("auc"), M.AUC)
    assert isinstance(M.get("f1_score"), M.F1ScoreByShape)
    assert [M.get(n).name for n in NAMES] == NAMES


def test_fit_accumulates_over_batches_not_the_last_batch():
    """With a vanishing learning rate the weights stay put: each epoch's metric must equal the
    metric over all samples, although it was accumulated from batches of 7 in shuffled order."""
    x, y = binary_data()
    model = binary_model()
    model.compile(nnlib.optimizers.SGD(learning_rate=1e-30), "binary_crossentropy", metrics=NAMES)
    history = model.fit(x[:60], y[:60], batch_size=7, epochs=2, verbose=0,
                        validation_data=(x[60:], y[60:]))
    for prefix, (xs, ys) in (("", (x[:60], y[:60])), ("val_", (x[60:], y[60:]))):
        prob = model.predict(xs)[:, 0]
        pred = (prob > 0.5).astype(int)
        expected = {"accuracy": skm.accuracy_score(ys, pred),
                    "precision": skm.precision_score(ys, pred, zero_division=0),
                    "recall": skm.recall_score(ys, pred, zero_division=0),
                    "f1_score": skm.f1_score(ys, pred, zero_division=0),
                    "auc": M.AUC()(ys, prob)}
        for name, value in expected.items():
            assert history.history[prefix + name] == pytest.approx([value] * 2, abs=1e-6), name
    assert M.AUC()(y[60:], model.predict(x[60:])) == pytest.approx(
        skm.roc_auc_score(y[60:], model.predict(x[60:])[:, 0]), abs=0.02)


def test_evaluate_matches_keras_with_copied_weights(keras):
    x, y = binary_data(150, seed=1)
    model = binary_model()
    model.compile("adam", "binary_crossentropy", metrics=NAMES)
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    twin = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="relu"),
                             keras.layers.Dense(1, activation="sigmoid")])
    twin.set_weights(model.get_weights())
    twin.compile("adam", "binary_crossentropy",
                 metrics=["accuracy", "precision", "recall",
                          keras.metrics.F1Score(average="micro", threshold=0.5), "auc"])
    ours = model.evaluate(x, y[:, None], batch_size=32, return_dict=True)
    theirs = twin.evaluate(x, y[:, None], batch_size=32, verbose=0, return_dict=True)
    assert set(ours) == set(theirs) == {"loss", *NAMES}
    for name in ours:
        assert ours[name] == pytest.approx(float(theirs[name]), rel=1e-5, abs=1e-6), name


def test_softmax_model_reports_macro_f1_and_top_k_precision():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(120, 4)).astype(np.float32)
    labels = np.argmax(x[:, :3] + 0.3 * rng.normal(size=(120, 3)), axis=1)
    nnlib.utils.set_random_seed(1)
    model = nnlib.Sequential([nnlib.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy",
                  metrics=["accuracy", "f1_score", M.Precision(top_k=1, name="p_top1"),
                           M.Recall(class_id=2, top_k=1, name="recall_2")])
    model.fit(x, labels, epochs=2, verbose=0)
    logs = model.evaluate(x, labels, batch_size=25, return_dict=True)
    pred = model.predict(x).argmax(axis=1)
    assert logs["f1_score"] == pytest.approx(skm.f1_score(labels, pred, average="macro"), abs=1e-6)
    assert logs["p_top1"] == pytest.approx(logs["accuracy"], abs=1e-7)
    assert logs["recall_2"] == pytest.approx(skm.recall_score(labels, pred, average=None)[2])


def test_keras_f1_name_on_one_unit_is_the_trap_nnlib_avoids(keras):
    """Keras' "f1_score" is F1Score(): on a sigmoid output every sample is its row's arg-max,
    so it reports the F1 of predicting everyone positive. nnlib's name gives the real F1."""
    y = np.array([1, 0, 0, 0, 1, 0, 0, 0], dtype=np.float32)[:, None]
    p = np.array([0.9, 0.2, 0.1, 0.3, 0.4, 0.1, 0.8, 0.2], dtype=np.float32)[:, None]
    keras_by_name = keras.metrics.get("f1_score")
    keras_by_name.update_state(y, p)
    assert float(np.asarray(keras_by_name.result())[0]) == pytest.approx(2 * 0.25 / 1.25)
    ours = M.get("f1_score")
    ours.update_state(y, p)
    assert ours.result() == pytest.approx(skm.f1_score(y[:, 0], p[:, 0] > 0.5)) == 0.5


def test_per_class_results_are_logged_and_printed(capsys):
    """F1Score() and several thresholds give arrays, as in Keras; fit and evaluate print them."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 3)).astype(np.float32)
    labels = rng.integers(0, 3, 40)
    nnlib.utils.set_random_seed(0)
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy",
                  metrics=[M.F1Score(), M.Precision(thresholds=[0.3, 0.6], name="p")])
    history = model.fit(x, labels, epochs=1, verbose=2)
    logs = model.evaluate(x, labels, verbose=1, return_dict=True)
    out = capsys.readouterr().out
    assert out.count("f1_score: [") == 2 and out.count("p: [") == 2
    assert history.history["f1_score"][0].shape == (3,) and logs["p"].shape == (2,)
    pred = model.predict(x).argmax(axis=1)
    assert_same(logs["f1_score"], skm.f1_score(labels, pred, labels=range(3), average=None,
                                               zero_division=0), rtol=1e-5, atol=1e-6)


def test_early_stopping_maximises_the_new_metric_names():
    for name in ("precision", "val_recall", "val_f1_score", "auc", "val_auc", "true_positives"):
        mode = nnlib.callbacks.EarlyStopping(monitor=name).mode
        assert mode == ("min" if name == "true_positives" else "max"), name


# --- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, match", [
    (lambda: M.precision_score([0, 1], [0.2, 0.9]), ValueError, "non-integer values"),
    (lambda: M.confusion_matrix([0, 1], [[0.1, 0.9], [0.8, 0.2]]), ValueError, "argmax"),
    (lambda: M.confusion_matrix([0, 1, 2], [0, 1]), ValueError, "must match"),
    (lambda: M.confusion_matrix([0, 3], [0, 1], num_classes=3), ValueError, "go up to 3"),
    (lambda: M.confusion_matrix([0, -1], [0, 1]), ValueError, "negative"),
    (lambda: M.confusion_matrix(["a"], ["b"]), TypeError, "class labels"),
    (lambda: M.confusion_matrix([], []), ValueError, "empty"),
    (lambda: M.confusion_matrix([0, 1], [0, 1], normalize="rows"), ValueError, "normalize"),
    (lambda: M.f1_score([0, 1, 2], [0, 1, 2]), ValueError, "average='binary' is for two classes"),
    (lambda: M.f1_score([0, 2], [0, 2]), ValueError, "pos_label=1 is not one of"),
    (lambda: M.f1_score([0, 1], [0, 1], average="mean"), ValueError, "average must be one of"),
    (lambda: M.f1_score([0, 1], [0, 1], zero_division=0.5), ValueError, "zero_division"),
    (lambda: M.f1_score([0, 1], [0, 1], average=None, labels=[1, 1]), ValueError, "repeat"),
    (lambda: M.f1_score([0, 1], [0, 1], sample_weight=[1.0]), ValueError, "sample_weight"),
    (lambda: M.roc_curve([1, 1], [0.2, 0.3]), ValueError, "no negative samples"),
    (lambda: M.roc_curve([0, 1, 2], [0.2, 0.3, 0.1]), ValueError, "pos_label"),
    (lambda: M.roc_curve([0, 1], [0.2, np.nan]), ValueError, "NaN"),
    (lambda: M.roc_curve([0, 1], [[0.2, 0.8], [0.5, 0.5]]), ValueError, "1-D"),
    (lambda: M.auc([0, 1, 0.5], [1, 2, 3]), ValueError, "monotonic"),
    (lambda: M.Precision(thresholds=1.5), ValueError, r"\[0, 1\]"),
    (lambda: M.Precision(top_k=0), ValueError, "positive integer"),
    (lambda: M.Recall(class_id=3).update_state(np.eye(3)[[0, 1]], np.eye(3)[[0, 1]]),
     ValueError, "class_id=3"),
    (lambda: M.Precision(top_k=4).update_state(np.eye(3)[[0]], np.eye(3)[[0]]),
     ValueError, "top_k=4"),
    (lambda: M.Precision().update_state(np.zeros((4, 2)), np.zeros((4, 3))), ValueError,
     "same shape"),
    (lambda: M.Precision().update_state([0, 1], [0.5, np.inf]), ValueError, "NaN/inf"),
    (lambda: M.Recall().update_state([0, 7], np.eye(3)[[0, 1]]), ValueError, r"\[0, 3\)"),
    (lambda: M.AUC(num_thresholds=1), ValueError, "num_thresholds"),
    (lambda: M.AUC(curve="PRGAIN"), ValueError, "curve"),
    (lambda: M.AUC(summation_method="middle"), ValueError, "summation_method"),
    (lambda: M.AUC(num_labels=3), ValueError, "multi_label"),
    (lambda: M.F1Score(average="binary"), ValueError, "average"),
    (lambda: M.F1Score(threshold=1), ValueError, "threshold"),
    (lambda: M.F1Score().update_state(np.zeros(3), np.zeros(3)), ValueError, "2-D"),
    (lambda: M.get("f2"), ValueError, "Unknown metric 'f2'"),
])
def test_errors_say_what_was_expected(call, error, match):
    with pytest.raises(error, match=match):
        call()
