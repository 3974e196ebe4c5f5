"""nnlib.regularizers and Dense(kernel_regularizer=...) against keras.regularizers (chapter 4)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import gradcheck, layers, regularizers

FACTORS = st.sampled_from([0.0, 1e-4, 0.01, 0.3, 2.0])


def keras_reg(keras, kind, l1, l2):
    return {"l1": lambda: keras.regularizers.L1(l1), "l2": lambda: keras.regularizers.L2(l2),
            "l1l2": lambda: keras.regularizers.L1L2(l1=l1, l2=l2)}[kind]()


def ours_reg(kind, l1, l2):
    return {"l1": lambda: regularizers.L1(l1), "l2": lambda: regularizers.L2(l2),
            "l1l2": lambda: regularizers.L1L2(l1=l1, l2=l2)}[kind]()


@settings(max_examples=30)
@given(shape=st.lists(st.integers(1, 7), min_size=1, max_size=3),
       kind=st.sampled_from(["l1", "l2", "l1l2"]), l1=FACTORS, l2=FACTORS, seed=st.integers(0, 2**16))
def test_penalty_and_gradient_match_keras(keras, shape, kind, l1, l2, seed):
    import tensorflow as tf

    w = np.random.default_rng(seed).normal(size=shape).astype(np.float32)
    w.flat[0] = 0.0  # the L1 gradient at exactly zero: sign(0) = 0, as TensorFlow's
    ours, theirs = ours_reg(kind, l1, l2), keras_reg(keras, kind, l1, l2)
    v = tf.Variable(w)
    with tf.GradientTape() as tape:
        penalty = theirs(v)
    grad = tape.gradient(penalty, v)
    grad = np.zeros_like(w) if grad is None else grad.numpy()
    np.testing.assert_allclose(ours(w), float(penalty), rtol=1e-5, atol=1e-7)
    g = ours.gradient(w)
    assert g.dtype == np.float32 and g.shape == w.shape
    np.testing.assert_allclose(g, grad, rtol=1e-5, atol=1e-7)


def test_formulas_have_no_half_factor():
    w = np.array([[1.0, -2.0], [0.0, 3.0]])
    assert regularizers.L2(0.5)(w) == pytest.approx(0.5 * 14)
    np.testing.assert_allclose(regularizers.L2(0.5).gradient(w), w)  # 2·l2·w with l2 = ½
    assert regularizers.L1(0.1)(w) == pytest.approx(0.6)
    np.testing.assert_allclose(regularizers.L1(0.1).gradient(w), 0.1 * np.sign(w))
    assert regularizers.L1L2(0.1, 0.5)(w) == pytest.approx(0.6 + 7)


@pytest.mark.parametrize("name", ["l1", "l2", "l1l2", "L1", "L2", "L1L2"])
def test_names_resolve_to_keras_defaults(keras, name):
    ours, theirs = regularizers.get(name), keras.regularizers.get(name)
    assert type(ours).__name__ == type(theirs).__name__
    for key, value in theirs.get_config().items():
        assert ours.get_config()[key] == pytest.approx(value)


def test_l1_l2_name_follows_keras_documentation():
    reg = regularizers.get("l1_l2")
    assert (reg.l1, reg.l2) == (0.01, 0.01)


def test_bad_identifiers_and_factors_raise_clear_errors():
    with pytest.raises(ValueError, match="Unknown regularizer 'l3'"):
        regularizers.get("l3")
    with pytest.raises(TypeError, match="regularizer must be None, a name"):
        regularizers.get(0.01)
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0, got -1.0"):
        regularizers.L2(-1)
    with pytest.raises(TypeError, match="l1 must be a number"):
        regularizers.L1("big")
    with pytest.raises(ValueError, match="Unknown regularizer"):
        layers.Dense(3, kernel_regularizer="ridge")


def _twins(keras, regs, seed=0):
    """An nnlib model and its Keras twin (same weights); ``regs()`` -> (kernel_reg, bias_reg) for
    nnlib when called with ``nnlib.regularizers`` and for Keras with ``keras.regularizers``."""
    nnlib.utils.set_random_seed(seed)
    k_ours, b_ours = regs(regularizers)
    k_keras, b_keras = regs(keras.regularizers)
    ours = nnlib.Sequential([nnlib.Input((5,)),
                             layers.Dense(6, activation="tanh", kernel_regularizer=k_ours,
                                          bias_regularizer=b_ours),
                             layers.Dense(3, activation="softmax", kernel_regularizer=k_ours)])
    theirs = keras.Sequential([keras.Input((5,)),
                               keras.layers.Dense(6, activation="tanh", kernel_regularizer=k_keras,
                                                  bias_regularizer=b_keras),
                               keras.layers.Dense(3, activation="softmax",
                                                  kernel_regularizer=k_keras)])
    rng = np.random.default_rng(seed)
    weights = [rng.normal(scale=0.7, size=w.shape).astype(np.float32) for w in ours.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    return ours, theirs


REGS = {
    "l2_kernel": lambda m: ("l2", None),
    "l1_kernel_l2_bias": lambda m: ("l1", "l2"),
    "l1l2_kernel_l1_bias": lambda m: (m.L1L2(l1=0.02, l2=0.05), m.L1(0.3)),
    "strong_l2": lambda m: (m.L2(0.5), m.L2(0.1)),
}


@pytest.mark.parametrize("regs", list(REGS))
def test_regularized_loss_and_gradients_match_keras(keras, regs):
    import tensorflow as tf

    ours, theirs = _twins(keras, REGS[regs])
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 5)).astype(np.float32)
    y = rng.integers(0, 3, size=8)
    ours.compile("sgd", "sparse_categorical_crossentropy")
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        pred = theirs(x, training=True)
        total = loss_fn(y, pred) + tf.add_n(theirs.losses)
    grads = tape.gradient(total, theirs.trainable_weights)
    value, _ = nnlib.training.compute_gradients(ours, x, y)
    reg = sum(layer.regularization_loss() for layer in ours.layers)
    assert reg > 0
    np.testing.assert_allclose(reg, float(tf.add_n(theirs.losses)), rtol=1e-5)
    np.testing.assert_allclose(value, float(total), rtol=1e-5)
    ours_grads = [v.grad for v in ours.trainable_weights]
    for g_ours, g_keras in zip(ours_grads, grads):
        np.testing.assert_allclose(g_ours, g_keras.numpy(), rtol=1e-4, atol=1e-6)


def test_fit_with_l2_matches_keras_fit(keras):
    ours, theirs = _twins(keras, lambda m: (m.L2(0.01), m.L2(0.02)), seed=3)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(40, 5)).astype(np.float32)
    y = rng.integers(0, 3, size=40)
    ours.compile(nnlib.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    theirs.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    h_ours = ours.fit(x, y, batch_size=10, epochs=3, shuffle=False, verbose=0,
                      validation_data=(x[:10], y[:10]))
    h_keras = theirs.fit(x, y, batch_size=10, epochs=3, shuffle=False, verbose=0,
                         validation_data=(x[:10], y[:10]))
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(h_ours.history[key], h_keras.history[key], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


@given(seed=st.integers(0, 999), kind=st.sampled_from(["l1", "l2", "l1l2"]),
       use_bias_reg=st.booleans())
@settings(max_examples=15)
def test_dense_with_penalty_passes_float64_gradient_check(seed, kind, use_bias_reg):
    nnlib.utils.set_random_seed(seed)
    reg = ours_reg(kind, 0.03, 0.2)
    layer = layers.Dense(4, activation="tanh", dtype="float64", kernel_regularizer=reg,
                         bias_regularizer=reg if use_bias_reg else None,
                         bias_initializer=nnlib.initializers.RandomNormal(0.0, 0.5))
    x = np.random.default_rng(seed).normal(size=(3, 5))
    errors = gradcheck.check_layer(layer, x, seed=seed)
    assert max(errors.values()) < 1e-6, errors
    assert layer.regularization_loss() > 0


class Scale(layers.Layer):
    """A layer that knows nothing about penalties: y = x · w, one weight per feature."""

    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1],), "ones", regularizer=regularizers.L2(0.3))
        super().build(input_shape)

    def forward(self, x, training=False):
        self.cache = x
        return x * self.w.value

    def backward(self, grad, input_grad=True):
        self.w.grad = np.sum(grad * self.cache, axis=0)  # the data's gradient only
        return grad * self.w.value if input_grad else None


def test_a_regularizer_belongs_to_the_weight_whatever_the_layer():
    """The penalty and its gradient come from add_weight(regularizer=...), not from the layer's
    backward: a layer written without them passes the gradient check of the total loss, and a
    training step sees penalty + data loss."""
    layer = Scale(dtype="float64")
    x = np.random.default_rng(0).normal(size=(4, 3))
    errors = gradcheck.check_layer(layer, x)
    assert max(errors.values()) < 1e-7, errors
    model = nnlib.Sequential([nnlib.Input((3,)), Scale(dtype="float64")])
    model.compile("sgd", "mse")
    w = model.layers[0].w
    w.assign([1.0, -2.0, 0.5])
    y = np.zeros((4, 3))
    loss, y_pred = nnlib.training.compute_gradients(model, x, y)
    data_grad = np.sum(2 * y_pred / y_pred.size * x, axis=0)
    np.testing.assert_allclose(w.grad, data_grad + 2 * 0.3 * w.value, rtol=1e-12)
    assert loss == pytest.approx(np.mean(y_pred ** 2) + 0.3 * np.sum(w.value ** 2), rel=1e-12)
    model.layers[0].trainable = False  # a frozen weight adds no penalty
    assert model.regularization_loss() == 0.0


def test_frozen_layers_add_no_penalty_and_config_round_trips():
    layer = layers.Dense(2, kernel_regularizer="l2", bias_regularizer=regularizers.L1(0.5))
    layer(np.ones((1, 3), dtype=np.float32))
    assert layer.regularization_loss() > 0
    config = layer.get_config()
    assert config["kernel_regularizer"] == {"class_name": "L2", "config": {"l2": 0.01}}
    assert config["bias_regularizer"] == {"class_name": "L1", "config": {"l1": 0.5}}
    layer.trainable = False
    assert layer.regularization_loss() == 0.0
    assert layers.Dense(2).get_config()["kernel_regularizer"] is None
