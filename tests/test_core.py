"""nnlib's core: weights own their storage (Variable), training lives in nnlib.training, models
compose and share layers, layers freeze — each against Keras where Keras has the same thing."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlib
from nnlib import backend, layers, optimizers, training
from nnlib.variables import BLOCK_SIZE, Variable, contiguous_groups


def data(n=48, features=5, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (x @ rng.normal(size=(features, classes))).argmax(axis=1)
    return x, y


# --- a layer written the obvious way trains ------------------------------------------------------

class AssignsItsGradients(layers.Dense):
    """CS231n style: the gradients are computed and *assigned*, never written into arrays."""

    def backward_preactivation(self, grad_z, input_grad=True):
        x = self.cache[0]
        self.grads = {"kernel": x.T @ grad_z, "bias": grad_z.sum(axis=0)}
        return grad_z @ self.kernel.value.T if input_grad else None


class AssignsEachGradient(layers.Dense):
    """The same, one weight at a time: ``self.kernel.grad = ...``."""

    def backward_preactivation(self, grad_z, input_grad=True):
        x = self.cache[0]
        self.kernel.grad = x.T @ grad_z
        self.bias.grad = grad_z.sum(axis=0)
        return grad_z @ self.kernel.value.T if input_grad else None


@pytest.mark.parametrize("student", [AssignsItsGradients, AssignsEachGradient])
def test_a_dense_subclass_that_assigns_its_gradients_trains_like_dense_and_keras(keras, student):
    x, y = data()
    histories, weights = [], []
    for dense in (layers.Dense, student):
        nnlib.utils.set_random_seed(7)
        model = nnlib.Sequential([nnlib.Input((5,)), dense(8, activation="tanh"),
                                  dense(3, activation="softmax")])
        if dense is layers.Dense:
            twin = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="tanh"),
                                     keras.layers.Dense(3, activation="softmax")])
            twin.set_weights(model.get_weights())
        model.compile(optimizers.Adam(0.02), "sparse_categorical_crossentropy")
        histories.append(model.fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0)
                         .history["loss"])
        weights.append(model.get_weights())
    twin.compile(keras.optimizers.Adam(0.02), "sparse_categorical_crossentropy")
    keras_loss = twin.fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0).history["loss"]
    assert histories[1][-1] < histories[1][0] - 0.05  # it learns: the loss is not flat
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-6)
    np.testing.assert_allclose(histories[1], keras_loss, rtol=1e-4)
    for a, b, c in zip(weights[1], weights[0], twin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(a, c, rtol=1e-4, atol=1e-5)


def test_references_taken_before_fit_stay_live():
    x, y = data()
    nnlib.utils.set_random_seed(0)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(4, activation="relu"),
                              layers.Dense(3, activation="softmax")])
    kernel = model.layers[0].kernel                 # a Variable
    as_array = np.asarray(kernel)                   # its live array
    weights = model.weights
    before = kernel.numpy()
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, verbose=0)
    now = model.get_weights()
    assert not np.allclose(now[0], before)
    np.testing.assert_array_equal(as_array, now[0])
    np.testing.assert_array_equal(kernel.value, now[0])
    for variable, value in zip(weights, now):
        np.testing.assert_array_equal(variable.value, value)
    assert model.layers[0].kernel is kernel


def test_assignments_copy_into_the_weight_or_raise_clearly():
    layer = layers.Dense(3)
    layer(np.ones((2, 4), dtype=np.float32))
    kernel = layer.kernel
    layer.kernel = np.full((4, 3), 2.0)  # copies: the layer keeps its Variable
    assert layer.kernel is kernel and np.all(kernel.value == 2.0)
    layer.grads["kernel"] = np.ones((4, 3))
    np.testing.assert_array_equal(kernel.grad, 1.0)
    with pytest.raises(ValueError, match=r"gradient of 'kernel' has shape \(3, 4\).*\(transposed\?\)"):
        layer.grads = {"kernel": np.ones((3, 4))}
    with pytest.raises(ValueError, match=r"value of 'bias' has shape \(4,\)"):
        layer.bias = np.zeros(4)
    with pytest.raises(KeyError, match=r"no trainable weight 'W'; its weights are \['bias', 'kernel'\]"):
        layer.grads = {"W": np.zeros((4, 3))}
    with pytest.raises(TypeError, match="cannot be deleted"):
        del layer.grads["kernel"]
    frozen = Variable(np.zeros(2), name="moving_mean", trainable=False)
    assert frozen.grad is None
    with pytest.raises(AttributeError, match="not trainable"):
        frozen.grad = np.ones(2)
    with pytest.raises(ValueError, match="already has a weight named 'kernel'"):
        layer.add_weight("kernel", (1,))


# --- where the weights live ---------------------------------------------------------------------

def test_a_model_built_in_one_go_is_one_flat_group_and_freezing_splits_it():
    nnlib.utils.set_random_seed(0)
    model = nnlib.Sequential([nnlib.Input((6,)), layers.Dense(5), layers.Dense(4), layers.Dense(2)])
    groups = contiguous_groups(model.trainable_weights)
    assert len(groups) == 1 and groups[0][0].size == model.count_params() == 35 + 24 + 10
    flat_values, flat_grads = groups[0]
    flat_values[:] = np.arange(flat_values.size)  # the flat view *is* the weights
    assert model.layers[0].kernel.value[0, 1] == 1.0 and model.layers[2].bias.value[-1] == 68.0
    flat_grads[:] = 3.0
    assert np.all(model.layers[1].kernel.grad == 3.0)
    model.layers[1].trainable = False
    groups = contiguous_groups(model.trainable_weights)
    assert [g[0].size for g in groups] == [35, 10]
    big = Variable(np.zeros(BLOCK_SIZE + 1, dtype=np.float32))
    assert len(contiguous_groups([model.layers[2].kernel, big])) == 2


@given(seed=st.integers(0, 100), freeze=st.lists(st.booleans(), min_size=3, max_size=3),
       name=st.sampled_from(["sgd_momentum", "rmsprop_centered", "adam_amsgrad", "adamw", "clipnorm"]))
def test_the_flat_fast_path_updates_exactly_like_the_book_formulas(seed, freeze, name):
    """backend.fast(): grouped, in-place updates; off: each weight by its textbook formula."""
    make = {"sgd_momentum": lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
            "rmsprop_centered": lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True),
            "adam_amsgrad": lambda: optimizers.Adam(0.01, amsgrad=True),
            "adamw": lambda: optimizers.AdamW(0.01, weight_decay=0.1),
            "clipnorm": lambda: optimizers.Adam(0.01, clipnorm=0.5)}[name]
    x, y = data(n=40, seed=seed)
    results = []
    for fast in (True, False):
        nnlib.utils.set_random_seed(seed)
        model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(6, activation="tanh"),
                                  layers.Dense(6, activation="relu"),
                                  layers.Dense(3, activation="softmax")])
        if all(freeze):
            freeze = [False, *freeze[1:]]
        for layer, frozen in zip(model.layers, freeze):
            layer.trainable = not frozen
        model.compile(make(), "sparse_categorical_crossentropy")
        with backend.fast_mode(fast):
            model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        results.append(model.get_weights())
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


# --- freezing -----------------------------------------------------------------------------------

def test_a_frozen_layer_keeps_its_weights_passes_gradients_and_matches_keras(keras, capsys):
    x, y = data()
    nnlib.utils.set_random_seed(3)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(8, activation="relu"),
                              layers.Dense(8, activation="tanh"), layers.Dense(3, activation="softmax")])
    twin = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(8, activation="tanh"),
                             keras.layers.Dense(3, activation="softmax")])
    twin.set_weights(model.get_weights())
    model.layers[1].trainable = False
    twin.layers[1].trainable = False
    frozen = model.layers[1].get_weights()
    first = model.layers[0].get_weights()
    model.compile(optimizers.SGD(0.1, momentum=0.5), "sparse_categorical_crossentropy")
    twin.compile(keras.optimizers.SGD(0.1, momentum=0.5), "sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    twin.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    for a, b in zip(model.layers[1].get_weights(), frozen):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(model.layers[0].get_weights()[0], first[0])  # below it still trains
    for a, b in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert [v.path for v in model.non_trainable_weights] == [v.path for v in model.layers[1].weights]
    model.summary()
    twin.summary()
    ours, theirs = capsys.readouterr().out.split("Model: ")[1:3]
    counts = [[line for line in text.splitlines() if "params:" in line] for text in (ours, theirs)]
    assert counts[0] == counts[1]  # Total, Trainable, Non-trainable and Optimizer params, bytes too
    assert counts[0][1:3] == [" Trainable params: 75 (300.00 B)", " Non-trainable params: 72 (288.00 B)"]


# --- composing and sharing ------------------------------------------------------------------------

def gan_pair(module, seed=5):
    """A generator (4 → 8 → 2) and a discriminator (2 → 8 → 1 sigmoid) in nnlib or Keras."""
    L = module.layers
    inp = nnlib.Input if module is nnlib else module.Input
    generator = module.Sequential([inp((4,)), L.Dense(8, activation="relu"), L.Dense(2)])
    discriminator = module.Sequential([inp((2,)), L.Dense(8, activation="tanh"),
                                       L.Dense(1, activation="sigmoid")])
    return generator, discriminator


def test_a_generator_trains_through_a_frozen_shared_discriminator_like_keras(keras):
    nnlib.utils.set_random_seed(5)
    g, d = gan_pair(nnlib)
    kg, kd = gan_pair(keras)
    kg.set_weights(g.get_weights())
    kd.set_weights(d.get_weights())
    rng = np.random.default_rng(0)
    real = rng.normal(loc=2.0, size=(16, 2)).astype(np.float32)
    for model in (d, kd):
        model.compile(optimizer=(optimizers if model is d else keras.optimizers).Adam(0.01),
                      loss="binary_crossentropy")
    gan, kgan = nnlib.Sequential([g, d]), keras.Sequential([kg, kd])
    gan.compile(optimizers.Adam(0.01), "binary_crossentropy")
    kgan.compile(keras.optimizers.Adam(0.01), "binary_crossentropy")
    assert gan.count_params() == g.count_params() + d.count_params()
    for step in range(3):
        noise = rng.normal(size=(16, 4)).astype(np.float32)
        fake = g.predict(noise)
        xd = np.concatenate([real, fake])
        yd = np.concatenate([np.ones(16), np.zeros(16)]).astype(np.float32)
        d.trainable, kd.trainable = True, True
        losses = [d.train_on_batch(xd, yd), kd.train_on_batch(xd, yd)]
        d.trainable, kd.trainable = False, False
        before = d.get_weights()
        ones = np.ones(16, dtype=np.float32)
        losses += [gan.train_on_batch(noise, ones), kgan.train_on_batch(noise, ones)]
        np.testing.assert_allclose(losses[0], losses[1], rtol=1e-4)
        np.testing.assert_allclose(losses[2], losses[3], rtol=1e-4)
        for a, b in zip(d.get_weights(), before):  # the generator's step left d alone
            np.testing.assert_array_equal(a, b)
    for ours, theirs in ((g, kg), (d, kd)):
        for a, b in zip(ours.get_weights(), theirs.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert gan.layers[1] is d and gan.trainable_weights == g.trainable_weights


def test_a_nested_model_is_a_layer():
    nnlib.utils.set_random_seed(1)
    inner = nnlib.Sequential([layers.Dense(6, activation="tanh"), layers.Dense(3)])
    outer = nnlib.Sequential([nnlib.Input((4,)), layers.Dense(5, activation="relu"), inner,
                              layers.Softmax()])
    flat = nnlib.Sequential([nnlib.Input((4,)), layers.Dense(5, activation="relu"),
                             layers.Dense(6, activation="tanh"), layers.Dense(3), layers.Softmax()])
    flat.set_weights(outer.get_weights())
    x, y = data(n=12, features=4)
    np.testing.assert_allclose(outer.predict(x), flat.predict(x), rtol=1e-6)
    assert outer.layers[1].output_shape == (None, 3) and inner.input_shape == (None, 5)
    for model in (outer, flat):
        model.compile("sgd", "sparse_categorical_crossentropy")
    grads = [training.compute_gradients(m, x, y) and [v.grad.copy() for v in m.trainable_weights]
             for m in (outer, flat)]
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    outer.layers[1].trainable = False
    assert all(not layer.trainable for layer in inner.layers)
    assert len(outer.trainable_weights) == 2
    with pytest.raises(ValueError, match="already in this model"):
        outer.add(outer)
