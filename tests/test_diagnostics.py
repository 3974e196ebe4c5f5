"""nnlib.diagnostics: per-layer gradient norms (against tf.GradientTape), activation statistics,
the Diagnostics callback and its plots (chapter 4)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib  # noqa: E402
from nnlib import diagnostics, layers  # noqa: E402


def deep(activation, init, depth=6, width=16, seed=0, n_in=4):
    nnlib.utils.set_random_seed(seed)
    return nnlib.Sequential([nnlib.Input((n_in,))] + [
        layers.Dense(width, activation=activation, kernel_initializer=init) for _ in range(depth)
    ] + [layers.Dense(1, activation="sigmoid", kernel_initializer=init)])


def data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    return x, (x[:, 0] * x[:, 1] > 0).astype(np.float32)


def test_gradient_norms_match_tf_gradient_tape(keras):
    import tensorflow as tf

    model = deep("tanh", "glorot_uniform")
    model.compile("sgd", "binary_crossentropy")
    twin = keras.Sequential([keras.Input((4,))] + [keras.layers.Dense(16, activation="tanh")
                                                   for _ in range(6)]
                            + [keras.layers.Dense(1, activation="sigmoid")])
    twin.set_weights(model.get_weights())
    x, y = data()
    ours = diagnostics.gradient_norms(model, x, y)
    with tf.GradientTape() as tape:
        loss = keras.losses.BinaryCrossentropy()(y[:, None], twin(x, training=True))
    grads = tape.gradient(loss, [layer.kernel for layer in twin.layers])
    np.testing.assert_allclose(list(ours.values()), [float(tf.norm(g)) for g in grads], rtol=1e-4)
    assert list(ours) == [layer.name for layer in model.layers]
    before = model.get_weights()
    diagnostics.gradient_norms(model, x, y)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)  # no update


def test_sigmoid_gradients_vanish_relu_he_ones_do_not():
    x, y = data()
    ratios = {}
    for act, init in (("sigmoid", "glorot_uniform"), ("relu", "he_normal")):
        model = deep(act, init, depth=10)
        model.compile("sgd", "binary_crossentropy")
        norms = list(diagnostics.gradient_norms(model, x, y).values())
        ratios[act] = norms[0] / norms[-2]  # first hidden layer vs last hidden layer
    assert ratios["sigmoid"] < 1e-3  # sigmoid' ≤ 1/4 per layer: the first layers learn nothing
    assert 0.05 < ratios["relu"] < 20


def test_activation_stats_count_dead_and_saturated_units():
    model = nnlib.Sequential([nnlib.Input((2,)), layers.Dense(3, activation="relu"),
                              layers.Dense(2, activation="sigmoid")])
    model.set_weights([np.array([[1.0, -1.0, 0.0], [1.0, -1.0, 0.0]]), np.array([0.0, -5.0, 1.0]),
                       np.array([[10.0, 0.0], [0.0, 0.0], [10.0, 0.0]]), np.array([0.0, 0.0])])
    x = np.array([[1.0, 1.0], [2.0, 0.0], [0.5, 0.5]], dtype=np.float32)
    stats = diagnostics.activation_stats(model, x)
    relu, sig = list(stats.values())
    assert relu["dead_fraction"] == pytest.approx(1 / 3)  # the second unit is never positive
    assert relu["zero_fraction"] == pytest.approx(3 / 9)
    assert np.isnan(relu["saturated_fraction"])
    assert sig["saturated_fraction"] == pytest.approx(0.5)  # unit 1 saturates, unit 2 sits at 0.5
    assert relu["mean"] == pytest.approx(np.mean([[2, 0, 1], [2, 0, 1], [1, 0, 1]]))


def test_callback_records_what_fit_computed():
    x, y = data(48)
    model = deep("relu", "he_normal", depth=3)
    model.compile(nnlib.optimizers.SGD(0.05), "binary_crossentropy")
    first = diagnostics.gradient_norms(model, x[:16], y[:16])
    diag = diagnostics.Diagnostics(x=x[:20])
    model.fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0, callbacks=[diag])
    names = [layer.name for layer in model.layers]
    assert list(diag.grad_norms) == names and list(diag.activations) == names
    assert all(len(v) == 12 for v in diag.batch_grad_norms.values())  # 3 steps × 4 epochs
    assert all(len(v) == 4 for v in diag.grad_norms.values())
    assert len(diag.global_grad_norm) == 12
    for name in names:  # the first step's norms are those of the untrained model on batch 1
        assert diag.batch_grad_norms[name][0] == pytest.approx(first[name], rel=1e-6)
        assert diag.grad_norms[name][1] == pytest.approx(np.mean(diag.batch_grad_norms[name][3:6]))
    for layer in model.layers:
        assert diag.weight_norms[layer.name][-1] == pytest.approx(np.linalg.norm(layer.kernel),
                                                                  rel=1e-5)
    assert set(diag.activations[names[0]]) == set(diagnostics.STATS)
    step0 = np.sqrt(sum(n[0] ** 2 for n in diag.batch_grad_norms.values()))
    assert diag.global_grad_norm[0] > step0  # biases count in the global norm too


def test_plots_draw_and_refuse_empty_input():
    import matplotlib.pyplot as plt

    x, y = data(32)
    model = deep("tanh", "glorot_uniform", depth=2)
    model.compile("sgd", "binary_crossentropy")
    diag = diagnostics.Diagnostics(x=x)
    with pytest.raises(ValueError, match="recorded nothing yet"):
        diagnostics.plot_gradient_norms(diag)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[diag])
    ax = diagnostics.plot_gradient_norms(diag)
    assert len(ax.lines) == 3 and ax.get_yscale() == "log"
    ax = diagnostics.plot_gradient_norms(diagnostics.gradient_norms(model, x, y), label="tanh")
    assert len(ax.lines[0].get_xdata()) == 3
    ax = diagnostics.plot_activation_stats(diag, "saturated_fraction")
    assert len(ax.lines) == 3
    ax = diagnostics.plot_activation_stats(diagnostics.activation_stats(model, x), "std")
    assert len(ax.lines) == 1
    with pytest.raises(ValueError, match="stat must be one of"):
        diagnostics.plot_activation_stats(diag, "median")
    with pytest.raises(TypeError, match="expected a Diagnostics callback"):
        diagnostics.plot_gradient_norms([1.0, 2.0])
    plt.close("all")


def test_gradient_norms_needs_a_compiled_model():
    with pytest.raises(RuntimeError, match="compile the model first"):
        diagnostics.gradient_norms(deep("relu", "he_normal", depth=1), *data(4))
