"""nnlib.activations and the activation layers against keras.activations / keras.layers.

Forward values in float32 against Keras, derivatives against tf.GradientTape and against float64
central differences, hypothesis over shapes, magnitudes and axes, and no overflow warnings on
extreme inputs (warnings are errors in those tests).
"""
from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlib
from nnlib import activations as A
from nnlib import gradcheck, layers

# (name, parameters): every element-wise activation, with Keras' defaults and with parameters
ELEMENTWISE = [
    ("linear", {}), ("sigmoid", {}), ("tanh", {}),
    ("relu", {}), ("relu", {"negative_slope": 0.1}), ("relu", {"max_value": 6.0}),
    ("relu", {"max_value": 2.5, "threshold": 0.5, "negative_slope": 0.2}),
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.01}),
    ("elu", {}), ("elu", {"alpha": 0.5}),
    ("softplus", {}), ("silu", {}), ("gelu", {}), ("gelu", {"approximate": True}),
]
IDS = [name + "".join(f"-{k}={v}" for k, v in p.items()) for name, p in ELEMENTWISE]
# inputs where a piecewise activation has a kink: central differences are meaningless there
KINKS = (0.0, 0.5, 2.5, 6.0)

SCALES = st.sampled_from([1e-3, 1.0, 10.0, 100.0, 1e4])
SHAPES = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5)


@st.composite
def float32_inputs(draw, shapes=SHAPES):
    """Arrays of any shape whose entries (0, ±1, tiny, …) are scaled to magnitudes up to 1e4.

    float32 subnormals are flushed to 0: TensorFlow's CPU kernels flush them (so for TF
    ``1e-45 > 0`` is false), an artefact of the hardware mode, not of the activations compared.
    """
    base = draw(hnp.arrays(np.float64, draw(shapes),
                           elements=st.floats(-1, 1, allow_subnormal=False)))
    x = (base * draw(SCALES)).astype(np.float32)
    x[np.abs(x) < np.finfo(np.float32).tiny] = 0.0
    return x


def keras_fn(keras, name, params):
    return functools.partial(getattr(keras.activations, name), **params)


def tape_gradient(fn, x, upstream):
    """d/dx Σ fn(x) ⊙ upstream with TensorFlow's automatic differentiation."""
    import tensorflow as tf

    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        target = tf.reduce_sum(fn(xt) * upstream)
    return tape.gradient(target, xt).numpy()


def close(got, expected, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=rtol, atol=atol)


# --- forward and backward against Keras ----------------------------------------------------------

@pytest.mark.parametrize("name, params", ELEMENTWISE, ids=IDS)
@settings(max_examples=15)
@given(x=float32_inputs())
def test_forward_matches_keras(keras, name, params, x):
    ours = A.configure(name, **params)(x)
    expected = np.asarray(keras_fn(keras, name, params)(x))
    assert ours.dtype == np.float32 and ours.shape == x.shape
    close(ours, expected, atol=1e-6 * max(1.0, float(np.abs(x).max(initial=0))))


@pytest.mark.parametrize("name, params", ELEMENTWISE, ids=IDS)
@settings(max_examples=10)
@given(x=float32_inputs(), seed=st.integers(0, 2**16))
def test_backward_matches_tf_gradient_tape(keras, name, params, x, seed):
    act = A.configure(name, **params)
    upstream = np.random.default_rng(seed).normal(size=x.shape).astype(np.float32)
    ours = act.backward(x, act(x), upstream)
    expected = tape_gradient(keras_fn(keras, name, params), x, upstream)
    assert ours.dtype == np.float32 and ours.shape == x.shape
    close(ours, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name, params", ELEMENTWISE, ids=IDS)
def test_derivative_at_the_kinks_is_tensorflows(keras, name, params):
    x = np.array([-1.0, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.5, 6.0, 7.0], dtype=np.float32)
    act = A.configure(name, **params)
    expected = tape_gradient(keras_fn(keras, name, params), x, np.ones_like(x))
    close(act.derivative(x), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, params", ELEMENTWISE, ids=IDS)
@given(shape=SHAPES, seed=st.integers(0, 2**16), scale=st.sampled_from([0.5, 2.0, 5.0]))
def test_backward_passes_float64_central_differences(name, params, shape, seed, scale):
    rng = np.random.default_rng(seed)
    x = scale * rng.normal(size=shape)
    for kink in KINKS:  # move points off the kinks, where the function is not differentiable
        near = np.abs(x - kink) < 1e-3
        x[near] += 2e-3
    upstream = rng.normal(size=shape)
    act = A.configure(name, **params)
    analytic = act.backward(x, act(x), upstream)
    numeric = gradcheck.numerical_gradient(lambda: float(np.sum(act(x) * upstream)), x)
    assert analytic.dtype == np.float64
    assert gradcheck.relative_error(analytic, numeric) < 1e-7


def test_gradient_check_detects_a_wrong_derivative():
    """The float64 check can fail: tanh's derivative written as 1 − x² (of the input) is caught."""
    x = np.random.default_rng(0).normal(size=(3, 4))
    upstream = np.ones_like(x)
    wrong = upstream * (1 - x * x)
    numeric = gradcheck.numerical_gradient(lambda: float(np.sum(A.tanh(x))), x)
    assert gradcheck.relative_error(wrong, numeric) > 0.1


# --- softmax and log-softmax along any axis ------------------------------------------------------

@st.composite
def axis_inputs(draw):
    """An input of 1–4 dimensions and an axis for it: an int (maybe negative), a tuple, or None."""
    x = draw(float32_inputs())
    ndim = x.ndim
    kind = draw(st.sampled_from(["int", "tuple", "none"]))
    if kind == "int":
        axis = draw(st.integers(-ndim, ndim - 1))
    elif kind == "tuple":
        axis = tuple(draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                   unique=True)))
    else:
        axis = None
    return x, axis


def reference_log_softmax(x, axis):
    """float64 log-softmax with numpy, for tuple axes Keras' activation does not take."""
    x = x.astype(np.float64)
    m = np.max(x, axis=axis, keepdims=True)
    return x - m - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


SIZE_ONE_AXIS = "ignore:You are using a softmax over axis:UserWarning"  # Keras on an axis of size 1


@pytest.mark.filterwarnings(SIZE_ONE_AXIS)
@settings(max_examples=40)
@given(case=axis_inputs())
def test_softmax_and_log_softmax_along_any_axis(keras, case):
    x, axis = case
    p, logp = A.softmax(x, axis=axis), A.log_softmax(x, axis=axis)
    assert p.dtype == logp.dtype == np.float32
    close(np.sum(p, axis=axis), 1.0, rtol=1e-5)
    close(logp, reference_log_softmax(x, axis), rtol=1e-5, atol=1e-5)
    close(p, np.exp(reference_log_softmax(x, axis)), atol=1e-6)
    if not isinstance(axis, tuple):
        close(p, np.asarray(keras.activations.softmax(x, axis=axis)), atol=1e-6)
        close(logp, np.asarray(keras.activations.log_softmax(x, axis=axis)), rtol=1e-5, atol=1e-4)
    else:
        close(p, np.asarray(keras.layers.Softmax(axis=axis)(x)), atol=1e-6)


@pytest.mark.filterwarnings(SIZE_ONE_AXIS)
@settings(max_examples=25)
@given(case=axis_inputs(), seed=st.integers(0, 2**16))
def test_softmax_backward_along_any_axis_matches_tape(keras, case, seed):
    x, axis = case
    upstream = np.random.default_rng(seed).normal(size=x.shape).astype(np.float32)
    for name in ("softmax", "log_softmax"):
        act = A.configure(name, axis=axis)
        ours = act.backward(x, act(x), upstream)
        if isinstance(axis, tuple):
            if name == "log_softmax":
                continue
            fn = keras.layers.Softmax(axis=axis)
        else:
            fn = functools.partial(getattr(keras.activations, name), axis=axis)
        close(ours, tape_gradient(fn, x, upstream), rtol=1e-4, atol=1e-5)


@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), seed=st.integers(0, 2**16),
       data=st.data())
def test_softmax_backward_passes_float64_central_differences(shape, seed, data):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    rng = np.random.default_rng(seed)
    x, upstream = 3 * rng.normal(size=shape), rng.normal(size=shape)
    for name in ("softmax", "log_softmax"):
        act = A.configure(name, axis=axis)
        analytic = act.backward(x, act(x), upstream)
        numeric = gradcheck.numerical_gradient(lambda: float(np.sum(act(x) * upstream)), x)
        assert gradcheck.relative_error(analytic, numeric) < 1e-7, name


def test_softmax_over_the_wrong_axis_is_visibly_wrong():
    x = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    rows, cols = A.softmax(x), A.softmax(x, axis=0)
    close(rows.sum(axis=1), [1, 1])
    close(cols.sum(axis=0), [1, 1, 1])
    assert np.abs(rows - cols).max() > 0.1


# --- numerical stability: extreme inputs, warnings are errors ------------------------------------

EXTREMES = {
    np.float32: [-3e38, -1e30, -1e4, -88.8, -1e-30, 0.0, 1e-30, 88.8, 1e4, 1e30, 3e38],
    np.float64: [-1e300, -1e4, -710.0, 0.0, 710.0, 1e4, 1e300],
}
ALL_CASES = ELEMENTWISE + [("softmax", {}), ("softmax", {"axis": 0}), ("log_softmax", {})]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, params", ALL_CASES,
                         ids=IDS + ["softmax", "softmax-axis=0", "log_softmax"])
def test_extreme_inputs_raise_no_warnings(name, params, dtype):
    values = np.array(EXTREMES[dtype], dtype=dtype)
    x = np.stack([values, values[::-1]])  # 2 rows: softmax rows of huge positive and negative
    act = A.configure(name, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = act(x)
        g = act.backward(x, y, np.ones_like(x))
    assert y.dtype == g.dtype == dtype
    assert not np.isnan(y).any() and not np.isnan(g).any()
    if name != "log_softmax":  # log-softmax of [3e38, -3e38] is −6e38: −inf in float32 is right
        assert np.isfinite(y).all() and np.isfinite(g).all()


@pytest.mark.parametrize("magnitude", [1e4, 1e30])
def test_sigmoid_and_softmax_stay_finite_where_the_naive_formulas_overflow(magnitude):
    x = np.array([[-magnitude, 0.0, magnitude]], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        close(A.sigmoid(x), [[0.0, 0.5, 1.0]])
        close(A.softmax(x), [[0.0, 0.0, 1.0]])
        close(A.softplus(x), [[0.0, np.log(2), magnitude]])
        close(A.log_softmax(x), [[-2 * magnitude, -magnitude, 0.0]])
        # the textbook formulas do overflow: the check above can fail
        with pytest.raises(RuntimeWarning, match="overflow"):
            1 / (1 + np.exp(-x))
        with pytest.raises(RuntimeWarning, match="overflow"):
            np.exp(x) / np.exp(x).sum()


def test_gelu_exact_is_x_times_the_normal_cdf():
    """nnlib's own erfc (numpy only) against the C library's, to 1e-12 relative, in both tails."""
    from math import erfc, sqrt

    x = np.concatenate([np.linspace(-30, 9, 391), [-2 * sqrt(2), 2 * sqrt(2)]])  # ±2√2: the seam
    expected = np.array([0.5 * v * erfc(-v / sqrt(2)) for v in x])  # erfc: exact in the far tail
    close(A.gelu(x), expected, rtol=1e-12, atol=0)
    close(A.gelu(x, approximate=True), 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
          rtol=1e-9, atol=1e-15)


# --- dtypes, names and errors --------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(A._REGISTRY))
def test_dtypes_are_kept_and_integers_become_floatx(name):
    act = A.get(name)
    for dtype in (np.float16, np.float32, np.float64):
        assert act(np.array([[-1.0, 0.5, 2.0]], dtype=dtype)).dtype == dtype
    assert act(np.array([[-1, 0, 2]])).dtype == np.float32
    assert act([[-1.0, 0.5]]).dtype == np.float32  # Python floats: float32, as in Keras
    with pytest.raises(TypeError, match="real numbers"):
        act(np.array([["a", "b"]]))


def test_names_and_aliases_resolve_like_keras(keras):
    for name in A._REGISTRY:
        assert getattr(keras.activations, name) is not None, name
        assert A.get(name).name in (name, "silu")
    assert A.get("swish") is A.get("silu") and A.swish is A.silu
    assert A.get(A.leaky_relu) is A.get("leaky_relu")
    assert A.get(None).name == "linear"
    # Keras' defaults: leaky_relu 0.2, elu alpha 1, gelu exact, softmax on the last axis
    x = np.linspace(-3, 3, 13).astype(np.float32)
    for name in ("leaky_relu", "elu", "gelu"):
        close(A.get(name)(x), np.asarray(keras.activations.get(name)(x)))


def test_configure_fixes_parameters_and_rejects_unknown_ones():
    leaky = A.configure("leaky_relu", negative_slope=0.1)
    close(leaky(np.array([-10.0, 10.0])), [-1.0, 10.0])
    assert repr(leaky) == "Activation('leaky_relu', negative_slope=0.1)"
    assert leaky.params == (("negative_slope", 0.1),)
    again = A.configure(leaky, negative_slope=0.05)
    close(again(np.array([-10.0])), [-0.5])
    assert A.configure("relu") is A.get("relu")
    with pytest.raises(TypeError, match=r"no parameter\(s\) \['alpha'\].*negative_slope"):
        A.configure("leaky_relu", alpha=0.1)
    with pytest.raises(TypeError, match="takes none"):
        A.configure("sigmoid", axis=0)
    with pytest.raises(ValueError, match="Unknown activation 'lrelu'"):
        A.configure("lrelu")


@pytest.mark.parametrize("axis", [2, -3, (0, 5)])
def test_softmax_axis_out_of_range_is_a_clear_error(axis):
    with pytest.raises(ValueError, match="does not fit an input with 2 dimension"):
        A.softmax(np.ones((2, 3)), axis=axis)
    with pytest.raises(ValueError, match="does not fit"):
        layers.Softmax(axis=axis)(np.ones((2, 3)))


# --- Dense(activation=...) -----------------------------------------------------------------------

DENSE_CASES = sorted(A._REGISTRY)


@pytest.mark.parametrize("name", DENSE_CASES)
def test_dense_with_each_activation_matches_keras(keras, name):
    rng = np.random.default_rng(7)
    x = (3 * rng.normal(size=(6, 4))).astype(np.float32)
    upstream = rng.normal(size=(6, 5)).astype(np.float32)
    ours = layers.Dense(5, activation=name)
    out = ours(x)
    dx = ours.backward(upstream)
    theirs = keras.layers.Dense(5, activation=name)
    theirs.build((None, 4))
    theirs.set_weights(ours.get_weights())
    close(out, np.asarray(theirs(x)), atol=1e-5)
    close(dx, tape_gradient(theirs, x, upstream), rtol=1e-4, atol=1e-5)
    assert ours.get_config()["activation"] == theirs.get_config()["activation"]  # swish → "silu"


@pytest.mark.parametrize("name", DENSE_CASES)
def test_dense_with_each_activation_passes_gradient_check(name):
    nnlib.utils.set_random_seed(3)
    layer = layers.Dense(4, activation=name, dtype="float64")
    errors = gradcheck.check_layer(layer, np.random.default_rng(3).normal(size=(5, 3)))
    assert max(errors.values()) < 1e-6, errors


def test_dense_with_a_configured_activation_matches_keras(keras):
    x = np.random.default_rng(8).normal(size=(4, 3)).astype(np.float32)
    ours = layers.Dense(2, activation=A.configure("gelu", approximate=True))
    theirs = keras.layers.Dense(2, activation=functools.partial(keras.activations.gelu,
                                                                approximate=True))
    out = ours(x)
    theirs.build((None, 3))
    theirs.set_weights(ours.get_weights())
    close(out, np.asarray(theirs(x)), atol=1e-6)


# --- activation layers ---------------------------------------------------------------------------

LAYER_CASES = [
    ("Activation", {"activation": "tanh"}), ("Activation", {"activation": "softmax"}),
    ("Activation", {"activation": "gelu"}),
    ("ReLU", {}), ("ReLU", {"max_value": 6.0}), ("ReLU", {"negative_slope": 0.1}),
    ("ReLU", {"max_value": 3.0, "negative_slope": 0.2, "threshold": 0.5}),
    ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.05}),
    ("ELU", {}), ("ELU", {"alpha": 0.7}),
    ("Softmax", {}), ("Softmax", {"axis": 1}), ("Softmax", {"axis": (1, 2)}),
]
LAYER_IDS = [f"{c}{p}" for c, p in LAYER_CASES]


@pytest.mark.filterwarnings(SIZE_ONE_AXIS)
@pytest.mark.parametrize("cls, kwargs", LAYER_CASES, ids=LAYER_IDS)
@settings(max_examples=8)
@given(x=float32_inputs(hnp.array_shapes(min_dims=3, max_dims=3, max_side=4)),
       seed=st.integers(0, 2**16))
def test_layers_match_keras_layers(keras, cls, kwargs, x, seed):
    ours = getattr(layers, cls)(**kwargs)
    theirs = getattr(keras.layers, cls)(**kwargs)
    upstream = np.random.default_rng(seed).normal(size=x.shape).astype(np.float32)
    out = ours(x)
    close(out, np.asarray(theirs(x)), atol=1e-6 * max(1.0, float(np.abs(x).max())))
    close(ours.backward(upstream), tape_gradient(theirs, x, upstream), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("cls, kwargs", LAYER_CASES, ids=LAYER_IDS)
def test_layers_pass_float64_gradient_check(cls, kwargs):
    layer = getattr(layers, cls)(**kwargs, dtype="float64")
    x = 2 * np.random.default_rng(5).normal(size=(3, 4, 2))
    for kink in KINKS:
        x[np.abs(x - kink) < 1e-3] += 2e-3
    errors = gradcheck.check_layer(layer, x)
    assert set(errors) == {"input"} and errors["input"] < 1e-7, errors
    assert layer.count_params() == 0 and layer.weights == []


@pytest.mark.parametrize("cls, kwargs", LAYER_CASES, ids=LAYER_IDS)
def test_layer_names_and_configs_follow_keras(keras, cls, kwargs):
    ours, theirs = getattr(layers, cls)(**kwargs), getattr(keras.layers, cls)(**kwargs)
    base = lambda n: n if not n.split("_")[-1].isdigit() else n.rsplit("_", 1)[0]  # noqa: E731
    assert base(ours.name) == base(theirs.name)
    theirs_config = theirs.get_config()
    for key, value in ours.get_config().items():
        if key in ("name", "dtype", "trainable"):
            continue
        expected = theirs_config[key]
        assert value == (tuple(expected) if isinstance(expected, list) else expected), key


def test_layers_accept_any_shape_and_skip_the_input_gradient_when_asked():
    layer = layers.LeakyReLU(0.5)
    assert layer(np.array([[-2.0, 2.0]])).tolist() == [[-1.0, 2.0]]
    assert layer(np.ones((2, 3, 4))).shape == (2, 3, 4)  # a new shape after the first call
    assert layer.backward(np.ones((2, 3, 4)), input_grad=False) is None
    with pytest.raises(RuntimeError, match="before forward"):
        layers.ReLU().backward(np.ones((1, 2)))


@pytest.mark.parametrize("make, error, message", [
    (lambda: layers.ReLU(max_value=-1), ValueError, "max_value .* cannot be negative"),
    (lambda: layers.ReLU(negative_slope=-0.1), ValueError, "negative_slope .* >= 0"),
    (lambda: layers.ReLU(threshold=-1), ValueError, "threshold .* >= 0"),
    (lambda: layers.LeakyReLU(negative_slope=-0.3), ValueError, "negative_slope .* >= 0"),
    (lambda: layers.Softmax(axis="last"), TypeError, "int or a tuple of ints"),
    (lambda: layers.Activation("sigmoidd"), ValueError, "Unknown activation 'sigmoidd'"),
    (lambda: layers.Activation(lambda z: z), ValueError, "no derivative"),
    (lambda: layers.ReLU()(np.array([[1.0, np.nan]])), ValueError, "NaN/inf"),
    (lambda: layers.ELU()(np.array([["x"]])), TypeError, "real numbers"),
])
def test_layer_errors_are_clear(make, error, message):
    with pytest.raises(error, match=message):
        make()


# --- activation layers inside a model ------------------------------------------------------------

def _fit_pair(keras, nn_layers, k_layers, loss, y):
    nnlib.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 4)).astype(np.float32)
    model = nnlib.Sequential([nnlib.Input((4,)), *nn_layers])
    twin = keras.Sequential([keras.Input((4,)), *k_layers])
    twin.set_weights(model.get_weights())
    model.compile(optimizer=nnlib.optimizers.SGD(0.5), loss=loss)
    twin.compile(optimizer=keras.optimizers.SGD(0.5), loss=loss)
    h1 = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    h2 = twin.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    return model, twin, h1.history["loss"], h2.history["loss"]


def test_softmax_layer_is_folded_into_the_loss_like_keras(keras):
    y = np.random.default_rng(1).integers(0, 3, size=24)
    model, twin, ours, theirs = _fit_pair(
        keras, [layers.Dense(8, activation="tanh"), layers.Dense(3), layers.Softmax()],
        [keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(3), keras.layers.Softmax()],
        "sparse_categorical_crossentropy", y)
    assert nnlib.training.require_compiled(model, "test").from_logits
    close(ours, theirs, rtol=1e-4)
    for a, b in zip(model.get_weights(), twin.get_weights()):
        close(a, b, rtol=1e-4, atol=1e-5)


def test_separate_activation_layers_train_like_keras(keras):
    y = np.random.default_rng(2).normal(size=(24, 1)).astype(np.float32)
    model, twin, ours, theirs = _fit_pair(
        keras, [layers.Dense(6), layers.LeakyReLU(0.1), layers.Dense(6), layers.ELU(),
                layers.Dense(1), layers.Activation("sigmoid")],
        [keras.layers.Dense(6), keras.layers.LeakyReLU(0.1), keras.layers.Dense(6),
         keras.layers.ELU(), keras.layers.Dense(1), keras.layers.Activation("sigmoid")],
        "mse", y)
    close(ours, theirs, rtol=1e-4)
    for a, b in zip(model.get_weights(), twin.get_weights()):
        close(a, b, rtol=1e-4, atol=1e-5)


def test_softmax_over_another_axis_is_not_folded_and_trains_correctly():
    """A cross-entropy takes its softmax on the last axis; Softmax(axis=1) must not be folded."""
    nnlib.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    model = nnlib.Sequential([nnlib.Input((3, 2)), layers.Dense(4, dtype="float64"),
                              layers.Softmax(axis=1, dtype="float64")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    x = rng.normal(size=(5, 3, 2))
    y = np.eye(4)[rng.integers(0, 4, size=(5, 3))]
    assert model.layers[-1].logits_activation() is None
    assert not nnlib.training.require_compiled(model, "test").from_logits
    folded = layers.Softmax(axis=-1)
    folded.build((None, 3, 4))
    assert folded.logits_activation() == "softmax"
    nnlib.training.compute_gradients(model, x, y)
    dense = model.layers[0]
    analytic = dense.grads["kernel"].copy()
    numeric = gradcheck.numerical_gradient(
        lambda: model.loss(y, model.forward(x)), dense.kernel.value)
    assert gradcheck.relative_error(analytic, numeric) < 1e-7
