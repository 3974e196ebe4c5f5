"""nnlib.testing's reference helpers for the exercises' hidden tests agree with the formulas."""
from __future__ import annotations

import numpy as np

from nnlib import testing as T


def test_tensorflow_derivative_elementwise_and_of_a_loss(keras):
    x = np.array([[-2.0, -0.5, 0.0], [0.5, 2.0, 30.0]], dtype="float32")
    got = T.tensorflow_derivative(keras.activations.tanh, x)
    assert got.shape == x.shape and got.dtype == np.float32
    np.testing.assert_allclose(got, 1 - np.tanh(x.astype(float)) ** 2, rtol=1e-5, atol=1e-7)
    # at the kink TensorFlow takes the left piece: relu'(0) = 0
    np.testing.assert_array_equal(T.tensorflow_derivative(keras.activations.relu, x),
                                  (x > 0).astype("float32"))
    t = np.arange(6, dtype="float32").reshape(3, 2)
    p = t[::-1].copy()
    mse = T.tensorflow_derivative(lambda q: keras.losses.MeanSquaredError()(t, q), p)
    np.testing.assert_allclose(mse, 2 * (p - t) / p.size, rtol=1e-6)


def test_keras_dense_is_activation_of_x_w_plus_b(keras):
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    got = T.keras_dense(X, W, b, "relu")
    assert got.shape == (4, 5) and got.dtype == np.float32
    np.testing.assert_allclose(got, np.maximum(X @ W + b, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(T.keras_dense(X, W, b), X @ W + b, rtol=1e-5, atol=1e-6)


def test_keras_optimizer_steps_follow_sgd_with_momentum(keras):
    rng = np.random.default_rng(1)
    w = rng.normal(size=(2, 3)).astype("float32")
    grads = [rng.normal(size=(2, 3)).astype("float32") for _ in range(4)]
    got = T.keras_optimizer_steps(keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), w, grads)
    assert len(got) == 4
    expected, v = w.astype(float), np.zeros((2, 3))
    for g, after in zip(grads, got):
        v = 0.9 * v - 0.1 * g
        expected = expected + v
        np.testing.assert_allclose(after, expected, rtol=1e-5, atol=1e-6)
    assert got[0] is not got[1] and not np.array_equal(got[0], got[-1]), "one copy per step"


def test_keras_metric_is_one_update_then_the_result(keras):
    y_true, y_pred = [1, 1, 1, 0, 0], [1, 0, 1, 1, 0]
    assert abs(T.keras_metric(keras.metrics.Precision(), y_true, y_pred) - 2 / 3) < 1e-6
    assert abs(T.keras_metric(keras.metrics.Recall(), y_true, y_pred) - 2 / 3) < 1e-6
    assert isinstance(T.keras_metric(keras.metrics.Recall(), y_true, y_pred), float)
