"""nnlib.layers.Dropout against keras.layers.Dropout (chapter 4)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import gradcheck, layers

SHAPES = st.lists(st.integers(1, 9), min_size=2, max_size=3).map(tuple)
RATES = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8, 1.0])


@settings(max_examples=25)
@given(shape=SHAPES, rate=RATES, seed=st.integers(0, 2**16))
def test_identity_at_inference_like_keras(keras, shape, rate, seed):
    x = np.random.default_rng(seed).normal(size=shape).astype(np.float32)
    ours = layers.Dropout(rate, seed=seed)
    out = ours(x)  # training=False by default, as in Keras
    np.testing.assert_array_equal(out, np.asarray(keras.layers.Dropout(rate, seed=seed)(x)))
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(ours.backward(x * 2), x * 2)


@settings(max_examples=25)
@given(shape=SHAPES, rate=RATES, seed=st.integers(0, 2**16))
def test_training_keeps_or_zeroes_each_entry_with_keras_scale(keras, shape, rate, seed):
    """Every entry is 0 or x/(1 − rate), bit for bit the value Keras gives the entries it keeps."""
    x = (np.random.default_rng(seed).normal(size=shape) + 3).astype(np.float32)  # no zeros in x
    ours = layers.Dropout(rate, seed=seed)(x, training=True)
    theirs = np.asarray(keras.layers.Dropout(rate, seed=seed)(x, training=True))
    assert ours.dtype == np.float32 and ours.shape == x.shape
    for out in (ours, theirs):
        kept = out != 0
        if rate < 1:
            np.testing.assert_array_equal(out[kept], (x * np.float32(1 / (1 - rate)))[kept])
        else:
            assert not kept.any()
    np.testing.assert_array_equal(ours[theirs != 0][ours[theirs != 0] != 0],
                                  theirs[(theirs != 0) & (ours != 0)])


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.7])
def test_expected_scale_and_drop_fraction_match_keras(keras, rate):
    x = np.ones((400, 250), dtype=np.float32)
    ours = layers.Dropout(rate, seed=1)(x, training=True)
    theirs = np.asarray(keras.layers.Dropout(rate, seed=1)(x, training=True))
    n = x.size
    tolerance = 4 * np.sqrt(rate * (1 - rate) / n)  # four binomial standard errors
    for out in (ours, theirs):
        assert abs(np.mean(out == 0) - rate) < tolerance
        assert abs(out.mean() - 1.0) < tolerance / (1 - rate)  # E[y] = x: the scale is kept


def test_backward_uses_the_mask_like_tf_gradient_tape(keras):
    import tensorflow as tf

    rng = np.random.default_rng(5)
    x = rng.normal(size=(6, 7)).astype(np.float32) + 5
    upstream = rng.normal(size=(6, 7)).astype(np.float32)
    ours = layers.Dropout(0.4, seed=3)
    y = ours(x, training=True)
    dx = ours.backward(upstream)
    scale = np.float32(1 / 0.6)
    np.testing.assert_array_equal((y != 0), ours.mask != 0)
    np.testing.assert_array_equal(dx, np.where(y != 0, upstream * scale, 0))  # same mask and scale
    theirs = keras.layers.Dropout(0.4, seed=3)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        yt = theirs(xt, training=True)
        target = tf.reduce_sum(yt * upstream)
    gt = tape.gradient(target, xt).numpy()
    np.testing.assert_allclose(gt, upstream * (yt.numpy() / x), rtol=1e-6)  # Keras: the same rule


@given(rate=st.sampled_from([0.0, 0.3, 0.5, 0.9]), seed=st.integers(0, 999), shape=SHAPES)
@settings(max_examples=15)
def test_float64_gradient_check_with_a_fixed_mask(rate, seed, shape):
    layer = layers.Dropout(rate, seed=seed, dtype="float64")
    x = np.random.default_rng(seed).normal(size=shape)
    layer.rng = np.random.default_rng(seed)
    forward = layer.forward

    def fixed_mask_forward(x, training=False):  # re-seed before each call: the same mask each time
        layer.rng = np.random.default_rng(seed)
        return forward(x, training)

    layer.forward = fixed_mask_forward
    errors = gradcheck.check_layer(layer, x, seed=seed, training=True)
    assert errors["input"] < 1e-7, errors


def test_seeded_layers_repeat_their_masks_and_draw_new_ones_each_call():
    x = np.ones((50, 20), dtype=np.float32)
    a, b = layers.Dropout(0.5, seed=7), layers.Dropout(0.5, seed=7)
    first = a(x, training=True)
    np.testing.assert_array_equal(first, b(x, training=True))
    assert not np.array_equal(first, a(x, training=True))  # a fresh mask per call
    nnlib.utils.set_random_seed(3)
    c = layers.Dropout(0.5)(x, training=True)
    nnlib.utils.set_random_seed(3)
    np.testing.assert_array_equal(c, layers.Dropout(0.5)(x, training=True))


def test_noise_shape_shares_the_mask_like_keras(keras):
    x = np.ones((4, 5, 6), dtype=np.float32)
    for layer in (layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=2),
                  keras.layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=2)):
        out = np.asarray(layer(x, training=True))
        assert (out == out[:, :1, :]).all()  # one mask for every step of a sample
        assert set(np.unique(out)) <= {0.0, 2.0}
    with pytest.raises(ValueError, match="does not broadcast"):
        layers.Dropout(0.5, noise_shape=(None, 2, 6))(x, training=True)


def test_in_a_model_only_fit_drops(keras):
    nnlib.utils.set_random_seed(0)
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(50, activation="relu"),
                              layers.Dropout(0.5, seed=0), layers.Dense(1)])
    x = np.random.default_rng(0).normal(size=(16, 3)).astype(np.float32)
    np.testing.assert_array_equal(model.predict(x), model.predict(x))  # inference: deterministic
    train_out = model(x, training=True)
    assert not np.allclose(train_out, model.predict(x))
    model.compile("sgd", "mse")
    first = model.evaluate(x, np.zeros((16, 1)))
    assert first == model.evaluate(x, np.zeros((16, 1)))
    assert model.layers[1].count_params() == 0 and model.layers[1].get_weights() == []
    assert keras.layers.Dropout(0.5).count_params() == 0


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\], got rate=1.5"):
        layers.Dropout(1.5)
    with pytest.raises(TypeError, match="rate must be a number"):
        layers.Dropout("half")
    with pytest.raises(ValueError, match="seed must be None or a non-negative integer"):
        layers.Dropout(0.5, seed=-1)
    with pytest.raises(ValueError, match="one entry per input axis"):
        layers.Dropout(0.5, noise_shape=(1,))(np.ones((2, 3)), training=True)
    assert layers.Dropout(0.3, seed=1).get_config()["rate"] == 0.3
