"""Sequential.compile/fit/evaluate/predict/train_on_batch against Keras: same initial weights, no
shuffling, same batches → same weights and the same history after several epochs."""
from __future__ import annotations

import io
import re
import time
import tracemalloc

import numpy as np
import pytest

import nnlib
from nnlib import callbacks, gradcheck, layers, optimizers

OPTIMIZERS = [
    ("SGD", {"learning_rate": 0.1}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    ("RMSprop", {"learning_rate": 0.005}),
    ("Adam", {"learning_rate": 0.01}),
]
# (output units, output activation, loss, targets)
TASKS = [
    (3, "softmax", "sparse_categorical_crossentropy", "labels"),
    (3, "softmax", "categorical_crossentropy", "onehot"),
    (1, "sigmoid", "binary_crossentropy", "binary"),
    (2, None, "mse", "real"),
    (1, None, "huber", "real"),
]


def data(task, n=90, features=5, seed=0):
    units, _, _, kind = task
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    score = x @ rng.normal(size=(features, units))
    if kind == "labels":
        y = score.argmax(axis=1)
    elif kind == "onehot":
        y = np.eye(units, dtype=np.float32)[score.argmax(axis=1)]
    elif kind == "binary":
        y = (score[:, 0] > 0).astype(np.float32)
    else:
        y = (np.sin(score) + 0.1 * rng.normal(size=score.shape)).astype(np.float32)
    return x, y


def twins(keras, task, features=5, seed=1):
    units, activation, _, _ = task
    nnlib.utils.set_random_seed(seed)
    ours = nnlib.Sequential([nnlib.Input((features,)), layers.Dense(8, activation="tanh"),
                             layers.Dense(6, activation="relu"),
                             layers.Dense(units, activation=activation)])
    theirs = keras.Sequential([keras.Input((features,)), keras.layers.Dense(8, activation="tanh"),
                               keras.layers.Dense(6, activation="relu"),
                               keras.layers.Dense(units, activation=activation)])
    theirs.set_weights(ours.get_weights())
    return ours, theirs


def assert_weights_close(ours, theirs, rtol=1e-4, atol=1e-5):
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "book-formulas"])
@pytest.mark.parametrize("name, kwargs", OPTIMIZERS, ids=[f"{n}{kw}" for n, kw in OPTIMIZERS])
def test_fit_ends_with_keras_weights_and_history(keras, name, kwargs, fast):
    """Five epochs, batches of 16 (the last one partial), validation on the last 20%; with the
    speed machinery (nnlib.backend.fast) and without it."""
    task = TASKS[0]
    x, y = data(task)
    ours, theirs = twins(keras, task)
    ours.compile(getattr(optimizers, name)(**kwargs), task[2], metrics=["accuracy"])
    theirs.compile(getattr(keras.optimizers, name)(**kwargs), task[2], metrics=["accuracy"])
    with nnlib.backend.fast_mode(fast):
        h_ours = ours.fit(x, y, batch_size=16, epochs=5, shuffle=False, verbose=0,
                          validation_split=0.2)
    h_keras = theirs.fit(x, y, batch_size=16, epochs=5, shuffle=False, verbose=0,
                         validation_split=0.2)
    assert_weights_close(ours, theirs)
    assert list(h_ours.history) == list(h_keras.history)
    for key in h_keras.history:
        np.testing.assert_allclose(h_ours.history[key], h_keras.history[key], rtol=1e-4, atol=1e-6,
                                   err_msg=key)
    assert h_ours.epoch == h_keras.epoch == list(range(5))


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "book-formulas"])
@pytest.mark.parametrize("task", TASKS, ids=[t[2] for t in TASKS])
def test_every_loss_trains_like_keras(keras, task, fast):
    x, y = data(task)
    ours, theirs = twins(keras, task)
    ours.compile(optimizers.Adam(0.01), task[2])
    theirs.compile(keras.optimizers.Adam(0.01), task[2])
    with nnlib.backend.fast_mode(fast):
        h_ours = ours.fit(x, y, batch_size=32, epochs=4, shuffle=False, verbose=0)
    h_keras = theirs.fit(x, y, batch_size=32, epochs=4, shuffle=False, verbose=0)
    assert_weights_close(ours, theirs)
    np.testing.assert_allclose(h_ours.history["loss"], h_keras.history["loss"], rtol=1e-4)
    np.testing.assert_allclose(ours.predict(x), theirs.predict(x, verbose=0), rtol=1e-4, atol=1e-5)
    assert ours.evaluate(x, y, verbose=0) == pytest.approx(theirs.evaluate(x, y, verbose=0),
                                                           rel=1e-4)


@pytest.mark.parametrize("task", TASKS, ids=[t[2] for t in TASKS])
def test_backpropagated_gradients_match_gradient_tape(keras, task):
    """The gradients of one training batch, softmax/sigmoid fused with the cross-entropy or not."""
    import tensorflow as tf

    x, y = data(task, n=12)
    ours, theirs = twins(keras, task)
    ours.compile("sgd", task[2])
    theirs.compile("sgd", task[2])
    value, _ = nnlib.training.compute_gradients(ours, x, y)
    with tf.GradientTape() as tape:
        expected = theirs.compute_loss(x=x, y=y, y_pred=theirs(x, training=True))
    tape_grads = tape.gradient(expected, theirs.trainable_weights)
    assert value == pytest.approx(float(expected), rel=1e-5)
    ours_grads = [layer.grads[n] for layer in ours.layers for n in ("kernel", "bias")]
    for a, b in zip(ours_grads, tape_grads):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("task", TASKS, ids=[t[2] for t in TASKS])
def test_backpropagation_passes_float64_gradient_check(task):
    units, activation, loss, _ = task
    x, y = data(task, n=7, features=3)
    nnlib.utils.set_random_seed(2)
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(4, activation="tanh", dtype="float64"),
                              layers.Dense(units, activation=activation, dtype="float64")])
    model.compile("sgd", loss)
    errors = gradcheck.check_model(model, x.astype(np.float64), y)
    assert set(errors) == {f"{l.name}/{w}" for l in model.layers for w in ("kernel", "bias")}
    assert max(errors.values()) < 1e-6, errors


def test_epoch_loss_is_the_batch_size_weighted_mean_of_batch_losses():
    """Keras 3: each batch's loss (before its update) weighted by the batch's size."""
    x, y = data(TASKS[3], n=10)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(2)])
    model.compile(optimizers.SGD(0.05), "mse")
    start = model.get_weights()
    seen = []
    for lo, hi in ((0, 4), (4, 8), (8, 10)):
        seen.append((model.train_on_batch(x[lo:hi], y[lo:hi]), hi - lo))
    model.set_weights(start)
    model.compile(optimizers.SGD(0.05), "mse")
    history = model.fit(x, y, batch_size=4, shuffle=False, verbose=0)
    expected = sum(v * n for v, n in seen) / 10
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-6)
    assert expected != pytest.approx(np.mean([v for v, _ in seen]), rel=1e-3)  # not the plain mean


def test_validation_split_takes_the_last_rows_before_shuffling(keras):
    task = TASKS[3]
    x, y = data(task, n=50)
    ours, theirs = twins(keras, task)
    ours.compile(optimizers.SGD(0.0001), "mse")
    theirs.compile(keras.optimizers.SGD(0.0001), "mse")
    h_ours = ours.fit(x, y, epochs=1, validation_split=0.3, verbose=0, seed=0)
    h_keras = theirs.fit(x, y, epochs=1, validation_split=0.3, verbose=0)
    held_out = ours.evaluate(x[35:], y[35:], verbose=0)
    assert h_ours.history["val_loss"][0] == pytest.approx(held_out, rel=1e-9)
    assert h_ours.history["val_loss"][0] == pytest.approx(h_keras.history["val_loss"][0], rel=1e-3)


def test_evaluate_and_train_on_batch_return_what_keras_returns(keras):
    task = TASKS[0]
    x, y = data(task, n=70)
    ours, theirs = twins(keras, task)
    ours.compile(optimizers.Adam(0.01), task[2], metrics=["accuracy"])
    theirs.compile(keras.optimizers.Adam(0.01), task[2], metrics=["accuracy"])
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0),
                               rtol=1e-5)
    got = ours.evaluate(x, y, verbose=0, return_dict=True)
    expected = theirs.evaluate(x, y, verbose=0, return_dict=True)
    assert list(got) == list(expected)
    np.testing.assert_allclose(ours.train_on_batch(x[:20], y[:20]),
                               theirs.train_on_batch(x[:20], y[:20]), rtol=1e-5)
    np.testing.assert_allclose(ours.train_on_batch(x[20:], y[20:]),
                               theirs.train_on_batch(x[20:], y[20:]), rtol=1e-4)
    assert_weights_close(ours, theirs)
    np.testing.assert_allclose(ours.test_on_batch(x, y), theirs.test_on_batch(x, y), rtol=1e-4)
    nometrics = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(1)])
    nometrics.compile("sgd", "mse")
    assert isinstance(nometrics.evaluate(x, y[:, None] * 1.0, verbose=0), float)
    assert isinstance(nometrics.train_on_batch(x, y * 1.0), float)


def test_seeded_shuffling_is_reproducible_and_uses_every_sample_once_per_epoch():
    x, y = data(TASKS[3], n=37)
    seen: list[np.ndarray] = []

    class Spy(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(self.model.layers[0].cache[0].copy())  # the batch the first layer saw

    runs = []
    for seed in (5, 5, 6):
        nnlib.utils.set_random_seed(0)
        model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(2)])
        model.compile(optimizers.SGD(0.01), "mse")
        seen.clear()
        model.fit(x, y, batch_size=8, epochs=2, seed=seed, verbose=0, callbacks=[Spy()])
        runs.append((model.get_weights()[0], [b.copy() for b in seen]))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert not np.array_equal(runs[0][0], runs[2][0])
    batches = runs[0][1]
    assert [len(b) for b in batches] == [8, 8, 8, 8, 5] * 2
    for epoch in (batches[:5], batches[5:]):
        rows = np.concatenate(epoch)
        assert not np.array_equal(rows, x)  # shuffled
        np.testing.assert_array_equal(np.sort(rows, axis=0), np.sort(x, axis=0))  # each row once
    order = np.random.default_rng(5).permutation(37)  # fit's first epoch draws this permutation
    np.testing.assert_array_equal(np.concatenate(batches[:5]), x[order])


def test_an_epoch_copies_no_dataset_sized_array():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20000, 100)).astype(np.float32)  # 8 MB
    y = rng.integers(0, 10, size=20000)
    model = nnlib.Sequential([nnlib.Input((100,)), layers.Dense(32, activation="relu"),
                              layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:256], y[:256], epochs=1, verbose=0)  # warm up
    tracemalloc.start()
    model.fit(x, y, batch_size=128, epochs=2, verbose=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < x.nbytes / 10, f"fit allocated {peak / 1e6:.1f} MB at its peak for {x.nbytes / 1e6} MB of data"


def test_stop_training_ends_the_epoch_after_the_current_batch():
    x, y = data(TASKS[3], n=40)

    class StopAtBatch3(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.batches = batch + 1
            if batch == 2:
                self.model.stop_training = True

    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(2)])
    model.compile("sgd", "mse")
    stopper = StopAtBatch3()
    history = model.fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[stopper])
    assert stopper.batches == 3 and len(history.history["loss"]) == 1


def test_divergence_is_reported_as_in_keras_and_terminate_on_nan_stops_it():
    """A far too large learning rate: losses become inf/NaN (no exception, no warning)."""
    x, y = data(TASKS[3], n=64)
    nnlib.utils.set_random_seed(0)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    model.compile(optimizers.SGD(10.0), "mse")
    history = model.fit(x, y * 100, batch_size=8, epochs=6, verbose=0)
    assert not np.isfinite(history.history["loss"][-1])
    model.compile(optimizers.SGD(10.0), "mse")
    nnlib.utils.set_random_seed(0)
    fresh = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(8, activation="relu"), layers.Dense(2)])
    fresh.compile(optimizers.SGD(10.0), "mse")
    history = fresh.fit(x, y * 100, batch_size=8, epochs=6, verbose=0,
                        callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) < 6


def test_progress_bar_prints_keras_style_lines(capsys):
    x, y = data(TASKS[0], n=50)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=10, epochs=2, verbose=2, validation_split=0.2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.match(r"4/4 - \d+s - \d+(us|ms)/step - accuracy: ", lines[1]), lines[1]
    assert " - loss: " in lines[1] and " - val_accuracy: " in lines[1] and "val_loss" in lines[1]
    stream = io.StringIO()
    bar = callbacks.ProgressBar(verbose=1, stream=stream, min_interval=0.0)
    model.fit(x, y, batch_size=10, epochs=1, verbose=0, callbacks=[bar])
    text = stream.getvalue()
    assert text.startswith("Epoch 1/1\n") and "\r1/5 ━━━━────────────────" in text
    assert text.rstrip().endswith(text.rstrip().split("\r")[-1]) and "5/5 ━━━━━━━━━━━━━━━━━━━━" in text
    model.evaluate(x, y)  # verbose="auto" prints one line, like Keras
    assert capsys.readouterr().out.startswith("2/2 ━━━━━━━━━━━━━━━━━━━━ ")


def test_fit_defaults_follow_keras():
    """batch_size=None means 32 (2 steps for 40 samples); verbose='auto' means a progress bar."""
    x, y = data(TASKS[3], n=40)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(2)])
    model.compile("sgd", "mse")
    steps = []

    class Count(callbacks.Callback):
        def on_train_begin(self, logs=None):
            steps.append(self.params["steps"])

    model.fit(x, y, verbose=0, callbacks=[Count()])
    assert steps == [2]
    assert isinstance(model.optimizer, optimizers.SGD) and model.optimizer.learning_rate == 0.01
    model.compile(loss="mse")
    assert isinstance(model.optimizer, optimizers.RMSprop)  # Keras' default optimizer


def test_training_continues_after_saving_and_loading_weights(tmp_path):
    x, y = data(TASKS[0], n=60)
    nnlib.utils.set_random_seed(3)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(4, activation="tanh"),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, shuffle=False, verbose=0)
    path = str(tmp_path / "trained.weights.npz")
    model.save_weights(path)
    clone = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(4, activation="tanh"),
                              layers.Dense(3, activation="softmax")])
    clone.load_weights(path)
    clone.compile(optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, shuffle=False, verbose=0)
    clone.fit(x, y, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_array_equal(model.predict(x), clone.predict(x))


def test_set_weights_after_compile_is_seen_by_training():
    """Weights live in one flat buffer the optimiser updates; set_weights writes into it."""
    x, y = data(TASKS[3], n=20)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(2)])
    model.compile(optimizers.SGD(1e-9), "mse")
    model.fit(x, y, epochs=1, verbose=0)
    model.set_weights([np.zeros((5, 2)), np.ones(2)])
    model.fit(x, y, epochs=1, verbose=0, batch_size=20)
    np.testing.assert_allclose(model.get_weights()[1], 1.0, atol=1e-6)
    np.testing.assert_allclose(model.predict(x[:3]), 1.0, atol=1e-5)


@pytest.mark.parametrize("call, error, message", [
    (lambda m, x, y: m.fit(x, y, verbose=0), RuntimeError, r"call model.compile\(optimizer=..., loss=...\) first"),
    (lambda m, x, y: (m.compile("sgd"), None), ValueError, "compile\\(\\) needs a loss"),
    (lambda m, x, y: (m.compile("sgd", "mse"), m.fit(x, y[:5], verbose=0)), ValueError,
     "x has 20 samples but y has 5"),
    (lambda m, x, y: (m.compile("sgd", "mse"), m.fit(x, y, batch_size=0, verbose=0)), ValueError,
     "batch_size must be a positive integer"),
    (lambda m, x, y: (m.compile("sgd", "mse"), m.fit(x, y, epochs=2.5, verbose=0)), TypeError,
     "epochs must be a positive integer"),
    (lambda m, x, y: (m.compile("sgd", "mse"), m.fit(x, y, validation_split=1.5, verbose=0)),
     ValueError, r"validation_split must be in \(0, 1\)"),
    (lambda m, x, y: (m.compile("sgd", "mse"), m.fit(x, y, validation_data=(x,), verbose=0)),
     ValueError, r"validation_data must be a tuple \(x_val, y_val\)"),
    (lambda m, x, y: (m.compile("sgd", "mse"), m.fit(x, np.where(y > 0, np.nan, y), verbose=0)),
     ValueError, "y contains .* NaN"),
    (lambda m, x, y: (m.compile("sgd", "mse"), m.fit(x[:, :3], y, verbose=0)), ValueError,
     "expected 5 input features"),
    (lambda m, x, y: (m.compile("sgd", "sparse_categorical_crossentropy"),
                      m.fit(x, np.full(20, 7), verbose=0)), ValueError, r"must lie in \[0, 1\]"),
    (lambda m, x, y: (m.compile("sgd", "mse", metrics=["acuracy"]),), ValueError,
     "Unknown metric 'acuracy'"),
])
def test_training_errors_are_clear(call, error, message):
    x, y = data(TASKS[3], n=20)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(2)])
    with pytest.raises(error, match=message):
        call(model, x, y)


def test_fused_softmax_crossentropy_stays_exact_for_huge_logits(keras):
    """fit reuses the softmax output for the loss; where it underflows, the logits take over."""
    import tensorflow as tf

    x, y = data(TASKS[0], n=8)
    ours, theirs = twins(keras, TASKS[0])
    weights = ours.get_weights()
    weights[-2] *= 400.0  # logits in the thousands: softmax probabilities underflow to 0
    ours.set_weights(weights)
    theirs.set_weights(weights)
    ours.compile("sgd", "sparse_categorical_crossentropy")
    theirs.compile("sgd", "sparse_categorical_crossentropy")
    value, _ = nnlib.training.compute_gradients(ours, x, y)
    with tf.GradientTape() as tape:
        expected = theirs.compute_loss(x=x, y=y, y_pred=theirs(x, training=True))
    grads = tape.gradient(expected, theirs.trainable_weights)
    assert np.isfinite(value) and value > 10
    assert value == pytest.approx(float(expected), rel=1e-5)
    np.testing.assert_allclose(ours.layers[-1].grads["kernel"], grads[-2].numpy(), rtol=1e-4,
                               atol=1e-5)


def test_lambda_callback_and_per_batch_logs_only_when_watched():
    x, y = data(TASKS[3], n=30)
    model = nnlib.Sequential([nnlib.Input((5,)), layers.Dense(2)])
    model.compile("sgd", "mse")
    seen = {"epochs": [], "batches": []}
    cb = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen["epochs"].append(logs["loss"]),
                                  on_train_batch_end=lambda b, logs: seen["batches"].append(b))
    history = model.fit(x, y, batch_size=10, epochs=2, verbose=0, callbacks=[cb])
    assert seen["epochs"] == history.history["loss"] and seen["batches"] == [0, 1, 2] * 2
    assert callbacks.watches_batches(cb) and not callbacks.watches_batches(callbacks.History())
    assert not callbacks.watches_batches(callbacks.LambdaCallback(on_epoch_end=print))
    with pytest.raises(TypeError, match="on_epoch_end must be a function"):
        callbacks.LambdaCallback(on_epoch_end=3)


@pytest.mark.parametrize("setting", ["auto", 2, None])
def test_blas_thread_settings_give_the_same_training(setting):
    """Threads change only the speed: training with ``setting`` ends with the same weights as with
    one thread, and BLAS' own setting is restored afterwards."""
    from threadpoolctl import threadpool_info

    before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    if max(before, default=1) < 2:
        pytest.skip("needs a multi-threaded BLAS to compare with one thread")
    x, y = data(TASKS[0], n=600)
    results, used = [], []

    class Threads(callbacks.Callback):  # the BLAS threads each step actually ran with
        def on_train_batch_end(self, batch, logs=None):
            used.append(max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"))

    for mode in (setting, 1):
        nnlib.backend.set_num_threads(mode)
        used.clear()
        try:
            model, _ = twins_nnlib_only()
            model.compile(optimizers.Adam(0.01), "sparse_categorical_crossentropy")
            model.fit(x, y, batch_size=16, epochs=2, verbose=0, seed=0, callbacks=[Threads()])
            results.append(model.get_weights())
        finally:
            nnlib.backend.set_num_threads("auto")
        assert (max(used) > 1) == (mode != 1), (mode, set(used))  # the two runs really differ
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"] == before
    with pytest.raises(ValueError, match="num_threads must be 'auto', a positive integer or None"):
        nnlib.backend.set_num_threads(0)


def twins_nnlib_only():
    nnlib.utils.set_random_seed(1)
    return nnlib.Sequential([nnlib.Input((5,)), layers.Dense(8, activation="tanh"),
                             layers.Dense(3, activation="softmax")]), None


def test_auto_threads_keep_the_faster_setting():
    """A trial times TRIAL steps on one thread and TRIAL on all; the clear winner stays."""
    threads = nnlib.backend.BlasThreads(steps_per_epoch=100)
    if not threads.auto:
        pytest.skip("needs threadpoolctl and a multi-threaded BLAS")
    with threads:
        for k in range(2 * threads.TRIAL):
            threads.step_begin()
            time.sleep(0.002 if k < threads.TRIAL else 0.0)  # all threads: much faster
            threads.step_end()
        assert threads.threads == threads.most and threads.period == threads.WIN_PERIOD
        start = threads.count + threads.period
        assert threads.next_trial == start
        threads.count = start
        for k in range(2 * threads.TRIAL):
            threads.step_begin()
            time.sleep(0.0 if k < threads.TRIAL else 0.002)  # now one thread wins
            threads.step_end()
        assert threads.threads == 1 and threads.period == 2 * threads.WIN_PERIOD


def test_finite_check_has_no_false_alarms_for_huge_values():
    huge = np.full((4, 3), 3e38, dtype=np.float32)  # finite, but their sum overflows
    model = nnlib.Sequential([nnlib.Input((3,)), layers.Dense(1)])
    model.set_weights([np.full((3, 1), 0.1), np.zeros(1)])  # outputs ≈ 9e37: finite
    assert model.predict(huge).shape == (4, 1)
    huge[2, 1] = np.inf
    with pytest.raises(ValueError, match=r"1 NaN/inf value.*index \(2, 1\)"):
        model.predict(huge)
