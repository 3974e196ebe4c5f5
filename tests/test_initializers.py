"""Glorot and He initialisers (uniform and normal) against keras.initializers (chapters 1, 4).

Keras and nnlib draw from different random generators, so values differ; their *distributions*
must not: same limits, same standard deviations, same truncation, same fans.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import initializers

NAMES = ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal"]
TRUNC = 0.87962566103423978  # std of a unit normal truncated to ±2


def expected_std(name, fan_in, fan_out):
    n = (fan_in + fan_out) / 2 if name.startswith("glorot") else fan_in
    scale = 1.0 if name.startswith("glorot") else 2.0
    return np.sqrt(scale / n)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(400, 300), (784, 64), (50, 1000)])
def test_statistics_match_keras_and_the_formula(keras, name, shape):
    ours = initializers.get(name).__class__(seed=1)(shape)
    theirs = keras.ops.convert_to_numpy(keras.initializers.get({"class_name": name, "config":
                                                                {"seed": 1}})(shape))
    std = expected_std(name, *shape)
    assert ours.dtype == np.float32 and ours.shape == theirs.shape == shape
    for sample in (ours, theirs):
        assert abs(sample.mean()) < 4 * std / np.sqrt(sample.size)
        assert sample.std() == pytest.approx(std, rel=0.02)
    if name.endswith("uniform"):
        limit = np.sqrt(3) * std  # glorot: sqrt(6/(in+out)); he: sqrt(6/in)
        for sample in (ours, theirs):
            assert np.abs(sample).max() <= limit and np.abs(sample).max() > 0.99 * limit
    else:  # truncated at two of the *underlying* normal's standard deviations
        cut = 2 * std / TRUNC
        for sample in (ours, theirs):
            assert np.abs(sample).max() <= cut and np.abs(sample).max() > 0.98 * cut
    assert ours.std() == pytest.approx(theirs.std(), rel=0.03)


@settings(max_examples=30)
@given(shape=st.lists(st.integers(1, 6), min_size=1, max_size=4).map(tuple),
       name=st.sampled_from(NAMES), seed=st.integers(0, 2**16))
def test_bounds_and_fans_over_shapes(keras, shape, name, seed):
    from keras.src.initializers.random_initializers import compute_fans

    assert initializers.compute_fans(shape) == tuple(int(f) for f in compute_fans(shape))
    fan_in, fan_out = initializers.compute_fans(shape)
    std = expected_std(name, max(1, fan_in), max(1, fan_out)) if len(shape) > 0 else 1.0
    w = initializers.get(name).__class__(seed=seed)(shape)
    bound = np.sqrt(3) * std if name.endswith("uniform") else 2 * std / TRUNC
    assert w.shape == shape and np.abs(w).max() <= bound * (1 + 1e-6)


def test_formulas_by_hand():
    """He-normal's std is sqrt(2/fan_in); Glorot-uniform's limit is sqrt(6/(fan_in+fan_out))."""
    w = initializers.HeNormal(seed=0)((1000, 500))
    assert w.std() == pytest.approx(np.sqrt(2 / 1000), rel=0.01)
    w = initializers.GlorotUniform(seed=0)((1000, 500))
    assert np.abs(w).max() == pytest.approx(np.sqrt(6 / 1500), rel=1e-3)
    w = initializers.HeUniform(seed=0)((1000, 500))
    assert np.abs(w).max() == pytest.approx(np.sqrt(6 / 1000), rel=1e-3)
    w = initializers.GlorotNormal(seed=0)((1000, 500))
    assert w.std() == pytest.approx(np.sqrt(2 / 1500), rel=0.01)


def test_he_keeps_relu_signals_alive_glorot_lets_them_shrink():
    """The reason for He: through 20 ReLU layers the activations keep their scale."""
    x = np.random.default_rng(0).normal(size=(500, 256)).astype(np.float32)
    scales = {}
    for name in ("he_normal", "glorot_normal"):
        nnlib.utils.set_random_seed(0)
        model = nnlib.Sequential([nnlib.Input((256,))] + [
            nnlib.layers.Dense(256, activation="relu", kernel_initializer=name) for _ in range(20)])
        scales[name] = float(np.sqrt(np.mean(model.predict(x) ** 2)))
    assert 0.3 < scales["he_normal"] < 3
    assert scales["glorot_normal"] < 0.01


def test_seeds_names_and_errors():
    a = initializers.HeUniform(seed=5)
    np.testing.assert_array_equal(a((3, 4)), a((3, 4)))
    assert not np.array_equal(initializers.HeUniform(seed=6)((3, 4)), a((3, 4)))
    for name in NAMES:
        assert type(initializers.get(name)).__name__.lower() == name.replace("_", "")
    with pytest.raises(ValueError, match="Unknown initializer 'xavier'"):
        initializers.get("xavier")
    with pytest.raises(TypeError, match="initializer must be a name or an Initializer"):
        initializers.get(3)
    with pytest.raises(ValueError, match="mode must be"):
        initializers.VarianceScaling(mode="fan_sum")
