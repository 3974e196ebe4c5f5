"""nnlib.gradcheck: central differences are right, and a gradient check can fail."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import activations, gradcheck, layers


def test_relative_error_scale():
    a = np.array([1.0, -2.0, 3.0])
    assert gradcheck.relative_error(a, a) == 0.0
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(a, -a) == pytest.approx(1.0)  # opposite signs: as bad as it gets
    assert gradcheck.relative_error(a, a * (1 + 1e-6)) == pytest.approx(5e-7, rel=1e-3)
    with pytest.raises(ValueError, match=r"shapes differ: analytic \(3,\) vs numeric \(2,\)"):
        gradcheck.relative_error(a, a[:2])


@settings(max_examples=20)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), seed=st.integers(0, 999))
def test_numerical_gradient_of_known_functions(shape, seed):
    x = np.random.default_rng(seed).normal(size=shape)
    before = x.copy()
    numeric = gradcheck.numerical_gradient(lambda: float(np.sum(np.sin(x) * x**2)), x)
    analytic = np.cos(x) * x**2 + 2 * x * np.sin(x)
    assert gradcheck.relative_error(analytic, numeric) < 1e-8
    np.testing.assert_array_equal(x, before)  # every entry restored


def test_numerical_gradient_refuses_float32():
    with pytest.raises(TypeError, match="float64"):
        gradcheck.numerical_gradient(lambda: 0.0, np.zeros(3, dtype=np.float32))


@pytest.mark.parametrize("loss, activation, units", [
    ("mse", None, 2), ("mae", "tanh", 2), ("huber", "linear", 1),
    ("binary_crossentropy", "sigmoid", 1), ("categorical_crossentropy", "softmax", 3),
    ("sparse_categorical_crossentropy", "softmax", 3),
])
def test_check_model_passes_on_correct_backpropagation(loss, activation, units):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 4))
    if loss == "sparse_categorical_crossentropy":
        y = rng.integers(0, units, size=6)
    elif loss == "categorical_crossentropy":
        y = np.eye(units)[rng.integers(0, units, size=6)]
    elif loss == "binary_crossentropy":
        y = rng.integers(0, 2, size=(6, 1)).astype(float)
    else:
        y = rng.normal(size=(6, units)) * 3  # far from the predictions: away from MAE's kink
    nnlib.utils.set_random_seed(1)
    model = nnlib.Sequential([nnlib.Input((4,)), layers.Dense(5, activation="sigmoid", dtype="float64"),
                              layers.Dense(units, activation=activation, dtype="float64")])
    errors = gradcheck.check_model(model, x, y, loss=loss)
    assert len(errors) == 4 and max(errors.values()) < 1e-6, errors


def test_check_model_catches_a_wrong_activation_derivative():
    """tanh' written as 1 − y instead of 1 − y²: the check reports it, per weight."""
    broken = activations.Activation("tanh", np.tanh, lambda x, y, g: g * (1 - y))
    nnlib.utils.set_random_seed(2)
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(4, activation=broken, dtype="float64"),
                              layers.Dense(1, dtype="float64")])
    rng = np.random.default_rng(3)
    errors = gradcheck.check_model(model, rng.normal(size=(5, 3)), rng.normal(size=(5, 1)), "mse")
    names = [layer.name for layer in model.layers]
    assert errors[f"{names[0]}/kernel"] > 1e-2 and errors[f"{names[0]}/bias"] > 1e-2
    assert errors[f"{names[1]}/kernel"] < 1e-6  # the output layer's gradient does not use tanh'


def test_check_model_uses_the_compiled_loss_or_asks_for_one():
    model = nnlib.Sequential([nnlib.Input((2,)), layers.Dense(1, dtype="float64")])
    x, y = np.ones((3, 2)), np.zeros((3, 1))
    with pytest.raises(ValueError, match="pass loss=... or compile the model first"):
        gradcheck.check_model(model, x, y)
    model.compile("sgd", "mse")
    assert max(gradcheck.check_model(model, x, y).values()) < 1e-6
