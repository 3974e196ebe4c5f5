"""nnlib.layers.Dense and nnlib.Sequential against keras.layers.Dense / keras.Sequential."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import gradcheck, layers

ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh", "softmax"]


def keras_dense(keras, units, n_in, activation, use_bias, weights):
    layer = keras.layers.Dense(units, activation=activation, use_bias=use_bias)
    layer.build((None, n_in))
    layer.set_weights(weights)
    return layer


@settings(max_examples=30)
@given(batch=st.integers(1, 9), n_in=st.integers(1, 12), units=st.integers(1, 12),
       activation=st.sampled_from(ACTIVATIONS), use_bias=st.booleans(), seed=st.integers(0, 2**16),
       scale=st.sampled_from([0.1, 1.0, 10.0]))
def test_forward_matches_keras(keras, batch, n_in, units, activation, use_bias, seed, scale):
    rng = np.random.default_rng(seed)
    x = (scale * rng.normal(size=(batch, n_in))).astype(np.float32)
    ours = layers.Dense(units, activation=activation, use_bias=use_bias)
    out = ours(x)
    theirs = keras_dense(keras, units, n_in, activation, use_bias, ours.get_weights())
    expected = np.asarray(theirs(x))
    assert out.dtype == np.float32 and out.shape == expected.shape == (batch, units)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6 * max(1.0, scale))


@settings(max_examples=20)
@given(batch=st.integers(1, 6), n_in=st.integers(1, 8), units=st.integers(1, 8),
       activation=st.sampled_from(ACTIVATIONS), seed=st.integers(0, 2**16))
def test_gradients_match_tf_gradient_tape(keras, batch, n_in, units, activation, seed):
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, n_in)).astype(np.float32)
    upstream = rng.normal(size=(batch, units)).astype(np.float32)
    ours = layers.Dense(units, activation=activation)
    ours(x)
    dx = ours.backward(upstream)
    theirs = keras_dense(keras, units, n_in, activation, True, ours.get_weights())
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        target = tf.reduce_sum(theirs(xt) * upstream)
    gx, gk, gb = tape.gradient(target, [xt, theirs.kernel, theirs.bias])
    np.testing.assert_allclose(dx, gx.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours.grads["kernel"], gk.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours.grads["bias"], gb.numpy(), rtol=1e-4, atol=1e-5)


@given(batch=st.integers(1, 5), n_in=st.integers(1, 6), units=st.integers(1, 6),
       activation=st.sampled_from(ACTIVATIONS), use_bias=st.booleans(), seed=st.integers(0, 999))
def test_backward_passes_float64_gradient_check(batch, n_in, units, activation, use_bias, seed):
    nnlib.utils.set_random_seed(seed)
    layer = layers.Dense(units, activation=activation, use_bias=use_bias, dtype="float64")
    x = np.random.default_rng(seed).normal(size=(batch, n_in))
    errors = gradcheck.check_layer(layer, x, seed=seed)
    assert set(errors) == {"input", "kernel"} | ({"bias"} if use_bias else set())
    assert max(errors.values()) < 1e-6, errors


def test_gradient_check_detects_a_wrong_backward():
    """The check can fail: a Dense whose kernel gradient is transposed-and-scaled is caught."""

    class Broken(layers.Dense):
        def backward_preactivation(self, grad_z, input_grad=True):
            out = super().backward_preactivation(grad_z, input_grad)
            self.grads["kernel"] *= 0.5
            return out

    layer = Broken(3, activation="tanh", dtype="float64")
    errors = gradcheck.check_layer(layer, np.random.default_rng(0).normal(size=(4, 3)))
    assert errors["kernel"] > 0.1 and errors["input"] < 1e-6


def test_nd_inputs_apply_to_the_last_axis_like_keras(keras):
    x = np.random.default_rng(1).normal(size=(2, 3, 4)).astype(np.float32)
    ours = layers.Dense(5, activation="relu")
    out = ours(x)
    theirs = keras_dense(keras, 5, 4, "relu", True, ours.get_weights())
    np.testing.assert_allclose(out, np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape((None, 3, 4)) == (None, 3, 5)


def test_defaults_are_keras_defaults():
    nnlib.utils.set_random_seed(0)
    layer = layers.Dense(200)
    layer(np.zeros((1, 300), dtype=np.float32))
    kernel, bias = layer.get_weights()
    limit = np.sqrt(6 / (300 + 200))  # Glorot uniform
    assert kernel.shape == (300, 200) and bias.shape == (200,)
    assert kernel.dtype == np.float32 and np.all(bias == 0)
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert abs(kernel.var() - limit**2 / 3) < 0.05 * limit**2 / 3  # variance of U(-l, l)


def test_seeding_makes_initialisation_reproducible():
    draws = []
    for _ in range(2):
        nnlib.utils.set_random_seed(42)
        draws.append(nnlib.Sequential([nnlib.Input((3,)), layers.Dense(4)]).get_weights()[0])
    np.testing.assert_array_equal(*draws)
    seeded = nnlib.initializers.GlorotUniform(seed=7)
    np.testing.assert_array_equal(seeded((3, 4)), seeded((3, 4)))  # Keras 3: same values each call


def test_weights_layout_and_count_match_keras(keras):
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(7, activation="relu"),
                              layers.Dense(3, use_bias=False), layers.Dense(2, activation="softmax")])
    twin = keras.Sequential([keras.Input((5,)), keras.layers.Dense(7, activation="relu"),
                             keras.layers.Dense(3, use_bias=False),
                             keras.layers.Dense(2, activation="softmax")])
    assert [w.shape for w in model.get_weights()] == [w.shape for w in twin.get_weights()]
    assert model.count_params() == twin.count_params() == 5 * 7 + 7 + 7 * 3 + 3 * 2 + 2
    twin.set_weights(model.get_weights())
    x = np.random.default_rng(3).normal(size=(11, 5)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x), twin.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    # and back: Keras' random weights into nnlib
    twin.set_weights([np.random.default_rng(4).normal(size=w.shape).astype(np.float32)
                      for w in twin.get_weights()])
    model.set_weights(twin.get_weights())
    np.testing.assert_allclose(model.predict(x), twin.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


@settings(max_examples=15)
@given(sizes=st.lists(st.integers(1, 10), min_size=2, max_size=5),
       activations=st.lists(st.sampled_from(ACTIVATIONS), min_size=4, max_size=4),
       batch=st.integers(1, 20), seed=st.integers(0, 2**16))
def test_sequential_predict_matches_keras(keras, sizes, activations, batch, seed):
    model = nnlib.Sequential([nnlib.Input((sizes[0],))] +
                             [layers.Dense(u, activation=a) for u, a in zip(sizes[1:], activations)])
    twin = keras.Sequential([keras.Input((sizes[0],))] +
                            [keras.layers.Dense(u, activation=a) for u, a in zip(sizes[1:], activations)])
    twin.set_weights(model.get_weights())
    x = np.random.default_rng(seed).normal(size=(batch, sizes[0])).astype(np.float32)
    np.testing.assert_allclose(model.predict(x), np.asarray(twin(x)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x, batch_size=3), model.predict(x), rtol=1e-5, atol=1e-6)


def test_summary_lists_layers_shapes_and_counts(capsys):
    model = nnlib.Sequential([nnlib.Input((784,)), layers.Dense(128, activation="relu", name="hidden"),
                              layers.Dense(10, activation="softmax", name="out")], name="mnist")
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "mnist"' in text
    assert "hidden (Dense)" in text and "(None, 128)" in text and "100,480" in text
    assert "out (Dense)" in text and "(None, 10)" in text and "1,290" in text
    assert "Total params: 101,770 (397.54 KB)" in text


def test_layers_build_on_first_call_and_names_are_unique():
    model = nnlib.Sequential([layers.Dense(4), layers.Dense(2)])
    assert not model.built
    with pytest.raises(ValueError, match="not built yet"):
        model.summary()
    out = model.predict(np.ones((3, 6)))
    assert out.shape == (3, 2) and model.built
    assert model.layers[0].kernel.shape == (6, 4)
    assert len({layer.name for layer in model.layers}) == 2


@pytest.mark.parametrize("bad, error, message", [
    (np.ones(4), ValueError, r"expected a batch of shape \(batch, 4\), got shape \(4,\).*reshape"),
    (np.ones((2, 5)), ValueError, "expected 4 input features .*got 5"),
    (np.array([[1.0, np.nan, 0.0, 2.0]]), ValueError, "1 NaN/inf value.*index \\(0, 1\\)"),
    (np.array([[1.0, np.inf, 0.0, 2.0]]), ValueError, "NaN/inf"),
    (np.array([["a", "b", "c", "d"]]), TypeError, "must hold real numbers"),
    (np.float32(3.0), ValueError, "batch axis"),
])
def test_bad_inputs_raise_clear_errors(bad, error, message):
    model = nnlib.Sequential([nnlib.Input((4,)), layers.Dense(3)])
    with pytest.raises(error, match=message):
        model.predict(bad)
    with pytest.raises(error):
        model.layers[0](bad)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"units": 0}, ValueError, "positive integer, got 0"),
    ({"units": 2.5}, TypeError, "positive integer"),
    ({"units": 3, "activation": "relux"}, ValueError, "Unknown activation 'relux'.*expected one of"),
    ({"units": 3, "activation": lambda z: z}, ValueError, "no derivative"),
    ({"units": 3, "kernel_initializer": "glorot"}, ValueError, "Unknown initializer 'glorot'"),
    ({"units": 3, "dtype": "int32"}, TypeError, "dtype must be one of"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        layers.Dense(**kwargs)


def test_set_weights_checks_count_and_shapes():
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(2)])
    kernel, bias = model.get_weights()
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        model.set_weights([kernel])
    with pytest.raises(ValueError, match="transposed kernel"):
        model.set_weights([kernel.T, bias])
    with pytest.raises(ValueError, match="NaN"):
        model.set_weights([kernel * np.nan, bias])
    model.set_weights([kernel + 1, bias + 2])
    np.testing.assert_array_equal(model.get_weights()[1], bias + 2)


def test_get_weights_returns_copies():
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(2)])
    model.get_weights()[0][...] = 99.0
    assert not np.any(model.get_weights()[0] == 99.0)


def test_input_only_first_and_layers_not_reused():
    dense = layers.Dense(2)
    with pytest.raises(ValueError, match="already in this model"):
        nnlib.Sequential([dense, dense])
    with pytest.raises(ValueError, match="Input can only be the first"):
        nnlib.Sequential([layers.Dense(2), nnlib.Input((3,))])
    with pytest.raises(TypeError, match="takes nnlib layers"):
        nnlib.Sequential(["dense"])


def test_save_and_load_weights_round_trip(tmp_path):
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(1)])
    path = tmp_path / "model.weights.npz"
    model.save_weights(str(path))
    other = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(1)])
    other.load_weights(str(path))
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_array_equal(model.predict(x), other.predict(x))
    with pytest.raises(ValueError, match="must end in .npz"):
        model.save_weights(str(tmp_path / "model.h5"))


def test_softmax_over_one_unit_warns():
    with pytest.warns(UserWarning, match="softmax over 1 unit always outputs 1"):
        layers.Dense(1, activation="softmax")(np.ones((2, 3)))
