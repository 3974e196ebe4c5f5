"""nnlib.losses against keras.losses: values, reductions, gradients (tf.GradientTape), float64
central differences, extreme inputs and error messages."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import gradcheck, losses

# (nnlib class, Keras class name, kind of targets, constructor kwargs)
CASES = [
    (losses.MeanSquaredError, "MeanSquaredError", "real", {}),
    (losses.MeanAbsoluteError, "MeanAbsoluteError", "real", {}),
    (losses.Huber, "Huber", "real", {}),
    (losses.Huber, "Huber", "real", {"delta": 0.3}),
    (losses.BinaryCrossentropy, "BinaryCrossentropy", "binary", {}),
    (losses.BinaryCrossentropy, "BinaryCrossentropy", "binary", {"from_logits": True}),
    (losses.BinaryCrossentropy, "BinaryCrossentropy", "binary", {"label_smoothing": 0.2}),
    (losses.CategoricalCrossentropy, "CategoricalCrossentropy", "onehot", {}),
    (losses.CategoricalCrossentropy, "CategoricalCrossentropy", "onehot", {"from_logits": True}),
    (losses.CategoricalCrossentropy, "CategoricalCrossentropy", "onehot",
     {"from_logits": True, "label_smoothing": 0.1}),
    (losses.SparseCategoricalCrossentropy, "SparseCategoricalCrossentropy", "sparse", {}),
    (losses.SparseCategoricalCrossentropy, "SparseCategoricalCrossentropy", "sparse",
     {"from_logits": True}),
]
IDS = [f"{c[1]}{c[3] or ''}" for c in CASES]


def make_data(kind: str, kwargs: dict, batch: int, width: int, rng: np.random.Generator,
              dtype=np.float32, scale: float = 1.0):
    """Targets and predictions of the right kind: probabilities unless from_logits."""
    logits = kwargs.get("from_logits", False)
    z = scale * rng.normal(size=(batch, width))
    if kind == "real":
        return rng.normal(size=(batch, width)).astype(dtype), z.astype(dtype)
    if kind == "binary":
        t = rng.integers(0, 2, size=(batch, width)).astype(dtype)
        p = z if logits else 1 / (1 + np.exp(-z))
        return t, p.astype(dtype)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = z if logits else e / e.sum(axis=1, keepdims=True)
    labels = rng.integers(0, width, size=batch)
    if kind == "sparse":
        return labels, p.astype(dtype)
    return np.eye(width, dtype=dtype)[labels], p.astype(dtype)


@pytest.mark.parametrize("ours, name, kind, kwargs", CASES, ids=IDS)
@settings(max_examples=12)
@given(batch=st.integers(1, 9), width=st.integers(2, 6), seed=st.integers(0, 2**16),
       scale=st.sampled_from([0.1, 1.0, 8.0]))
def test_values_and_gradients_match_keras(keras, ours, name, kind, kwargs, batch, width, seed,
                                          scale):
    import tensorflow as tf

    t, p = make_data(kind, kwargs, batch, width, np.random.default_rng(seed), scale=scale)
    loss = ours(**kwargs)
    twin = getattr(keras.losses, name)(**kwargs)
    value, grad = loss.value_and_gradient(t, p)
    pt = tf.constant(p)
    with tf.GradientTape() as tape:
        tape.watch(pt)
        expected = twin(t, pt)
    expected_grad = tape.gradient(expected, pt).numpy()
    assert isinstance(value, float)
    assert value == pytest.approx(float(expected), rel=1e-5, abs=1e-6)
    assert loss(t, p) == value
    assert grad.shape == p.shape and grad.dtype == np.float32
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(loss.gradient(t, p), grad)


@pytest.mark.parametrize("ours, name, kind, kwargs", CASES, ids=IDS)
def test_per_sample_functions_and_reductions_match_keras(keras, ours, name, kind, kwargs):
    t, p = make_data(kind, kwargs, 7, 4, np.random.default_rng(5))
    for reduction in ("sum_over_batch_size", "mean", "sum", "none", None):
        loss = ours(**kwargs, reduction=reduction)
        expected = np.asarray(getattr(keras.losses, name)(**kwargs, reduction=reduction)(t, p))
        np.testing.assert_allclose(loss(t, p), expected, rtol=1e-5, atol=1e-6)
    function = {losses.MeanSquaredError: "mean_squared_error",
                losses.MeanAbsoluteError: "mean_absolute_error", losses.Huber: "huber",
                losses.BinaryCrossentropy: "binary_crossentropy",
                losses.CategoricalCrossentropy: "categorical_crossentropy",
                losses.SparseCategoricalCrossentropy: "sparse_categorical_crossentropy"}[ours]
    values = getattr(losses, function)(t, p, **kwargs)
    expected = np.asarray(getattr(keras.losses, function)(t, p, **kwargs))
    assert values.shape == (7,)
    np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-6)
    assert losses.get(function).name == ours().name == twin_name(keras, name)


def twin_name(keras, name):
    return getattr(keras.losses, name)().name


@pytest.mark.parametrize("ours, name, kind, kwargs", CASES, ids=IDS)
@settings(max_examples=10)
@given(batch=st.integers(1, 5), width=st.integers(2, 5), seed=st.integers(0, 2**16),
       reduction=st.sampled_from(["sum_over_batch_size", "sum"]))
def test_gradients_pass_float64_central_differences(ours, name, kind, kwargs, batch, width, seed,
                                                    reduction):
    rng = np.random.default_rng(seed)
    t, p = make_data(kind, kwargs, batch, width, rng, dtype=np.float64)
    if kind in ("real",):  # keep |error| away from Huber's and MAE's kinks
        p = t + np.where(rng.random(p.shape) < 0.5, -1, 1) * rng.uniform(0.05, 2.0, p.shape)
    if kind in ("binary", "onehot", "sparse") and not kwargs.get("from_logits"):
        p = np.clip(p, 1e-3, 1 - 1e-3)  # inside the clip range, where the loss is smooth
    loss = ours(**kwargs, reduction=reduction)
    grad = loss.gradient(t, p)
    assert grad.dtype == np.float64
    numeric = gradcheck.numerical_gradient(lambda: loss(t, p), p)
    assert gradcheck.relative_error(grad, numeric) < 1e-6


@pytest.mark.parametrize("ours, name, kind, kwargs", [c for c in CASES if c[2] != "real"],
                         ids=[i for c, i in zip(CASES, IDS) if c[2] != "real"])
def test_extreme_inputs_stay_finite_and_match_keras(keras, ours, name, kind, kwargs):
    """Probabilities of exactly 0 and 1 (no log(0)); logits of ±1000 (no overflow)."""
    import tensorflow as tf

    width = 3
    if kwargs.get("from_logits"):
        p = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 500.0]], dtype=np.float32)
    else:
        p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    if kind == "binary":
        t = np.array([[0, 1, 1], [1, 0, 0]], dtype=np.float32)
    elif kind == "onehot":
        t = np.eye(width, dtype=np.float32)[[1, 2]]
    else:
        t = np.array([1, 2])
    loss = ours(**kwargs)
    value, grad = loss.value_and_gradient(t, p)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    pt = tf.constant(p)
    with tf.GradientTape() as tape:
        tape.watch(pt)
        expected = getattr(keras.losses, name)(**kwargs)(t, pt)
    assert value == pytest.approx(float(expected), rel=1e-5)
    np.testing.assert_allclose(grad, tape.gradient(expected, pt).numpy(), rtol=1e-4, atol=1e-6)


def test_unnormalised_probabilities_are_renormalised_like_keras(keras):
    t = np.eye(3, dtype=np.float32)[[0, 2]]
    p = np.array([[0.2, 0.3, 0.1], [1.0, 2.0, 3.0]], dtype=np.float32)
    np.testing.assert_allclose(losses.categorical_crossentropy(t, p),
                               keras.losses.categorical_crossentropy(t, p), rtol=1e-6)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy([0, 2], p),
                               keras.losses.sparse_categorical_crossentropy(np.array([0, 2]), p), rtol=1e-6)


@pytest.mark.parametrize("t_shape, p_shape", [((6,), (6, 1)), ((6, 1), (6,)), ((6,), (6,)),
                                              ((6, 1), (6, 1))])
def test_rank_is_aligned_like_keras(keras, t_shape, p_shape):
    rng = np.random.default_rng(0)
    t = rng.normal(size=t_shape).astype(np.float32)
    p = rng.normal(size=p_shape).astype(np.float32)
    for ours, theirs in ((losses.MeanSquaredError(), keras.losses.MeanSquaredError()),
                         (losses.Huber(), keras.losses.Huber())):
        assert ours(t, p) == pytest.approx(float(theirs(t, p)), rel=1e-6)
        assert ours.gradient(t, p).shape == p_shape
    np.testing.assert_allclose(losses.mean_squared_error(t, p),
                               keras.losses.mean_squared_error(t, p), rtol=1e-6)


def test_sparse_labels_may_be_a_column_or_floats():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], dtype=np.float32)
    expected = -np.log([0.7, 0.8])
    for labels in ([0, 2], [[0], [2]], np.array([0.0, 2.0])):
        np.testing.assert_allclose(losses.sparse_categorical_crossentropy(labels, p), expected,
                                   rtol=1e-6)


def test_worked_example_by_hand():
    """Numbers a reader can check with a pencil (chapter 3)."""
    assert losses.MeanSquaredError()([1.0, 2.0], [[1.5], [1.0]]) == pytest.approx((0.25 + 1) / 2)
    assert losses.MeanAbsoluteError()([[1.0, 2.0]], [[1.5, 1.0]]) == pytest.approx(0.75)
    assert losses.Huber(delta=1.0)([[0.0, 0.0]], [[0.5, 3.0]]) == pytest.approx((0.125 + 2.5) / 2)
    assert losses.BinaryCrossentropy()([[1.0]], [[0.8]]) == pytest.approx(-np.log(0.8), rel=1e-6)
    np.testing.assert_allclose(losses.MeanSquaredError().gradient([[1.0, 2.0]], [[1.5, 1.0]]),
                               [[0.5, -1.0]])  # 2(p − t)/n, n = 2 outputs, batch of 1


@pytest.mark.parametrize("call, error, message", [
    (lambda: losses.MeanSquaredError()(np.ones((3, 2)), np.ones((3, 4))), ValueError,
     r"same shape, got y_true \(3, 2\) and y_pred \(3, 4\)"),
    (lambda: losses.CategoricalCrossentropy()([0, 1, 2], np.full((3, 3), 1 / 3)), ValueError,
     "integer class labels use sparse_categorical_crossentropy"),
    (lambda: losses.SparseCategoricalCrossentropy()([0, 3], np.full((2, 3), 1 / 3)), ValueError,
     r"must lie in \[0, 2\] for 3 outputs"),
    (lambda: losses.SparseCategoricalCrossentropy()([0, 1.5], np.full((2, 3), 1 / 3)), ValueError,
     "whole numbers"),
    (lambda: losses.SparseCategoricalCrossentropy()(np.eye(3), np.full((3, 3), 1 / 3)), ValueError,
     "One-hot targets need categorical_crossentropy"),
    (lambda: losses.MeanSquaredError()([1.0, np.nan], [1.0, 2.0]), ValueError, "NaN"),
    (lambda: losses.MeanSquaredError()([1.0, 2.0], [1.0, np.inf]), ValueError, "y_pred contains"),
    (lambda: losses.MeanSquaredError()(["a", "b"], [1.0, 2.0]), TypeError, "real numbers"),
    (lambda: losses.MeanSquaredError(reduction="average"), ValueError, "reduction must be one of"),
    (lambda: losses.MeanSquaredError(reduction="none").gradient([1.0], [2.0]), ValueError,
     "unreduced"),
    (lambda: losses.Huber(delta=0), ValueError, "delta must be a positive"),
    (lambda: losses.BinaryCrossentropy(label_smoothing=2), ValueError, "label_smoothing"),
    (lambda: losses.get("cross_entropy"), ValueError, "Unknown loss 'cross_entropy'.*expected one of"),
    (lambda: losses.get(3), TypeError, "loss must be a name"),
])
def test_errors_are_clear(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_logits_version_keeps_settings():
    loss = losses.CategoricalCrossentropy(label_smoothing=0.1, reduction="sum", name="cce")
    twin = loss.logits_version()
    assert twin is not None and twin.from_logits and not loss.from_logits
    assert (twin.label_smoothing, twin.reduction, twin.name) == (0.1, "sum", "cce")
    assert twin.logits_version() is None
    assert losses.MeanSquaredError().logits_version() is None
