"""Gradient clipping (clipnorm, clipvalue, global_clipnorm) against Keras' optimizers (ch. 4)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import layers, optimizers

CLIPS = [{"clipnorm": 1.0}, {"clipvalue": 0.5}, {"global_clipnorm": 2.0}, {"clipnorm": 1e-3},
         {"global_clipnorm": 100.0}]  # the last one never clips
OPTS = [("SGD", {"learning_rate": 0.1}), ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
        ("RMSprop", {}), ("Adam", {"learning_rate": 0.01})]


def _run(make, shapes, grads_per_step, tf=None):
    rng = np.random.default_rng(0)
    init = [rng.normal(size=s).astype(np.float32) for s in shapes]
    opt = make()
    if tf is None:
        variables = [w.copy() for w in init]
        for grads in grads_per_step:
            opt.apply(grads, variables)
        return variables
    variables = [tf.Variable(w) for w in init]
    for grads in grads_per_step:
        opt.apply_gradients(zip([tf.constant(g) for g in grads], variables))
    return [v.numpy() for v in variables]


@pytest.mark.parametrize("clip", CLIPS, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
@pytest.mark.parametrize("name,kwargs", OPTS, ids=lambda x: x if isinstance(x, str) else
                         "-".join(f"{k}={v}" for k, v in x.items()) or "defaults")
def test_clipped_updates_match_keras(keras, name, kwargs, clip):
    import tensorflow as tf

    shapes = [(4, 3), (3,), (3, 2), (2,)]
    rng = np.random.default_rng(1)
    steps = [[(rng.normal(size=s) * scale).astype(np.float32) for s in shapes]
             for scale in (5.0, 0.01, 1.0, 30.0, 0.3)]  # some steps clip, some do not
    ours = _run(lambda: getattr(optimizers, name)(**kwargs, **clip), shapes, steps)
    theirs = _run(lambda: getattr(keras.optimizers, name)(**kwargs, **clip), shapes, steps, tf)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


@settings(max_examples=30)
@given(n=st.integers(1, 4), seed=st.integers(0, 2**16), threshold=st.sampled_from([0.1, 1.0, 10.0]),
       scale=st.sampled_from([0.01, 1.0, 100.0]), clip=st.sampled_from(["clipnorm", "clipvalue",
                                                                        "global_clipnorm"]))
def test_clip_gradients_match_keras_clip_gradients(keras, n, seed, threshold, scale, clip):
    """nnlib's ``clip_gradients`` against the Keras optimizer's own ``_clip_gradients``."""
    rng = np.random.default_rng(seed)
    grads = [(scale * rng.normal(size=rng.integers(1, 5, size=2))).astype(np.float32)
             for _ in range(n)]
    ours = optimizers.SGD(**{clip: threshold}).clip_gradients(grads)
    theirs = keras.optimizers.SGD(**{clip: threshold})._clip_gradients(
        [keras.ops.convert_to_tensor(g) for g in grads])
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, keras.ops.convert_to_numpy(b), rtol=1e-5, atol=1e-7)
    norms = [np.linalg.norm(g.astype(np.float64)) for g in ours]
    if clip == "clipnorm":
        assert max(norms) <= threshold * (1 + 1e-5)
    elif clip == "global_clipnorm":
        assert np.sqrt(np.sum(np.square(norms))) <= threshold * (1 + 1e-5)
    else:
        assert max(np.abs(g).max() for g in ours) <= threshold


def test_global_norm_keeps_the_direction_per_tensor_does_not():
    grads = [np.array([3.0, 4.0], dtype=np.float32), np.array([0.3, 0.4], dtype=np.float32)]
    by_global = optimizers.SGD(global_clipnorm=1.0).clip_gradients(grads)
    by_tensor = optimizers.SGD(clipnorm=1.0).clip_gradients(grads)
    ratio_before = np.linalg.norm(grads[0]) / np.linalg.norm(grads[1])
    ratio_after = np.linalg.norm(by_global[0]) / np.linalg.norm(by_global[1])
    assert ratio_after == pytest.approx(ratio_before)
    assert np.linalg.norm(by_tensor[0]) / np.linalg.norm(by_tensor[1]) == pytest.approx(2.0)


@pytest.mark.parametrize("clip", [{"clipnorm": 0.05}, {"global_clipnorm": 0.1},
                                  {"clipvalue": 0.01}],
                         ids=["clipnorm", "global_clipnorm", "clipvalue"])
def test_fit_with_clipping_matches_keras_fit(keras, clip):
    """A whole fit: nnlib's flat weight buffer (global norm) and per-weight path (clipnorm)."""
    nnlib.utils.set_random_seed(0)
    ours = nnlib.Sequential([nnlib.Input((4,)), layers.Dense(8, activation="tanh"),
                             layers.Dense(1)])
    theirs = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"),
                               keras.layers.Dense(1)])
    theirs.set_weights(ours.get_weights())
    rng = np.random.default_rng(2)
    x = rng.normal(size=(48, 4)).astype(np.float32)
    y = (10 * x[:, :1] ** 2).astype(np.float32)  # large targets: large gradients, clipped often
    ours.compile(optimizers.SGD(0.1, **clip), "mse")
    theirs.compile(keras.optimizers.SGD(0.1, **clip), "mse")
    h1 = ours.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    h2 = theirs.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_only_one_clipping_option_and_positive_thresholds():
    with pytest.raises(ValueError, match="Only one of clipnorm, clipvalue and global_clipnorm"):
        optimizers.Adam(clipnorm=1.0, global_clipnorm=1.0)
    with pytest.raises(ValueError, match="clipnorm must be > 0"):
        optimizers.SGD(clipnorm=0)
    with pytest.raises(TypeError, match="clipvalue must be a number"):
        optimizers.SGD(clipvalue="1")
