"""nnlib.optimizers against keras.optimizers (several steps on several variables), and
Levenberg–Marquardt against scipy.optimize.least_squares(method="lm")."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import gradcheck, layers, optimizers
from nnlib.levenberg_marquardt import (LevenbergMarquardt, get_flat_weights, jacobian,
                                       set_flat_weights)

# (name, constructor kwargs): each is built as nnlib.optimizers.<name>(**kw) and keras.optimizers.<name>(**kw)
CONFIGS = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True}),
    ("RMSprop", {}),
    ("RMSprop", {"learning_rate": 0.01, "rho": 0.8, "momentum": 0.5}),
    ("RMSprop", {"learning_rate": 0.01, "centered": True}),
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.02, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-4}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("AdamW", {"learning_rate": 0.01}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
    ("Adam", {"learning_rate": 0.01, "clipnorm": 0.5}),
    ("Adam", {"learning_rate": 0.01, "global_clipnorm": 0.5}),
    ("SGD", {"learning_rate": 0.1, "clipvalue": 0.3}),
]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for n, kw in CONFIGS]


def run_both(keras, name, kwargs, shapes, steps, seed):
    rng = np.random.default_rng(seed)
    init = [rng.normal(size=s).astype(np.float32) for s in shapes]
    grads = [[rng.normal(scale=2.0, size=s).astype(np.float32) for s in shapes]
             for _ in range(steps)]
    ours = getattr(optimizers, name)(**kwargs)
    theirs = getattr(keras.optimizers, name)(**kwargs)
    mine = [w.copy() for w in init]
    variables = [keras.Variable(w) for w in init]
    for g in grads:
        ours.apply([x.copy() for x in g], mine)
        theirs.apply([keras.ops.convert_to_tensor(x) for x in g], variables)
    return ours, mine, [np.asarray(v.numpy()) for v in variables]


@pytest.mark.parametrize("name, kwargs", CONFIGS, ids=IDS)
def test_steps_match_keras(keras, name, kwargs):
    ours, mine, expected = run_both(keras, name, kwargs, [(3, 4), (4,), (1,)], steps=7, seed=1)
    assert ours.iterations == 7
    for a, b in zip(mine, expected):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@settings(max_examples=8)
@given(config=st.sampled_from(CONFIGS), rows=st.integers(1, 6), cols=st.integers(1, 6),
       steps=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_steps_match_keras_on_random_shapes(keras, config, rows, cols, steps, seed):
    name, kwargs = config
    _, mine, expected = run_both(keras, name, kwargs, [(rows, cols), (cols,)], steps, seed)
    for a, b in zip(mine, expected):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, kwargs", [c for c in CONFIGS if "clipnorm" not in c[1]],
                         ids=[i for c, i in zip(CONFIGS, IDS) if "clipnorm" not in c[1]])
def test_one_flat_buffer_equals_separate_variables(name, kwargs):
    """Models hand their weights over as one flat buffer: element-wise rules cannot tell."""
    rng = np.random.default_rng(2)
    shapes = [(3, 2), (2,), (2, 1), (1,)]
    init = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(4)]
    separate = getattr(optimizers, name)(**kwargs)
    flat = getattr(optimizers, name)(**kwargs)
    ws = [w.copy() for w in init]
    wf = np.concatenate([w.ravel() for w in init])
    for g in grads:
        separate.apply(g, ws)
        flat.apply([np.concatenate([x.ravel() for x in g])], [wf])
    np.testing.assert_allclose(wf, np.concatenate([w.ravel() for w in ws]), rtol=1e-12)


def test_rules_by_hand():
    """One step of each rule, computed on paper (chapter 3)."""
    w = np.array([1.0])
    optimizers.SGD(0.1).apply([np.array([2.0])], [w])
    assert w[0] == pytest.approx(0.8)  # w − η g
    w, sgd = np.array([1.0]), optimizers.SGD(0.1, momentum=0.9)
    sgd.apply([np.array([2.0])], [w])
    sgd.apply([np.array([2.0])], [w])
    assert w[0] == pytest.approx(1 - 0.2 - (0.9 * 0.2 + 0.2))  # m₁ = −0.2, m₂ = 0.9 m₁ − 0.2
    w, adam = np.array([1.0]), optimizers.Adam(0.1)
    adam.apply([np.array([-3.0])], [w])
    # first Adam step: m̂ = g, v̂ = g², so the step is η·g/(|g| + ε′) = η·sign(g), whatever |g|
    assert w[0] == pytest.approx(1.1, rel=1e-6)


def test_state_is_built_per_shape_and_exposed():
    adam = optimizers.Adam()
    w = [np.zeros((2, 3)), np.zeros(3)]
    adam.apply([np.ones((2, 3)), np.ones(3)], w)
    assert [v.shape for v in adam.variables] == [(2, 3)] * 2 + [(3,)] * 2  # m and v, as Keras
    adam.apply([np.ones(4)], [np.zeros(4)])  # new variables: fresh state
    assert adam.iterations == 1


@pytest.mark.parametrize("call, error, message", [
    (lambda: optimizers.SGD(learning_rate=0), ValueError, "learning_rate must be > 0"),
    (lambda: optimizers.SGD(learning_rate="0.1"), TypeError, "learning_rate must be a number"),
    (lambda: optimizers.SGD(momentum=1.5), ValueError, r"momentum must be in \[0.0, 1.0\]"),
    (lambda: optimizers.Adam(beta_1=1.0), ValueError, r"beta_1 must be in \[0.0, 1.0\)"),
    (lambda: optimizers.RMSprop(rho=-0.1), ValueError, "rho must be"),
    (lambda: optimizers.Adam(clipnorm=1.0, clipvalue=1.0), ValueError, "Only one of"),
    (lambda: optimizers.Adam(clipnorm=-1.0), ValueError, "clipnorm must be > 0"),
    (lambda: optimizers.SGD().apply([np.ones(2)], [np.ones(3)]), ValueError,
     r"gradient shape \(2,\) does not match variable shape \(3,\)"),
    (lambda: optimizers.SGD().apply([np.ones(2)], []), ValueError, "1 gradients for 0 variables"),
    (lambda: optimizers.get("adamax"), ValueError, "Unknown optimizer 'adamax'"),
    (lambda: optimizers.get(0.1), TypeError, "optimizer must be a name"),
    (lambda: LevenbergMarquardt(damping=0), ValueError, "damping must be a positive number"),
    (lambda: LevenbergMarquardt(schedule="fast"), ValueError, "schedule must be one of"),
    (lambda: LevenbergMarquardt(damping=1.0, max_damping=0.1), ValueError, "at least damping"),
])
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_get_resolves_keras_names_with_keras_defaults(keras):
    for name in ("sgd", "rmsprop", "adam", "adamw", "Adam"):
        ours, theirs = optimizers.get(name), keras.optimizers.get(name)
        assert type(ours).__name__ == type(theirs).__name__
        assert ours.learning_rate == pytest.approx(float(theirs.learning_rate))
    assert isinstance(optimizers.get("levenberg_marquardt"), LevenbergMarquardt)


# --- Levenberg–Marquardt -------------------------------------------------------------------------

def rosenbrock(x):
    return np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]])


def rosenbrock_jacobian(x):
    return np.array([[-20 * x[0], 10.0], [-1.0, 0.0]])


T_DECAY = np.linspace(0, 4, 30)
Y_DECAY = 2.5 * np.exp(-1.3 * T_DECAY) + 0.5 + 0.05 * np.random.default_rng(0).normal(size=30)


def decay(p):
    return p[0] * np.exp(-p[1] * T_DECAY) + p[2] - Y_DECAY


def decay_jacobian(p):
    e = np.exp(-p[1] * T_DECAY)
    return np.stack([e, -p[0] * T_DECAY * e, np.ones_like(T_DECAY)], axis=1)


@pytest.mark.parametrize("schedule", LevenbergMarquardt.SCHEDULES)
@pytest.mark.parametrize("problem", [(rosenbrock, rosenbrock_jacobian, [-1.2, 1.0]),
                                     (decay, decay_jacobian, [1.0, 1.0, 0.0])],
                         ids=["rosenbrock", "exponential_decay"])
def test_minimize_finds_scipys_least_squares_solution(problem, schedule):
    from scipy.optimize import least_squares

    fun, jac, x0 = problem
    ours = LevenbergMarquardt(schedule=schedule).minimize(fun, jac, x0)
    theirs = least_squares(fun, x0, jac=jac, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    assert ours.converged, ours.message
    np.testing.assert_allclose(ours.x, theirs.x, rtol=1e-7, atol=1e-9)
    assert ours.cost == pytest.approx(theirs.cost, rel=1e-9, abs=1e-20)
    assert all(b < a for a, b in zip(ours.costs, ours.costs[1:]))  # every kept step lowers the cost


def small_network(seed=0, n=40):
    """A 1-3-1 tanh network, data from a teacher of the same shape plus noise, and a start 20% off."""
    nnlib.utils.set_random_seed(seed)
    model = nnlib.Sequential([nnlib.Input((1,)), layers.Dense(3, activation="tanh", dtype="float64"),
                              layers.Dense(1, dtype="float64")])
    rng = np.random.default_rng(seed)
    x = np.linspace(-2, 2, n)[:, None]
    teacher = get_flat_weights(model)
    y = model.predict(x) + 0.01 * rng.normal(size=(n, 1))
    start = teacher * (1 + 0.2 * rng.normal(size=teacher.shape))

    def residuals(w):
        set_flat_weights(model, w)
        return (model.predict(x) - y).ravel()

    def jac(w):
        set_flat_weights(model, w)
        return jacobian(model, x)[1]

    return model, x, y, start, residuals, jac


def test_network_jacobian_matches_central_differences():
    model, x, _, start, _, _ = small_network()
    set_flat_weights(model, start)
    y_pred, J = jacobian(model, x[:7])
    assert J.shape == (7, start.size)
    w = start.copy()

    def output(i):
        set_flat_weights(model, w)  # numerical_gradient nudges w in place
        return float(model.predict(x[:7])[i, 0])

    for i in range(7):
        numeric = gradcheck.numerical_gradient(lambda i=i: output(i), w)
        assert gradcheck.relative_error(J[i], numeric) < 1e-8
    set_flat_weights(model, start)
    np.testing.assert_array_equal(y_pred, model.predict(x[:7]))


def test_jacobian_of_several_outputs_and_frozen_layers():
    nnlib.utils.set_random_seed(0)
    model = nnlib.Sequential([nnlib.Input((2,)), layers.Dense(3, activation="sigmoid", dtype="float64"),
                              layers.Dense(2, activation="softmax", dtype="float64")])
    model.layers[0].trainable = False
    x = np.random.default_rng(1).normal(size=(4, 2))
    w = get_flat_weights(model)
    assert w.size == 3 * 2 + 2  # only the output layer trains
    _, J = jacobian(model, x)

    def output(row):
        set_flat_weights(model, w)
        return float(model.predict(x)[row // 2, row % 2])

    for row in range(8):  # row = sample · 2 + output
        numeric = gradcheck.numerical_gradient(lambda row=row: output(row), w)
        assert gradcheck.relative_error(J[row], numeric) < 1e-8


@pytest.mark.parametrize("seed", [0, 4])
def test_network_fit_reaches_scipys_minimum(seed):
    """On a small network both LMs (ours; MINPACK's in scipy) converge to the same loss, and scipy
    started from our answer finds nothing lower. (The weights themselves may differ along the flat
    directions such networks have.)"""
    from scipy.optimize import least_squares

    _, _, _, start, residuals, jac = small_network(seed)
    ours = LevenbergMarquardt().minimize(residuals, jac, start)
    theirs = least_squares(residuals, start, jac=jac, method="lm")
    assert ours.converged and ours.iterations < 200, ours.message
    assert ours.cost == pytest.approx(theirs.cost, rel=1e-7)
    assert ours.cost <= theirs.cost * (1 + 1e-9)
    polish = least_squares(residuals, ours.x, jac=jac, method="lm")
    assert polish.cost == pytest.approx(ours.cost, rel=1e-9)


def test_fit_with_levenberg_marquardt_is_the_same_algorithm():
    """compile(LevenbergMarquardt(), "mse") + fit: one LM iteration per epoch, MSE history."""
    model, x, y, start, residuals, jac = small_network()
    reference = LevenbergMarquardt().minimize(residuals, jac, start, max_iterations=15, ftol=0,
                                              gtol=0)
    set_flat_weights(model, start)
    model.compile(optimizer=LevenbergMarquardt(), loss="mse")
    history = model.fit(x, y, epochs=15, verbose=0)
    mse = 2 * np.array(reference.costs) / len(x)
    np.testing.assert_allclose(history.history["loss"], mse[:15], rtol=1e-10)  # loss before each step
    np.testing.assert_allclose(get_flat_weights(model), reference.x, rtol=1e-10)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(mse[15], rel=1e-10)


def test_levenberg_marquardt_beats_adam_on_a_small_curve_fit():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(-2, 2, size=(80, 1)), axis=0)
    y = np.sin(2 * x) + 0.3 * x
    losses = {}
    for name, optimizer, epochs in (("lm", LevenbergMarquardt(), 60),
                                    ("adam", optimizers.Adam(0.01), 600)):
        nnlib.utils.set_random_seed(1)
        model = nnlib.Sequential([nnlib.Input((1,)), layers.Dense(8, activation="tanh"),
                                  layers.Dense(1)])
        model.compile(optimizer, "mse")
        model.fit(x, y, epochs=epochs, batch_size=None if name == "lm" else 80, verbose=0)
        losses[name] = model.evaluate(x, y, verbose=0)
    assert losses["lm"] < losses["adam"] / 10, losses


def test_damping_schedules():
    """classic: ÷10 after a kept step, ×10 after a rejected one; gain ratio: ν doubles on failures."""
    lm = LevenbergMarquardt(damping=1.0, schedule="classic")
    x, r = np.array([-1.2, 1.0]), rosenbrock(np.array([-1.2, 1.0]))
    _, _, ok = lm.step(rosenbrock, x, r, rosenbrock_jacobian(x))
    assert ok and lm.damping == pytest.approx(0.1)
    lm = LevenbergMarquardt(damping=1e-3)
    lm.rejected()
    lm.rejected()
    assert lm.damping == pytest.approx(1e-3 * 2 * 4)
    lm.accepted(1.0)  # the linear model was exact: shrink by the largest factor, 3
    assert lm.damping == pytest.approx(8e-3 / 3) and lm.growth == 2.0


def test_at_a_minimum_no_step_is_kept_and_fit_stops():
    model, x, y, start, residuals, jac = small_network()
    solution = LevenbergMarquardt().minimize(residuals, jac, start).x
    set_flat_weights(model, solution)
    model.compile(LevenbergMarquardt(), "mse")
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, epochs=100, verbose=0)
    assert len(history.history["loss"]) < 100  # stop_training once μ passes max_damping
    assert model.evaluate(x, y, verbose=0) == pytest.approx(before, rel=1e-8)


def test_levenberg_marquardt_refuses_what_it_cannot_do():
    nnlib.utils.set_random_seed(0)
    model = nnlib.Sequential([nnlib.Input((2,)), layers.Dense(2, activation="softmax")])
    x, y = np.zeros((10, 2)), np.zeros(10, dtype=int)
    model.compile(LevenbergMarquardt(), "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="compile with loss='mse'"):
        model.fit(x, y, verbose=0)
    model.compile(LevenbergMarquardt(), "mse")
    with pytest.raises(ValueError, match="whole data set at once; leave batch_size=None"):
        model.fit(x, np.zeros((10, 2)), batch_size=4, verbose=0)


class NoPerSampleGradients(layers.Dense):
    """A layer that cannot keep samples apart: the Jacobian falls back to one backward per row."""

    backward_per_sample = layers.Layer.backward_per_sample


def test_jacobian_without_per_sample_gradients_falls_back_to_one_pass_per_row():
    x = np.random.default_rng(3).normal(size=(6, 2))
    jacobians = []
    for output in (layers.Dense, NoPerSampleGradients):
        nnlib.utils.set_random_seed(2)
        model = nnlib.Sequential([nnlib.Input((2,)), layers.Dense(4, activation="tanh", dtype="float64"),
                                  output(3, activation="sigmoid", dtype="float64")])
        jacobians.append(jacobian(model, x)[1])
    with pytest.raises(NotImplementedError):
        model.backward_per_sample(np.ones((6, 3)))
    assert jacobians[0].shape == (18, 12 + 15)
    np.testing.assert_allclose(jacobians[1], jacobians[0], rtol=1e-12, atol=1e-15)
